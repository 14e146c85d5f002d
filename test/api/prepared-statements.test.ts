import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { findVaPaymentTarget } from '../../src/modules/contributions/bills.js';
import { applyPaymentNotification } from '../../src/modules/payments/apply-payment.js';
import { makePerson, nextExternalId, registerVerified } from '../support/factories.js';
import { createTestApp, type TestApp } from '../support/test-app.js';

/**
 * Statements whose text starts with `/* prepared:NAME *\/` (the settlement calls, the VA inquiry) run as node-postgres
 * named prepared statements (src/db/kysely-pool.ts): parsed and planned once per connection, then only executed.
 * PostgreSQL lists a session's named statements in `pg_prepared_statements`; unmarked statements never appear there.
 */
let t: TestApp;
beforeAll(async () => {
  t = await createTestApp();
});
afterAll(async () => t.close());

async function openBill() {
  const registrationId = await registerVerified(t, makePerson());
  const res = await t.post(`/api/v1/registrations/${registrationId}/submit`, { programs: ['JKK', 'JKM'], declaredIncome: 1_000_000, months: 1 });
  expect(res.status, JSON.stringify(res.body)).toBe(201);
  return res.body.bill as { paymentCode: string; amount: number };
}

describe('a statement marked /* prepared:NAME */', () => {
  it('runs as the named prepared statement of its session, prepared once and executed each time; unmarked statements are not prepared', async () => {
    const bills = [await openBill(), await openBill()];
    // One transaction is one session: the settlement joins the caller's transaction (no group commit there).
    const prepared = await t.db.transaction().execute(async (trx) => {
      const deps = { ...t.deps, db: trx };
      for (const bill of bills) {
        const outcome = await applyPaymentNotification(deps, { externalId: nextExternalId(), paymentCode: bill.paymentCode, amount: bill.amount, channel: 'va', paidAt: t.clock.now() });
        expect(outcome.ok && outcome.value.status).toBe('applied');
      }
      const target = await findVaPaymentTarget(trx, { kpj: null, externalId: nextExternalId(), now: t.clock.now() });
      expect(target.participant).toBeNull();
      await trx.selectFrom('bill').select('status').where('payment_code', '=', bills[0]!.paymentCode).execute();
      const rows = await sql<{ name: string; statement: string; runs: number }>`
        select name, statement, (generic_plans + custom_plans)::int as runs from pg_prepared_statements order by name`.execute(trx);
      return rows.rows;
    });
    expect(prepared.map((p) => [p.name, p.runs])).toEqual([
      ['lindung_apply_payment', 2],
      ['lindung_va_payment_target', 1],
    ]);
    expect(prepared[0]!.statement).toMatch(/^\/\* prepared:lindung_apply_payment \*\/\s+select lindung_apply_payment\(\$1, \$2/);
    // The payments were committed with the transaction, as the channel would see them.
    for (const bill of bills) {
      expect((await t.get(`/api/v1/bills/${bill.paymentCode}`)).body.status).toBe('paid');
    }
  });
});
