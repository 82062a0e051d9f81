/* Draws every chart of the page with the vendored Apache ECharts (static/vendor/echarts/).
 *
 * Each chart is an element [data-chart="<id>"] whose figures the page embeds as JSON in
 * <script type="application/json" id="<id>"> (Django's json_script): no inline script, no request.
 * The data table beside each chart is the accessible and printable form; the drawing is aria-hidden.
 */
(function () {
  "use strict";

  var COLOURS = ["#1d4f8a", "#d08c1c", "#126b73", "#6b21a8", "#4a5562", "#2563a8", "#b45309", "#7c3aed"];  /* no red, no green: those are the tones */

  /* series that mean the same thing look the same on every dashboard */
  var TONES = { bad: "#a8322b", good: "#216e3a", later: "#8a96a3" };

  function num(v) { return v === null || v === undefined ? null : Number(v); }

  function valueAxes(spec) {
    var names = spec.axisNames || ["", ""];
    var axes = [{ type: "value", name: names[0], minInterval: spec.integer ? 1 : 0 }];
    if (spec.line) {  /* the reference line stays in view above the values, unless it would flatten them */
      var line = num(spec.line.value), highest = 0;
      spec.series.forEach(function (s) {
        if (!s.axis) { s.values.forEach(function (v) { highest = Math.max(highest, num(v) || 0); }); }
      });
      if (line >= highest && highest * 4 >= line) { axes[0].max = Math.ceil(line * 1.1); }
    }
    if (spec.series.some(function (s) { return s.axis === 1; })) {
      axes.push({ type: "value", name: names[1], splitLine: { show: false } });
    }
    return axes;
  }

  function referenceLine(spec) {
    if (!spec.line) { return undefined; }
    return { symbol: "none", silent: true, lineStyle: { type: "dashed", color: "#a8322b", width: 2 },
             label: { formatter: spec.line.label, position: "insideEndTop", color: "#a8322b" },
             data: [{ yAxis: num(spec.line.value) }] };
  }

  function categorySeries(spec, stacked) {
    return spec.series.map(function (s, i) {
      var type = s.kind || "bar";
      var out = { name: s.name, type: type, data: s.values.map(num), yAxisIndex: s.axis || 0 };
      if (TONES[s.tone]) { out.itemStyle = { color: TONES[s.tone] }; out.lineStyle = { color: TONES[s.tone] }; }
      if (stacked && type === "bar") { out.stack = "total"; }
      if (i === 0 && spec.line) { out.markLine = referenceLine(spec); }
      return out;
    });
  }

  function option(spec) {
    var base = { color: COLOURS, animation: false, tooltip: { trigger: "axis", confine: true },
                 legend: { type: "scroll", top: 0 }, grid: { left: 8, right: 16, top: 40, bottom: 8, containLabel: true } };
    var categoryAxis = { type: "category", data: spec.categories, axisLabel: { hideOverlap: true } };
    if (spec.kind === "hbar") {
      base.yAxis = Object.assign({}, categoryAxis, { inverse: true });
      base.xAxis = { type: "value", minInterval: spec.integer ? 1 : 0 };
      base.series = categorySeries(spec, false);
      base.legend.show = false;
    } else if (spec.kind === "time") {
      /* the axis spans the data and the marked date (a deadline before or after every submission) */
      var DAY = 24 * 3600 * 1000, times = spec.categories.map(function (d) { return Date.parse(d); });
      if (spec.markDate) { times.push(Date.parse(spec.markDate.value)); }
      base.xAxis = { type: "time", minInterval: DAY, axisLabel: { formatter: "{yyyy}-{MM}-{dd}", hideOverlap: true } };
      if (times.length) {
        base.xAxis.min = Math.min.apply(null, times) - DAY;
        base.xAxis.max = Math.max.apply(null, times) + DAY;
      }
      base.yAxis = { type: "value", minInterval: 1 };
      base.series = spec.series.map(function (s, i) {
        var out = { name: s.name, type: s.kind || "bar", barMaxWidth: 18,
                    data: s.values.map(function (v, j) { return [spec.categories[j], num(v)]; }) };
        if (i === 0 && spec.markDate) {
          out.markLine = { symbol: "none", silent: true, lineStyle: { type: "dashed", color: "#a8322b", width: 2 },
                           label: { formatter: spec.markDate.label, color: "#a8322b" },
                           data: [{ xAxis: spec.markDate.value }] };
        }
        return out;
      });
    } else if (spec.kind === "range") {
      /* series 0: the lowest, series 1: the highest, the others: markers (the mean, …) */
      var low = spec.series[0], high = spec.series[1], flags = spec.flags || [];
      base.xAxis = categoryAxis;
      base.yAxis = valueAxes(spec);
      base.yAxis[0].scale = true;  /* zoom on the scores: the spread is what matters */
      base.tooltip = { trigger: "axis", confine: true };
      base.series = [
        { name: low.name, type: "bar", stack: "range", itemStyle: { color: "transparent" },
          emphasis: { disabled: true }, data: low.values.map(num) },
        { name: high.name, type: "bar", stack: "range", barMaxWidth: 24,
          data: high.values.map(function (v, j) {
            var lo = num(low.values[j]), hi = num(v);
            return { value: lo === null || hi === null ? null : hi - lo,
                     itemStyle: { color: flags[j] ? "#a8322b" : "#7ea3cf" } };
          }),
          tooltip: { valueFormatter: function () { return ""; } } }
      ].concat(spec.series.slice(2).map(function (s) {
        return { name: s.name, type: "scatter", symbolSize: 10, data: s.values.map(num), yAxisIndex: s.axis || 0 };
      }));
      base.legend.data = spec.series.slice(1).map(function (s) { return s.name; });
    } else if (spec.kind === "heatmap") {
      /* categories: the rows (y); series: the columns (x) */
      var data = [], max = 1;
      spec.series.forEach(function (s, x) {
        s.values.forEach(function (v, y) {
          var n = num(v) || 0;
          max = Math.max(max, n);
          data.push([x, y, n]);
        });
      });
      base.tooltip = { confine: true };
      base.legend = { show: false };
      base.grid.bottom = 48;
      base.xAxis = { type: "category", data: spec.series.map(function (s) { return s.name; }), name: spec.axisNames[1] || "",
                     nameLocation: "middle", nameGap: 28, splitArea: { show: true } };
      base.yAxis = { type: "category", data: spec.categories, inverse: true, name: spec.axisNames[0] || "",
                     nameLocation: "middle", nameGap: 28, splitArea: { show: true } };
      base.grid.left = 24;
      base.visualMap = { min: 0, max: max, show: false, inRange: { color: ["#f3f7fc", "#f2c14e", "#a8322b"] } };
      base.series = [{ type: "heatmap", data: data,
                       label: { show: true, formatter: function (p) { return p.value[2] ? String(p.value[2]) : ""; } } }];
    } else {
      base.xAxis = categoryAxis;
      base.yAxis = valueAxes(spec);
      base.series = categorySeries(spec, spec.kind === "stack");
      if (spec.kind === "line") { base.series.forEach(function (s) { s.type = "line"; s.connectNulls = true; }); }
    }
    return base;
  }

  function draw() {
    if (typeof window.echarts === "undefined") { return; }
    var charts = [];
    document.querySelectorAll("[data-chart]").forEach(function (el) {
      var source = document.getElementById(el.getAttribute("data-chart"));
      if (!source) { return; }
      var spec = JSON.parse(source.textContent);
      var chart = window.echarts.init(el, null, { renderer: "svg" });
      chart.setOption(option(spec));
      charts.push(chart);
    });
    window.addEventListener("resize", function () { charts.forEach(function (c) { c.resize(); }); });
  }

  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", draw);
  } else {
    draw();
  }
}());
