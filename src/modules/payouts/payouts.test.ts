import { createServer, type IncomingHttpHeaders, type Server } from 'node:http';
import { beforeEach, describe, expect, it } from 'vitest';
import { serveDuringSuite } from '../../../test/support/local-http.js';
import { loadConfig } from '../../config.js';
import { createDevDisbursementProvider, createXenditDisbursementProvider, DEV_FAILING_ACCOUNT, disbursementProviderFromConfig, type TransferRequest } from './index.js';

const transfer = (over: Partial<TransferRequest> = {}): TransferRequest => ({
  idempotencyKey: 'payout_01JCLAIM0001',
  amount: 42_000_000,
  bankCode: 'BCA',
  accountNumber: '1234567890',
  accountHolderName: 'Siti Aminah',
  description: 'Lindung JKM klaim 01JCLAIM0001',
  ...over,
});

describe('development stand-in', () => {
  it('accepts, then reports paid at the first status question (one job run); the same key again is the same transfer', async () => {
    const at = new Date('2026-12-07T05:00:00Z');
    const dev = createDevDisbursementProvider(() => at);
    expect(await dev.status('payout_01JCLAIM0001')).toBeUndefined();
    const sent = await dev.send(transfer());
    expect(sent).toEqual({ kind: 'accepted', providerRef: 'dev_disb_payout_01JCLAIM0001' });
    expect(await dev.send(transfer())).toEqual(sent);
    expect(await dev.status('payout_01JCLAIM0001')).toEqual({ kind: 'paid', providerRef: 'dev_disb_payout_01JCLAIM0001', at });
  });

  it('refuses a reused key with other terms, fails the designated account, refuses every callback', async () => {
    const dev = createDevDisbursementProvider(() => new Date());
    await dev.send(transfer());
    expect(await dev.send(transfer({ amount: 1 }))).toEqual({ kind: 'refused', reason: 'idempotency_key_reused' });
    await dev.send(transfer({ idempotencyKey: 'payout_bad', accountNumber: DEV_FAILING_ACCOUNT }));
    expect(await dev.status('payout_bad')).toMatchObject({ kind: 'failed', reason: 'INVALID_DESTINATION' });
    expect(dev.readCallback({ 'x-callback-token': 'x' }, {})).toMatchObject({ ok: false, code: 'invalid_signature' });
  });

  it('refuses a non-integer or non-positive amount before any call', async () => {
    const dev = createDevDisbursementProvider(() => new Date());
    await expect(dev.send(transfer({ amount: 10.5 }))).rejects.toThrow(/positive integer/);
    await expect(dev.send(transfer({ amount: 0 }))).rejects.toThrow(/positive integer/);
  });
});

// ---- Xendit against a local stub of its disbursement API.

const SECRET = 'xnd_development_lindungtest';
const TOKEN = 'callback-token-lindung';

interface Seen {
  method: string;
  url: string;
  headers: IncomingHttpHeaders;
  body: unknown;
}

/** A stub of POST /disbursements and GET /disbursements?external_id= with Xendit's shapes and error codes. */
function xenditStub(seen: Seen[], scripted: { next?: { status: number; body: unknown } }): Server {
  const byExternalId = new Map<string, Record<string, unknown>>();
  return createServer(async (req, res) => {
    let raw = '';
    for await (const c of req) raw += String(c);
    const body: unknown = raw ? JSON.parse(raw) : undefined;
    seen.push({ method: req.method ?? '', url: req.url ?? '', headers: req.headers, body });
    const send = (status: number, b: unknown) => res.writeHead(status, { 'content-type': 'application/json' }).end(JSON.stringify(b));
    if (req.headers.authorization !== `Basic ${Buffer.from(`${SECRET}:`).toString('base64')}`) return send(401, { error_code: 'INVALID_API_KEY' });
    if (scripted.next) {
      const { status, body: b } = scripted.next;
      scripted.next = undefined;
      return send(status, b);
    }
    const url = new URL(req.url ?? '/', 'http://stub');
    if (req.method === 'GET' && url.pathname === '/disbursements') {
      const d = byExternalId.get(url.searchParams.get('external_id') ?? '');
      return d ? send(200, [d]) : send(404, { error_code: 'DIRECT_DISBURSEMENT_NOT_FOUND_ERROR' });
    }
    const b = body as Record<string, unknown>;
    const key = String(req.headers['x-idempotency-key']);
    if (byExternalId.has(key)) return send(400, { error_code: 'DUPLICATE_TRANSACTION_ERROR', message: 'Idempotency key has been used before' });
    const d = { id: `disb_${byExternalId.size + 1}`, user_id: 'u1', external_id: b['external_id'], amount: b['amount'], bank_code: b['bank_code'], account_holder_name: b['account_holder_name'], disbursement_description: b['description'], status: 'PENDING' };
    byExternalId.set(key, d);
    return send(200, d);
  });
}

describe('Xendit disbursements against a local stub', () => {
  const seen: Seen[] = [];
  const scripted: { next?: { status: number; body: unknown } } = {};
  const stub = serveDuringSuite(xenditStub(seen, scripted));
  beforeEach(() => {
    seen.length = 0;
  });
  const xendit = () => createXenditDisbursementProvider({ secretKey: SECRET, apiUrl: stub.url(), callbackToken: TOKEN });

  it('creates with Basic auth (secret key, empty password), X-IDEMPOTENCY-KEY and external_id = our key', async () => {
    expect(await xendit().send(transfer())).toEqual({ kind: 'accepted', providerRef: 'disb_1' });
    expect(seen[0]).toMatchObject({
      method: 'POST',
      url: '/disbursements',
      headers: { authorization: `Basic ${Buffer.from(`${SECRET}:`).toString('base64')}`, 'x-idempotency-key': 'payout_01JCLAIM0001', 'content-type': 'application/json' },
      body: { external_id: 'payout_01JCLAIM0001', amount: 42_000_000, bank_code: 'BCA', account_holder_name: 'Siti Aminah', account_number: '1234567890', description: 'Lindung JKM klaim 01JCLAIM0001' },
    });
  });

  it('a resend with the same key (DUPLICATE_TRANSACTION_ERROR) is the earlier transfer, not a second payment', async () => {
    expect(await xendit().send(transfer())).toEqual({ kind: 'accepted', providerRef: 'disb_1' });
    expect(seen.map((s) => `${s.method} ${s.url}`)).toEqual(['POST /disbursements', 'GET /disbursements?external_id=payout_01JCLAIM0001']);
    expect(await xendit().status('payout_01JCLAIM0001')).toEqual({ kind: 'pending', providerRef: 'disb_1' });
    expect(await xendit().status('payout_never_sent')).toBeUndefined();
  });

  it.each([
    { status: 400, code: 'INSUFFICIENT_BALANCE' },
    { status: 400, code: 'RECIPIENT_ACCOUNT_NUMBER_ERROR' },
    { status: 400, code: 'BANK_CODE_NOT_SUPPORTED_ERROR' },
  ])('refused: HTTP $status $code', async ({ status, code }) => {
    scripted.next = { status, body: { error_code: code, message: '…' } };
    expect(await xendit().send(transfer({ idempotencyKey: `k_${code}` }))).toEqual({ kind: 'refused', reason: code });
  });

  it('a provider outage or our wrong key is thrown (retry later with the same key), never a refusal', async () => {
    scripted.next = { status: 503, body: { error_code: 'SERVER_ERROR' } };
    await expect(xendit().send(transfer({ idempotencyKey: 'k_outage' }))).rejects.toThrow(/HTTP 503/);
    scripted.next = { status: 400, body: { error_code: 'DUPLICATE_TRANSACTION_ERROR' } }; // key used, transfer not visible
    await expect(xendit().send(transfer({ idempotencyKey: 'k_unseen' }))).rejects.toThrow(/is visible yet/);
    const wrongKey = createXenditDisbursementProvider({ secretKey: 'xnd_wrong', apiUrl: stub.url(), callbackToken: TOKEN });
    await expect(wrongKey.send(transfer({ idempotencyKey: 'k_wrong' }))).rejects.toThrow(/HTTP 401/);
  });

  const callback = (over: Record<string, unknown> = {}) => ({
    id: 'disb_1', user_id: 'u1', external_id: 'payout_01JCLAIM0001', amount: 42_000_000, bank_code: 'BCA', account_holder_name: 'Siti Aminah',
    disbursement_description: 'Lindung', is_instant: true, status: 'COMPLETED', created: '2026-12-07T05:00:00.000Z', updated: '2026-12-07T05:00:03.000Z', ...over,
  });

  it.each([
    { name: 'COMPLETED → paid', headers: { 'x-callback-token': TOKEN }, body: callback(), expected: { ok: true, value: { idempotencyKey: 'payout_01JCLAIM0001', amount: 42_000_000, status: { kind: 'paid', providerRef: 'disb_1', at: new Date('2026-12-07T05:00:03.000Z') } } } },
    { name: 'FAILED → failed with the failure_code', headers: { 'x-callback-token': TOKEN }, body: callback({ status: 'FAILED', failure_code: 'INVALID_DESTINATION' }), expected: { ok: true, value: { idempotencyKey: 'payout_01JCLAIM0001', amount: 42_000_000, status: { kind: 'failed', providerRef: 'disb_1', reason: 'INVALID_DESTINATION' } } } },
    { name: 'wrong token', headers: { 'x-callback-token': 'callback-token-lindunX' }, body: callback(), expected: { ok: false, code: 'invalid_signature' } },
    { name: 'no token', headers: {}, body: callback(), expected: { ok: false, code: 'invalid_signature' } },
    { name: 'a PENDING callback is not final', headers: { 'x-callback-token': TOKEN }, body: callback({ status: 'PENDING' }), expected: { ok: false, code: 'invalid_request', field: 'status' } },
    { name: 'a fractional amount', headers: { 'x-callback-token': TOKEN }, body: callback({ amount: 1.5 }), expected: { ok: false, code: 'invalid_request', field: 'amount' } },
  ])('callback: $name', ({ headers, body, expected }) => {
    expect(xendit().readCallback(headers, body)).toEqual(expected);
  });
});

describe('configuration', () => {
  it('development defaults to the stand-in; XENDIT_SECRET_KEY selects Xendit; production without keys has no payouts', () => {
    expect(loadConfig({ NODE_ENV: 'development' }).payouts).toEqual({ kind: 'dev' });
    expect(loadConfig({ NODE_ENV: 'development', XENDIT_SECRET_KEY: 'xnd_k' }).payouts).toEqual({ kind: 'xendit', secretKey: 'xnd_k', apiUrl: 'https://api.xendit.co', callbackToken: 'dev-xendit-callback-token' });
    expect(disbursementProviderFromConfig(loadConfig({ NODE_ENV: 'development' }).payouts, () => new Date())?.name).toBe('dev');
    const prod = { NODE_ENV: 'production', PAYMENT_WEBHOOK_SECRET: 'a', OTP_SECRET: 'b', CARD_SIGNING_SEED: 'c', STAFF_API_KEY: 'd', COOKIE_SECRET: 'e', PUBLIC_BASE_URL: 'https://lindung.example', NIK_KEYS: `p1:${Buffer.alloc(32, 'p').toString('base64')}`, NIK_HASH_KEY: 'ab'.repeat(32) };
    expect(loadConfig(prod).payouts).toBeUndefined();
    expect(() => loadConfig({ ...prod, PAYOUT_PROVIDER: 'dev' })).toThrow(/development stand-in/);
    expect(() => loadConfig({ ...prod, XENDIT_SECRET_KEY: 'xnd_live' })).toThrow(/XENDIT_CALLBACK_TOKEN/);
  });
});
