// The rule builder: an Alpine.js component that edits a rule definition (trigger, condition tree, actions)
// and keeps it in the hidden "definition" field and the expert JSON textarea, both ways.
// Metadata and the initial state come from json_script blocks; every visible word comes from the page.
(function () {
  "use strict";

  var TRIGGER_KEYS = {
    record_updated: ["fields"],
    field_changed: ["field", "to", "from"],
    event: ["event"],
    date_relative: ["field", "offset", "unit"],
    schedule: ["cron"]
  };
  var NEEDS_MODEL = ["record_created", "record_updated", "field_changed", "record_deleted", "date_relative", "manual"];
  var nextId = 1;

  function readJson(id) {
    var el = document.getElementById(id);
    return el ? JSON.parse(el.textContent) : null;
  }

  function isObject(value) {
    return value !== null && typeof value === "object" && !Array.isArray(value);
  }

  function clone(value) {
    return value === undefined ? undefined : JSON.parse(JSON.stringify(value));
  }

  // --- the condition tree: JSON <-> editable nodes ---------------------------------------------------

  function toNode(json) {
    if (isObject(json) && "not" in json) {
      var inner = toNode(json.not);
      inner.negate = !inner.negate;
      return inner;
    }
    if (isObject(json) && (Array.isArray(json.all) || Array.isArray(json.any))) {
      var mode = Array.isArray(json.all) ? "all" : "any";
      return { id: nextId++, kind: "group", mode: mode, negate: false, children: json[mode].map(toNode) };
    }
    var leaf = isObject(json) ? json : {};
    return { id: nextId++, kind: "leaf", negate: false, field: leaf.field || "", op: leaf.op || "eq", value: clone(leaf.value) };
  }

  function toTree(json) {
    if (!json || (isObject(json) && Object.keys(json).length === 0)) {
      return { id: nextId++, kind: "group", mode: "all", negate: false, children: [] };
    }
    var root = toNode(json);
    if (root.kind === "group" && !root.negate) { return root; }
    // A lone leaf or a negated root: wrap it, and unwrap again when writing the JSON back.
    return { id: nextId++, kind: "group", mode: "all", negate: false, virtual: true, children: [root] };
  }

  function fromNode(node, shapes) {
    var json;
    if (node.kind === "group") {
      json = {};
      json[node.mode] = node.children.map(function (child) { return fromNode(child, shapes); });
    } else {
      json = { field: node.field, op: node.op };
      if (shapes[node.op] !== "none" && node.value !== undefined) { json.value = node.value; }
    }
    return node.negate ? { not: json } : json;
  }

  function fromTree(root, shapes) {
    if (!root.children.length && !root.negate) { return null; }
    if (root.virtual && root.children.length === 1 && !root.negate) { return fromNode(root.children[0], shapes); }
    return fromNode(root, shapes);
  }

  function toAction(json) {
    var step = isObject(json) ? json : {};
    return {
      uid: nextId++,
      type: step.type || "",
      params: isObject(step.params) ? clone(step.params) : {},
      hadContinue: "continue_on_failure" in step,
      continueOnFailure: !!step.continue_on_failure
    };
  }

  document.addEventListener("alpine:init", function () {
    window.Alpine.data("ruleBuilder", function () {
      var meta = readJson("rule-builder-meta");
      var state = readJson("rule-builder-state");
      var shapes = {};
      meta.operators.forEach(function (op) { shapes[op.value] = op.shape; });
      return {
        meta: meta,
        L: meta.labels,
        errors: state.errors || {},
        dryRunUrl: state.dry_run_url,
        ruleId: state.rule_id,
        triggerType: "event",
        model: "",
        trigger: {},
        tree: toTree(null),
        actions: [],
        jsonOpen: false,
        jsonFocused: false,
        jsonError: "",
        dryRecord: "",
        dryHtml: "",
        dryBusy: false,

        init: function () {
          this.load(state.definition || {});
          if (this.errors.definition || this.errors.non_field_errors) { this.jsonOpen = !!this.errors.definition; }
        },

        load: function (definition) {
          this.triggerType = definition.trigger_type || "event";
          this.model = definition.model || "";
          this.trigger = isObject(definition.trigger) ? clone(definition.trigger) : {};
          this.tree = toTree(definition.conditions);
          this.actions = (Array.isArray(definition.actions) ? definition.actions : []).map(toAction);
        },

        definition: function () {
          var keys = TRIGGER_KEYS[this.triggerType] || [];
          var trigger = {};
          var self = this;
          keys.forEach(function (key) { if (self.trigger[key] !== undefined) { trigger[key] = self.trigger[key]; } });
          return {
            trigger_type: this.triggerType,
            model: this.model,
            trigger: trigger,
            conditions: fromTree(this.tree, shapes),
            actions: this.actions.map(function (a) {
              var step = { type: a.type, params: a.params };
              if (a.hadContinue || a.continueOnFailure) { step.continue_on_failure = a.continueOnFailure; }
              return step;
            })
          };
        },

        definitionJson: function () { return JSON.stringify(this.definition()); },
        prettyJson: function () { return JSON.stringify(this.definition(), null, 2); },

        // The expert JSON: typing re-renders the form while the JSON parses; the form rewrites the text
        // only while the textarea does not have the focus (so the user's typing is never reformatted).
        syncJsonText: function (el) {
          var text = this.prettyJson();  // read first, so the effect tracks the definition even while focused
          if (!this.jsonFocused) { el.value = text; }
        },
        applyJson: function (text) {
          var parsed;
          try {
            parsed = JSON.parse(text);
          } catch (exc) {
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

        // --- errors -------------------------------------------------------------------------------
        err: function (path) { return (this.errors[path] || []).join(" "); },
        errList: function (path) { return this.errors[path] || []; },
        actionErrors: function (index) {
          var prefix = "actions." + index;
          var spec = this.actionSpec(this.actions[index].type);
          var known = (spec ? spec.params : []).map(function (p) { return prefix + ".params." + p.name; });
          var out = [];
          var errors = this.errors;
          Object.keys(errors).forEach(function (key) {
            if ((key === prefix || key.indexOf(prefix + ".") === 0) && known.indexOf(key) < 0) {
              out.push(errors[key].join(" "));
            }
          });
          return out;
        },
        clearActionErrors: function () {
          var errors = {};
          var self = this;
          Object.keys(this.errors).forEach(function (key) {
            if (key.indexOf("actions.") !== 0) { errors[key] = self.errors[key]; }
          });
          this.errors = errors;
        },

        // --- record types and fields --------------------------------------------------------------
        recordType: function (key) {
          var wanted = key === undefined ? this.model : key;
          return this.meta.record_types.find(function (rt) { return rt.key === wanted; }) || null;
        },
        needsModel: function () { return NEEDS_MODEL.indexOf(this.triggerType) >= 0; },
        fields: function () { var rt = this.recordType(); return rt ? rt.fields : []; },
        dateFields: function () { var rt = this.recordType(); return rt ? rt.date_fields : []; },
        fieldSpec: function (name) {
          return this.fields().find(function (f) { return f.name === name; }) || null;
        },
        conditionFields: function () { var rt = this.recordType(); return rt ? rt.condition_fields : []; },
        pathSpec: function (path) {
          var rt = this.recordType();
          if (!rt || !path) { return null; }
          var dot = path.indexOf(".");
          var head = path.slice(0, dot);
          var rest = path.slice(dot + 1);
          var target = head === rt.name ? rt : (rt.related[head] ? this.recordType(rt.related[head]) : null);
          if (!target) { return null; }
          return { type: target, field: target.fields.find(function (f) { return f.name === rest; }) || null, rest: rest };
        },
        pathLabel: function (path) {
          var spec = this.pathSpec(path);
          if (!spec) { return path; }
          return spec.type.label + " · " + (spec.field ? spec.field.label : spec.rest);
        },
        pathKind: function (path) {
          var spec = this.pathSpec(path);
          return spec && spec.field ? spec.field.kind : "text";
        },
        pathChoices: function (path) {
          var spec = this.pathSpec(path);
          return spec && spec.field && spec.field.choices ? spec.field.choices : [];
        },
        setTriggerType: function (value) {
          this.triggerType = value;
          if (value === "manual" || this.needsModel()) { if (!this.model) { this.model = "crm.deal"; } }
        },
        setEvent: function (value) {
          this.trigger.event = value;
          var event = this.meta.events.find(function (e) { return e.value === value; });
          if (event && event.model) { this.model = event.model; }
        },
        // A trigger or action value typed as the field's kind: numbers as numbers, yes/no as booleans.
        typed: function (kind, raw) {
          if (raw === "" || raw === undefined) { return undefined; }
          if (kind === "bool") { return raw === "true" || raw === true; }
          if (kind === "number" && raw !== "" && !isNaN(Number(raw))) { return Number(raw); }
          if ((kind === "ref" || kind === "user") && /^\d+$/.test(raw)) { return Number(raw); }
          return raw;
        },
        shown: function (value) {
          if (value === undefined || value === null) { return ""; }
          return String(value);
        },
        setTriggerValue: function (key, raw) {
          var spec = this.fieldSpec(this.trigger.field);
          var value = this.typed(spec ? spec.kind : "text", raw);
          if (value === undefined) { delete this.trigger[key]; } else { this.trigger[key] = value; }
          this.trigger = Object.assign({}, this.trigger);
        },

        // --- the condition tree -------------------------------------------------------------------
        rows: function () {
          var out = [];
          (function walk(group, depth) {
            out.push({ key: "g" + group.id, type: "group", node: group, depth: depth, root: depth === 0 });
            group.children.forEach(function (child) {
              if (child.kind === "group") { walk(child, depth + 1); }
              else { out.push({ key: "l" + child.id, type: "leaf", node: child, depth: depth + 1, parent: group }); }
            });
            out.push({ key: "a" + group.id, type: "add", node: group, depth: depth + 1 });
          })(this.tree, 0);
          return out;
        },
        parentOf: function (target) {
          var found = null;
          (function walk(group) {
            group.children.forEach(function (child) {
              if (child === target) { found = group; }
              if (child.kind === "group") { walk(child); }
            });
          })(this.tree);
          return found;
        },
        addLeaf: function (group) {
          var first = this.conditionFields()[0] || "";
          group.children.push({ id: nextId++, kind: "leaf", negate: false, field: first, op: "eq", value: undefined });
          group.virtual = false;
        },
        addGroup: function (group) {
          var child = { id: nextId++, kind: "group", mode: "any", negate: false, children: [] };
          this.addLeaf(child);
          group.children.push(child);
          group.virtual = false;
        },
        removeNode: function (node) {
          var parent = this.parentOf(node);
          if (parent) { parent.children.splice(parent.children.indexOf(node), 1); }
        },
        opShape: function (op) { return shapes[op] || "one"; },
        setOp: function (leaf, op) {
          var before = this.opShape(leaf.op);
          leaf.op = op;
          var after = this.opShape(op);
          if (before !== after) {
            leaf.value = after === "list" ? [] : after === "range" ? [null, null] : after === "days" ? 7 : undefined;
          }
        },
        setLeafValue: function (leaf, raw) {
          leaf.value = this.typed(this.pathKind(leaf.field), raw);
        },
        listText: function (leaf) { return Array.isArray(leaf.value) ? leaf.value.join(", ") : ""; },
        setList: function (leaf, text) {
          var kind = this.pathKind(leaf.field);
          var self = this;
          leaf.value = text.split(/[,，]/).map(function (s) { return s.trim(); }).filter(Boolean)
            .map(function (s) { return self.typed(kind, s); });
        },
        setListFromSelect: function (leaf, select) {
          leaf.value = Array.prototype.filter.call(select.options, function (o) { return o.selected; })
            .map(function (o) { return o.value; });
        },
        rangeText: function (leaf, i) { return Array.isArray(leaf.value) && leaf.value[i] !== null ? this.shown(leaf.value[i]) : ""; },
        setRange: function (leaf, i, raw) {
          var value = Array.isArray(leaf.value) ? leaf.value.slice() : [null, null];
          var typed = this.typed(this.pathKind(leaf.field), raw);
          value[i] = typed === undefined ? null : typed;
          leaf.value = value;
        },
        inputType: function (kind) {
          return kind === "number" ? "number" : kind === "date" ? "date" : "text";
        },

        // --- actions ------------------------------------------------------------------------------
        availableActions: function () {
          var model = this.model;
          return this.meta.actions.filter(function (a) { return !a.models.length || a.models.indexOf(model) >= 0; });
        },
        actionSpec: function (type) {
          return this.meta.actions.find(function (a) { return a.key === type; }) || null;
        },
        addAction: function (type) {
          if (!type) { return; }
          var spec = this.actionSpec(type);
          var params = {};
          spec.params.forEach(function (p) { if (p.default !== null && p.default !== undefined) { params[p.name] = clone(p.default); } });
          this.actions.push({ uid: nextId++, type: type, params: params, hadContinue: false, continueOnFailure: false });
        },
        moveAction: function (index, delta) {
          var target = index + delta;
          if (target < 0 || target >= this.actions.length) { return; }
          var moved = this.actions.splice(index, 1)[0];
          this.actions.splice(target, 0, moved);
          this.clearActionErrors();
        },
        removeAction: function (index) {
          this.actions.splice(index, 1);
          this.clearActionErrors();
        },
        setParam: function (action, name, value) {
          if (value === undefined || value === "") { delete action.params[name]; } else { action.params[name] = value; }
          action.params = Object.assign({}, action.params);
        },
        settableFields: function () {
          var names = this.meta.settable[this.model] || [];
          return this.fields().filter(function (f) { return names.indexOf(f.name) >= 0; });
        },
        valueSpec: function (action) { return this.fieldSpec(action.params.field); },

        // user_pick: {"strategy": ..., "user": id, "role": key, "skill": text, "fallback": "rule_owner"}
        pick: function (action, name) { return isObject(action.params[name]) ? action.params[name] : {}; },
        setPick: function (action, name, key, raw) {
          var spec = Object.assign({}, this.pick(action, name));
          var value = key === "user" && /^\d+$/.test(raw) ? Number(raw) : raw;
          if (value === "" || value === undefined) { delete spec[key]; } else { spec[key] = value; }
          if (key === "strategy") {
            if (value !== "user") { delete spec.user; }
            if (value !== "by_skill") { delete spec.skill; }
          }
          this.setParam(action, name, spec);
        },

        // role_map: {"foreman": {"strategy": "least_loaded", "role": "foreman"}, ...}
        roleMap: function (action, name) { return isObject(action.params[name]) ? action.params[name] : {}; },
        roleNames: function (action, name) { return Object.keys(this.roleMap(action, name)); },
        setRoleMap: function (action, name, placeholder, role) {
          var map = Object.assign({}, this.roleMap(action, name));
          map[placeholder] = { strategy: "least_loaded", role: role };
          this.setParam(action, name, map);
        },
        addRole: function (action, name, placeholder) {
          placeholder = (placeholder || "").trim();
          if (placeholder) { this.setRoleMap(action, name, placeholder, placeholder); }
        },
        removeRole: function (action, name, placeholder) {
          var map = Object.assign({}, this.roleMap(action, name));
          delete map[placeholder];
          this.setParam(action, name, Object.keys(map).length ? map : undefined);
        },

        // project_template_map: {"mode": "fixed", "id": n} or {"mode": "by_deal", "map": [...], "default": n}
        tmap: function (action, name) { return isObject(action.params[name]) ? action.params[name] : {}; },
        setTmapMode: function (action, name, mode) {
          var current = this.tmap(action, name);
          if (mode === "fixed") {
            this.setParam(action, name, { mode: "fixed", id: current.default || null });
          } else {
            this.setParam(action, name, { mode: "by_deal", map: [], "default": current.id || null });
          }
        },
        setTmap: function (action, name, key, raw) {
          var spec = Object.assign({}, this.tmap(action, name));
          spec[key] = /^\d+$/.test(raw) ? Number(raw) : null;
          this.setParam(action, name, spec);
        },
        addMapping: function (action, name) {
          var spec = Object.assign({}, this.tmap(action, name));
          var first = this.meta.templates[0];
          spec.map = (spec.map || []).concat([{ deal_type: "", template: first ? first.id : null }]);
          this.setParam(action, name, spec);
        },
        setMapping: function (action, name, index, key, raw) {
          var spec = Object.assign({}, this.tmap(action, name));
          spec.map = spec.map.slice();
          var entry = Object.assign({}, spec.map[index]);
          if (key === "template") { entry.template = /^\d+$/.test(raw) ? Number(raw) : null; }
          else if (raw) { entry[key] = raw; } else { delete entry[key]; }
          spec.map[index] = entry;
          this.setParam(action, name, spec);
        },
        removeMapping: function (action, name, index) {
          var spec = Object.assign({}, this.tmap(action, name));
          spec.map = spec.map.slice();
          spec.map.splice(index, 1);
          this.setParam(action, name, spec);
        },

        // recipients and channels: lists of keys, edited with checkboxes
        listParam: function (action, name) { return Array.isArray(action.params[name]) ? action.params[name] : []; },
        hasItem: function (action, name, key) { return this.listParam(action, name).indexOf(key) >= 0; },
        toggleItem: function (action, name, key, on) {
          var list = this.listParam(action, name).filter(function (k) { return k !== key; });
          if (on) { list.push(key); }
          this.setParam(action, name, list);
        },
        peopleIn: function (action, name) {
          return this.listParam(action, name).filter(function (k) { return k.indexOf("user:") === 0; });
        },
        setPeople: function (action, name, select) {
          var chosen = Array.prototype.filter.call(select.options, function (o) { return o.selected; }).map(function (o) { return o.value; });
          var rest = this.listParam(action, name).filter(function (k) { return k.indexOf("user:") !== 0; });
          this.setParam(action, name, rest.concat(chosen));
        },
        variables: function () {
          var rt = this.recordType();
          if (!rt) { return ["{{ trigger.… }}"]; }
          var names = rt.fields.map(function (f) { return f.name; }).concat(["url", "owner_name"]);
          var out = names.map(function (n) { return "{{ " + rt.name + "." + n + " }}"; });
          Object.keys(rt.related).forEach(function (name) { out.push("{{ " + name + ".name }}"); });
          if (this.actions.some(function (a) { return a.type === "create_project"; })) {
            out.push("{{ project.name }}", "{{ project.number }}", "{{ project.manager_name }}", "{{ project.url }}");
          }
          out.push("{{ recipient.name }}");
          return out;
        },

        // --- the dry run --------------------------------------------------------------------------
        records: function () { return this.meta.records[this.model] || []; },
        dryRun: function () {
          var self = this;
          var body = new FormData();
          body.append("definition", this.definitionJson());
          body.append("record_id", this.dryRecord);
          if (this.ruleId) { body.append("rule", this.ruleId); }
          this.dryBusy = true;
          fetch(this.dryRunUrl, {
            method: "POST",
            body: body,
            headers: { "X-CSRFToken": window.Tandem.csrfToken(), "HX-Request": "true" },
            credentials: "same-origin"
          }).then(function (response) { return response.text(); })
            .then(function (html) { self.dryHtml = html; })
            .finally(function () { self.dryBusy = false; });
        }
      };
    });
  });
})();
