import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { Webhook } from 'standardwebhooks';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { createPartner, issueClient } from '../../src/modules/partners/index.js';
import { deliverDueWebhooks, enqueueWebhookEvent, nextWebhookAttemptAt } from '../../src/modules/webhooks/index.js';
import { expectError } from '../support/api-errors.js';
import { serveDuringSuite } from '../support/local-http.js';
import { createTestApp, type TestApp } from '../support/test-app.js';

/**
 * Issue 17 item 2, acceptance: "Webhook retries proven against a test receiver that fails, then recovers; signatures
 * verifiable from the docs." A real HTTP receiver on a loopback port answers from a script (500, 500, 200…); the
 * deliveries run through POST /dev/jobs/run at the dev clock, moved to each backoff time; every request's signature is
 * checked with the third-party `standardwebhooks` package (pinned in package.json), as docs/webhooks.md tells
 * receivers to.
 */
interface Received {
  path: string;
  headers: Record<string, string>;
  body: string;
}

const received: Received[] = [];
/** Status codes per path, answered in turn (the last one repeats); 'hang' never answers. */
const script = new Map<string, (number | 'hang')[]>();
const hanging: ServerResponse[] = [];

const receiver = createServer((req: IncomingMessage, res: ServerResponse) => {
  const chunks: Buffer[] = [];
  req.on('data', (c: Buffer) => chunks.push(c));
  req.on('end', () => {
    const path = req.url ?? '/';
    received.push({ path, headers: req.headers as Record<string, string>, body: Buffer.concat(chunks).toString('utf8') });
    const codes = script.get(path) ?? [200];
    const code = codes.length > 1 ? codes.shift()! : codes[0]!;
    if (code === 'hang') {
      hanging.push(res);
      return;
    }
    res.writeHead(code, { 'content-type': 'text/plain' }).end(code < 300 ? 'ok' : 'no');
  });
});
const http = serveDuringSuite(receiver);

/** Verifies a received request with the standardwebhooks package, its clock set to the message's timestamp. */
function verifiedByThirdParty(secret: string, r: Received): unknown {
  vi.useFakeTimers({ toFake: ['Date'] });
  try {
    vi.setSystemTime(Number(r.headers['webhook-timestamp']) * 1000 + 30_000);
    return new Webhook(secret).verify(r.body, r.headers);
  } finally {
    vi.useRealTimers();
  }
}

let t: TestApp;
let owner = '';
let auth: Record<string, string> = {};

beforeAll(async () => {
  t = await createTestApp();
});

/** A new partner (POST /dev/partners) and its OAuth2 token (client credentials): the partner the next calls act as. */
async function asNewPartner(scopes?: string[]): Promise<void> {
  const made = await t.post('/dev/partners', { name: 'Koperasi Ojek Sejahtera', funding: 'partner', ...(scopes ? { scopes } : {}) });
  expect(made.status, JSON.stringify(made.body)).toBe(201);
  const basic = Buffer.from(`${made.body.clientId}:${made.body.clientSecret}`).toString('base64');
  const res = await t.app.request('/api/v1/oauth/token', { method: 'POST', headers: { 'content-type': 'application/x-www-form-urlencoded', authorization: `Basic ${basic}` }, body: 'grant_type=client_credentials' });
  expect(res.status).toBe(200);
  owner = `partner:${made.body.partnerId as string}`;
  auth = { authorization: `Bearer ${((await res.json()) as { access_token: string }).access_token}` };
}
afterAll(async () => {
  for (const res of hanging) res.destroy();
  await t.close();
});

async function call(method: string, path: string, body?: unknown) {
  const r = await t.request(method, path, body, auth);
  return { status: r.status, body: r.body };
}

async function subscribe(path: string, events?: string[]): Promise<string> {
  const r = await call('PUT', '/api/v1/partner/webhook', { url: `${http.url()}${path}`, ...(events ? { events } : {}) });
  expect(r.status).toBe(200);
  return r.body.secret as string;
}

let seq = 0;
async function enqueue(type: 'member.activated' | 'member.status_changed' = 'member.activated'): Promise<{ id: string; queued: boolean }> {
  const id = `evt_test_${++seq}`;
  const queued = await t.db.transaction().execute((trx) =>
    enqueueWebhookEvent(trx, { owner, participantId: `par_${seq}`, type, eventId: id, data: { kpj: '12345678901', status: 'active', coveredThrough: '2026-11', at: t.clock.now().toISOString() }, now: t.clock.now() }),
  );
  return { id, queued };
}

const delivery = (id: string) => t.db.selectFrom('webhook_delivery').selectAll().where('id', '=', id).executeTakeFirstOrThrow();
const attempts = (id: string) => t.db.selectFrom('webhook_attempt').selectAll().where('delivery_id', '=', id).orderBy('attempt').execute();
const runJobs = async () => (await t.post('/dev/jobs/run')).body as { ran: string[]; webhooks: number };

describe('webhooks: retried against a receiver that fails, then recovers', () => {
  it('500, 500, 200: delivered once on the third attempt, at the backoff times; each request verifies with standardwebhooks', async () => {
    await asNewPartner();
    script.set('/flaky', [500, 500, 200]);
    const secret = await subscribe('/flaky');
    expect(secret).toMatch(/^whsec_/);
    const stored = await t.db.selectFrom('webhook_endpoint').select('secret_sealed').where('owner', '=', owner).executeTakeFirstOrThrow();
    expect(stored.secret_sealed).toMatch(/^v1:dev1:/);
    expect(stored.secret_sealed).not.toContain(secret.slice(6));

    const { id, queued } = await enqueue();
    expect(queued).toBe(true);
    expect((await runJobs()).webhooks).toBe(1);
    let d = await delivery(id);
    expect(d).toMatchObject({ status: 'pending', attempts: 1, last_status_code: 500 });
    const first = (await attempts(id))[0]!;
    expect(d.next_attempt_at).toEqual(nextWebhookAttemptAt(id, 1, first.at));

    // Not before its time: a minute less a second later nothing is sent.
    t.clock.set(new Date(d.next_attempt_at.getTime() - 1_000));
    expect((await runJobs()).webhooks).toBe(0);
    t.clock.set(d.next_attempt_at);
    expect((await runJobs()).webhooks).toBe(1);
    d = await delivery(id);
    expect(d).toMatchObject({ status: 'pending', attempts: 2, last_status_code: 500 });
    const second = (await attempts(id))[1]!;
    expect(d.next_attempt_at).toEqual(nextWebhookAttemptAt(id, 2, second.at));
    expect(d.next_attempt_at.getTime() - second.at.getTime()).toBeGreaterThanOrEqual(5 * 60_000);

    t.clock.set(d.next_attempt_at);
    expect((await runJobs()).webhooks).toBe(1);
    d = await delivery(id);
    expect(d).toMatchObject({ status: 'delivered', attempts: 3, last_status_code: 200, last_error: null });
    expect((await runJobs()).webhooks).toBe(0);

    const log = await attempts(id);
    expect(log.map((a) => a.status_code)).toEqual([500, 500, 200]);
    expect(log.map((a) => a.attempt)).toEqual([1, 2, 3]);
    const got = received.filter((r) => r.path === '/flaky');
    expect(got).toHaveLength(3);
    for (const r of got) {
      expect(r.headers['webhook-id']).toBe(id);
      expect(r.headers['content-type']).toBe('application/json');
      expect(verifiedByThirdParty(secret, r)).toMatchObject({ type: 'member.activated', data: { kpj: '12345678901', status: 'active', coveredThrough: '2026-11' } });
    }
    // The body names no NIK.
    expect(got[0]!.body).not.toMatch(/nik/i);

    const list = await call('GET', '/api/v1/partner/webhook/deliveries');
    expect(list.status).toBe(200);
    expect(list.body.deliveries).toEqual([expect.objectContaining({ id, type: 'member.activated', status: 'delivered', attempts: 3, lastStatusCode: 200, nextAttemptAt: null })]);
  });

  it('a receiver that does not answer is cut off at the timeout and tried again later', async () => {
    await asNewPartner();
    script.set('/slow', ['hang']);
    await subscribe('/slow');
    const { id } = await enqueue();
    expect(await deliverDueWebhooks(t.deps, { timeoutMs: 300 })).toBe(1);
    const d = await delivery(id);
    expect(d).toMatchObject({ status: 'pending', attempts: 1, last_status_code: null, last_error: 'timeout after 300 ms' });
    const [a] = await attempts(id);
    expect(a).toMatchObject({ attempt: 1, status_code: null, error: 'timeout after 300 ms' });
    expect(a!.duration_ms).toBeGreaterThanOrEqual(250);
    expect(d.next_attempt_at.getTime()).toBeGreaterThan(t.clock.now().getTime());
  });

  it('410 Gone disables the endpoint: the delivery fails, nothing more is queued until the partner sets it again', async () => {
    await asNewPartner();
    script.set('/gone', [410]);
    await subscribe('/gone');
    const { id } = await enqueue();
    await runJobs();
    expect(await delivery(id)).toMatchObject({ status: 'failed', attempts: 1, last_status_code: 410 });
    const ep = await t.db.selectFrom('webhook_endpoint').selectAll().where('owner', '=', owner).executeTakeFirstOrThrow();
    expect(ep.active).toBe(false);
    expect(ep.disabled_reason).toMatch(/^HTTP 410/);
    expect((await enqueue()).queued).toBe(false);
    // Set again (a new secret): active again, and a retry of the failed delivery goes out.
    script.set('/gone', [200]);
    await subscribe('/gone');
    expect((await enqueue()).queued).toBe(true);
    const retry = await call('POST', `/api/v1/partner/webhook/deliveries/${id}/retry`);
    expect(retry).toEqual({ status: 202, body: { id, status: 'pending' } });
    await runJobs();
    expect(await delivery(id)).toMatchObject({ status: 'delivered', attempts: 2 });
  });
});

describe('webhook endpoint: subscription, rotation, the log', () => {
  it('a secret that no longer opens (its key left NIK_KEYS): nothing is sent, the attempt is logged and retried', async () => {
    await asNewPartner();
    await subscribe('/lostkey');
    await t.db.updateTable('webhook_endpoint').set({ secret_sealed: 'v1:gone:AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA' }).where('owner', '=', owner).execute();
    const { id } = await enqueue();
    await runJobs();
    expect(await delivery(id)).toMatchObject({ status: 'pending', attempts: 1, last_status_code: null, last_error: expect.stringMatching(/secret does not open/) });
    expect(received.some((r) => r.path === '/lostkey')).toBe(false);
  });


  it('rotation: a new PUT returns a new secret; what is sent afterwards verifies with it and not with the old one', async () => {
    await asNewPartner();
    const old = await subscribe('/rotate');
    const fresh = await subscribe('/rotate');
    expect(fresh).not.toBe(old);
    const { id } = await enqueue();
    await runJobs();
    const r = received.find((x) => x.headers['webhook-id'] === id)!;
    expect(verifiedByThirdParty(fresh, r)).toMatchObject({ type: 'member.activated' });
    expect(() => verifiedByThirdParty(old, r)).toThrow(/No matching signature/);
  });

  it('events: only the subscribed types are queued; the same event id is queued once', async () => {
    await asNewPartner();
    await subscribe('/events', ['member.status_changed']);
    expect((await enqueue('member.activated')).queued).toBe(false);
    const { id, queued } = await enqueue('member.status_changed');
    expect(queued).toBe(true);
    const again = await t.db.transaction().execute((trx) => enqueueWebhookEvent(trx, { owner, participantId: `par_${seq}`, type: 'member.status_changed', eventId: id, data: {}, now: t.clock.now() }));
    expect(again).toBe(false);
    // Another owner has no endpoint: nothing is queued for it.
    await asNewPartner();
    expect((await enqueue()).queued).toBe(false);
  });

  it('refuses a URL that is not http(s), and a delivery of another owner is not theirs to retry', async () => {
    await asNewPartner();
    expectError(await t.request('PUT', '/api/v1/partner/webhook', { url: 'ftp://x.example/h' }, auth), 422, 'invalid_webhook_url', 'url');
    const unknownEvent = await call('PUT', '/api/v1/partner/webhook', { url: 'https://x.example/h', events: ['member.deleted'] });
    expect(unknownEvent.status).toBe(400);
    expectError(await t.request('POST', '/api/v1/partner/webhook/deliveries/evt_test_1/retry', undefined, auth), 404, 'unknown_webhook_delivery');
    expect((await call('GET', '/api/v1/partner/webhook/deliveries')).body).toEqual({ deliveries: [] });
  });
});

/** The dependency-free verifier of docs/webhooks.md, exactly as printed there, as a module. */
async function docsVerifier(): Promise<(secret: string, headers: Record<string, string>, rawBody: string) => boolean> {
  const doc = readFileSync('docs/webhooks.md', 'utf8');
  const block = [...doc.matchAll(/```js\n([\s\S]*?)```/g)].map((m) => m[1]!).find((code) => code.includes('export function verifyLindungWebhook'));
  if (!block) throw new Error('docs/webhooks.md has no verifyLindungWebhook snippet');
  const file = join(mkdtempSync(join(tmpdir(), 'lindung-docs-')), 'verify.mjs');
  writeFileSync(file, block);
  return ((await import(pathToFileURL(file).href)) as { verifyLindungWebhook: (s: string, h: Record<string, string>, b: string) => boolean }).verifyLindungWebhook;
}

describe('signatures verifiable from the docs', () => {
  it("docs/webhooks.md's Node snippet accepts a delivered request, and refuses it altered or with another secret", async () => {
    await asNewPartner();
    const secret = await subscribe('/docs');
    const { id } = await enqueue();
    await runJobs();
    const r = received.find((x) => x.headers['webhook-id'] === id)!;
    const verify = await docsVerifier();
    vi.useFakeTimers({ toFake: ['Date'] });
    try {
      vi.setSystemTime(Number(r.headers['webhook-timestamp']) * 1000 + 1_000);
      expect(verify(secret, r.headers, r.body)).toBe(true);
      expect(verify(secret, r.headers, r.body.replace('12345678901', '12345678902'))).toBe(false);
      expect(verify(secret.slice(0, -4) + 'AAA=', r.headers, r.body)).toBe(false);
      vi.setSystemTime(Number(r.headers['webhook-timestamp']) * 1000 + 6 * 60_000);
      expect(verify(secret, r.headers, r.body)).toBe(false);
    } finally {
      vi.useRealTimers();
    }
  });
});

describe('webhook routes: the partner API guard', () => {
  it('401 without a partner token, 403 with a token lacking the webhooks scope; described in the OpenAPI document', async () => {
    expectError(await t.request('PUT', '/api/v1/partner/webhook', { url: 'https://x.example/h' }), 401, 'unauthorized');
    expectError(await t.get('/api/v1/partner/webhook/deliveries'), 401, 'unauthorized');
    await asNewPartner(['members']);
    expectError(await t.request('PUT', '/api/v1/partner/webhook', { url: 'https://x.example/h' }, auth), 403, 'forbidden');
    expectError(await t.request('POST', '/api/v1/partner/webhook/deliveries/x/retry', undefined, auth), 403, 'forbidden');
    const doc = (await t.get('/api/v1/openapi.json')).body as { paths: Record<string, Record<string, unknown>> };
    expect(Object.keys(doc.paths['/partner/webhook'] ?? {})).toEqual(['put']);
    expect(Object.keys(doc.paths['/partner/webhook/deliveries'] ?? {})).toEqual(['get']);
    expect(Object.keys(doc.paths['/partner/webhook/deliveries/{id}/retry'] ?? {})).toEqual(['post']);
  });
});

describe('webhooks in production', () => {
  it('an endpoint must be https:// (http:// is for development); its secret is sealed under the production keys', async () => {
    const prod = await createTestApp({ env: { NODE_ENV: 'production', PAYMENT_WEBHOOK_SECRET: 'x', OTP_SECRET: 'y', CARD_SIGNING_SEED: 'z', STAFF_API_KEY: 'k', COOKIE_SECRET: 'c' } });
    try {
      const now = prod.clock.now();
      const partner = await createPartner(prod.db, { name: 'PT Mitra Produksi', funding: 'partner' }, now);
      const client = await issueClient(prod.db, partner.id, { scopes: ['webhooks'] }, now);
      if (!client.ok) throw new Error('no client');
      const basic = Buffer.from(`${client.value.clientId}:${client.value.clientSecret}`).toString('base64');
      const token = await prod.app.request('/api/v1/oauth/token', { method: 'POST', headers: { 'content-type': 'application/x-www-form-urlencoded', authorization: `Basic ${basic}` }, body: 'grant_type=client_credentials' });
      const prodAuth = { authorization: `Bearer ${((await token.json()) as { access_token: string }).access_token}` };
      expectError(await prod.request('PUT', '/api/v1/partner/webhook', { url: 'http://mitra.example/hook' }, prodAuth), 422, 'invalid_webhook_url', 'url');
      const ok = await prod.request('PUT', '/api/v1/partner/webhook', { url: 'https://mitra.example/hook' }, prodAuth);
      expect(ok.status).toBe(200);
      const row = await prod.db.selectFrom('webhook_endpoint').select('secret_sealed').executeTakeFirstOrThrow();
      expect(row.secret_sealed).toMatch(/^v1:t1:/);
    } finally {
      await prod.close();
    }
  });
});
