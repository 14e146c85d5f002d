import { FAN_OUT_JOB_KIND, fanOutPayerBill, type FanOutChunk } from '../payer-bills/index.js';
import type { JobContext, JobHandlers } from './job-queue.js';

/**
 * The fan-out of a paid collective bill (src/modules/payer-bills, docs/architecture.md "Collective bills"): a job
 * `payer-fanout:<collective payment id>` (kind 'payer_bill_fanout'), scheduled by the settlement itself
 * (lindung_apply_payer_payment) in the payment's transaction, so a payment is never without its fan-out. Each chunk of
 * member bills settles in one of the job's fenced batches, its cursor stored with it: a runner that dies mid-way is
 * resumed by the next claim at the cursor, and the settlement's idempotency (one externalId per member bill) means no
 * member bill is settled twice whatever happens.
 */
async function runPayerBillFanOut(ctx: JobContext): Promise<void> {
  const payerBillId = ctx.job.payload['payerBillId'];
  if (typeof payerBillId !== 'string') {
    throw new Error(`job ${ctx.job.id}: no payerBillId in its payload`);
  }
  const totals = await fanOutPayerBill(ctx.deps, payerBillId, {
    chunkSize: ctx.batchSize,
    after: ctx.job.progress.cursor ?? '',
    inTransaction: (step) =>
      ctx.batch(async (trx, progress) => {
        const chunk: FanOutChunk = await step(trx);
        return {
          progress: { ...progress, done: progress.done + chunk.taken, cursor: chunk.lastBillId ?? progress.cursor, unmatched: Number(progress['unmatched'] ?? 0) + chunk.unmatched },
          result: chunk,
        };
      }),
  });
  ctx.deps.logger.info('collective bill fanned out', { jobId: ctx.job.id, payerBillId, ...totals });
}

export const payerBillHandlers: JobHandlers = { [FAN_OUT_JOB_KIND]: runPayerBillFanOut };
