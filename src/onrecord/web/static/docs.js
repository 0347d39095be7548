// The API docs page: swagger-ui (vendored from the swagger-ui-bundle package) over /openapi.json.
"use strict";
window.addEventListener("load", function () {
  window.SwaggerUIBundle({ url: "/openapi.json", dom_id: "#swagger-ui" });
});
