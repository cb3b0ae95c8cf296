// The account page's files, colleagues and owner transfer, through the generic record API
// (/api/v1/records/crm.account/<id>/attachments|shares|transfer/).
(function () {
  "use strict";

  function apiError(response) {
    return response.json().then(function (body) {
      var errors = body.errors ? Object.values(body.errors).flat().join(" ") : "";
      throw new Error([body.detail, errors].filter(Boolean).join(" "));
    }, function () { throw new Error(response.statusText); });
  }

  function api(url, options) {
    return window.Tandem.fetch(url, options).then(function (response) {
      if (!response.ok) { return apiError(response); }
      return response.status === 204 ? null : response.json();
    });
  }

  function cell(row, text, className) {
    var td = document.createElement("td");
    if (className) { td.className = className; }
    td.textContent = text;
    row.appendChild(td);
    return td;
  }

  function when(iso) {
    return iso ? iso.replace("T", " ").slice(0, 16) : "—";
  }

  function showError(el, message) {
    el.textContent = message;
    el.classList.toggle("d-none", !message);
  }

  function initRecordPanel(root) {
    var names = JSON.parse(document.getElementById(root.dataset.members).textContent);
    var attachments = root.querySelector("[data-attachments]");
    var shares = root.querySelector("[data-shares]");

    function loadAttachments() {
      if (!attachments) { return; }
      api(root.dataset.attachmentsUrl).then(function (rows) {
        var body = attachments.querySelector("tbody");
        body.textContent = "";
        rows.forEach(function (a) {
          var tr = document.createElement("tr");
          var name = cell(tr, "");
          var link = document.createElement("a");
          link.href = a.download_url;
          link.textContent = a.name;
          name.appendChild(link);
          cell(tr, (a.size / 1024).toFixed(1) + " KB", "text-nowrap text-secondary");
          cell(tr, names[a.uploaded_by] || "—", "text-nowrap");
          cell(tr, when(a.created_at), "text-nowrap text-secondary");
          body.appendChild(tr);
        });
        attachments.querySelector("[data-empty]").classList.toggle("d-none", rows.length > 0);
      }).catch(function (error) { showError(root.querySelector("[data-attachments-error]"), error.message); });
    }

    function loadShares() {
      if (!shares) { return; }
      api(root.dataset.sharesUrl).then(function (rows) {
        var body = shares.querySelector("tbody");
        body.textContent = "";
        rows.forEach(function (s) {
          var tr = document.createElement("tr");
          cell(tr, names[s.user] || "#" + s.user);
          cell(tr, s.level === "write" ? shares.dataset.labelWrite : shares.dataset.labelRead);
          cell(tr, s.expires_at ? when(s.expires_at) : "—", "text-secondary");
          body.appendChild(tr);
        });
        shares.querySelector("[data-empty]").classList.toggle("d-none", rows.length > 0);
      }).catch(function (error) { showError(root.querySelector("[data-shares-error]"), error.message); });
    }

    var upload = root.querySelector("[data-upload-form]");
    if (upload) {
      upload.addEventListener("submit", function (event) {
        event.preventDefault();
        var error = root.querySelector("[data-attachments-error]");
        showError(error, "");
        api(root.dataset.attachmentsUrl, { method: "POST", body: new FormData(upload) })
          .then(function () { upload.reset(); loadAttachments(); })
          .catch(function (err) { showError(error, err.message); });
      });
    }
    var share = root.querySelector("[data-share-form]");
    if (share) {
      share.addEventListener("submit", function (event) {
        event.preventDefault();
        var error = root.querySelector("[data-shares-error]");
        showError(error, "");
        var data = { user: parseInt(share.user.value, 10), level: share.level.value };
        if (share.expires_on.value) { data.expires_at = share.expires_on.value + "T23:59:59"; }
        api(root.dataset.sharesUrl, {
          method: "POST", headers: { "Content-Type": "application/json" }, body: JSON.stringify(data),
        }).then(function () { share.reset(); loadShares(); })
          .catch(function (err) { showError(error, err.message); });
      });
    }
    var transfer = document.querySelector("[data-transfer-form]");
    if (transfer) {
      transfer.addEventListener("submit", function (event) {
        event.preventDefault();
        var error = transfer.querySelector("[data-transfer-error]");
        showError(error, "");
        var data = { owner: parseInt(transfer.owner.value, 10), reason: transfer.reason.value };
        api(root.dataset.transferUrl, {
          method: "POST", headers: { "Content-Type": "application/json" }, body: JSON.stringify(data),
        }).then(function () { window.location.reload(); })
          .catch(function (err) { showError(error, err.message); });
      });
    }
    loadAttachments();
    loadShares();
  }

  document.addEventListener("DOMContentLoaded", function () {
    document.querySelectorAll("[data-record-panel]").forEach(initRecordPanel);
  });
})();
