// A display formula wider than the text scrolls sideways (its box has overflow: auto): make
// exactly those formulas Tab stops, so that a keyboard can scroll them, and keep every
// formula that fits out of the tab order (book/_ext/accessibility.py). Re-checked when the
// window changes size.
(function () {
  "use strict";
  function mark() {
    document.querySelectorAll("div.math mjx-container").forEach(function (formula) {
      if (formula.scrollWidth > formula.clientWidth + 1) {
        formula.setAttribute("tabindex", "0");
        formula.setAttribute("data-scrolls", "");
      } else if (formula.hasAttribute("data-scrolls")) {
        formula.removeAttribute("tabindex");
        formula.removeAttribute("data-scrolls");
      }
    });
  }
  var pending = null;
  function later() {
    if (pending === null) {
      pending = setTimeout(function () { pending = null; mark(); }, 100);
    }
  }
  document.addEventListener("DOMContentLoaded", function () {
    var startup = window.MathJax && window.MathJax.startup;
    if (!startup || !startup.promise) return;  // a page without formulas
    startup.promise.then(mark);
    window.addEventListener("resize", later);
  });
})();
