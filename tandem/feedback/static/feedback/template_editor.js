// The survey template editor: an Alpine.js component keeping the extra questions (add, remove, reorder; kind,
// label, choices, required) in the hidden "questions" field, and refreshing the preview frame as the texts change.
// The initial questions and limits come from json_script blocks; every visible word comes from the page.
(function () {
  "use strict";

  function readJson(id) {
    var el = document.getElementById(id);
    return el ? JSON.parse(el.textContent) : null;
  }

  var nextId = 1;

  function toRow(q) {
    return {
      id: nextId++,
      key: q.key || "",
      kind: q.kind || "rating",
      label: q.label || "",
      choicesText: (q.choices || []).join("\n"),
      required: !!q.required
    };
  }

  document.addEventListener("alpine:init", function () {
    window.Alpine.data("templateEditor", function () {
      var meta = readJson("template-editor-meta") || { max: 5 };
      var initial = readJson("template-editor-questions") || [];
      return {
        max: meta.max,
        questions: initial.map(toRow),
        timer: null,
        init: function () {
          var self = this;
          this.$watch("questions", function () { self.refresh(); });
          this.$nextTick(function () { self.preview(); });
        },
        json: function () {
          return JSON.stringify(this.questions.map(function (q) {
            var row = { kind: q.kind, label: q.label.trim(), required: q.required, choices: [] };
            if (q.key) { row.key = q.key; }
            if (q.kind === "choice") {
              row.choices = q.choicesText.split("\n").map(function (c) { return c.trim(); }).filter(Boolean);
            }
            return row;
          }));
        },
        add: function () {
          if (this.questions.length < this.max) {
            this.questions.push(toRow({ kind: "rating" }));
          }
        },
        remove: function (index) { this.questions.splice(index, 1); },
        move: function (index, step) {
          var to = index + step;
          if (to < 0 || to >= this.questions.length) { return; }
          var row = this.questions.splice(index, 1)[0];
          this.questions.splice(to, 0, row);
        },
        refresh: function () {
          var self = this;
          clearTimeout(this.timer);
          this.timer = setTimeout(function () { self.preview(); }, 600);
        },
        preview: function () {
          var button = this.$refs.previewButton;
          if (!button) { return; }
          this.$refs.questionsField.value = this.json();
          var form = button.form;
          if (form.requestSubmit) { form.requestSubmit(button); } else { button.click(); }
        }
      };
    });
  });
})();
