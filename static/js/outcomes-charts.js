// Draw the month-by-month table as a chart with uPlot (served from static/, no CDN).
// Progressive enhancement: the table stays, with the same numbers, for everyone.
document.addEventListener("DOMContentLoaded", function () {
  if (typeof uPlot === "undefined") { return; }
  document.querySelectorAll("table[data-chart]").forEach(function (table) {
    var rows = table.querySelectorAll("tbody tr[data-month]");
    if (rows.length < 2) { return; }
    var heads = Array.prototype.map.call(
      table.querySelectorAll("thead th[data-series]"), function (th) { return th.textContent.trim(); });
    var data = [[]];
    heads.forEach(function () { data.push([]); });
    rows.forEach(function (row) {
      data[0].push(Date.parse(row.getAttribute("data-month")) / 1000);
      row.querySelectorAll("td[data-value]").forEach(function (cell, i) {
        data[i + 1].push(parseFloat(cell.getAttribute("data-value")));
      });
    });
    var colours = ["#1d70b8", "#d4351c", "#00703c", "#6f72af"];
    var dashes = [[], [8, 4], [2, 3], [12, 3, 3, 3]];  // not colour alone
    var figure = document.createElement("figure");
    figure.className = "chart";
    figure.setAttribute("aria-hidden", "true");  // the table holds the same numbers
    table.closest(".table-scroll").before(figure);
    var width = Math.min(figure.parentElement.clientWidth || 600, 900);
    new uPlot({
      width: width,
      height: 260,
      series: [{}].concat(heads.map(function (label, i) {
        return { label: label, stroke: colours[i % 4], dash: dashes[i % 4], width: 2 };
      })),
    }, data, figure);
  });
});
