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
  // A reviewer types their name once: it is kept in this browser and put in every correction form.
  var NAME_KEY = "onrecord.reviewer";
  document.addEventListener("submit", function (event) {
    var input = event.target.querySelector ? event.target.querySelector("input.reviewer-name") : null;
    if (input && input.value) { try { window.localStorage.setItem(NAME_KEY, input.value); } catch (e) { /* private mode */ } }
  });
  document.addEventListener("DOMContentLoaded", function () {
    var name = null;
    try { name = window.localStorage.getItem(NAME_KEY); } catch (e) { name = null; }
    if (name) {
      document.querySelectorAll("input.reviewer-name").forEach(function (input) { if (!input.value) { input.value = name; } });
    }
    var hash = window.location.hash;
    if (hash.indexOf("#quote-") === 0) {
      var id = decodeURIComponent(hash.slice("#quote-".length));
      select(id);
    }
  });
})();
