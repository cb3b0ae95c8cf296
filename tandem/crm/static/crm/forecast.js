// The weighted pipeline forecast as a bar chart: amount and weighted amount of open deals by month.
(function () {
  "use strict";
  var charts = [];

  function axisMoney(value) {
    var lang = document.documentElement.lang || "";
    if (lang.indexOf("zh") === 0) {
      if (Math.abs(value) >= 1e8) { return (value / 1e8).toFixed(1) + "亿"; }
      if (Math.abs(value) >= 1e4) { return (value / 1e4).toFixed(0) + "万"; }
      return String(value);
    }
    if (Math.abs(value) >= 1e6) { return (value / 1e6).toFixed(1) + "M"; }
    if (Math.abs(value) >= 1e3) { return (value / 1e3).toFixed(0) + "K"; }
    return String(value);
  }

  function draw(box) {
    if (!window.echarts || box.dataset.drawn) { return; }
    var source = document.getElementById(box.dataset.forecast);
    if (!source) { return; }
    box.dataset.drawn = "1";
    var data = JSON.parse(source.textContent);
    var months = data.months.map(function (m) { return m || box.dataset.labelUndated; });
    var sign = data.currency === "CNY" ? "¥" : data.currency + " ";
    var chart = window.echarts.init(box, null, { renderer: "canvas" });
    chart.setOption({
      color: ["#9ec5fe", "#0b5cad"],
      grid: { left: 8, right: 8, top: 36, bottom: 4, containLabel: true },
      legend: { top: 0, data: [box.dataset.labelAmount, box.dataset.labelWeighted] },
      tooltip: {
        trigger: "axis",
        axisPointer: { type: "shadow" },
        valueFormatter: function (v) { return sign + window.TandemCrm.money(v); },
      },
      xAxis: { type: "category", data: months, axisTick: { alignWithLabel: true } },
      yAxis: { type: "value", axisLabel: { formatter: axisMoney } },
      series: [
        { name: box.dataset.labelAmount, type: "bar", data: data.amount, barGap: "10%", barMaxWidth: 28 },
        { name: box.dataset.labelWeighted, type: "bar", data: data.weighted, barMaxWidth: 28 },
      ],
    });
    charts.push(chart);
  }

  function drawAll(scope) {
    scope.querySelectorAll("[data-forecast]").forEach(function (box) {
      if (box.offsetParent !== null) { draw(box); }
    });
  }

  document.addEventListener("DOMContentLoaded", function () { drawAll(document); });
  document.addEventListener("htmx:afterSwap", function (event) { drawAll(event.target); });
  document.addEventListener("shown.bs.collapse", function (event) { drawAll(event.target); });
  window.addEventListener("resize", function () { charts.forEach(function (c) { c.resize(); }); });
})();
