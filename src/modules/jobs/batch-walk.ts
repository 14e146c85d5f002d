import { sql, type Transaction } from 'kysely';
import type { Database } from '../../db/database.js';
import { JOB_POLICY, type JobContext, type JobProgress } from './job-queue.js';

/**
 * The batch loop of the cycle's walking jobs (status, reminders, dues): resumes at the stored cursor, counts the rows
 * on the first batch, adds each batch's counters to the running totals, stops after a short batch. `step` runs
 * inside the fenced batch transaction.
 */
export async function walkBatches(
  ctx: JobContext,
  count: (trx: Transaction<Database>) => Promise<number>,
  step: (trx: Transaction<Database>, cursor: string) => Promise<{ lastId: string | null; scanned: number; counts: Record<string, number> }>,
): Promise<void> {
  for (let i = 0; i < JOB_POLICY.batchesMax; i++) {
    const startedAt = Date.now();
    const { progress, scanned } = await ctx.batch(async (trx, before) => {
      const total = before.total ?? (await count(trx));
      const out = await step(trx, before.cursor ?? '');
      const after: JobProgress = { ...before, ...addCounts(before, out.counts), done: before.done + out.scanned, total, cursor: out.lastId ?? before.cursor };
      return { progress: after, result: { progress: after, scanned: out.scanned } };
    });
    ctx.deps.logger.info('job batch', { jobId: ctx.job.id, ...progress, ms: Date.now() - startedAt });
    if (scanned < ctx.batchSize) {
      return;
    }
  }
  throw new Error(`job ${ctx.job.id} did not finish within ${JOB_POLICY.batchesMax} batches`);
}

/** Adds a batch's counters to the progress's running totals. */
export function addCounts(before: JobProgress, counts: Record<string, number>): Record<string, number> {
  const out: Record<string, number> = {};
  for (const [k, v] of Object.entries(counts)) {
    out[k] = (typeof before[k] === 'number' ? (before[k] as number) : 0) + v;
  }
  return out;
}

export async function countParticipants(trx: Transaction<Database>): Promise<number> {
  const { rows } = await sql<{ n: number }>`select count(*)::int as n from participant`.execute(trx);
  return rows[0]?.n ?? 0;
}
