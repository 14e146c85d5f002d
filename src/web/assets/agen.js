// @ts-check
/**
 * The PERISAI agent's offline app (/agen/): forms write commands to IndexedDB with a UUIDv7 made here, and the outbox
 * replays them to POST /api/v1/agent/commands when there is a network (on start, on `online`, after each form, with
 * backoff after a network error). The server answers each command accepted or rejected, and the same id again gets the
 * same stored answer, so sending twice is harmless. Records stay "Sementara" until accepted. Prices come from the
 * signed master-data snapshot, verified with WebCrypto Ed25519 against the key in the shell.
 */
const body = document.body;
/** @type {typeof import('./agen-core.js')} */
const core = await import(/** @type {string} */ (body.dataset['core']));
const MASTER_KEY = /** @type {string} */ (body.dataset['masterKey']);

/** @typedef {{ id: string, type: 'enrol'|'collect', createdAt: string, payload: any, status: 'pending'|'accepted'|'rejected', label: string, amount: number, result?: any, reasons?: {code: string, field?: string, message: string}[], replacedBy?: string, sentAt?: string }} Command */

// ---------------------------------------------------------------------------------------------------------------
// Storage: IndexedDB 'lindung-agen' — 'kv' (token, snapshot, clock skew, last sync) and 'commands' (the outbox)

/** @type {IDBDatabase} */
const idb = await new Promise((resolve, reject) => {
  const req = indexedDB.open('lindung-agen', 1);
  req.onupgradeneeded = () => {
    req.result.createObjectStore('kv');
    req.result.createObjectStore('commands', { keyPath: 'id' });
  };
  req.onsuccess = () => resolve(req.result);
  req.onerror = () => reject(req.error);
});

/** @param {string} store @param {IDBTransactionMode} mode @param {(s: IDBObjectStore) => IDBRequest} fn @returns {Promise<any>} */
function request(store, mode, fn) {
  return new Promise((resolve, reject) => {
    const t = idb.transaction(store, mode);
    const r = fn(t.objectStore(store));
    t.oncomplete = () => resolve(r.result);
    t.onerror = () => reject(t.error);
  });
}
const kvGet = (/** @type {string} */ k) => request('kv', 'readonly', (s) => s.get(k));
const kvSet = (/** @type {string} */ k, /** @type {unknown} */ v) => request('kv', 'readwrite', (s) => s.put(v, k));
const putCommand = (/** @type {Command} */ c) => request('commands', 'readwrite', (s) => s.put(c));
/** @returns {Promise<Command[]>} oldest first (a UUIDv7 sorts by its time) */
const allCommands = async () => /** @type {Command[]} */ (await request('commands', 'readonly', (s) => s.getAll())).sort((a, b) => (a.id < b.id ? -1 : 1));

// ---------------------------------------------------------------------------------------------------------------
// Small helpers

const $ = (/** @type {string} */ id) => /** @type {HTMLElement} */ (document.getElementById(id));
/** @type {{ snapshot: any, skewMs: number }} */
const state = { snapshot: null, skewMs: 0 };
/** The server's time as well as this phone can tell: its clock corrected by the error measured at the last snapshot. */
const now = () => Date.now() + state.skewMs;
const when = (/** @type {string|number} */ t) => new Date(t).toLocaleString('id-ID', { timeZone: 'Asia/Jakarta', dateStyle: 'medium', timeStyle: 'short' });

/** @param {string} text @param {'info'|'warn'|'bad'} [kind] */
function say(text, kind = 'info') {
  const el = $('pesan');
  el.textContent = text;
  el.className = `notice${kind === 'info' ? '' : ` notice-${kind}`}`;
  el.hidden = !text;
}

/** @param {string} tag @param {Record<string, string>} [attrs] @param {(Node|string)[]} [children] */
function h(tag, attrs = {}, children = []) {
  const el = document.createElement(tag);
  for (const [k, v] of Object.entries(attrs)) el.setAttribute(k, v);
  el.append(...children);
  return el;
}

const REASONS = /** @type {Record<string, string>} */ ({
  amount_mismatch: 'Jumlah uang tidak sama dengan tagihan.',
  cash_limit_exceeded: 'Batas uang tunai yang boleh Anda pegang terlampaui: setorkan dulu uang yang terkumpul.',
  command_conflict: 'Catatan dengan nomor yang sama sudah terkirim dengan isi berbeda.',
  agent_ended: 'Status agen Anda sudah berakhir.',
});
const reasonText = (/** @type {{code: string, field?: string, message: string}} */ r) => REASONS[r.code] ?? r.message ?? r.code;

// ---------------------------------------------------------------------------------------------------------------
// The master-data snapshot

/**
 * Uses the stored snapshot if it still verifies, then asks for a new one when online; refuses one that does not verify.
 * @returns {Promise<'fresh'|'stored'|'refused'>}
 */
async function loadSnapshot() {
  const stored = await kvGet('snapshot');
  if (stored && (await core.verifySnapshot(stored, MASTER_KEY))) {
    state.snapshot = stored;
    state.skewMs = (await kvGet('skewMs')) ?? 0;
  }
  try {
    const res = await fetch('/api/v1/agent/master-data', { cache: 'no-store' });
    if (!res.ok) return 'stored';
    const fresh = await res.json();
    if (!(await core.verifySnapshot(fresh, MASTER_KEY))) {
      say('Data induk dari jaringan ditolak: tanda tangannya tidak cocok. Aplikasi memakai data induk terakhir yang sah.', 'bad');
      return 'refused';
    }
    state.snapshot = fresh;
    state.skewMs = Date.parse(fresh.issuedAt) - Date.now();
    await kvSet('snapshot', fresh);
    await kvSet('skewMs', state.skewMs);
    return 'fresh';
  } catch {
    return 'stored'; // offline: the stored snapshot stays
  }
}

function fillSelects() {
  const snap = state.snapshot;
  if (!snap) return;
  const fill = (/** @type {string} */ id, /** @type {[string, string][]} */ options) => {
    const sel = /** @type {HTMLSelectElement} */ ($(id));
    const keep = sel.value;
    sel.replaceChildren(...options.map(([value, text]) => h('option', { value }, [text])));
    if (keep) sel.value = keep;
  };
  fill('d-occupationCode', [['', '— pilih pekerjaan —'], ...snap.data.occupations.map((/** @type {any} */ o) => [o.code, o.name])]);
  fill('d-branchCode', [['', '— cabang Kantor Perisai —'], ...snap.data.branches.map((/** @type {any} */ b) => [b.code, `${b.name} (${b.city})`])]);
  const months = snap.data.rates.prepaymentOptions.map((/** @type {number} */ m) => [String(m), `${m} bulan`]);
  fill('d-months', months);
  fill('i-months', months);
  $('data-induk').textContent = `versi ${snap.version}, ${when(snap.issuedAt)}`;
}

/**
 * The agent as the server knows them (GET /agent/me): code, cash limit and cash not yet deposited. Kept for offline
 * use. 'not-agent' when the signed-in participant is no (longer an) agent.
 * @returns {Promise<'ok'|'not-agent'|'offline'>}
 */
async function loadAgent() {
  const token = await kvGet('token');
  if (!token) return 'offline';
  try {
    const res = await fetch('/api/v1/agent/me', { headers: { authorization: `Bearer ${token}` }, cache: 'no-store' });
    if (res.status === 403) {
      const err = await res.json().catch(() => ({}));
      say(err?.error?.message ?? 'Nomor ini bukan nomor agen PERISAI yang aktif.', 'bad');
      return 'not-agent';
    }
    if (res.ok) await kvSet('agent', await res.json());
    return 'ok';
  } catch {
    return 'offline';
  }
}

// ---------------------------------------------------------------------------------------------------------------
// The outbox: replay

let replaying = /** @type {Promise<void>|null} */ (null);
let attempt = 0;
let retryTimer = 0;

/**
 * Sends the pending commands in order (100 a request) and stores each answer. `ids`: send exactly these stored
 * commands again whatever their status (a repeated replay: the server answers its stored results).
 * @param {{ ids?: string[] }} [options]
 */
function replay(options = {}) {
  replaying ??= sendPending(options).finally(() => {
    replaying = null;
  });
  return replaying;
}

/** @param {{ ids?: string[] }} options */
async function sendPending(options) {
  const token = await kvGet('token');
  if (!token) return;
  const all = await allCommands();
  const toSend = options.ids ? all.filter((c) => options.ids?.includes(c.id)) : all.filter((c) => c.status === 'pending');
  for (let i = 0; i < toSend.length; i += 100) {
    const chunk = toSend.slice(i, i + 100);
    const ok = await sendChunk(token, chunk);
    if (!ok) return;
  }
  attempt = 0;
  if (toSend.length > 0 || navigator.onLine) await kvSet('lastSync', new Date(now()).toISOString());
  if (toSend.length > 0) await loadAgent();
  await render();
}

/** @param {string} token @param {Command[]} chunk @returns {Promise<boolean>} */
async function sendChunk(token, chunk) {
  let res;
  try {
    res = await fetch('/api/v1/agent/commands', {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: `Bearer ${token}` },
      body: JSON.stringify({ commands: chunk.map(({ id, type, createdAt, payload }) => ({ id, type, createdAt, payload })) }),
    });
  } catch {
    retryLater();
    return false;
  }
  if (res.status === 401) {
    await kvSet('token', null);
    say('Sesi Anda berakhir. Masuk lagi untuk mengirim; catatan tetap tersimpan di HP.', 'warn');
    route();
    return false;
  }
  if (!res.ok) {
    const err = await res.json().catch(() => ({}));
    if (res.status >= 500 || res.status === 429) retryLater();
    say(err?.error?.message ?? `Server menjawab ${res.status}. Catatan tetap tersimpan.`, 'bad');
    return false;
  }
  const { results } = await res.json();
  const byId = new Map(chunk.map((c) => [c.id, c]));
  for (const r of results) {
    const c = byId.get(r.id);
    if (!c) continue;
    await putCommand({ ...c, status: r.status, result: r.result, reasons: r.reasons, sentAt: new Date(now()).toISOString() });
  }
  return true;
}

function retryLater() {
  clearTimeout(retryTimer);
  const delay = core.backoffMs(attempt++);
  retryTimer = window.setTimeout(() => void replay(), delay);
  void render();
}

// ---------------------------------------------------------------------------------------------------------------
// Views

const VIEWS = ['masuk', 'beranda', 'daftar', 'iuran', 'catatan'];

async function route() {
  const token = await kvGet('token');
  let view = location.hash.slice(1) || 'beranda';
  if (!VIEWS.includes(view)) view = 'beranda';
  if (!token) view = 'masuk';
  for (const v of VIEWS) $(`v-${v}`).hidden = v !== view;
  $('menu').hidden = !token;
  for (const a of document.querySelectorAll('#menu a')) {
    if (a.getAttribute('href') === `#${view}`) a.setAttribute('aria-current', 'page');
    else a.removeAttribute('aria-current');
  }
  await render();
}

function showNetwork() {
  const el = $('jaringan');
  el.textContent = navigator.onLine ? 'Daring' : 'Luring — disimpan di HP';
  el.className = navigator.onLine ? 'net' : 'net off';
}

async function render() {
  showNetwork();
  const all = await allCommands();
  const count = (/** @type {string} */ s) => all.filter((c) => c.status === s && !(s === 'rejected' && c.replacedBy)).length;
  $('n-menunggu').textContent = String(count('pending'));
  $('n-diterima').textContent = String(count('accepted'));
  $('n-ditolak').textContent = String(count('rejected'));
  const last = await kvGet('lastSync');
  $('sinkron').textContent = last ? when(last) : 'Belum pernah';
  // The server's figure (collected − deposited) as last fetched, plus what this phone collected since and has not sent.
  const agent = await kvGet('agent');
  const unsent = all.filter((c) => c.type === 'collect' && c.status === 'pending').reduce((s, c) => s + c.amount, 0);
  $('tunai').textContent = agent
    ? `${core.formatRupiah(agent.outstanding + unsent)} dari batas ${core.formatRupiah(agent.cashLimit)}`
    : core.formatRupiah(all.filter((c) => c.type === 'collect' && c.status !== 'rejected').reduce((s, c) => s + c.amount, 0));
  $('kode-agen').textContent = agent ? `${agent.agentCode} · ${agent.kantorCode}` : '—';
  renderCollectChoices(all);
  $('daftar-catatan').replaceChildren(...all.slice().reverse().map((c) => recordItem(c, all)));
}

/** @param {Command} c @param {Command[]} all */
function recordItem(c, all) {
  const kpjOf = (/** @type {string} */ enrolId) => all.find((x) => x.type === 'collect' && x.payload.enrolCommandId === enrolId && x.result?.kpj)?.result.kpj;
  const title = c.type === 'enrol' ? `Pendaftaran: ${c.label}` : `Iuran: ${c.label}`;
  const lines = [`${core.formatRupiah(c.amount)} · dicatat ${when(c.createdAt)}`];
  let badge;
  if (c.status === 'pending') {
    badge = h('span', { class: 'badge badge-sementara' }, ['Sementara — belum terkirim']);
  } else if (c.status === 'accepted') {
    badge = h('span', { class: 'badge badge-diterima' }, ['Diterima']);
    const r = c.result ?? {};
    const kpj = r.kpj ?? (c.type === 'enrol' ? kpjOf(c.id) : undefined);
    if (kpj) lines.push(`KPJ: ${kpj}`);
    if (r.receiptNo) lines.push(`Kuitansi: ${r.receiptNo}`);
    if (c.type === 'enrol' && r.paymentCode) lines.push(`Kode bayar: ${r.paymentCode}`);
    if (c.type === 'enrol' && !kpj) lines.push('KPJ terbit setelah iuran pertama diterima.');
  } else {
    badge = h('span', { class: 'badge badge-ditolak' }, ['Ditolak']);
  }
  const item = h('li', { 'data-id': c.id, 'data-status': c.status }, [h('h2', {}, [title]), h('p', {}, [badge]), ...lines.map((l) => h('p', {}, [l]))]);
  if (c.status === 'rejected') {
    item.append(h('ul', {}, (c.reasons ?? []).map((r) => h('li', {}, [reasonText(r)]))));
    if (c.replacedBy) item.append(h('p', {}, ['Sudah diperbaiki dan disimpan sebagai catatan baru.']));
    else item.append(h('button', { type: 'button', class: 'btn-secondary', 'data-fix': c.id }, ['Perbaiki dan kirim ulang']));
  }
  return item;
}

/** @param {Command[]} all */
function renderCollectChoices(all) {
  const sel = /** @type {HTMLSelectElement} */ ($('i-siapa'));
  const keep = sel.value;
  const enrols = all.filter((c) => c.type === 'enrol' && c.status !== 'rejected');
  sel.replaceChildren(
    h('option', { value: '' }, ['— pilih pekerja —']),
    ...enrols.map((c) => h('option', { value: c.id }, [`${c.label} — ${core.formatRupiah(c.amount)}${c.status === 'pending' ? ' (Sementara)' : ''}`])),
  );
  sel.value = keep;
}


// ---------------------------------------------------------------------------------------------------------------
// Forms

/** @param {string} path @param {unknown} json */
async function postJson(path, json) {
  const res = await fetch(path, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(json) });
  const data = await res.json().catch(() => ({}));
  return { ok: res.ok, data };
}

async function onOtp(/** @type {SubmitEvent} */ e) {
  e.preventDefault();
  const phone = /** @type {HTMLInputElement} */ ($('masuk-hp')).value.trim();
  try {
    const r = await postJson('/api/v1/auth/otp', { phone });
    if (!r.ok) return say(r.data?.error?.message ?? 'Kode tidak terkirim.', 'bad');
  } catch {
    return say('Masuk memerlukan sinyal. Coba lagi saat ada jaringan.', 'warn');
  }
  $('f-kode').hidden = false;
  say('Kode dikirim lewat SMS.');
  /** @type {HTMLInputElement} */ ($('masuk-kode')).focus();
}

async function onCode(/** @type {SubmitEvent} */ e) {
  e.preventDefault();
  const phone = /** @type {HTMLInputElement} */ ($('masuk-hp')).value.trim();
  const code = /** @type {HTMLInputElement} */ ($('masuk-kode')).value.trim();
  try {
    const r = await postJson('/api/v1/auth/verify', { phone, code });
    if (!r.ok) return say(r.data?.error?.message ?? 'Kode salah.', 'bad');
    await kvSet('token', r.data.token);
    await kvSet('phone', phone);
  } catch {
    return say('Masuk memerlukan sinyal. Coba lagi saat ada jaringan.', 'warn');
  }
  if ((await loadAgent()) === 'not-agent') {
    await kvSet('token', null);
    return;
  }
  const loaded = await loadSnapshot();
  fillSelects();
  if (loaded !== 'refused') say(state.snapshot ? 'Anda sudah masuk. Aplikasi siap dipakai tanpa sinyal.' : 'Anda sudah masuk, tetapi data induk belum ada: buka lagi saat ada sinyal.', state.snapshot ? 'info' : 'warn');
  location.hash = '#beranda';
  await route();
  void replay();
}

/** The enrolment form as the command payload. */
function enrolPayload() {
  const f = new FormData(/** @type {HTMLFormElement} */ ($('f-daftar')));
  const str = (/** @type {string} */ k) => String(f.get(k) ?? '').trim();
  /** @type {Record<string, unknown>} */
  const payload = {
    nik: str('nik'),
    fullName: str('fullName'),
    birthDate: str('birthDate'),
    gender: str('gender'),
    phone: str('phone'),
    address: str('address'),
    occupationCode: str('occupationCode'),
    programs: ['JKK', 'JKM', ...(f.getAll('programs').includes('JHT') ? ['JHT'] : [])],
    declaredIncome: Number(str('declaredIncome').replace(/\D/g, '')),
    months: Number(str('months')),
  };
  if (str('email')) payload['email'] = str('email');
  if (str('branchCode')) payload['branchCode'] = str('branchCode');
  return payload;
}

/** The iuran of an enrolment from the snapshot's figures (the server computes the same; a test compares them). */
function quoteFor(/** @type {any} */ payload) {
  const snap = state.snapshot;
  const occupation = snap?.data.occupations.find((/** @type {any} */ o) => o.code === payload.occupationCode);
  if (!snap || !occupation) return null;
  const startMonth = core.firstBillStartMonth(now());
  return core.priceContribution({ declaredIncome: payload.declaredIncome, programs: payload.programs, months: payload.months, startMonth, sector: occupation.sector }, snap.data.rates);
}

function showQuote() {
  const q = quoteFor(enrolPayload());
  $('d-iuran').textContent = q?.ok ? `Iuran: ${core.formatRupiah(q.total)} (${q.months.length} bulan)` : 'Iuran: —';
}

const QUOTE_ERRORS = /** @type {Record<string, string>} */ ({
  income_below_minimum: 'Penghasilan di bawah batas terendah yang boleh dilaporkan.',
  invalid_months: 'Pilih jumlah bulan yang tersedia.',
  invalid_programs: 'JKK dan JKM wajib.',
  invalid_start_month: 'Iuran bulan ini belum bisa dihitung dengan data induk di HP: buka aplikasi saat ada sinyal.',
});

/** A new command in the outbox, then a send when there is a network. `fixes`: the rejected command it replaces. */
async function saveCommand(/** @type {'enrol'|'collect'} */ type, /** @type {any} */ payload, /** @type {string} */ label, /** @type {number} */ amount) {
  const id = core.uuidv7(now());
  await putCommand({ id, type, createdAt: new Date(now()).toISOString(), payload, status: 'pending', label, amount });
  const fixes = fixing[type];
  if (fixes) {
    const all = await allCommands();
    const old = all.find((c) => c.id === fixes);
    if (old) await putCommand({ ...old, replacedBy: id });
    fixing[type] = null;
  }
  say(`${label}: tersimpan di HP (Sementara). ${navigator.onLine ? 'Sedang dikirim.' : 'Akan dikirim saat ada sinyal.'}`);
  await render();
  if (navigator.onLine) void replay();
}
/** @type {{ enrol: string|null, collect: string|null }} */
const fixing = { enrol: null, collect: null };

async function onEnrol(/** @type {SubmitEvent} */ e) {
  e.preventDefault();
  const payload = enrolPayload();
  if (!/^\d{16}$/.test(String(payload['nik']))) return say('NIK harus 16 angka.', 'bad');
  const q = quoteFor(payload);
  if (!q) return say('Pilih pekerjaan. Bila daftar pekerjaan kosong, buka aplikasi saat ada sinyal.', 'bad');
  if (!q.ok) return say(QUOTE_ERRORS[q.code] ?? q.code, 'bad');
  await saveCommand('enrol', payload, String(payload['fullName']), q.total);
  /** @type {HTMLFormElement} */ ($('f-daftar')).reset();
  showQuote();
}

async function onCollect(/** @type {SubmitEvent} */ e) {
  e.preventDefault();
  const f = new FormData(/** @type {HTMLFormElement} */ ($('f-iuran')));
  const enrolCommandId = String(f.get('enrolCommandId') ?? '');
  const kpj = String(f.get('kpj') ?? '').trim();
  const amount = Number(String(f.get('amount') ?? '').replace(/\D/g, ''));
  const months = Number(f.get('months'));
  if (!enrolCommandId && !kpj) return say('Pilih pekerja atau isi nomor KPJ.', 'bad');
  if (!(amount > 0)) return say('Isi jumlah uang yang diterima.', 'bad');
  const all = await allCommands();
  const enrol = all.find((c) => c.id === enrolCommandId);
  if (enrol && all.some((c) => c.type === 'collect' && c.status !== 'rejected' && c.payload.enrolCommandId === enrolCommandId)) {
    return say(`Iuran pertama ${enrol.label} sudah dicatat.`, 'bad');
  }
  const payload = { ...(enrol ? { enrolCommandId } : { kpj }), months, amount, collectedAt: new Date(now()).toISOString() };
  await saveCommand('collect', payload, enrol ? enrol.label : `KPJ ${kpj}`, amount);
  /** @type {HTMLFormElement} */ ($('f-iuran')).reset();
}

/** Choosing an enrolment fills its months and amount (its first bill). */
async function onChooseWorker() {
  const id = /** @type {HTMLSelectElement} */ ($('i-siapa')).value;
  const enrol = (await allCommands()).find((c) => c.id === id);
  if (!enrol) return;
  /** @type {HTMLSelectElement} */ ($('i-months')).value = String(enrol.payload.months);
  /** @type {HTMLInputElement} */ ($('i-amount')).value = String(enrol.amount);
}

/** "Perbaiki dan kirim ulang": the rejected command's form filled in again; saving makes a NEW command. */
async function onFix(/** @type {Event} */ e) {
  const id = /** @type {HTMLElement} */ (e.target).closest('[data-fix]')?.getAttribute('data-fix');
  const c = id ? (await allCommands()).find((x) => x.id === id) : undefined;
  if (!c) return;
  fixing[c.type] = c.id;
  if (c.type === 'enrol') {
    const form = /** @type {HTMLFormElement} */ ($('f-daftar'));
    for (const [k, v] of Object.entries(c.payload)) {
      const el = form.elements.namedItem(k);
      if (el instanceof RadioNodeList) el.value = String(v);
      else if (el instanceof HTMLInputElement || el instanceof HTMLSelectElement) el.value = String(v);
    }
    /** @type {HTMLInputElement} */ ($('d-jht')).checked = c.payload.programs.includes('JHT');
    showQuote();
  } else {
    /** @type {HTMLSelectElement} */ ($('i-siapa')).value = c.payload.enrolCommandId ?? '';
    /** @type {HTMLInputElement} */ ($('i-kpj')).value = c.payload.kpj ?? '';
    /** @type {HTMLSelectElement} */ ($('i-months')).value = String(c.payload.months);
    /** @type {HTMLInputElement} */ ($('i-amount')).value = String(c.amount);
  }
  say('Perbaiki isian lalu simpan: catatan baru akan dikirim.');
  location.hash = c.type === 'enrol' ? '#daftar' : '#iuran';
}

async function onSignOut() {
  const pending = (await allCommands()).filter((c) => c.status === 'pending').length;
  await kvSet('token', null);
  await kvSet('agent', null);
  say(pending ? `Anda keluar. ${pending} catatan belum terkirim tetap di HP: masuk lagi untuk mengirimnya.` : 'Anda keluar.');
  await route();
}

// ---------------------------------------------------------------------------------------------------------------
// Start

$('f-otp').addEventListener('submit', onOtp);
$('f-kode').addEventListener('submit', onCode);
$('f-daftar').addEventListener('submit', onEnrol);
$('f-daftar').addEventListener('input', showQuote);
$('f-iuran').addEventListener('submit', onCollect);
$('i-siapa').addEventListener('change', onChooseWorker);
$('daftar-catatan').addEventListener('click', onFix);
$('kirim').addEventListener('click', () => void replay());
$('keluar').addEventListener('click', onSignOut);
window.addEventListener('hashchange', () => void route());
window.addEventListener('online', () => {
  attempt = 0;
  void replay();
});
window.addEventListener('offline', showNetwork);
if ('serviceWorker' in navigator) {
  navigator.serviceWorker.register('/agen/sw.js', { scope: '/agen/' }).catch(() => say('Mode tanpa sinyal tidak tersedia di peramban ini.', 'warn'));
}

await loadSnapshot();
fillSelects();
await route();
void loadAgent().then(render);
void replay();
/** For the browser test and support: the outbox and its replay. */
Object.assign(window, { agenApp: { replay, allCommands, ready: true } });
