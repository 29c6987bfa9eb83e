// The week grid on a phone: one day at a time, picked from a row of links. Without script each
// link loads the page for its day; with it, the day shows at once and the address follows.
(function () {
  "use strict";
  const picker = document.querySelector(".day-picker");
  const grid = document.querySelector(".week-grid");
  if (!picker || !grid) return;
  picker.addEventListener("click", function (event) {
    const link = event.target.closest("a[data-column]");
    if (!link || event.ctrlKey || event.metaKey || event.shiftKey) return;
    event.preventDefault();
    grid.dataset.column = link.dataset.column;
    picker.querySelectorAll("a[aria-current]").forEach(function (other) {
      other.removeAttribute("aria-current");
    });
    link.setAttribute("aria-current", "true");
    history.replaceState(null, "", link.href);
  });
})();
