import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sentToPerson } from '../../src/modules/claims/filing.js';
import { expectError } from '../support/api-errors.js';
import {
  BANK,
  claimsTestApp,
  claimTransfers,
  approve,
  fileMemberClaim,
  fileStaffClaim,
  jhtBalance,
  jhtClaimBody,
  jhtMember,
  staffHeaders,
  verify,
  verifyAndApprove,
  type ClaimsStaff,
} from '../support/claims.js';
import { createTestApp, type TestApp } from '../support/test-app.js';

/**
 * Claims end to end (api-contract.md "Claims"): each type filed → verified → approved with the payout row and the
 * ledger rows exact, every 422 refusal, the heir's JKM claim with scholarships, another member's claim, and the
 * straight-through switch.
 */
let t: TestApp;
let staff: ClaimsStaff;
beforeAll(async () => {
  ({ t, staff } = await claimsTestApp());
});
afterAll(async () => t.close());

async function payoutOf(claimId: string, app: TestApp = t) {
  return app.db.selectFrom('payout').select(['status', 'amount', 'bank_account', 'next_attempt_at']).where('claim_id', '=', claimId).executeTakeFirst();
}

/** Covered months before the member joined (a long contribution history for the 36-month scholarship condition). */
async function addPastCoverage(participantId: string, months: string[]) {
  const bill = await t.db.selectFrom('coverage_month').select('bill_id').where('participant_id', '=', participantId).executeTakeFirstOrThrow();
  for (const month of months) {
    await sql`insert into coverage_month (participant_id, month, bill_id, settled_at) values (${participantId}, ${month}, ${bill.bill_id}, ${`${month}-01T00:00:00Z`})`.execute(t.db);
  }
}

describe('JHT: filed by the member, verified, approved', () => {
  it('a full withdrawal pays the whole balance, empties the account and creates a pending payout', async () => {
    const m = await jhtMember(t);
    const balance = await jhtBalance(t, m.auth);
    expect(balance).toBeGreaterThan(0);
    const filed = await fileMemberClaim(t, m.auth, jhtClaimBody());
    expect(filed.body).toEqual({ id: expect.stringMatching(/^clm_/), status: 'submitted', type: 'JHT' });
    const id = filed.body.id as string;
    const verified = await verify(t, staff.verifier, id);
    expect(verified.body).toMatchObject({ status: 'verified', lines: [{ benefit: 'jht_balance', amount: balance }], total: balance });
    const approved = await verifyAndApproveStep(id);
    expect(approved.body).toMatchObject({ status: 'approved', total: balance, payout: { status: 'pending', amount: balance }, closesJhtAccount: true });
    expect(await claimTransfers(t, id)).toEqual([{ id: `claim:${id}`, debit_account: `jht:${m.kpj}`, credit_account: 'payout_clearing', amount: balance, code: 'claim_benefit' }]);
    expect(await jhtBalance(t, m.auth)).toBe(0);
    const payout = await payoutOf(id);
    expect(payout).toMatchObject({ status: 'pending', amount: balance });
    expect(payout?.bank_account).toEqual(BANK);
    const mine = await t.get(`/api/v1/me/claims/${id}`, m.auth);
    expect(mine.body.history.map((h: { status: string }) => h.status)).toEqual(['submitted', 'verified', 'approved']);
    expect((await t.get('/api/v1/me/claims', m.auth)).body.claims.map((c: { id: string }) => c.id)).toEqual([id]);
  });

  it('a partial (10%) withdrawal after 10 years lowers the balance by exactly the total', async () => {
    const m = await jhtMember(t, { months: 3 });
    await sql`update participant set created_at = '2015-01-01T00:00:00Z' where id = ${m.participantId}`.execute(t.db);
    const balance = await jhtBalance(t, m.auth);
    const id = (await fileMemberClaim(t, m.auth, jhtClaimBody({ reason: 'partial_10', reasonDate: undefined }))).body.id as string;
    const approved = await verifyAndApprove(t, staff, id);
    const total = Math.round(balance / 10);
    expect(approved.body).toMatchObject({ status: 'approved', lines: [{ benefit: 'jht_balance', amount: total }], total, closesJhtAccount: false });
    expect(await jhtBalance(t, m.auth)).toBe(balance - total);
    // Paid: a second partial claim is refused.
    await sql`update claim set status = 'paid' where id = ${id}`.execute(t.db);
    const again = await fileMemberClaim(t, m.auth, jhtClaimBody({ reason: 'partial_30', reasonDate: undefined }), 422);
    expectError(again, 422, 'partial_already_used');
  });
});

async function verifyAndApproveStep(id: string) {
  const res = await t.post(`/api/v1/staff/claims/${id}/approve`, {}, staff.approver);
  expect(res.status, JSON.stringify(res.body)).toBe(200);
  return res;
}

describe('JKK: an accident reported by the member', () => {
  it('verified with the assessment on the base in force in the event month, approved from the JKK benefit account', async () => {
    const m = await jhtMember(t);
    t.clock.set(new Date(t.clock.now().getTime() + 3_600_000));
    const at = new Date(t.clock.now().getTime() - 600_000).toISOString();
    const id = (await fileMemberClaim(t, m.auth, { type: 'JKK', event: { at, description: 'Jatuh dari motor', place: 'Jl. Sudirman' }, bankAccount: BANK })).body.id as string;
    // Base Rp1.000.000: STMB 10 days = 1.000.000 / 30 × 10 = 333.333; medical as assessed.
    const assessment = { outcome: 'recovered', stmbDays: 10, medicalCost: 2_500_000 };
    const approved = await verifyAndApprove(t, staff, id, { assessment });
    const lines = [
      { benefit: 'stmb', amount: 333_333 },
      { benefit: 'medical', amount: 2_500_000 },
    ];
    expect(approved.body).toMatchObject({ status: 'approved', lines, total: 2_833_333, payout: { status: 'pending', amount: 2_833_333 } });
    expect(await claimTransfers(t, id)).toEqual([{ id: `claim:${id}`, debit_account: 'benefit:JKK', credit_account: 'payout_clearing', amount: 2_833_333, code: 'claim_benefit' }]);
  });

  it('a JKK verification without the assessment is 400', async () => {
    const m = await jhtMember(t);
    const id = (await fileMemberClaim(t, m.auth, { type: 'JKK', event: { at: t.clock.now().toISOString() }, bankAccount: BANK })).body.id as string;
    expectError(await verify(t, staff.verifier, id, {}, 400), 400, 'invalid_request', 'assessment');
  });

  it('a report after 2×24 hours is flagged late_report, not refused', async () => {
    const m = await jhtMember(t);
    const before = t.clock.now();
    const at = new Date(before.getTime() + 60_000);
    // Three days later (sessions have expired by then: the staff key files it at the counter), then back.
    t.clock.set(new Date(at.getTime() + 3 * 86_400_000));
    const key = { authorization: 'Bearer dev-staff-key' };
    const id = (await fileStaffClaim(t, key, { kpj: m.kpj, type: 'JKK', event: { at: at.toISOString(), kind: 'accident' } })).body.id as string;
    t.clock.set(new Date(before.getTime() + 120_000));
    const view = await t.get(`/api/v1/staff/claims/${id}`, staff.verifier);
    expect(view.body.flags).toEqual(['late_report']);
    expect(view.body.eligibility.flags[0]).toMatchObject({ rule: 'late_report', message: expect.stringMatching(/2×24 jam/) });
    expect(view.body.eligibility.coverageAtEvent).toMatchObject({ covered: true });
  });
});

describe('JKM and JKK death: filed by the counter for an heir', () => {
  const heir = { nik: '3174011203850003', fullName: 'Siti Aminah', relationship: 'spouse', phone: '081234567890' };
  const children = [
    { fullName: 'Anak Satu', birthDate: '2015-03-01', schoolLevel: 'SD' },
    { fullName: 'Anak Dua', birthDate: '2010-03-01', schoolLevel: 'SMP' },
  ];

  it('JKM with 36 paid months: death lump sum, periodic lump sum, funeral and two scholarships', async () => {
    const m = await jhtMember(t);
    const months = Array.from({ length: 36 }, (_, i) => {
      const d = new Date(Date.UTC(2023, 10 + i, 1));
      return d.toISOString().slice(0, 7);
    }).filter((mo) => mo < '2026-11');
    await addPastCoverage(m.participantId, months);
    const at = t.clock.now().toISOString();
    t.clock.set(new Date(t.clock.now().getTime() + 3_600_000));
    const filed = await fileStaffClaim(t, staff.counter, { kpj: m.kpj, type: 'JKM', event: { at, kind: 'death' }, claimant: heir, children });
    const id = filed.body.id as string;
    const approved = await verifyAndApprove(t, staff, id);
    expect(approved.body).toMatchObject({
      status: 'approved',
      lines: [
        { benefit: 'death_lump_sum', amount: 20_000_000 },
        { benefit: 'periodic_lump_sum', amount: 12_000_000 },
        { benefit: 'funeral', amount: 10_000_000 },
        { benefit: 'scholarship', amount: 1_500_000, child: 'Anak Satu' },
        { benefit: 'scholarship', amount: 2_000_000, child: 'Anak Dua' },
      ],
      total: 45_500_000,
      // The claimant's NIK is stored sealed; staff see its last 4 digits only.
      claimant: { fullName: heir.fullName, relationship: heir.relationship, phone: heir.phone, nikMasked: '************0003' },
    });
    expect(JSON.stringify(approved.body)).not.toContain(heir.nik);
    expect(await claimTransfers(t, id)).toEqual([{ id: `claim:${id}`, debit_account: 'benefit:JKM', credit_account: 'payout_clearing', amount: 45_500_000, code: 'claim_benefit' }]);
    const audit = await t.get(`/api/v1/staff/audit?entity=claim:${id}`, { authorization: 'Bearer dev-staff-key' });
    expect(audit.body.events.map((e: { action: string }) => e.action)).toEqual(['claim.file', 'claim.verify', 'claim.approve']);
    // The heir who filed hears about the claim, by SMS; the deceased member's email and phone are never written to.
    const told = await sql<{ channel: string; recipient: string; body: string }>`
      select channel, recipient, body from outbox_message where template like 'claim_%' and data->>'claimId' = ${id} order by seq`.execute(t.db);
    expect(told.rows.map((r) => [r.channel, r.recipient])).toEqual([
      ['sms', heir.phone],
      ['sms', heir.phone],
      ['sms', heir.phone],
    ]);
  });

  it('JKK death: 48 × base, the lump sums and scholarships without the month condition', async () => {
    const m = await jhtMember(t);
    const at = t.clock.now().toISOString();
    t.clock.set(new Date(t.clock.now().getTime() + 3_600_000));
    const id = (await fileStaffClaim(t, staff.counter, { kpj: m.kpj, type: 'JKK', event: { at, kind: 'death' }, claimant: heir, children: children.slice(0, 1) })).body.id as string;
    const verified = await verify(t, staff.verifier, id, { assessment: { outcome: 'death' } });
    expect(verified.body.lines).toEqual([
      { benefit: 'death_lump_sum', amount: 48_000_000 },
      { benefit: 'periodic_lump_sum', amount: 12_000_000 },
      { benefit: 'funeral', amount: 10_000_000 },
      { benefit: 'scholarship', amount: 1_500_000, child: 'Anak Satu' },
    ]);
  });
});

describe('refusals (422), every failed rule in the message', () => {
  it('not_eligible: age_56 for a young member, in Indonesian and in English', async () => {
    const m = await jhtMember(t);
    const res = await fileMemberClaim(t, m.auth, jhtClaimBody({ reason: 'age_56', reasonDate: undefined }), 422);
    expectError(res, 422, 'not_eligible');
    expect(res.body.error.message).toMatch(/usia 56 tahun/);
    expect(res.body.error.failures.map((f: { rule: string }) => f.rule)).toEqual(['ageBelow']);
    const en = await t.post('/api/v1/me/claims', jhtClaimBody({ reason: 'age_56', reasonDate: undefined }), { ...m.auth, 'accept-language': 'en' });
    expect(en.body.error.message).toMatch(/56/);
    expect(en.body.error.message).not.toMatch(/usia/);
  });

  it('online_limit_exceeded above the self-service cap; a counter files the same claim', async () => {
    const m = await jhtMember(t);
    await sql`insert into ledger_transfer (id, debit_account, credit_account, amount, code, ref, created_at)
      values (${`test-jht:${m.kpj}`}, 'clearing:va', ${`jht:${m.kpj}`}, 15000000, 'contribution_jht', 'test', now())`.execute(t.db);
    expectError(await fileMemberClaim(t, m.auth, jhtClaimBody(), 422), 422, 'online_limit_exceeded');
    await fileStaffClaim(t, staff.counter, { kpj: m.kpj, type: 'JHT', reason: 'stopped_working', reasonDate: '2026-09-01' });
  });

  it('membership_too_short (partial before 10 years), waiting_period, claim_in_progress', async () => {
    const m = await jhtMember(t);
    expectError(await fileMemberClaim(t, m.auth, jhtClaimBody({ reason: 'partial_30', reasonDate: undefined }), 422), 422, 'membership_too_short');
    expectError(await fileMemberClaim(t, m.auth, jhtClaimBody({ reasonDate: '2026-11-10' }), 422), 422, 'waiting_period');
    await fileMemberClaim(t, m.auth, jhtClaimBody());
    const again = await fileMemberClaim(t, m.auth, jhtClaimBody(), 422);
    expectError(again, 422, 'claim_in_progress');
  });

  it('not_covered_at_event: a JKK accident before the cover began', async () => {
    const m = await jhtMember(t);
    expectError(await fileMemberClaim(t, m.auth, { type: 'JKK', event: { at: '2026-01-05T08:00:00+07:00' }, bankAccount: BANK }, 422), 422, 'not_covered_at_event');
  });

  it('a member may not file JKM; the counter may', async () => {
    const m = await jhtMember(t);
    expect((await t.post('/api/v1/me/claims', { type: 'JKM', event: { at: t.clock.now().toISOString() }, bankAccount: BANK }, m.auth)).status).toBe(400);
  });
});

describe('privacy', () => {
  it("another member's claim is 404", async () => {
    const a = await jhtMember(t);
    const b = await jhtMember(t);
    const id = (await fileMemberClaim(t, a.auth, jhtClaimBody())).body.id as string;
    expectError(await t.get(`/api/v1/me/claims/${id}`, b.auth), 404, 'not_found', 'id');
    expectError(await t.post(`/api/v1/me/claims/${id}/resubmit`, {}, b.auth), 404, 'not_found', 'id');
  });
});

describe('a full JHT withdrawal with this year\'s accrued return', () => {
  it('credits the accrued return first (jht_interim_return), then withdraws everything: the account ends at 0', async () => {
    const { t: u, staff: first } = await claimsTestApp();
    try {
      expect((await u.request('PUT', '/api/v1/staff/jht-rates/2025', { rateBp: 700 }, { authorization: 'Bearer dev-staff-key' })).status).toBe(200);
      const m = await jhtMember(u, { months: 3 });
      const id = (await fileMemberClaim(u, m.auth, jhtClaimBody())).body.id as string;
      await verify(u, first.verifier, id);
      // A month later (sessions expired: new ones): the return has accrued on the balance since the contribution.
      u.clock.set(new Date(u.clock.now().getTime() + 30 * 86_400_000));
      const approver = await staffHeaders(u, ['claims_approver']);
      const approved = await approve(u, approver, id);
      const lines = approved.body.lines as { benefit: string; amount: number }[];
      const balance = lines.find((l) => l.benefit === 'jht_balance')?.amount ?? 0;
      const accrued = lines.find((l) => l.benefit === 'jht_return')?.amount ?? 0;
      expect(accrued).toBeGreaterThan(0);
      expect(approved.body.total).toBe(balance + accrued);
      expect(await claimTransfers(u, id)).toEqual([
        { id: `claim:${id}`, debit_account: `jht:${m.kpj}`, credit_account: 'payout_clearing', amount: balance + accrued, code: 'claim_benefit' },
        { id: `jht-interim:${id}`, debit_account: 'jht_investment', credit_account: `jht:${m.kpj}`, amount: accrued, code: 'jht_interim_return' },
      ]);
      const { rows } = await sql<{ b: string }>`
        select coalesce(sum(case when credit_account = ${`jht:${m.kpj}`} then amount else -amount end), 0) as b
          from ledger_transfer where ${`jht:${m.kpj}`} in (credit_account, debit_account)`.execute(u.db);
      expect(Number(rows[0]?.b)).toBe(0);
      expect((await payoutOf(id, u))?.amount).toBe(balance + accrued);
    } finally {
      await u.close();
    }
  });
});

describe('straight-through switch', () => {
  it('on: a JHT claim within the cap is verified automatically at filing (actor system)', async () => {
    const u = await createTestApp({ env: { CLAIMS_STRAIGHT_THROUGH: 'on', CLAIMS_STRAIGHT_THROUGH_SHARE: '0' } });
    try {
      const m = await jhtMember(u);
      const balance = await jhtBalance(u, m.auth);
      const filed = await fileMemberClaim(u, m.auth, jhtClaimBody());
      expect(filed.body.status).toBe('verified');
      const view = await u.get(`/api/v1/me/claims/${filed.body.id as string}`, m.auth);
      expect(view.body).toMatchObject({ status: 'verified', total: balance, verifiedAutomatically: true });
      expect(view.body.history[1]).toMatchObject({ status: 'verified', actor: 'system', reason: 'verified_automatically' });
    } finally {
      await u.close();
    }
  });

  it('the share still sent to a person is chosen deterministically from the claim id', () => {
    const ids = Array.from({ length: 1000 }, (_, i) => `clm_${i}`);
    expect(ids.filter((id) => sentToPerson(id, 0))).toEqual([]);
    expect(ids.filter((id) => sentToPerson(id, 100))).toHaveLength(1000);
    const five = ids.filter((id) => sentToPerson(id, 5)).length;
    expect(five).toBeGreaterThan(20);
    expect(five).toBeLessThan(90);
    expect(ids.filter((id) => sentToPerson(id, 5))).toEqual(ids.filter((id) => sentToPerson(id, 5)));
  });

  it('off by default: the claim waits in submitted', async () => {
    const m = await jhtMember(t);
    expect((await fileMemberClaim(t, m.auth, jhtClaimBody())).body.status).toBe('submitted');
  });
});
