import type { Deps } from '../../deps.js';
import { processBatchChunk, unfinishedBatches } from '../partners/index.js';
import { scheduleJob, type JobContext, type JobHandlers, type ScheduledJob } from './job-queue.js';

/**
 * Partner enrolment batches (issue 17): one `partner-batch:<batchId>` job per batch (kind 'partner-batch'), scheduled
 * by the runner's recurring pass while a batch is not done (one index probe; the id is deterministic, so it is made
 * once). The handler walks the batch in chunks (partners/batch-processing.ts); each chunk's writes commit with the
 * job's cursor (the last row handled), so a runner that dies resumes after the last committed chunk.
 */
export const PARTNER_BATCH_JOB_KIND = 'partner-batch';

const batchJob = (id: string, now: Date): ScheduledJob => ({ id: `partner-batch:${id}`, kind: PARTNER_BATCH_JOB_KIND, payload: { batchId: id }, runAt: now });

/** The recurring entry: a job for every batch not done (the first returned, the others scheduled here). */
export async function duePartnerBatches(now: Date, deps: Deps): Promise<ScheduledJob | null> {
  const [first, ...others] = await unfinishedBatches(deps.db, 50);
  for (const id of others) {
    await scheduleJob(deps.db, batchJob(id, now), now);
  }
  return first ? batchJob(first, now) : null;
}

async function runPartnerBatch(ctx: JobContext): Promise<void> {
  const batchId = String(ctx.job.payload['batchId'] ?? '');
  let after = Number(ctx.job.progress.cursor ?? '0');
  for (let i = 0; i < 1_000; i++) {
    let cursor = after;
    const next = await processBatchChunk(ctx.deps, batchId, after, {
      write: (step) =>
        ctx.batch(async (trx, progress) => {
          const result = await step(trx);
          cursor = typeof result === 'number' ? result : cursor;
          return { progress: { ...progress, done: cursor, cursor: String(cursor) }, result };
        }),
    });
    if (next === null) {
      return;
    }
    after = next;
  }
}

export const partnerBatchHandlers: JobHandlers = { [PARTNER_BATCH_JOB_KIND]: runPartnerBatch };
