
// a letter page: details of a figure, corrections (change, drop, add from a selection, header fields)
(function () {
  var data = DAFU.data, el = DAFU.el, letter = data.id;
  var textBox = document.getElementById("text");
  var marks = Array.prototype.slice.call(textBox.querySelectorAll("mark.metric"));
  var byK = {};
  marks.forEach(function (m) { byK[m.dataset.k] = m; });
  var details = document.getElementById("details-body");
  var active = null;
  var FIELDS = ["raw", "value", "value_high", "unit", "unit_kind", "qualifier", "role", "per", "label", "category",
                "period", "section", "sentence"];

  function fmt(v) {
    if (v === null || v === undefined || v === "") return "—";
    if (typeof v === "number") return v.toLocaleString("en-US", { maximumFractionDigits: 6 });
    return String(v);
  }
  function metricKey(m) { return DAFU.keyOf({ letter: letter, action: "change", raw: m.raw, start: m.span[0] }); }
  function row(table, name, value, cls) {
    var tr = table.insertRow(), th = el("th", name), td = el("td", fmt(value), cls);
    tr.appendChild(th); tr.appendChild(td);
    return td;
  }
  function input(form, name, value, options) {
    var label = el("label", name + " "), field;
    if (options) {
      field = document.createElement("select");
      var opts = options.slice();
      if (value && opts.indexOf(value) < 0) opts.unshift(value);
      opts.forEach(function (o) { var op = el("option", o === "" ? "(none)" : o); op.value = o; field.appendChild(op); });
      field.value = value === null || value === undefined ? "" : String(value);
    } else {
      field = document.createElement("input");
      field.type = "text";
      field.value = value === null || value === undefined ? "" : String(value);
    }
    field.name = name;
    label.appendChild(field);
    form.appendChild(label);
    return field;
  }
  function button(parent, text, cls, onClick) {
    var b = el("button", text, cls);
    b.type = "button";
    b.addEventListener("click", onClick);
    parent.appendChild(b);
    parent.appendChild(document.createTextNode(" "));
    return b;
  }
  function number(s) {
    var t = String(s).replace(/[,，\s]/g, "");
    if (t === "" || !/^-?(\d+\.?\d*|\.\d+)([eE][-+]?\d+)?$/.test(t)) return NaN;
    return Number(t);
  }

  function show(k) {
    var m = data.metrics[k];
    if (active) active.classList.remove("active");
    active = byK[k];
    if (active) active.classList.add("active");
    details.textContent = "";
    var table = el("table", null, "details");
    FIELDS.forEach(function (f) { row(table, f, f === "raw" ? m.raw : m[f]); });
    row(table, "span", m.span ? m.span[0] + "–" + m.span[1] : null);
    details.appendChild(table);
    if (m.corrected && m.before) {
      var was = el("p", null, "hint");
      was.textContent = (m.added ? "added by a correction" : "corrected; extracted as: ") +
        Object.keys(m.before).map(function (f) { return f + " = " + fmt(m.before[f]); }).join(", ");
      details.appendChild(was);
    } else if (m.corrected) {
      details.appendChild(el("p", "added by a correction", "hint"));
    }
    editForm(m);
  }

  function editForm(m) {
    var key = metricKey(m), cur = DAFU.current(key);
    var form = el("form", null, "edit");
    form.addEventListener("submit", function (e) { e.preventDefault(); });
    var head = el("h3", "Correct this figure");
    form.appendChild(head);
    var start = cur && cur.action !== "drop" ? cur : {};
    var f = {
      label: input(form, "label", start.label !== undefined ? start.label : m.label),
      category: input(form, "category", start.category !== undefined ? start.category : m.category, data.categories),
      role: data.roles.length ? input(form, "role", start.role !== undefined ? start.role : (m.role || ""),
                                      data.roles) : { value: "" },
      value: input(form, "value", start.value !== undefined ? start.value : m.value),
      unit: input(form, "unit", start.unit !== undefined ? start.unit : m.unit)
    };
    var msg = el("p", null, "error");
    var bar = el("p");
    button(bar, "Save change", "save", function () {
      var isAdd = m.added || (cur && cur.action === "add");
      var c = { letter: letter, action: isAdd ? "add" : "change", raw: m.raw, start: m.span[0] };
      var v = number(f.value.value);
      if (!isFinite(v)) { msg.textContent = "value must be a finite number"; return; }
      var want = { label: f.label.value.trim(), category: f.category.value, role: f.role.value, value: v,
                   unit: f.unit.value.trim() };
      var any = false;
      Object.keys(want).forEach(function (name) {
        var o = m.before && Object.prototype.hasOwnProperty.call(m.before, name) ? m.before[name] : m[name];
        if (o === null || o === undefined) o = "";
        if (isAdd ? want[name] !== "" : want[name] !== o) { c[name] = want[name]; any = true; }
      });
      if (!any) { msg.textContent = "nothing changed"; return; }
      DAFU.put(c);
      show(data.metrics.indexOf(m));
    });
    button(bar, "Mark wrong (drop)", "drop", function () {
      DAFU.put({ letter: letter, action: "drop", raw: m.raw, start: m.span[0] });
      show(data.metrics.indexOf(m));
    });
    if (Object.prototype.hasOwnProperty.call(DAFU.load(), key)) {
      button(bar, "Undo my edit", "undo", function () { DAFU.undo(key); show(data.metrics.indexOf(m)); });
    } else if (DAFU.baseMap()[key]) {
      button(bar, "Withdraw the file's correction", "withdraw", function () { DAFU.withdraw(key); show(data.metrics.indexOf(m)); });
    }
    form.appendChild(bar);
    form.appendChild(msg);
    if (cur) form.appendChild(el("p", cur.action === "drop" ? "marked wrong: it will be dropped" :
                                 "correction in force: " + cur.action, "hint"));
    details.appendChild(form);
  }

  // ---- add a missed figure from a selection (offsets in code points, as in the record)
  function codePoints(s) { var n = 0; for (var i = 0; i < s.length; i++) { var c = s.charCodeAt(i); if (c < 0xDC00 || c > 0xDFFF) n++; } return n; }
  function offsetOf(node, offset) {
    var walker = document.createTreeWalker(textBox, NodeFilter.SHOW_TEXT, null), n = 0, t;
    if (node.nodeType !== 3) {  // an element boundary: count the text before its offset-th child
      var probe = document.createRange();
      probe.setStart(textBox, 0); probe.setEnd(node, offset);
      return codePoints(probe.toString());
    }
    while ((t = walker.nextNode())) {
      if (t === node) return n + codePoints(t.data.slice(0, offset));
      n += codePoints(t.data);
    }
    return -1;
  }
  function selectionSpan() {
    var sel = window.getSelection();
    if (!sel || sel.rangeCount === 0 || sel.isCollapsed) return null;
    var r = sel.getRangeAt(0);
    if (!textBox.contains(r.startContainer) || !textBox.contains(r.endContainer)) return null;
    var s = offsetOf(r.startContainer, r.startOffset), e = offsetOf(r.endContainer, r.endOffset);
    var raw = r.toString();
    if (s < 0 || e <= s || !raw.trim() || raw.length > 200) return null;
    return { start: s, end: e, raw: raw };
  }
  function addForm(sp) {
    if (active) active.classList.remove("active");
    active = null;
    details.textContent = "";
    var form = el("form", null, "edit");
    form.addEventListener("submit", function (e) { e.preventDefault(); });
    form.appendChild(el("h3", "Add a missed figure"));
    var t = el("table", null, "details");
    row(t, "raw", sp.raw); row(t, "span", sp.start + "–" + sp.end);
    form.appendChild(t);
    var guess = /([0-9０-９.,]+)\s*([^0-9０-９.,]*)$/.exec(sp.raw);
    var f = {
      label: input(form, "label", ""),
      category: input(form, "category", "other", data.categories),
      role: data.roles.length ? input(form, "role", "result", data.roles) : { value: "" },
      value: input(form, "value", guess ? guess[1].replace(/,/g, "") : ""),
      unit: input(form, "unit", guess ? guess[2].trim() : "")
    };
    var msg = el("p", null, "error"), bar = el("p");
    button(bar, "Add figure", "save", function () {
      var v = number(f.value.value);
      if (!isFinite(v)) { msg.textContent = "value must be a finite number"; return; }
      if (!f.unit.value.trim()) { msg.textContent = "unit is needed"; return; }
      var c = { letter: letter, action: "add", raw: sp.raw, start: sp.start, value: v, unit: f.unit.value.trim(),
                label: f.label.value.trim(), category: f.category.value };
      if (f.role.value) c.role = f.role.value;
      DAFU.put(c);
      details.textContent = "";
      details.appendChild(el("p", "Added " + sp.raw + " at " + sp.start + " (see Corrections below).", "hint"));
    });
    form.appendChild(bar); form.appendChild(msg);
    details.appendChild(form);
  }
  var addButton = el("button", "Add the selected text as a figure", "add-selection");
  addButton.type = "button";
  addButton.hidden = true;
  document.getElementById("details").appendChild(addButton);
  var lastSpan = null;
  document.addEventListener("selectionchange", function () {
    lastSpan = selectionSpan();
    addButton.hidden = !lastSpan;
  });
  addButton.addEventListener("click", function () { if (lastSpan) addForm(lastSpan); });

  // ---- header fields
  function headerForm(field) {
    if (active) active.classList.remove("active");
    active = null;
    details.textContent = "";
    var key = DAFU.keyOf({ letter: letter, action: "header", field: field }), cur = DAFU.current(key);
    var form = el("form", null, "edit");
    form.addEventListener("submit", function (e) { e.preventDefault(); });
    form.appendChild(el("h3", "Correct the header field " + field));
    var was = data.header[field];
    var box = input(form, field, cur ? cur.value : was);
    var bar = el("p");
    button(bar, "Save", "save", function () {
      var c = { letter: letter, action: "header", field: field, value: box.value.trim() };
      if (was !== null && was !== undefined) c.was = String(was);
      DAFU.put(c);
      headerForm(field);
    });
    if (Object.prototype.hasOwnProperty.call(DAFU.load(), key)) button(bar, "Undo my edit", "undo", function () { DAFU.undo(key); headerForm(field); });
    form.appendChild(bar);
    form.appendChild(el("p", "Extracted: " + fmt(was), "hint"));
    details.appendChild(form);
  }
  Array.prototype.forEach.call(document.querySelectorAll("button.edit-header"), function (b) {
    b.addEventListener("click", function () { headerForm(b.dataset.field); });
  });

  // ---- pending corrections of this letter, shown in the text and listed
  function describe(c) {
    if (c.action === "header") return "header " + c.field + " → " + fmt(c.value);
    var parts = ["label", "category", "role", "value", "unit"].filter(function (f) { return c[f] !== undefined; })
      .map(function (f) { return f + " = " + fmt(c[f]); });
    return c.action + " " + c.raw + " @" + c.start + (parts.length ? ": " + parts.join(", ") : "");
  }
  function refresh() {
    var p = DAFU.load(), box = document.getElementById("pending");
    marks.forEach(function (mk) { mk.classList.remove("pending-change", "pending-drop"); });
    data.metrics.forEach(function (m, k) {
      var key = metricKey(m);
      if (!Object.prototype.hasOwnProperty.call(p, key) || !byK[k]) return;
      var c = p[key];
      byK[k].classList.add(c && c.action === "drop" ? "pending-drop" : "pending-change");
    });
    box.textContent = "";
    var mine = Object.keys(p).filter(function (k) { return k.split("\u0000")[0] === letter; }).sort();
    var total = Object.keys(p).length;
    box.appendChild(el("p", mine.length + " made on this page, " + total + " in all, not yet in a corrections file:", "hint"));
    var ul = el("ul", null, "pending");
    mine.forEach(function (k) {
      var li = el("li", p[k] === null ? "withdraw the file's correction " + k.split("\u0000").slice(1).join(" ") : describe(p[k]));
      li.appendChild(document.createTextNode(" "));
      button(li, "undo", "undo", function () { DAFU.undo(k); });
      ul.appendChild(li);
    });
    box.appendChild(ul);
  }
  DAFU.onChange(refresh);
  refresh();
  Array.prototype.forEach.call(document.querySelectorAll("button.withdraw-drop"), function (b) {
    b.addEventListener("click", function () {  // a figure the corrections file drops: keep it from now on
      DAFU.withdraw(DAFU.keyOf({ letter: letter, action: "drop", raw: b.dataset.raw, start: Number(b.dataset.start) }));
      b.disabled = true;
    });
  });

  // ---- wiring: clicks on figures, hover titles, links to figures and warnings
  marks.forEach(function (mk) {
    var m = data.metrics[mk.dataset.k];
    if (m) mk.title = (m.label || "") + " · " + fmt(m.value) + " " + (m.unit || "") + " · " + (m.category || "") +
      (m.role ? " · " + m.role : "");
  });
  Array.prototype.forEach.call(textBox.querySelectorAll("span.repair"), function (sp) {
    var r = data.repairs[sp.dataset.repair];
    if (r) sp.title = "repaired: " + r.damaged + " → " + r.repaired + " (confidence " + fmt(r.confidence) + ")";
  });
  Array.prototype.forEach.call(textBox.querySelectorAll("span.warn"), function (sp) {
    var w = data.warnings[sp.dataset.warn];
    if (w) sp.title = w.code + ": " + w.message;
  });
  textBox.addEventListener("click", function (e) {
    var mk = e.target.closest ? e.target.closest("mark.metric") : null;
    if (mk && window.getSelection().isCollapsed) show(Number(mk.dataset.k));
  });
  Array.prototype.forEach.call(document.querySelectorAll("a.goto-metric"), function (a) {
    a.addEventListener("click", function (e) {
      e.preventDefault();
      var k = Number(a.dataset.k);
      if (byK[k]) byK[k].scrollIntoView({ block: "center" });
      show(k);
    });
  });
  DAFU.wireDownloads();
})();
