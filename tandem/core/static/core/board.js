/* A kanban board (the deal pipeline, a project's tasks by status), driven by data attributes:
 *
 *   [data-board]                  the board; data-board-field: the field the column value is posted as;
 *                                 data-board-params: more fields to post (url-encoded); data-editable="1" lets
 *                                 cards move; data-board-feedback: the id of the message element (a Bootstrap
 *                                 .toast, or an inline .alert); data-board-refused: said when the server gives
 *                                 no message of its own (or cannot be reached)
 *   [data-board-column="value"]   a column; data-board-dialog: the id of a Bootstrap modal whose form must be
 *                                 filled before a card lands here (its fields are posted with the move)
 *   [data-board-cards]            the column's list of cards; [data-board-count], [data-board-total] its figures
 *   [data-move-url]               a card, POSTed to when it is dropped in another column; data-name names it
 *                                 in the dialog ([data-board-card-name])
 *
 * A dropped card stays where it was dropped while the server decides. Accepted: the server's redrawn card
 * replaces it, the column figures follow (the server's "columns", else the cards are counted) and its message
 * is shown. Refused (a 4xx with a message, problem details or field errors, or an HTML answer): the card goes
 * back where it came from and the server's message is shown.
 */
(function () {
  "use strict";

  var board = document.querySelector("[data-board]");
  if (!board || !window.Sortable) { return; }
  var feedback = document.getElementById(board.dataset.boardFeedback);
  var refused = board.dataset.boardRefused || "";

  function say(message, ok) {
    if (!feedback) { return; }
    if (feedback.classList.contains("toast")) {
      feedback.classList.toggle("text-bg-success", ok);
      feedback.classList.toggle("text-bg-danger", !ok);
      (feedback.querySelector(".toast-body") || feedback).textContent = message;
      window.bootstrap.Toast.getOrCreateInstance(feedback, { delay: ok ? 2500 : 5000 }).show();
      return;
    }
    var rest = feedback.className.split(/\s+/).filter(function (name) {
      return name && name !== "alert" && name !== "d-none" && name.indexOf("alert-") !== 0;
    });
    feedback.className = ["alert", ok ? "alert-success" : "alert-danger"].concat(rest).join(" ");
    feedback.setAttribute("role", ok ? "status" : "alert");
    feedback.textContent = message;
  }

  function column(value) {
    return Array.prototype.find.call(board.querySelectorAll("[data-board-column]"), function (col) {
      return col.dataset.boardColumn === value;
    });
  }

  function setText(col, selector, text) {
    var el = col && col.querySelector(selector);
    if (el && text !== undefined) { el.textContent = text; }
  }

  function figures(columns) {
    if (columns) {
      Object.keys(columns).forEach(function (value) {
        setText(column(value), "[data-board-count]", columns[value].count);
        setText(column(value), "[data-board-total]", columns[value].total);
      });
      return;
    }
    board.querySelectorAll("[data-board-column]").forEach(function (col) {
      setText(col, "[data-board-count]", String(col.querySelectorAll("[data-board-cards] [data-move-url]").length));
    });
  }

  // The server's answer: accepted with its data, or refused with its words (its message, problem details or
  // field errors; an HTML answer's alert or heading).
  function answer(response, text) {
    var type = response.headers.get("Content-Type") || "";
    if (type.indexOf("json") >= 0) {
      var body = null;
      try { body = JSON.parse(text); } catch (e) { return { ok: false, message: refused }; }
      if (response.ok && body.ok !== false) { return { ok: true, data: body }; }
      var errors = Object.keys(body.errors || {}).map(function (field) { return [].concat(body.errors[field]).join(" "); });
      return { ok: false, message: body.message || body.detail || body.title || errors.join(" ") || refused };
    }
    if (type.indexOf("html") >= 0) {
      var heading = new DOMParser().parseFromString(text, "text/html").querySelector(".alert, h1");
      return { ok: false, message: (heading && heading.textContent.trim()) || refused };
    }
    return { ok: false, message: refused };
  }

  function back(move) {
    move.card.classList.remove("is-saving");
    move.from.insertBefore(move.card, move.from.children[move.oldIndex] || null);
  }

  function accepted(move, data) {
    if (data.card) {
      var holder = document.createElement("div");
      holder.innerHTML = data.card.trim();
      move.card.replaceWith(holder.firstElementChild);
    } else {
      move.card.classList.remove("is-saving");
    }
    figures(data.columns);
    say(data.message || "", true);
  }

  function send(move, extra) {
    var body = new URLSearchParams(board.dataset.boardParams || "");
    body.set(board.dataset.boardField, move.value);
    (extra || []).forEach(function (pair) { body.set(pair[0], pair[1]); });
    move.card.classList.add("is-saving");
    window.Tandem.fetch(move.card.dataset.moveUrl, { method: "POST", body: body }).then(function (response) {
      return response.text().then(function (text) { return answer(response, text); });
    }).catch(function () {
      return { ok: false, message: refused };
    }).then(function (result) {
      if (result.ok) { accepted(move, result.data); return; }
      back(move);
      say(result.message, false);
    });
  }

  // --- a column that asks first: its dialog's form, filled in, goes with the move; closing it puts the card back.
  function ask(move, modalEl) {
    var form = modalEl.querySelector("form");
    var modal = window.bootstrap.Modal.getOrCreateInstance(modalEl);
    var state = { move: move, sent: false };
    modalEl.boardMove = state;
    form.reset();
    form.querySelectorAll(".is-invalid").forEach(function (field) { field.classList.remove("is-invalid"); });
    modalEl.querySelectorAll("[data-board-card-name]").forEach(function (el) { el.textContent = move.card.dataset.name || ""; });
    modal.show();
  }

  function initDialog(modalEl) {
    var form = modalEl.querySelector("form");
    var modal = window.bootstrap.Modal.getOrCreateInstance(modalEl);
    form.addEventListener("submit", function (event) {
      event.preventDefault();
      var state = modalEl.boardMove;
      var missing = Array.prototype.find.call(form.querySelectorAll("[required]"), function (field) {
        return !field.value.trim();
      });
      if (missing) { missing.classList.add("is-invalid"); missing.focus(); return; }
      if (!state) { return; }
      state.sent = true;
      var extra = [];
      new FormData(form).forEach(function (value, name) { extra.push([name, String(value).trim()]); });
      modal.hide();
      send(state.move, extra);
    });
    modalEl.addEventListener("shown.bs.modal", function () {
      var first = form.querySelector("[required], textarea, input:not([type=hidden]), select");
      if (first) { first.focus(); }
    });
    modalEl.addEventListener("hidden.bs.modal", function () {
      var state = modalEl.boardMove;
      if (state && !state.sent) { back(state.move); }
      modalEl.boardMove = null;
    });
  }

  function onEnd(event) {
    if (event.from === event.to) { return; }
    var target = event.to.closest("[data-board-column]");
    var move = { card: event.item, from: event.from, oldIndex: event.oldIndex, value: target.dataset.boardColumn };
    var modalEl = target.dataset.boardDialog && document.getElementById(target.dataset.boardDialog);
    if (modalEl) { ask(move, modalEl); } else { send(move); }
  }

  if (board.dataset.editable !== "1") { return; }
  var dialogs = {};
  board.querySelectorAll("[data-board-column][data-board-dialog]").forEach(function (col) {
    var modalEl = document.getElementById(col.dataset.boardDialog);
    if (modalEl && !dialogs[modalEl.id]) { dialogs[modalEl.id] = true; initDialog(modalEl); }
  });
  board.querySelectorAll("[data-board-cards]").forEach(function (list) {
    window.Sortable.create(list, {
      group: "board",
      animation: 150,
      forceFallback: true,
      fallbackTolerance: 4,
      delay: 180,
      delayOnTouchOnly: true,
      draggable: "[data-move-url]",
      onEnd: onEnd
    });
  });
})();
