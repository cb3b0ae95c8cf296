// The earned value page's charts: the S-curve (cumulative PV, AC, EV per month end) and the monthly CPI/SPI
// trend. Data comes from the page's JSON (json_script "ev-data"); the CSP forbids inline scripts.
(function () {
  "use strict";

  // Every series shows its points: a month with a snapshot, or today's month alone, is a single point.
  var POINTS = { showSymbol: true, showAllSymbol: true, symbolSize: 7 };

  function series(extra) { return Object.assign({ type: "line" }, POINTS, extra); }

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
    // On a phone the legend wraps to two lines and the last month's label needs room inside the canvas.
    var narrow = window.innerWidth < 576;
    var top = narrow ? 60 : 36;
    draw(document.getElementById("ev-curve"), {
      tooltip: { trigger: "axis" },
      legend: { top: 0 },
      grid: { left: 8, right: 28, top: top, bottom: 8, containLabel: true },
      xAxis: { type: "category", data: months, axisLabel: { hideOverlap: true } },
      yAxis: { type: "value" },
      series: [
        series({ name: data.labels.planned, data: data.curve.map(function (p) { return num(p.planned); }), itemStyle: { color: "#6c757d" }, showAllSymbol: false, showSymbol: false }),
        series({ name: data.labels.actual, data: data.curve.map(function (p) { return num(p.actual); }), itemStyle: { color: "#dc3545" }, showAllSymbol: false, showSymbol: false }),
        series({ name: data.labels.earned, connectNulls: true, data: data.curve.map(function (p) { return num(p.earned); }), itemStyle: { color: "#0d6efd" }, symbolSize: 9 }),
      ],
    });
    draw(document.getElementById("ev-trend"), {
      tooltip: { trigger: "axis" },
      legend: { top: 0 },
      grid: { left: 8, right: 28, top: top, bottom: 8, containLabel: true },
      xAxis: { type: "category", data: data.trend.map(function (t) { return t.month; }) },
      yAxis: { type: "value", min: 0 },
      series: [
        series({ name: data.labels.cpi, data: data.trend.map(function (t) { return num(t.cpi); }), itemStyle: { color: "#198754" },
          label: { show: true, position: "top" },
          markLine: { silent: true, symbol: "none", data: [{ yAxis: 1 }], lineStyle: { type: "dashed", color: "#adb5bd" } } }),
        series({ name: data.labels.spi, data: data.trend.map(function (t) { return num(t.spi); }), itemStyle: { color: "#fd7e14" },
          label: { show: true, position: "bottom" } }),
      ],
    });
  }

  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", start);
  } else {
    start();
  }
})();
