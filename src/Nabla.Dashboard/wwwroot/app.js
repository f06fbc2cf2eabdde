// The `nabla dashboard` page: the runs of a log folder, live, as charts and tables.
//
// Every string the server sends (run names, settings, parameter names, errors) is treated as hostile: text only
// ever reaches the page through textContent, DOM properties or a canvas, never through HTML parsing. uPlot's own
// legend writes series labels with textContent too (checked in uPlot 1.6.32's source), so labels may carry run names.
'use strict';

(() => {
  // ── Numbers from the server ─────────────────────────────────────────────────────────────────────────────────
  // JSON has no NaN or infinity, so a diverged loss arrives as the word "NaN", "Infinity" or "-Infinity": tables
  // show the word, charts leave a gap.

  const NON_FINITE_WORDS = new Map([['NaN', NaN], ['Infinity', Infinity], ['-Infinity', -Infinity]]);

  function numberOf(value) {
    if (typeof value === 'number') return value;
    if (typeof value === 'string' && NON_FINITE_WORDS.has(value)) return NON_FINITE_WORDS.get(value);
    return null;
  }

  function plottable(value) {
    const number = numberOf(value);
    return Number.isFinite(number) ? number : null;
  }

  // A log scale cannot place zero or a negative value: those are gaps too.
  function plottableOnLog(value) {
    const number = plottable(value);
    return number !== null && number > 0 ? number : null;
  }

  // Four significant digits at most; thousands and millions (samples/s) as k and M; the very large and the very
  // small (gradient norms, update ratios) as 1.5e-7.
  function formatNumber(value) {
    const number = numberOf(value);
    if (number === null) return '—';
    if (!Number.isFinite(number)) return String(value);
    const magnitude = Math.abs(number);
    const short = n => String(Number.parseFloat(n.toPrecision(magnitude >= 1e4 ? 3 : 4)));
    if (magnitude === 0) return '0';
    if (magnitude >= 1e9 || magnitude < 1e-3) return number.toExponential(2).replace('e+', 'e').replace(/\.?0+e/, 'e');
    if (magnitude >= 1e6) return `${short(number / 1e6)}M`;
    if (magnitude >= 1e4) return `${short(number / 1e3)}k`;
    return short(number);
  }

  function formatDuration(seconds) {
    if (!Number.isFinite(seconds) || seconds < 0) return '—';
    const whole = Math.round(seconds);
    if (whole < 60) return `${whole} s`;
    if (whole < 3600) return `${Math.floor(whole / 60)} min ${String(whole % 60).padStart(2, '0')} s`;
    return `${Math.floor(whole / 3600)} h ${String(Math.floor(whole / 60) % 60).padStart(2, '0')} min`;
  }

  function formatTime(iso) {
    const time = new Date(iso);
    if (Number.isNaN(time.getTime())) return typeof iso === 'string' ? iso : '—';
    const two = n => String(n).padStart(2, '0');
    return `${time.getFullYear()}-${two(time.getMonth() + 1)}-${two(time.getDate())} ${two(time.getHours())}:${two(time.getMinutes())}`;
  }

  // ── DOM building, text only ─────────────────────────────────────────────────────────────────────────────────

  function element(tag, { className, text, data } = {}, children = []) {
    const node = document.createElement(tag);
    if (className) node.className = className;
    if (text !== undefined) node.textContent = text;
    for (const [key, value] of Object.entries(data ?? {})) node.dataset[key] = value;
    node.append(...children.filter(child => child !== null && child !== undefined));
    return node;
  }

  // Rewriting identical text would replace the text node under a pointer and can swallow a click on a live table.
  function setText(node, text) {
    if (node.textContent !== text) node.textContent = text;
  }

  const byId = id => document.getElementById(id);

  function swatch(colour) {
    const mark = element('span', { className: 'swatch' });
    mark.style.backgroundColor = colour;
    return mark;
  }

  // ── State ───────────────────────────────────────────────────────────────────────────────────────────────────

  const state = {
    logdir: '',
    live: null,
    runs: [],               // RunSummary list, as the server last sent it
    truncated: false,       // the folder holds more runs than the server lists
    selected: [],           // run names, in the order they were chosen
    colourSlots: new Map(), // run name → palette index, kept while the run stays selected
    data: new Map(),        // run name → { kind, settings, epochs, trials, end, error, ignoredPartialLine }
    missing: [],            // names asked for in the address that the folder does not hold
    userChose: false,
    connected: false,
    stream: null,
    trialsRun: null,
    trialSort: { column: 0, descending: false },
  };

  // The page's own messages, shown with the runs' notes.
  const notes = { list: null, stream: null, selection: null };

  // The server's stream follows at most this many runs.
  const MAX_SHOWN = 32;

  const summaryOf = name => state.runs.find(run => run.name === name) ?? null;
  const kindOf = name => state.data.get(name)?.kind ?? summaryOf(name)?.kind ?? 'train';

  // ── Colours (they live in app.css, per theme) ───────────────────────────────────────────────────────────────

  const PALETTE_SIZE = 10;
  const colourProbe = element('span', { className: 'colour-probe' });

  // Custom properties hold light-dark() pairs that only a real colour property resolves; canvases need the result.
  function cssColour(variable) {
    if (!colourProbe.isConnected) document.body.append(colourProbe);
    colourProbe.style.color = `var(${variable})`;
    return getComputedStyle(colourProbe).color;
  }

  function paletteColour(index) {
    return cssColour(`--series-${index % PALETTE_SIZE}`);
  }

  function runColour(name) {
    return paletteColour(state.colourSlots.get(name) ?? 0);
  }

  function takeColourSlot(name) {
    const used = new Set(state.colourSlots.values());
    let slot = 0;
    while (used.has(slot) && slot < PALETTE_SIZE) slot++;
    state.colourSlots.set(name, slot % PALETTE_SIZE);
  }

  // ── Selection, mirrored in the address so a link shows the same runs ─────────────────────────────────────────

  function initialSelection() {
    const asked = new URLSearchParams(location.search).getAll('run');
    const known = new Set(state.runs.map(run => run.name));
    state.missing = asked.filter(name => !known.has(name));
    const found = [...new Set(asked.filter(name => known.has(name)))].slice(0, MAX_SHOWN);
    if (found.length > 0) return found;
    if (state.live !== null && known.has(state.live)) return [state.live];
    const newest = sortedRuns()[0];
    return newest ? [newest.name] : [];
  }

  function select(names) {
    state.selected = names;
    for (const name of [...state.colourSlots.keys()]) if (!names.includes(name)) state.colourSlots.delete(name);
    for (const name of names) if (!state.colourSlots.has(name)) takeColourSlot(name);
    for (const name of [...state.data.keys()]) if (!names.includes(name)) state.data.delete(name);
    const params = new URLSearchParams(location.search);
    params.delete('run');
    for (const name of names) params.append('run', name);
    const query = params.toString();
    history.replaceState(null, '', query ? `${location.pathname}?${query}` : location.pathname);
    openStream();
    scheduleRender();
  }

  function toggleRun(name, on) {
    state.userChose = true;
    notes.selection = on && state.selected.length >= MAX_SHOWN ? `At most ${MAX_SHOWN} runs can be shown at once: unselect one first.` : null;
    if (notes.selection) {
      scheduleRender();
      return;
    }
    const others = state.selected.filter(selected => selected !== name);
    select(on ? [...others, name] : others);
  }

  // ── The stream: one EventSource for the selected runs, reopened when the selection changes ──────────────────

  function openStream() {
    state.stream?.close();
    const params = new URLSearchParams();
    for (const name of state.selected) params.append('run', name);
    const source = new EventSource(`/api/stream?${params}`);
    state.stream = source;
    const current = () => state.stream === source;
    source.addEventListener('open', () => { if (current()) setConnected(true); });
    source.addEventListener('error', () => { if (current()) setConnected(false); });
    source.addEventListener('runs', event => { if (current()) receive(event, applyRuns); });
    source.addEventListener('run', event => { if (current()) receive(event, applyRunUpdate); });
  }

  function receive(event, apply) {
    let message;
    try {
      message = JSON.parse(event.data);
    } catch (error) {
      notes.stream = `The server sent a ${event.type} event that is not JSON (${error.message}); it was ignored.`;
      scheduleRender();
      return;
    }
    apply(message);
  }

  function setConnected(connected) {
    state.connected = connected;
    renderStatus();
  }

  function applyRuns(list) {
    state.logdir = typeof list.logdir === 'string' ? list.logdir : '';
    state.live = typeof list.live === 'string' ? list.live : null;
    state.runs = Array.isArray(list.runs) ? list.runs.filter(run => run && typeof run.name === 'string') : [];
    state.truncated = list.truncated === true;
    notes.list = null;
    // A page opened on an empty folder follows the first run that appears, until the user picks runs.
    if (state.selected.length === 0 && !state.userChose && state.runs.length > 0) select(initialSelection());
    scheduleRender();
  }

  // Each list arrives from an index: from 0 replaces what is held, from the held length appends, anything else
  // means an event was missed, and reopening the stream resends everything.
  function applyRunUpdate(update) {
    if (typeof update.name !== 'string' || !state.selected.includes(update.name)) return;
    const held = state.data.get(update.name) ?? { epochs: [], steps: [], trials: [] };
    const lists = {};
    for (const [key, fromKey] of [['epochs', 'epochsFrom'], ['steps', 'stepsFrom'], ['trials', 'trialsFrom']]) {
      const from = update[fromKey] ?? 0;
      const received = Array.isArray(update[key]) ? update[key] : [];
      if (from === 0) lists[key] = received;
      else if (from === held[key].length) lists[key] = held[key].concat(received);
      else {
        openStream();
        return;
      }
    }
    state.data.set(update.name, {
      ...lists,
      kind: update.kind,
      settings: update.settings ?? null,
      end: update.end ?? null,
      error: update.error ?? null,
      ignoredPartialLine: update.ignoredPartialLine ?? null,
    });
    scheduleRender();
  }

  // ── Rendering, batched to one pass a frame ──────────────────────────────────────────────────────────────────

  let renderPending = false;

  function scheduleRender() {
    if (renderPending) return;
    renderPending = true;
    requestAnimationFrame(() => {
      renderPending = false;
      renderStatus();
      setText(byId('logdir'), state.logdir);
      renderRunsTable();
      renderSummary();
      renderCharts();
      renderSettings();
      renderTrials();
      renderNotes();
    });
  }

  function renderStatus() {
    const status = byId('status');
    const stopped = state.stream !== null && !state.connected;
    status.dataset.state = state.connected ? 'live' : stopped ? 'disconnected' : 'connecting';
    setText(status, state.connected ? 'live'
      : stopped ? 'disconnected: the server stopped; the page shows what it had' : 'connecting…');
  }

  // ── Runs table: rows kept and updated in place, newest first ────────────────────────────────────────────────

  function sortedRuns() {
    const started = run => { const time = Date.parse(run.start); return Number.isNaN(time) ? -Infinity : time; };
    return [...state.runs].sort((a, b) => started(b) - started(a) || a.name.localeCompare(b.name));
  }

  const RUN_CELLS = ['name', 'kind', 'model', 'start', 'progress', 'outcome', 'best'];
  const runCell = (row, cell) => row.cells[1 + RUN_CELLS.indexOf(cell)]; // after the checkbox

  function runCells(run) {
    const tune = run.kind === 'tune';
    return {
      name: run.name,
      kind: run.kind ?? '—',
      model: run.model ?? '—',
      start: formatTime(run.start),
      progress: tune ? `${run.trials ?? 0} trials` : run.totalEpochs != null ? `${run.epochs ?? 0} / ${run.totalEpochs}` : String(run.epochs ?? 0),
      outcome: run.error ? 'unreadable' : run.outcome ? run.outcome.replace('_', ' ') : run.name === state.live ? 'running' : 'no end',
      best: formatNumber(tune ? run.bestScore : run.bestValLoss),
    };
  }

  const runRows = new Map();

  function runRow(name) {
    let row = runRows.get(name);
    if (row) return row;
    const checkbox = element('input');
    checkbox.type = 'checkbox';
    checkbox.setAttribute('aria-label', `show ${name}`);
    row = element('tr', { data: { run: name } }, [element('td', {}, [checkbox]), ...RUN_CELLS.map(cell => element('td', { className: `cell-${cell}` }))]);
    runRows.set(name, row);
    return row;
  }

  function renderRunsTable() {
    const body = byId('runs').tBodies[0];
    const runs = sortedRuns();
    const names = new Set(runs.map(run => run.name));
    for (const [name, row] of runRows) if (!names.has(name)) { row.remove(); runRows.delete(name); }
    runs.forEach((run, index) => {
      const row = runRow(run.name);
      const cells = runCells(run);
      for (const cell of RUN_CELLS) setText(runCell(row, cell), cells[cell]);
      const selected = state.selected.includes(run.name);
      row.querySelector('input').checked = selected;
      row.classList.toggle('selected', selected);
      row.classList.toggle('live', run.name === state.live);
      runCell(row, 'name').style.borderLeftColor = selected ? runColour(run.name) : '';
      runCell(row, 'outcome').title = run.error ?? '';
      if (body.rows[index] !== row) body.insertBefore(row, body.rows[index] ?? null);
    });
    byId('runs-empty').hidden = runs.length > 0;
  }

  function onRunsTableInput(event) {
    const row = event.target.closest('tr[data-run]');
    if (!row) return;
    if (event.type === 'change' && event.target.matches('input')) toggleRun(row.dataset.run, event.target.checked);
    if (event.type === 'click' && !event.target.matches('input')) toggleRun(row.dataset.run, !state.selected.includes(row.dataset.run));
  }

  // ── Summary lines: where each selected run stands ───────────────────────────────────────────────────────────

  function settingValue(run, name) {
    const values = run?.settings?.values;
    return Array.isArray(values) ? values.find(setting => setting.name === name)?.value ?? null : null;
  }

  function statusText(name, run, summary) {
    if (run?.error || summary?.error) return ['unreadable log', 'bad'];
    const outcome = run ? run.end?.outcome : summary?.outcome;
    const reason = run?.end?.reason;
    switch (outcome) {
      case 'completed': return ['completed', 'good'];
      case 'stopped_early': return [reason ? `stopped early (${reason})` : 'stopped early', 'good'];
      case 'interrupted': return ['interrupted', 'warn'];
      case 'failed': return [reason ? `failed (${reason})` : 'failed', 'bad'];
      default: return name === state.live ? ['running', 'live'] : ['no end: still running, or killed', 'unknown'];
    }
  }

  function totalEpochsOf(run, summary) {
    if (Number.isInteger(summary?.totalEpochs)) return summary.totalEpochs;
    const planned = Number.parseInt(settingValue(run, 'epochs') ?? '', 10);
    return Number.isInteger(planned) ? planned : null;
  }

  // The mean seconds per epoch so far times the epochs still to do; unknown once the run ended.
  function timeLeft(run, total) {
    if (!run || run.end || total === null || run.epochs.length === 0) return '—';
    const seconds = run.epochs.map(epoch => plottable(epoch.seconds)).filter(value => value !== null);
    const left = total - run.epochs.length;
    if (seconds.length === 0 || left <= 0) return '—';
    return formatDuration(left * seconds.reduce((sum, value) => sum + value, 0) / seconds.length);
  }

  function summaryItem(label, value) {
    return element('span', { className: 'item' }, [element('span', { className: 'label', text: label }), element('span', { className: 'value', text: value })]);
  }

  function renderSummary() {
    const lines = state.selected.map(name => {
      const run = state.data.get(name) ?? null;
      const summary = summaryOf(name);
      const [status, tone] = statusText(name, run, summary);
      const items = [
        swatch(runColour(name)),
        element('strong', { className: 'run-name', text: name }),
        summaryItem('model', summary?.model ?? settingValue(run, 'model') ?? '—'),
        element('span', { className: `run-status ${tone}`, text: status }),
      ];
      // Nothing more of an unreadable log can be trusted; a note says why.
      const unreadable = Boolean(run?.error || summary?.error);
      if (!unreadable && kindOf(name) === 'tune') {
        items.push(summaryItem('trials', String(run?.trials.length ?? summary?.trials ?? 0)),
          summaryItem(`best ${settingValue(run, 'metric') ?? 'score'}`, formatNumber(summary?.bestScore)));
      } else if (!unreadable) {
        const latest = run?.epochs.at(-1) ?? null;
        const total = totalEpochsOf(run, summary);
        items.push(summaryItem('epoch', `${run?.epochs.length ?? summary?.epochs ?? 0} of ${total ?? '?'}`));
        // The batches logged show a run moving within an epoch, before its first epoch ends.
        const step = run?.steps.at(-1);
        if (step) items.push(summaryItem('step', `${step.step}`), summaryItem('batch loss', formatNumber(step.loss)));
        items.push(
          summaryItem('loss', formatNumber(latest?.loss ?? summary?.lastLoss)),
          summaryItem('val loss', formatNumber(latest?.valLoss)),
          summaryItem('lr', formatNumber(latest?.lr)),
          summaryItem('samples/s', formatNumber(latest?.samplesPerSecond)),
          summaryItem('time left', timeLeft(run, total)));
      }
      return element('div', { className: 'summary-line', data: { run: name } }, items);
    });
    byId('summary').replaceChildren(...lines);
  }

  // ── Charts: what each one plots ─────────────────────────────────────────────────────────────────────────────
  // x is the epoch, or the optimizer step for the batches a run logs every --log-steps. Training curves are solid and
  // validation dashed, in the run's colour. The per-parameter charts ask "which layer?", so there a parameter keeps one
  // colour across runs and each run has its own dash.

  const DASHED = [6, 4];
  const RUN_DASHES = [null, [6, 4], [2, 3], [10, 3, 2, 3]];

  const GRADIENT_BANDS = [
    { above: 1e3, fill: '--band-bad', label: 'exploding (> 1e3)' },
    { below: 1e-6, fill: '--band-bad', label: 'vanishing (< 1e-6)' },
  ];
  const UPDATE_BANDS = [
    { above: 1e-2, label: 'too high: lower the learning rate' },
    { above: 1e-4, below: 1e-2, fill: '--band-good', label: 'healthy (about 1e-3)' },
    { below: 1e-4, label: 'too low: raise the learning rate' },
  ];

  const CHARTS = [
    { id: 'loss', curves: [['train', epoch => epoch.loss], ['validation', epoch => epoch.valLoss]] },
    { id: 'steps', list: 'steps', x: 'step', value: step => step.loss, smoothed: true },
    { id: 'accuracy', curves: [['train', epoch => epoch.accuracy], ['validation', epoch => epoch.valAccuracy]] },
    { id: 'lr', log: true, value: epoch => epoch.lr },
    { id: 'throughput', value: epoch => epoch.samplesPerSecond },
    { id: 'gradients', log: true, parameterValue: gradient => gradient.gradNorm, bands: GRADIENT_BANDS },
    // The healthy band and a decade either side stay in view, so that a ratio far from it reads as far at a glance.
    { id: 'updates', log: true, parameterValue: gradient => gradient.updateRatio, bands: UPDATE_BANDS, keepInView: [1e-5, 1e-1] },
  ];

  // ── Smoothing of the batch loss: TensorBoard's, a moving average corrected for its start ────────────────────
  // Each batch's loss is one batch's luck; the average of those before it, weighted by `weight` per step back, shows
  // the trend. Dividing by 1 − weight^n undoes the pull towards 0 of an average that starts at 0. A gap stays a gap.

  const SMOOTHING_KEY = 'nabla-dashboard-smoothing';
  const DEFAULT_SMOOTHING = 0.6;
  const RAW_ALPHA = 0.25;

  function smooth(points, weight) {
    let average = 0;
    let count = 0;
    return points.map(([x, value]) => {
      if (value === null) return [x, null];
      average = average * weight + (1 - weight) * value;
      count += 1;
      return [x, average / (1 - weight ** count)];
    });
  }

  function storedSmoothing() {
    try {
      const stored = Number.parseFloat(localStorage.getItem(SMOOTHING_KEY) ?? '');
      return stored >= 0 && stored <= 0.99 ? stored : DEFAULT_SMOOTHING;
    } catch {
      return DEFAULT_SMOOTHING; // storage refused (a private window)
    }
  }

  let smoothing = storedSmoothing();

  function showSmoothing() {
    byId('smoothing').value = String(smoothing);
    setText(byId('smoothing-value'), smoothing.toFixed(2));
  }

  function onSmoothingInput(event) {
    const value = Number.parseFloat(event.target.value);
    if (!(value >= 0 && value <= 0.99)) return;
    smoothing = value;
    try {
      localStorage.setItem(SMOOTHING_KEY, String(smoothing));
    } catch {
      // storage refused: the choice holds until the page is closed
    }
    showSmoothing();
    scheduleRender();
  }

  // ── Log scale, per chart: a loss falling by decades is flat on a linear axis once it is small ───────────────

  const LOG_SCALES_KEY = 'nabla-dashboard-log-scales';

  function logScaleInputs() {
    return [...document.querySelectorAll('input[data-log-scale]')];
  }

  function storedLogScales() {
    const toggled = new Set(logScaleInputs().map(input => input.dataset.logScale));
    try {
      const stored = JSON.parse(localStorage.getItem(LOG_SCALES_KEY) ?? '[]');
      return new Set(Array.isArray(stored) ? stored.filter(id => toggled.has(id)) : []);
    } catch {
      return new Set(); // storage refused, or not ours
    }
  }

  let logScales = new Set();

  function showLogScales() {
    for (const input of logScaleInputs()) input.checked = logScales.has(input.dataset.logScale);
  }

  function onLogScaleInput(event) {
    const id = event.target.dataset.logScale;
    if (event.target.checked) logScales.add(id);
    else logScales.delete(id);
    try {
      localStorage.setItem(LOG_SCALES_KEY, JSON.stringify([...logScales]));
    } catch {
      // storage refused: the choice holds until the page is closed
    }
    scheduleRender();
  }

  function trainRuns() {
    return state.selected.filter(name => kindOf(name) === 'train' && state.data.has(name));
  }

  // A run's series of one chart; none when it has no point yet (a run still in its first epoch has steps only).
  function curveSeries(chart, name) {
    const events = state.data.get(name)[chart.list ?? 'epochs'];
    const toY = chart.log ? plottableOnLog : plottable;
    const points = getter => events.map(event => [event[chart.x ?? 'epoch'], getter(event)]);
    const present = list => list.some(([, raw]) => raw !== null && raw !== undefined);
    if (events.length === 0) return [];
    if (chart.smoothed && smoothing > 0) {
      // The batches themselves faint, the smoothed curve drawn over them, as TensorBoard draws them.
      const raw = points(chart.value);
      return [
        { label: `${name} raw`, run: name, colour: runColour(name), dash: null, alpha: RAW_ALPHA, points: raw, toY },
        { label: name, run: name, colour: runColour(name), dash: null, points: smooth(raw.map(([x, value]) => [x, toY(value)]), smoothing), toY },
      ];
    }
    if (chart.value) return [{ label: name, run: name, colour: runColour(name), dash: null, points: points(chart.value), toY }];
    return chart.curves
      .map(([suffix, getter]) => ({ label: `${name} ${suffix}`, run: name, colour: runColour(name), dash: suffix === 'validation' ? DASHED : null, points: points(getter), toY }))
      .filter(series => present(series.points));
  }

  function parameterSeries(chart, names) {
    const parametersOf = name => [...new Set(state.data.get(name).epochs.flatMap(epoch => (epoch.gradients ?? []).map(gradient => String(gradient.parameter))))];
    const withGradients = names.filter(name => parametersOf(name).length > 0);
    const allParameters = [...new Set(withGradients.flatMap(parametersOf))];
    return withGradients.flatMap((name, runIndex) => {
      const epochs = state.data.get(name).epochs;
      return parametersOf(name).map(parameter => ({
        label: `${name} ${parameter}`,
        run: name,
        colour: paletteColour(allParameters.indexOf(parameter)),
        dash: RUN_DASHES[runIndex % RUN_DASHES.length],
        points: epochs.map(epoch => [epoch.epoch, chart.parameterValue((epoch.gradients ?? []).find(gradient => String(gradient.parameter) === parameter) ?? {})]),
        toY: plottableOnLog,
      }));
    });
  }

  // uPlot draws series over one shared x: the union of every series' epochs (or steps), with a gap where a run has none.
  function align(seriesList) {
    const xs = [...new Set(seriesList.flatMap(series => series.points.map(([x]) => x)))].filter(Number.isFinite).sort((a, b) => a - b);
    return seriesList.map(series => {
      const byEpoch = new Map(series.points.map(([x, raw]) => [x, series.toY(raw)]));
      return { ...series, x: xs, y: xs.map(x => byEpoch.get(x) ?? null) };
    });
  }

  // ── Charts: drawing with uPlot ──────────────────────────────────────────────────────────────────────────────

  const CHART_HEIGHT = 210;
  const plots = new Map();    // host element id → { plot, key }
  const plotted = new Map();  // chart id → the series last handed to uPlot
  const resizer = new ResizeObserver(entries => {
    for (const entry of entries) {
      const plot = plots.get(entry.target.id)?.plot;
      const width = Math.floor(entry.contentRect.width);
      if (plot && width > 0 && width !== plot.width) plot.setSize({ width, height: plot.height });
    }
  });

  function formatTick(value) {
    return value === null ? '' : formatNumber(value);
  }

  function logRange(keepInView) {
    return (plot, min, max) => {
      const [low, high] = keepInView ?? [min ?? 0.1, max ?? 10];
      return uPlot.rangeLog(Math.min(min ?? low, low), Math.max(max ?? high, high), 10, true);
    };
  }

  // Grid lines and ticks only where a value is labelled: a log axis would otherwise draw nine lines a decade.
  const labelledOnly = (plot, splits, axisIndex, space, increment) => plot.axes[axisIndex].filter(plot, splits, axisIndex, space, increment);

  // uPlot labels every decade of a log axis, and over many decades (gradient norms) the labels collide: label
  // every n-th decade so that they fit, with 2 and 5 between when the range is short (a learning rate).
  function logSplits(plot, axisIndex, min, max) {
    const horizontal = plot.axes[axisIndex].side % 2 === 0;
    const fits = Math.max(2, Math.floor(horizontal ? (plot.width - 60) / 60 : (plot.height - 50) / 22));
    const [low, high] = [Math.floor(Math.log10(min) + 1e-9), Math.ceil(Math.log10(max) - 1e-9)];
    const step = Math.ceil((high - low + 1) / fits);
    const splits = [];
    for (let exponent = low; exponent <= high; exponent += step) {
      // Parsed, not computed: 10 ** -5 is 0.000009999999999999999.
      splits.push(Number(`1e${exponent}`));
      if (high - low <= 2) splits.push(Number(`2e${exponent}`), Number(`5e${exponent}`));
    }
    return splits.filter(split => split >= min * (1 - 1e-9) && split <= max * (1 + 1e-9)).sort((a, b) => a - b);
  }

  const logAxis = { splits: logSplits, filter: (plot, splits) => splits };

  function axisStyle() {
    const grid = cssColour('--grid');
    return {
      stroke: cssColour('--muted'),
      grid: { stroke: grid, width: 1, filter: labelledOnly },
      ticks: { stroke: grid, width: 1, filter: labelledOnly },
      font: '11px system-ui, sans-serif',
    };
  }

  // Bands are painted on the canvas, clipped to the plotting area: their shading under the grid and lines
  // (hook drawClear), their labels over them (hook draw), each where its band is in view.
  function visibleBands(plot, bands) {
    const { top, height } = plot.bbox;
    return bands.map(band => ({
      band,
      upper: band.below === undefined ? top : Math.max(top, plot.valToPos(band.below, 'y', true)),
      lower: band.above === undefined ? top + height : Math.min(top + height, plot.valToPos(band.above, 'y', true)),
    })).filter(({ upper, lower }) => lower > upper);
  }

  function shadeBands(plot, bands) {
    const { left, width } = plot.bbox;
    for (const { band, upper, lower } of visibleBands(plot, bands)) {
      if (!band.fill) continue;
      plot.ctx.fillStyle = cssColour(band.fill);
      plot.ctx.fillRect(left, upper, width, lower - upper);
    }
  }

  function labelBands(plot, bands) {
    const { ctx } = plot;
    const ratio = window.devicePixelRatio || 1;
    ctx.save();
    ctx.font = `${Math.round(11 * ratio)}px system-ui, sans-serif`;
    ctx.textBaseline = 'top';
    ctx.textAlign = 'left';
    const background = cssColour('--panel');
    const text = cssColour('--band-label');
    for (const { band, upper, lower } of visibleBands(plot, bands)) {
      if (lower - upper < 16 * ratio) continue;
      const x = plot.bbox.left + 6 * ratio;
      const y = upper + 3 * ratio;
      ctx.globalAlpha = 0.75;
      ctx.fillStyle = background;
      ctx.fillRect(x - 3 * ratio, y - 1 * ratio, ctx.measureText(band.label).width + 6 * ratio, 14 * ratio);
      ctx.globalAlpha = 1;
      ctx.fillStyle = text;
      ctx.fillText(band.label, x, y);
    }
    ctx.restore();
  }

  // Ticks of the x axis at whole epochs or steps, 1, 2, 5 a decade: a long run's steps reach the millions.
  const WHOLE_INCREMENTS = Array.from({ length: 9 }, (_, exponent) => [1, 2, 5].map(mantissa => mantissa * 10 ** exponent)).flat();

  function lineOptions(chart, seriesList) {
    return {
      scales: { x: { time: false }, y: chart.log ? { distr: 3, log: 10, range: logRange(chart.keepInView) } : {} },
      axes: [
        { ...axisStyle(), incrs: WHOLE_INCREMENTS, values: (plot, splits) => splits.map(String) },
        { ...axisStyle(), ...(chart.log ? logAxis : {}), size: 58, values: (plot, splits) => splits.map(formatTick) },
      ],
      series: [
        { label: chart.x ?? 'epoch', value: (plot, x) => x ?? '—' },
        ...seriesList.map(series => ({
          label: series.label,
          stroke: series.colour,
          width: series.width ?? 1.5,
          dash: series.dash ?? undefined,
          alpha: series.alpha ?? 1,
          spanGaps: false,
          points: { size: 5, fill: series.colour },
          value: (plot, y) => (y === null ? '—' : formatNumber(y)),
        })),
      ],
      legend: { live: true, markers: { dash: (plot, index) => (plot.series[index].dash ? 'dashed' : 'solid'), fill: () => 'transparent' } },
      cursor: { drag: { x: true, y: false } },
      hooks: chart.bands ? { drawClear: [plot => shadeBands(plot, chart.bands)], draw: [plot => labelBands(plot, chart.bands)] } : {},
    };
  }

  // A plot is rebuilt only when what it draws changes shape (series, colours, theme); new points use setData.
  function draw(hostId, key, options, data) {
    const host = byId(hostId);
    const held = plots.get(hostId);
    if (held && held.key === key) {
      held.plot.setData(data);
      return;
    }
    held?.plot.destroy();
    const width = Math.max(200, Math.floor(host.clientWidth));
    const plot = new uPlot({ width, height: options.height ?? CHART_HEIGHT, ...options }, data, host);
    plots.set(hostId, { plot, key });
    resizer.observe(host);
  }

  function erase(hostId) {
    const held = plots.get(hostId);
    if (!held) return;
    held.plot.destroy();
    plots.delete(hostId);
    resizer.unobserve(byId(hostId));
  }

  function renderCharts() {
    const names = trainRuns();
    const theme = document.documentElement.dataset.theme;
    for (const drawn of CHARTS) {
      const chart = logScales.has(drawn.id) ? { ...drawn, log: true } : drawn;
      const raw = chart.parameterValue ? parameterSeries(chart, names) : names.flatMap(name => curveSeries(chart, name));
      const seriesList = align(raw);
      const shown = seriesList.length > 0 && (chart.id !== 'accuracy' || seriesList.some(series => series.y.some(y => y !== null)));
      byId(`card-${chart.id}`).hidden = !shown;
      if (!shown) {
        erase(`chart-${chart.id}`);
        plotted.delete(chart.id);
        continue;
      }
      plotted.set(chart.id, seriesList.map(({ label, run, x, y }) => ({ label, run, x: [...x], y: [...y] })));
      const key = JSON.stringify([theme, Boolean(chart.log), seriesList.map(series => [series.label, series.colour, series.dash])]);
      draw(`chart-${chart.id}`, key, lineOptions(chart, seriesList), [seriesList[0].x, ...seriesList.map(series => series.y)]);
    }
  }

  // ── Settings: one column per selected run, differing rows marked ────────────────────────────────────────────

  // What every run records besides its settings, shown after them.
  const RECORDED = ['start', 'nabla'];

  function settingsOf(run) {
    const settings = run?.settings;
    if (!settings) return new Map();
    const values = Array.isArray(settings.values) ? settings.values.map(setting => [String(setting.name), String(setting.value)]) : [];
    return new Map([...values, ['start', formatTime(settings.start)], ['nabla', String(settings.nabla ?? '—')]]);
  }

  let settingsKey = '';

  function renderSettings() {
    const names = state.selected;
    const rows = names.map(name => settingsOf(state.data.get(name)));
    const key = JSON.stringify([names, rows.map(map => [...map]), document.documentElement.dataset.theme]);
    if (key === settingsKey) return;
    settingsKey = key;
    const table = byId('settings');
    if (names.length === 0) {
      table.replaceChildren(element('tbody', {}, [element('tr', {}, [element('td', { className: 'empty', text: 'Pick a run in the runs table.' })])]));
      return;
    }
    const head = element('tr', {}, [element('th', { text: 'setting' }),
      ...(names.length === 1 ? [element('th', { text: 'value' })] : names.map(name => element('th', {}, [swatch(runColour(name)), name])))]);
    const recorded = RECORDED.filter(name => rows.some(map => map.has(name)));
    const settingNames = [...new Set(rows.flatMap(map => [...map.keys()]).filter(name => !RECORDED.includes(name))), ...recorded];
    const body = settingNames.map(setting => {
      const values = rows.map(map => map.get(setting) ?? '—');
      const differs = names.length > 1 && new Set(values).size > 1;
      return element('tr', { className: differs ? 'differs' : '' }, [element('th', { text: setting }), ...values.map(value => element('td', { text: value }))]);
    });
    table.replaceChildren(element('thead', {}, [head]), element('tbody', {}, body));
  }

  // ── Trials of a tune run: a sortable table, the best one marked, and score against each parameter ───────────

  function isNumeric(text) {
    return typeof text === 'string' && text.trim() !== '' && Number.isFinite(Number(text));
  }

  function trialParameters(trials) {
    return [...new Set(trials.flatMap(trial => (trial.parameters ?? []).map(parameter => String(parameter.name))))];
  }

  function parameterOf(trial, name) {
    const found = (trial.parameters ?? []).find(parameter => parameter.name === name);
    return found ? String(found.value) : null;
  }

  // The largest budget any trial had (null when none was recorded). A successive-halving search scores most trials
  // on small budgets: only scores at the full budget compare, so the best and the scatter charts count those alone.
  function fullBudget(trials) {
    const budgets = trials.map(trial => trial.budget).filter(budget => typeof budget === 'number');
    return budgets.length === 0 ? null : Math.max(...budgets);
  }

  function atFullBudget(trial, full) {
    return full === null || trial.budget === full;
  }

  function budgetsDiffer(trials) {
    return new Set(trials.map(trial => trial.budget ?? null)).size > 1;
  }

  function bestTrial(trials, maximize) {
    const full = fullBudget(trials);
    let best = null;
    for (const trial of trials) {
      const score = plottable(trial.score);
      if (trial.outcome !== 'complete' || score === null || !atFullBudget(trial, full)) continue;
      if (best === null || (maximize ? score > plottable(best.score) : score < plottable(best.score))) best = trial;
    }
    return best;
  }

  function trialColumns(parameters, showBudget) {
    const number = value => numberOf(value) ?? -Infinity;
    return [
      { title: '#', cell: trial => String(trial.number), sortBy: trial => number(trial.number) },
      { title: 'model', cell: trial => String(trial.model ?? '—'), sortBy: trial => String(trial.model ?? '') },
      { title: 'outcome', cell: trial => String(trial.outcome ?? '—'), sortBy: trial => String(trial.outcome ?? '') },
      ...(showBudget ? [{ title: 'budget', cell: trial => (trial.budget == null ? '—' : String(trial.budget)), sortBy: trial => number(trial.budget) }] : []),
      {
        title: 'score ± std',
        cell: trial => (trial.std == null ? formatNumber(trial.score) : `${formatNumber(trial.score)} ± ${formatNumber(trial.std)}`),
        sortBy: trial => plottable(trial.score) ?? -Infinity,
      },
      { title: 'seconds', cell: trial => formatNumber(trial.seconds), sortBy: trial => number(trial.seconds) },
      ...parameters.map(name => ({
        title: name,
        cell: trial => parameterOf(trial, name) ?? '—',
        sortBy: trial => { const value = parameterOf(trial, name) ?? ''; return isNumeric(value) ? Number(value) : value; },
      })),
    ];
  }

  function compareValues(a, b) {
    if (typeof a === 'number' && typeof b === 'number') return a - b;
    if (typeof a === 'number') return -1;
    if (typeof b === 'number') return 1;
    return a.localeCompare(b);
  }

  let trialsKey = '';

  function renderTrials() {
    const tuneRuns = state.selected.filter(name => kindOf(name) === 'tune');
    byId('trials-panel').hidden = tuneRuns.length === 0;
    if (!tuneRuns.includes(state.trialsRun)) state.trialsRun = tuneRuns[0] ?? null;
    const name = state.trialsRun;
    const trials = state.data.get(name)?.trials ?? [];
    const key = JSON.stringify([tuneRuns, name, trials.length, state.trialSort, document.documentElement.dataset.theme]);
    if (key === trialsKey) return;
    trialsKey = key;
    for (const hostId of [...plots.keys()]) if (hostId.startsWith('scatter-')) erase(hostId);
    const tabs = tuneRuns.length > 1 ? tuneRuns.map(tuneRun => {
      const tab = element('button', { className: tuneRun === name ? 'tab active' : 'tab', text: tuneRun, data: { run: tuneRun } });
      tab.type = 'button';
      return tab;
    }) : [];
    byId('trial-tabs').replaceChildren(...tabs);
    const { table, errors, charts } = name === null ? { table: [], errors: [], charts: [] } : trialsOf(name, trials);
    byId('trials-holder').replaceChildren(...table);
    byId('trial-errors').replaceChildren(...errors);
    // uPlot measures its host: the scatter charts are drawn once their cards are in the page.
    byId('scatters').replaceChildren(...charts.map(chart => chart.figure));
    for (const chart of charts) chart.drawInto?.();
    drawTrialCurves(name, trials);
  }

  // ── A search's learning curves: what each trial reported after each epoch, as its pruner compared them ──────
  // A pruned trial's curve ends where it was stopped (dashed); the best trial's is drawn wider.

  const PRUNED_DASH = [2, 3];
  const MOST_LEGEND_TRIALS = 24;

  function drawTrialCurves(name, trials) {
    const run = name === null ? null : state.data.get(name);
    const best = bestTrial(trials, (settingValue(run, 'direction') ?? 'maximize') !== 'minimize');
    const withCurves = trials.filter(trial => Array.isArray(trial.curve) && trial.curve.length > 0);
    const raw = withCurves.sort((a, b) => a.number - b.number).map(trial => ({
      label: `trial ${trial.number}`,
      run: name,
      colour: paletteColour(trial.number),
      dash: trial.outcome === 'pruned' ? PRUNED_DASH : null,
      width: trial === best ? 3 : 1.5,
      points: trial.curve.map(point => [point.step, point.value]),
      toY: plottable,
    }));
    byId('curves-card').hidden = raw.length === 0;
    if (raw.length === 0) {
      erase('chart-curves');
      plotted.delete('curves');
      return;
    }
    const seriesList = align(raw);
    setText(byId('curves-caption'), `Learning curves: ${settingValue(run, 'curve') || 'the value each trial reported'} after each epoch (pruned trials dashed, the best wider)`);
    plotted.set('curves', seriesList.map(({ label, run: of, x, y }) => ({ label, run: of, x: [...x], y: [...y] })));
    const key = JSON.stringify([document.documentElement.dataset.theme, name, seriesList.map(series => [series.label, series.colour, series.dash, series.width])]);
    const options = lineOptions({ x: 'epoch' }, seriesList);
    // A long search's legend would push the chart off the screen; the trials table names each trial instead.
    if (seriesList.length > MOST_LEGEND_TRIALS) options.legend = { show: false };
    draw('chart-curves', key, options, [seriesList[0].x, ...seriesList.map(series => series.y)]);
  }

  // The caption and table, the failed trials' errors, and the scatter charts of one tune run.
  function trialsOf(name, trials) {
    const run = state.data.get(name);
    const maximize = (settingValue(run, 'direction') ?? 'maximize') !== 'minimize';
    const best = bestTrial(trials, maximize);
    const parameters = trialParameters(trials);
    const showBudget = budgetsDiffer(trials);
    const columns = trialColumns(parameters, showBudget);
    const { column, descending } = state.trialSort;
    const sortBy = (columns[column] ?? columns[0]).sortBy;
    const sorted = [...trials].sort((a, b) => compareValues(sortBy(a), sortBy(b)) * (descending ? -1 : 1));

    const head = element('tr', {}, columns.map((columnOf, index) => {
      const arrow = index === column ? (descending ? ' ▼' : ' ▲') : '';
      const header = element('th', { className: 'sortable', text: columnOf.title + arrow, data: { column: String(index) } });
      header.setAttribute('aria-sort', index === column ? (descending ? 'descending' : 'ascending') : 'none');
      return header;
    }));
    const body = sorted.map(trial => element('tr', { className: trial === best ? 'best' : '', data: { trial: String(trial.number) } },
      columns.map(columnOf => element('td', { text: columnOf.cell(trial) }))));
    const table = element('table', { className: 'grid-table trials' }, [element('thead', {}, [head]), element('tbody', {}, body)]);
    table.id = 'trials';
    const full = fullBudget(trials);
    const budgetNote = showBudget ? `; the best and the charts count the trials at the full budget, ${full}, alone` : '';
    const caption = `${name}: ${trials.length} trials, ${settingValue(run, 'metric') ?? 'score'} (${maximize ? 'higher' : 'lower'} is better)${budgetNote}`;
    return {
      table: [element('p', { className: 'trials-caption', text: caption }), table],
      errors: trials.filter(trial => trial.error).map(trial => element('li', { text: `trial ${trial.number} (${trial.outcome}): ${trial.error}` })),
      charts: scatterCharts(trials, parameters, best),
    };
  }

  function onTrialsClick(event) {
    const header = event.target.closest('th[data-column]');
    if (header) {
      const column = Number(header.dataset.column);
      const same = state.trialSort.column === column;
      // A score is read best first; anything else from its smallest.
      state.trialSort = { column, descending: same ? !state.trialSort.descending : header.textContent.startsWith('score') };
    }
    const tab = event.target.closest('button[data-run]');
    if (tab) state.trialsRun = tab.dataset.run;
    if (header || tab) scheduleRender();
  }

  // One small chart per parameter: numbers on a numeric axis (log when positive over more than two decades),
  // anything else as categories, in natural order ("32" before "64,32" before "128").
  function scatterAxis(values) {
    if (values.every(isNumeric)) {
      const numbers = values.map(Number);
      const [low, high] = [Math.min(...numbers), Math.max(...numbers)];
      return { numbers, log: low > 0 && high / low > 100, categories: null };
    }
    const categories = [...new Set(values)].sort((a, b) => a.localeCompare(b, undefined, { numeric: true }));
    return { numbers: values.map(value => categories.indexOf(value)), log: false, categories };
  }

  // A margin keeps the extreme points (often the best) off the frame.
  function paddedRange(plot, min, max) {
    const margin = (max - min) * 0.12 || Math.abs(min) * 0.1 || 1;
    return [min - margin, max + margin];
  }

  function scatterOptions(axis) {
    const { categories } = axis;
    const dots = (variable, size) => {
      const colour = cssColour(variable);
      return { stroke: colour, fill: colour, paths: () => null, points: { show: true, size, fill: colour, stroke: colour } };
    };
    const xRange = categories ? () => [-0.5, categories.length - 0.5] : paddedRange;
    return {
      height: 150,
      legend: { show: false },
      cursor: { show: false },
      scales: { x: { time: false, ...(axis.log ? { distr: 3, log: 10 } : { range: xRange }) }, y: { range: paddedRange } },
      axes: [
        {
          ...axisStyle(),
          ...(axis.log ? logAxis : {}),
          ...(categories ? { splits: () => categories.map((_, index) => index) } : {}),
          values: (plot, splits) => splits.map(split => (categories ? (categories[split] ?? '').slice(0, 14) : formatTick(split))),
        },
        { ...axisStyle(), size: 50, values: (plot, splits) => splits.map(formatTick) },
      ],
      series: [{}, { label: 'score', ...dots('--accent', 6) }, { label: 'best', ...dots('--best', 10) }],
    };
  }

  function scatterCharts(trials, parameters, best) {
    const full = fullBudget(trials);
    const scored = trials.filter(trial => trial.outcome === 'complete' && plottable(trial.score) !== null && atFullBudget(trial, full));
    return parameters.map((name, index) => {
      const host = element('div', { className: 'scatter' });
      host.id = `scatter-${index}`;
      const withValue = scored.filter(trial => parameterOf(trial, name) !== null);
      const axis = scatterAxis(withValue.map(trial => parameterOf(trial, name)));
      const points = withValue.map((trial, i) => [axis.numbers[i], plottable(trial.score), trial === best]).sort((a, b) => a[0] - b[0]);
      if (points.length === 0) host.textContent = 'no scored trial';
      const figure = element('figure', { className: 'scatter-card' }, [element('figcaption', { text: name }), host]);
      const data = [points.map(p => p[0]), points.map(p => p[1]), points.map(p => (p[2] ? p[1] : null))];
      return { figure, drawInto: points.length === 0 ? null : () => draw(host.id, '', scatterOptions(axis), data) };
    });
  }

  // ── Notes: what could not be read ───────────────────────────────────────────────────────────────────────────

  function renderNotes() {
    const lines = [];
    for (const name of state.missing) lines.push(['warn', `No run named “${name}” in this folder (asked for in the address).`]);
    for (const name of state.selected) {
      const run = state.data.get(name);
      const error = run?.error ?? summaryOf(name)?.error;
      if (error) lines.push(['bad', `${name}: the log cannot be read: ${error}`]);
      if (run?.ignoredPartialLine != null) lines.push(['warn', `${name}: a cut-off last line (line ${run.ignoredPartialLine}) was skipped; the run was killed while writing it.`]);
      if (kindOf(name) === 'train' && run && !error && run.epochs.length === 0) {
        lines.push(['info', run.steps.length > 0
          ? `${name}: no epoch finished yet; its batches so far are in the batch loss chart.`
          : `${name}: no epoch logged yet.`]);
      }
    }
    if (state.truncated) lines.push(['warn', 'The folder holds more runs than the server lists: only the first ones by name are in the table.']);
    for (const note of Object.values(notes)) if (note) lines.push(['bad', note]);
    byId('notes').replaceChildren(...lines.map(([tone, text]) => element('p', { className: `note ${tone}`, text })));
  }

  // ── Theme: the system's unless the user chose, remembered ───────────────────────────────────────────────────

  const THEME_KEY = 'nabla-dashboard-theme';
  const darkQuery = matchMedia('(prefers-color-scheme: dark)');

  function storedTheme() {
    try {
      const stored = localStorage.getItem(THEME_KEY);
      return stored === 'light' || stored === 'dark' ? stored : null;
    } catch {
      return null; // storage refused (a private window): follow the system
    }
  }

  let chosenTheme = storedTheme();

  function applyTheme() {
    const theme = chosenTheme ?? (darkQuery.matches ? 'dark' : 'light');
    document.documentElement.dataset.theme = theme;
    const button = byId('theme');
    setText(button, theme === 'dark' ? '☀ light' : '☾ dark');
    button.setAttribute('aria-pressed', String(theme === 'dark'));
    // Canvas colours were resolved when each plot was built: rebuild them all in the new colours.
    for (const hostId of [...plots.keys()]) erase(hostId);
    trialsKey = '';
    scheduleRender();
  }

  function toggleTheme() {
    chosenTheme = document.documentElement.dataset.theme === 'dark' ? 'light' : 'dark';
    try {
      localStorage.setItem(THEME_KEY, chosenTheme);
    } catch {
      // storage refused: the choice holds until the page is closed
    }
    applyTheme();
  }

  // ── Test hooks: what the browser tests read ─────────────────────────────────────────────────────────────────

  window.nablaDashboard = Object.freeze({
    plotted: chartId => (plotted.get(chartId) ?? []).map(series => ({ ...series, x: [...series.x], y: [...series.y] })),
    scale: chartId => {
      const plot = plots.get(`chart-${chartId}`)?.plot;
      return plot ? (plot.scales.y.distr === 3 ? 'log' : 'linear') : null;
    },
    selected: () => [...state.selected],
    connected: () => state.connected,
  });

  // ── Start ───────────────────────────────────────────────────────────────────────────────────────────────────

  async function start() {
    byId('theme').addEventListener('click', toggleTheme);
    darkQuery.addEventListener('change', applyTheme);
    const runsBody = byId('runs').tBodies[0];
    runsBody.addEventListener('change', onRunsTableInput);
    runsBody.addEventListener('click', onRunsTableInput);
    byId('trials-panel').addEventListener('click', onTrialsClick);
    byId('smoothing').addEventListener('input', onSmoothingInput);
    showSmoothing();
    logScales = storedLogScales();
    for (const input of logScaleInputs()) input.addEventListener('change', onLogScaleInput);
    showLogScales();
    applyTheme();
    try {
      const response = await fetch('/api/runs', { cache: 'no-store' });
      if (!response.ok) throw new Error(`/api/runs answered ${response.status}`);
      applyRuns(await response.json());
    } catch (error) {
      notes.list = `Could not read the list of runs: ${error.message}`;
    }
    // applyRuns has opened the stream when it found runs to show; otherwise one for no runs yet waits for them.
    if (state.stream === null) select(initialSelection());
  }

  start();
})();
