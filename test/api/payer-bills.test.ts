import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runDueJobs } from '../../src/modules/jobs/index.js';
import { getAllBalances } from '../../src/modules/ledger/ledger.js';
import { fanOutPayerBill, openPayerBill, payerBillView, type OpenPayerBillInput } from '../../src/modules/payer-bills/index.js';
import { makePerson, nextExternalId, registerVerified, type Person } from '../support/factories.js';
import { createTestApp, type TestApp } from '../support/test-app.js';

/**
 * Collective bills (issue 17, src/modules/payer-bills): one payment code over many members' first bills, paid through
 * the normal notification endpoint, fanned out by the job to every member bill through the settlement engine.
 * Runs on PGlite and, with DATABASE_URL, on PostgreSQL. Tests share one database, in order: the ledger checks at the
 * end hold over all of them.
 */
let t: TestApp;
beforeAll(async () => {
  t = await createTestApp();
});
afterAll(async () => t.close());

let seq = 0;

/** A verified registration submitted through the app: its open first bill. */
async function memberBill(person: Person = makePerson()): Promise<{ registrationId: string; id: string; paymentCode: string; amount: number }> {
  const registrationId = await registerVerified(t, person);
  const res = await t.post(`/api/v1/registrations/${registrationId}/submit`, { programs: ['JKK', 'JKM'], declaredIncome: 1_000_000, months: 1 });
  expect(res.status, JSON.stringify(res.body)).toBe(201);
  return { registrationId, ...(res.body.bill as { id: string; paymentCode: string; amount: number }) };
}

async function open(bills: { id: string }[], overrides: Partial<OpenPayerBillInput> = {}) {
  seq += 1;
  const input: OpenPayerBillInput = {
    id: `batch:test-${seq}`,
    payerId: 'partner:ojol',
    purpose: 'enrolment',
    label: `Pendaftaran batch ${seq} — PT Ojol`,
    memberBillIds: bills.map((b) => b.id),
    expiresAt: new Date(t.clock.now().getTime() + 3 * 86_400_000),
    ...overrides,
  };
  return t.deps.db.transaction().execute((trx) => openPayerBill(trx, t.deps, input));
}

function pay(code: string, amount: number) {
  return t.notify({ externalId: nextExternalId(), paymentCode: code, amount, channel: 'va', paidAt: t.clock.now().toISOString() });
}

function runJobs() {
  return runDueJobs(t.deps, { recurring: [], batchSize: 2 });
}

async function registrationStatuses(ids: string[]): Promise<string[]> {
  const rows = await t.db.selectFrom('registration').select(['status', 'participant_id']).where('id', 'in', ids).execute();
  return rows.map((r) => `${r.status}:${r.participant_id === null ? 'none' : 'participant'}`);
}

describe('collective bills', () => {
  it('opens one code over many member bills (the sum; idempotent by id), pays it once, and the job activates every member', async () => {
    const bills = [await memberBill(), await memberBill(), await memberBill()];
    const total = bills.reduce((s, b) => s + b.amount, 0);
    const opened = await open(bills);
    expect(opened).toMatchObject({ amount: total, status: 'open' });
    expect(opened.paymentCode).toMatch(/^9\d{15}$/);
    const again = await t.deps.db.transaction().execute((trx) =>
      openPayerBill(trx, t.deps, { id: opened.id, payerId: 'x', purpose: 'roster', label: 'x', memberBillIds: [], expiresAt: new Date() }),
    );
    expect(again).toEqual(opened);

    const once = { externalId: nextExternalId(), paymentCode: opened.paymentCode, amount: total, channel: 'va', paidAt: t.clock.now().toISOString() };
    expect((await t.notify(once)).body).toEqual({ status: 'applied' });
    expect((await t.notify(once)).body).toEqual({ status: 'duplicate' });
    expect((await pay(opened.paymentCode, total)).body).toEqual({ status: 'unmatched', reason: 'bill_already_paid' });
    const collective = await t.db.selectFrom('payment').select(['outcome']).where('payment_code', '=', opened.paymentCode).execute();
    expect(collective.map((p) => p.outcome).sort()).toEqual(['applied', 'unmatched']);
    expect((await payerBillView(t.db, opened.id, t.clock.now()))).toMatchObject({ status: 'settling', members: { total: 3, settled: 0, pending: 3 } });

    const { jobs } = await runJobs();
    expect(jobs.filter((j) => j.kind === 'payer_bill_fanout').map((j) => j.outcome)).toEqual(['done']);
    expect(await registrationStatuses(bills.map((b) => b.registrationId))).toEqual(['completed:participant', 'completed:participant', 'completed:participant']);
    const view = await payerBillView(t.db, opened.id, t.clock.now());
    expect(view).toMatchObject({ status: 'paid', amount: total, members: { total: 3, settled: 3, unmatched: 0, pending: 0 } });
    for (const b of bills) {
      expect((await t.get(`/api/v1/bills/${b.paymentCode}`)).body.status).toBe('paid');
    }
    // a second run settles nothing twice
    await runJobs();
    const shares = await t.db.selectFrom('payment').select(['external_id']).where('channel', '=', 'payer').where('external_id', 'like', `${view!.paymentId}:%`).execute();
    expect(shares).toHaveLength(3);
  });

  it('a short amount is unmatched (amount_mismatch) and the collective stays open', async () => {
    const bills = [await memberBill(), await memberBill()];
    const opened = await open(bills);
    expect((await pay(opened.paymentCode, opened.amount - 1)).body).toEqual({ status: 'unmatched', reason: 'amount_mismatch' });
    expect(await payerBillView(t.db, opened.id, t.clock.now())).toMatchObject({ status: 'open', paidAt: null });
  });

  it('a member bill linked to a collective cannot be paid on its own (bill_paid_by_payer), nor joined to a second one', async () => {
    const bill = await memberBill();
    await open([bill]);
    expect((await pay(bill.paymentCode, bill.amount)).body).toEqual({ status: 'unmatched', reason: 'bill_paid_by_payer' });
    await expect(open([bill])).rejects.toMatchObject({ code: 'payer_bill_member_unavailable' });
    await expect(open([])).rejects.toMatchObject({ code: 'payer_bill_empty' });
  });

  it('an expired collective is shown expired and refuses a payment after its expiry', async () => {
    const opened = await open([await memberBill()], { expiresAt: new Date(t.clock.now().getTime() + 60_000) });
    t.clock.advance(120_000);
    expect((await payerBillView(t.db, opened.id, t.clock.now()))?.status).toBe('expired');
    expect((await pay(opened.paymentCode, opened.amount)).body).toEqual({ status: 'unmatched', reason: 'bill_expired' });
  });

  it('a fan-out cut off after one chunk resumes in the job; a member bill that can no longer settle goes to suspense, counted', async () => {
    const bills = [await memberBill(), await memberBill(), await memberBill(), await memberBill(), await memberBill()];
    const opened = await open(bills);
    // one registration is submitted again meanwhile: its linked bill is replaced and can no longer settle
    const replaced = bills[4]!;
    expect((await t.post(`/api/v1/registrations/${replaced.registrationId}/submit`, { programs: ['JKK', 'JKM'], declaredIncome: 1_000_000, months: 1 })).status).toBe(201);
    expect((await pay(opened.paymentCode, opened.amount + 500)).body).toEqual({ status: 'applied' });

    const partial = await fanOutPayerBill(t.deps, opened.id, { chunkSize: 2, maxChunks: 1 });
    expect(partial).toMatchObject({ chunks: 1, applied: 2, finished: false });
    expect(await payerBillView(t.db, opened.id, t.clock.now())).toMatchObject({ status: 'settling', members: { settled: 2, pending: 3 } });

    await runJobs();
    const view = await payerBillView(t.db, opened.id, t.clock.now());
    expect(view).toMatchObject({ status: 'paid', members: { total: 5, settled: 4, unmatched: 1, pending: 0 } });
    const unmatched = await t.db.selectFrom('payment').select(['unmatched_reason']).where('external_id', '=', `${view!.paymentId}:${replaced.id}`).executeTakeFirstOrThrow();
    expect(unmatched.unmatched_reason).toBe('bill_replaced');
    const shares = await t.db.selectFrom('payment').select(({ fn }) => fn.countAll<number>().as('n')).where('external_id', 'like', `${view!.paymentId}:%`).executeTakeFirstOrThrow();
    expect(Number(shares.n)).toBe(5);
  });

  it('concurrent payments of one collective code: one applied, the others bill_already_paid; a linked bill paid in a group-commit batch is still refused', async () => {
    const [linked, free] = [await memberBill(), await memberBill()];
    const opened = await open([await memberBill(), linked]);
    const results = await Promise.all([
      ...Array.from({ length: 4 }, () => pay(opened.paymentCode, opened.amount)),
      pay(linked.paymentCode, linked.amount),
      pay(free.paymentCode, free.amount),
    ]);
    const bodies = results.map((r) => r.body as { status: string; reason?: string });
    expect(bodies.slice(0, 4).filter((b) => b.status === 'applied')).toHaveLength(1);
    expect(bodies.slice(0, 4).filter((b) => b.reason === 'bill_already_paid')).toHaveLength(3);
    expect(bodies[4]).toEqual({ status: 'unmatched', reason: 'bill_paid_by_payer' });
    expect(bodies[5]).toEqual({ status: 'applied' });
    await runJobs();
    expect(await payerBillView(t.db, opened.id, t.clock.now())).toMatchObject({ status: 'paid', members: { total: 2, settled: 2 } });
  });

  it('a member whose NIK became a member meanwhile: that share is unmatched (bill_already_paid) into suspense, the others settle', async () => {
    const person = makePerson();
    const first = await memberBill(person);
    const other = await memberBill();
    const opened = await open([first, other]);
    // the same worker registers again on their own and pays that bill: they are a member before the fan-out
    const own = await memberBill(person);
    expect((await pay(own.paymentCode, own.amount)).body).toEqual({ status: 'applied' });
    expect((await pay(opened.paymentCode, opened.amount)).body).toEqual({ status: 'applied' });
    await runJobs();
    const view = await payerBillView(t.db, opened.id, t.clock.now());
    expect(view).toMatchObject({ status: 'paid', members: { total: 2, settled: 1, unmatched: 1, pending: 0 } });
    const share = await t.db.selectFrom('payment').select(['unmatched_reason']).where('external_id', '=', `${view!.paymentId}:${first.id}`).executeTakeFirstOrThrow();
    expect(share.unmatched_reason).toBe('bill_already_paid');
  });

  it('per collective: the payer_collective transfer equals its amount, the shares drain clearing:payer exactly, the excess is in suspense', async () => {
    const { rows } = await sql<{ id: string; amount: number | string; paid: number | string; into_payer: number | string; out_of_payer: number | string; excess: number | string }>`
      select pb.id, pb.amount, p.amount as paid,
             (select coalesce(sum(amount), 0) from ledger_transfer where ref = pb.payment_id and code = 'payer_collective') as into_payer,
             (select coalesce(sum(t.amount), 0) from ledger_transfer t join payment s on s.id = t.ref
               where s.external_id like pb.payment_id || ':%' and t.debit_account = 'clearing:payer') as out_of_payer,
             (select coalesce(sum(amount), 0) from ledger_transfer where ref = pb.payment_id and code = 'payer_excess') as excess
        from payer_bill pb join payment p on p.id = pb.payment_id`.execute(t.db);
    expect(rows.length).toBeGreaterThanOrEqual(4);
    for (const r of rows) {
      expect(Number(r.into_payer), r.id).toBe(Number(r.amount));
      expect(Number(r.out_of_payer), r.id).toBe(Number(r.amount));
      expect(Number(r.excess), r.id).toBe(Number(r.paid) - Number(r.amount));
    }
  });

  it('the ledger balances and clearing:payer nets to 0 once every fan-out is done', async () => {
    const balances = await getAllBalances(t.db);
    expect(balances.get('clearing:payer') ?? 0).toBe(0);
    expect([...balances.values()].reduce((s, v) => s + v, 0)).toBe(0);
    const { rows } = await sql<{ n: string | number }>`select count(*) as n from payer_bill where status = 'settling'`.execute(t.db);
    expect(Number(rows[0]!.n)).toBe(0);
  });
});
