// The workbench's own script: small enhancements only; every page works
// without it.
(function () {
  "use strict";
  document.addEventListener("click", function (e) {
    var t = e.target.closest ? e.target.closest("[data-print]") : null;
    if (t) {
      e.preventDefault();
      window.print();
    }
  });
  // After htmx swaps in new search results, tell screen readers and move
  // keyboard focus to the results' summary line.
  document.addEventListener("htmx:afterSwap", function (e) {
    var total = document.querySelector("#results .total");
    if (total && e.detail && e.detail.target && e.detail.target.id === "results") {
      total.setAttribute("tabindex", "-1");
      total.focus();
    }
  });
})();
