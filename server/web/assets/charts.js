// Draws the statistics page's charts with ECharts from the JSON in each
// .chart element's data-chart attribute (no inline script: the page's CSP
// allows only the binary's own scripts). The numbers are also in the table
// under each chart, so the page is complete without this script.
(function () {
  "use strict";
  if (!window.echarts) {
    return;
  }
  var palette = ["#1f5fa8", "#2e9e5b", "#e08a12", "#8a4b0f", "#6b4fa3"];
  function option(spec) {
    if (spec.type === "funnel") {
      var s = spec.series[0];
      return {
        color: palette,
        tooltip: { trigger: "item" },
        series: [{
          type: "funnel", name: s.name, sort: "none", left: "10%", width: "80%", minSize: "8%",
          label: { show: true, position: "inside", formatter: "{b}：{c}" },
          data: spec.categories.map(function (c, i) { return { name: c, value: s.values[i] }; })
        }]
      };
    }
    var cat = { type: "category", data: spec.categories, axisLabel: { interval: 0, width: 120, overflow: "truncate" } };
    var right = spec.series.some(function (s) { return s.axis === 1; });
    var vals = [{ type: "value", name: "对接数", minInterval: 1 }];
    if (right) {
      vals.push({ type: "value", name: "万元", splitLine: { show: false } });
    }
    var series = spec.series.map(function (s) {
      var o = { type: "bar", name: s.name, data: s.values, label: { show: true, position: spec.horizontal ? "right" : "top" } };
      if (s.axis === 1) {
        o.type = "line";
        o[spec.horizontal ? "xAxisIndex" : "yAxisIndex"] = 1;
      }
      return o;
    });
    var o = {
      color: palette,
      tooltip: { trigger: "axis" },
      legend: { top: 0 },
      grid: { left: spec.horizontal ? 140 : 50, right: 60, top: 40, bottom: 30 },
      series: series
    };
    if (spec.horizontal) {
      o.yAxis = cat;
      o.xAxis = vals;
    } else {
      o.xAxis = cat;
      o.yAxis = vals;
    }
    return o;
  }
  var charts = [];
  document.querySelectorAll(".chart[data-chart]").forEach(function (el) {
    var spec;
    try {
      spec = JSON.parse(el.getAttribute("data-chart"));
    } catch (e) {
      return;
    }
    var c = window.echarts.init(el, null, { renderer: "svg" });
    c.setOption(option(spec));
    el.setAttribute("data-drawn", "1");
    charts.push(c);
  });
  window.addEventListener("resize", function () {
    charts.forEach(function (c) { c.resize(); });
  });
})();
