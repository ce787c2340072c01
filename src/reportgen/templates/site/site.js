/* Sorting and filtering the site's partnership tables, in the page, without a network.
   Optional: without JavaScript the filter stays hidden and every row is listed. */
"use strict";
document.querySelectorAll("form.filter").forEach(function (form) {
  var rows = Array.from(document.getElementById(form.dataset.filterFor).tBodies[0].rows);
  var count = form.querySelector(".filter-count"), empty = document.querySelector(".filter-empty");
  function apply() {
    var q = form.q.value.trim().toLowerCase(), shown = 0;
    rows.forEach(function (row) {
      row.hidden = !(row.dataset.name.toLowerCase().includes(q) &&
        (!form.status.value || row.dataset.status === form.status.value) &&
        (!form.risk.checked || row.dataset.risk !== "0"));
      shown += row.hidden ? 0 : 1;
    });
    count.textContent = form.dataset.shown.replace("{shown}", shown).replace("{total}", rows.length);
    empty.hidden = shown > 0;
  }
  form.addEventListener("input", apply);
  form.addEventListener("change", apply);
  form.addEventListener("submit", function (event) { event.preventDefault(); });
  form.hidden = false;
  apply();
});
document.querySelectorAll("table[data-sortable] th[data-sort]").forEach(function (th) {
  var button = document.createElement("button"), numeric = th.dataset.sort === "number";
  button.type = "button";
  button.append.apply(button, Array.from(th.childNodes));
  th.append(button);
  button.addEventListener("click", function () {
    var body = th.closest("table").tBodies[0], up = th.getAttribute("aria-sort") !== "ascending";
    th.closest("tr").querySelectorAll("th").forEach(function (o) { o.removeAttribute("aria-sort"); });
    th.setAttribute("aria-sort", up ? "ascending" : "descending");
    function key(row) {
      var cell = row.cells[th.cellIndex], v = cell.dataset.value !== undefined ? cell.dataset.value : cell.textContent.trim();
      return v === "" ? null : numeric ? parseFloat(v) : v.toLowerCase();
    }
    Array.from(body.rows).map(function (row) { return [key(row), row]; }).sort(function (a, b) {
      if (a[0] === null || b[0] === null) return (a[0] === null) - (b[0] === null);
      return (up ? 1 : -1) * (numeric ? a[0] - b[0] : a[0].localeCompare(b[0]));
    }).forEach(function (pair) { body.append(pair[1]); });
  });
});
