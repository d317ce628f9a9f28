// The agent console: sign in with a token, watch the live queue, open a handoff, accept and resolve it.
// Plain DOM code: every text goes in through textContent, never as HTML, so a customer's words cannot become markup.
import { ApiError, call, followEvents } from './api.js';
import { initialLanguage, locale, setLanguage, t } from './i18n.js';

const TOKEN_KEY = 'loket.console.token';
const TIME_ZONE = 'Europe/Amsterdam';

const state = {
  token: null,
  me: null,
  /** id -> list item (the package without its transcript) */
  handoffs: new Map(),
  selectedId: null,
  /** the full package of the selected handoff */
  detail: null,
  filter: 'waiting',
  stream: null,
  live: false,
  /** id -> until when a newly arrived handoff is highlighted */
  fresh: new Map(),
  /** the outcome of the last action on the open handoff, kept across re-renders */
  message: '',
};

const HIGHLIGHT_MS = 4000;

const byId = (id) => document.getElementById(id);

function el(tag, attributes = {}, ...children) {
  const element = document.createElement(tag);
  for (const [name, value] of Object.entries(attributes)) {
    if (value === null || value === undefined || value === false) continue;
    if (name === 'class') element.className = value;
    else if (name === 'dataset') Object.assign(element.dataset, value);
    else element.setAttribute(name, value === true ? '' : String(value));
  }
  for (const child of children.flat()) {
    if (child === null || child === undefined || child === false) continue;
    element.append(child instanceof Node ? child : document.createTextNode(String(child)));
  }
  return element;
}

// --- formatting ----------------------------------------------------------------------------------------------------

function duration(milliseconds) {
  const total = Math.max(0, Math.floor(milliseconds / 1000));
  const hours = Math.floor(total / 3600);
  const minutes = Math.floor((total % 3600) / 60);
  const seconds = total % 60;
  if (hours > 0) return t('hours', { h: hours, m: String(minutes).padStart(2, '0') });
  if (minutes > 0) return t('minutes', { m: minutes, s: String(seconds).padStart(2, '0') });
  return t('seconds', { s: seconds });
}

function dateTime(iso) {
  const date = new Date(iso);
  if (Number.isNaN(date.getTime())) return iso;
  return new Intl.DateTimeFormat(locale(), {
    dateStyle: 'medium',
    timeStyle: 'short',
    timeZone: TIME_ZONE,
  }).format(date);
}

function clock(iso) {
  const date = new Date(iso);
  if (Number.isNaN(date.getTime())) return '';
  return new Intl.DateTimeFormat(locale(), { timeStyle: 'short', timeZone: TIME_ZONE }).format(date);
}

function day(isoDate) {
  const date = new Date(`${isoDate}T12:00:00Z`);
  if (Number.isNaN(date.getTime())) return isoDate;
  return new Intl.DateTimeFormat(locale(), {
    weekday: 'long',
    day: 'numeric',
    month: 'long',
    timeZone: 'UTC',
  }).format(date);
}

function momentText(moment) {
  if (!moment || moment.asap || (!moment.date && !moment.dayPart)) return t('callbackMoment.asap');
  const date = moment.date ? day(moment.date) : '';
  return t(`callbackMoment.${moment.dayPart ?? 'date'}`, { date });
}

function customerName(pkg) {
  return pkg.customer?.name ?? t('unknownCustomer');
}

function groupedCode(code) {
  return code.replace(/(\d{3})(?=\d)/g, '$1 ');
}

/** The ticking time next to a handoff: how long it waits, or how long its agent has had it. */
function elapsedText(pkg, now = Date.now()) {
  if (pkg.status === 'waiting')
    return t('waitingFor', { duration: duration(now - Date.parse(pkg.createdAt)) });
  if (pkg.status === 'accepted' && pkg.agent) {
    return t('acceptedByAgo', {
      name: pkg.agent.acceptedBy,
      duration: duration(now - Date.parse(pkg.agent.acceptedAt)),
    });
  }
  if (pkg.status === 'resolved' && pkg.agent?.resolvedBy)
    return t('resolvedBy', { name: pkg.agent.resolvedBy });
  return t(`statuses.${pkg.status}`);
}

// --- the queue -----------------------------------------------------------------------------------------------------

function visibleHandoffs() {
  const all = [...state.handoffs.values()];
  const byCreated = (a, b) => Date.parse(a.createdAt) - Date.parse(b.createdAt);
  switch (state.filter) {
    case 'waiting':
      // Longest waiting first: that is the queue's order.
      return all.filter((pkg) => pkg.status === 'waiting').sort(byCreated);
    case 'mine':
      return all
        .filter((pkg) => pkg.status === 'accepted' && pkg.agent?.acceptedBy === state.me?.name)
        .sort(byCreated);
    case 'failed':
      return all.filter((pkg) => pkg.delivery?.state === 'failed').sort((a, b) => byCreated(b, a));
    default:
      return all.sort((a, b) => byCreated(b, a));
  }
}

function queueItem(pkg) {
  const meta = [t(`channels.${pkg.channel}`), pkg.queue, groupedCode(pkg.code)];
  if (pkg.callback) meta.push(t('callbackAt', { moment: momentText(pkg.callback.preferredMoment) }));
  if (pkg.delivery?.state === 'failed') meta.push(`${t('fields.delivery')}: ${t('deliveries.failed')}`);
  return el(
    'button',
    {
      type: 'button',
      class: (state.fresh.get(pkg.id) ?? 0) > Date.now() ? 'item is-new' : 'item',
      'aria-current': pkg.id === state.selectedId ? 'true' : null,
      dataset: { id: pkg.id },
    },
    el(
      'span',
      { class: 'item-top' },
      el('span', { class: `badge reason-${pkg.reason}` }, t(`reasons.${pkg.reason}`)),
      el('span', { class: 'elapsed', dataset: { id: pkg.id } }, elapsedText(pkg)),
    ),
    el(
      'span',
      { class: 'item-customer' },
      customerName(pkg),
      el(
        'span',
        { class: pkg.customer?.verified ? 'verified' : 'unverified' },
        pkg.customer?.verified ? t('verified') : t('notVerified'),
      ),
    ),
    el('span', { class: 'item-summary' }, pkg.summary),
    el('span', { class: 'item-meta' }, meta.join(' · ')),
  );
}

function renderQueue() {
  const list = byId('queue-list');
  const focusedId = document.activeElement?.closest?.('#queue-list .item')?.dataset.id ?? null;
  const items = visibleHandoffs();
  list.replaceChildren(...items.map((pkg) => el('li', {}, queueItem(pkg))));
  byId('queue-empty').hidden = items.length > 0;
  if (focusedId) list.querySelector(`.item[data-id="${CSS.escape(focusedId)}"]`)?.focus();
  for (const button of document.querySelectorAll('[data-filter]')) {
    button.setAttribute('aria-pressed', String(button.dataset.filter === state.filter));
  }
}

function tick() {
  const now = Date.now();
  for (const [id, until] of state.fresh) {
    if (until > now) continue;
    state.fresh.delete(id);
    document.querySelector(`#queue-list .item[data-id="${CSS.escape(id)}"]`)?.classList.remove('is-new');
  }
  for (const element of document.querySelectorAll('.elapsed')) {
    const pkg =
      state.handoffs.get(element.dataset.id) ??
      (state.detail?.id === element.dataset.id ? state.detail : null);
    if (pkg) element.textContent = elapsedText(pkg, now);
  }
}

function moveFocus(step) {
  const buttons = [...document.querySelectorAll('#queue-list .item')];
  if (buttons.length === 0) return;
  const current = buttons.indexOf(document.activeElement);
  const next =
    step === 'first'
      ? 0
      : step === 'last'
        ? buttons.length - 1
        : Math.min(buttons.length - 1, Math.max(0, current + step));
  const target = buttons[current === -1 && typeof step === 'number' ? 0 : next];
  target.focus();
  void select(target.dataset.id, { focusDetail: false });
}

// --- the detail ----------------------------------------------------------------------------------------------------

function fact(label, ...value) {
  return [el('dt', {}, label), el('dd', {}, ...value)];
}

function actionArea(pkg) {
  const me = state.me;
  const area = el('div', { class: 'actions' });
  if (me.role === 'viewer') {
    area.append(el('p', { class: 'muted' }, t('readOnly')));
    return area;
  }
  if (pkg.status === 'waiting') {
    area.append(el('button', { type: 'button', class: 'primary', id: 'accept' }, t('accept')));
  }
  if (pkg.status === 'accepted') {
    if (pkg.agent?.acceptedBy === me.name || me.role === 'supervisor') {
      area.append(
        el(
          'form',
          { id: 'resolve-form', class: 'resolve', novalidate: true },
          el('label', { for: 'note' }, t('resolveNote')),
          el('textarea', { id: 'note', name: 'note', rows: '3', required: true, maxlength: '2000' }),
          el('button', { type: 'submit', class: 'primary' }, t('resolve')),
        ),
      );
    } else {
      area.append(el('p', { class: 'muted' }, t('notYours', { name: pkg.agent?.acceptedBy ?? '?' })));
    }
  }
  if (pkg.delivery?.state === 'failed' && me.role === 'supervisor') {
    area.append(el('button', { type: 'button', id: 'redeliver' }, t('redeliver')));
  }
  return area;
}

/** A fingerprint of what the detail shows, so an event that changes nothing visible does not redraw it. */
function shown(pkg) {
  return pkg
    ? JSON.stringify([pkg.id, pkg.updatedAt, pkg.status, pkg.delivery, pkg.callback, currentLanguageMark()])
    : '';
}

function currentLanguageMark() {
  return document.documentElement.lang;
}

function renderDetail() {
  const body = byId('detail-body');
  const pkg = state.detail;
  // A redraw while the agent types a note must not cost them the note or their place.
  const focusedId = body.contains(document.activeElement) ? document.activeElement.id : null;
  const note = byId('note')?.value ?? '';
  body.dataset.shown = shown(pkg);
  byId('detail-empty').hidden = Boolean(pkg);
  body.hidden = !pkg;
  if (!pkg) {
    body.replaceChildren();
    return;
  }
  const facts = [
    ...fact(
      t('fields.customer'),
      customerName(pkg),
      ' ',
      el(
        'span',
        { class: pkg.customer?.verified ? 'verified' : 'unverified' },
        pkg.customer?.verified ? t('verified') : t('notVerified'),
      ),
    ),
    ...fact(
      t('fields.reason'),
      el('span', { class: `badge reason-${pkg.reason}` }, t(`reasons.${pkg.reason}`)),
    ),
    ...fact(
      t('fields.status'),
      t(`statuses.${pkg.status}`),
      ' · ',
      el('span', { class: 'elapsed', dataset: { id: pkg.id } }, elapsedText(pkg)),
    ),
    ...fact(t('fields.queue'), pkg.queue),
    ...fact(t('fields.channel'), t(`channels.${pkg.channel}`), ` · ${pkg.locale}`),
    ...fact(t('fields.code'), groupedCode(pkg.code)),
    ...fact(t('fields.created'), dateTime(pkg.createdAt)),
    ...fact(
      t('fields.sentiment'),
      el(
        'span',
        { class: `sentiment sentiment-${pkg.sentiment.label}` },
        t(`sentiments.${pkg.sentiment.label}`),
      ),
      ` (${pkg.sentiment.score})`,
    ),
  ];
  if (pkg.callback) {
    facts.push(
      ...fact(
        t('fields.callback'),
        el('a', { href: `tel:${pkg.callback.phone}` }, pkg.callback.phone),
        `, ${momentText(pkg.callback.preferredMoment)}`,
      ),
    );
  }
  if (pkg.previousHandoffId) facts.push(...fact(t('fields.previous'), el('code', {}, pkg.previousHandoffId)));
  if (pkg.continuedBy) facts.push(...fact(t('fields.continuedBy'), el('code', {}, pkg.continuedBy)));
  if (pkg.delivery) {
    const delivery = [t(`deliveries.${pkg.delivery.state}`), t('attempts', { count: pkg.delivery.attempts })];
    if (pkg.delivery.lastError) delivery.push(pkg.delivery.lastError);
    facts.push(...fact(t('fields.delivery'), delivery.join(' · ')));
  }
  if (pkg.agent?.note) facts.push(...fact(t('fields.note'), pkg.agent.note));

  const intents = pkg.intents.length
    ? el(
        'ol',
        { class: 'intents' },
        pkg.intents.map((entry) =>
          el(
            'li',
            {},
            el('strong', {}, entry.intent),
            Object.keys(entry.slots).length
              ? el(
                  'dl',
                  { class: 'slots' },
                  Object.entries(entry.slots).map(([name, value]) => [
                    el('dt', {}, name),
                    el('dd', {}, value),
                  ]),
                )
              : null,
          ),
        ),
      )
    : el('p', { class: 'muted' }, t('noIntents'));
  const tried = pkg.tried.length
    ? el(
        'ul',
        { class: 'tried' },
        pkg.tried.map((step) => el('li', {}, step.replace(':', ': '))),
      )
    : el('p', { class: 'muted' }, t('nothingTried'));
  const transcript = el(
    'ol',
    { class: 'transcript' },
    pkg.transcript.map((entry) =>
      el(
        'li',
        { class: `turn turn-${entry.speaker}` },
        el('span', { class: 'speaker' }, t(`speakers.${entry.speaker}`)),
        el('time', { datetime: entry.at }, clock(entry.at)),
        el('p', {}, entry.text),
      ),
    ),
  );

  body.replaceChildren(
    el('h2', { id: 'detail-title', tabindex: '-1' }, pkg.summary),
    actionArea(pkg),
    el('p', { id: 'action-message', class: 'message', role: 'status' }, state.message),
    el('dl', { class: 'facts' }, facts),
    el('h3', {}, t('intentsTitle')),
    intents,
    el('h3', {}, t('triedTitle')),
    tried,
    el('h3', {}, t('transcriptTitle')),
    transcript,
  );
  if (byId('note')) byId('note').value = note;
  if (focusedId) byId(focusedId)?.focus();
  byId('accept')?.addEventListener('click', () => act('accept'));
  byId('redeliver')?.addEventListener('click', () => act('redeliver'));
  byId('resolve-form')?.addEventListener('submit', (event) => {
    event.preventDefault();
    const note = byId('note');
    if (!note.value.trim()) {
      note.focus();
      return;
    }
    void act('resolve', { note: note.value });
  });
}

function say(message) {
  state.message = message;
  const target = byId('action-message');
  if (target) target.textContent = message;
}

async function act(action, body) {
  const pkg = state.detail;
  if (!pkg) return;
  try {
    const { handoff } = await call(state.token, `handoffs/${encodeURIComponent(pkg.id)}/${action}`, {
      method: 'POST',
      body: body ?? {},
    });
    upsert(handoff);
    state.detail = handoff;
    state.message = t(action === 'accept' ? 'accepted' : action === 'resolve' ? 'resolved' : 'redelivering');
    if (action === 'resolve' && byId('note')) byId('note').value = '';
    renderQueue();
    renderDetail();
    (action === 'accept' ? byId('note') : byId('detail-title'))?.focus();
  } catch (error) {
    if (error instanceof ApiError && error.status === 401) return signOut();
    say(t('failedAction', { message: error.message }));
  }
}

async function select(id, { focusDetail }) {
  if (id !== state.selectedId) state.message = '';
  state.selectedId = id;
  for (const button of document.querySelectorAll('#queue-list .item')) {
    if (button.dataset.id === id) button.setAttribute('aria-current', 'true');
    else button.removeAttribute('aria-current');
  }
  try {
    const { handoff } = await call(state.token, `handoffs/${encodeURIComponent(id)}`);
    if (state.selectedId !== id) return;
    state.detail = handoff;
    if (byId('detail-body').dataset.shown !== shown(handoff)) renderDetail();
    if (focusDetail) byId('detail-title')?.focus();
  } catch (error) {
    if (error instanceof ApiError && error.status === 401) signOut();
  }
}

// --- live updates --------------------------------------------------------------------------------------------------

function upsert(pkg) {
  const { transcript, ...item } = pkg;
  state.handoffs.set(pkg.id, transcript ? { ...item, transcriptLength: transcript.length } : item);
}

function announce(message) {
  const announcer = byId('announcer');
  announcer.textContent = '';
  // A fresh text node after a tick makes screen readers read the same sentence twice in a row, too.
  setTimeout(() => {
    announcer.textContent = message;
  }, 50);
}

function onEvent(type, event) {
  const pkg = event.handoff;
  state.handoffs.set(pkg.id, pkg);
  renderQueue();
  if (type === 'handoff.created' && pkg.status === 'waiting') {
    announce(t('newHandoff', { reason: t(`reasons.${pkg.reason}`), customer: customerName(pkg) }));
    state.fresh.set(pkg.id, Date.now() + HIGHLIGHT_MS);
    document.querySelector(`#queue-list .item[data-id="${CSS.escape(pkg.id)}"]`)?.classList.add('is-new');
  }
  if (pkg.id === state.selectedId) void select(pkg.id, { focusDetail: false });
}

async function loadQueue() {
  const [waiting, recent] = await Promise.all([
    call(state.token, 'handoffs?status=waiting&limit=500'),
    call(state.token, 'handoffs?status=all&limit=200'),
  ]);
  state.handoffs.clear();
  for (const pkg of [...recent.handoffs, ...waiting.handoffs]) state.handoffs.set(pkg.id, pkg);
  renderQueue();
}

function setLive(live) {
  state.live = live;
  const connection = byId('connection');
  connection.textContent = live ? t('live') : t('reconnecting');
  connection.classList.toggle('is-live', live);
}

function startDesk() {
  byId('sign-in').hidden = true;
  byId('desk').hidden = false;
  const whoami = byId('whoami');
  whoami.hidden = false;
  whoami.textContent = t('whoami', { name: state.me.name, role: t(`roles.${state.me.role}`) });
  byId('sign-out').hidden = false;
  document.querySelector('[data-filter="failed"]').hidden = !state.me.webhook;
  const controller = new AbortController();
  state.stream = controller;
  void followEvents(state.token, {
    signal: controller.signal,
    onReady: () => {
      setLive(true);
      loadQueue().catch((error) => console.warn('loading the queue:', error.message));
    },
    onEvent,
    onDisconnect: () => setLive(false),
    onUnauthorized: signOut,
  });
  byId('queue-title').focus();
}

function signOut() {
  sessionStorage.removeItem(TOKEN_KEY);
  state.stream?.abort();
  Object.assign(state, { token: null, me: null, selectedId: null, detail: null, stream: null });
  state.handoffs.clear();
  byId('desk').hidden = true;
  byId('whoami').hidden = true;
  byId('sign-out').hidden = true;
  byId('sign-in').hidden = false;
  byId('token').value = '';
  byId('token').focus();
}

async function signIn(token) {
  const me = await call(token, 'me');
  state.token = token;
  state.me = me;
  sessionStorage.setItem(TOKEN_KEY, token);
  startDesk();
}

// --- wiring --------------------------------------------------------------------------------------------------------

function wire() {
  byId('sign-in-form').addEventListener('submit', async (event) => {
    event.preventDefault();
    const error = byId('sign-in-error');
    error.textContent = '';
    const token = byId('token').value.trim();
    if (!token) {
      byId('token').focus();
      return;
    }
    try {
      await signIn(token);
    } catch (failure) {
      error.textContent =
        failure instanceof ApiError && failure.status === 401 ? t('signInFailed') : t('signInUnreachable');
      byId('token').select();
    }
  });
  byId('sign-out').addEventListener('click', signOut);
  for (const button of document.querySelectorAll('[data-lang]')) {
    button.addEventListener('click', () => {
      setLanguage(button.dataset.lang);
      if (state.me) {
        byId('whoami').textContent = t('whoami', { name: state.me.name, role: t(`roles.${state.me.role}`) });
        setLive(state.live);
      }
      renderQueue();
      renderDetail();
    });
  }
  for (const button of document.querySelectorAll('[data-filter]')) {
    button.addEventListener('click', () => {
      state.filter = button.dataset.filter;
      renderQueue();
    });
  }
  const list = byId('queue-list');
  list.addEventListener('click', (event) => {
    const item = event.target.closest('.item');
    if (item) void select(item.dataset.id, { focusDetail: true });
  });
  list.addEventListener('keydown', (event) => {
    if (event.altKey || event.ctrlKey || event.metaKey) return;
    const steps = { ArrowDown: 1, j: 1, ArrowUp: -1, k: -1, Home: 'first', End: 'last' };
    if (!(event.key in steps)) return;
    event.preventDefault();
    moveFocus(steps[event.key]);
  });
  setInterval(tick, 1000);
}

async function start() {
  setLanguage(initialLanguage());
  wire();
  const stored = sessionStorage.getItem(TOKEN_KEY);
  if (!stored) {
    byId('token').focus();
    return;
  }
  try {
    await signIn(stored);
  } catch {
    signOut();
  }
}

void start();
