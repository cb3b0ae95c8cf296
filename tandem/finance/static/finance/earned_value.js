// The earned value page's charts: the S-curve (cumulative PV, AC, EV per month end) and the monthly CPI/SPI
// trend. Data comes from the page's JSON (json_script "ev-data"); the CSP forbids inline scripts.
(function () {
  "use strict";

  function num(value) { return value === null || value === undefined ? null : Number(value); }

  function draw(box, option) {
    if (!box) { return; }
    var chart = window.echarts.init(box, null, { renderer: "canvas" });
    chart.setOption(option);
    window.addEventListener("resize", function () { chart.resize(); });
  }

  function start() {
    var source = document.getElementById("ev-data");
    if (!source || !window.echarts) { return; }
    var data = JSON.parse(source.textContent);
    var months = data.curve.map(function (p) { return p.month; });
    draw(document.getElementById("ev-curve"), {
      tooltip: { trigger: "axis" },
      legend: { top: 0 },
      grid: { left: 64, right: 16, top: 36, bottom: 28 },
      xAxis: { type: "category", data: months, axisLabel: { hideOverlap: true } },
      yAxis: { type: "value" },
      series: [
        { name: data.labels.planned, type: "line", data: data.curve.map(function (p) { return num(p.planned); }), itemStyle: { color: "#6c757d" } },
        { name: data.labels.actual, type: "line", data: data.curve.map(function (p) { return num(p.actual); }), itemStyle: { color: "#dc3545" } },
        { name: data.labels.earned, type: "line", connectNulls: true, data: data.curve.map(function (p) { return num(p.earned); }), itemStyle: { color: "#0d6efd" } },
      ],
    });
    draw(document.getElementById("ev-trend"), {
      tooltip: { trigger: "axis" },
      legend: { top: 0 },
      grid: { left: 48, right: 16, top: 36, bottom: 28 },
      xAxis: { type: "category", data: data.trend.map(function (t) { return t.month; }) },
      yAxis: { type: "value", min: 0 },
      series: [
        { name: data.labels.cpi, type: "line", data: data.trend.map(function (t) { return num(t.cpi); }), itemStyle: { color: "#198754" },
          markLine: { silent: true, symbol: "none", data: [{ yAxis: 1 }], lineStyle: { type: "dashed", color: "#adb5bd" } } },
        { name: data.labels.spi, type: "line", data: data.trend.map(function (t) { return num(t.spi); }), itemStyle: { color: "#fd7e14" } },
      ],
    });
  }

  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", start);
  } else {
    start();
  }
})();
