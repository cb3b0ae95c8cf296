/* Kanban: drag a card to another column; the server sets progress and actual dates, reschedules, and
 * sends the card back as it now is. A refused move puts the card back where it came from. */
(function () {
  "use strict";
  var board = document.getElementById("kanban");
  if (!board || !window.Sortable) { return; }
  var editable = board.dataset.editable === "1";
  var csrf = (document.querySelector("meta[name=csrf-token]") || {}).content || "";
  var message = document.getElementById("kanban-message");

  function say(kind, text) {
    message.className = "alert alert-" + kind + " small py-2";
    message.textContent = text;
  }

  function recount() {
    board.querySelectorAll(".kanban-column").forEach(function (column) {
      column.querySelector(".kanban-count").textContent = column.querySelectorAll(".kanban-card").length;
    });
  }

  function moveUrl(taskId) { return board.dataset.moveUrl.replace("/0/move/", "/" + taskId + "/move/"); }

  board.querySelectorAll(".kanban-cards").forEach(function (list) {
    window.Sortable.create(list, {
      group: "kanban",
      animation: 150,
      disabled: !editable,
      delay: 150,
      delayOnTouchOnly: true,
      onEnd: function (event) {
        if (event.from === event.to) { return; }
        var card = event.item;
        card.classList.add("is-saving");
        var body = new URLSearchParams({ status: event.to.dataset.status });
        fetch(moveUrl(card.dataset.task), {
          method: "POST",
          credentials: "same-origin",
          headers: { "X-CSRFToken": csrf, "Accept": "application/json" },
          body: body
        }).then(function (response) {
          return response.json().then(function (data) { return { ok: response.ok, data: data }; });
        }).then(function (result) {
          if (!result.ok) { throw new Error(result.data.message); }
          var holder = document.createElement("div");
          holder.innerHTML = result.data.card;
          card.replaceWith(holder.firstElementChild);
          say("success", result.data.message);
          recount();
        }).catch(function (error) {
          card.classList.remove("is-saving");
          event.from.insertBefore(card, event.from.children[event.oldIndex] || null);
          say("danger", error.message || board.dataset.error || "");
          recount();
        });
      }
    });
  });
})();
