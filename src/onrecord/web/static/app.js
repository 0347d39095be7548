// onrecord pages: select a quote (click, or Enter / Space on a focused quote) to show its panel.
// Reads only the page's own elements; never writes HTML (panels are rendered, escaped, by the server).
"use strict";
(function () {
  function select(id) {
    var found = false;
    document.querySelectorAll(".quote-detail").forEach(function (panel) {
      var mine = panel.getAttribute("data-detail-for") === id;
      panel.hidden = !mine;
      found = found || mine;
    });
    var none = document.getElementById("detail-none");
    if (none) { none.hidden = found; }
    document.querySelectorAll("mark.quote").forEach(function (mark) {
      var mine = mark.getAttribute("data-quote-id") === id;
      mark.classList.toggle("selected", mine);
      if (mark.hasAttribute("aria-pressed")) { mark.setAttribute("aria-pressed", mine ? "true" : "false"); }
    });
  }
  function quoteOf(target) {
    var mark = target.closest ? target.closest("mark.quote") : null;
    return mark ? mark.getAttribute("data-quote-id") : null;
  }
  document.addEventListener("click", function (event) {
    var id = quoteOf(event.target);
    if (id) { select(id); }
  });
  document.addEventListener("keydown", function (event) {
    if (event.key !== "Enter" && event.key !== " ") { return; }
    var id = quoteOf(event.target);
    if (id) { event.preventDefault(); select(id); }
  });
  document.addEventListener("DOMContentLoaded", function () {
    var hash = window.location.hash;
    if (hash.indexOf("#quote-") === 0) {
      var id = decodeURIComponent(hash.slice("#quote-".length));
      select(id);
    }
  });
})();
