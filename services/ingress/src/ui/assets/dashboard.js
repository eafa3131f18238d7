// aigw usage dashboard: plain DOM + SVG, no framework. Every number comes from
// /admin/analytics/*, called with the key the user logged in with (kept in sessionStorage,
// sent as a bearer token, never put in a URL). Data is inserted with textContent only.

const keyStorage = 'aigw.dashboard.key';
const svgNs = 'http://www.w3.org/2000/svg';
const palette = [
  '#4e79a7',
  '#f28e2b',
  '#e15759',
  '#76b7b2',
  '#59a14f',
  '#edc948',
  '#b07aa1',
  '#ff9da7',
  '#9c755f',
  '#bab0ac',
];

const $ = (id) => document.getElementById(id);

class Unauthorized extends Error {}

async function api(path) {
  const key = sessionStorage.getItem(keyStorage);
  if (!key) throw new Unauthorized('not logged in');
  const response = await fetch(path, { headers: { authorization: `Bearer ${key}` } });
  const body = await response.json().catch(() => ({}));
  if (response.status === 401 || response.status === 403) {
    throw new Unauthorized(body.error?.message ?? 'not allowed');
  }
  if (!response.ok) throw new Error(body.error?.message ?? `HTTP ${response.status}`);
  return body;
}

function query(params) {
  return new URLSearchParams(Object.entries(params).filter(([, v]) => v !== undefined && v !== ''));
}

function el(tag, attributes = {}, text) {
  const node = document.createElementNS(svgNs, tag);
  for (const [name, value] of Object.entries(attributes)) node.setAttribute(name, String(value));
  if (text !== undefined) node.textContent = String(text);
  return node;
}

function html(tag, attributes = {}, text) {
  const node = document.createElement(tag);
  for (const [name, value] of Object.entries(attributes)) node.setAttribute(name, String(value));
  if (text !== undefined) node.textContent = String(text);
  return node;
}

function empty(container, message = 'no data in this range') {
  container.replaceChildren(html('p', { class: 'empty' }, message));
}

function formatNumber(value) {
  if (!Number.isFinite(value)) return '0';
  if (value !== 0 && Math.abs(value) < 0.01) return value.toPrecision(2);
  return Number.isInteger(value) ? String(value) : value.toFixed(2);
}

function legend(container, names, colours) {
  const box = html('div', { class: 'legend' });
  names.forEach((name, index) => {
    const item = html('span', { 'data-series': name }, name || '(none)');
    item.style.setProperty('--swatch', colours[index % colours.length]);
    box.append(item);
  });
  container.append(box);
}

/** Vertical bars per x value, stacked by series. */
function stackedBars(container, rows, { x, series, value }) {
  if (rows.length === 0) return empty(container);
  const xs = [...new Set(rows.map((row) => String(row[x])))].sort();
  const names = [...new Set(rows.map((row) => String(row[series])))].sort();
  const totals = new Map(xs.map((key) => [key, 0]));
  for (const row of rows)
    totals.set(String(row[x]), totals.get(String(row[x])) + Number(row[value]));
  const max = Math.max(...totals.values(), Number.EPSILON);
  const width = 720;
  const height = 240;
  const pad = { left: 60, bottom: 30, top: 10 };
  const band = (width - pad.left) / xs.length;
  const scale = (height - pad.bottom - pad.top) / max;
  const svg = el('svg', {
    viewBox: `0 0 ${width} ${height}`,
    role: 'img',
    'data-chart': 'stacked',
  });
  svg.append(el('text', { x: 4, y: pad.top + 10, class: 'axis' }, formatNumber(max)));
  svg.append(
    el('line', {
      x1: pad.left - 4,
      x2: width,
      y1: height - pad.bottom,
      y2: height - pad.bottom,
      stroke: '#999',
    }),
  );
  xs.forEach((key, column) => {
    let y = height - pad.bottom;
    const left = pad.left + column * band + band * 0.15;
    names.forEach((name, index) => {
      const row = rows.find(
        (candidate) => String(candidate[x]) === key && String(candidate[series]) === name,
      );
      if (!row) return;
      const amount = Number(row[value]);
      const h = Math.max(amount * scale, amount > 0 ? 1 : 0);
      y -= h;
      const rect = el('rect', {
        x: left,
        y,
        width: band * 0.7,
        height: h,
        fill: palette[index % palette.length],
        'data-x': key,
        'data-series': name,
        'data-value': amount,
      });
      rect.append(el('title', {}, `${key} ${name || '(none)'}: ${formatNumber(amount)}`));
      svg.append(rect);
    });
    svg.append(el('text', { x: left, y: height - 10, 'font-size': 11 }, key));
  });
  container.replaceChildren(svg);
  legend(container, names, palette);
}

/** Horizontal bars, one per item: [{ label, value, text }]. */
function horizontalBars(container, items, { colour = '#4e79a7', name = 'bars' } = {}) {
  if (items.length === 0) return empty(container);
  const max = Math.max(...items.map((item) => item.value), Number.EPSILON);
  const row = 22;
  const width = 600;
  const labelWidth = 170;
  const svg = el('svg', {
    viewBox: `0 0 ${width} ${items.length * row + 4}`,
    role: 'img',
    'data-chart': name,
  });
  items.forEach((item, index) => {
    const y = index * row + 2;
    const w = Math.max(((width - labelWidth - 170) * item.value) / max, item.value > 0 ? 1 : 0);
    svg.append(el('text', { x: 0, y: y + 14, 'font-size': 12 }, item.label.slice(0, 28)));
    svg.append(
      el('rect', {
        x: labelWidth,
        y,
        width: w,
        height: row - 6,
        fill: item.colour ?? colour,
        'data-label': item.label,
        'data-value': item.value,
      }),
    );
    svg.append(
      el(
        'text',
        {
          x: labelWidth + w + 4,
          y: y + 14,
          'font-size': 12,
          class: 'value',
          'data-label': item.label,
        },
        item.text ?? formatNumber(item.value),
      ),
    );
  });
  container.replaceChildren(svg);
}

/** Two bars per label (e.g. p50 and p99), each with its own colour. */
function pairedBars(container, rows, label, first, second, { suffix = '', name }) {
  const items = rows
    .flatMap((row) => [
      {
        label: `${row[label]} ${first.title}`,
        value: Number(row[first.key]) * (first.scale ?? 1),
        colour: '#4e79a7',
      },
      {
        label: `${row[label]} ${second.title}`,
        value: Number(row[second.key]) * (second.scale ?? 1),
        colour: '#e15759',
      },
    ])
    .map((item) => ({ ...item, text: `${formatNumber(item.value)}${suffix}` }));
  horizontalBars(container, items, { name });
}

function range() {
  return $('range').value;
}

async function loadCost() {
  const by = $('cost-by').value;
  const metric = $('cost-metric').value;
  const report = await api(`/admin/analytics/usage?${query({ by: `day,${by}`, since: range() })}`);
  stackedBars($('cost-chart'), report.rows, { x: 'day', series: by, value: metric });
  const total = report.rows.reduce((sum, row) => sum + Number(row[metric]), 0);
  $('cost-total').textContent =
    `total ${metric === 'total_cost_usd' ? 'cost' : 'requests'} in range: ${formatNumber(total)}`;
  $('cost-total').dataset.total = String(total);
}

async function loadTop() {
  const report = await api(
    `/admin/analytics/top?${query({ by: 'principal', order: 'requests', since: range() })}`,
  );
  horizontalBars(
    $('top-chart'),
    report.rows.map((row) => ({
      label: row.principal || '(anonymous)',
      value: Number(row.request_count),
      text: `${row.request_count} req · $${formatNumber(Number(row.total_cost_usd))}`,
    })),
    { name: 'top-users' },
  );
}

async function loadErrors() {
  const report = await api(`/admin/analytics/errors?${query({ by: 'endpoint', since: range() })}`);
  pairedBars(
    $('errors-chart'),
    report.rows,
    'endpoint',
    { key: 'error_rate', title: 'errors', scale: 100 },
    { key: 'fallback_rate', title: 'fallbacks', scale: 100 },
    { suffix: '%', name: 'errors' },
  );
}

async function loadLatency() {
  const report = await api(`/admin/analytics/latency?${query({ by: 'endpoint', since: range() })}`);
  pairedBars(
    $('latency-chart'),
    report.rows,
    'endpoint',
    { key: 'p50_latency_ms', title: 'p50' },
    { key: 'p99_latency_ms', title: 'p99' },
    { suffix: ' ms', name: 'latency' },
  );
}

async function loadGuardrails() {
  const report = await api(
    `/admin/analytics/guardrails?${query({ by: 'guardrail,verdict', since: range() })}`,
  );
  horizontalBars(
    $('guardrails-chart'),
    report.rows.map((row) => ({
      label: `${row.guardrail}: ${row.verdict}`,
      value: Number(row.hit_count),
    })),
    { colour: '#f28e2b', name: 'guardrails' },
  );
}

async function loadMcp() {
  const report = await api(
    `/admin/analytics/mcp?${query({ by: 'connection,tool,status', since: range() })}`,
  );
  horizontalBars(
    $('mcp-chart'),
    report.rows.map((row) => ({
      label: `${row.connection}/${row.tool || '-'} (${row.status})`,
      value: Number(row.call_count),
    })),
    { colour: '#59a14f', name: 'mcp' },
  );
}

async function loadRequests() {
  const report = await api(
    `/admin/analytics/requests?${query({
      search: $('search').value.trim(),
      tag: $('search-tag').value.trim(),
      since: range(),
      limit: 50,
    })}`,
  );
  const body = $('requests-table').tBodies[0];
  body.replaceChildren(
    ...report.rows.map((row) => {
      const line = html('tr', { 'data-request-id': row.request_id });
      for (const value of [
        row.time,
        row.request_id,
        row.principal_id,
        row.endpoint,
        row.model,
        row.status,
        Number(row.prompt_tokens) + Number(row.completion_tokens),
        row.cost_usd ?? '',
        row.latency_ms,
      ]) {
        line.append(html('td', {}, value));
      }
      line.addEventListener('click', () => openTimeline(row.request_id).catch(showError));
      return line;
    }),
  );
}

async function openTimeline(requestId) {
  const timeline = await api(`/admin/analytics/requests/${encodeURIComponent(requestId)}/timeline`);
  $('timeline').hidden = false;
  $('timeline-id').textContent = requestId;
  $('timeline-events').replaceChildren(
    ...timeline.events.map((event) =>
      html(
        'li',
        { 'data-type': event.type },
        `${event.occurred_at}  ${event.type}  (${event.service})`,
      ),
    ),
  );
  const payload = timeline.payload;
  $('timeline-payload').hidden = !payload;
  $('payload-request').textContent = payload ? payload.request_body : '';
  $('payload-response').textContent = payload ? payload.response_body : '';
}

function showError(error) {
  if (error instanceof Unauthorized) {
    logout(error.message);
    return;
  }
  $('status').textContent = error.message;
}

async function refresh() {
  $('status').textContent = '';
  const results = await Promise.allSettled([
    loadCost(),
    loadTop(),
    loadErrors(),
    loadLatency(),
    loadGuardrails(),
    loadMcp(),
    loadRequests(),
  ]);
  const failed = results.find((result) => result.status === 'rejected');
  if (failed) showError(failed.reason);
  document.body.dataset.loaded = String(Date.now());
}

function showDashboard(visible) {
  $('login').hidden = visible;
  $('dashboard').hidden = !visible;
  $('controls').hidden = !visible;
}

function logout(message = '') {
  sessionStorage.removeItem(keyStorage);
  showDashboard(false);
  $('login-error').textContent = message;
}

async function login(event) {
  event.preventDefault();
  const key = $('login-key').value.trim();
  $('login-key').value = '';
  sessionStorage.setItem(keyStorage, key);
  try {
    await api('/admin/analytics/usage?since=1h&limit=1');
  } catch (error) {
    logout(error.message);
    return;
  }
  $('login-error').textContent = '';
  showDashboard(true);
  await refresh();
}

$('login-form').addEventListener('submit', (event) => void login(event));
$('logout').addEventListener('click', () => logout());
$('refresh').addEventListener('click', () => void refresh());
$('range').addEventListener('change', () => void refresh());
$('cost-by').addEventListener('change', () => void loadCost().catch(showError));
$('cost-metric').addEventListener('change', () => void loadCost().catch(showError));
$('search-form').addEventListener('submit', (event) => {
  event.preventDefault();
  loadRequests().catch(showError);
});

if (sessionStorage.getItem(keyStorage)) {
  showDashboard(true);
  void refresh();
} else {
  showDashboard(false);
}
