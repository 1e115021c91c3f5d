// Draws the charts of a page with Chart.js (chart.umd.min.js, served beside this file) from the JSON the
// server wrote in each <figure class="chart-figure"> (vungcao.common.charts): tooltips, a legend, numbers
// in the reader's language, and a button that saves the chart as an image. The figure's table stays for
// print, screen readers and browsers without script.
(function () {
  "use strict";
  var COLOURS = ["#0b6e4f", "#e0a526", "#5b7fa6", "#b5483a", "#7a5195"];
  var locale = document.documentElement.lang === "en" ? "en-GB" : "vi-VN";
  // A saved image has a white ground, as the page has, rather than a transparent one.
  var WHITE_BACKGROUND = {
    id: "whiteBackground",
    beforeDraw: function (chart) {
      var context = chart.ctx;
      context.save();
      context.globalCompositeOperation = "destination-over";
      context.fillStyle = "#ffffff";
      context.fillRect(0, 0, chart.width, chart.height);
      context.restore();
    }
  };

  function formatter(places, exact) {
    var format = new Intl.NumberFormat(locale, { minimumFractionDigits: exact ? places : 0, maximumFractionDigits: places });
    return function (value) { return value === null || value === undefined ? "—" : format.format(value); };
  }

  function fileName(title) {
    var ascii = title.normalize("NFD").replace(/[\u0300-\u036f]/g, "").replace(/đ/g, "d").replace(/Đ/g, "D");
    return (ascii.replace(/[^A-Za-z0-9]+/g, "-").replace(/^-|-$/g, "").toLowerCase() || "chart") + ".png";
  }

  function draw(figure) {
    if (figure.dataset.drawn) { return; }
    var source = figure.querySelector('script[type="application/json"]');
    var canvas = figure.querySelector("canvas");
    if (!source || !canvas || !window.Chart) { return; }
    var spec = JSON.parse(source.textContent);
    var format = formatter(spec.places, true);
    var tick = formatter(spec.places, false);
    var horizontal = spec.kind === "horizontal_bars";
    var valueAxis = {
      beginAtZero: true,
      ticks: { callback: function (value) { return tick(value); } },
      title: { display: Boolean(spec.unit), text: spec.unit }
    };
    var categoryAxis = {
      ticks: {
        // A long name (a programme's component) is shortened on the axis; its tooltip and table say it whole.
        callback: function (value) {
          var label = String(this.getLabelForValue(value));
          var limit = this.chart.width < 500 ? 22 : 42;
          return label.length > limit ? label.slice(0, limit - 1) + "…" : label;
        }
      }
    };
    var chart = new window.Chart(canvas, {
      plugins: [WHITE_BACKGROUND],
      type: spec.kind === "line" ? "line" : "bar",
      data: {
        labels: spec.categories,
        datasets: spec.series.map(function (series, index) {
          var colour = COLOURS[index % COLOURS.length];
          return { label: series.label, data: series.values, backgroundColor: colour, borderColor: colour, spanGaps: true };
        })
      },
      options: {
        indexAxis: horizontal ? "y" : "x",
        maintainAspectRatio: false,
        animation: false,
        scales: horizontal ? { x: valueAxis, y: categoryAxis } : { y: valueAxis, x: categoryAxis },
        plugins: {
          legend: { position: "bottom" },
          tooltip: {
            callbacks: {
              label: function (item) { return item.dataset.label + ": " + format(item.raw) + (spec.unit ? " " + spec.unit : ""); },
              footer: function (items) { return items.length && spec.notes.length ? spec.notes[items[0].dataIndex] : ""; }
            }
          }
        }
      }
    });
    var save = document.createElement("a");
    save.className = "button chart-save";
    save.textContent = spec.save;
    save.download = fileName(spec.title);
    save.href = "#";
    save.addEventListener("click", function () { save.href = chart.toBase64Image("image/png", 1); });
    figure.insertBefore(save, figure.querySelector("details"));
    figure.dataset.drawn = "true";
  }

  function drawAll(root) { root.querySelectorAll("figure.chart-figure").forEach(draw); }
  document.addEventListener("DOMContentLoaded", function () { drawAll(document); });
  document.addEventListener("htmx:afterSwap", function (event) { drawAll(event.target); });
})();
