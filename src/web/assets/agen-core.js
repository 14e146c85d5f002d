// @ts-check
/**
 * The agent app's pure parts (no DOM, no storage): UUIDv7, the snapshot's canonical JSON and signature check, and
 * the iuran computed from the snapshot's figures exactly as the server's priceContribution does
 * (src/modules/contributions/domain/price-contribution.ts; agen-core.test.ts compares the two). Loaded by agen.js and
 * by the Node tests.
 */

/**
 * A UUID version 7 (RFC 9562 §5.7): 48-bit Unix milliseconds, version 7, 12 random bits, variant 10, 62 random bits.
 * @param {number} [nowMs]
 * @param {(a: Uint8Array) => Uint8Array} [random]
 * @returns {string}
 */
export function uuidv7(nowMs = Date.now(), random = (a) => crypto.getRandomValues(a)) {
  const b = random(new Uint8Array(16));
  let ms = Math.floor(nowMs);
  for (let i = 5; i >= 0; i--) {
    b[i] = ms % 256;
    ms = Math.floor(ms / 256);
  }
  b[6] = 0x70 | (b[6] & 0x0f);
  b[8] = 0x80 | (b[8] & 0x3f);
  const h = Array.from(b, (x) => x.toString(16).padStart(2, '0')).join('');
  return `${h.slice(0, 8)}-${h.slice(8, 12)}-${h.slice(12, 16)}-${h.slice(16, 20)}-${h.slice(20)}`;
}

/**
 * JSON with object keys sorted at every level and no whitespace (the server's canonicalJson in master-data.ts).
 * @param {unknown} value
 * @returns {string}
 */
export function canonicalJson(value) {
  if (Array.isArray(value)) return `[${value.map((v) => canonicalJson(v === undefined ? null : v)).join(',')}]`;
  if (value !== null && typeof value === 'object') {
    const entries = Object.entries(value)
      .filter(([, v]) => v !== undefined)
      .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
    return `{${entries.map(([k, v]) => `${JSON.stringify(k)}:${canonicalJson(v)}`).join(',')}}`;
  }
  return JSON.stringify(value);
}

/** @param {string} s */
function fromBase64url(s) {
  const bin = atob(s.replace(/-/g, '+').replace(/_/g, '/') + '='.repeat((4 - (s.length % 4)) % 4));
  return Uint8Array.from(bin, (c) => c.charCodeAt(0));
}

/**
 * True when the snapshot's Ed25519 signature verifies against the raw public key (base64url) with WebCrypto.
 * @param {{ version: string, issuedAt: string, data: unknown, signature: string }} snapshot
 * @param {string} publicKeyRaw
 * @returns {Promise<boolean>}
 */
export async function verifySnapshot(snapshot, publicKeyRaw) {
  try {
    const key = await crypto.subtle.importKey('raw', fromBase64url(publicKeyRaw), { name: 'Ed25519' }, false, ['verify']);
    const text = new TextEncoder().encode(canonicalJson({ version: snapshot.version, issuedAt: snapshot.issuedAt, data: snapshot.data }));
    return await crypto.subtle.verify({ name: 'Ed25519' }, key, fromBase64url(snapshot.signature), text);
  } catch {
    return false;
  }
}

const DAY_MS = 24 * 60 * 60 * 1000;
const WIB_MS = 7 * 60 * 60 * 1000; // Asia/Jakarta, no daylight saving

/** @param {string} m @param {number} n */
export function addMonths(m, n) {
  const [y, mo] = m.split('-').map(Number);
  const i = y * 12 + (mo - 1) + n;
  return `${String(Math.floor(i / 12)).padStart(4, '0')}-${String((i % 12) + 1).padStart(2, '0')}`;
}

/** @param {number} ms */
function monthInJakarta(ms) {
  return new Date(ms + WIB_MS).toISOString().slice(0, 7);
}

/**
 * The first month a new registration's bill covers (membership/domain/cover-start.ts): this month in Jakarta, or the
 * next one within a day of it.
 * @param {number} nowMs
 */
export function firstBillStartMonth(nowMs) {
  const next = addMonths(monthInJakarta(nowMs), 1);
  const nextStart = Date.parse(`${next}-01T00:00:00Z`) - WIB_MS;
  return nextStart - nowMs < DAY_MS ? next : monthInJakarta(nowMs);
}

/** @template {{ validFrom: string, validTo: string | null }} T @param {T[]} rows @param {string} month @returns {T[]} */
const allInForce = (rows, month) => rows.filter((r) => r.validFrom <= month && (r.validTo === null || month <= r.validTo));
/** @template {{ validFrom: string, validTo: string | null }} T @param {T[]} rows @param {string} month @returns {T | undefined} */
function inForce(rows, month) {
  let best;
  for (const r of allInForce(rows, month)) if (best === undefined || r.validFrom > best.validFrom) best = r;
  return best;
}

/** amount × bps / 10 000 rounded half up to the rupiah (shared/money.ts roundRupiah), in integers. */
export function percentOfBps(/** @type {number} */ amount, /** @type {number} */ bps) {
  const n = BigInt(amount) * BigInt(bps);
  const q = n / 10000n;
  return Number((n % 10000n) * 2n >= 10000n ? q + 1n : q);
}

const PROGRAMS = ['JKK', 'JKM', 'JHT'];
const MANDATORY = ['JKK', 'JKM'];

/**
 * The quote for `months` months from `startMonth`, month by month, from the snapshot's rates. Returns
 * { ok: true, total, contributionBase, months: [{ month, total }] } or { ok: false, code, field }.
 * @param {{ declaredIncome: number, programs: string[], months: number, startMonth: string, sector: string, funding?: string }} input
 * @param {any} rates the snapshot's data.rates
 */
export function priceContribution(input, rates) {
  const funding = input.funding ?? 'self';
  const seen = new Set(input.programs);
  if (input.programs.some((p) => !PROGRAMS.includes(p)) || seen.size !== input.programs.length || MANDATORY.some((p) => !seen.has(p))) {
    return { ok: false, code: 'invalid_programs', field: 'programs' };
  }
  if (!Number.isInteger(input.months) || input.months < 1 || !rates.prepaymentOptions.includes(input.months)) {
    return { ok: false, code: 'invalid_months', field: 'months' };
  }
  const programs = PROGRAMS.filter((p) => seen.has(p));
  const months = [];
  let base;
  for (let i = 0; i < input.months; i++) {
    const month = addMonths(input.startMonth, i);
    const ladder = inForce(rates.incomeLadders, month);
    const programRates = programs.map((p) => inForce(rates.programRates.filter((/** @type {any} */ r) => r.program === p), month));
    if (!ladder || programRates.some((r) => r === undefined)) return { ok: false, code: 'invalid_start_month', field: 'startMonth' };
    if (!Number.isFinite(input.declaredIncome) || input.declaredIncome < ladder.min) return { ok: false, code: 'income_below_minimum', field: 'declaredIncome' };
    const monthBase = Math.min(ladder.max, ladder.min + Math.floor((input.declaredIncome - ladder.min) / ladder.step) * ladder.step);
    base ??= monthBase;
    let total = 0;
    programs.forEach((program, j) => {
      const rate = programRates[j];
      const amount = rate.basis === 'flat' ? rate.amount : percentOfBps(monthBase, rate.bps);
      let bps = 0;
      for (const d of allInForce(rates.discountRules, month)) {
        if (d.programs.includes(program) && d.sectors.includes(input.sector) && !d.excludedFunding.includes(funding) && d.bps > bps) bps = d.bps;
      }
      total += amount - percentOfBps(amount, bps);
    });
    months.push({ month, total });
  }
  return { ok: true, contributionBase: base ?? 0, total: months.reduce((s, m) => s + m.total, 0), months };
}

/**
 * Rupiah as Indonesians write it: Rp16.800.
 * @param {number} n
 */
export function formatRupiah(n) {
  return `Rp${String(Math.round(n)).replace(/\B(?=(\d{3})+(?!\d))/g, '.')}`;
}

/**
 * The delay before the n-th retry after a network error: 2, 4, 8 … seconds, at most 5 minutes, ±20% jitter.
 * @param {number} attempt
 * @param {number} [random]
 */
export function backoffMs(attempt, random = Math.random()) {
  const base = Math.min(300_000, 2000 * 2 ** Math.max(0, attempt));
  return Math.round(base * (0.8 + 0.4 * random));
}
