import type { Deps } from '../../deps.js';
import { payoutsDue, runPayouts, type PayoutRunCounts } from '../claims/index.js';
import type { JobContext, JobHandlers, ScheduledJob } from './job-queue.js';

/**
 * The claim payout runs (issue 15 item 5): a `payouts:<run>` job (kind 'payouts'), `<run>` the minute it was scheduled
 * in (UTC, `2026-12-07T05:10`), scheduled by a runner pass only when some payout is due (one index probe) and a
 * disbursement provider is configured — so an idle system schedules nothing. The handler sends every due payout
 * (claims/payout-job.ts runPayouts). It is resumable by construction: each payout's state (its attempt rows,
 * committed before the provider is called, and its next_attempt_at) is in the database, so a run cut off mid-way is
 * simply continued by the next run (the queue's retry of this job, or the next minute's job), which asks the
 * provider about any attempt left open before sending anything again.
 */
export const PAYOUT_JOB_KIND = 'payouts';

export function payoutRunId(now: Date): string {
  return `payouts:${now.toISOString().slice(0, 16)}`;
}

/** The recurring entry: this minute's payout run when a payout is due, else nothing. */
export async function duePayoutRun(now: Date, deps: Deps): Promise<ScheduledJob | null> {
  if (!deps.disbursement || !(await payoutsDue(deps.db, now))) {
    return null;
  }
  return { id: payoutRunId(now), kind: PAYOUT_JOB_KIND, payload: {}, runAt: now };
}

async function runPayoutJob(ctx: JobContext): Promise<void> {
  // After each batch the counts are stored with the job, which also extends its lease (a fenced transaction).
  const store = async (counts: PayoutRunCounts): Promise<void> => {
    await ctx.batch(async (_trx, progress) => ({ progress: { ...progress, ...counts, done: counts.taken, total: null, cursor: null }, result: null }));
  };
  const counts = await runPayouts(ctx.deps, { batchSize: ctx.batchSize, afterBatch: store });
  ctx.deps.logger.info('payouts run', { jobId: ctx.job.id, ...counts });
}

export const payoutHandlers: JobHandlers = { [PAYOUT_JOB_KIND]: runPayoutJob };
