// The dashboard chart: each unit's recommended items stacked with its shortfall,
// so every bar reaches the quota line when the unit is short and passes it when
// it is not. Drawn as SVG with the tooltip in rich text: ECharts' HTML tooltip
// writes style attributes, which the page's policy refuses.
(function () {
  "use strict";
  var el = document.getElementById("progress-chart");
  if (!el || !window.echarts) return;
  var d = JSON.parse(el.getAttribute("data-chart"));
  var narrow = el.clientWidth < 700;
  if (narrow) el.classList.add("tall"); // one row per unit: 41 rows need the height
  var chart = window.echarts.init(el, null, { renderer: "svg" });
  var category = {
    type: "category", data: d.units,
    // Long English names (Chongqing Hi-tech Zone …) would squeeze the plot: cut them.
    axisLabel: narrow ? { fontSize: 11, width: 110, overflow: "truncate" }
                      : { rotate: 45, interval: 0, fontSize: 11, width: 90, overflow: "truncate" }
  };
  var value = { type: "value", minInterval: 1 };
  chart.setOption({
    animation: false,
    textStyle: { fontFamily: '"PingFang SC", "Microsoft YaHei", "Noto Sans CJK SC", sans-serif' },
    color: ["#2f6f4f", "#c2410c", "#1e3a5f"],
    tooltip: { trigger: "axis", renderMode: "richText", axisPointer: { type: "shadow" } },
    legend: { top: 0, data: [d.labels.recommended, d.labels.short, d.labels.quota] },
    grid: narrow ? { left: 8, right: 16, top: 36, bottom: 8, containLabel: true }
                 : { left: 40, right: 16, top: 36, bottom: 8, containLabel: true },
    xAxis: narrow ? value : category,
    yAxis: narrow ? (function () { var c = Object.assign({}, category); c.inverse = true; return c; })() : value,
    series: [
      { name: d.labels.recommended, type: "bar", stack: "q", data: d.recommended, barMaxWidth: 22 },
      { name: d.labels.short, type: "bar", stack: "q", data: d.short, barMaxWidth: 22 },
      { name: d.labels.quota, type: "line", data: d.quota, symbol: "none", step: "middle",
        lineStyle: { type: "dashed", width: 1.5 } }
    ]
  });
  window.addEventListener("resize", function () { chart.resize(); });
})();
