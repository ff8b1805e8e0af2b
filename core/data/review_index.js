
// the index: sort, filter, totals of the shown letters
(function () {
  var table = document.getElementById("letters");
  var tbody = table.tBodies[0];
  var rows = Array.prototype.slice.call(tbody.rows);
  var heads = Array.prototype.slice.call(table.tHead.rows[0].cells);
  var numCols = [];
  heads.forEach(function (th, i) { if (th.dataset.type === "num") numCols.push(i); });
  var info = rows.map(function (tr) {
    var cells = tr.cells, nums = {};
    numCols.forEach(function (i) { nums[i] = Number(cells[i].textContent) || 0; });
    return { tr: tr, text: tr.textContent.toLowerCase(), nums: nums,
             cells: Array.prototype.map.call(cells, function (c) { return c.textContent; }) };
  });
  var filter = document.getElementById("filter");
  var checks = { "only-warnings": 5, "only-repairs": 6, "only-corrected": 7 };

  function apply() {
    var q = filter.value.trim().toLowerCase(), shown = 0, totals = {};
    numCols.forEach(function (i) { totals[i] = 0; });
    info.forEach(function (r) {
      var ok = !q || r.text.indexOf(q) >= 0;
      Object.keys(checks).forEach(function (id) { if (document.getElementById(id).checked && !r.nums[checks[id]]) ok = false; });
      r.tr.hidden = !ok;
      if (ok) { shown++; numCols.forEach(function (i) { totals[i] += r.nums[i]; }); }
    });
    document.getElementById("shown").textContent = String(shown);
    numCols.forEach(function (i) {
      var cell = document.getElementById("total-" + heads[i].dataset.key);
      if (cell) cell.textContent = String(totals[i]);
    });
  }
  function sortBy(i) {
    var th = heads[i], asc = th.getAttribute("aria-sort") !== "ascending", num = th.dataset.type === "num";
    heads.forEach(function (h) { h.removeAttribute("aria-sort"); });
    th.setAttribute("aria-sort", asc ? "ascending" : "descending");
    var order = info.map(function (r, k) { return k; });
    order.sort(function (a, b) {
      var x = num ? info[a].nums[i] : info[a].cells[i], y = num ? info[b].nums[i] : info[b].cells[i];
      var c = num ? x - y : (x < y ? -1 : x > y ? 1 : 0);
      return (asc ? c : -c) || a - b;
    });
    var frag = document.createDocumentFragment();
    order.forEach(function (k) { frag.appendChild(info[k].tr); });
    tbody.appendChild(frag);
  }
  heads.forEach(function (th, i) { th.querySelector("button").addEventListener("click", function () { sortBy(i); }); });
  filter.addEventListener("input", apply);
  Object.keys(checks).forEach(function (id) { document.getElementById(id).addEventListener("change", apply); });
  function showPending() {
    var n = DAFU.pendingCount();
    document.getElementById("pending-count").textContent = n ? n + " correction(s) made in this browser, not yet applied" : "";
  }
  DAFU.onChange(showPending);
  showPending();
  DAFU.wireDownloads();
  apply();
})();
