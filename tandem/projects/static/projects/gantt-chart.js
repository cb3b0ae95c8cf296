/* Tandem Gantt chart: an SVG timeline beside a WBS grid, drawn from the server's stored CPM dates.
 *
 * Dates are whole days counted from 1970-01-01 (UTC arithmetic, so no time zone can shift a bar); the
 * server already turned the tenant-local schedule into such days. The chart never schedules anything: a
 * drag reports what the user asked for (a new start, a new finish, a new link) through callbacks, and the
 * page redraws from the server's answer.
 */
(function () {
  "use strict";

  var DAY_MS = 86400000;
  var ROW = 30;
  var HEAD = 48;
  var SVG_NS = "http://www.w3.org/2000/svg";
  var ZOOMS = { day: 28, week: 9, month: 3 };
  // A press that wanders less than this (px) is a click: a hand's jitter must not move a bar by days.
  var DRAG_THRESHOLD = { mouse: 6, pen: 8, touch: 10 };
  // A bar narrower than this (px) has no resize handles and is grabbed, whole, by a move area this wide:
  // at month zoom a one-day bar is 3 px, and handles there would swallow every drag meant to move it.
  var MIN_GRIP = 16;

  function parseDay(text) {
    if (!text) { return null; }
    var p = text.split("-");
    return Math.round(Date.UTC(+p[0], +p[1] - 1, +p[2]) / DAY_MS);
  }
  function toDate(day) { return new Date(day * DAY_MS); }
  function isoDay(day) { return toDate(day).toISOString().slice(0, 10); }
  function weekday(day) { return (toDate(day).getUTCDay() + 6) % 7; } // Monday = 0
  function monthStart(day) { var d = toDate(day); return Math.round(Date.UTC(d.getUTCFullYear(), d.getUTCMonth(), 1) / DAY_MS); }
  function nextMonth(day) { var d = toDate(day); return Math.round(Date.UTC(d.getUTCFullYear(), d.getUTCMonth() + 1, 1) / DAY_MS); }
  function yearStart(day) { return Math.round(Date.UTC(toDate(day).getUTCFullYear(), 0, 1) / DAY_MS); }
  function nextYear(day) { return Math.round(Date.UTC(toDate(day).getUTCFullYear() + 1, 0, 1) / DAY_MS); }

  function svg(tag, attrs, parent) {
    var el = document.createElementNS(SVG_NS, tag);
    Object.keys(attrs || {}).forEach(function (k) { el.setAttribute(k, attrs[k]); });
    if (parent) { parent.appendChild(el); }
    return el;
  }
  function html(tag, className, parent, text) {
    var el = document.createElement(tag);
    if (className) { el.className = className; }
    if (text !== undefined && text !== null) { el.textContent = text; }
    if (parent) { parent.appendChild(el); }
    return el;
  }
  function fmt(template, values) {
    return template.replace(/%\((\w+)\)[sd]/g, function (_m, key) { return values[key]; });
  }

  function GanttChart(root, options) {
    this.root = root;
    this.options = options;
    this.strings = options.strings;
    this.lang = options.lang || "zh-Hans";
    this.zoom = options.zoom || "day";
    this.criticalOnly = false;
    this.selected = null;
    this.tasks = [];
    this.build();
  }

  GanttChart.prototype.build = function () {
    var s = this.strings;
    this.root.textContent = "";
    this.root.classList.add("gantt-frame");
    var grid = html("div", "gantt-grid", this.root);
    var head = html("div", "gantt-grid-head", grid);
    [["wbs", s.wbs], ["name", s.name], ["dur", s.duration], ["start", s.start], ["finish", s.finish]].forEach(function (c) {
      html("div", "gc gc-" + c[0], head, c[1]);
    });
    this.gridBody = html("div", "gantt-grid-body", grid);
    this.scroller = html("div", "gantt-chart", this.root);
    this.headSvg = svg("svg", { class: "gantt-head", height: HEAD }, html("div", "gantt-chart-head", this.scroller));
    this.bodySvg = svg("svg", { class: "gantt-body" }, this.scroller);
    this.tip = html("div", "gantt-tip d-none", this.root);
    var self = this;
    this.scroller.addEventListener("scroll", function () {
      self.gridBody.scrollTop = self.scroller.scrollTop;
      self.pinLabels();
    });
    this.gridBody.addEventListener("wheel", function (e) {
      self.scroller.scrollTop += e.deltaY;
      e.preventDefault();
    }, { passive: false });
    this.gridBody.addEventListener("click", function (e) {
      var row = e.target.closest("[data-id]");
      if (row) { self.select(+row.dataset.id, true); }
    });
    this.gridBody.addEventListener("keydown", function (e) {
      var row = e.target.closest("[data-id]");
      if (!row) { return; }
      if (e.key === "Enter" || e.key === " ") {
        e.preventDefault();
        self.select(+row.dataset.id, true);
      } else if (e.key === "ArrowDown" || e.key === "ArrowUp") {
        var next = e.key === "ArrowDown" ? row.nextElementSibling : row.previousElementSibling;
        if (next) { e.preventDefault(); next.focus(); }
      }
    });
    this.bindPointer();
  };

  GanttChart.prototype.setData = function (data) {
    this.data = data;
    this.off = new Set(data.calendar.off.map(parseDay));
    this.calendarFirst = parseDay(data.calendar.first);
    this.calendarLast = parseDay(data.calendar.last);
    this.today = parseDay(data.today);
    this.tasks = data.tasks.map(function (t) {
      return Object.assign({}, t, {
        s: parseDay(t.start), f: parseDay(t.finish), bs: parseDay(t.baseline_start), bf: parseDay(t.baseline_finish)
      });
    });
    this.byId = {};
    var self = this;
    this.tasks.forEach(function (t) { self.byId[t.id] = t; });
    this.render();
  };

  GanttChart.prototype.isWorking = function (day) {
    if (day >= this.calendarFirst && day <= this.calendarLast) { return !this.off.has(day); }
    return weekday(day) < 5;
  };

  /* Working days from `start` to `finish`, both included. */
  GanttChart.prototype.workingDays = function (start, finish) {
    var n = 0;
    for (var d = start; d <= finish; d++) { if (this.isWorking(d)) { n++; } }
    return n;
  };

  GanttChart.prototype.visibleTasks = function () {
    if (!this.criticalOnly) { return this.tasks; }
    var keep = new Set(), byId = this.byId;
    this.tasks.forEach(function (t) {
      if (t.critical && !t.summary) {
        for (var node = t; node && !keep.has(node.id); node = byId[node.parent]) { keep.add(node.id); }
      }
    });
    return this.tasks.filter(function (t) { return keep.has(t.id); });
  };

  GanttChart.prototype.range = function () {
    var days = [parseDay(this.data.project.start), this.today];
    this.tasks.forEach(function (t) { [t.s, t.f, t.bs, t.bf].forEach(function (d) { if (d !== null) { days.push(d); } }); });
    var contract = parseDay(this.data.project.contract_finish);
    if (contract !== null) { days.push(contract); }
    var first = Math.min.apply(null, days), last = Math.max.apply(null, days);
    if (last - first > 3 * 366) { // a far-away "today" must not stretch a short project across years
      first = Math.min.apply(null, days.filter(function (d) { return d !== this.today; }, this));
      last = Math.max.apply(null, days.filter(function (d) { return d !== this.today; }, this));
    }
    if (this.zoom === "month") {
      first = monthStart(first - 20);
      last = nextMonth(nextMonth(last)) - 1;
    } else {
      first = first - 7;
      first -= weekday(first);
      last = last + 21;
      last += 6 - weekday(last);
    }
    return { first: first, last: last };
  };

  GanttChart.prototype.x = function (day) { return (day - this.first) * this.px; };

  GanttChart.prototype.render = function () {
    if (!this.data) { return; }
    var keepLeft = this.scroller.scrollLeft, keepTop = this.scroller.scrollTop;
    var hadLayout = this.px !== undefined && this.px === ZOOMS[this.zoom];
    this.px = ZOOMS[this.zoom];
    var r = this.range();
    this.first = r.first;
    this.last = r.last;
    this.rows = this.visibleTasks();
    this.rowOf = {};
    var self = this;
    this.rows.forEach(function (t, i) { self.rowOf[t.id] = i; });
    this.width = (this.last - this.first + 1) * this.px;
    this.height = Math.max(this.rows.length * ROW, ROW * 3);
    this.renderGrid();
    this.renderHead();
    this.renderBody();
    if (hadLayout) {
      this.scroller.scrollLeft = keepLeft;
      this.scroller.scrollTop = keepTop;
    }
    if (this.selected !== null) { this.select(this.selected, false); }
  };

  GanttChart.prototype.renderGrid = function () {
    var s = this.strings, body = this.gridBody;
    body.textContent = "";
    if (!this.rows.length) {
      html("div", "gantt-empty", body, s.no_tasks);
      return;
    }
    this.rows.forEach(function (t) {
      var row = html("div", "gantt-grid-row" + (t.summary ? " is-summary" : "") + (t.critical && !t.summary ? " is-critical" : ""), body);
      row.dataset.id = t.id;
      row.tabIndex = 0;
      html("div", "gc gc-wbs", row, t.wbs);
      var name = html("div", "gc gc-name", row);
      name.style.paddingLeft = (0.4 + (t.level - 1) * 0.9) + "rem";
      if (t.milestone) { html("i", "bi bi-diamond-fill gantt-ms-icon" + (t.critical ? " text-danger" : ""), name); }
      html("span", "", name, t.name);
      name.title = t.wbs + " " + t.name;
      html("div", "gc gc-dur", row, t.milestone ? "0" : fmt(s.days, { n: +t.duration.toFixed(1) }));
      html("div", "gc gc-start", row, t.start ? t.start.slice(2) : "—");
      html("div", "gc gc-finish", row, t.finish ? t.finish.slice(2) : "—");
    });
  };

  GanttChart.prototype.renderHead = function () {
    var g = this.headSvg, self = this, px = this.px;
    g.textContent = "";
    g.setAttribute("width", this.width);
    svg("rect", { x: 0, y: 0, width: this.width, height: HEAD, class: "gh-bg" }, g);
    var monthFmt = new Intl.DateTimeFormat(this.lang, { year: "numeric", month: "long", timeZone: "UTC" });
    var monthShort = new Intl.DateTimeFormat(this.lang, { month: "short", timeZone: "UTC" });
    var yearFmt = new Intl.DateTimeFormat(this.lang, { year: "numeric", timeZone: "UTC" });
    function label(text, x, y, cls) {
      var t = svg("text", { x: x, y: y, class: cls || "gh-text" }, g);
      t.textContent = text;
      return t;
    }
    function line(x, y1, y2, cls) { svg("line", { x1: x, x2: x, y1: y1, y2: y2, class: cls || "gh-line" }, g); }
    var d, upper = this.upperLabels = [];
    function upperLabel(text, from, to) {
      upper.push({ el: label(text, self.x(from) + 6, 17), x0: self.x(from), x1: self.x(to) });
      line(self.x(from), 0, HEAD);
    }
    if (this.zoom === "month") {
      for (d = yearStart(this.first); d <= this.last; d = nextYear(d)) {
        upperLabel(yearFmt.format(toDate(Math.max(d, this.first))), Math.max(d, this.first), Math.min(nextYear(d), this.last + 1));
      }
      for (d = monthStart(this.first); d <= this.last; d = nextMonth(d)) {
        var ms = Math.max(d, this.first), me = Math.min(nextMonth(d), this.last + 1);
        label(monthShort.format(toDate(ms)), (this.x(ms) + this.x(me)) / 2, 41, "gh-text gh-center");
        line(this.x(ms), 24, HEAD);
      }
    } else {
      for (d = monthStart(this.first); d <= this.last; d = nextMonth(d)) {
        upperLabel(monthFmt.format(toDate(Math.max(d, this.first))), Math.max(d, this.first), Math.min(nextMonth(d), this.last + 1));
      }
      if (this.zoom === "day") {
        for (d = this.first; d <= this.last; d++) {
          var cls = "gh-text gh-center gh-day" + (self.isWorking(d) ? "" : " gh-off") + (d === self.today ? " gh-today-text" : "");
          var dayLabel = label(String(toDate(d).getUTCDate()), this.x(d) + px / 2, 41, cls);
          var holiday = this.data.calendar.names[isoDay(d)];
          if (holiday) { svg("title", {}, dayLabel).textContent = holiday; }
          line(this.x(d), 24, HEAD, "gh-tick");
        }
      } else {
        for (d = this.first; d <= this.last; d += 7) {
          var dd = toDate(d);
          label((dd.getUTCMonth() + 1) + "/" + dd.getUTCDate(), this.x(d) + 3, 41, "gh-text gh-week");
          line(this.x(d), 24, HEAD, "gh-tick");
        }
      }
    }
    svg("line", { x1: 0, x2: this.width, y1: 24, y2: 24, class: "gh-line" }, g);
    svg("line", { x1: 0, x2: this.width, y1: HEAD - 0.5, y2: HEAD - 0.5, class: "gh-line" }, g);
    var contract = parseDay(this.data.project.contract_finish);
    var todayFlag = this.marker(g, this.today, "gh-today", this.strings.today, true, 3);
    // Two flags that would overlap: the contract date's drops to the lower tier.
    var tier = todayFlag && contract !== null && Math.abs(this.x(contract) - this.x(this.today)) < todayFlag + 90 ? 27 : 3;
    this.marker(g, contract, "gh-contract", this.strings.contract, true, tier);
    this.pinLabels();
  };

  /* The month (or year) being looked at keeps its name at the left edge while scrolling sideways. */
  GanttChart.prototype.pinLabels = function () {
    var left = this.scroller.scrollLeft;
    (this.upperLabels || []).forEach(function (u) {
      var width = u.el.getComputedTextLength ? u.el.getComputedTextLength() : 60;
      var x = Math.max(u.x0 + 6, Math.min(left + 6, u.x1 - width - 6));
      u.el.setAttribute("x", Math.max(x, u.x0 + 6));
    });
  };

  /* A dated vertical marker: in the head, a flag with its label; in the body, the line itself. */
  GanttChart.prototype.marker = function (g, day, cls, text, inHead, top) {
    if (day === null || day < this.first || day > this.last) { return 0; }
    var x = this.x(day) + (cls === "gh-contract" ? this.px : this.px / 2);
    if (inHead) {
      var t = svg("text", { x: x + 5, y: top + 13, class: "gh-flag-text" }, g);
      t.textContent = text;
      var w = (t.getComputedTextLength ? t.getComputedTextLength() : text.length * 12) + 10;
      g.insertBefore(svg("rect", { x: x, y: top, width: w, height: 18, rx: 3, class: cls + "-flag" }), t);
      svg("line", { x1: x, x2: x, y1: top, y2: HEAD, class: cls + "-line" }, g);
      return w;
    } else {
      svg("line", { x1: x, x2: x, y1: 0, y2: this.height, class: cls + "-line" }, g);
    }
  };

  GanttChart.prototype.renderBody = function () {
    var g = this.bodySvg, self = this, px = this.px, d;
    g.textContent = "";
    g.setAttribute("width", this.width);
    g.setAttribute("height", this.height);
    var defs = svg("defs", {}, g);
    [["arrow", "g-arrowhead"], ["arrow-critical", "g-arrowhead is-critical"]].forEach(function (m) {
      var marker = svg("marker", { id: "gantt-" + m[0], viewBox: "0 0 8 8", refX: 7, refY: 4, markerWidth: 7, markerHeight: 7, orient: "auto-start-reverse" }, defs);
      svg("path", { d: "M0,0 L8,4 L0,8 z", class: m[1] }, marker);
    });
    var shade = svg("g", { class: "g-shade" }, g);
    this.rows.forEach(function (t, i) {
      svg("rect", { x: 0, y: i * ROW, width: self.width, height: ROW, class: "g-row" + (i % 2 ? " g-row-odd" : ""), "data-row": t.id }, shade);
    });
    if (this.zoom !== "month") {
      for (d = this.first; d <= this.last; d++) {
        if (!this.isWorking(d)) { svg("rect", { x: this.x(d), y: 0, width: px, height: this.height, class: "g-off" }, shade); }
      }
    }
    var lines = svg("g", { class: "g-lines" }, g);
    if (this.zoom === "month") {
      for (d = monthStart(this.first); d <= this.last; d = nextMonth(d)) { svg("line", { x1: this.x(d), x2: this.x(d), y1: 0, y2: this.height, class: "g-grid" }, lines); }
    } else {
      for (d = this.first; d <= this.last; d += 7) { svg("line", { x1: this.x(d), x2: this.x(d), y1: 0, y2: this.height, class: "g-grid" }, lines); }
    }
    this.marker(lines, this.today, "gh-today", "", false);
    this.marker(lines, parseDay(this.data.project.contract_finish), "gh-contract", "", false);
    this.baseLayer = svg("g", { class: "g-baselines" }, g);
    this.linkLayer = svg("g", { class: "g-links" }, g);
    this.barLayer = svg("g", { class: "g-bars" }, g);
    this.dragLayer = svg("g", { class: "g-drag" }, g);
    this.hasBaseline = this.tasks.some(function (t) { return t.bs !== null; });
    this.rows.forEach(function (t) { self.drawBaseline(t); });
    this.drawLinks();
    this.rows.forEach(function (t) { self.drawTask(t, t.s, t.f); });
  };

  GanttChart.prototype.barBox = function (t, start, finish) {
    var top = this.rowOf[t.id] * ROW;
    var y = top + (this.hasBaseline ? 6 : 8), h = this.hasBaseline ? 13 : 14;
    if (t.milestone) {
      var cx = this.x(start) + this.px / 2;
      return { x0: cx, x1: cx, y: y, h: h, mid: y + h / 2, top: top };
    }
    return { x0: this.x(start), x1: this.x(finish + 1), y: y, h: h, mid: y + h / 2, top: top };
  };

  GanttChart.prototype.drawBaseline = function (t) {
    if (t.bs === null || t.bf === null) { return; }
    var top = this.rowOf[t.id] * ROW, y = top + 22;
    if (t.milestone) {
      var cx = this.x(t.bf) + this.px / 2;
      svg("path", { d: "M" + cx + "," + (y - 3) + " l4,4 l-4,4 l-4,-4 z", class: "g-baseline g-baseline-ms" }, this.baseLayer);
      return;
    }
    svg("rect", { x: this.x(t.bs), y: y, width: Math.max(this.x(t.bf + 1) - this.x(t.bs), 2), height: 4, class: "g-baseline" }, this.baseLayer);
  };

  GanttChart.prototype.drawTask = function (t, start, finish) {
    if (start === null || finish === null) { return null; }
    var old = this.barLayer.querySelector('[data-id="' + t.id + '"]');
    var g = svg("g", { class: "g-task" + (t.critical && !t.summary ? " is-critical" : "") + (t.summary ? " is-summary" : "") + (t.milestone ? " is-milestone" : "") + (t.id === this.selected ? " is-selected" : ""), "data-id": t.id });
    if (old) { this.barLayer.replaceChild(g, old); } else { this.barLayer.appendChild(g); }
    var b = this.barBox(t, start, finish), label;
    // `grip` is the right end of the move area; the link handle and the label come after it, never over it.
    var grip = b.x1, hint = "";
    if (t.milestone) {
      var r = 7;
      svg("path", { d: "M" + b.x0 + "," + (b.mid - r) + " l" + r + "," + r + " l-" + r + "," + r + " l-" + r + ",-" + r + " z", class: "g-milestone" }, g);
      label = isoDay(start).slice(5).replace("-", "/");
      grip = b.x0 + r + 1;
      svg("rect", { x: b.x0 - r - 3, y: b.mid - r - 3, width: 2 * r + 6, height: 2 * r + 6, class: "g-hit" }, g);
      label += t.assignees ? "  " + t.assignees : "";
    } else if (t.summary) {
      var w = b.x1 - b.x0, y = b.y + 3;
      svg("path", { d: "M" + b.x0 + "," + y + " h" + w + " v9 l-5,-4 h" + -(w - 10) + " l-5,4 z", class: "g-summary" }, g);
      svg("rect", { x: b.x0, y: b.y, width: w, height: b.h, class: "g-hit" }, g);
    } else {
      var width = Math.max(b.x1 - b.x0, 3), hitFrom = b.x0 - 2, hitWidth = width + 4;
      svg("rect", { x: b.x0, y: b.y, width: width, height: b.h, rx: 2, class: "g-bar" }, g);
      if (t.progress > 0) {
        svg("rect", { x: b.x0, y: b.y + b.h / 2 - 2, width: width * Math.min(t.progress, 100) / 100, height: 4, class: "g-progress" }, g);
      }
      if (width < MIN_GRIP) {
        hitFrom = b.x0 + width / 2 - MIN_GRIP / 2;
        hitWidth = MIN_GRIP;
      }
      grip = hitFrom + hitWidth - 2;
      svg("rect", { x: hitFrom, y: b.y - 3, width: hitWidth, height: b.h + 6, class: "g-hit" }, g);
      if (this.options.editable && !t.started) {
        if (width >= MIN_GRIP) {
          svg("rect", { x: b.x0 - 3, y: b.y, width: 6, height: b.h, class: "g-resize g-resize-l" }, g);
          svg("rect", { x: b.x0 + width - 3, y: b.y, width: 6, height: b.h, class: "g-resize g-resize-r" }, g);
        } else {
          hint = "\n" + this.strings.zoom_to_resize;
        }
      }
      label = t.assignees;
    }
    var after = grip + 5;
    if (this.options.linkable && !t.summary) {
      svg("circle", { cx: grip + 7, cy: b.mid, r: 4, class: "g-link-handle" }, g).appendChild(svg("title", {})).textContent = this.strings.drag_link;
      after = grip + 14;
    }
    if (label) {
      svg("text", { x: after, y: b.mid + 4, class: "g-label" }, g).textContent = label;
    }
    var title = svg("title", {}, g);
    title.textContent = t.wbs + " " + t.name + "\n" + t.start + " → " + t.finish + hint;
    return g;
  };

  GanttChart.prototype.linkPath = function (link) {
    var from = this.byId[link.from], to = this.byId[link.to];
    if (!from || !to || this.rowOf[from.id] === undefined || this.rowOf[to.id] === undefined) { return null; }
    if (from.s === null || to.s === null) { return null; }
    var a = this.barBox(from, from.s, from.f), b = this.barBox(to, to.s, to.f), G = 8;
    var exitRight = link.type === "FS" || link.type === "FF", enterLeft = link.type === "FS" || link.type === "SS";
    var sx = exitRight ? a.x1 : a.x0, tx = enterLeft ? b.x0 : b.x1;
    if (from.milestone) { sx += exitRight ? 7 : -7; }
    if (to.milestone) { tx += enterLeft ? -7 : 7; }
    var ex = sx + (exitRight ? G : -G), ix = tx + (enterLeft ? -G : G);
    var direct = enterLeft ? ex <= ix + 0.5 : ex >= ix - 0.5;
    if (direct && a.mid !== b.mid) {
      return "M" + sx + "," + a.mid + " H" + ex + " V" + b.mid + " H" + tx;
    }
    var yb = b.top > a.top ? b.top + 1 : b.top + ROW - 1;
    return "M" + sx + "," + a.mid + " H" + ex + " V" + yb + " H" + ix + " V" + b.mid + " H" + tx;
  };

  GanttChart.prototype.drawLinks = function () {
    var self = this;
    this.linkLayer.textContent = "";
    this.data.links.forEach(function (link) {
      var d = self.linkPath(link);
      if (!d) { return; }
      var from = self.byId[link.from], to = self.byId[link.to];
      var critical = from.critical && to.critical && !from.summary && !to.summary;
      svg("path", {
        d: d, class: "g-link" + (critical ? " is-critical" : ""), "data-link": link.id,
        "data-from": link.from, "data-to": link.to, "marker-end": "url(#gantt-" + (critical ? "arrow-critical" : "arrow") + ")"
      }, self.linkLayer);
    });
  };

  GanttChart.prototype.select = function (id, scrollIntoView) {
    this.selected = id;
    this.root.querySelectorAll(".is-selected").forEach(function (el) { el.classList.remove("is-selected"); });
    this.root.querySelectorAll('[data-id="' + id + '"], [data-row="' + id + '"]').forEach(function (el) { el.classList.add("is-selected"); });
    this.linkLayer && this.linkLayer.querySelectorAll(".g-link").forEach(function (el) {
      el.classList.toggle("is-related", +el.dataset.from === id || +el.dataset.to === id);
    });
    var t = this.byId[id];
    if (scrollIntoView && t && t.s !== null) {
      var x = this.x(t.s);
      if (x < this.scroller.scrollLeft || x > this.scroller.scrollLeft + this.scroller.clientWidth - 80) {
        this.scroller.scrollLeft = Math.max(0, x - 120);
      }
    }
    if (this.options.onSelect && t) { this.options.onSelect(t); }
  };

  GanttChart.prototype.scrollToDay = function (day, fraction) {
    var at = fraction === undefined ? 1 / 3 : fraction;
    this.scroller.scrollLeft = Math.max(0, this.x(day) - this.scroller.clientWidth * at);
  };

  GanttChart.prototype.scrollToToday = function () {
    if (this.today >= this.first && this.today <= this.last) { this.scrollToDay(this.today); }
  };

  GanttChart.prototype.setZoom = function (zoom) {
    var centre = this.px ? this.first + (this.scroller.scrollLeft + this.scroller.clientWidth / 2) / this.px : null;
    this.zoom = zoom;
    this.render();
    if (centre !== null) { this.scroller.scrollLeft = Math.max(0, this.x(centre) - this.scroller.clientWidth / 2); }
  };

  GanttChart.prototype.setCriticalOnly = function (value) {
    this.criticalOnly = value;
    this.render();
    this.scroller.scrollTop = 0;
  };

  GanttChart.prototype.flash = function (ids) {
    var self = this;
    ids.forEach(function (id) {
      var el = self.barLayer.querySelector('[data-id="' + id + '"]');
      if (el) { el.classList.add("is-changed"); }
    });
    window.setTimeout(function () {
      self.root.querySelectorAll(".is-changed").forEach(function (el) { el.classList.remove("is-changed"); });
    }, 2500);
  };

  GanttChart.prototype.showTip = function (text, clientX, clientY) {
    var box = this.root.getBoundingClientRect();
    this.tip.textContent = text;
    this.tip.style.left = (clientX - box.left + 14) + "px";
    this.tip.style.top = (clientY - box.top + 16) + "px";
    this.tip.classList.remove("d-none");
  };

  GanttChart.prototype.hideTip = function () { this.tip.classList.add("d-none"); };

  /* Move, resize and link by pointer: mouse, pen, or a finger on a bar that is already selected. */
  GanttChart.prototype.bindPointer = function () {
    var self = this, drag = null;
    this.bodySvg.addEventListener("pointerdown", function (e) {
      if (e.button !== 0) { return; }
      var group = e.target.closest(".g-task");
      if (!group) { return; }
      var t = self.byId[+group.dataset.id];
      if (e.pointerType === "touch" && self.selected !== t.id) { return; }
      var mode = "move";
      if (e.target.classList.contains("g-resize-l")) { mode = "start"; }
      if (e.target.classList.contains("g-resize-r")) { mode = "finish"; }
      if (e.target.classList.contains("g-link-handle")) { mode = "link"; }
      var threshold = DRAG_THRESHOLD[e.pointerType] || DRAG_THRESHOLD.mouse;
      drag = { task: t, mode: mode, x: e.clientX, y: e.clientY, threshold: threshold, moved: false, days: 0, start: t.s, finish: t.f };
      if (mode === "link") { drag.from = +e.target.getAttribute("cx"); }
      self.bodySvg.setPointerCapture(e.pointerId);
      e.preventDefault();
    });
    this.bodySvg.addEventListener("pointermove", function (e) {
      if (!drag) { return; }
      var dx = e.clientX - drag.x;
      if (!drag.moved && Math.abs(dx) < drag.threshold && Math.abs(e.clientY - drag.y) < drag.threshold) { return; }
      drag.moved = true;
      var t = drag.task;
      if (drag.mode === "link") {
        var box = self.bodySvg.getBoundingClientRect();
        var b = self.barBox(t, t.s, t.f);
        self.dragLayer.textContent = "";
        svg("path", { d: "M" + drag.from + "," + b.mid + " L" + (e.clientX - box.left) + "," + (e.clientY - box.top), class: "g-link-draft", "marker-end": "url(#gantt-arrow)" }, self.dragLayer);
        return;
      }
      if (!self.options.editable || t.summary || t.started) { return; }
      var days = Math.round(dx / self.px);
      var start = t.s, finish = t.f;
      if (drag.mode === "move") { start += days; finish += days; }
      if (drag.mode === "start") { start = Math.min(t.s + days, t.f); }
      if (drag.mode === "finish") { finish = Math.max(t.f + days, t.s); }
      drag.start = start;
      drag.finish = finish;
      drag.days = days;
      var g = self.drawTask(t, start, finish);
      if (g) { g.classList.add("is-dragging"); }
      var text = isoDay(start) + (t.milestone ? "" : " → " + isoDay(finish) + " · " + self.workingDays(start, finish) + " " + self.strings.work_days);
      self.showTip(text, e.clientX, e.clientY);
    });
    function finish(e, cancelled) {
      if (!drag) { return; }
      var d = drag, t = d.task;
      drag = null;
      self.hideTip();
      self.dragLayer.textContent = "";
      if (!d.moved) {
        self.select(t.id, false);
        return;
      }
      if (d.mode === "link") {
        var target = cancelled ? null : document.elementFromPoint(e.clientX, e.clientY);
        var group = target && target.closest ? target.closest(".g-task") : null;
        if (group && +group.dataset.id !== t.id && self.options.onLink) { self.options.onLink(t, self.byId[+group.dataset.id]); }
        return;
      }
      if (cancelled || (d.start === t.s && d.finish === t.f)) {
        self.drawTask(t, t.s, t.f);
        if (!cancelled && (t.summary || t.started) && self.options.onLocked) { self.options.onLocked(t); }
        return;
      }
      if (d.mode === "move") {
        self.options.onMove(t, d.start);
      } else {
        self.options.onResize(t, d.start, d.finish, self.workingDays(d.start, d.finish));
      }
    }
    this.bodySvg.addEventListener("pointerup", function (e) { finish(e, false); });
    this.bodySvg.addEventListener("pointercancel", function (e) { finish(e, true); });
    this.bodySvg.addEventListener("mouseover", function (e) {
      var row = e.target.closest("[data-id], [data-row]");
      var id = row ? +(row.dataset.id || row.dataset.row) : null;
      self.root.querySelectorAll(".is-hover").forEach(function (el) { el.classList.remove("is-hover"); });
      if (id !== null) { self.gridBody.querySelectorAll('[data-id="' + id + '"]').forEach(function (el) { el.classList.add("is-hover"); }); }
    });
  };

  GanttChart.parseDay = parseDay;
  GanttChart.isoDay = isoDay;
  GanttChart.format = fmt;
  window.TandemGantt = GanttChart;
})();
