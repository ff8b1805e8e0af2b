"use strict";
// dafu review: shared by the index and the letter pages. Letter text only ever goes back into the page
// through textContent / value; nothing here builds HTML from data.
var DAFU = (function () {
  var data = JSON.parse(document.getElementById("data").textContent);
  var storeKey = "dafu-review:" + data.site;
  var pending = null;  // key -> correction (or null: a correction of the file, withdrawn)

  function load() {
    if (pending !== null) return pending;
    try { pending = JSON.parse(window.localStorage.getItem(storeKey) || "{}") || {}; } catch (e) { pending = {}; }
    return pending;
  }
  function save() {
    try { window.localStorage.setItem(storeKey, JSON.stringify(pending)); } catch (e) { /* kept in memory */ }
  }
  function keyOf(c) {
    return c.action === "header" ? [c.letter, "header", c.field].join("\u0000")
      : [c.letter, "metric", c.raw, String(c.start)].join("\u0000");
  }
  function baseMap() {
    var out = {};
    data.base.forEach(function (c) { out[keyOf(c)] = c; });
    return out;
  }
  function current(key) {  // the correction in force for a key: a pending one, else the file's
    var p = load();
    if (Object.prototype.hasOwnProperty.call(p, key)) return p[key];
    return baseMap()[key] || null;
  }
  function put(c) { load()[keyOf(c)] = c; save(); changed(); }
  function withdraw(key) {
    var p = load();
    if (baseMap()[key]) p[key] = null; else delete p[key];
    save(); changed();
  }
  function undo(key) { delete load()[key]; save(); changed(); }
  var listeners = [];
  function changed() { listeners.forEach(function (f) { f(); }); }
  function onChange(f) { listeners.push(f); }
  function pendingCount() { return Object.keys(load()).length; }

  var ORDER = ["letter", "action", "raw", "start", "field", "value", "was", "unit", "label", "category", "role", "note"];
  function sortKey(c) {
    return [c.letter, c.action === "header" ? 0 : 1, c.action === "header" ? c.field : c.start];
  }
  function compare(a, b) {
    var x = sortKey(a), y = sortKey(b);
    for (var i = 0; i < x.length; i++) { if (x[i] < y[i]) return -1; if (x[i] > y[i]) return 1; }
    return 0;
  }
  function merged() {  // the whole corrections file: the file's corrections with the pending ones laid over
    var all = baseMap(), p = load();
    Object.keys(p).forEach(function (k) { if (p[k] === null) delete all[k]; else all[k] = p[k]; });
    return Object.keys(all).map(function (k) { return all[k]; }).sort(compare);
  }
  function keys(c) {
    var ks = Object.keys(c).filter(function (k) { return c[k] !== null && c[k] !== undefined; });
    return ks.sort(function (a, b) {
      var i = ORDER.indexOf(a), j = ORDER.indexOf(b);
      return (i < 0 ? 99 : i) - (j < 0 ? 99 : j) || (a < b ? -1 : a > b ? 1 : 0);
    });
  }
  function tomlValue(v) {
    if (typeof v === "number") return Number.isInteger(v) && Math.abs(v) < 1e21 ? v.toFixed(0) : String(v);
    if (typeof v === "boolean") return String(v);
    return JSON.stringify(String(v)).replace(/\u007f/g, "\\u007f");  // a JSON string is a TOML basic string
  }
  function toToml(list) {
    var lines = ["# dafu corrections (DESIGN §4): `dafu convert … --corrections FILE`, or keep it as OUT/corrections.toml.",
                 "# action: drop | change | add (a metric, keyed by raw + start) or header (a header field)."];
    list.forEach(function (c) {
      lines.push("", "[[correction]]");
      keys(c).forEach(function (k) { lines.push(k + " = " + tomlValue(c[k])); });
    });
    return lines.join("\n") + "\n";
  }
  function toJsonl(list) {
    return list.map(function (c) {
      var o = {};
      keys(c).forEach(function (k) { o[k] = c[k]; });
      return JSON.stringify(o);
    }).join("\n") + (list.length ? "\n" : "");
  }
  function download(name, text, type) {
    var blob = new Blob([text], { type: type });
    var a = document.createElement("a");
    a.href = URL.createObjectURL(blob);
    a.download = name;
    document.body.appendChild(a);
    a.click();
    setTimeout(function () { URL.revokeObjectURL(a.href); a.remove(); }, 2000);
  }
  function wireDownloads() {
    var t = document.getElementById("download-toml"), j = document.getElementById("download-jsonl");
    if (t) t.addEventListener("click", function () { download("corrections.toml", toToml(merged()), "application/toml"); });
    if (j) j.addEventListener("click", function () { download("corrections.jsonl", toJsonl(merged()), "application/jsonl"); });
  }
  function el(tag, text, cls) {
    var e = document.createElement(tag);
    if (text !== undefined && text !== null) e.textContent = String(text);
    if (cls) e.className = cls;
    return e;
  }
  return { data: data, keyOf: keyOf, current: current, put: put, withdraw: withdraw, undo: undo, load: load,
           onChange: onChange, pendingCount: pendingCount, merged: merged, toToml: toToml, toJsonl: toJsonl,
           wireDownloads: wireDownloads, el: el, baseMap: baseMap };
})();
