import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { hmacSha256Hex } from '../../src/shared/crypto.js';
import { DEV_XENDIT_TOKEN, MIDTRANS, XENDIT_EWALLET, XENDIT_RETAIL, ewalletFor, fpcFor, midtransFor, midtransSigned } from '../support/channel-clients.js';
import { activeMember, addResident, makePerson, nextExternalId, registerVerified, type Person } from '../support/factories.js';
import { csrfOf } from '../support/portal-client.js';
import { PARTNER_SERVICE_ID, SnapBankClient, amountText, snapTimestamp } from '../support/snap-client.js';
import { Rng, positiveIntFromEnv, seedFromEnv } from '../simulation/prng.js';
import { createTestApp, type TestApp } from '../support/test-app.js';

/**
 * Issue 13: no input a client can send makes the server answer 5xx. A seeded fuzz sends FUZZ_REQUESTS (default
 * 10,000) requests over every route — the API operations listed by the OpenAPI document, the payment channels, BI-SNAP,
 * every portal page and form (with and without a valid CSRF token), /dev and /healthz — built from valid requests
 * and then mutated: fields removed, retyped, huge, unicode, NUL, odd numbers; random JSON, non-JSON, wrong content
 * types; odd path parameters and headers; valid signatures over garbage for the signed endpoints, so the fuzz gets
 * past the signature check. Any status >= 500 fails, listing every offending request. Replay: FUZZ_SEED=<seed>.
 *
 * It runs on both databases (CI runs the suite twice): the classes of database error a client can provoke (NUL in
 * text, values out of a column's range) are raised by PostgreSQL itself, and PGlite and a PostgreSQL server answer
 * them through different drivers.
 */

const SEED = seedFromEnv({ SIM_SEED: process.env['FUZZ_SEED'] });
const REQUESTS = positiveIntFromEnv('FUZZ_REQUESTS', 10_000);
const CONCURRENCY = positiveIntFromEnv('FUZZ_CONCURRENCY', 8);
const STAFF_KEY = 'dev-staff-key';

type Json = null | boolean | number | string | Json[] | { [k: string]: Json };

/** One request of the fuzz: what it sends (for the failure report) and how. */
interface FuzzCase {
  /** The route it aims at (method and template), for the per-route report of FUZZ_REPORT=1. */
  route: string;
  method: string;
  path: string;
  body?: string;
  headers: Record<string, string>;
  /** Sends it some other way than a plain app.request (SNAP: signed by the bank's client). */
  send?: () => Promise<{ status: number; text: string }>;
}

interface State {
  paymentCode: string;
  registrationId: string;
  kpj: string;
  token: string;
  /** Another member's session, for the sign-out form. */
  logoutToken: string;
  mandateId: string;
  unmatchedPaymentIds: string[];
  reconciliationRunId: string;
  browserId: string;
  csrf: string;
  /** People in the development population registry. */
  residents: Person[];
  /** The browser cookie, a registration draft and a login in progress. */
  portalCookies: string;
  cardToken: string;
}

// ------------------------------------------------------------------------------------------------------------------
// Nasty values
// ------------------------------------------------------------------------------------------------------------------

const NASTY_STRINGS = [
  '',
  ' ',
  '\u0000',
  'a\u0000b',
  '\ud800',
  '😀🇮🇩',
  'ÿþ',
  'Ω≈ç√∫',
  '\u202e\u0000x',
  "'; drop table participant; --",
  '<script>alert(1)</script>',
  '../../etc/passwd',
  '%00',
  '%ff',
  '-1',
  '0',
  '1e999',
  'NaN',
  'Infinity',
  '0x10',
  '１２３', // full-width digits
  '9'.repeat(40),
  '2026-02-30',
  '9999-99-99',
  '2026-11-22T25:61:00+07:00',
  '99999-01-01T00:00:00Z',
  'null',
  'true',
  '{}',
];
const NASTY_NUMBERS = [0, -1, -0, 1.5, -1e308, 1e308, 2 ** 31, 2 ** 53 + 2, -(2 ** 63), Number.MAX_SAFE_INTEGER, 1e-300, 12345678901234567890];
const NASTY_SEGMENTS = ['%00', 'a%00b', '%ff', '%', '%zz', '..', '%2e%2e', '%2F', 'a'.repeat(5000), '%F0%9F%98%80', '-1', '0', '1e999', 'NaN', "'", '%27%3B', ' ', '%20', 'reg_%00', 'reg_x', '8'.repeat(16), '1'.repeat(11), '%C0%AF', '%ED%A0%80'];
/** The nasty strings a header can carry at all (a Request refuses control characters and non-Latin-1 in headers). */
const HEADER_SAFE_STRINGS = NASTY_STRINGS.filter((v) => /^[\x20-\x7e\xa0-\xff]*$/.test(v));
const NASTY_HEADER_VALUES = ['', 'en;q=NaN', '*', 'xx-YY,en;q=2', 'en-US,en;q=0.9', 'id', ',,,;;;', 'a'.repeat(8000), 'ÿ', 'en\tid'];
const CONTENT_TYPES = ['application/json', 'text/plain', 'application/x-www-form-urlencoded', 'multipart/form-data; boundary=x', 'multipart/form-data', 'application/json; charset=utf-16', 'a/b/c', 'application/xml', ''];

/** encodeURIComponent of any string (a lone surrogate would throw). */
const enc = (s: string) => encodeURIComponent(s.toWellFormed());

function nastyString(rng: Rng): string {
  const roll = rng.int(0, 9);
  if (roll === 0) {
    return 'x'.repeat(rng.pick([256, 4096, 70_000]));
  }
  if (roll === 1) {
    return String.fromCodePoint(...Array.from({ length: rng.int(1, 40) }, () => rng.int(0, 0x10ffff)).filter((c) => c < 0xd800 || c > 0xdfff));
  }
  return rng.pick(NASTY_STRINGS);
}

function randomJson(rng: Rng, depth = 0): Json {
  const kind = rng.int(0, depth > 2 ? 4 : 6);
  switch (kind) {
    case 0:
      return null;
    case 1:
      return rng.chance(0.5);
    case 2:
      return rng.pick(NASTY_NUMBERS);
    case 3:
    case 4:
      return nastyString(rng);
    case 5:
      return Array.from({ length: rng.int(0, 4) }, () => randomJson(rng, depth + 1));
    default:
      return Object.fromEntries(Array.from({ length: rng.int(0, 4) }, () => [rng.pick(['a', 'nik', 'amount', '__proto__', 'constructor', nastyString(rng)]), randomJson(rng, depth + 1)]));
  }
}

/** A value of the same format that is still wrong: a date that is no calendar day, a digit string of another length. */
function sameShape(rng: Rng, value: string): string {
  if (/^\d{4}-\d{2}-\d{2}$/.test(value)) {
    return rng.pick(['2026-02-30', '9999-99-99', '0000-00-00', '1900-13-01', '0001-01-01', '2099-12-31']);
  }
  if (/^\d{4}-\d{2}-\d{2}[T ]/.test(value)) {
    return rng.pick(['0001-01-01T00:00:00Z', '9999-12-31T23:59:59+14:00', '2026-02-30T10:00:00+07:00', '2026-11-22T24:00:00Z', `${value.slice(0, 10)} 99:99:99`]);
  }
  if (/^\d+(\.\d+)?$/.test(value)) {
    return rng.pick(['0', '0'.repeat(value.length), '9'.repeat(value.length), value.slice(1), `${value}0`, '9'.repeat(30), `-${value}`, `${value}.5`]);
  }
  return value.length > 1 ? value.slice(0, -1) : `${value}${value}`;
}

/** One mutation of a valid value: a field removed, retyped, made huge, unicode, NUL, negative, NaN-ish… */
function mutate(rng: Rng, value: Json): Json {
  if (value !== null && typeof value === 'object' && !Array.isArray(value) && Object.keys(value).length > 0 && rng.chance(0.8)) {
    const copy = { ...value };
    const key = rng.pick(Object.keys(copy));
    const op = rng.int(0, 3);
    if (op === 0) {
      delete copy[key];
    } else if (op === 1) {
      copy[nastyString(rng).slice(0, 50)] = randomJson(rng);
    } else {
      copy[key] = mutate(rng, copy[key] as Json);
    }
    return copy;
  }
  if (Array.isArray(value) && value.length > 0 && rng.chance(0.6)) {
    const copy = [...value];
    const i = rng.int(0, copy.length - 1);
    copy[i] = mutate(rng, copy[i] as Json);
    return rng.chance(0.2) ? [...copy, ...copy, ...copy] : copy;
  }
  switch (rng.int(0, 8)) {
    case 0:
      return nastyString(rng);
    case 7:
      return typeof value === 'string' ? sameShape(rng, value) : rng.pick(NASTY_NUMBERS);
    case 1:
      return rng.pick(NASTY_NUMBERS);
    case 2:
      return null;
    case 3:
      return typeof value === 'number' ? String(value) : typeof value === 'string' && value !== '' && !Number.isNaN(Number(value)) ? Number(value) : [value];
    case 4:
      return typeof value === 'string' ? `${value}${nastyString(rng)}` : rng.chance(0.5);
    case 5:
      return typeof value === 'number' ? -value : typeof value === 'string' ? value.replace(/\d/g, (d) => String.fromCharCode(0xff10 + Number(d))) : {};
    case 6:
      return typeof value === 'string' ? `${value.slice(0, 1)}\u0000${value.slice(1)}` : randomJson(rng);
    default:
      return randomJson(rng);
  }
}

/** The raw body of a request built from a valid one: usually mutated JSON, sometimes garbage. */
function mutateBody(rng: Rng, valid: Json | undefined): string | undefined {
  const roll = rng.next();
  if (valid !== undefined && roll < 0.12) {
    return JSON.stringify(valid);
  }
  if (roll < 0.75 && valid !== undefined) {
    let v = valid;
    for (let i = rng.int(1, 3); i > 0; i--) {
      v = mutate(rng, v);
    }
    return JSON.stringify(v);
  }
  if (roll < 0.87) {
    return JSON.stringify(randomJson(rng));
  }
  return rng.pick(['', 'not json', '{', '[1,2', '{"a":1}{"b":2}', '\u0000', '<xml/>', 'a=1&b=2', 'null', '"str"', '{"__proto__":{"x":1}}', '1'.repeat(400), `{"a":"${'\\u0000'.repeat(3)}"}`, '{"a":"\\ud800"}', '\ufeff{}']);
}

function oddHeaders(rng: Rng, headers: Record<string, string>): Record<string, string> {
  const out = { ...headers };
  if (rng.chance(0.2)) {
    out['accept-language'] = rng.pick(NASTY_HEADER_VALUES);
  }
  if (rng.chance(0.1)) {
    out['authorization'] = rng.pick(['', 'Bearer', 'Bearer ', 'Bearer x', 'Basic Zm9vOmJhcg==', `Bearer ${'a'.repeat(5000)}`, 'Bearer %00', 'bearer  a b c', 'ÿ']);
  }
  if (rng.chance(0.05)) {
    out['accept'] = rng.pick(['text/html', '*/*', ';;;', 'application/json;q=x', 'text/html, application/json;q=0.1']);
  }
  if (rng.chance(0.05)) {
    out['cookie'] = rng.pick(['lindung_b=x', 'lindung_sesi=%00', 'lindung_bahasa=xx; lindung_b=', `lindung_daftar=${'A'.repeat(9000)}`, 'a=b=c;;;', '=', 'lindung_sesi=ÿ']);
  }
  return out;
}

/** A path template with its parameters replaced: usually a real value (so the request reaches deep), else odd. */
function fillPath(rng: Rng, template: string, real: Record<string, string>): string {
  return template.replace(/\{(\w+)\}|:(\w+)/g, (_m, a: string | undefined, b: string | undefined) => {
    const name = (a ?? b) as string;
    return rng.chance(0.5) && real[name] !== undefined ? encodeURIComponent(real[name]) : rng.pick(NASTY_SEGMENTS);
  });
}

function oddQuery(rng: Rng): string {
  if (!rng.chance(0.15)) {
    return '';
  }
  return `?${rng.pick(['lang=%00', 'lang=en', 'lang=', 'token=%00', 'limit=-1', 'limit=1e999', 'limit=NaN', 'channel=%ff', 'to=%00', 'a=%', 'x=' + 'y'.repeat(3000), 'limit=99999999999999999999', 'channel=va&channel=qris'])}`;
}

// ------------------------------------------------------------------------------------------------------------------
// Routes and their valid requests
// ------------------------------------------------------------------------------------------------------------------

interface OpenApiOperation {
  method: string;
  path: string;
  security: boolean;
  hasBody: boolean;
}

function operationsOf(doc: { paths: Record<string, Record<string, { security?: unknown[]; requestBody?: unknown }>> }): OpenApiOperation[] {
  const ops: OpenApiOperation[] = [];
  for (const [path, byMethod] of Object.entries(doc.paths)) {
    for (const [method, op] of Object.entries(byMethod)) {
      ops.push({ method: method.toUpperCase(), path: `/api/v1${path}`, security: (op.security?.length ?? 0) > 0, hasBody: op.requestBody !== undefined });
    }
  }
  return ops;
}

/** Valid JSON bodies of the API operations (a factory's, or a small literal), by "METHOD /api/v1/path". */
function validApiBody(rng: Rng, op: OpenApiOperation, s: State, now: Date): Json | undefined {
  // Someone the population registry knows (so registration gets past the identity check), with new contacts.
  const person = (): Json => {
    const { nik, fullName, birthDate, gender } = rng.pick(s.residents);
    return { ...makePerson(), nik, fullName, birthDate, gender };
  };
  const bodies: Record<string, () => Json> = {
    'POST /api/v1/quotes': () => ({ declaredIncome: 2_000_000, programs: ['JKK', 'JKM', 'JHT'], months: 3, occupationCode: 'OJOL' }),
    'POST /api/v1/registrations': person,
    'POST /api/v1/registrations/{id}/verify-email': () => ({ token: 'abcdefabcdef' }),
    'POST /api/v1/registrations/{id}/verify-phone': () => ({ code: '123456' }),
    'POST /api/v1/registrations/{id}/submit': () => ({ programs: ['JKK', 'JKM'], declaredIncome: 1_000_000, months: 1 }),
    'POST /api/v1/payments/notifications': () => ({ externalId: nextExternalId(), paymentCode: s.paymentCode, amount: 16_800, channel: 'va', paidAt: now.toISOString() }),
    'POST /api/v1/auth/otp': () => ({ phone: '081234567890' }),
    'POST /api/v1/auth/verify': () => ({ phone: '081234567890', code: '123456' }),
    'POST /api/v1/me/bills': () => ({ months: 1 }),
    'POST /api/v1/me/autodebit-mandates': () => ({ providerKind: 'bank', providerName: 'BCA', accountNumber: '1234567890' }),
    'POST /api/v1/staff/reconciliation-runs': () => ({
      channel: 'counter',
      settlementDate: '2026-11-22',
      csv: `settlement_date,reference_no,payment_code,teller_id,amount,transaction_time\r\n2026-11-22,POS-1,${s.paymentCode},LKT-01,16800,2026-11-22 10:00:00\r\n`,
    }),
    'POST /api/v1/staff/unmatched-payments/{paymentId}/refund': () => ({ reason: 'Dana dikembalikan (tiket #1)' }),
    'POST /api/v1/staff/unmatched-payments/{paymentId}/assign': () => ({ kpj: s.kpj, reason: 'Salah kode bayar (tiket #2)' }),
  };
  const make = bodies[`${op.method} ${op.path}`];
  return make ? make() : op.hasBody ? {} : undefined;
}

/** Portal pages and forms (src/web/pages) with the fields each form posts. */
const PORTAL_GET = ['/', '/simulasi', '/daftar', '/daftar/pekerjaan', '/daftar/:id', '/daftar/:id/verifikasi-email', '/daftar/:id/program', '/bayar/:code', '/masuk', '/masuk/kode', '/akun', '/akun/kartu', '/akun/kartu.pdf', '/akun/autodebet', '/akun/dompet', '/kartu/verifikasi', '/manifest.webmanifest', '/aset/:hash/:name', '/aset/:name', '/agen', '/agen/', '/agen/sw.js', '/agen/manifest.webmanifest', '/agen/insentif', '/akun/sertakan', '/sertakan/setuju/:token', '/bayar/:code/qris.png', '/akun/bukti-bayar/:code.pdf', '/sw.js'];
const PORTAL_FORMS: Record<string, Record<string, string | string[]>> = {
  '/daftar': { nik: '3275011705900001', fullName: 'Budi Santoso', birthDate: '1990-05-17', gender: 'M', phone: '081234567890', email: 'budi@contoh.id', address: 'Jl. Merdeka 1' },
  '/daftar/pekerjaan': { occupationCode: 'OJOL', branchCode: 'BDG-SUCI', consent: 'yes', kota: 'Bandung' },
  '/daftar/:id/email': { token: 'abcdef' },
  '/daftar/:id/otp': { code: '123456' },
  '/daftar/:id/otp/kirim-ulang': {},
  '/daftar/:id/program': { income: '2.000.000', programs: ['JKK', 'JHT'], months: '3', intent: 'quote' },
  '/bayar/:code/simulasi': { channel: 'qris' },
  '/masuk': { phone: '081234567890' },
  '/masuk/kode': { code: '123456' },
  '/masuk/kirim-ulang': {},
  '/keluar': {},
  '/akun/bayar': { months: '1' },
  '/akun/autodebet': { provider: 'BCA', accountNumber: '1234567890' },
  '/akun/autodebet/cabut': { id: 'mnd_x' },
  '/akun/dompet/simulasi': { amount: '50.000', channel: 'va' },
  '/simulasi': { income: '2.000.000', programs: ['JKK', 'JKM'], months: '1', occupation: 'OJOL' },
  '/akun/sertakan/kpj': { kpj: '10000000001', months: '1' },
  '/akun/sertakan/ambil-alih': {},
  '/akun/sertakan/:sid/bayar': { months: '1' },
  '/akun/sertakan/:sid/berhenti': {},
  '/sertakan/setuju/:token': { code: '123456' },
  '/sertakan/setuju/:token/kode-baru': {},
};

function formBody(rng: Rng, fields: Record<string, string | string[]>, csrf: string | undefined): { body: string; type: string } {
  const form = new URLSearchParams();
  if (csrf !== undefined) {
    form.set('_csrf', csrf);
  }
  for (const [k, v] of Object.entries(fields)) {
    if (rng.chance(0.1)) {
      continue; // removed
    }
    for (const one of Array.isArray(v) ? v : [v]) {
      form.append(k, rng.chance(0.35) ? nastyString(rng) : one);
    }
    if (rng.chance(0.05)) {
      form.append(k, nastyString(rng)); // repeated
    }
  }
  const roll = rng.next();
  if (roll < 0.8) {
    return { body: form.toString().replace(/%00/g, rng.chance(0.5) ? '%00' : '\u0000'), type: 'application/x-www-form-urlencoded' };
  }
  if (roll < 0.9) {
    const b = 'fuzzboundary';
    // Sometimes a field arrives as a file upload, which no form of ours has.
    const parts = [...form].map(([k, v]) => `--${b}\r\ncontent-disposition: form-data; name="${k}"${rng.chance(0.15) ? '; filename="a.txt"\r\ncontent-type: text/plain' : ''}\r\n\r\n${v}\r\n`);
    return { body: `${parts.join('')}${rng.chance(0.7) ? `--${b}--\r\n` : ''}`, type: `multipart/form-data; boundary=${b}` };
  }
  return { body: mutateBody(rng, Object.fromEntries(form)) ?? '', type: rng.pick(CONTENT_TYPES) };
}

// ------------------------------------------------------------------------------------------------------------------
// The fuzz
// ------------------------------------------------------------------------------------------------------------------

let t: TestApp;
let bank: SnapBankClient;
let state: State;

beforeAll(async () => {
  t = await createTestApp();
  const member = await activeMember(t);
  const registrationId = await registerVerified(t, makePerson());
  const submit = await t.post(`/api/v1/registrations/${registrationId}/submit`, { programs: ['JKK', 'JKM'], declaredIncome: 1_000_000, months: 1 });
  expect(submit.status).toBe(201);
  const mandate = await t.post('/api/v1/me/autodebit-mandates', { providerKind: 'bank', providerName: 'BCA', accountNumber: '1234567890' }, member.auth);
  // Payments for no bill, for the staff to refund or assign.
  for (const code of ['8000000000000018', '8000000000000026', '8000000000000034', '8000000000000042']) {
    const unmatched = await t.notify({ externalId: nextExternalId(), paymentCode: code, amount: 16_800, channel: 'counter', paidAt: t.clock.now().toISOString() });
    expect(unmatched.body.status).toBe('unmatched');
  }
  const unmatchedList = await t.get('/api/v1/staff/unmatched-payments', { authorization: `Bearer ${STAFF_KEY}` });
  const run = await t.post(
    '/api/v1/staff/reconciliation-runs',
    { channel: 'counter', settlementDate: '2026-11-22', csv: 'settlement_date,reference_no,payment_code,teller_id,amount,transaction_time\r\n' },
    { authorization: `Bearer ${STAFF_KEY}` },
  );
  const card = await t.get('/api/v1/me/card', member.auth);
  const home = await t.app.request('/masuk');
  const browserId = cookieOf(home, 'lindung_b');
  const csrf = csrfOf(await home.text());
  // The half-done registration (step 1 posted) and the login in progress (code sent) that later forms read.
  const residents = Array.from({ length: 4 }, () => makePerson());
  for (const r of residents) {
    await addResident(t, r);
  }
  const resident = residents[0] as Person;
  const step1 = new URLSearchParams({ _csrf: csrf, nik: resident.nik, fullName: resident.fullName, birthDate: resident.birthDate, gender: resident.gender, phone: resident.phone, email: resident.email, address: resident.address });
  const form = { 'content-type': 'application/x-www-form-urlencoded', cookie: `lindung_b=${browserId}` };
  const draft = cookieOf(await t.app.request('/daftar', { method: 'POST', headers: form, body: step1.toString() }), 'lindung_draf');
  const signingIn = cookieOf(await t.app.request('/masuk', { method: 'POST', headers: form, body: new URLSearchParams({ _csrf: csrf, phone: member.person.phone }).toString() }), 'lindung_masuk');
  state = {
    paymentCode: (submit.body.bill as { paymentCode: string }).paymentCode,
    registrationId,
    kpj: member.kpj,
    token: member.token,
    logoutToken: (await activeMember(t)).token,
    mandateId: required(mandate.body.mandate?.id, 'a mandate id'),
    unmatchedPaymentIds: (unmatchedList.body.payments as { paymentId: string }[]).map((p) => required(p.paymentId, 'an unmatched payment id')),
    reconciliationRunId: required(run.body.id, 'a reconciliation run id'),
    browserId,
    csrf,
    residents,
    portalCookies: `lindung_b=${browserId}; lindung_draf=${draft}; lindung_masuk=${signingIn}`,
    cardToken: required(new URL(String(card.body.verifyUrl)).searchParams.get('token'), 'a card token'),
  };
  bank = new SnapBankClient(t);
  await bank.login();
});

afterAll(async () => {
  await t?.close();
});

function buildCases(rng: Rng, apiOps: OpenApiOperation[], s: State): FuzzCase[] {
  const now = t.clock.now();
  const real: Record<string, string> = {
    paymentCode: s.paymentCode,
    code: s.paymentCode,
    id: s.registrationId,
    kpj: s.kpj,
    hash: 'x',
    name: 'lindung.css',
  };
  // The card's own token, a damaged copy of it, or anything.
  const cardToken = () => enc(rng.chance(0.4) ? s.cardToken : rng.chance(0.5) ? (mutate(rng, s.cardToken) as string | null)?.toString() ?? '' : nastyString(rng));
  const bearer = (staff: boolean) => ({ authorization: `Bearer ${staff ? STAFF_KEY : s.token}` });
  const generators: (() => FuzzCase)[] = [];

  // The API, as its OpenAPI document lists it.
  for (const op of apiOps) {
    generators.push(() => {
      const staff = op.path.includes('/staff/') || op.path.includes('/participants/');
      const ids: Record<string, string> = { ...real, paymentId: rng.pick(s.unmatchedPaymentIds), id: op.path.includes('autodebit') ? s.mandateId : op.path.includes('reconciliation') ? s.reconciliationRunId : s.registrationId };
      const path = fillPath(rng, op.path, ids) + (op.path.endsWith('/cards/verify') ? `?token=${cardToken()}` : oddQuery(rng));
      // Signing out and switching participant end the session they are sent with: they get their own, so the rest of
      // the run stays signed in.
      const endsSession = op.path.endsWith('/auth/logout') || op.path.endsWith('/auth/switch');
      const headers: Record<string, string> = op.security ? (endsSession ? { authorization: `Bearer ${s.logoutToken}` } : bearer(staff)) : {};
      const body = op.method === 'GET' || op.method === 'DELETE' ? (rng.chance(0.05) ? 'x' : undefined) : mutateBody(rng, validApiBody(rng, op, s, now));
      if (body !== undefined) {
        headers['content-type'] = rng.chance(0.8) ? 'application/json' : rng.pick(CONTENT_TYPES);
      }
      if (op.path.endsWith('/payments/notifications') && body !== undefined && rng.chance(0.85)) {
        headers['x-signature'] = hmacSha256Hex(t.config.paymentWebhookSecret, body);
      }
      // Now and then a method the route does not have.
      const method = rng.chance(0.03) ? rng.pick(['PUT', 'PATCH', 'DELETE', 'OPTIONS', 'HEAD', 'POST', 'GET']) : op.method;
      return { route: `${op.method} ${op.path}`, method, path, body, headers: oddHeaders(rng, headers) };
    });
  }

  // Payment channels: signed the way each provider signs, over mutated bodies.
  const bill = { paymentCode: s.paymentCode, amount: 16_800 };
  generators.push(() => {
    let body = mutateBody(rng, midtransFor(rng.pick(['gopay', 'bcaVa', 'indomaret', 'card', 'qris']), bill) as Json) as string;
    try {
      const parsed: unknown = JSON.parse(body);
      if (parsed && typeof parsed === 'object' && !Array.isArray(parsed) && rng.chance(0.9)) {
        body = JSON.stringify(midtransSigned(parsed as Record<string, unknown>));
      }
    } catch {
      // garbage stays garbage
    }
    return { route: `POST ${MIDTRANS}`, method: 'POST', path: MIDTRANS, body, headers: oddHeaders(rng, { 'content-type': 'application/json' }) };
  });
  for (const [path, valid] of [
    [XENDIT_EWALLET, () => ewalletFor(bill)],
    [XENDIT_RETAIL, () => fpcFor(bill)],
  ] as const) {
    generators.push(() => ({
      route: `POST ${path}`,
      method: 'POST',
      path,
      body: mutateBody(rng, valid() as Json),
      headers: oddHeaders(rng, { 'content-type': 'application/json', ...(rng.chance(0.9) ? { 'x-callback-token': DEV_XENDIT_TOKEN } : {}) }),
    }));
  }

  // BI-SNAP: a valid access token and signature over whatever body is sent.
  const customerNo = s.kpj;
  const snapBodies: Record<string, () => Json> = {
    '/snap/v1.0/transfer-va/inquiry': () => ({
      partnerServiceId: PARTNER_SERVICE_ID,
      customerNo,
      virtualAccountNo: PARTNER_SERVICE_ID + customerNo,
      trxDateInit: snapTimestamp(now),
      channelCode: 6011,
      language: 'ID',
      inquiryRequestId: `INQ-${rng.int(0, 1e9)}`,
      additionalInfo: {},
    }),
    '/snap/v1.0/transfer-va/payment': () => bank.paymentBody(customerNo, `PAY-${rng.int(0, 1e9)}`, amountText(16_800)) as Json,
    '/snap/v1.0/qr/qr-mpm-notify': () => ({
      originalReferenceNo: `QR${rng.int(0, 1e9)}`,
      originalPartnerReferenceNo: s.paymentCode,
      latestTransactionStatus: '00',
      transactionStatusDesc: 'success',
      amount: { value: amountText(16_800), currency: 'IDR' },
      additionalInfo: {},
    }),
  };
  for (const [path, valid] of Object.entries(snapBodies)) {
    generators.push(() => {
      const body = mutateBody(rng, valid()) ?? '';
      const headers: Record<string, string> = rng.chance(0.2) ? { 'X-TIMESTAMP': rng.pick(HEADER_SAFE_STRINGS), 'CHANNEL-ID': rng.pick(HEADER_SAFE_STRINGS) } : {};
      return { route: `POST ${path}`, method: 'POST', path, body, headers, send: async () => {
        const res = await bank.call(path, undefined, { rawBody: body, headers });
        return { status: res.status, text: JSON.stringify(res.body).slice(0, 300) };
      } };
    });
  }
  generators.push(() => {
    const body = mutateBody(rng, { grantType: 'client_credentials', additionalInfo: {} }) ?? '';
    return { route: 'POST /snap/v1.0/access-token/b2b', method: 'POST', path: '/snap/v1.0/access-token/b2b', body, headers: {}, send: async () => {
      const res = await bank.accessToken({ body, ...(rng.chance(0.2) ? { timestamp: rng.pick(HEADER_SAFE_STRINGS) } : {}) });
      return { status: res.status, text: JSON.stringify(res.body).slice(0, 300) };
    } };
  });

  // Portal pages (GET) and forms (POST, with and without a valid CSRF token; signed in or not).
  const portalReal = { ...real, id: s.registrationId, code: s.paymentCode, hash: 'x', name: 'lindung.css' };
  const cookies = (signedIn: boolean, token = s.token) => `${s.portalCookies}${signedIn ? `; lindung_sesi=${token}` : ''}`;
  for (const page of PORTAL_GET) {
    generators.push(() => ({
      route: `GET ${page}`,
      method: rng.chance(0.05) ? rng.pick(['POST', 'HEAD', 'OPTIONS', 'PUT', 'DELETE']) : 'GET',
      path: fillPath(rng, page, portalReal) + (page === '/kartu/verifikasi' && rng.chance(0.7) ? `?token=${cardToken()}` : rng.chance(0.1) ? `?${rng.pick(['token', 'selesai', 'kedaluwarsa', 'ok', 'kode'])}=${enc(nastyString(rng).slice(0, 300))}` : oddQuery(rng)),
      headers: oddHeaders(rng, { accept: 'text/html', cookie: cookies(rng.chance(0.6)) }),
    }));
  }
  for (const [action, fields] of Object.entries(PORTAL_FORMS)) {
    generators.push(() => {
      const csrf = rng.chance(0.85) ? s.csrf : rng.chance(0.5) ? undefined : nastyString(rng);
      const { body, type } = formBody(rng, fields, csrf);
      // Signing out ends a session: /keluar gets its own, so the rest of the run stays signed in.
      const cookie = cookies(rng.chance(0.6), action === '/keluar' ? s.logoutToken : s.token);
      return { route: `POST ${action}`, method: rng.chance(0.03) ? 'GET' : 'POST', path: fillPath(rng, action, portalReal), body, headers: oddHeaders(rng, { 'content-type': type, cookie }) };
    });
  }

  // Development routes and the health check.
  generators.push(() => ({ route: 'POST /dev/population', method: 'POST', path: '/dev/population', body: mutateBody(rng, { nik: '3275011705900001', fullName: 'Budi Santoso', birthDate: '1990-05-17', gender: 'M' }), headers: oddHeaders(rng, { 'content-type': 'application/json' }) }));
  generators.push(() => ({ route: 'GET /dev/outbox', method: 'GET', path: `/dev/outbox?to=${enc(rng.chance(0.5) ? '081234567890' : nastyString(rng).slice(0, 300))}`, headers: oddHeaders(rng, {}) }));
  generators.push(() => ({ route: 'GET /dev/clock', method: 'GET', path: '/dev/clock', headers: {} }));
  // The clock stays where it is (sessions and SNAP access tokens must outlive the run); the body around it is fuzzed.
  generators.push(() => {
    let body = mutateBody(rng, { now: now.toISOString() });
    try {
      const parsed: unknown = JSON.parse(body ?? '');
      if (parsed && typeof parsed === 'object' && 'now' in parsed) {
        body = JSON.stringify({ ...parsed, now: now.toISOString() });
      }
    } catch {
      // not JSON: refused as it is
    }
    return { route: 'POST /dev/clock', method: 'POST', path: '/dev/clock', body, headers: { 'content-type': 'application/json' } };
  });
  generators.push(() => ({ route: 'ANY /healthz and unknown paths', method: rng.pick(['GET', 'POST', 'HEAD', 'PUT', 'DELETE', 'OPTIONS', 'PATCH']), path: rng.pick(['/healthz', '/api/v1/openapi.json', '/api/v1/nothing', '/snap/v1.0/nothing', '/x%00y', '/%ff', '//', '/akun/', '//akun', '/api/v1/', '/api/v1/me/', '/snap/', '/dev/', '/healthz/..', '/api/v1/channels/']), headers: oddHeaders(rng, {}) }));

  // A card PDF takes a few hundred milliseconds to draw and its only input is the session: a tenth of a route's share.
  const pick = (): FuzzCase => {
    const c = rng.pick(generators)();
    return !/\.pdf$/.test(c.route) || rng.chance(0.1) ? c : pick();
  };
  return Array.from({ length: REQUESTS }, pick);
}

async function send(c: FuzzCase): Promise<{ status: number; text: string }> {
  if (c.send) {
    return c.send();
  }
  const res = await t.app.request(c.path, { method: c.method, headers: c.headers, ...(c.body !== undefined && c.method !== 'GET' && c.method !== 'HEAD' ? { body: c.body } : {}) });
  const text = await res.text();
  return { status: res.status, text: text.slice(0, 300) };
}

/** The setup's real ids: the fuzz is only as deep as they are real. */
function required(value: unknown, what: string): string {
  if (typeof value !== 'string' || value === '') {
    throw new Error(`fuzz setup: no ${what}`);
  }
  return value;
}

function cookieOf(res: Response, name: string): string {
  const value = res.headers.getSetCookie().map((line) => line.split(';')[0] ?? '').find((pair) => pair.startsWith(`${name}=`));
  if (!value) {
    throw new Error(`no ${name} cookie set (status ${res.status})`);
  }
  return value.slice(name.length + 1);
}

const excerpt = (s: string | undefined, n = 160) => (s === undefined ? '' : JSON.stringify(s.length > n ? `${s.slice(0, n)}…(${s.length})` : s));

describe(`fuzz: ${REQUESTS} requests over every route (FUZZ_SEED=${SEED})`, () => {
  it('answers no request with a 5xx', { timeout: 180_000 }, async () => {
    const doc = (await t.get('/api/v1/openapi.json')).body;
    const ops = operationsOf(doc);
    expect(ops.length).toBeGreaterThan(20);
    const rng = new Rng(SEED);
    const cases = buildCases(rng, ops, state);
    const failures: string[] = [];
    const statuses = new Map<number, number>();
    const byRoute = new Map<string, Record<string, number>>();
    let next = 0;
    const started = Date.now();
    await Promise.all(
      Array.from({ length: CONCURRENCY }, async () => {
        while (next < cases.length) {
          const c = cases[next++] as FuzzCase;
          let status: number;
          let text: string;
          const sent = performance.now();
          try {
            ({ status, text } = await send(c));
          } catch (err) {
            status = 599;
            text = `threw: ${err instanceof Error ? err.message : String(err)}`;
          }
          statuses.set(status, (statuses.get(status) ?? 0) + 1);
          const counts = byRoute.get(c.route) ?? {};
          counts[status] = (counts[status] ?? 0) + 1;
          counts['ms'] = Math.round((counts['ms'] ?? 0) + performance.now() - sent);
          byRoute.set(c.route, counts);
          if (status >= 500) {
            failures.push(`${status} ${c.method} ${excerpt(c.path, 200)} headers=${excerpt(JSON.stringify(c.headers), 200)} body=${excerpt(c.body)} -> ${excerpt(text, 200)}`);
          }
        }
      }),
    );
    const summary = `FUZZ_SEED=${SEED}: ${cases.length} requests in ${Date.now() - started} ms; statuses ${JSON.stringify(Object.fromEntries([...statuses].sort((a, b) => a[0] - b[0])))}`;
    console.info(summary);
    if (process.env['FUZZ_REPORT']) {
      console.info([...byRoute].sort().map(([route, counts]) => `${route} ${JSON.stringify(counts)}`).join('\n'));
    }
    expect(failures, `${summary}\n${failures.length} responses >= 500 (replay with FUZZ_SEED=${SEED}):\n${failures.join('\n')}`).toEqual([]);
  });
});

/** Every 5xx the fuzz found, fixed, kept as a fixed case with the answer a client should see. */
describe('regressions found by the fuzz', () => {
  const page = async (method: string, path: string, headers: Record<string, string> = {}, form?: Record<string, string>, signedIn = false) => {
    const cookie = `lindung_b=${state.browserId}${signedIn ? `; lindung_sesi=${state.token}` : ''}`;
    const res = await t.app.request(path, {
      method,
      headers: { accept: 'text/html', cookie, ...headers, ...(form ? { 'content-type': 'application/x-www-form-urlencoded' } : {}) },
      ...(form ? { body: new URLSearchParams({ _csrf: state.csrf, ...form }).toString() } : {}),
    });
    return { status: res.status, type: res.headers.get('content-type') ?? '', csp: res.headers.get('content-security-policy') ?? '', text: await res.text() };
  };

  it.each(['/aset/x', '/aset/%00', '/aset/lindung.css', '/aset/'])('GET %s (no such asset) is the 404 page, not a 500', async (path) => {
    const res = await page('GET', path);
    expect(res.status).toBe(404);
    expect(res.type).toContain('text/html');
    expect(res.csp).toContain("default-src 'none'");
    expect(res.text).toContain('Halaman tidak ditemukan');
    expect((await page('GET', path, { 'accept-language': 'en' })).text).toContain('Page not found');
  });

  it.each([
    ['GET', '/daftar/%00/program'],
    ['GET', '/daftar/a%00b/verifikasi-email?token=x'],
    ['GET', '/daftar/reg_%00/program'],
    ['POST', '/daftar/%00/otp'],
    ['POST', '/daftar/a%00b/email'],
    ['POST', '/daftar/reg_%00/otp/kirim-ulang'],
    ['POST', '/daftar/%00/program'],
  ])('%s %s (a registration id with NUL) is the 404 page, not a 500', async (method, path) => {
    const res = await page(method, path, {}, method === 'POST' ? { code: '123456' } : undefined);
    expect(res.status).toBe(404);
    expect(res.text).toContain('Halaman tidak ditemukan');
  });

  it('a form field with NUL that reaches the database (revoking mandate "\\u202e\\u0000x") is the 400 page, not a 500', async () => {
    const res = await page('POST', '/akun/autodebet/cabut', {}, { id: '\u202e\u0000x' }, true);
    expect(res.status).toBe(400);
    expect(res.type).toContain('text/html');
    expect(res.text).toContain('Permintaan tidak dapat diproses');
    const en = await page('POST', '/akun/autodebet/cabut', { 'accept-language': 'en' }, { id: 'a\u0000' }, true);
    expect(en.status).toBe(400);
    expect(en.text).toContain('The request could not be processed');
  });

  it.each(['2026-02-30', '9999-99-99', '0000-00-00'])('POST /dev/population with birthDate %s (not a calendar date) is a 400 on birthDate, not a 500', async (birthDate) => {
    const res = await t.post('/dev/population', { nik: '3275011705900001', fullName: 'Budi Santoso', birthDate, gender: 'M' });
    expect(res.status).toBe(400);
    expect(res.body.error).toMatchObject({ code: 'invalid_request', field: 'birthDate' });
  });
});
