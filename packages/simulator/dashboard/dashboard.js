// The simulator dashboard: loads /_sim/api/state whenever /_sim/api/events says something changed,
// and renders it with DOM nodes and textContent only. Delivery bodies are attacker-shaped text: nothing
// here parses data as markup (the page's Content-Security-Policy enforces it with Trusted Types).

/** Every endpoint the page uses. */
const API = {
  state: '/_sim/api/state',
  events: '/_sim/api/events',
  order: (platform, id, action) =>
    `/_sim/api/orders/${encodeURIComponent(platform)}/${encodeURIComponent(id)}/${encodeURIComponent(action)}`,
  resend: (id) => `/_sim/api/deliveries/${encodeURIComponent(id)}/resend`,
  outage: (platform) => `/_sim/api/outages/${encodeURIComponent(platform)}`,
};

const PLATFORM_NAMES = { douyin: 'Douyin', tiktok: 'TikTok Shop', algovoi: 'AlgoVoi' };
const ACTION_LABELS = { pay: 'Pay', cancel: 'Cancel', refund: 'Refund', settle: 'Settle' };
const ACTION_HINTS = {
  douyin: {
    pay: 'The buyer pays: Douyin sends the signed payment callback',
    cancel: 'The buyer walks away: trade system, a CANCEL payment callback; ecpay, the order just times out',
    refund:
      'Completes the pending refund, or refunds the rest as from the console; sends the refund callback',
    settle: 'Completes the pending settlement and sends its callback',
  },
  tiktok: {
    pay: 'Paid: type-1 webhook, order_status AWAITING_SHIPMENT',
    cancel: 'Type-11 webhook: the cancellation is complete',
    refund: 'Type-12 webhook: the buyer asks for a refund',
  },
  algovoi: {
    pay: "The buyer pays on-chain: the gateway's signed webhook",
    cancel: 'The payment link expires (no webhook)',
  },
};
const KIND_LABELS = {
  scheduled: 'platform',
  duplicate: 'duplicate',
  resend: 'resend',
  cli: 'ttpay send',
  'bad-signature': 'bad signature',
  'stale-timestamp': 'stale timestamp',
};
const STATE_LABELS = {
  sending: 'sending',
  'retry-scheduled': 'retry scheduled',
  acknowledged: 'acknowledged',
  'gave-up': 'gave up',
  'not-acknowledged': 'not acknowledged',
  stopped: 'stopped',
  failed: 'failed',
};

/** Which outcome filter each delivery state belongs to. */
const OUTCOMES = {
  acknowledged: 'acknowledged',
  'gave-up': 'not-acknowledged',
  'not-acknowledged': 'not-acknowledged',
  failed: 'not-acknowledged',
  stopped: 'not-acknowledged',
  sending: 'in-progress',
  'retry-scheduled': 'in-progress',
};

/** Which nested <details> the user opened, kept across re-renders. */
const openDetails = new Set();
let clockOffsetMs = 0;
/** The last state loaded, to re-render when a filter changes. */
let lastState;

/**
 * An element with attributes and children. Strings become text nodes; attribute values are set with
 * setAttribute (never parsed); `on*` keys add listeners.
 */
function h(tag, props, ...children) {
  const el = document.createElement(tag);
  for (const [key, value] of Object.entries(props ?? {})) {
    if (value === undefined || value === null || value === false) continue;
    if (key.startsWith('on')) el.addEventListener(key.slice(2), value);
    else if (key === 'class') el.className = value;
    else el.setAttribute(key, value === true ? '' : String(value));
  }
  for (const child of children.flat()) {
    if (child === undefined || child === null || child === false) continue;
    el.append(child instanceof Node ? child : String(child));
  }
  return el;
}

const $ = (id) => document.getElementById(id);

function clock(ms) {
  const d = new Date(ms);
  const pad = (n, w = 2) => String(n).padStart(w, '0');
  return `${pad(d.getHours())}:${pad(d.getMinutes())}:${pad(d.getSeconds())}.${pad(d.getMilliseconds(), 3)}`;
}

function untilText(at) {
  const seconds = Math.max(0, (at - (Date.now() + clockOffsetMs)) / 1000);
  return seconds < 10 ? `${seconds.toFixed(1)} s` : `${Math.round(seconds)} s`;
}

function showMessage(text, kind = 'error') {
  const box = $('message');
  box.textContent = text;
  box.dataset.kind = kind;
  box.hidden = text === '';
}

async function call(method, path, body) {
  showMessage('');
  try {
    const res = await fetch(path, {
      method,
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify(body ?? {}),
    });
    if (!res.ok) {
      const reply = await res.json().catch(() => ({}));
      showMessage(`${res.status} ${reply.error ?? ''}: ${reply.message ?? 'refused'}`);
    }
  } catch (error) {
    showMessage(`The simulator did not answer: ${error instanceof Error ? error.message : String(error)}`);
  }
}

function copies() {
  const n = Number($('copies').value);
  return Number.isInteger(n) && n >= 1 ? n : 1;
}

function renderInfo(sim) {
  const targets = Object.entries(sim.deliverTo)
    .map(([platform, url]) => `${PLATFORM_NAMES[platform]} → ${url ?? '(not configured)'}`)
    .join(' · ');
  const scale =
    sim.timeScale === 1 ? "the platforms' real retry schedules" : `retry delays ×${sim.timeScale}`;
  $('simulator-info').textContent = `${sim.url} · ${scale} · ${targets}`;
}

function renderOutages(outages) {
  const box = $('outages');
  box.replaceChildren(
    ...Object.entries(outages).map(([platform, on]) =>
      h(
        'button',
        {
          type: 'button',
          class: on ? 'outage down' : 'outage',
          'aria-pressed': on ? 'true' : 'false',
          'data-platform': platform,
          onclick: () => call('PUT', API.outage(platform), { on: !on }),
        },
        `${PLATFORM_NAMES[platform]}: ${on ? 'DOWN (503)' : 'up'}`,
      ),
    ),
  );
}

function renderOrders(all) {
  const f = filters();
  const orders = all.filter((o) => (!f.platform || o.platform === f.platform) && matches(o.id, f.search));
  $('orders').hidden = orders.length === 0;
  $('orders-empty').hidden = orders.length > 0;
  $('orders-empty').textContent =
    all.length === 0
      ? 'No orders yet: create one through your app (Douyin create_order or tt.requestOrder, a TikTok Shop order, an AlgoVoi payment link).'
      : 'No order matches the filter.';
  $('orders')
    .querySelector('tbody')
    .replaceChildren(
      ...orders.map((o) => {
        const ledger = [
          ...(o.refunds ?? []).map((r) => `refund ${r.id} ${r.amount} ${r.status}`),
          ...(o.settlement
            ? [`settlement ${o.settlement.id} ${o.settlement.amount} ${o.settlement.status}`]
            : []),
        ];
        return h(
          'tr',
          { 'data-platform': o.platform, 'data-order': o.id },
          h(
            'td',
            null,
            PLATFORM_NAMES[o.platform],
            o.system ? h('span', { class: 'muted' }, ` ${o.system}`) : null,
          ),
          h('td', null, h('code', null, o.id), o.subject ? h('div', { class: 'muted' }, o.subject) : null),
          h('td', null, o.amount),
          h('td', null, h('span', { class: `status status-${o.status.toLowerCase()}` }, o.status)),
          h(
            'td',
            { class: 'muted' },
            ledger.map((line) => h('div', null, line)),
          ),
          h(
            'td',
            null,
            h(
              'div',
              { class: 'actions' },
              o.actions.map((action) =>
                h(
                  'button',
                  {
                    type: 'button',
                    'data-action': action,
                    title: ACTION_HINTS[o.platform]?.[action] ?? '',
                    onclick: () => call('POST', API.order(o.platform, o.id, action)),
                  },
                  ACTION_LABELS[action],
                ),
              ),
            ),
          ),
        );
      }),
    );
}

function headersText(headers) {
  return Object.entries(headers)
    .map(([name, value]) => `${name}: ${value}`)
    .join('\n');
}

function keptOpen(key, ...children) {
  return h(
    'details',
    {
      open: openDetails.has(key),
      ontoggle: (event) => {
        if (event.currentTarget.open) openDetails.add(key);
        else openDetails.delete(key);
      },
    },
    ...children,
  );
}

/** "400 not acknowledged · SIGNATURE_MISMATCH", "no reply · ECONNREFUSED", "waiting…". */
function answerText(a) {
  const reply = a.reply;
  if (!reply) return 'waiting…';
  if (reply.status === 0) return `no reply · ${reply.error ?? 'network error'}`;
  const verdict = a.acknowledged ? 'acknowledged' : 'not acknowledged';
  return `${reply.status} ${verdict}${reply.code ? ` · ${reply.code}` : ''}`;
}

/**
 * The body as JSON, indented, with every string field that itself holds a JSON object or array (ecpay's
 * `msg`) parsed in place; null when the body is not JSON. Returns which fields were unwrapped.
 */
function decodedJson(text) {
  let value;
  try {
    value = JSON.parse(text);
  } catch {
    return null;
  }
  if (typeof value !== 'object' || value === null) return null;
  const unwrapped = [];
  const unwrap = (node, path) => {
    if (Array.isArray(node)) return node.map((item, i) => unwrap(item, `${path}[${i}]`));
    if (typeof node === 'object' && node !== null) {
      return Object.fromEntries(
        Object.entries(node).map(([k, v]) => [k, unwrap(v, path ? `${path}.${k}` : k)]),
      );
    }
    if (typeof node === 'string' && /^\s*[[{]/.test(node)) {
      try {
        const inner = JSON.parse(node);
        if (typeof inner === 'object' && inner !== null) {
          unwrapped.push(path);
          return unwrap(inner, path);
        }
      } catch {
        // a string that only looks like JSON: shown as it is
      }
    }
    return node;
  };
  const decoded = unwrap(value, '');
  return { text: JSON.stringify(decoded, null, 2), unwrapped };
}

/** A POSIX shell word: single-quoted, with each ' written as '\''. */
function shellQuote(text) {
  return `'${String(text).replaceAll("'", "'\\''")}'`;
}

/** The request as a curl command that sends the same bytes (the body as text, with --data-binary). */
function curlCommand(url, request) {
  const lines = [`curl -X POST ${shellQuote(url)}`];
  for (const [name, value] of Object.entries(request.headers))
    lines.push(`  -H ${shellQuote(`${name}: ${value}`)}`);
  lines.push(`  --data-binary ${shellQuote(request.body)}`);
  return lines.join(' \\\n');
}

async function copyText(text, what) {
  try {
    await navigator.clipboard.writeText(text);
    showMessage(`Copied ${what} to the clipboard.`, 'info');
  } catch {
    showMessage(`The browser refused the clipboard: select the ${what} below and copy it.`);
  }
}

function renderAttempt(delivery, a) {
  const reply = a.reply;
  const decoded = decodedJson(a.request.body);
  const curl = curlCommand(delivery.url, a.request);
  const partialUrl = delivery.url.includes('?') ? " (the URL's query string is not kept: add it back)" : '';
  return h(
    'tr',
    { 'data-attempt': a.n, 'data-kind': a.kind, 'data-status': reply ? reply.status : '' },
    h('td', null, String(a.n)),
    h('td', null, KIND_LABELS[a.kind] ?? a.kind),
    h('td', null, clock(a.sentAt)),
    h('td', { class: reply ? (a.acknowledged ? 'ack' : 'nack') : '' }, answerText(a)),
    h('td', null, a.latencyMs === undefined ? '' : `${a.latencyMs} ms`),
    h(
      'td',
      { class: 'exchange' },
      keptOpen(
        `${delivery.id}:${a.n}`,
        h('summary', null, `request (${a.request.bytes} bytes) and reply`),
        decoded
          ? [
              h(
                'h4',
                null,
                'body sent, decoded',
                decoded.unwrapped.length > 0
                  ? h(
                      'span',
                      { class: 'muted' },
                      ` (${decoded.unwrapped.join(', ')}: a JSON string, shown parsed)`,
                    )
                  : null,
              ),
              h('pre', { class: 'request-decoded' }, decoded.text),
            ]
          : null,
        h('h4', null, 'body sent, exact bytes'),
        h('pre', { class: 'request-body' }, a.request.body),
        h('h4', null, 'headers sent'),
        h('pre', { class: 'request-headers' }, headersText(a.request.headers)),
        h(
          'h4',
          null,
          'as curl',
          h(
            'button',
            {
              type: 'button',
              class: 'small',
              'data-action': 'copy-curl',
              onclick: () => copyText(curl, 'curl command'),
            },
            'Copy as curl',
          ),
          partialUrl ? h('span', { class: 'muted' }, partialUrl) : null,
        ),
        h('pre', { class: 'curl' }, curl),
        h('h4', null, "your app's reply"),
        h(
          'pre',
          { class: 'reply-body' },
          reply
            ? reply.status === 0
              ? `no HTTP reply: ${reply.body}`
              : `HTTP ${reply.status}\n\n${reply.body}`
            : '(waiting)',
        ),
      ),
    ),
  );
}

function renderDelivery(d) {
  const last = d.attempts.at(-1);
  const retry =
    d.state === 'retry-scheduled' && d.nextRetryAt
      ? h(
          'span',
          { class: 'next-retry' },
          `next retry at ${clock(d.nextRetryAt)} (in `,
          h('span', { 'data-until': d.nextRetryAt }, untilText(d.nextRetryAt)),
          ')',
        )
      : null;
  const resend = (extra) => call('POST', API.resend(d.id), { copies: copies(), ...extra });
  return h(
    'article',
    {
      class: `delivery state-${d.state}`,
      'data-delivery-id': d.id,
      'data-platform': d.platform,
      'data-type': d.type,
      'data-ref': d.ref,
      'data-state': d.state,
    },
    h(
      'header',
      null,
      h('span', { class: 'id' }, `#${d.id}`),
      h(
        'span',
        { class: 'platform' },
        `${PLATFORM_NAMES[d.platform]} ${d.scheme === d.platform ? '' : d.scheme}`,
      ),
      h('span', { class: 'type' }, d.type || '(unknown type)'),
      h('code', { class: 'ref' }, d.ref || '—'),
      h('span', { class: `badge state-${d.state}` }, STATE_LABELS[d.state] ?? d.state),
      h('span', { class: 'muted' }, `${d.attempts.length + d.droppedAttempts} request(s)`),
      last?.reply ? h('span', { class: 'muted' }, `last: ${answerText(last)}`) : null,
      retry,
    ),
    h('p', { class: 'url muted' }, `POST ${d.url} · started ${clock(d.startedAt)}`),
    h(
      'div',
      { class: 'actions' },
      h('button', { type: 'button', 'data-action': 'resend', onclick: () => resend({}) }, 'Resend'),
      d.breakable.includes('bad-signature')
        ? h(
            'button',
            {
              type: 'button',
              'data-action': 'bad-signature',
              onclick: () => resend({ break: 'bad-signature' }),
            },
            'Resend with a bad signature',
          )
        : null,
      d.breakable.includes('stale-timestamp')
        ? h(
            'button',
            {
              type: 'button',
              'data-action': 'stale-timestamp',
              onclick: () => resend({ break: 'stale-timestamp' }),
            },
            'Resend with a stale timestamp',
          )
        : null,
    ),
    d.droppedAttempts > 0
      ? h('p', { class: 'muted' }, `${d.droppedAttempts} older request(s) not kept`)
      : null,
    h(
      'table',
      { class: 'attempts' },
      h(
        'thead',
        null,
        h(
          'tr',
          null,
          ['#', 'why', 'sent', "app's answer", 'latency', 'bytes and headers'].map((t) =>
            h('th', { scope: 'col' }, t),
          ),
        ),
      ),
      h(
        'tbody',
        null,
        d.attempts.map((a) => renderAttempt(d, a)),
      ),
    ),
  );
}

/** The filter bar's current choice. */
function filters() {
  return {
    platform: $('filter-platform').value,
    type: $('filter-type').value,
    outcome: $('filter-outcome').value,
    search: $('filter-search').value.trim().toLowerCase(),
  };
}

function matches(text, search) {
  return search === '' || String(text).toLowerCase().includes(search);
}

/** The type choices: every type seen so far, keeping the chosen one even when none is left. */
function renderTypeChoices(deliveries) {
  const select = $('filter-type');
  const chosen = select.value;
  const types = [...new Set(deliveries.map((d) => d.type).filter(Boolean))];
  if (chosen && !types.includes(chosen)) types.push(chosen);
  types.sort();
  const current = [...select.options].slice(1).map((o) => o.value);
  if (current.join('\n') === types.join('\n')) return;
  select.replaceChildren(
    h('option', { value: '' }, 'all'),
    ...types.map((t) => h('option', { value: t }, t)),
  );
  select.value = chosen;
}

function renderDeliveries(all) {
  renderTypeChoices(all);
  const f = filters();
  const deliveries = all.filter(
    (d) =>
      (!f.platform || d.platform === f.platform) &&
      (!f.type || d.type === f.type) &&
      (!f.outcome || OUTCOMES[d.state] === f.outcome) &&
      matches(d.ref, f.search),
  );
  $('deliveries-empty').hidden = deliveries.length > 0;
  $('deliveries-empty').textContent =
    all.length === 0 ? 'No deliveries yet.' : 'No delivery matches the filter.';
  $('deliveries').replaceChildren(...deliveries.map(renderDelivery));
  const filtered = f.platform || f.type || f.outcome || f.search;
  $('filter-count').textContent = filtered ? `${deliveries.length} of ${all.length} deliveries` : '';
}

function renderApiCalls(all) {
  const f = filters();
  const calls = all.filter((c) => (!f.platform || c.platform === f.platform) && matches(c.path, f.search));
  $('api-calls').hidden = calls.length === 0;
  $('api-calls-empty').hidden = calls.length > 0;
  $('api-calls-empty').textContent =
    all.length === 0 ? 'No API calls yet.' : 'No API call matches the filter.';
  $('api-calls')
    .querySelector('tbody')
    .replaceChildren(
      ...calls.map((c) =>
        h(
          'tr',
          { 'data-platform': c.platform, 'data-status': c.status },
          h('td', null, clock(c.at)),
          h('td', null, PLATFORM_NAMES[c.platform]),
          h('td', null, h('code', null, `${c.method} ${c.path}`)),
          h('td', { class: c.status >= 200 && c.status < 300 ? 'ack' : 'nack' }, String(c.status)),
          h('td', null, c.code === undefined ? '' : String(c.code)),
        ),
      ),
    );
}

function render(state) {
  lastState = state;
  clockOffsetMs = state.simulator.now - Date.now();
  $('copies').max = String(state.simulator.maxResendCopies);
  renderInfo(state.simulator);
  renderOutages(state.outages);
  renderOrders(state.orders);
  renderDeliveries(state.deliveries);
  renderApiCalls(state.apiCalls);
  $('loading').hidden = true;
  document.body.dataset.loaded = 'true';
}

for (const id of ['filter-platform', 'filter-type', 'filter-outcome', 'filter-search']) {
  $(id).addEventListener('input', () => {
    if (lastState) render(lastState);
  });
}

// One state request at a time; changes that arrive meanwhile cause one more.
let loading = false;
let again = false;
async function refresh() {
  if (loading) {
    again = true;
    return;
  }
  loading = true;
  try {
    const res = await fetch(API.state, { cache: 'no-store' });
    if (res.ok) render(await res.json());
  } catch {
    // The event stream reports the lost connection.
  } finally {
    loading = false;
    if (again) {
      again = false;
      void refresh();
    }
  }
}

function connect() {
  const status = $('connection');
  const events = new EventSource(API.events);
  events.addEventListener('open', () => {
    status.dataset.state = 'live';
    status.textContent = 'live';
  });
  events.addEventListener('change', () => void refresh());
  events.addEventListener('error', () => {
    status.dataset.state = 'reconnecting';
    status.textContent = 'simulator unreachable: reconnecting…';
  });
}

setInterval(() => {
  for (const el of document.querySelectorAll('[data-until]'))
    el.textContent = untilText(Number(el.dataset.until));
}, 500);
connect();
