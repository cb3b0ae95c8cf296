/* The lines of a change order or commitment form: "add a line" clones the empty row (its __prefix__ becomes the
   next index and the management form's TOTAL_FORMS follows), "remove" ticks the row's DELETE box and hides it.
   Without this script the rows still work: the DELETE boxes stay visible and saving gives more empty rows. */
(function () {
  "use strict";

  function setUp(root) {
    if (root.dataset.linesReady) { return; }
    root.dataset.linesReady = "1";
    var prefix = root.dataset.lineFormset;
    var total = document.getElementById("id_" + prefix + "-TOTAL_FORMS");
    var max = document.getElementById("id_" + prefix + "-MAX_NUM_FORMS");
    var template = root.querySelector("template[data-line-template]");
    var body = root.querySelector("[data-line-body]");
    var add = root.querySelector("[data-line-add]");
    if (!total || !template || !body) { return; }
    root.classList.add("lines-js");

    function visibleRows() {
      return body.querySelectorAll("[data-line-row]:not(.d-none)").length;
    }

    if (add) {
      add.classList.remove("d-none");
      add.addEventListener("click", function () {
        var index = parseInt(total.value, 10);
        if (max && index >= parseInt(max.value, 10)) { return; }
        body.insertAdjacentHTML("beforeend", template.innerHTML.replace(/__prefix__/g, String(index)));
        total.value = String(index + 1);
        var row = body.lastElementChild;
        row.dataset.row = String(index);
        var first = row.querySelector("select, input:not([type=hidden]):not([type=checkbox])");
        if (first) { first.focus(); }
      });
    }

    root.addEventListener("click", function (event) {
      var remove = event.target.closest("[data-line-remove]");
      if (!remove || !root.contains(remove)) { return; }
      var row = remove.closest("[data-line-row]");
      var box = row.querySelector("input[name$='-DELETE']");
      if (box) { box.checked = true; }
      row.classList.add("d-none");
      if (add && visibleRows() === 0) { add.focus(); }
    });
  }

  function init() {
    document.querySelectorAll("[data-line-formset]").forEach(setUp);
  }

  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", init);
  } else {
    init();
  }
  document.addEventListener("htmx:afterSettle", init);
})();
