import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { BANK, claimsTestApp, fileMemberClaim, fileStaffClaim, jhtBalance, jhtClaimBody, jhtMember, verifyAndApprove, type ClaimsStaff } from '../support/claims.js';
import type { TestApp } from '../support/test-app.js';

/**
 * Each claim type from filing to `paid` through the real app only (api-contract.md "Claims"; issue 15 acceptance):
 * the member or the counter files, two officers decide, `POST /dev/jobs/run` sends the payout through the development
 * disbursement stand-in, and the member's view shows the claim paid with its payout. The ledger then holds, per claim,
 * the benefit into payout_clearing and the same amount out of it to the provider's bank: payout_clearing nets to 0.
 */
let t: TestApp;
let staff: ClaimsStaff;
beforeAll(async () => {
  ({ t, staff } = await claimsTestApp());
});
afterAll(async () => t.close());

async function payoutsRun(): Promise<string[]> {
  const run = await t.post('/dev/jobs/run');
  expect(run.status).toBe(200);
  return (run.body.ran as string[]).filter((id) => id.startsWith('payouts:'));
}

async function clearingMovements(claimId: string) {
  const { rows } = await sql<{ code: string; debit_account: string; credit_account: string; amount: string }>`
    select code, debit_account, credit_account, amount from ledger_transfer
     where ref in (${`claim:${claimId}`}, ${claimId}) and (debit_account = 'payout_clearing' or credit_account = 'payout_clearing')
     order by code`.execute(t.db);
  return rows.map((r) => ({ code: r.code, from: r.debit_account, to: r.credit_account, amount: Number(r.amount) }));
}

describe('filing to paid, each type', () => {
  it('JHT (member, full withdrawal): paid to the bank, the JHT balance 0, the member sees it paid', async () => {
    const m = await jhtMember(t);
    const id = (await fileMemberClaim(t, m.auth, jhtClaimBody())).body.id as string;
    const approved = await verifyAndApprove(t, staff, id);
    const total = approved.body.total as number;
    expect(approved.body.payout).toEqual({ status: 'pending', amount: total });

    expect((await payoutsRun()).length).toBe(1);
    const seen = await t.get(`/api/v1/me/claims/${id}`, m.auth);
    expect(seen.body).toMatchObject({ id, type: 'JHT', status: 'paid', total, payout: { status: 'paid', amount: total } });
    expect(seen.body.history.map((h: { status: string }) => h.status)).toEqual(['submitted', 'verified', 'approved', 'paid']);
    expect(await jhtBalance(t, m.auth)).toBe(0);
    expect(await clearingMovements(id)).toEqual([
      { code: 'claim_benefit', from: `jht:${m.kpj}`, to: 'payout_clearing', amount: total },
      { code: 'payout', from: 'payout_clearing', to: 'disbursement:dev', amount: total },
    ]);
  });

  it('JKK (the member reports an accident; the officer assesses STMB and care): paid from the JKK benefit account', async () => {
    const m = await jhtMember(t);
    const at = t.clock.now().toISOString();
    t.clock.set(new Date(t.clock.now().getTime() + 3_600_000));
    const id = (await fileMemberClaim(t, m.auth, { type: 'JKK', event: { at, description: 'Jatuh dari motor', place: 'Depok' }, bankAccount: BANK })).body.id as string;
    const approved = await verifyAndApprove(t, staff, id, { assessment: { outcome: 'recovered', stmbDays: 10, medicalCost: 2_500_000 } });
    const total = approved.body.total as number;
    expect(approved.body.lines.map((l: { benefit: string }) => l.benefit)).toEqual(['stmb', 'medical']);

    expect((await payoutsRun()).length).toBe(1);
    const seen = await t.get(`/api/v1/me/claims/${id}`, m.auth);
    expect(seen.body).toMatchObject({ status: 'paid', payout: { status: 'paid', amount: total } });
    expect(await clearingMovements(id)).toEqual([
      { code: 'claim_benefit', from: 'benefit:JKK', to: 'payout_clearing', amount: total },
      { code: 'payout', from: 'payout_clearing', to: 'disbursement:dev', amount: total },
    ]);
  });

  it('JKM (the counter files for an heir): Rp42.000.000 paid to the heir’s account, the heir told', async () => {
    const m = await jhtMember(t);
    const at = t.clock.now().toISOString();
    t.clock.set(new Date(t.clock.now().getTime() + 3_600_000));
    const heir = { nik: '3174011203850003', fullName: 'Siti Aminah', relationship: 'spouse', phone: '081298765432' };
    const heirBank = { bankCode: 'BRI', accountNumber: '0987654321', accountName: 'Siti Aminah' };
    const id = (await fileStaffClaim(t, staff.counter, { kpj: m.kpj, type: 'JKM', event: { at, kind: 'death' }, claimant: heir, bankAccount: heirBank })).body.id as string;
    const approved = await verifyAndApprove(t, staff, id);
    expect(approved.body.total).toBe(42_000_000);

    expect((await payoutsRun()).length).toBe(1);
    const seen = await t.get(`/api/v1/staff/claims/${id}`, staff.supervisor);
    expect(seen.body).toMatchObject({ status: 'paid', payout: { status: 'paid', amount: 42_000_000 } });
    const attempt = await sql<{ bank_account: { accountNumber: string } }>`select bank_account from payout where claim_id = ${id}`.execute(t.db);
    expect(attempt.rows[0]!.bank_account.accountNumber).toBe(heirBank.accountNumber);
    const paidSms = await sql<{ recipient: string; body: string }>`
      select recipient, body from outbox_message where template = 'claim_paid_sms' and data->>'kpj' = ${m.kpj}`.execute(t.db);
    expect(paidSms.rows).toHaveLength(1);
    expect(paidSms.rows[0]!.recipient).toBe(heir.phone);
    expect(paidSms.rows[0]!.body).toContain('Rp42.000.000');
    expect(paidSms.rows[0]!.body).toContain('4321');
    expect(paidSms.rows[0]!.body).not.toContain(heirBank.accountNumber);
  });

  it('after every claim is paid, payout_clearing is back to 0 and a second job run pays nothing', async () => {
    expect(await payoutsRun()).toEqual([]);
    const { rows } = await sql<{ balance: string }>`
      select coalesce(sum(case when credit_account = 'payout_clearing' then amount else -amount end), 0) as balance
        from ledger_transfer where debit_account = 'payout_clearing' or credit_account = 'payout_clearing'`.execute(t.db);
    expect(Number(rows[0]!.balance)).toBe(0);
  });
});
