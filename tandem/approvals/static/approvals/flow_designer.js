// The approval flow designer: an Alpine.js component editing a flow definition (branches, each a vertical list
// of node cards with "+" between them) and keeping it in the hidden "definition" field and the JSON view.
// What the selects offer and the initial state come from json_script blocks; every visible word from the page.
(function () {
  "use strict";

  var OPS = {
    number: ["gte", "gt", "lte", "lt", "eq", "ne", "between"],
    choice: ["eq", "ne", "in", "not_in"],
    department: ["eq", "ne", "in", "not_in"],
    user: ["eq", "ne", "in", "not_in"],
    text: ["eq", "ne", "contains", "starts_with", "is_empty", "is_set"],
    date: ["gte", "lte", "between"],
    bool: ["eq"]
  };
  var LIST_OPS = ["in", "not_in"];
  var NO_VALUE = ["is_empty", "is_set"];
  var MAX_LEVEL = 10;
  var uid = 1;

  function readJson(id) {
    var el = document.getElementById(id);
    return el ? JSON.parse(el.textContent) : null;
  }
  function isObject(value) { return value !== null && typeof value === "object" && !Array.isArray(value); }
  function clone(value) { return value === undefined ? undefined : JSON.parse(JSON.stringify(value)); }

  // A branch condition the builder can show: one group (all/any) of plain leaves, or one leaf. Anything else
  // (nested groups, "not") stays as it is and is edited in the JSON view.
  function toCondition(json) {
    if (json === null || json === undefined) { return { mode: "all", leaves: [], raw: null }; }
    if (isObject(json) && "field" in json) { return { mode: "all", leaves: [toLeaf(json)], raw: null }; }
    var mode = isObject(json) && Array.isArray(json.all) ? "all" : isObject(json) && Array.isArray(json.any) ? "any" : null;
    if (mode && json[mode].every(function (c) { return isObject(c) && "field" in c; })) {
      return { mode: mode, leaves: json[mode].map(toLeaf), raw: null };
    }
    return { mode: "all", leaves: [], raw: clone(json) };
  }
  function toLeaf(json) { return { id: uid++, field: json.field || "", op: json.op || "eq", value: clone(json.value) }; }
  function fromCondition(cond) {
    if (cond.raw) { return clone(cond.raw); }
    if (!cond.leaves.length) { return null; }
    var out = {};
    out[cond.mode] = cond.leaves.map(function (leaf) {
      var json = { field: leaf.field, op: leaf.op };
      if (NO_VALUE.indexOf(leaf.op) < 0) { json.value = leaf.value === undefined ? null : leaf.value; }
      return json;
    });
    return out;
  }

  function toBranch(json) {
    var b = isObject(json) ? json : {};
    return {
      uid: uid++,
      key: b.key || "",
      name: b.name || "",
      priority: b.priority === undefined ? 1 : b.priority,
      isDefault: b.condition === null || b.condition === undefined,
      condition: toCondition(b.condition),
      nodes: (Array.isArray(b.nodes) ? b.nodes : []).map(toNode),
      extra: extraKeys(b, ["key", "name", "priority", "condition", "nodes"])
    };
  }
  function toNode(json) {
    var n = isObject(json) ? json : {};
    var cc = Array.isArray(n.cc) ? n.cc : [];
    var ccUsers = [];
    var ccRoles = [];
    cc.forEach(function (spec) {
      if (isObject(spec) && spec.type === "members") { ccUsers = ccUsers.concat(spec.users || []); }
      if (isObject(spec) && spec.type === "role" && spec.role) { ccRoles.push(spec.role); }
    });
    return {
      uid: uid++,
      open: false,
      key: n.key || "",
      name: n.name || "",
      kind: n.kind || "approve",
      approvers: isObject(n.approvers) ? clone(n.approvers) : { type: "manager", level: 1 },
      mode: n.mode || "any",
      pass_percent: n.pass_percent === undefined ? 100 : n.pass_percent,
      ccUsers: ccUsers,
      ccRoles: ccRoles,
      on_empty: n.on_empty || "admin",
      on_self: n.on_self || "auto_approve",
      extra: extraKeys(n, ["key", "name", "kind", "approvers", "mode", "pass_percent", "cc", "on_empty", "on_self"])
    };
  }
  // Keys the builder does not know are kept as they are, so the JSON view's edits survive the form.
  function extraKeys(obj, known) {
    var out = {};
    Object.keys(obj).forEach(function (k) { if (known.indexOf(k) < 0) { out[k] = clone(obj[k]); } });
    return out;
  }
  function fromNode(node) {
    var json = Object.assign({}, node.extra, {
      key: node.key, name: node.name, kind: node.kind, approvers: clone(node.approvers)
    });
    var cc = [];
    if (node.ccUsers.length) { cc.push({ type: "members", users: node.ccUsers.slice() }); }
    node.ccRoles.forEach(function (role) { cc.push({ type: "role", role: role }); });
    if (node.kind === "approve") {
      json.mode = node.mode;
      if (node.mode === "all") { json.pass_percent = node.pass_percent; }
      json.on_empty = node.on_empty;
      json.on_self = node.on_self;
      if (cc.length) { json.cc = cc; }
    }
    return json;
  }

  document.addEventListener("alpine:init", function () {
    window.Alpine.data("flowDesigner", function () {
      var meta = readJson("flow-designer-meta");
      var state = readJson("flow-designer-state");
      return {
        meta: meta,
        L: meta.labels,
        readonly: !!state.readonly,
        errors: state.errors || {},
        objectType: state.object_type,
        branches: [],
        restart: "first",
        onDeactivated: "skip",
        extra: {},
        active: 0,
        jsonOpen: false,
        jsonFocused: false,
        jsonError: "",
        memberFilter: {},

        init: function () {
          this.load(state.definition || {});
          var self = this;
          // Open every node, and show the branch, that the server's errors point at.
          Object.keys(this.errors).forEach(function (path) {
            var m = /^branches\.(\d+)(?:\.nodes\.(\d+))?/.exec(path);
            if (!m || !self.branches[+m[1]]) { return; }
            if (m[2] !== undefined && self.branches[+m[1]].nodes[+m[2]]) { self.branches[+m[1]].nodes[+m[2]].open = true; }
          });
          var first = Object.keys(this.errors).map(function (p) { return /^branches\.(\d+)/.exec(p); }).filter(Boolean)[0];
          if (first && this.branches[+first[1]]) { this.active = +first[1]; }
          if (this.otherErrors().length && !first) { this.jsonOpen = true; }
        },

        load: function (definition) {
          var d = isObject(definition) ? definition : {};
          this.branches = (Array.isArray(d.branches) ? d.branches : []).map(toBranch);
          if (!this.branches.length) { this.branches = [this.newBranch(true)]; }
          this.restart = d.restart || "first";
          this.onDeactivated = d.on_deactivated || "skip";
          this.extra = extraKeys(d, ["branches", "restart", "on_deactivated"]);
          if (this.active >= this.branches.length) { this.active = 0; }
        },

        definition: function () {
          return Object.assign({}, this.extra, {
            branches: this.branches.map(function (b) {
              return Object.assign({}, b.extra, {
                key: b.key,
                name: b.name,
                priority: b.priority,
                condition: b.isDefault ? null : fromCondition(b.condition),
                nodes: b.nodes.map(fromNode)
              });
            }),
            restart: this.restart,
            on_deactivated: this.onDeactivated
          });
        },
        definitionJson: function () { return JSON.stringify(this.definition()); },
        prettyJson: function () { return JSON.stringify(this.definition(), null, 2); },

        // --- the JSON view: typing re-renders the designer while the JSON parses ----------------------
        syncJsonText: function (el) {
          var text = this.prettyJson();
          if (!this.jsonFocused) { el.value = text; }
        },
        applyJson: function (text) {
          var parsed;
          try { parsed = JSON.parse(text); } catch (exc) {
            this.jsonError = this.L.invalid_json.replace("%(error)s", exc.message);
            return;
          }
          if (!isObject(parsed)) { this.jsonError = this.L.json_object; return; }
          this.jsonError = "";
          this.load(parsed);
        },
        jsonBlur: function (el) {
          this.jsonFocused = false;
          if (!this.jsonError) { el.value = this.prettyJson(); }
        },
        submit: function (event) {
          if (this.jsonError) { event.preventDefault(); this.jsonOpen = true; }
        },

        // --- errors by JSON path ------------------------------------------------------------------
        err: function (path) { return (this.errors[path] || []).join(" "); },
        // Errors under a path that no input of its own shows (a node's "approvers.users" shows at its picker).
        errorsUnder: function (prefix, shown) {
          var out = [];
          var errors = this.errors;
          Object.keys(errors).forEach(function (key) {
            if ((key === prefix || key.indexOf(prefix + ".") === 0) && (shown || []).indexOf(key.slice(prefix.length + 1)) < 0) {
              out.push(errors[key].join(" "));
            }
          });
          return out;
        },
        branchErrors: function (bi) {
          var prefix = "branches." + bi;
          var out = [];
          var errors = this.errors;
          Object.keys(errors).forEach(function (key) {
            if ((key === prefix || key.indexOf(prefix + ".") === 0) && key.indexOf(prefix + ".nodes.") !== 0) {
              out.push(errors[key].join(" "));
            }
          });
          return out;
        },
        nodeHasErrors: function (bi, ni) { return this.errorsUnder("branches." + bi + ".nodes." + ni).length > 0; },
        branchHasErrors: function (bi) { return this.errorsUnder("branches." + bi).length > 0; },
        otherErrors: function () {
          var errors = this.errors;
          return Object.keys(errors).filter(function (key) { return key.indexOf("branches.") !== 0; })
            .map(function (key) { return { path: key, text: errors[key].join(" ") }; });
        },
        allErrors: function () {
          var errors = this.errors;
          return Object.keys(errors).map(function (key) { return { path: key, text: errors[key].join(" ") }; });
        },
        // Positions change when things move: the server's errors no longer point at the right card.
        clearErrors: function () {
          var errors = {};
          var self = this;
          Object.keys(this.errors).forEach(function (key) { if (key.indexOf("branches") !== 0) { errors[key] = self.errors[key]; } });
          this.errors = errors;
        },

        // --- branches -----------------------------------------------------------------------------
        newKey: function (prefix) {
          var used = {};
          this.branches.forEach(function (b) { used[b.key] = true; b.nodes.forEach(function (n) { used[n.key] = true; }); });
          var i = 1;
          while (used[prefix + i]) { i += 1; }
          return prefix + i;
        },
        newBranch: function (isDefault) {
          var branch = toBranch({ name: isDefault ? this.L.default_branch : this.L.new_branch, condition: isDefault ? null : { all: [] } });
          branch.isDefault = !!isDefault;
          branch.key = isDefault ? "default" : "";
          branch.priority = isDefault ? 99 : this.branches.length + 1;
          return branch;
        },
        addBranch: function () {
          var branch = this.newBranch(false);
          branch.key = this.newKey("b");
          branch.nodes.push(this.newNodeFor(branch));
          // New conditional branches go before the default one, which is tried last.
          var at = this.branches.findIndex(function (b) { return b.isDefault; });
          if (at < 0) { at = this.branches.length; }
          this.branches.splice(at, 0, branch);
          this.clearErrors();
          this.active = at;
        },
        removeBranch: function (bi) {
          if (this.branches.length < 2) { return; }
          this.branches.splice(bi, 1);
          this.clearErrors();
          this.active = Math.min(this.active, this.branches.length - 1);
        },
        setDefault: function (branch, on) {
          branch.isDefault = on;
          if (!on && !branch.condition.leaves.length && !branch.condition.raw) { this.addLeaf(branch); }
        },
        hasDefault: function () { return this.branches.some(function (b) { return b.isDefault; }); },
        sortedBranches: function () {
          return this.branches.map(function (b, i) { return { b: b, i: i }; })
            .sort(function (x, y) { return (x.b.isDefault - y.b.isDefault) || (x.b.priority - y.b.priority) || (x.i - y.i); });
        },

        // --- a branch's condition -----------------------------------------------------------------
        fields: function () {
          var t = this.meta.types.find(function (x) { return x.key === this.objectType; }, this);
          return t ? t.fields : [];
        },
        field: function (name) { return this.fields().find(function (f) { return f.name === name; }) || null; },
        kindOf: function (name) { var f = this.field(name); return f ? f.kind : "text"; },
        opsFor: function (name) { return OPS[this.kindOf(name)] || OPS.text; },
        opLabel: function (op) { return this.meta.operators[op] || op; },
        addLeaf: function (branch) {
          var first = this.fields()[0];
          var name = first ? first.name : "";
          branch.condition.leaves.push({ id: uid++, field: name, op: this.opsFor(name)[0], value: undefined });
        },
        removeLeaf: function (branch, index) { branch.condition.leaves.splice(index, 1); },
        setLeafField: function (leaf, name) {
          leaf.field = name;
          if (this.opsFor(name).indexOf(leaf.op) < 0) { leaf.op = this.opsFor(name)[0]; }
          leaf.value = undefined;
        },
        setLeafOp: function (leaf, op) {
          var wasList = LIST_OPS.indexOf(leaf.op) >= 0 || leaf.op === "between";
          leaf.op = op;
          var isList = LIST_OPS.indexOf(op) >= 0 || op === "between";
          if (wasList !== isList) { leaf.value = op === "between" ? [null, null] : isList ? [] : undefined; }
        },
        valueShape: function (leaf) {
          if (NO_VALUE.indexOf(leaf.op) >= 0) { return "none"; }
          if (leaf.op === "between") { return "range"; }
          var choices = this.choicesFor(leaf.field);
          if (LIST_OPS.indexOf(leaf.op) >= 0) { return choices.length ? "multi" : "list"; }
          return choices.length ? "select" : "input";
        },
        choicesFor: function (name) {
          var f = this.field(name);
          if (!f) { return []; }
          if (f.kind === "department") { return this.meta.departments; }
          if (f.kind === "user") { return this.meta.members.map(function (m) { return [m.id, m.label]; }); }
          if (f.kind === "bool") { return [[true, this.L.yes], [false, this.L.no]]; }
          return f.choices || [];
        },
        typed: function (name, raw) {
          if (raw === "" || raw === undefined || raw === null) { return null; }
          var kind = this.kindOf(name);
          if (kind === "bool") { return raw === "true" || raw === true; }
          if ((kind === "user" || kind === "department") && /^\d+$/.test(String(raw))) { return Number(raw); }
          // Amounts stay strings: the evaluator reads a decimal literal exactly, a float would round.
          return String(raw);
        },
        shown: function (value) { return value === undefined || value === null ? "" : String(value); },
        setLeafValue: function (leaf, raw) { leaf.value = this.typed(leaf.field, raw); },
        setLeafMulti: function (leaf, select) {
          var self = this;
          leaf.value = Array.prototype.filter.call(select.options, function (o) { return o.selected; })
            .map(function (o) { return self.typed(leaf.field, o.value); });
        },
        isChosen: function (leaf, value) {
          return Array.isArray(leaf.value) && leaf.value.map(String).indexOf(String(value)) >= 0;
        },
        listText: function (leaf) { return Array.isArray(leaf.value) ? leaf.value.join(", ") : ""; },
        setList: function (leaf, text) {
          var self = this;
          leaf.value = text.split(/[,，、]/).map(function (s) { return s.trim(); }).filter(Boolean)
            .map(function (s) { return self.typed(leaf.field, s); });
        },
        rangeText: function (leaf, i) { return Array.isArray(leaf.value) ? this.shown(leaf.value[i]) : ""; },
        setRange: function (leaf, i, raw) {
          var value = Array.isArray(leaf.value) ? leaf.value.slice() : [null, null];
          value[i] = this.typed(leaf.field, raw);
          leaf.value = value;
        },
        inputType: function (name) {
          var kind = this.kindOf(name);
          return kind === "number" ? "number" : kind === "date" ? "date" : "text";
        },
        conditionText: function (branch) {
          if (branch.isDefault) { return this.L.otherwise; }
          if (branch.condition.raw) { return this.L.json_condition; }
          var self = this;
          var parts = branch.condition.leaves.map(function (leaf) {
            var f = self.field(leaf.field);
            var value = Array.isArray(leaf.value) ? leaf.value.map(function (v) { return self.valueLabel(leaf.field, v); }).join(" – ")
              : self.valueLabel(leaf.field, leaf.value);
            return (f ? f.label : leaf.field) + " " + self.opLabel(leaf.op) + (NO_VALUE.indexOf(leaf.op) < 0 ? " " + value : "");
          });
          return parts.join(branch.condition.mode === "all" ? this.L.and_sep : this.L.or_sep) || this.L.no_condition;
        },
        valueLabel: function (name, value) {
          var found = this.choicesFor(name).find(function (c) { return String(c[0]) === String(value); });
          return found ? found[1] : this.shown(value);
        },

        // --- nodes --------------------------------------------------------------------------------
        newNodeFor: function (branch) {
          var node = toNode({ name: this.L.new_node, approvers: { type: "manager", level: 1 } });
          node.key = this.newKey("n");
          node.open = true;
          return node;
        },
        addNode: function (branch, at) {
          branch.nodes.splice(at, 0, this.newNodeFor(branch));
          this.clearErrors();
        },
        removeNode: function (branch, ni) {
          branch.nodes.splice(ni, 1);
          this.clearErrors();
        },
        moveNode: function (branch, ni, delta) {
          var to = ni + delta;
          if (to < 0 || to >= branch.nodes.length) { return; }
          var moved = branch.nodes.splice(ni, 1)[0];
          branch.nodes.splice(to, 0, moved);
          this.clearErrors();
        },
        setApproverType: function (node, type) {
          var next = { type: type };
          if (type === "members") { next.users = []; }
          if (type === "manager" || type === "manager_chain") { next.level = node.approvers.level || 1; }
          if (type === "role") { next.role = (this.meta.roles[0] || {}).value || ""; }
          node.approvers = next;
        },
        setLevel: function (node, raw) {
          var level = parseInt(raw, 10);
          node.approvers = Object.assign({}, node.approvers, { level: isNaN(level) ? 1 : Math.max(1, Math.min(MAX_LEVEL, level)) });
        },
        setCount: function (node, raw) {
          var next = Object.assign({}, node.approvers);
          var count = parseInt(raw, 10);
          if (isNaN(count) || count < 1) { delete next.count; } else { next.count = count; }
          node.approvers = next;
        },
        levels: function () { var out = []; for (var i = 1; i <= MAX_LEVEL; i += 1) { out.push(i); } return out; },
        memberLabel: function (id) {
          var m = this.meta.members.find(function (x) { return x.id === id; });
          return m ? m.label : "#" + id;
        },
        roleLabel: function (key) {
          var r = this.meta.roles.find(function (x) { return x.value === key; });
          return r ? r.label : key;
        },
        choiceLabel: function (list, value) {
          var c = this.meta[list].find(function (x) { return x.value === value; });
          return c ? c.label : value;
        },
        approverText: function (node) {
          var a = node.approvers || {};
          var L = this.L;
          var self = this;
          if (a.type === "members") { return (a.users || []).map(function (id) { return self.memberLabel(id); }).join("、") || L.nobody; }
          if (a.type === "manager") { return a.level === 1 ? L.direct_manager : L.manager_level.replace("%(n)s", a.level); }
          if (a.type === "manager_chain") { return L.manager_chain.replace("%(n)s", a.level); }
          if (a.type === "role") { return this.roleLabel(a.role); }
          if (a.type === "submitter_choice") { return L.submitter_choice; }
          return a.type || "";
        },
        modeText: function (node) {
          if (node.kind !== "approve") { return ""; }
          if (node.mode === "all") { return this.choiceLabel("modes", "all") + " · " + node.pass_percent + "%"; }
          return this.choiceLabel("modes", node.mode);
        },

        // The member picker: a filter box over checkboxes, for the node's approvers or its CC list.
        filteredMembers: function (pickerId) {
          var q = (this.memberFilter[pickerId] || "").trim().toLowerCase();
          return this.meta.members.filter(function (m) { return !q || m.label.toLowerCase().indexOf(q) >= 0; });
        },
        toggleUser: function (node, where, id, on) {
          if (where === "cc") {
            node.ccUsers = node.ccUsers.filter(function (x) { return x !== id; });
            if (on) { node.ccUsers.push(id); }
            return;
          }
          var users = (node.approvers.users || []).filter(function (x) { return x !== id; });
          if (on) { users.push(id); }
          node.approvers = Object.assign({}, node.approvers, { users: users });
        },
        hasUser: function (node, where, id) {
          return (where === "cc" ? node.ccUsers : node.approvers.users || []).indexOf(id) >= 0;
        },
        toggleCcRole: function (node, role, on) {
          node.ccRoles = node.ccRoles.filter(function (x) { return x !== role; });
          if (on) { node.ccRoles.push(role); }
        }
      };
    });
  });
})();
