// The comment box: an @ menu of the tenant's members (arrows, Enter or Tab to pick, Esc to close; tap on a
// phone), the names of the chosen files, and tidying the thread after a comment lands in it.
(function () {
  "use strict";
  if (window.TandemComments) { return; }  // a page with two comment boxes loads the script twice
  window.TandemComments = true;
  var menu = null;
  var state = { area: null, start: -1, items: [], active: 0, timer: null, seq: 0 };

  function mentionQuery(area) {
    // The text between an @ (at the start or after a space or punctuation) and the caret, with no space inside.
    var before = area.value.slice(0, area.selectionStart);
    var match = /(^|[^A-Za-z0-9._%+\-])@([^\s@]{0,30})$/.exec(before);
    if (!match) { return null; }
    return { start: before.length - match[2].length - 1, text: match[2] };
  }

  function close() {
    if (menu) { menu.remove(); menu = null; }
    if (state.area) { state.area.removeAttribute("aria-activedescendant"); state.area.setAttribute("aria-expanded", "false"); }
    state.items = [];
    state.start = -1;
  }

  function render() {
    if (!state.items.length) { close(); return; }
    if (!menu) {
      menu = document.createElement("ul");
      menu.className = "mention-menu list-group shadow-sm";
      menu.id = "mention-menu";
      menu.setAttribute("role", "listbox");
      state.area.parentNode.appendChild(menu);
      state.area.setAttribute("aria-controls", "mention-menu");
      state.area.setAttribute("aria-expanded", "true");
    }
    menu.textContent = "";
    state.items.forEach(function (item, index) {
      var li = document.createElement("li");
      li.className = "list-group-item list-group-item-action mention-option" + (index === state.active ? " active" : "");
      li.id = "mention-option-" + index;
      li.setAttribute("role", "option");
      li.setAttribute("aria-selected", index === state.active ? "true" : "false");
      li.dataset.index = String(index);
      var name = document.createElement("span");
      name.textContent = item.name;
      li.appendChild(name);
      if (item.username && item.username !== item.name) {
        var user = document.createElement("span");
        user.className = "small text-secondary ms-2";
        user.textContent = item.username;
        li.appendChild(user);
      }
      menu.appendChild(li);
    });
    state.area.setAttribute("aria-activedescendant", "mention-option-" + state.active);
  }

  function pick(index) {
    var item = state.items[index];
    var area = state.area;
    if (!item || !area) { return; }
    var end = area.selectionStart;
    var inserted = "@" + item.name + " ";
    area.value = area.value.slice(0, state.start) + inserted + area.value.slice(end);
    var caret = state.start + inserted.length;
    close();
    area.focus();
    area.setSelectionRange(caret, caret);
  }

  function suggest(area) {
    var query = mentionQuery(area);
    if (!query) { close(); return; }
    state.area = area;
    state.start = query.start;
    var seq = ++state.seq;
    clearTimeout(state.timer);
    state.timer = setTimeout(function () {
      var url = area.dataset.mentionUrl + "?q=" + encodeURIComponent(query.text);
      window.Tandem.fetch(url).then(function (response) { return response.ok ? response.json() : { results: [] }; })
        .then(function (data) {
          if (seq !== state.seq) { return; }  // an answer to an older keystroke
          state.items = data.results || [];
          state.active = 0;
          render();
        });
    }, 120);
  }

  document.addEventListener("input", function (event) {
    if (event.target.matches("textarea[data-mention-url]")) { suggest(event.target); }
  });

  document.addEventListener("keydown", function (event) {
    if (!menu || event.target !== state.area) { return; }
    if (event.key === "ArrowDown" || event.key === "ArrowUp") {
      var step = event.key === "ArrowDown" ? 1 : -1;
      state.active = (state.active + step + state.items.length) % state.items.length;
      render();
      event.preventDefault();
    } else if (event.key === "Enter" || event.key === "Tab") {
      pick(state.active);
      event.preventDefault();
    } else if (event.key === "Escape") {
      close();
      event.preventDefault();
    }
  });

  // mousedown, not click: the textarea keeps its focus and caret.
  document.addEventListener("mousedown", function (event) {
    var option = event.target.closest && event.target.closest(".mention-option");
    if (option) { pick(Number(option.dataset.index)); event.preventDefault(); }
    else if (menu && !menu.contains(event.target)) { close(); }
  });

  document.addEventListener("change", function (event) {
    if (!event.target.matches(".comment-files-input")) { return; }
    var names = Array.prototype.map.call(event.target.files, function (file) { return file.name; });
    var label = event.target.form.querySelector(".comment-files-chosen");
    if (label) { label.textContent = names.join(", "); }
  });

  document.addEventListener("htmx:afterSwap", function (event) {
    var thread = event.detail.target;
    if (thread && thread.matches("ul.timeline")) {
      thread.querySelectorAll("[data-timeline-empty]").forEach(function (row) { row.remove(); });
    }
  });
})();
