// The shell's helpers for the page scripts: the CSRF token (the page's <meta name=csrf-token>) and fetch with it.
window.Tandem = {
  csrfToken: function () {
    var meta = document.querySelector("meta[name=csrf-token]");
    return meta ? meta.content : "";
  },
  // fetch() as the views expect it: same-origin cookies, the CSRF header, JSON wanted unless the caller says
  // otherwise (options.headers win).
  fetch: function (url, options) {
    options = Object.assign({ credentials: "same-origin" }, options || {});
    options.headers = Object.assign({ Accept: "application/json", "X-CSRFToken": window.Tandem.csrfToken() }, options.headers || {});
    return window.fetch(url, options);
  }
};
// Send the CSRF token with every HTMX request.
document.addEventListener("htmx:configRequest", function (event) {
  var token = window.Tandem.csrfToken();
  if (token) { event.detail.headers["X-CSRFToken"] = token; }
});
document.addEventListener("DOMContentLoaded", function () {
  var toggle = document.getElementById("sidebar-toggle");
  var sidebar = document.getElementById("sidebar");
  if (toggle && sidebar) {
    toggle.addEventListener("click", function (event) {
      event.stopPropagation();
      sidebar.classList.toggle("open");
    });
    // On a phone the open menu closes when you tap anywhere outside it.
    document.addEventListener("click", function (event) {
      if (sidebar.classList.contains("open") && !sidebar.contains(event.target)) {
        sidebar.classList.remove("open");
      }
    });
  }
  document.querySelectorAll("[data-autosubmit]").forEach(function (el) {
    el.addEventListener("change", function () { el.form.submit(); });
  });
  document.querySelectorAll("[data-confirm]").forEach(function (el) {
    el.addEventListener("submit", function (e) { if (!window.confirm(el.dataset.confirm)) { e.preventDefault(); } });
  });
  // A copy button's clipboard icon turns into a check mark once copied; without the clipboard API (a page
  // served over plain http) or when it is refused, the text is left selected for Ctrl+C.
  document.querySelectorAll("[data-copy]").forEach(function (el) {
    el.addEventListener("click", function () {
      var target = document.getElementById(el.dataset.copy);
      if (!target) { return; }
      var select = function () { if (target.select) { target.select(); } };
      if (!navigator.clipboard) { select(); return; }
      navigator.clipboard.writeText(target.value || target.textContent).then(function () {
        var icon = el.querySelector(".bi-clipboard");
        if (!icon) { return; }
        icon.classList.replace("bi-clipboard", "bi-clipboard-check");
        setTimeout(function () { icon.classList.replace("bi-clipboard-check", "bi-clipboard"); }, 1500);
      }, select);
    });
  });
});
// Links that act on the list as filtered (exports): once the filters have reloaded the rows and pushed the new
// address, they carry its query too, so an export gives what the list shows. `data-list-link` holds the extra
// parameters of the link (e.g. "fmt=xlsx").
document.addEventListener("htmx:pushedIntoHistory", function () {
  var query = window.location.search.replace(/^\?/, "");
  document.querySelectorAll("[data-list-link]").forEach(function (link) {
    var extra = link.dataset.listLink;
    var parts = [query, extra].filter(function (part) { return part; });
    link.href = link.href.split("?")[0] + (parts.length ? "?" + parts.join("&") : "");
  });
});
