// The sales workbench charts: the pipeline funnel and one completion gauge per target.
// Data comes from the page's JSON (json_script "workbench-data"); the CSP forbids inline scripts.
(function () {
  "use strict";

  function data() {
    var source = document.getElementById("workbench-data");
    return source ? JSON.parse(source.textContent) : null;
  }

  function funnel(box, figures) {
    if (!box || !figures.funnel.length) { return null; }
    var chart = window.echarts.init(box, null, { renderer: "canvas" });
    var top = Math.max.apply(null, figures.funnel.map(function (row) { return row.value; }).concat([1]));
    chart.setOption({
      tooltip: {
        trigger: "item",
        formatter: function (p) {
          return p.name + "<br>" + figures.labels.deals + ": " + p.value + "<br>" + figures.labels.amount + ": ¥" +
            Number(p.data.amount).toLocaleString(undefined, { maximumFractionDigits: 0 });
        },
      },
      series: [{
        type: "funnel",
        left: "5%", right: "5%", top: 8, bottom: 8,
        min: 0, max: top, sort: "none", gap: 2,
        label: { show: true, position: "inside", formatter: "{b}: {c}" },
        data: figures.funnel.map(function (row) { return { name: row.name, value: row.value, amount: row.amount }; }),
      }],
    });
    return chart;
  }

  // Gauges sit side by side, each in an equal slice of the box. The radius is in pixels and fits both the
  // slice's width and the box's height (the title sits 0.7 radii below the centre), so a narrow phone box
  // gets smaller gauges instead of clipped ones.
  function gaugeLayout(box, count) {
    var slice = box.clientWidth / count;
    var radius = Math.max(24, Math.min(slice / 2 - 8, (box.clientHeight - 30) / 1.7));
    return { radius: radius, centerY: radius + 8 };
  }

  function gaugeSeries(box, figures) {
    var count = figures.gauges.length;
    var layout = gaugeLayout(box, count);
    return figures.gauges.map(function (g, i) {
      return {
        type: "gauge",
        center: [((i + 0.5) * 100 / count) + "%", layout.centerY],
        radius: layout.radius,
        min: 0, max: 100, startAngle: 200, endAngle: -20,
        progress: { show: true, width: 10 },
        axisLine: { lineStyle: { width: 10 } },
        axisTick: { show: false }, splitLine: { show: false }, axisLabel: { show: false }, pointer: { show: false },
        title: { offsetCenter: [0, "70%"], fontSize: 11 },
        detail: { valueAnimation: true, offsetCenter: [0, "5%"], fontSize: 16, formatter: "{value}%" },
        data: [{ value: Math.min(999, Math.round(g.percent * 10) / 10), name: g.metric + " " + g.period }],
      };
    });
  }

  function gauges(box, figures) {
    if (!box || !figures.gauges.length) { return null; }
    var chart = window.echarts.init(box, null, { renderer: "canvas" });
    chart.setOption({ series: gaugeSeries(box, figures) });
    chart.relayout = function () { chart.setOption({ series: gaugeSeries(box, figures) }); };
    return chart;
  }

  function start() {
    var figures = data();
    if (!figures || !window.echarts) { return; }
    var charts = [
      funnel(document.getElementById("funnel-chart"), figures),
      gauges(document.getElementById("gauge-chart"), figures),
    ].filter(Boolean);
    window.addEventListener("resize", function () {
      charts.forEach(function (c) { c.resize(); if (c.relayout) { c.relayout(); } });
    });
  }

  if (document.readyState === "loading") { document.addEventListener("DOMContentLoaded", start); } else { start(); }
})();
