// The deal kanban: drag a card to another stage column; the server moves the deal through the deal
// services. Dropping on the lost stage asks for the reason first; a refused move snaps back.
(function () {
  "use strict";

  var board = document.querySelector("[data-kanban]");
  if (!board || !window.Sortable) { return; }
  var toastEl = document.getElementById("board-toast");
  var lostModalEl = document.getElementById("lost-modal");
  var lostModal = lostModalEl ? new bootstrap.Modal(lostModalEl) : null;
  var lostForm = lostModalEl ? lostModalEl.querySelector("[data-lost-form]") : null;
  var pendingLost = null;

  function toast(message, ok) {
    if (!toastEl) { return; }
    toastEl.classList.toggle("text-bg-success", ok);
    toastEl.classList.toggle("text-bg-danger", !ok);
    toastEl.querySelector("[data-toast-body]").textContent = message;
    bootstrap.Toast.getOrCreateInstance(toastEl, { delay: ok ? 2500 : 5000 }).show();
  }

  function snapBack(item, from, oldIndex) {
    var reference = from.children[oldIndex] || null;
    from.insertBefore(item, reference);
  }

  function column(stageId) {
    return board.querySelector(".kanban-column[data-stage='" + stageId + "']");
  }

  function applyColumns(columns) {
    Object.keys(columns || {}).forEach(function (stageId) {
      var col = column(stageId);
      if (!col) { return; }
      col.querySelector("[data-stage-count]").textContent = columns[stageId].count;
      col.querySelector("[data-stage-total]").textContent = columns[stageId].total;
    });
  }

  function move(item, from, oldIndex, stageId, reason) {
    var body = new URLSearchParams();
    body.set("stage", stageId);
    body.set("reason", reason || "");
    body.set("board", board.dataset.boardQuery || "");
    item.classList.add("is-saving");
    fetch(item.dataset.moveUrl, {
      method: "POST",
      credentials: "same-origin",
      headers: {
        Accept: "application/json",
        "Content-Type": "application/x-www-form-urlencoded",
        "X-CSRFToken": window.TandemCrm.csrfToken(),
      },
      body: body.toString(),
    }).then(function (response) {
      return response.json().catch(function () { return { ok: false, message: board.dataset.refused }; });
    }).then(function (data) {
      item.classList.remove("is-saving");
      if (!data.ok) {
        snapBack(item, from, oldIndex);
        toast(data.message || board.dataset.refused, false);
        return;
      }
      var holder = document.createElement("div");
      holder.innerHTML = data.card.trim();
      var card = holder.firstElementChild;
      item.replaceWith(card);
      applyColumns(data.columns);
      toast(data.message, true);
    }).catch(function () {
      item.classList.remove("is-saving");
      snapBack(item, from, oldIndex);
      toast(board.dataset.refused, false);
    });
  }

  function onEnd(event) {
    if (event.from === event.to) { return; }
    var item = event.item;
    var target = event.to.closest(".kanban-column");
    var stageId = target.dataset.stage;
    if (target.dataset.stageLost && lostModal) {
      pendingLost = { item: item, from: event.from, oldIndex: event.oldIndex, stageId: stageId, done: false };
      lostForm.reset();
      lostForm.querySelector("textarea").classList.remove("is-invalid");
      lostModalEl.querySelector("[data-lost-deal]").textContent = item.dataset.name || "";
      lostModal.show();
      return;
    }
    move(item, event.from, event.oldIndex, stageId, "");
  }

  if (lostForm) {
    lostForm.addEventListener("submit", function (event) {
      event.preventDefault();
      var reason = lostForm.querySelector("textarea");
      if (!reason.value.trim()) { reason.classList.add("is-invalid"); reason.focus(); return; }
      if (!pendingLost) { return; }
      pendingLost.done = true;
      var job = pendingLost;
      lostModal.hide();
      move(job.item, job.from, job.oldIndex, job.stageId, reason.value.trim());
    });
    lostModalEl.addEventListener("shown.bs.modal", function () { lostForm.querySelector("textarea").focus(); });
    lostModalEl.addEventListener("hidden.bs.modal", function () {
      // Cancelled: the card goes back where it came from.
      if (pendingLost && !pendingLost.done) { snapBack(pendingLost.item, pendingLost.from, pendingLost.oldIndex); }
      pendingLost = null;
    });
  }

  if (board.dataset.canMove) {
    board.querySelectorAll("[data-stage-cards]").forEach(function (list) {
      window.Sortable.create(list, {
        group: "deals",
        animation: 150,
        forceFallback: true,
        fallbackTolerance: 4,
        delay: 180,
        delayOnTouchOnly: true,
        draggable: ".deal-card",
        ghostClass: "sortable-ghost",
        chosenClass: "sortable-chosen",
        dragClass: "sortable-drag",
        onEnd: onEnd,
      });
    });
  }
})();
