import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runDueJobs } from '../../src/modules/jobs/run-due-jobs.js';
import { topUpCode } from '../../src/modules/wallet/domain/top-up-code.js';
import { walletBalance } from '../../src/modules/wallet/index.js';
import { activeMember, nextExternalId } from '../support/factories.js';
import { createTestApp, type TestApp } from '../support/test-app.js';

/**
 * The scheduled wallet sweep (`wallet-sweep:<date>`, kind wallet_sweep; src/modules/wallet/sweep-job.ts) through the
 * job runner: the daily cycle schedules it once any wallet was credited; it pays, from every wallet holding them, the
 * months that became payable since the last credit — here the month the prepayment horizon (12 months ahead) lets in
 * when the calendar month changes. Prices: Rp1.000.000 declared, JKK + JKM, OJOL: Rp8.400 a month until 2027-03,
 * Rp16.800 after.
 */
let t: TestApp;
beforeAll(async () => {
  t = await createTestApp();
});
afterAll(async () => t.close());

type Member = Awaited<ReturnType<typeof activeMember>>;

const topUp = (m: Member, amount: number) =>
  t.notify({ externalId: nextExternalId(), paymentCode: topUpCode(m.kpj), amount, channel: 'va', paidAt: t.clock.now().toISOString() });

async function walletMonths(m: Member): Promise<string[]> {
  const rows = await sql<{ first_month: string }>`
    select b.first_month from bill b join participant p on p.id = b.participant_id
     where p.kpj = ${m.kpj} and b.kind = 'wallet' and b.status = 'paid' order by b.first_month`.execute(t.db);
  return rows.rows.map((r) => r.first_month);
}

const balanceOf = (m: Member): Promise<number> => walletBalance(t.db, m.kpj);

describe('the daily wallet sweep job', () => {
  let rich: Member;
  let poor: Member;
  let plain: Member;

  it('is not scheduled while no wallet was ever credited', async () => {
    plain = await activeMember(t);
    t.clock.set(new Date('2026-11-23T00:30:00Z')); // 07:30 WIB
    const { jobs } = await runDueJobs(t.deps);
    expect(jobs.map((j) => j.id)).toContain('cycle:2026-11-23');
    expect(jobs.filter((j) => j.kind === 'wallet_sweep')).toEqual([]);
  });

  it('pays, from each wallet holding it, the month the horizon lets in at the turn of the month; nothing twice', async () => {
    rich = await activeMember(t);
    poor = await activeMember(t);
    // The sweep after the credit pays 2026-12 … 2027-11 (the horizon, 12 months ahead of 2026-11): 4 × 8.400 + 8 × 16.800.
    expect((await topUp(rich, 200_000)).body).toEqual({ status: 'applied', walletCredit: 200_000, topUp: true });
    expect((await walletMonths(rich)).at(-1)).toBe('2027-11');
    expect(await balanceOf(rich)).toBe(200_000 - 4 * 8_400 - 8 * 16_800);
    await topUp(poor, 5_000); // less than a month: stays
    expect(await walletMonths(poor)).toEqual([]);

    t.clock.set(new Date('2026-12-01T00:30:00Z')); // 07:30 WIB on 1 December: the horizon is now 2027-12
    const { jobs } = await runDueJobs(t.deps, { batchSize: 1 }); // one participant a batch: the walk resumes by cursor
    expect(jobs.filter((j) => j.kind === 'wallet_sweep')).toEqual([{ id: 'wallet-sweep:2026-12-01', kind: 'wallet_sweep', outcome: 'done' }]);
    expect(jobs.at(-1)?.id).toBe('wallet-sweep:2026-12-01'); // after the day's other jobs
    expect((await walletMonths(rich)).slice(-2)).toEqual(['2027-11', '2027-12']);
    expect(await balanceOf(rich)).toBe(200_000 - 4 * 8_400 - 9 * 16_800);
    expect(await walletMonths(poor)).toEqual([]);
    expect(await balanceOf(poor)).toBe(5_000);
    expect(await walletMonths(plain)).toEqual([]);
    const job = await t.db.selectFrom('job').select(['status', 'progress']).where('id', '=', 'wallet-sweep:2026-12-01').executeTakeFirstOrThrow();
    expect(job.status).toBe('done');
    expect(job.progress).toMatchObject({ total: 3, done: 3, wallets: 2, swept: 1, months: 1 });

    // A later pass the same day: the job exists once; a second run of it would pay nothing.
    expect((await runDueJobs(t.deps)).jobs).toEqual([]);
    await t.db.updateTable('job').set({ status: 'pending', progress: JSON.stringify({ done: 0, total: null, cursor: null }) }).where('id', '=', 'wallet-sweep:2026-12-01').execute();
    expect((await runDueJobs(t.deps)).jobs).toEqual([{ id: 'wallet-sweep:2026-12-01', kind: 'wallet_sweep', outcome: 'done' }]);
    expect((await walletMonths(rich)).length).toBe(13);
    expect(await balanceOf(rich)).toBe(200_000 - 4 * 8_400 - 9 * 16_800);
  });
});
