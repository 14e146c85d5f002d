import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { runDueJobs } from '../../src/modules/jobs/index.js';
import { runPayouts } from '../../src/modules/claims/index.js';
import { createDevDisbursementProvider, DEV_FAILING_ACCOUNT, type DisbursementProvider } from '../../src/modules/payouts/index.js';
import { expectError } from '../support/api-errors.js';
import { activeMember } from '../support/factories.js';
import { approvedClaimWithPayout, ledgerSums, payoutClearingBalance, scriptedProvider, XENDIT_TEST_TOKEN, xenditCallback } from '../support/payout-fixtures.js';
import { createTestApp, type TestApp } from '../support/test-app.js';

/**
 * Claim payouts (issue 15 item 5; README "Payouts"): the payout job, the provider's callback, staff re-issue. Approved
 * claims are set up by SQL (test/support/payout-fixtures.ts). Invariants: a payout is never paid twice (sent twice,
 * called back twice, or cut off between its attempt row and the send); payout_clearing = Σ approved − Σ paid.
 */
let t: TestApp;
const KEY = { authorization: 'Bearer dev-staff-key' };
const devProvider = () => t.deps.disbursement;

// A fresh app (database) per test: each asserts what the runs took, so no payout of another test may be due.
beforeEach(async () => {
  t = await createTestApp();
});
afterEach(async () => t.close());

const payoutRow = (id: string) => t.db.selectFrom('payout').selectAll().where('id', '=', id).executeTakeFirstOrThrow();
const attemptsOf = (id: string) => t.db.selectFrom('payout_attempt').selectAll().where('payout_id', '=', id).orderBy('n').execute();
const claimRow = (id: string) => t.db.selectFrom('claim').select(['status']).where('id', '=', id).executeTakeFirstOrThrow();
const smsTo = async (kpj: string, template: string) => {
  const { phone } = await t.db.selectFrom('participant').select('phone').where('kpj', '=', kpj).executeTakeFirstOrThrow();
  return (await t.db.selectFrom('outbox_message').select(['body']).where('recipient', '=', phone).where('channel', '=', 'sms').where('template', '=', template).execute()).map((m) => m.body);
};
const expectRefused = (res: { status: number; body: { error?: { code?: string; field?: string } } }, status: number, code: string) =>
  expect({ status: res.status, code: res.body.error?.code }).toEqual({ status, code });
const advance = (ms: number) => t.clock.set(new Date(t.clock.now().getTime() + ms));

async function withProvider<T>(provider: DisbursementProvider, run: () => Promise<T>): Promise<T> {
  const before = t.deps.disbursement;
  t.deps.disbursement = provider;
  try {
    return await run();
  } finally {
    t.deps.disbursement = before;
  }
}

async function assertClearingInvariant() {
  const sums = await ledgerSums(t);
  expect(await payoutClearingBalance(t)).toBe(sums.approved - sums.paid);
}

describe('the payout job with the development stand-in', () => {
  it('POST /dev/jobs/run pays a due payout within one run: attempt, ledger, claim paid, member told; nothing twice', async () => {
    const m = await activeMember(t);
    const p = await approvedClaimWithPayout(t, m, { amount: 42_000_000 });
    const before = await ledgerSums(t);
    const run = await t.post('/dev/jobs/run');
    expect(run.status).toBe(200);
    expect(run.body.ran).toContain(`payouts:${t.clock.now().toISOString().slice(0, 16)}`);
    expect(await payoutRow(p.payoutId)).toMatchObject({ status: 'paid', attempts: 1, next_attempt_at: null, failure_reason: null });
    expect(await attemptsOf(p.payoutId)).toMatchObject([{ id: `${p.payoutId}:1`, n: 1, provider: 'dev', status: 'paid', provider_ref: `dev_disb_${p.payoutId}:1` }]);
    const transfer = await t.db.selectFrom('ledger_transfer').selectAll().where('id', '=', `payout:${p.payoutId}`).executeTakeFirstOrThrow();
    expect(transfer).toMatchObject({ debit_account: 'payout_clearing', credit_account: 'disbursement:dev', code: 'payout', ref: p.claimId });
    expect(Number(transfer.amount)).toBe(42_000_000);
    expect(await claimRow(p.claimId)).toEqual({ status: 'paid' });
    const events = await t.db.selectFrom('claim_event').select(['status', 'actor']).where('claim_id', '=', p.claimId).execute();
    expect(events).toEqual([{ status: 'paid', actor: 'system' }]);
    const sms = await smsTo(m.kpj, 'claim_paid_sms');
    expect(sms).toHaveLength(1);
    expect(sms[0]).toMatch(/klaim JKM Anda sebesar Rp42\.000\.000 telah ditransfer ke BCA \*\*\*\*\*\*7890/);
    expect(sms[0]!.length).toBeLessThanOrEqual(160);
    // Nothing is due any more: the next run schedules no payout job and pays nothing again.
    advance(60_000);
    expect((await t.post('/dev/jobs/run')).body.ran.filter((id: string) => id.startsWith('payouts:'))).toEqual([]);
    const after = await ledgerSums(t);
    expect(after.paid - before.paid).toBe(42_000_000);
    expect(after.payoutTransfers - before.payoutTransfers).toBe(1);
    await assertClearingInvariant();
  });

  it('a failed transfer is retried with backoff (a new attempt id each time), then left failed; finance re-issues it; paid', async () => {
    const m = await activeMember(t);
    const p = await approvedClaimWithPayout(t, m, { amount: 5_000_000, type: 'JKK', bankAccount: { accountNumber: DEV_FAILING_ACCOUNT } });
    const clearingBefore = await payoutClearingBalance(t);
    expect(await runPayouts(t.deps)).toMatchObject({ taken: 1, failed: 1 });
    const first = await payoutRow(p.payoutId);
    expect(first).toMatchObject({ status: 'pending', attempts: 1, failure_reason: 'INVALID_DESTINATION' });
    const settledAt = async (n: number) => new Date((await attemptsOf(p.payoutId))[n - 1]!.settled_at!).getTime();
    expect(new Date(first.next_attempt_at!).getTime() - (await settledAt(1))).toBe(15 * 60_000);
    // Not due yet: nothing happens.
    expect(await runPayouts(t.deps)).toMatchObject({ taken: 0 });
    advance(15 * 60_000);
    await runPayouts(t.deps);
    const second = await payoutRow(p.payoutId);
    expect(new Date(second.next_attempt_at!).getTime() - (await settledAt(2))).toBe(30 * 60_000);
    advance(30 * 60_000);
    expect(await runPayouts(t.deps)).toMatchObject({ taken: 1, failed: 1 });
    expect(await payoutRow(p.payoutId)).toMatchObject({ status: 'failed', attempts: 3, next_attempt_at: null, failure_reason: 'INVALID_DESTINATION' });
    expect((await attemptsOf(p.payoutId)).map((a) => [a.id, a.status, a.reason])).toEqual([1, 2, 3].map((n) => [`${p.payoutId}:${n}`, 'failed', 'INVALID_DESTINATION']));
    expect(await smsTo(m.kpj, 'claim_payout_failed_sms')).toHaveLength(1);
    expect(await claimRow(p.claimId)).toEqual({ status: 'approved' });
    // The money stays in payout_clearing.
    expect(await payoutClearingBalance(t)).toBe(clearingBefore);

    const failedList = await t.get('/api/v1/staff/payouts?status=failed', KEY);
    expect(failedList.status).toBe(200);
    expect(failedList.body.payouts.map((x: { id: string }) => x.id)).toContain(p.payoutId);
    expect(failedList.body.payouts.every((x: { status: string }) => x.status === 'failed')).toBe(true);

    const retry = await t.post(
      `/api/v1/staff/payouts/${p.payoutId}/retry`,
      { bankAccount: { bankCode: 'MANDIRI', accountNumber: '9876543210', accountName: 'Siti Aminah' }, reason: 'Rekening diperbaiki (tiket #77)' },
      KEY,
    );
    expect(retry.status, JSON.stringify(retry.body)).toBe(200);
    expect(retry.body).toMatchObject({ id: p.payoutId, status: 'pending', attempts: 0, failureReason: null, bankAccount: { bankCode: 'MANDIRI', accountNumber: '9876543210' } });
    const audit = await t.db.selectFrom('staff_audit').selectAll().where('subject', '=', `payout:${p.payoutId}`).execute();
    expect(audit).toMatchObject([{ action: 'payout.retry', reason: 'Rekening diperbaiki (tiket #77)' }]);
    expectError(await t.post(`/api/v1/staff/payouts/${p.payoutId}/retry`, { reason: 'sekali lagi' }, KEY), 409, 'payout_not_failed', 'id');
    expectError(await t.post('/api/v1/staff/payouts/pay_nope/retry', { reason: 'tidak ada' }, KEY), 404, 'unknown_payout', 'id');

    advance(60_000);
    await t.post('/dev/jobs/run');
    expect(await payoutRow(p.payoutId)).toMatchObject({ status: 'paid', attempts: 1 });
    const attempts = await attemptsOf(p.payoutId);
    expect(attempts.map((a) => [a.n, a.status])).toEqual([[1, 'failed'], [2, 'failed'], [3, 'failed'], [4, 'paid']]);
    expect(await claimRow(p.claimId)).toEqual({ status: 'paid' });
    expect((await t.get(`/api/v1/staff/payouts/${p.payoutId}`, KEY)).body).toMatchObject({ status: 'paid', kpj: m.kpj, amount: 5_000_000 });
    await assertClearingInvariant();
  });
});

describe('never paid twice', () => {
  it.each(['lost_request', 'lost_answer'] as const)('cut off between the attempt row and the answer (%s): the next run asks first, one transfer', async (failure) => {
    const s = scriptedProvider();
    const m = await activeMember(t);
    const p = await approvedClaimWithPayout(t, m, { amount: 1_000_000 });
    await withProvider(s.provider, async () => {
      s.control.failNextSend = failure;
      expect(await runPayouts(t.deps)).toMatchObject({ taken: 1, errors: 1 });
      expect(await attemptsOf(p.payoutId)).toMatchObject([{ n: 1, status: 'sending' }]);
      expect(s.transfers.size).toBe(failure === 'lost_answer' ? 1 : 0);
      advance(10 * 60_000);
      const questionsBefore = s.control.statusQuestions;
      await runPayouts(t.deps);
      expect(s.control.statusQuestions).toBeGreaterThan(questionsBefore);
      expect(s.transfers.size).toBe(1);
      expect(await attemptsOf(p.payoutId)).toMatchObject([{ n: 1, status: 'pending', provider_ref: 'disb_1' }]);
      s.settle(`${p.payoutId}:1`, { kind: 'paid', at: t.clock.now() });
      advance(10 * 60_000);
      expect(await runPayouts(t.deps)).toMatchObject({ paid: 1 });
    });
    expect(await payoutRow(p.payoutId)).toMatchObject({ status: 'paid', attempts: 1 });
    expect((await ledgerSums(t)).payoutTransfers).toBe(await t.db.selectFrom('payout').where('status', '=', 'paid').select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow().then((r) => Number(r.n)));
    await assertClearingInvariant();
  });

  it('two runs at once take each payout once (FOR UPDATE SKIP LOCKED), and the provider sees one transfer each', async () => {
    const s = scriptedProvider();
    const payouts = [];
    for (let i = 0; i < 3; i++) {
      payouts.push(await approvedClaimWithPayout(t, await activeMember(t), { amount: 100_000 + i }));
    }
    await withProvider(s.provider, async () => {
      const [a, b] = await Promise.all([runPayouts(t.deps), runPayouts(t.deps)]);
      expect(a.taken + b.taken).toBe(3);
    });
    expect(s.transfers.size).toBe(3);
    expect(s.control.sends).toBe(3);
    for (const p of payouts) {
      expect(await attemptsOf(p.payoutId)).toMatchObject([{ n: 1, status: 'pending' }]);
    }
  });
});

describe('POST /api/v1/payouts/callbacks/xendit', () => {
  it('refuses a wrong or missing token (401) and a non-final or malformed body (400); records nothing', async () => {
    const s = scriptedProvider();
    const p = await approvedClaimWithPayout(t, await activeMember(t), { amount: 2_500_000 });
    await withProvider(s.provider, async () => {
      await runPayouts(t.deps);
      const key = `${p.payoutId}:1`;
      expectRefused(await t.post('/api/v1/payouts/callbacks/xendit', xenditCallback(key, 2_500_000), { 'x-callback-token': 'wrong' }), 401, 'invalid_signature');
      expectRefused(await t.post('/api/v1/payouts/callbacks/xendit', xenditCallback(key, 2_500_000)), 401, 'invalid_signature');
      expectRefused(await t.post('/api/v1/payouts/callbacks/xendit', '{not json', { 'x-callback-token': 'wrong' }), 401, 'invalid_signature');
      expectError(await t.post('/api/v1/payouts/callbacks/xendit', '{not json', { 'x-callback-token': XENDIT_TEST_TOKEN }), 400, 'invalid_request');
      expectError(await t.post('/api/v1/payouts/callbacks/xendit', xenditCallback(key, 2_500_000, { status: 'PENDING' }), { 'x-callback-token': XENDIT_TEST_TOKEN }), 400, 'invalid_request', 'status');
    });
    expect(await payoutRow(p.payoutId)).toMatchObject({ status: 'pending' });
    expect(await attemptsOf(p.payoutId)).toMatchObject([{ status: 'pending' }]);
  });

  it('COMPLETED pays once; the same callback again is a duplicate; an unknown key or another amount is ignored', async () => {
    const s = scriptedProvider();
    const m = await activeMember(t);
    const p = await approvedClaimWithPayout(t, m, { amount: 3_000_000 });
    const before = await ledgerSums(t);
    const headers = { 'x-callback-token': XENDIT_TEST_TOKEN };
    await withProvider(s.provider, async () => {
      await runPayouts(t.deps);
      const key = `${p.payoutId}:1`;
      expect((await t.post('/api/v1/payouts/callbacks/xendit', xenditCallback('pay_unknown:1', 3_000_000), headers)).body).toEqual({ status: 'ignored', reason: 'unknown_transfer' });
      expect((await t.post('/api/v1/payouts/callbacks/xendit', xenditCallback(key, 3_000_001), headers)).body).toEqual({ status: 'ignored', reason: 'amount_differs' });
      const first = await t.post('/api/v1/payouts/callbacks/xendit', xenditCallback(key, 3_000_000), headers);
      expect(first.status).toBe(200);
      expect(first.body).toEqual({ status: 'applied', payout: 'paid' });
      expect((await t.post('/api/v1/payouts/callbacks/xendit', xenditCallback(key, 3_000_000), headers)).body).toEqual({ status: 'duplicate' });
      // The job asking afterwards finds nothing to do either.
      s.settle(key, { kind: 'paid', at: t.clock.now() });
      advance(10 * 60_000);
      expect(await runPayouts(t.deps)).toMatchObject({ taken: 0 });
    });
    expect(await payoutRow(p.payoutId)).toMatchObject({ status: 'paid' });
    expect(new Date((await payoutRow(p.payoutId)).paid_at!).toISOString()).toBe('2026-11-22T03:00:05.000Z');
    expect(await claimRow(p.claimId)).toEqual({ status: 'paid' });
    const after = await ledgerSums(t);
    expect([after.paid - before.paid, after.payoutTransfers - before.payoutTransfers]).toEqual([3_000_000, 1]);
    expect(await smsTo(m.kpj, 'claim_paid_sms')).toHaveLength(1);
    await assertClearingInvariant();
  });

  it('FAILED schedules the retry with a new attempt; without Xendit as the payout provider the route is 404', async () => {
    const s = scriptedProvider();
    const p = await approvedClaimWithPayout(t, await activeMember(t), { amount: 700_000 });
    await withProvider(s.provider, async () => {
      await runPayouts(t.deps);
      const res = await t.post('/api/v1/payouts/callbacks/xendit', xenditCallback(`${p.payoutId}:1`, 700_000, { status: 'FAILED', failure_code: 'REJECTED_BY_BANK' }), { 'x-callback-token': XENDIT_TEST_TOKEN });
      expect(res.body).toEqual({ status: 'applied', payout: 'retry' });
      advance(15 * 60_000);
      await runPayouts(t.deps);
    });
    expect((await attemptsOf(p.payoutId)).map((a) => [a.n, a.status, a.reason])).toEqual([[1, 'failed', 'REJECTED_BY_BANK'], [2, 'pending', null]]);
    await withProvider(createDevDisbursementProvider(() => t.clock.now()), async () => {
      expectError(await t.post('/api/v1/payouts/callbacks/xendit', xenditCallback(`${p.payoutId}:2`, 700_000), { 'x-callback-token': XENDIT_TEST_TOKEN }), 404, 'not_found');
    });
  });
});

describe('the payouts job in the runner', () => {
  it('is scheduled only while a payout is due and a provider is configured', async () => {
    advance(24 * 3_600_000);
    await t.post('/dev/jobs/run');
    advance(60_000);
    expect((await runDueJobs(t.deps)).jobs.filter((j) => j.kind === 'payouts')).toEqual([]);
    const p = await approvedClaimWithPayout(t, await activeMember(t), { amount: 123_456 });
    await withProvider(null as unknown as DisbursementProvider, async () => {
      expect((await runDueJobs(t.deps)).jobs.filter((j) => j.kind === 'payouts')).toEqual([]);
    });
    expect(devProvider()?.name).toBe('dev');
    const { jobs } = await runDueJobs(t.deps);
    expect(jobs.filter((j) => j.kind === 'payouts')).toEqual([{ id: `payouts:${t.clock.now().toISOString().slice(0, 16)}`, kind: 'payouts', outcome: 'done' }]);
    expect(await payoutRow(p.payoutId)).toMatchObject({ status: 'paid' });
  });
});

describe('POST /api/v1/staff/payout-reconciliations', () => {
  it("lists what the provider's report and the recorded attempts disagree on; a bad file is 422 naming the line", async () => {
    const paid = await approvedClaimWithPayout(t, await activeMember(t), { amount: 1_000_000 });
    const other = await approvedClaimWithPayout(t, await activeMember(t), { amount: 2_000_000, type: 'JKK' });
    await runPayouts(t.deps);
    const date = new Date(t.clock.now().getTime() + 7 * 3_600_000).toISOString().slice(0, 10);
    const csv = ['reference,amount,status', `${paid.payoutId}:1,1000000,COMPLETED`, 'pay_stranger:1,5000,COMPLETED', `${other.payoutId}:1,2000001,COMPLETED`].join('\n');
    const res = await t.post('/api/v1/staff/payout-reconciliations', { date, csv }, KEY);
    expect(res.status, JSON.stringify(res.body)).toBe(200);
    expect(res.body).toMatchObject({ date, reportRows: 3, recordedPaid: { count: 2, amount: 3_000_000 }, matched: 1 });
    expect(res.body.differences.map((d: { kind: string; reference: string }) => [d.kind, d.reference])).toEqual([
      ['paid_not_recorded', 'pay_stranger:1'],
      ['amount_differs', `${other.payoutId}:1`],
    ]);
    // The report leaves a paid attempt out: missing.
    const short = await t.post('/api/v1/staff/payout-reconciliations', { date, csv: `reference,amount,status\n${paid.payoutId}:1,1000000,PAID` }, KEY);
    expect(short.body.differences).toMatchObject([{ kind: 'missing_from_report', reference: `${other.payoutId}:1`, line: null, recordedAmount: 2_000_000 }]);
    const bad = await t.post('/api/v1/staff/payout-reconciliations', { date, csv: 'reference,amount,status\nx:1,1.5,PAID' }, KEY);
    expectError(bad, 422, 'invalid_settlement_file', 'csv');
    expect(bad.body.error.detail).toMatch(/^line 2: /);
  });
});
