// Charts of the mlops UI: each <figure class="chart" data-runs="id,id" data-key="loss"> gets a uPlot
// chart of the metric's sampled history, fetched from the server. Drag to zoom (the zoomed range is
// fetched again at full detail), double-click to see everything, hover for values.
(function () {
  'use strict';
  var PALETTE = ['#1f77b4', '#d62728', '#2ca02c', '#ff7f0e', '#9467bd', '#8c564b', '#e377c2', '#17becf'];
  var SERIES = '/ajax-api/2.0/mlflow/metrics/get-history-bulk-interval';

  function fetchSeries(fig, range) {
    var runs = fig.dataset.runs.split(',');
    var byTime = fig.querySelector('.by-time').checked;
    var width = Math.max(300, fig.querySelector('.plot').clientWidth || 600);
    var q = runs.map(function (r) { return 'run_ids=' + encodeURIComponent(r); }).join('&') +
      '&metric_key=' + encodeURIComponent(fig.dataset.key) + '&max_results=' + Math.min(10000, 2 * width) +
      (byTime ? '&x=time' : '');
    if (range) {
      q += '&start_step=' + Math.floor(range[0] * (byTime ? 1000 : 1)) + '&end_step=' + Math.ceil(range[1] * (byTime ? 1000 : 1));
    }
    return fetch(SERIES + '?' + q, { credentials: 'same-origin', headers: { Accept: 'application/json' } })
      .then(function (resp) {
        if (!resp.ok) {
          return resp.json().then(function (body) { throw new Error(body.message || resp.statusText); });
        }
        return resp.json();
      })
      .then(function (body) {
        var tables = runs.map(function (run) {
          var xs = [], ys = [];
          (body.metrics || []).forEach(function (m) {
            if (m.run_id === run) {
              xs.push(byTime ? m.timestamp / 1000 : m.step);
              ys.push(typeof m.value === 'number' ? m.value : null);
            }
          });
          return [xs, ys];
        });
        return { tables: tables, total: body.total_points || {} };
      });
  }

  function join(tables) {
    if (tables.length === 1) {
      return tables[0];
    }
    return uPlot.join(tables);
  }

  function draw(fig, range) {
    var plot = fig.querySelector('.plot');
    var key = fig.dataset.key;
    var names = (fig.dataset.names || fig.dataset.runs).split(',');
    var byTime = fig.querySelector('.by-time').checked;
    var log = fig.querySelector('.log').checked;
    var started = performance.now();
    return fetchSeries(fig, range).then(function (res) {
      var fetched = performance.now();
      var data = join(res.tables);
      if (log) {
        data = data.map(function (col, i) {
          return i === 0 ? col : col.map(function (v) { return v != null && v > 0 ? v : null; });
        });
      }
      if (fig._chart) {
        fig._chart.destroy();
      }
      plot.textContent = '';
      var series = [{ label: byTime ? 'time' : 'step' }];
      // a short history shows its points, so that a metric logged once is a dot rather than nothing
      var few = data[0].length <= 60;
      names.forEach(function (name, i) {
        series.push({ label: name, stroke: PALETTE[i % PALETTE.length], width: 1.5, spanGaps: true,
          points: { show: few, size: 6, fill: PALETTE[i % PALETTE.length] } });
      });
      var opts = {
        width: Math.max(300, plot.clientWidth || 600),
        height: 240,
        series: series,
        scales: { x: { time: byTime }, y: log ? { distr: 3 } : {} },
        axes: [{ space: 90 }, { size: 60 }],
        cursor: { drag: { x: true, y: false } },
        hooks: {
          setSelect: [function (u) {
            if (u.select.width > 4) {
              var lo = u.posToVal(u.select.left, 'x');
              var hi = u.posToVal(u.select.left + u.select.width, 'x');
              u.setSelect({ left: 0, width: 0, top: 0, height: 0 }, false);
              draw(fig, [lo, hi]);
            }
          }]
        }
      };
      fig._chart = new uPlot(opts, data, plot);
      var drawn = performance.now();
      performance.measure('mlops-chart-fetch ' + key, { start: started, end: fetched });
      performance.measure('mlops-chart-draw ' + key, { start: fetched, end: drawn });
      var total = 0;
      Object.keys(res.total).forEach(function (r) { total += res.total[r]; });
      fig.dataset.points = String(data[0].length);
      fig.dataset.total = String(total);
      fig.dataset.drawn = String(Number(fig.dataset.drawn || '0') + 1);
    }).catch(function (err) {
      plot.textContent = 'The chart could not be loaded: ' + err.message;
      fig.dataset.failed = '1';
    });
  }

  function setUp(fig) {
    fig.querySelector('.log').addEventListener('change', function () { draw(fig); });
    fig.querySelector('.by-time').addEventListener('change', function () { draw(fig); });
    fig.querySelector('.plot').addEventListener('dblclick', function () { draw(fig); });
    draw(fig);
  }

  document.addEventListener('DOMContentLoaded', function () {
    document.querySelectorAll('figure.chart[data-key]').forEach(setUp);
    var compare = document.getElementById('compare-button');
    if (compare) {
      var boxes = document.querySelectorAll('input.pick');
      var update = function () {
        var n = document.querySelectorAll('input.pick:checked').length;
        compare.disabled = n < 1;
        compare.textContent = n > 0 ? 'Compare ' + n : 'Compare';
      };
      boxes.forEach(function (b) { b.addEventListener('change', update); });
      update();
    }
  });
}());
