import { sql, type Kysely, type Transaction, type Updateable } from 'kysely';
import type { Database, Job } from '../../db/database.js';
import type { Deps } from '../../deps.js';

/**
 * A job queue in the application's own database (no broker), so scheduling can share a transaction with the change
 * that causes it and a restart loses nothing.
 *
 * - Ids are deterministic ('reminders:2026-12:due'); scheduling is INSERT … ON CONFLICT (id) DO NOTHING, so a job
 *   is created once however often, and by however many runners, it is scheduled.
 * - A runner claims one due job in a short transaction (FOR UPDATE SKIP LOCKED: concurrent runners on PostgreSQL
 *   never take the same row; on PGlite there is a single session and the clause is simply satisfied), marks it
 *   'running' with a lease (locked_until) and counts the attempt. The handler then runs outside that transaction.
 * - Handlers work in batches. Each batch runs in its own transaction that first re-checks the lease (the job still
 *   'running' with this attempt number — the attempt is the fencing token) and extends it, and ends by storing the
 *   progress (done/total/cursor). A batch's writes and its cursor therefore commit together: a runner that dies
 *   mid-job leaves the job 'running' with a lapsing lease, and whoever claims it next resumes at the cursor. A runner
 *   that lost its lease (paused longer than the lease) finds the fence gone and rolls its batch back.
 * - A job walked in lanes (batch-walk.ts) runs its lanes' batches concurrently through laneBatch, which checks the
 *   fence at the end instead: one UPDATE stores the lane's progress, extends the lease and matches only this attempt,
 *   so the lanes do not hold the job row for the whole batch.
 * - A handler that throws is retried with exponential backoff up to attempts_max, then left 'failed' with last_error.
 */
export const JOB_POLICY = {
  leaseMs: 5 * 60_000,
  attemptsMax: 5,
  backoffBaseMs: 60_000,
  backoffMaxMs: 60 * 60_000,
  /** Upper bound on the batches one handler run may take (a loop bound, far above any real job). */
  batchesMax: 100_000,
  lastErrorLengthMax: 1_000,
} as const;

export type JobProgress = {
  done: number;
  total: number | null;
  cursor: string | null;
} & Record<string, unknown>;

export interface ScheduledJob {
  id: string;
  kind: string;
  payload?: Record<string, unknown>;
  runAt: Date;
  attemptsMax?: number;
}

type Executor = Kysely<Database> | Transaction<Database>;

/** Creates the job unless a job with this id exists (whatever its state). Returns whether it was created. */
export async function scheduleJob(db: Executor, job: ScheduledJob, now: Date): Promise<boolean> {
  const inserted = await db
    .insertInto('job')
    .values({
      id: job.id,
      kind: job.kind,
      payload: JSON.stringify(job.payload ?? {}),
      run_at: job.runAt,
      attempts_max: job.attemptsMax ?? JOB_POLICY.attemptsMax,
      progress: JSON.stringify({ done: 0, total: null, cursor: null }),
      created_at: now,
      updated_at: now,
    })
    .onConflict((oc) => oc.column('id').doNothing())
    .returning('id')
    .executeTakeFirst();
  return inserted !== undefined;
}

export async function findJob(db: Executor, id: string): Promise<Job | undefined> {
  return db.selectFrom('job').selectAll().where('id', '=', id).executeTakeFirst();
}

/** The job as its handler sees it after the claim: attempts counts this attempt. */
export interface ClaimedJob {
  id: string;
  kind: string;
  payload: Record<string, unknown>;
  progress: JobProgress;
  attempts: number;
  attemptsMax: number;
}

export class LeaseLostError extends Error {
  constructor(jobId: string) {
    super(`job ${jobId}: lease lost to another runner`);
  }
}

export interface JobContext {
  deps: Deps;
  job: ClaimedJob;
  /** Rows per batch the handler should use. */
  batchSize: number;
  /**
   * Runs one batch in a transaction fenced by the job's lease, then stores `progress` (and extends the lease) in the
   * same transaction. The step returns the new progress and its own result.
   */
  batch<T>(step: (trx: Transaction<Database>, progress: JobProgress) => Promise<{ progress: JobProgress; result: T }>): Promise<T>;
  /** Lanes a walking handler may run side by side on a fresh job (batch-walk.ts); 1 walks in one lane. */
  lanes: number;
  /**
   * Runs one batch of lane `lane` (an index into progress.lanes) in a transaction that ends by storing the lane's new
   * state, adding `add` to the job's counters and extending the lease — fenced by the attempt number in that same
   * statement, so batches of several lanes of one job run concurrently (each holds the job row only for its commit).
   * Returns the stored progress and the step's result.
   */
  laneBatch<T>(
    lane: number,
    step: (trx: Transaction<Database>) => Promise<{ lane: LaneProgress; add: Record<string, number>; result: T }>,
  ): Promise<{ progress: JobProgress; result: T }>;
}

/** One lane of a walking job: ids after `cursor` through `to` (null: no upper bound); done once walked. */
export interface LaneProgress {
  cursor: string;
  to: string | null;
  done: boolean;
}

export type JobHandler = (ctx: JobContext) => Promise<void>;
export type JobHandlers = Readonly<Record<string, JobHandler>>;

function toProgress(raw: Record<string, unknown>): JobProgress {
  return {
    ...raw,
    done: typeof raw['done'] === 'number' ? raw['done'] : 0,
    total: typeof raw['total'] === 'number' ? raw['total'] : null,
    cursor: typeof raw['cursor'] === 'string' ? raw['cursor'] : null,
  };
}

type Claim = { kind: 'claimed'; job: ClaimedJob } | { kind: 'expired'; id: string } | { kind: 'none' };

/**
 * Claims the oldest due job: a pending one whose run_at has come, or a running one whose lease has lapsed (its runner
 * died). A lapsed job that has used all its attempts is marked failed instead.
 */
export async function claimDueJob(deps: Deps, now: Date): Promise<Claim> {
  return deps.db.transaction().execute(async (trx): Promise<Claim> => {
    const row = await trx
      .selectFrom('job')
      .selectAll()
      .where((eb) =>
        eb.or([
          eb.and([eb('status', '=', 'pending'), eb('run_at', '<=', now)]),
          eb.and([eb('status', '=', 'running'), eb('locked_until', '<=', now)]),
        ]),
      )
      .orderBy('run_at')
      .orderBy('id')
      .limit(1)
      .forUpdate()
      .skipLocked()
      .executeTakeFirst();
    if (!row) {
      return { kind: 'none' };
    }
    if (row.status === 'running' && row.attempts >= row.attempts_max) {
      await trx
        .updateTable('job')
        .set({ status: 'failed', locked_until: null, last_error: `lease expired on attempt ${row.attempts} of ${row.attempts_max}`, updated_at: now, finished_at: now })
        .where('id', '=', row.id)
        .execute();
      return { kind: 'expired', id: row.id };
    }
    const attempts = row.attempts + 1;
    await trx
      .updateTable('job')
      .set({
        status: 'running',
        attempts,
        locked_until: new Date(now.getTime() + JOB_POLICY.leaseMs),
        started_at: row.started_at ?? now,
        updated_at: now,
      })
      .where('id', '=', row.id)
      .execute();
    return {
      kind: 'claimed',
      job: { id: row.id, kind: row.kind, payload: row.payload, progress: toProgress(row.progress), attempts, attemptsMax: row.attempts_max },
    };
  });
}

export function createJobContext(deps: Deps, job: ClaimedJob, batchSize: number, lanes = 1): JobContext {
  let progress = job.progress;
  return {
    deps,
    job,
    batchSize,
    lanes: Math.max(1, lanes),
    async laneBatch(lane, step) {
      const out = await deps.db.transaction().execute(async (trx) => {
        const result = await step(trx);
        const now = deps.clock.now();
        // Read-modify-write inside one UPDATE: a concurrent lane's commit is waited for and its stored progress is the
        // one this adds to (READ COMMITTED re-reads the row it updates).
        const { rows } = await sql<{ progress: Record<string, unknown> }>`
          update job
             set progress = jsonb_set(progress, array['lanes', ${String(lane)}::text], ${JSON.stringify(result.lane)}::jsonb)
                            || coalesce((select jsonb_object_agg(a.key, coalesce((job.progress ->> a.key)::numeric, 0) + a.value::numeric)
                                           from jsonb_each_text(${JSON.stringify(result.add)}::jsonb) a), '{}'::jsonb),
                 locked_until = ${new Date(now.getTime() + JOB_POLICY.leaseMs)}, updated_at = ${now}
           where id = ${job.id} and status = 'running' and attempts = ${job.attempts}
          returning progress
        `.execute(trx);
        const row = rows[0];
        if (!row) {
          throw new LeaseLostError(job.id);
        }
        return { progress: toProgress(row.progress), result: result.result };
      });
      progress = out.progress;
      return out;
    },
    async batch(step) {
      const result = await deps.db.transaction().execute(async (trx) => {
        const now = deps.clock.now();
        if (!(await updateHeldJob(trx, job, { locked_until: new Date(now.getTime() + JOB_POLICY.leaseMs), updated_at: now }))) {
          throw new LeaseLostError(job.id);
        }
        const out = await step(trx, progress);
        await trx.updateTable('job').set({ progress: JSON.stringify(out.progress) }).where('id', '=', job.id).execute();
        return out;
      });
      progress = result.progress;
      return result.result;
    },
  };
}

/** Updates the job row only while this attempt still holds it (running, same attempt count); false once the lease is lost. */
async function updateHeldJob(db: Kysely<Database>, job: ClaimedJob, set: Updateable<Database['job']>): Promise<boolean> {
  const row = await db
    .updateTable('job')
    .set(set)
    .where('id', '=', job.id)
    .where('status', '=', 'running')
    .where('attempts', '=', job.attempts)
    .returning('id')
    .executeTakeFirst();
  return row !== undefined;
}

export async function completeJob(deps: Deps, job: ClaimedJob): Promise<boolean> {
  const now = deps.clock.now();
  return updateHeldJob(deps.db, job, { status: 'done', locked_until: null, last_error: null, updated_at: now, finished_at: now });
}

/** After a failed attempt: back to pending after a backoff, or failed once the attempts are used up. */
export async function failJobAttempt(deps: Deps, job: ClaimedJob, error: unknown, options: { final?: boolean } = {}): Promise<'retry' | 'failed' | 'lost'> {
  const now = deps.clock.now();
  const final = options.final === true || job.attempts >= job.attemptsMax;
  const held = await updateHeldJob(deps.db, job, {
    locked_until: null,
    last_error: errorText(error),
    updated_at: now,
    ...(final ? { status: 'failed' as const, finished_at: now } : { status: 'pending' as const, run_at: new Date(now.getTime() + retryDelayMs(job.attempts)) }),
  });
  if (!held) {
    return 'lost';
  }
  return final ? 'failed' : 'retry';
}

/** Exponential backoff after the n-th failed attempt (1-based), capped. */
export function retryDelayMs(attempt: number): number {
  return Math.min(JOB_POLICY.backoffBaseMs * 2 ** (attempt - 1), JOB_POLICY.backoffMaxMs);
}

function errorText(error: unknown): string {
  const text = error instanceof Error ? `${error.name}: ${error.message}` : String(error);
  return text.slice(0, JOB_POLICY.lastErrorLengthMax);
}
