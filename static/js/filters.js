// Filters of a list on a phone: folded behind « Filtrer » (a disclosure button). The state is
// kept on the form, outside the results that htmx replaces, so a filter change leaves it open.
// Without script the button stays hidden and the filters show in full.
(function () {
  "use strict";
  const button = document.querySelector(".filters-toggle");
  const form = button && button.closest("form");
  if (!form) return;
  document.documentElement.classList.add("has-filters-toggle");
  button.hidden = false;
  button.addEventListener("click", function () {
    const open = button.getAttribute("aria-expanded") !== "true";
    button.setAttribute("aria-expanded", String(open));
    form.classList.toggle("filters-open", open);
  });
})();
