
// the index: sort, filter, totals of the letters that match; at most `limit` rows laid out at a time
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

  var order = info.map(function (r, k) { return k; });  // the rows' order on the page
  var limit = DAFU.data.rows_at_once || 500;
  var step = limit;
  function apply() {  // filter; totals over every match; only the first `limit` matches are laid out
    var q = filter.value.trim().toLowerCase(), matching = 0, shown = 0, totals = {};
    numCols.forEach(function (i) { totals[i] = 0; });
    var wanted = Object.keys(checks).filter(function (id) { return document.getElementById(id).checked; });
    for (var k = 0; k < order.length; k++) {
      var r = info[order[k]];
      var ok = !q || r.text.indexOf(q) >= 0;
      for (var w = 0; w < wanted.length && ok; w++) if (!r.nums[checks[wanted[w]]]) ok = false;
      if (ok) { matching++; numCols.forEach(function (i) { totals[i] += r.nums[i]; }); }
      var show = ok && shown < limit;
      if (show) shown++;
      if (r.tr.hidden === show) r.tr.hidden = !show;
    }
    document.getElementById("matching").textContent = String(matching);
    document.getElementById("shown").textContent = String(shown);
    document.getElementById("show-more").hidden = document.getElementById("show-all").hidden = shown >= matching;
    numCols.forEach(function (i) {
      var cell = document.getElementById("total-" + heads[i].dataset.key);
      if (cell) cell.textContent = String(totals[i]);
    });
  }
  function sortBy(i) {
    var th = heads[i], asc = th.getAttribute("aria-sort") !== "ascending", num = th.dataset.type === "num";
    heads.forEach(function (h) { h.removeAttribute("aria-sort"); });
    th.setAttribute("aria-sort", asc ? "ascending" : "descending");
    order = info.map(function (r, k) { return k; });
    order.sort(function (a, b) {
      var x = num ? info[a].nums[i] : info[a].cells[i], y = num ? info[b].nums[i] : info[b].cells[i];
      var c = num ? x - y : (x < y ? -1 : x > y ? 1 : 0);
      return (asc ? c : -c) || a - b;
    });
    var next = tbody.nextSibling;
    table.removeChild(tbody);  // reorder off the document: one layout instead of one per row
    var frag = document.createDocumentFragment();
    order.forEach(function (k) { frag.appendChild(info[k].tr); });
    tbody.appendChild(frag);
    table.insertBefore(tbody, next);
    apply();
  }
  heads.forEach(function (th, i) { th.querySelector("button").addEventListener("click", function () { sortBy(i); }); });
  filter.addEventListener("input", function () { limit = step; apply(); });
  document.getElementById("show-more").addEventListener("click", function () { limit += step; apply(); });
  document.getElementById("show-all").addEventListener("click", function () { limit = Infinity; apply(); });
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
