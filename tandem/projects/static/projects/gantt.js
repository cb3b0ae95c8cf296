/* The Gantt tab: loads the schedule, turns drags and forms into REST API calls, and redraws from the
 * server's rescheduled dates. Moving a bar sets a "start no earlier than" constraint (as Microsoft
 * Project does); resizing sets the duration in working days; every change is refused whole or applied
 * whole, so after an error the chart simply redraws what the server still has. Every edit can be undone
 * (the toast's button, Ctrl+Z / ⌘Z) and redone (Ctrl+Shift+Z, Ctrl+Y).
 */
(function () {
  "use strict";

  var configEl = document.getElementById("gantt-config");
  var root = document.getElementById("gantt");
  if (!configEl || !root) { return; }
  var config = JSON.parse(configEl.textContent);
  var S = config.strings;
  var fmt = window.TandemGantt.format;
  var message = document.getElementById("gantt-message");
  var data = null;
  var baseline = config.baseline;
  var busy = false;

  var chart = new window.TandemGantt(root, {
    strings: S,
    lang: document.documentElement.lang || "zh-Hans",
    zoom: readZoom(),
    editable: config.can.change_task,
    linkable: config.can.add_dependency,
    onMove: moveTask,
    onResize: resizeTask,
    onLink: function (from, to) { addLink({ predecessor: from.id, successor: to.id, type: "FS", lag: 0 }); },
    onLocked: function (t) { say("warning", t.summary ? S.summary_locked : fmt(S.started_locked, { task: t.name })); },
    onSelect: showDetails
  });

  function readZoom() {
    try { return window.localStorage.getItem("tandem.gantt.zoom") || "day"; } catch (e) { return "day"; }
  }

  function say(kind, text) {
    message.className = "alert alert-" + kind + " py-2 small";
    message.textContent = text;
    if (kind === "danger") { message.setAttribute("role", "alert"); } else { message.setAttribute("role", "status"); }
  }

  function problemText(body) {
    if (!body || typeof body !== "object") { return S.network_error; }
    var parts = [body.detail || body.title || S.error];
    Object.keys(body.errors || {}).forEach(function (field) {
      (Array.isArray(body.errors[field]) ? body.errors[field] : [body.errors[field]]).forEach(function (m) {
        if (m && parts.indexOf(m) < 0) { parts.push(m); }
      });
    });
    return parts.join(" ") + " " + S.error;
  }

  function api(method, url, body) {
    return window.Tandem.fetch(url, {
      method: method,
      headers: { "Content-Type": "application/json" },
      body: body === undefined ? undefined : JSON.stringify(body)
    }).then(function (response) {
      if (response.status === 204) { return { ok: true, data: null }; }
      return response.json().then(function (json) { return { ok: response.ok, data: json }; }, function () {
        return { ok: response.ok, data: null };
      });
    }, function () { return { ok: false, data: null }; });
  }

  function dataUrl() { return config.dataUrl + "?baseline=" + encodeURIComponent(baseline); }

  function load() {
    return fetch(dataUrl(), { credentials: "same-origin", headers: { "Accept": "application/json" } })
      .then(function (r) { return r.json(); })
      .then(function (fresh) {
        var before = data;
        data = fresh;
        chart.setData(fresh);
        fillSelects();
        root.dataset.loaded = String(Date.now());
        return { before: before, after: fresh };
      });
  }

  /* Send one change (`send` makes the request), then redraw, tell what moved and flash the bars that moved.
   * One change at a time: a second drag while the first is saving is undone by the redraw. Resolves with the
   * request's result, or null when nothing was sent or the server could not be reached. */
  function change(send, doneText, edited) {
    if (busy) {
      chart.render();
      return Promise.resolve(null);
    }
    busy = true;
    root.classList.add("is-busy");
    say("info", S.saving);
    return send().then(function (result) {
      if (!result.ok) {
        say("danger", problemText(result.data));
        return load().then(function () { return result; });
      }
      return load().then(function (pair) {
        var old = {}, moved = [];
        (pair.before ? pair.before.tasks : []).forEach(function (t) { old[t.id] = t; });
        pair.after.tasks.forEach(function (t) {
          var o = old[t.id];
          if (o && (o.start !== t.start || o.finish !== t.finish) && t.id !== edited) { moved.push(t.id); }
        });
        chart.flash(moved);
        var text = typeof doneText === "function" ? doneText(pair.after) : doneText;
        var summary = moved.length ? fmt(S.moved, { n: moved.length, finish: pair.after.project.finish || "—" }) : S.moved_none;
        var finishBefore = pair.before && pair.before.project.finish;
        if (finishBefore && finishBefore !== pair.after.project.finish) {
          summary += " " + fmt(S.finish_changed, { old: finishBefore, new: pair.after.project.finish || "—" });
        }
        say("success", (text ? text + " " : "") + summary);
        return result;
      });
    }).then(function (result) {
      busy = false;
      root.classList.remove("is-busy");
      return result;
    }, function () {
      busy = false;
      root.classList.remove("is-busy");
      say("danger", S.network_error);
      return null;
    });
  }

  function taskUrl(id) { return config.taskUrl + id + "/"; }
  function linkUrl(id) { return config.linkUrl + id + "/"; }

  function nameOf(id) {
    var t = data && data.tasks.filter(function (x) { return x.id === id; })[0];
    return t ? t.wbs + " " + t.name : String(id);
  }

  /* --- undo and redo ----------------------------------------------------------------------------
   * Each edit is kept with the calls that take it back and make it again, through the same API as the edit
   * (so they are checked, audited and rescheduled like any change). A record that an undo or redo makes anew
   * (a link put back, a task added again) gets a new id: `renamed` leads from the old id to the new one. */

  var undoStack = [], redoStack = [], renamed = { task: {}, link: {} };
  var KEEP = 50;
  var toast = document.getElementById("gantt-toast");
  var toastButton = document.getElementById("gantt-toast-action");
  var mac = /Mac|iPhone|iPad/.test(navigator.platform || "");
  var keys = { undo: mac ? "⌘Z" : "Ctrl+Z", redo: mac ? "⇧⌘Z" : "Ctrl+Shift+Z" };

  function current(kind, id) {
    while (renamed[kind][id] !== undefined) { id = renamed[kind][id]; }
    return id;
  }

  function renames(kind, was, now) {
    if (was.id === undefined) { was.id = now; } else { renamed[kind][current(kind, was.id)] = now; }
  }

  /* Say what was done, with the button that takes it back ("undo"), makes it again ("redo") or none. */
  function offer(action, text) {
    if (!toast) { return; }
    toast.querySelector(".toast-body").textContent = text;
    toastButton.classList.toggle("d-none", !action);
    if (action) {
      toastButton.dataset.action = action;
      toastButton.textContent = S[action];
      toastButton.title = S[action] + " (" + keys[action] + ")";
    }
    if (window.bootstrap) { window.bootstrap.Toast.getOrCreateInstance(toast).show(); } else { toast.classList.add("show"); }
  }

  /* Make an edit; once the server took it, `record(result)` gives its history entry:
   * { what, undo(), redo(), allowed }: what was done (a phrase), the requests that take it back and make it
   * again, and whether the caller may send the undo at all (taking back a new link needs the right to
   * delete links). */
  function edit(send, doneText, edited, record) {
    return change(send, doneText, edited).then(function (result) {
      if (!result || !result.ok) { return; }
      var entry = record(result), saved = fmt(S.saved, { what: entry.what });
      if (entry.allowed === false) {
        offer(null, saved);
        return;
      }
      undoStack.push(entry);
      if (undoStack.length > KEEP) { undoStack.shift(); }
      redoStack = [];
      offer("undo", saved);
    });
  }

  function step(action) {
    if (busy) { return; }
    var from = action === "undo" ? undoStack : redoStack, to = action === "undo" ? redoStack : undoStack;
    var entry = from.pop();
    if (!entry) {
      offer(null, action === "undo" ? S.nothing_to_undo : S.nothing_to_redo);
      return;
    }
    var done = fmt(action === "undo" ? S.undone : S.redone, { what: entry.what });
    change(entry[action], done, null).then(function (result) {
      if (!result) {
        from.push(entry); // not sent or not delivered: it can be tried again
      } else if (result.ok) {
        to.push(entry);
        offer(action === "undo" ? "redo" : "undo", done);
      } else {
        offer(null, fmt(S.undo_refused, { what: entry.what }));
      }
    });
  }

  function patchTask(id, fields) {
    return function () { return api("PATCH", taskUrl(current("task", id)), fields); };
  }

  /* A task's own fields edited: the undo writes back what they were (from the data the chart drew). */
  function taskEdit(task, fields, what) {
    var now = { constraint_type: task.constraint, constraint_date: task.constraint_at, duration: task.duration_minutes };
    var before = {};
    Object.keys(fields).forEach(function (name) { before[name] = now[name]; });
    return { what: what, undo: patchTask(task.id, before), redo: patchTask(task.id, fields) };
  }

  function postLink(link, was) {
    var body = Object.assign({}, link, { predecessor: current("task", link.predecessor), successor: current("task", link.successor) });
    return api("POST", config.linkUrl, body).then(function (result) {
      if (result.ok) { renames("link", was, result.data.id); }
      return result;
    });
  }

  function deleteLink(was) {
    return function () { return api("DELETE", linkUrl(current("link", was.id))); };
  }

  function moveTask(task, start) {
    var wanted = window.TandemGantt.isoDay(start);
    var fields = { constraint_type: "SNET", constraint_date: wanted + "T00:00:00" };
    edit(patchTask(task.id, fields), function (fresh) {
      var now = fresh.tasks.filter(function (t) { return t.id === task.id; })[0];
      if (now && now.start && now.start > wanted) { return fmt(S.held_back, { task: task.name, date: now.start }); }
      return "";
    }, task.id, function () { return taskEdit(task, fields, fmt(S.what_move, { task: nameOf(task.id) })); });
  }

  function resizeTask(task, start, finish, workingDays) {
    var body = { duration: Math.max(workingDays, 1) * data.project.minutes_per_day };
    if (start !== task.s) {
      body.constraint_type = "SNET";
      body.constraint_date = window.TandemGantt.isoDay(start) + "T00:00:00";
    }
    edit(patchTask(task.id, body), "", task.id, function () {
      return taskEdit(task, body, fmt(S.what_resize, { task: nameOf(task.id) }));
    });
  }

  function removeConstraint(task) {
    var fields = { constraint_type: "ASAP", constraint_date: null };
    edit(patchTask(task.id, fields), "", task.id, function () {
      return taskEdit(task, fields, fmt(S.what_constraint, { task: nameOf(task.id) }));
    });
  }

  function addLink(link) {
    var was = {}, names = { from: nameOf(link.predecessor), to: nameOf(link.successor) };
    edit(function () { return postLink(link, was); }, fmt(S.link_added, names), undefined, function () {
      return {
        what: fmt(S.what_link_added, names),
        allowed: config.can.delete_dependency,
        undo: deleteLink(was),
        redo: function () { return postLink(link, was); }
      };
    });
  }

  function removeLink(link) {
    var was = { id: link.id }, names = { from: nameOf(link.from), to: nameOf(link.to) };
    var body = { predecessor: link.from, successor: link.to, type: link.type, lag: link.lag_minutes };
    edit(deleteLink(was), S.link_removed, undefined, function () {
      return {
        what: fmt(S.what_link_removed, names),
        allowed: config.can.add_dependency,
        undo: function () { return postLink(body, was); },
        redo: deleteLink(was)
      };
    });
  }

  /* Add a task, and its finish-to-start link from `predecessor` when one was chosen; `was` keeps the ids
   * made, so that adding it again (a redo) renames them. */
  function postTask(body, predecessor, was) {
    var fields = Object.assign({}, body, body.parent ? { parent: current("task", body.parent) } : {});
    return api("POST", config.taskUrl, fields).then(function (result) {
      if (!result.ok) { return result; }
      renames("task", was.task, result.data.id);
      if (!predecessor) { return result; }
      var link = { predecessor: predecessor, successor: result.data.id, type: "FS", lag: 0 };
      return postLink(link, was.link).then(function (linked) { return linked.ok ? result : linked; });
    });
  }

  function addTask(body, predecessor) {
    var was = { task: {}, link: {} };
    edit(function () { return postTask(body, predecessor, was); }, fmt(S.task_added, { name: body.name }), undefined, function () {
      return {
        what: fmt(S.what_task_added, { name: body.name }),
        allowed: config.can.delete_task,
        undo: function () { return api("DELETE", taskUrl(current("task", was.task.id))); },
        redo: function () { return postTask(body, predecessor, was); }
      };
    });
  }

  if (toastButton) { toastButton.addEventListener("click", function () { step(toastButton.dataset.action); }); }

  function typing(el) {
    return el && (el.isContentEditable || el.tagName === "TEXTAREA" || el.tagName === "SELECT" ||
      (el.tagName === "INPUT" && el.type !== "checkbox" && el.type !== "radio"));
  }

  document.addEventListener("keydown", function (e) {
    if (!(e.ctrlKey || e.metaKey) || e.altKey || typing(e.target) || document.querySelector(".modal.show")) { return; }
    var key = e.key.toLowerCase();
    if (key !== "z" && key !== "y") { return; }
    e.preventDefault();
    step(key === "y" || e.shiftKey ? "redo" : "undo");
  });

  /* --- the details panel of the selected task -------------------------------------------------- */

  var details = document.getElementById("gantt-details");

  function row(dl, label, value) {
    var dt = document.createElement("dt");
    dt.className = "col-5 text-secondary fw-normal";
    dt.textContent = label;
    var dd = document.createElement("dd");
    dd.className = "col-7";
    if (value instanceof Node) { dd.appendChild(value); } else { dd.textContent = value === null || value === undefined || value === "" ? "—" : value; }
    dl.appendChild(dt);
    dl.appendChild(dd);
  }

  function days(n) { return n === null || n === undefined ? "—" : fmt(S.days, { n: +(+n).toFixed(1) }); }

  function linkList(title, links, other) {
    var box = document.createElement("div");
    box.className = "mb-3";
    var h = document.createElement("div");
    h.className = "small fw-semibold mb-1";
    h.textContent = title;
    box.appendChild(h);
    var list = document.createElement("ul");
    list.className = "list-unstyled small mb-0";
    if (!links.length) {
      var none = document.createElement("li");
      none.className = "text-secondary";
      none.textContent = "—";
      list.appendChild(none);
    }
    links.forEach(function (link) {
      var li = document.createElement("li");
      li.className = "d-flex align-items-center gap-2 py-1 border-bottom";
      var label = document.createElement("span");
      label.className = "flex-grow-1";
      label.textContent = nameOf(link[other]) + " · " + link.type + (link.lag ? (link.lag > 0 ? " +" : " ") + days(link.lag) : "");
      li.appendChild(label);
      if (config.can.delete_dependency) {
        var remove = document.createElement("button");
        remove.type = "button";
        remove.className = "btn btn-sm btn-outline-danger py-0";
        remove.textContent = S.remove_link;
        remove.addEventListener("click", function () {
          if (window.confirm(S.confirm_remove_link)) { removeLink(link); }
        });
        li.appendChild(remove);
      }
      list.appendChild(li);
    });
    box.appendChild(list);
    return box;
  }

  function showDetails(t) {
    if (!details) { return; }
    var body = details.querySelector(".gantt-details-body");
    details.querySelector(".gantt-details-title").textContent = t.wbs + " " + t.name;
    body.textContent = "";
    var badges = document.createElement("div");
    badges.className = "mb-2 d-flex gap-1 flex-wrap";
    [[t.critical && !t.summary, "text-bg-danger", S.critical], [t.milestone, "text-bg-dark", S.milestone], [t.summary, "text-bg-secondary", S.summary]].forEach(function (b) {
      if (!b[0]) { return; }
      var span = document.createElement("span");
      span.className = "badge " + b[1];
      span.textContent = b[2];
      badges.appendChild(span);
    });
    body.appendChild(badges);
    var dl = document.createElement("dl");
    dl.className = "row small mb-3";
    row(dl, S.start, t.start_at);
    row(dl, S.finish, t.finish_at);
    row(dl, S.duration, t.milestone ? "0" : days(t.duration));
    row(dl, S.float, days(t.float));
    row(dl, S.free_float, days(t.free_float));
    row(dl, S.progress, t.progress + "%");
    row(dl, S.assignees, t.assignees);
    var constraint = document.createElement("span");
    constraint.textContent = t.constraint_label + (t.constraint_date ? " " + t.constraint_date : "");
    if (t.constraint !== "ASAP" && config.can.change_task) {
      var clear = document.createElement("button");
      clear.type = "button";
      clear.className = "btn btn-link btn-sm p-0 ms-2 align-baseline";
      clear.textContent = S.remove_constraint;
      clear.addEventListener("click", function () { removeConstraint(t); });
      constraint.appendChild(clear);
    }
    row(dl, S.constraint, constraint);
    if (t.baseline_start) {
      row(dl, S.baseline, t.baseline_start + " → " + t.baseline_finish);
      row(dl, S.variance, t.finish_variance === null ? "—" : (t.finish_variance > 0 ? "+" : "") + days(t.finish_variance));
    }
    body.appendChild(dl);
    body.appendChild(linkList(S.predecessors, data.links.filter(function (l) { return l.to === t.id; }), "from"));
    body.appendChild(linkList(S.successors, data.links.filter(function (l) { return l.from === t.id; }), "to"));
    details.classList.remove("d-none");
    var predecessor = document.getElementById("link-predecessor");
    if (predecessor && !t.summary) { predecessor.value = String(t.id); }
  }

  /* --- toolbar, forms --------------------------------------------------------------------------- */

  function fillSelects() {
    document.querySelectorAll("select[data-tasks]").forEach(function (select) {
      var keep = select.value, kind = select.dataset.tasks;
      select.textContent = "";
      if (select.dataset.empty !== undefined) {
        var empty = document.createElement("option");
        empty.value = "";
        empty.textContent = select.dataset.empty;
        select.appendChild(empty);
      }
      data.tasks.forEach(function (t) {
        if (kind === "leaves" && t.summary) { return; }
        var option = document.createElement("option");
        option.value = String(t.id);
        option.textContent = "\u00a0".repeat((t.level - 1) * 2) + t.wbs + " " + t.name;
        select.appendChild(option);
      });
      select.value = keep;
    });
  }

  function closeModal(id) {
    var el = document.getElementById(id);
    if (el && window.bootstrap) { window.bootstrap.Modal.getOrCreateInstance(el).hide(); }
  }

  document.querySelectorAll("[data-zoom]").forEach(function (button) {
    button.classList.toggle("active", button.dataset.zoom === chart.zoom);
    button.addEventListener("click", function () {
      document.querySelectorAll("[data-zoom]").forEach(function (b) { b.classList.toggle("active", b === button); });
      try { window.localStorage.setItem("tandem.gantt.zoom", button.dataset.zoom); } catch (e) { /* private mode */ }
      chart.setZoom(button.dataset.zoom);
    });
  });

  var todayButton = document.getElementById("gantt-today");
  if (todayButton) { todayButton.addEventListener("click", function () { chart.scrollToToday(); }); }

  var criticalOnly = document.getElementById("gantt-critical");
  if (criticalOnly) { criticalOnly.addEventListener("change", function () { chart.setCriticalOnly(criticalOnly.checked); }); }

  var baselineChoice = document.getElementById("gantt-baseline");
  if (baselineChoice) {
    baselineChoice.addEventListener("change", function () {
      baseline = baselineChoice.value;
      var url = new URL(window.location.href);
      url.searchParams.set("baseline", baseline);
      window.history.replaceState(null, "", url.toString());
      document.querySelectorAll("[data-keeps-baseline]").forEach(function (a) {
        var link = new URL(a.href);
        link.searchParams.set("baseline", baseline);
        a.href = link.toString();
      });
      load();
    });
  }

  var closeDetails = document.getElementById("gantt-details-close");
  if (closeDetails) { closeDetails.addEventListener("click", function () { details.classList.add("d-none"); }); }

  var taskForm = document.getElementById("task-form");
  if (taskForm) {
    taskForm.addEventListener("submit", function (e) {
      e.preventDefault();
      var f = taskForm.elements;
      var milestone = f.is_milestone.checked;
      var body = {
        project: config.projectId,
        name: f.name.value,
        is_milestone: milestone,
        duration: milestone ? 0 : Math.round(parseFloat(f.duration_days.value || "1") * data.project.minutes_per_day)
      };
      if (f.parent.value) { body.parent = +f.parent.value; }
      closeModal("task-modal");
      addTask(body, f.predecessor.value ? +f.predecessor.value : null);
      taskForm.reset();
    });
  }

  var linkForm = document.getElementById("link-form");
  if (linkForm) {
    linkForm.addEventListener("submit", function (e) {
      e.preventDefault();
      var f = linkForm.elements;
      closeModal("link-modal");
      addLink({
        predecessor: +f.predecessor.value,
        successor: +f.successor.value,
        type: f.type.value,
        lag: Math.round(parseFloat(f.lag.value || "0") * data.project.minutes_per_day)
      });
    });
  }

  document.addEventListener("keydown", function (e) {
    if (e.key === "Escape" && details) { details.classList.add("d-none"); }
  });

  /* Open on today while the project runs; before it starts (or after it ends), on its first bar. */
  load().then(function () {
    var parse = window.TandemGantt.parseDay;
    var today = parse(data.today), start = parse(data.project.start), finish = parse(data.project.finish);
    var starts = data.tasks.map(function (t) { return parse(t.start); }).filter(function (d) { return d !== null; });
    if (starts.length) { start = Math.min.apply(null, starts); }
    if (finish !== null && today >= start && today <= finish) {
      chart.scrollToToday();
    } else {
      chart.scrollToDay(start, 0.05);
    }
  }, function () { say("danger", S.network_error); });
})();
