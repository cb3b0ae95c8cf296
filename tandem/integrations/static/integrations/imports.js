// Import wizard: warn before a field is chosen for two columns (the server refuses it too).
document.addEventListener("DOMContentLoaded", function () {
  var form = document.getElementById("mapping-form");
  if (!form) { return; }
  var warning = document.getElementById("mapping-duplicates");
  var selects = form.querySelectorAll("select");
  function check() {
    var seen = {};
    var duplicate = false;
    selects.forEach(function (select) { select.classList.remove("is-invalid"); });
    selects.forEach(function (select) {
      if (!select.value) { return; }
      if (seen[select.value]) {
        duplicate = true;
        select.classList.add("is-invalid");
        seen[select.value].classList.add("is-invalid");
      } else {
        seen[select.value] = select;
      }
    });
    if (warning) { warning.hidden = !duplicate; }
    form.querySelector("button[type=submit]").disabled = duplicate;
  }
  selects.forEach(function (select) { select.addEventListener("change", check); });
  check();
});
