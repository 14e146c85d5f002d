import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { applyPaymentNotification, type PaymentNotification } from '../../src/modules/payments/apply-payment.js';
import { createLogger } from '../../src/shared/logger.js';
import { makePerson, nextExternalId, registerVerified } from '../support/factories.js';
import { sampleOf, scrapeMetrics } from '../support/metrics.js';
import { createTestApp, type TestApp } from '../support/test-app.js';

/**
 * Group commit of bill payments (src/modules/payments/settlement.ts): notifications that arrive while a
 * settlement runs are settled together in one transaction, each decided as if it came alone, in arrival order; a
 * batch that fails is settled again one notification at a time, so one bad notification never takes others down.
 */
const logs: string[] = [];
let t: TestApp;
let single: TestApp;
beforeAll(async () => {
  [t, single] = await Promise.all([
    createTestApp({ logger: createLogger('warn', (line) => logs.push(line)) }),
    createTestApp({ env: { SETTLEMENT_BATCH_SIZE: '1' } }),
  ]);
});
afterAll(async () => Promise.all([t.close(), single.close()]));

async function openBills(app: TestApp, n: number) {
  const bills: { paymentCode: string; amount: number }[] = [];
  for (let i = 0; i < n; i++) {
    const registrationId = await registerVerified(app, makePerson());
    const res = await app.post(`/api/v1/registrations/${registrationId}/submit`, { programs: ['JKK', 'JKM'], declaredIncome: 1_000_000, months: 1 });
    expect(res.status, JSON.stringify(res.body)).toBe(201);
    bills.push(res.body.bill);
  }
  return bills;
}

function notification(app: TestApp, bill: { paymentCode: string; amount: number }, overrides: Partial<PaymentNotification> = {}): PaymentNotification {
  return { externalId: nextExternalId(), paymentCode: bill.paymentCode, amount: bill.amount, channel: 'va', paidAt: app.clock.now(), ...overrides };
}

/** How many transactions wrote these payments (each row's xmin is the id of the transaction that inserted it). */
async function transactionsOf(app: TestApp, externalIds: string[]): Promise<number> {
  const r = await sql<{ n: number }>`select count(distinct xmin::text)::int as n from payment where external_id in (${sql.join(externalIds)})`.execute(app.db);
  return r.rows[0]!.n;
}

describe('payment notifications that arrive together are settled in one transaction', () => {
  it('over HTTP: 24 channels paying at once — all applied, in fewer commits than payments', async () => {
    const bills = await openBills(t, 24);
    const bodies = bills.map((b) => ({ ...notification(t, b), paidAt: t.clock.now().toISOString() }));
    const before = await scrapeMetrics(t);
    const results = await Promise.all(bodies.map((b) => t.notify(b)));
    expect(results.map((r) => `${r.status}:${r.body.status}`)).toEqual(bodies.map(() => '200:applied'));
    const commits = await transactionsOf(t, bodies.map((b) => b.externalId));
    expect(commits).toBeGreaterThanOrEqual(1);
    expect(commits).toBeLessThan(bodies.length);
    // GET /metrics saw the same: as many settlement transactions as commits, holding the 24 payments between them.
    const after = await scrapeMetrics(t);
    const moved = (key: string) => sampleOf(after, key) - sampleOf(before, key);
    expect(moved('lindung_settlement_batch_size_count')).toBe(commits);
    expect(moved('lindung_settlement_batch_size_sum')).toBe(bodies.length);
    expect(moved('lindung_settlement_batch_size_bucket{le="1"}')).toBeLessThan(commits);
    for (const b of bills) {
      const bill = await t.get(`/api/v1/bills/${b.paymentCode}`);
      expect(bill.body.status).toBe('paid');
    }
  });

  it('each is decided as if alone, in arrival order: a repeat is a duplicate, a second payment of a bill goes to suspense', async () => {
    const [a, b, c] = await openBills(t, 3);
    const first = notification(t, a!);
    const batch = [
      notification(t, c!), // starts alone: nothing else is running yet
      first,
      { ...first }, // the same notification again
      { ...first, amount: first.amount + 1 }, // same externalId, other content
      notification(t, a!, { channel: 'qris' }), // a second payment of bill a
      notification(t, b!, { amount: b!.amount - 1 }), // short
      notification(t, b!), // then exact
      notification(t, b!, { amount: b!.amount + 5_000 }), // b already paid by now
    ];
    const outcomes = await Promise.all(batch.map((n) => applyPaymentNotification(t.deps, n)));
    expect(outcomes.map((o) => (o.ok ? `${o.value.status}${o.value.status === 'unmatched' ? `:${o.value.reason}` : ''}` : o.code))).toEqual([
      'applied',
      'applied',
      'duplicate',
      'external_id_conflict',
      'unmatched:bill_already_paid',
      'unmatched:amount_mismatch',
      'applied',
      'unmatched:bill_already_paid',
    ]);
    // The first went alone; the seven that queued behind it went in one transaction.
    expect(await transactionsOf(t, [batch[0]!.externalId])).toBe(1);
    expect(await transactionsOf(t, batch.slice(1).map((n) => n.externalId))).toBe(1);
    expect(await transactionsOf(t, batch.map((n) => n.externalId))).toBe(2);
  });

  it('SETTLEMENT_BATCH_SIZE=1: each payment is its own transaction', async () => {
    const bills = await openBills(single, 6);
    const batch = bills.map((b) => notification(single, b));
    const outcomes = await Promise.all(batch.map((n) => applyPaymentNotification(single.deps, n)));
    expect(outcomes.map((o) => o.ok && o.value.status)).toEqual(batch.map(() => 'applied'));
    expect(await transactionsOf(single, batch.map((n) => n.externalId))).toBe(6);
  });
});

describe('a batch that fails is settled one notification at a time', () => {
  it('a notification the database refuses fails alone; its batch-mates are applied; a retry after the fault applies it', async () => {
    // Fault injection: the database refuses one externalId (as a broken row or a deadlock would refuse a transaction).
    const poisoned = nextExternalId();
    await sql
      .raw(
        `create function test_refuse_payment() returns trigger language plpgsql as $$
         begin if new.external_id = '${poisoned}' then raise exception 'refused for the test'; end if; return new; end $$;
         create trigger test_refuse_payment before insert on payment for each row execute function test_refuse_payment();`,
      )
      .execute(t.db);
    const bills = await openBills(t, 5);
    const batch = bills.map((b, i) => notification(t, b, i === 3 ? { externalId: poisoned } : {}));
    logs.length = 0;
    const settled = await Promise.allSettled(batch.map((n) => applyPaymentNotification(t.deps, n)));
    expect(settled.map((s) => (s.status === 'fulfilled' && s.value.ok ? s.value.value.status : s.status))).toEqual(['applied', 'applied', 'applied', 'rejected', 'applied']);
    expect(logs.some((l) => l.includes('payment batch failed'))).toBe(true);
    // Nothing of the refused one was written: no payment, the bill still open, no rupiah anywhere.
    expect(await t.db.selectFrom('payment').select('id').where('external_id', '=', poisoned).execute()).toHaveLength(0);
    expect((await t.get(`/api/v1/bills/${bills[3]!.paymentCode}`)).body.status).toBe('open');
    // Over HTTP the channel is told to retry (5xx, never a silent 200) and the retry after the fault settles it.
    const body = { ...batch[3]!, paidAt: batch[3]!.paidAt.toISOString() };
    expect((await t.notify(body)).status).toBe(500);
    await sql.raw('drop trigger test_refuse_payment on payment; drop function test_refuse_payment();').execute(t.db);
    const retry = await t.notify(body);
    expect(retry.status).toBe(200);
    expect(retry.body.status).toBe('applied');
    expect((await t.get(`/api/v1/bills/${bills[3]!.paymentCode}`)).body.status).toBe('paid');
  });
});
