import type { Deps } from '../../deps.js';
import { startBackgroundLoop } from '../../shared/backoff.js';
import {
  claimDueJob,
  completeJob,
  createJobContext,
  failJobAttempt,
  LeaseLostError,
  scheduleJob,
  type ClaimedJob,
  type JobHandlers,
  type ScheduledJob,
} from './job-queue.js';
import { CYCLE_BATCH, dailyCycleJob, monthlyCycleHandlers } from './monthly-cycle.js';
import { payerBillHandlers } from './payer-bill-jobs.js';
import { duePayoutRun, payoutHandlers } from './payout-jobs.js';
import { duePartnerBatches, partnerBatchHandlers } from './partner-batch-jobs.js';
import { dueRosterUploads } from './roster-jobs.js';

/**
 * A job scheduled again and again under a deterministic id derived from the time (a cron entry); null (or a promise
 * of it) when there is nothing to do now (the payout run looks at the database first).
 */
export type RecurringJob = (now: Date, deps: Deps) => ScheduledJob | null | Promise<ScheduledJob | null>;

export interface RunDueJobsOptions {
  /** Upper bound on the jobs taken in this pass (default 100). */
  maxJobs?: number;
  /** Handlers by job kind (default: the monthly cycle's and the payout runs'). */
  handlers?: JobHandlers;
  /** Recurring jobs ensured before claiming (default: the day's cycle job, and a payout run when payouts are due). */
  recurring?: readonly RecurringJob[];
  /** Rows per batch for batched handlers (default CYCLE_BATCH.size). */
  batchSize?: number;
  /** Jobs run side by side (default 1; on PGlite's single connection more only interleaves). */
  concurrency?: number;
  /** Lanes a walking job starts with (default 1; batch-walk.ts). */
  lanes?: number;
}

const DEFAULT_HANDLERS: JobHandlers = { ...monthlyCycleHandlers, ...payoutHandlers, ...payerBillHandlers, ...partnerBatchHandlers };

export type JobOutcome = 'done' | 'retry' | 'failed' | 'lost';

export interface RunDueJobsResult {
  jobs: { id: string; kind: string; outcome: JobOutcome }[];
}

/**
 * One pass of the runner: schedules the recurring jobs for now (idempotent), then claims and runs whatever is due by
 * deps.clock — including jobs those jobs schedule for now — until nothing is due or `maxJobs` have been taken.
 * With `concurrency` > 1 it claims up to that many jobs at a time and runs them side by side (on PostgreSQL each on
 * its own connection; SKIP LOCKED keeps claims apart). Tests call it directly after moving the clock;
 * startJobRunner calls it in a loop.
 */
export async function runDueJobs(deps: Deps, options: RunDueJobsOptions = {}): Promise<RunDueJobsResult> {
  const handlers = options.handlers ?? DEFAULT_HANDLERS;
  const recurring = options.recurring ?? [dailyCycleJob, duePayoutRun, duePartnerBatches, dueRosterUploads];
  const maxJobs = options.maxJobs ?? 100;
  const batchSize = options.batchSize ?? CYCLE_BATCH.size;
  const concurrency = Math.max(1, Math.min(options.concurrency ?? 1, maxJobs));
  const lanes = Math.max(1, options.lanes ?? 1);
  const now = deps.clock.now();
  for (const make of recurring) {
    const job = await make(now, deps);
    if (job) {
      await scheduleJob(deps.db, job, now);
    }
  }
  const jobs: RunDueJobsResult['jobs'] = [];
  let taken = 0;
  while (taken < maxJobs) {
    const round: ClaimedJob[] = [];
    while (round.length < concurrency && taken < maxJobs) {
      const claim = await claimDueJob(deps, deps.clock.now());
      if (claim.kind === 'none') {
        break;
      }
      taken += 1;
      if (claim.kind === 'expired') {
        deps.logger.error('job failed: lease expired on its last attempt', { jobId: claim.id });
        jobs.push({ id: claim.id, kind: '', outcome: 'failed' });
        continue;
      }
      round.push(claim.job);
    }
    if (round.length === 0) {
      break;
    }
    jobs.push(...(await Promise.all(round.map((job) => runClaimedJob(deps, job, handlers, batchSize, lanes)))));
  }
  return { jobs };
}

async function runClaimedJob(deps: Deps, job: ClaimedJob, handlers: JobHandlers, batchSize: number, lanes: number): Promise<RunDueJobsResult['jobs'][number]> {
  const handler = handlers[job.kind];
  const startedAt = Date.now();
  let outcome: JobOutcome;
  try {
    if (!handler) {
      throw new Error(`no handler for job kind '${job.kind}'`);
    }
    await handler(createJobContext(deps, job, batchSize, lanes));
    outcome = (await completeJob(deps, job)) ? 'done' : 'lost';
  } catch (err) {
    outcome = err instanceof LeaseLostError ? 'lost' : await failJobAttempt(deps, job, err, { final: !handler });
    const log = outcome === 'failed' ? deps.logger.error : deps.logger.warn;
    log('job attempt failed', { jobId: job.id, attempt: job.attempts, attemptsMax: job.attemptsMax, outcome, error: String(err) });
  }
  if (outcome === 'done') {
    deps.logger.info('job done', { jobId: job.id, attempt: job.attempts, ms: Date.now() - startedAt });
  }
  return { id: job.id, kind: job.kind, outcome };
}

/**
 * Runs due jobs until stopped: one loop per process, next to the outbox worker. A failed pass (the database away) is
 * logged and the loop backs off (src/shared/backoff.ts) instead of dying; a job cut off mid-run is claimed again when
 * its lease expires.
 */
export function startJobRunner(deps: Deps, options: RunDueJobsOptions & { intervalMs?: number } = {}): { stop(): Promise<void> } {
  return startBackgroundLoop(async () => (await runDueJobs(deps, options)).jobs.length > 0, {
    intervalMs: options.intervalMs ?? 5_000,
    logger: deps.logger,
    errorMessage: 'job runner error',
  });
}
