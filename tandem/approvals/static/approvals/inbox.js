// My approvals: "select all" ticks every card's checkbox of the bulk form, also on rows HTMX loaded later.
(function () {
  "use strict";
  document.addEventListener("change", function (event) {
    var all = event.target.closest("[data-check-all]");
    if (!all) { return; }
    document.querySelectorAll("input[name='" + all.dataset.checkAll + "'][form='bulk-form']").forEach(function (box) {
      box.checked = all.checked;
    });
  });
})();
