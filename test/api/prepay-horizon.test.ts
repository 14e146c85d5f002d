import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { activeMember, payBill } from '../support/factories.js';
import { createTestApp, type TestApp } from '../support/test-app.js';

let t: TestApp;

beforeAll(async () => {
  t = await createTestApp();
});

afterAll(async () => {
  await t.close();
});

describe('the settlement judges the prepayment horizon by the rule book (prepayHorizonMonths), not a fixed 12 months', () => {
  it('a rule book offering 36-month prepayment settles a bill 24 months ahead that the 12-month book refuses', async () => {
    const m = await activeMember(t);
    const res = await t.post('/api/v1/me/bills', { months: 3 }, m.auth);
    expect(res.status).toBe(201);
    const bill = res.body.bill as { paymentCode: string; amount: number };
    // Its months moved two years on, as in test/api/payments.test.ts (prepay_limit under the default rule book).
    const id = (await t.db.selectFrom('bill').select('id').where('payment_code', '=', bill.paymentCode).executeTakeFirstOrThrow()).id;
    await sql`update bill_line set month = to_char(to_date(month, 'YYYY-MM') + interval '24 months', 'YYYY-MM') where bill_id = ${id}`.execute(t.db);
    const rules = t.deps.rules;
    t.deps.rules = { ...rules, prepaymentOptions: [...rules.prepaymentOptions, 36] };
    try {
      expect((await payBill(t, bill)).body).toEqual({ status: 'applied' });
    } finally {
      t.deps.rules = rules;
    }
  });
});
