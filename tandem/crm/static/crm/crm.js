// Customer pages: record pickers, bulk selection, saved filters, formsets with live totals,
// the follow-up form and the credit-code check.
(function () {
  "use strict";

  function number(value) {
    var n = parseFloat(String(value || "").replace(/,/g, ""));
    return isNaN(n) ? 0 : n;
  }

  function money(value) {
    return value.toLocaleString("en-US", { minimumFractionDigits: 2, maximumFractionDigits: 2 });
  }
  window.TandemCrm = { number: number, money: money };

  // --- record pickers: type, pick from the lookup, keep the id --------------------------------
  function initPicker(root) {
    if (root.dataset.pickerReady) { return; }
    root.dataset.pickerReady = "1";
    var hidden = root.querySelector("[data-picker-value]");
    var text = root.querySelector("[data-picker-text]");
    var menu = root.querySelector("[data-picker-menu]");
    var timer = null;
    var active = -1;

    function close() { menu.classList.remove("show"); active = -1; }

    function choose(item) {
      hidden.value = item.id;
      text.value = item.label;
      text.classList.remove("is-invalid");
      close();
      hidden.dispatchEvent(new Event("change", { bubbles: true }));
    }

    function render(results) {
      menu.textContent = "";
      results.forEach(function (item) {
        var button = document.createElement("button");
        button.type = "button";
        button.className = "dropdown-item";
        button.textContent = item.label;
        if (item.hint) {
          var hint = document.createElement("small");
          hint.className = "ms-2";
          hint.textContent = item.hint;
          button.appendChild(hint);
        }
        button.addEventListener("mousedown", function (event) { event.preventDefault(); choose(item); });
        menu.appendChild(button);
      });
      menu.classList.toggle("show", results.length > 0);
      active = -1;
    }

    function search() {
      var url = new URL(root.dataset.lookup, window.location.origin);
      url.searchParams.set("q", text.value.trim());
      var depends = text.dataset.pickerDepends && document.getElementById(text.dataset.pickerDepends);
      if (depends) {
        var other = depends.closest("[data-picker]").querySelector("[data-picker-value]");
        if (other.value) { url.searchParams.set("account", other.value); }
      }
      fetch(url, { headers: { Accept: "application/json" }, credentials: "same-origin" })
        .then(function (response) { return response.ok ? response.json() : { results: [] }; })
        .then(function (data) { if (document.activeElement === text) { render(data.results || []); } });
    }

    text.addEventListener("input", function () {
      hidden.value = "";
      clearTimeout(timer);
      timer = setTimeout(search, 200);
    });
    text.addEventListener("focus", search);
    text.addEventListener("blur", function () { setTimeout(close, 150); });
    text.addEventListener("keydown", function (event) {
      var items = menu.querySelectorAll(".dropdown-item");
      if (event.key === "ArrowDown" || event.key === "ArrowUp") {
        event.preventDefault();
        if (!items.length) { return; }
        active = (active + (event.key === "ArrowDown" ? 1 : items.length - 1)) % items.length;
        items.forEach(function (el, i) { el.classList.toggle("active", i === active); });
      } else if (event.key === "Enter" && active >= 0 && items[active]) {
        event.preventDefault();
        items[active].dispatchEvent(new MouseEvent("mousedown"));
      } else if (event.key === "Escape") {
        close();
      }
    });
  }

  // --- bulk selection on lists ----------------------------------------------------------------
  function updateBulk() {
    var bar = document.querySelector("[data-bulk-form]");
    if (!bar) { return; }
    var count = document.querySelectorAll("[data-bulk-row]:checked").length;
    bar.classList.toggle("d-none", count === 0);
    bar.querySelector("[data-bulk-count]").textContent = count;
    bar.querySelector("[data-bulk-next]").value = window.location.pathname + window.location.search;
  }

  document.addEventListener("change", function (event) {
    var target = event.target;
    if (target.matches("[data-bulk-all]")) {
      document.querySelectorAll("[data-bulk-row]").forEach(function (box) { box.checked = target.checked; });
    }
    if (target.matches("[data-bulk-row], [data-bulk-all]")) { updateBulk(); }
    if (target.matches("[data-activity-form] input[name=kind]")) { toggleTaskFields(target.form); }
    if (target.matches("[data-period-rule]")) { togglePeriodRule(target.closest("[data-period-row]")); }
  });

  document.addEventListener("submit", function (event) {
    var form = event.target;
    if (form.matches("[data-bulk-form]") && event.submitter && event.submitter.hasAttribute("data-bulk-delete")) {
      if (!window.confirm(form.dataset.confirmDelete)) { event.preventDefault(); }
    }
    if (form.matches("[data-save-filter]")) {
      form.querySelector("[data-current-query]").value = window.location.search.replace(/^\?/, "");
      form.querySelector("[data-current-next]").value = window.location.pathname + window.location.search;
    }
  });

  // --- the follow-up form: due date only for tasks --------------------------------------------
  function toggleTaskFields(form) {
    if (!form) { return; }
    var checked = form.querySelector("input[name=kind]:checked");
    var isTask = checked && checked.value === "task";
    form.querySelectorAll(".task-only").forEach(function (el) { el.classList.toggle("d-none", !isTask); });
  }

  // --- unified social credit code: the check character, as the user types ----------------------
  var USCC_CHARS = "0123456789ABCDEFGHJKLMNPQRTUWXY";
  var USCC_WEIGHTS = [1, 3, 9, 27, 19, 26, 16, 17, 20, 29, 25, 13, 8, 24, 10, 30, 28];

  function creditCodeValid(code) {
    if (!/^[0-9A-HJ-NPQRTUWXY]{18}$/.test(code)) { return false; }
    var sum = 0;
    for (var i = 0; i < 17; i++) { sum += USCC_CHARS.indexOf(code[i]) * USCC_WEIGHTS[i]; }
    var check = (31 - (sum % 31)) % 31;
    return USCC_CHARS[check] === code[17];
  }

  function checkCreditCode(input) {
    var code = input.value.replace(/[\s-]/g, "").toUpperCase();
    var feedback = input.parentElement.querySelector("[data-credit-feedback]");
    if (!feedback) {
      feedback = document.createElement("div");
      feedback.className = "invalid-feedback";
      feedback.setAttribute("data-credit-feedback", "");
      feedback.textContent = input.dataset.invalidMessage || "";
      input.insertAdjacentElement("afterend", feedback);
    }
    var ok = !code || creditCodeValid(code);
    input.classList.toggle("is-invalid", !ok && code.length >= 18);
    input.classList.toggle("is-valid", !!code && ok);
  }

  document.addEventListener("input", function (event) {
    var target = event.target;
    if (target.matches("[data-credit-code]")) { checkCreditCode(target); }
    if (target.closest("[data-formset='lines']") || target.matches("[data-deal-amount]")) { updateLines(); }
    if (target.closest("[data-plan]") || target.matches("[data-contract-amount]")) { updatePlan(); }
  });

  // --- formsets: add and remove rows ----------------------------------------------------------
  function initFormset(root) {
    if (root.dataset.formsetReady) { return; }
    root.dataset.formsetReady = "1";
    var prefix = root.dataset.formset;
    var total = document.getElementById("id_" + prefix + "-TOTAL_FORMS");
    var template = root.querySelector("template[data-formset-template]");
    var body = root.querySelector("[data-formset-body]");
    var add = root.querySelector("[data-formset-add]");
    if (add) {
      add.addEventListener("click", function () {
        var index = parseInt(total.value, 10);
        var html = template.innerHTML.replace(/__prefix__/g, String(index));
        body.insertAdjacentHTML("beforeend", html);
        total.value = index + 1;
        var row = body.lastElementChild;
        var first = row.querySelector("input:not([type=hidden]), select");
        if (first) { first.focus(); }
        if (row.matches("[data-period-row]")) { togglePeriodRule(row); }
        updateLines();
        updatePlan();
      });
    }
    root.addEventListener("click", function (event) {
      var remove = event.target.closest("[data-formset-remove]");
      if (!remove) { return; }
      var row = remove.closest("[data-formset-row]");
      var box = row.querySelector("input[name$='-DELETE']");
      if (box) { box.checked = true; }
      row.classList.add("d-none");
      updateLines();
      updatePlan();
    });
  }

  function visibleRows(root) {
    return Array.prototype.filter.call(root.querySelectorAll("[data-formset-row]"), function (row) {
      return !row.classList.contains("d-none");
    });
  }

  // --- deal line items: their total is the deal amount -----------------------------------------
  function updateLines() {
    var root = document.querySelector("[data-formset='lines']");
    if (!root) { return; }
    var total = 0;
    var any = false;
    visibleRows(root).forEach(function (row) {
      var product = row.querySelector("input[name$='-product']");
      var quantity = number(row.querySelector("[data-line-quantity]").value);
      var price = number(row.querySelector("[data-line-price]").value);
      var amount = Math.round(quantity * price * 100) / 100;
      row.querySelector("[data-line-amount]").textContent = money(amount);
      if (product && product.value.trim()) { any = true; }
      total += amount;
    });
    root.querySelector("[data-lines-total]").textContent = money(total);
    var amountInput = document.querySelector("[data-deal-amount]");
    if (amountInput) {
      amountInput.readOnly = any;
      if (any) { amountInput.value = total.toFixed(2); }
    }
  }

  // --- payment plan: periods must add up to the contract amount --------------------------------
  function togglePeriodRule(row) {
    if (!row) { return; }
    var rule = row.querySelector("[data-period-rule]").value;
    row.querySelectorAll("[data-rule-field]").forEach(function (el) {
      el.classList.toggle("d-none", el.dataset.ruleField !== rule);
    });
  }

  function updatePlan() {
    var root = document.querySelector("[data-plan]");
    if (!root) { return; }
    var contractAmount = number((document.querySelector("[data-contract-amount]") || {}).value);
    var sum = 0;
    var count = 0;
    visibleRows(root).forEach(function (row) {
      var percent = row.querySelector("[data-period-percent]").value;
      var amountInput = row.querySelector("[data-period-amount]");
      var fromPercent = percent !== "" ? Math.round(contractAmount * number(percent)) / 100 : null;
      amountInput.placeholder = fromPercent !== null ? money(fromPercent) : "";
      if (row.querySelector("[data-period-void]").checked) { return; }
      count += 1;
      sum += amountInput.value !== "" ? number(amountInput.value) : (fromPercent || 0);
    });
    var summary = root.querySelector("[data-plan-sum]");
    var diff = Math.round((contractAmount - sum) * 100) / 100;
    // Percent plans absorb the rounding in the last period (as the service does): a cent or two is fine.
    var ok = count === 0 || Math.abs(diff) <= 0.02 * count;
    summary.classList.toggle("is-ok", ok && count > 0);
    summary.classList.toggle("is-off", !ok);
    summary.querySelector("[data-plan-total]").textContent = money(sum);
    summary.querySelector("[data-plan-contract]").textContent = money(contractAmount);
    summary.querySelector("[data-plan-state]").textContent = ok
      ? (count ? summary.dataset.labelOk : "")
      : summary.dataset.labelOff + " " + money(diff);
  }

  function init(scope) {
    scope.querySelectorAll("[data-picker]").forEach(initPicker);
    scope.querySelectorAll("[data-formset]").forEach(initFormset);
    scope.querySelectorAll("[data-activity-form]").forEach(toggleTaskFields);
    scope.querySelectorAll("[data-period-row]").forEach(togglePeriodRule);
    scope.querySelectorAll("[data-credit-code]").forEach(function (input) { if (input.value) { checkCreditCode(input); } });
    updateLines();
    updatePlan();
    updateBulk();
  }

  document.addEventListener("DOMContentLoaded", function () {
    init(document);
  });
  document.addEventListener("htmx:afterSwap", function (event) { init(event.target); });
})();
