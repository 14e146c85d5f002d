import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createApp } from '../../src/app.js';
import { queueAttempts } from '../../src/modules/autodebit/collect.js';
import type { DevDebitProvider } from '../../src/modules/autodebit/debit-provider.js';
import { duesBillId } from '../../src/modules/contributions/dues.js';
import { findJob, scheduleJob } from '../../src/modules/jobs/job-queue.js';
import { runDueJobs } from '../../src/modules/jobs/run-due-jobs.js';
import { getAllBalances } from '../../src/modules/ledger/ledger.js';
import { listStatusChanges } from '../../src/modules/membership/status-changes.js';
import { createLogger } from '../../src/shared/logger.js';
import { expectError } from '../support/api-errors.js';
import { activeMember, latestData, login, payBill } from '../support/factories.js';
import { portalClient, textOf } from '../support/portal-client.js';
import { createTestApp, type TestApp } from '../support/test-app.js';

/**
 * Auto-debit (issue 4 item 4) through the real app with the development clock and the development debit provider
 * (debit-provider.ts: accounts ending 0002 fail with insufficient funds, 0003 fail for good, 0004 lose the connection
 * after charging once). December 2026: dues opened on 1 Dec; due date Tue 15 Dec; retries Wed 16 and Fri 18 Dec
 * (the rule book's +1 and +3 working days).
 */

type Member = Awaited<ReturnType<typeof activeMember>>;
const MANDATES = '/api/v1/me/autodebit-mandates';

async function at(t: TestApp, instant: string): Promise<void> {
  t.clock.set(new Date(instant));
}

async function signIn(t: TestApp, m: Member): Promise<Record<string, string>> {
  m.auth = { authorization: `Bearer ${await login(t, m.person.phone)}` };
  return m.auth;
}

async function participantOf(t: TestApp, m: Member) {
  return t.db.selectFrom('participant').selectAll().where('kpj', '=', m.kpj).executeTakeFirstOrThrow();
}

async function mandate(t: TestApp, m: Member, body: Record<string, string>) {
  const res = await t.request('POST', MANDATES, body, m.auth);
  expect(res.status, JSON.stringify(res.body)).toBe(201);
  return res.body.mandate as { id: string; status: string; accountMasked: string };
}

function devProvider(t: TestApp): DevDebitProvider {
  return t.deps.debit as DevDebitProvider;
}

describe('auto-debit mandates: /api/v1/me/autodebit-mandates', () => {
  let t: TestApp;
  let a: Member;
  let b: Member;
  const logLines: string[] = [];

  beforeAll(async () => {
    t = await createTestApp({ logger: createLogger('debug', (line) => logLines.push(line)) });
    a = await activeMember(t);
    b = await activeMember(t);
  });
  afterAll(async () => t.close());

  it('needs a member session', async () => {
    expectError(await t.get(MANDATES), 401, 'unauthorized');
    expectError(await t.request('POST', MANDATES, { providerKind: 'bank', providerName: 'BCA', accountNumber: '1234567890' }), 401, 'unauthorized');
    expectError(await t.request('DELETE', `${MANDATES}/mdt_x`), 401, 'unauthorized');
    expectError(await t.get(MANDATES, { 'x-api-key': t.config.staffApiKey }), 401, 'unauthorized');
  });

  it('lists none at first, with the banks and e-wallets on offer', async () => {
    const res = await t.get(MANDATES, a.auth);
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({ available: true, mandates: [] });
    expect(res.body.providers.bank).toContain('BCA');
    expect(res.body.providers.ewallet).toContain('GoPay');
  });

  it('refuses an unknown provider, a malformed account, and a bad body', async () => {
    expectError(await t.request('POST', MANDATES, { providerKind: 'bank', providerName: 'Bank Antah', accountNumber: '1234567890' }, a.auth), 422, 'unknown_debit_provider', 'providerName');
    expectError(await t.request('POST', MANDATES, { providerKind: 'ewallet', providerName: 'BCA', accountNumber: '1234567890' }, a.auth), 422, 'unknown_debit_provider', 'providerName');
    expectError(await t.request('POST', MANDATES, { providerKind: 'bank', providerName: 'BCA', accountNumber: '12ab56' }, a.auth), 422, 'invalid_account_number', 'accountNumber');
    expectError(await t.request('POST', MANDATES, { providerKind: 'bank', providerName: 'BCA', accountNumber: '12345' }, a.auth), 422, 'invalid_account_number', 'accountNumber');
    expectError(await t.request('POST', MANDATES, { providerKind: 'ewallet', providerName: 'OVO', accountNumber: '12345' }, a.auth), 422, 'invalid_account_number', 'accountNumber');
    expect((await t.request('POST', MANDATES, { providerKind: 'card', providerName: 'BCA', accountNumber: '1234567890' }, a.auth)).status).toBe(400);
    expect((await t.request('POST', MANDATES, '{"providerKind":', a.auth)).status).toBe(400);
    expect((await t.get(MANDATES, a.auth)).body.mandates).toEqual([]);
  });

  it('registers one mandate (account masked, token never shown or logged), told by email; a second active one is refused', async () => {
    const res = await t.request('POST', MANDATES, { providerKind: 'bank', providerName: 'bca', accountNumber: '1234 5678 90' }, a.auth);
    expect(res.status, JSON.stringify(res.body)).toBe(201);
    expect(res.body.mandate).toMatchObject({ providerKind: 'bank', providerName: 'BCA', accountMasked: '****7890', status: 'active', revokedAt: null });
    expect(res.body.mandate.createdAt).toMatch(/\+07:00$/);
    const row = await t.db.selectFrom('autodebit_mandate').selectAll().where('id', '=', res.body.mandate.id).executeTakeFirstOrThrow();
    expect(JSON.stringify(res.body)).not.toContain(row.token);
    expect(JSON.stringify((await t.get(MANDATES, a.auth)).body)).not.toContain(row.token);
    expect(logLines.join('\n')).not.toContain(row.token);
    expect(logLines.join('\n')).toContain(row.token.slice(-4));

    expectError(await t.request('POST', MANDATES, { providerKind: 'ewallet', providerName: 'GoPay', accountNumber: a.person.phone }, a.auth), 409, 'mandate_exists');
    const mail = (await t.get(`/dev/outbox?to=${encodeURIComponent(a.person.email)}`)).body.messages.find((x: { subject: string }) => x.subject.startsWith('Autodebet iuran diaktifkan'));
    expect(mail?.body).toContain('BCA ****7890');
    expect(mail?.body).not.toContain(row.token);
  });

  it("revokes (idempotently); another member's mandate is unknown to them; then a new one may be registered", async () => {
    const [m] = (await t.get(MANDATES, a.auth)).body.mandates as { id: string }[];
    expectError(await t.request('DELETE', `${MANDATES}/${m!.id}`, undefined, b.auth), 404, 'unknown_mandate', 'id');
    const revoked = await t.request('DELETE', `${MANDATES}/${m!.id}`, undefined, a.auth);
    expect(revoked.status).toBe(200);
    expect(revoked.body.mandate).toMatchObject({ id: m!.id, status: 'revoked' });
    expect(revoked.body.mandate.revokedAt).toMatch(/\+07:00$/);
    expect((await t.request('DELETE', `${MANDATES}/${m!.id}`, undefined, a.auth)).body).toEqual(revoked.body);
    const mails = (await t.get(`/dev/outbox?to=${encodeURIComponent(a.person.email)}`)).body.messages.filter((x: { subject: string }) => x.subject.startsWith('Autodebet iuran dicabut'));
    expect(mails).toHaveLength(1);

    const wallet = await mandate(t, a, { providerKind: 'ewallet', providerName: 'GoPay', accountNumber: a.person.phone });
    expect(wallet.accountMasked).toMatch(/^0812\*{4}\d{4}$/);
    expect((await t.get(MANDATES, a.auth)).body.mandates.map((x: { status: string }) => x.status)).toEqual(['active', 'revoked']);
  });

  it('without a debit provider (production), auto-debit is off: registering answers 503, the collection job charges nothing', async () => {
    const prod = await createTestApp({ env: { NODE_ENV: 'production', PAYMENT_WEBHOOK_SECRET: 'x', OTP_SECRET: 'y', CARD_SIGNING_SEED: 'z', STAFF_API_KEY: 'k', COOKIE_SECRET: 'c' } });
    try {
      expect(prod.deps.debit).toBeNull();
    } finally {
      await prod.close();
    }
    const off = { ...t.deps, debit: null };
    const app = createApp(off, t.clock);
    const post = await app.request(MANDATES, { method: 'POST', headers: { ...b.auth, 'content-type': 'application/json' }, body: JSON.stringify({ providerKind: 'bank', providerName: 'BNI', accountNumber: '9876543210' }) });
    expect(post.status).toBe(503);
    expect(await post.json()).toMatchObject({ error: { code: 'autodebit_unavailable' } });
    const list = await app.request(MANDATES, { headers: b.auth });
    expect(await list.json()).toMatchObject({ available: false, mandates: [] });
    const now = t.clock.now();
    await scheduleJob(t.db, { id: 'autodebit:2026-11:9', kind: 'autodebit', payload: { date: '2026-11-22', month: '2026-11', attempt: 1, attempts: 3, nextAttemptDate: '2026-11-23' }, runAt: now }, now);
    expect((await runDueJobs(off, { recurring: [] })).jobs).toEqual([{ id: 'autodebit:2026-11:9', kind: 'autodebit', outcome: 'done' }]);
    expect((await findJob(t.db, 'autodebit:2026-11:9'))?.progress).toMatchObject({ off: true });
  });
});

describe('auto-debit collection in the monthly cycle (December 2026)', () => {
  let t: TestApp;
  let good: Member; // charged on the due date
  let poor: Member; // insufficient funds every time: retried to the bound, then told to pay manually
  let closed: Member; // account inactive: not retried, told at once
  let flaky: Member; // the connection drops after the charge: asked again with the same reference, charged once
  let revoked: Member; // revoked before the due date
  let selfPaid: Member; // paid the dues bill before the due date
  let noMandate: Member;
  const mandateOf = new Map<Member, string>();

  beforeAll(async () => {
    t = await createTestApp(); // Sun 22 Nov 2026
    [good, poor, closed, flaky, revoked, selfPaid, noMandate] = [
      await activeMember(t),
      await activeMember(t),
      await activeMember(t),
      await activeMember(t),
      await activeMember(t),
      await activeMember(t),
      await activeMember(t),
    ];
    const accounts: [Member, Record<string, string>][] = [
      [good, { providerKind: 'bank', providerName: 'BCA', accountNumber: '1234567890' }],
      [poor, { providerKind: 'bank', providerName: 'BRI', accountNumber: '5555000002' }],
      [closed, { providerKind: 'bank', providerName: 'Mandiri', accountNumber: '7777000003' }],
      [flaky, { providerKind: 'bank', providerName: 'BNI', accountNumber: '8888000004' }],
      [revoked, { providerKind: 'ewallet', providerName: 'DANA', accountNumber: '' }],
      [selfPaid, { providerKind: 'bank', providerName: 'BSI', accountNumber: '1212121212' }],
    ];
    for (const [m, body] of accounts) {
      mandateOf.set(m, (await mandate(t, m, { ...body, accountNumber: body['accountNumber'] || m.person.phone })).id);
    }
  });
  afterAll(async () => t.close());

  async function run(instant: string) {
    await at(t, instant);
    return (await runDueJobs(t.deps, { batchSize: 2 })).jobs;
  }

  async function attemptsOf(m: Member) {
    const rows = await t.db.selectFrom('autodebit_attempt').selectAll().where('mandate_id', '=', mandateOf.get(m)!).orderBy('attempt').execute();
    return rows.map((r) => `${r.month}#${r.attempt}:${r.status}${r.failure_reason ? `:${r.failure_reason}` : ''}${r.settlement ? `:${r.settlement}` : ''}`);
  }

  async function notices(m: Member) {
    const p = await participantOf(t, m);
    return t.db.selectFrom('outbox_message').select(['id', 'channel', 'recipient', 'subject', 'body']).where('id', 'like', `adf:${mandateOf.get(m)!}:%`).where('recipient', 'in', [p.email, p.phone]).orderBy('id').execute();
  }

  async function coveredThrough(m: Member): Promise<string> {
    const res = await t.get(`/api/v1/participants/${m.kpj}`, { 'x-api-key': t.config.staffApiKey });
    return res.body.coveredThrough as string;
  }

  it('before the due date: dues opened on 1 Dec; one member revokes, one pays the dues bill themselves', async () => {
    expect((await run('2026-12-01T08:00:00+07:00')).map((j) => `${j.id}:${j.outcome}`)).toEqual(['cycle:2026-12-01:done', 'dues:2026-12:done', 'status:2026-12-01:done']);
    await at(t, '2026-12-10T09:00:00+07:00');
    await signIn(t, revoked);
    expect((await t.request('DELETE', `${MANDATES}/${mandateOf.get(revoked)!}`, undefined, revoked.auth)).status).toBe(200);
    const bill = await t.db.selectFrom('bill').selectAll().where('id', '=', duesBillId('2026-12', (await participantOf(t, selfPaid)).id)).executeTakeFirstOrThrow();
    expect((await payBill(t, { paymentCode: bill.payment_code, amount: bill.amount })).body).toEqual({ status: 'applied' });
    expect(devProvider(t).charges).toEqual([]);
  });

  it('on the due date (15 Dec) the mandates are charged and the members covered; a lost connection is asked again, charged once', async () => {
    const jobs = await run('2026-12-15T08:00:00+07:00');
    // The flaky charge's outcome was unknown: the job is retried (its other charges are already recorded).
    expect(jobs.map((j) => `${j.id}:${j.outcome}`)).toEqual(['cycle:2026-12-15:done', 'autodebit:2026-12:1:retry', 'reminders:2026-12:due:done', 'status:2026-12-15:done']);
    expect(await attemptsOf(flaky)).toEqual(['2026-12#1:pending']);
    expect(await attemptsOf(good)).toEqual(['2026-12#1:succeeded:applied']);
    expect(await coveredThrough(good)).toBe('2026-12');

    await at(t, '2026-12-15T08:05:00+07:00');
    expect((await runDueJobs(t.deps, { batchSize: 2 })).jobs).toEqual([{ id: 'autodebit:2026-12:1', kind: 'autodebit', outcome: 'done' }]);
    expect(await attemptsOf(flaky)).toEqual(['2026-12#1:succeeded:applied']);
    expect(await coveredThrough(flaky)).toBe('2026-12');

    // Money moved exactly once per member charged, with the deterministic reference.
    const charged = devProvider(t).charges.map((c) => c.reference).sort();
    expect(charged).toEqual([`autodebit:${mandateOf.get(flaky)!}:2026-12:1`, `autodebit:${mandateOf.get(good)!}:2026-12:1`].sort());
    const payment = await t.db.selectFrom('payment').selectAll().where('external_id', '=', `autodebit:${mandateOf.get(good)!}:2026-12`).executeTakeFirstOrThrow();
    expect(payment).toMatchObject({ channel: 'autodebit', amount: 8_400, outcome: 'applied' });

    for (const m of [revoked, selfPaid]) {
      expect(await attemptsOf(m)).toEqual([]);
    }
    expect(await coveredThrough(noMandate)).toBe('2026-11');
    expect(await coveredThrough(revoked)).toBe('2026-11');

    // Charged before the due-date reminder went out: the members who paid by auto-debit get none.
    const goodId = (await participantOf(t, good)).id;
    expect(await t.db.selectFrom('outbox_message').select('id').where('id', 'like', `rem:${goodId}:%`).execute()).toEqual([]);
    const receipt = (await t.get(`/dev/outbox?to=${encodeURIComponent(good.person.email)}`)).body.messages.find((x: { subject: string }) => x.subject.startsWith('Tanda terima iuran'));
    expect(receipt?.body).toContain('Rp8.400');
  });

  it('failures are told once per attempt: a retryable one says when it is tried again, a final one says to pay manually', async () => {
    expect(await attemptsOf(poor)).toEqual(['2026-12#1:failed:insufficient_funds']);
    const poorBill = await t.db.selectFrom('bill').selectAll().where('id', '=', duesBillId('2026-12', (await participantOf(t, poor)).id)).executeTakeFirstOrThrow();
    const [email, sms] = await notices(poor);
    expect(email?.id).toBe(`adf:${mandateOf.get(poor)!}:2026-12:1:email`);
    expect(email?.subject).toBe('Autodebet iuran Desember 2026 gagal — dicoba lagi 16 Desember 2026');
    expect(email?.body).toContain('sebesar Rp8.400 dari BRI ****0002 gagal: saldo tidak cukup.');
    expect(email?.body).toContain('percobaan 2 dari 3');
    expect(email?.body).toContain(poorBill.payment_code);
    expect(sms?.body).toBe(`BPJSTK: autodebet iuran Des 2026 Rp8.400 gagal (saldo tidak cukup). Dicoba lagi 16/12/2026; pastikan saldo cukup. KPJ ${poor.kpj}`);

    expect(await attemptsOf(closed)).toEqual(['2026-12#1:failed:account_inactive']);
    const closedNotices = await notices(closed);
    expect(closedNotices.map((n) => n.channel)).toEqual(['email', 'sms']);
    expect(closedNotices[0]?.subject).toBe('Autodebet iuran Desember 2026 gagal — mohon bayar manual');
    expect(closedNotices[0]?.body).toContain('Autodebet tidak dapat dicoba lagi untuk bulan ini.');
    const closedBill = await t.db.selectFrom('bill').selectAll().where('id', '=', duesBillId('2026-12', (await participantOf(t, closed)).id)).executeTakeFirstOrThrow();
    expect(closedNotices[1]?.body).toBe(`BPJSTK: autodebet iuran Des 2026 Rp8.400 gagal (rekening tidak aktif). Bayar manual, kode bayar ${closedBill.payment_code} sblm 15/03/2027. KPJ ${closed.kpj}`);
    for (const n of [sms, closedNotices[1]]) {
      expect(n!.body.length).toBeLessThanOrEqual(160);
    }
  });

  it('re-running the attempt charges nobody twice and tells nobody twice', async () => {
    const before = { charges: devProvider(t).charges.length, payments: (await t.db.selectFrom('payment').select('id').execute()).length, adf: (await t.db.selectFrom('outbox_message').select('id').where('id', 'like', 'adf:%').execute()).length };
    expect(await run('2026-12-15T13:00:00+07:00')).toEqual([]);
    const now = t.clock.now();
    await scheduleJob(t.db, { id: 'autodebit:2026-12:1:rerun', kind: 'autodebit', payload: { date: '2026-12-15', month: '2026-12', attempt: 1, attempts: 3, nextAttemptDate: '2026-12-16' }, runAt: now }, now);
    expect((await runDueJobs(t.deps, { recurring: [], batchSize: 2 })).jobs.map((j) => j.outcome)).toEqual(['done']);
    const after = { charges: devProvider(t).charges.length, payments: (await t.db.selectFrom('payment').select('id').execute()).length, adf: (await t.db.selectFrom('outbox_message').select('id').where('id', 'like', 'adf:%').execute()).length };
    expect(after).toEqual(before);
  });

  it('retries up to the bound (16 and 18 Dec), then tells the member to pay manually; nothing after the last attempt', async () => {
    await run('2026-12-16T08:00:00+07:00');
    await run('2026-12-16T20:00:00+07:00');
    expect(await attemptsOf(poor)).toEqual(['2026-12#1:failed:insufficient_funds', '2026-12#2:failed:insufficient_funds']);
    expect(await attemptsOf(closed)).toEqual(['2026-12#1:failed:account_inactive']); // not retried
    expect(await attemptsOf(good)).toEqual(['2026-12#1:succeeded:applied']);
    expect((await notices(poor)).map((n) => n.id.split(':').slice(-2).join(':'))).toEqual(['1:email', '1:sms', '2:email', '2:sms']);
    expect((await notices(poor))[3]?.body).toContain('Dicoba lagi 18/12/2026');

    await run('2026-12-17T08:00:00+07:00');
    await run('2026-12-18T08:00:00+07:00');
    await run('2026-12-18T18:00:00+07:00');
    expect(await attemptsOf(poor)).toEqual(['2026-12#1:failed:insufficient_funds', '2026-12#2:failed:insufficient_funds', '2026-12#3:failed:insufficient_funds']);
    const last = (await notices(poor)).filter((n) => n.id.includes(':2026-12:3:'));
    expect(last.map((n) => n.channel)).toEqual(['email', 'sms']);
    expect(last[0]?.subject).toBe('Autodebet iuran Desember 2026 gagal — mohon bayar manual');
    expect(last[0]?.body).toContain('Ini percobaan terakhir: autodebet tidak dicoba lagi untuk bulan ini.');
    expect(last[0]?.body).toContain('Mohon bayar manual dengan kode bayar');
    expect(last[1]?.body).toContain('Bayar manual, kode bayar');

    for (const day of ['2026-12-19', '2026-12-21', '2026-12-24', '2026-12-28']) {
      await run(`${day}T08:00:00+07:00`);
    }
    expect(await attemptsOf(poor)).toHaveLength(3);
    expect(await notices(poor)).toHaveLength(6);
    expect(await notices(closed)).toHaveLength(2);
    expect(devProvider(t).charges).toHaveLength(2);
    expect((await t.db.selectFrom('job').select('id').where('kind', '=', 'autodebit').where('id', 'like', 'autodebit:2026-12:_').orderBy('id').execute()).map((j) => j.id)).toEqual([
      'autodebit:2026-12:1',
      'autodebit:2026-12:2',
      'autodebit:2026-12:3',
    ]);

    // The members charged never fell into arrears; the ones whose debit failed did, and can still pay manually.
    expect(await listStatusChanges(t.db, (await participantOf(t, good)).id)).toEqual([]);
    expect((await listStatusChanges(t.db, (await participantOf(t, poor)).id)).map((c) => `${c.to_status}:${c.effective_date}`)).toEqual(['arrears:2026-12-16']);
    const poorBill = await t.db.selectFrom('bill').selectAll().where('id', '=', duesBillId('2026-12', (await participantOf(t, poor)).id)).executeTakeFirstOrThrow();
    expect((await payBill(t, { paymentCode: poorBill.payment_code, amount: poorBill.amount })).body).toEqual({ status: 'applied' });
  });

  it('a mandate revoked after its attempt was recorded, but before the provider was called, is not charged', async () => {
    await run('2027-01-01T08:00:00+07:00'); // January's dues
    await at(t, '2027-01-15T07:30:00+07:00');
    const now = t.clock.now();
    const queued = await t.db.transaction().execute((trx) => queueAttempts(trx, { cursor: '', limit: 100, month: '2027-01', attempt: 1, now }));
    expect(queued.queued).toBeGreaterThanOrEqual(1);
    await signIn(t, good);
    expect((await t.request('DELETE', `${MANDATES}/${mandateOf.get(good)!}`, undefined, good.auth)).status).toBe(200);
    const chargesBefore = devProvider(t).charges.length;
    await run('2027-01-15T08:00:00+07:00');
    await run('2027-01-15T08:05:00+07:00'); // flaky's retry
    expect(await findJob(t.db, 'autodebit:2027-01:1')).toMatchObject({ status: 'done', progress: { cancelled: 1 } });
    expect(await attemptsOf(good)).toEqual(['2026-12#1:succeeded:applied', '2027-01#1:cancelled:mandate_revoked']);
    // The others were charged as usual (January's references); good was not.
    expect(devProvider(t).charges.slice(chargesBefore).map((c) => c.reference)).not.toContain(`autodebit:${mandateOf.get(good)!}:2027-01:1`);
    expect(await coveredThrough(good)).toBe('2026-12');
  });

  it('ledger: debits equal credits; the auto-debit clearing account owes exactly what was charged', async () => {
    const balances = await getAllBalances(t.db);
    expect([...balances.values()].reduce((x, y) => x + y, 0)).toBe(0);
    const charged = devProvider(t).charges.reduce((s, c) => s + c.amount, 0);
    expect(charged).toBe(4 * 8_400); // December: good and flaky; January: flaky and selfPaid
    expect(balances.get('clearing:autodebit')).toBe(-charged);
    expect(balances.get('suspense') ?? 0).toBe(0);
    const applied = (await t.db.selectFrom('payment').select('amount').where('outcome', '=', 'applied').execute()).reduce((s, p) => s + Number(p.amount), 0);
    const toFunds = [...balances].filter(([k]) => k.startsWith('program:') || k.startsWith('jht:')).reduce((s, [, v]) => s + v, 0);
    expect(toFunds).toBe(applied);
  });
});

describe('the auto-debit page (/akun/autodebet), without JavaScript', () => {
  let t: TestApp;
  let member: Member;
  let client: ReturnType<typeof portalClient>;

  beforeAll(async () => {
    t = await createTestApp();
    member = await activeMember(t);
    client = portalClient(t);
    t.clock.advance(2 * 60_000); // past the login OTP's resend cooldown
    const sent = await client.submit('/masuk', '/masuk', { phone: member.person.phone }, { follow: false });
    expect(sent.location).toBe('/masuk/kode');
    const done = await client.submit('/masuk/kode', '/masuk/kode', { code: await latestData(t, member.person.phone, 'otp') }, { follow: false });
    expect(done.location).toBe('/akun');
  });
  afterAll(async () => t.close());

  it('is linked from the member area and needs a session', async () => {
    expect((await client.get('/akun')).html).toContain('href="/akun/autodebet"');
    const anonymous = portalClient(t);
    expect((await anonymous.get('/akun/autodebet')).location).toBe('/masuk');
  });

  it('registers a mandate with a CSRF-protected form; errors are shown on their field; English on request', async () => {
    const page = await client.get('/akun/autodebet');
    expect(page.status).toBe(200);
    expect(textOf(page.html)).toContain('Aktifkan autodebet');
    expect(textOf(page.html)).toContain('sampai 2 kali');
    expect(page.html.length).toBeLessThan(50_000);

    // Without the page's CSRF token nothing happens.
    const forged = await client.post('/akun/autodebet', { provider: 'bank:BCA', accountNumber: '1234567890' });
    expect(forged.status).toBe(403);
    expect(await t.db.selectFrom('autodebit_mandate').select('id').execute()).toEqual([]);

    // Post/Redirect/Get (issue 18 item 2): 303 to the page, which shows the field error with 422.
    const posted = await client.submit('/akun/autodebet', '/akun/autodebet', { provider: 'bank:BCA', accountNumber: '12' }, { follow: false });
    expect(posted.status).toBe(303);
    const bad = await client.open(posted.location as string);
    expect(bad.status).toBe(422);
    expect(textOf(bad.html)).toContain('Nomor rekening tidak valid');
    expect(bad.html).toContain('aria-invalid="true"');

    const ok = await client.submit('/akun/autodebet', '/akun/autodebet', { provider: 'bank:BCA', accountNumber: '1234567890' });
    expect(ok.status).toBe(200);
    expect(textOf(ok.html)).toContain('Autodebet aktif.');
    expect(textOf(ok.html)).toContain('BCA ****7890');
    expect(ok.html).toContain('action="/akun/autodebet/cabut"');

    const en = await client.open('/akun/autodebet?lang=en');
    expect(textOf(en.html)).toContain('Active mandate');
    expect(textOf(en.html)).toContain('Revoke the auto-debit mandate');
    await client.open('/akun/autodebet?lang=id');
  });

  it('revokes the mandate, after which the register form is back', async () => {
    const page = await client.submit('/akun/autodebet', '/akun/autodebet/cabut', { id: (await t.db.selectFrom('autodebit_mandate').select('id').executeTakeFirstOrThrow()).id });
    expect(page.status).toBe(200);
    expect(textOf(page.html)).toContain('Mandat autodebet sudah dicabut.');
    expect(page.html).toContain('action="/akun/autodebet"');
    expect(await t.db.selectFrom('autodebit_mandate').select('status').execute()).toEqual([{ status: 'revoked' }]);
  });
});
