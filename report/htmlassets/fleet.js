(function () {
  "use strict";
  // The fleet heatmap: a header sorts by its column (again: the other way),
  // the label filter shows the targets that carry the chosen label.
  var map = document.getElementById("fleet-map");
  if (map) {
    var body = map.tBodies[0];
    Array.prototype.slice.call(map.tHead.rows[0].cells).forEach(function (th, col) {
      var b = document.createElement("button");
      b.type = "button";
      b.className = "sort";
      while (th.firstChild) { b.appendChild(th.firstChild); }
      th.appendChild(b);
      var num = th.getAttribute("data-sort") === "num", asc = true;
      b.addEventListener("click", function () {
        var rows = Array.prototype.slice.call(body.rows);
        rows.sort(function (x, y) {
          var a = x.cells[col], c = y.cells[col];
          var d = num ? Number(a.getAttribute("data-v")) - Number(c.getAttribute("data-v")) : a.textContent.localeCompare(c.textContent);
          return asc ? d : -d;
        });
        rows.forEach(function (r) { body.appendChild(r); });
        asc = !asc;
      });
    });
    var filter = document.getElementById("fleet-filter");
    if (filter) {
      filter.addEventListener("change", function () {
        Array.prototype.slice.call(body.rows).forEach(function (r) {
          r.hidden = filter.value !== "" && (r.getAttribute("data-labels") || "").split(";").indexOf(filter.value) < 0;
        });
      });
      filter.parentElement.hidden = false;
    }
  }
}());
