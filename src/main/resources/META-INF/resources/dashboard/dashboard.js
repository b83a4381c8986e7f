// The operations dashboard: polls /ops/dashboard every 2 s, keeps 15 minutes of history in the page,
// and plots it with uPlot. The API key (role read) comes from the page's fragment, #key=<key>: a fragment
// never leaves the browser, so the key is in no request line or access log.
(function () {
  'use strict';
  const code = new URLSearchParams(location.hash.replace(/^#/, '')).get('key');
  const headers = code ? { 'x-functions-key': code } : {};
  const keep = 450; // points (15 minutes at 2 s)
  const history = { t: [], rate: [], p50: [], p99: [], cost: [], rejected: [], late: [], lag: [], delay: [], batch: {} };
  let previous = null;
  const charts = {};

  function width(id) { return Math.max(300, document.getElementById(id).clientWidth - 10); }

  function chart(id, series, data, yFormat) {
    if (!charts[id]) {
      charts[id] = new uPlot({
        width: width(id), height: 200,
        series: [{}].concat(series.map((s, i) => ({ label: s, stroke: ['#4fb3ff', '#ffb84f', '#3ddc97', '#ff6b6b', '#c39bff'][i % 5], width: 2 }))),
        axes: [{ stroke: '#8b98a5' }, yFormat ? { stroke: '#8b98a5', size: 70, values: (u, vals) => vals.map(yFormat) }
          : { stroke: '#8b98a5' }],
        scales: { x: { time: true } },
      }, data, document.getElementById(id));
    } else {
      charts[id].setData(data);
    }
    document.getElementById(id).dataset.points = String(data[0].length);
  }

  function push(arr, v) { arr.push(v); if (arr.length > keep) arr.shift(); }

  function text(id, v) { document.getElementById(id).textContent = v; }

  function rows(tbodySelector, items) {
    const body = document.querySelector(tbodySelector + ' tbody');
    body.replaceChildren(...items.map(cells => {
      const tr = document.createElement('tr');
      cells.forEach(c => { const td = document.createElement('td'); td.textContent = c; tr.appendChild(td); });
      return tr;
    }));
  }

  function render(d) {
    const t = d.time / 1000;
    const s = d.stream;
    const dt = previous ? Math.max(0.001, (d.time - previous.time) / 1000) : 1;
    const rate = previous ? Math.max(0, (s.received - previous.stream.received) / dt) : 0;
    const rejected = previous ? Math.max(0, (s.rejected - previous.stream.rejected) / dt) : 0;
    const late = previous ? Math.max(0, (s.late - previous.stream.late) / dt) : 0;
    const lag = Object.values(d.lag).reduce((a, b) => a + b, 0);
    const delays = Object.values(d.watermarkDelaySeconds);
    const delay = delays.length ? Math.max(...delays) : 0;
    push(history.t, t); push(history.rate, rate); push(history.p50, s.freshnessMs.p50); push(history.p99, s.freshnessMs.p99);
    push(history.cost, d.cost.totalUsd); push(history.rejected, rejected); push(history.late, late);
    push(history.lag, lag); push(history.delay, delay);
    const jobs = Object.keys(d.batch);
    jobs.forEach(j => { history.batch[j] = history.batch[j] || []; });
    Object.keys(history.batch).forEach(j => {
      const arr = history.batch[j];
      push(arr, d.batch[j] ? d.batch[j].lastRecords : null);
      while (arr.length < history.t.length) arr.unshift(null);
    });
    previous = d;

    text('tile-rate', Math.round(rate).toLocaleString());
    text('tile-p99', s.freshnessMs.p99 + ' ms');
    text('tile-lag', lag.toLocaleString());
    text('tile-errors', s.rejected.toLocaleString() + ' / ' + s.late.toLocaleString());
    text('tile-cost', '$' + d.cost.perHourUsd.toFixed(4));
    text('updated', 'updated ' + new Date(d.time).toLocaleTimeString());

    const batchNames = Object.keys(history.batch);
    chart('chart-batch', batchNames.length ? batchNames : ['(no batch run yet)'],
      [history.t.slice()].concat(batchNames.length ? batchNames.map(j => history.batch[j].slice()) : [history.t.map(() => 0)]));
    chart('chart-latency', ['p50 ms', 'p99 ms'], [history.t.slice(), history.p50.slice(), history.p99.slice()]);
    chart('chart-cost', ['USD since start'], [history.t.slice(), history.cost.slice()], v => '$' + v.toPrecision(3));
    chart('chart-errors', ['rejected/s', 'late/s'], [history.t.slice(), history.rejected.slice(), history.late.slice()]);
    chart('chart-lag', ['lag (events)', 'watermark delay (s)'], [history.t.slice(), history.lag.slice(), history.delay.slice()]);
    rows('#tables', Object.entries(d.tables).map(([name, v]) => [name, v.version, v.files, v.smallFiles]));
    rows('#jobs', Object.entries(d.batch).map(([name, j]) => [name, j.lastRun ? new Date(j.lastRun).toLocaleTimeString() : '–',
      j.lastDurationMs + ' ms', j.lastRecords.toLocaleString(), j.ok ? 'ok' : 'failed']));
    document.body.dataset.samples = String(history.t.length);
    document.body.dataset.received = String(s.received);
  }

  async function poll() {
    const status = document.getElementById('status');
    try {
      const response = await fetch('/ops/dashboard', { headers });
      if (!response.ok) {
        status.textContent = response.status === 401 ? 'API key needed: open /dashboard/#key=<a read key>' : 'error ' + response.status;
        status.className = 'status bad';
      } else {
        render(await response.json());
        status.textContent = 'live';
        status.className = 'status ok';
      }
    } catch (e) {
      status.textContent = 'platform unreachable';
      status.className = 'status bad';
    }
    setTimeout(poll, 2000);
  }
  poll();
})();
