// The NPS page's trend chart: NPS per quarter as a line over the number of answers as bars.
// Data comes from the page's JSON (json_script "nps-data"); the CSP forbids inline scripts.
(function () {
  "use strict";

  function start() {
    var source = document.getElementById("nps-data");
    var box = document.getElementById("nps-chart");
    if (!source || !box || !window.echarts) { return; }
    var data = JSON.parse(source.textContent);
    if (!data.quarters.length) { box.hidden = true; return; }
    var chart = window.echarts.init(box, null, { renderer: "canvas" });
    chart.setOption({
      tooltip: { trigger: "axis" },
      legend: { data: [data.labels.nps, data.labels.responses], top: 0 },
      grid: { left: 40, right: 40, top: 32, bottom: 28 },
      xAxis: { type: "category", data: data.quarters, axisLabel: { hideOverlap: true } },
      yAxis: [
        { type: "value", min: -100, max: 100, name: "", splitLine: { show: true } },
        { type: "value", minInterval: 1, splitLine: { show: false } },
      ],
      series: [
        {
          name: data.labels.responses, type: "bar", yAxisIndex: 1, data: data.responses,
          itemStyle: { color: "#9ec5fe" }, barMaxWidth: 32,
        },
        {
          name: data.labels.nps, type: "line", yAxisIndex: 0, data: data.nps, connectNulls: false,
          itemStyle: { color: "#0d6efd" }, symbolSize: 8, label: { show: true, position: "top" },
        },
      ],
    });
    window.addEventListener("resize", function () { chart.resize(); });
  }

  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", start);
  } else {
    start();
  }
})();
