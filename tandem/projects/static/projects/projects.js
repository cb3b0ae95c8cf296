/* Project pages: show refused HTMX requests, save an edited task row with Enter, print buttons, panels that a
   choice opens (the reason asked for when a project with open tasks is set to completed), the deal picker that
   follows the customer picker. */
(function () {
  "use strict";
  var alertBox = document.getElementById("page-alert");

  document.addEventListener("htmx:responseError", function (event) {
    if (!alertBox) { return; }
    var text = event.detail.xhr.responseText || "";
    alertBox.textContent = text.length < 500 && text.indexOf("<") < 0 ? text : alertBox.dataset.fallback || text.slice(0, 200);
    alertBox.classList.remove("d-none");
  });
  document.addEventListener("htmx:afterSwap", function () {
    if (alertBox) { alertBox.classList.add("d-none"); }
  });

  document.addEventListener("keydown", function (event) {
    var row = event.target.closest && event.target.closest("tr.task-editing");
    if (!row) { return; }
    if (event.key === "Enter") {
      event.preventDefault();
      row.querySelector("[hx-post]").click();
    } else if (event.key === "Escape") {
      row.querySelector("[hx-get]").click();
    }
  });

  document.querySelectorAll("[data-shown-by]").forEach(function (panel) {
    var control = document.getElementById(panel.dataset.shownBy);
    if (!control) { return; }
    control.addEventListener("change", function () {
      panel.classList.toggle("d-none", control.value !== panel.dataset.shownValue);
    });
  });

  // A record picker that depends on another (the deal on the customer) is emptied when the other changes.
  document.querySelectorAll("[data-picker-depends]").forEach(function (text) {
    var other = document.getElementById(text.dataset.pickerDepends);
    var source = other && other.closest("[data-picker]");
    var root = text.closest("[data-picker]");
    if (!source || !root) { return; }
    source.addEventListener("change", function () {
      root.querySelector("[data-picker-value]").value = "";
      text.value = "";
    });
  });

  document.querySelectorAll("[data-print]").forEach(function (button) {
    button.addEventListener("click", function () { window.print(); });
  });
})();
