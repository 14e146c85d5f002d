import { sql, type Transaction } from 'kysely';
import type { Database } from '../../db/database.js';
import { JOB_POLICY, type JobContext, type JobProgress, type LaneProgress } from './job-queue.js';

/** One batch of a walk: the ids after `cursor` through `until` (null: no upper bound), at most ctx.batchSize of them. */
export type WalkStep = (
  trx: Transaction<Database>,
  cursor: string,
  until: string | null,
) => Promise<{ lastId: string | null; scanned: number; counts: Record<string, number> }>;

/**
 * The batch loop of the cycle's walking jobs (status, reminders, dues) over the participants in id order. Each batch
 * commits its writes together with the job's progress; a resumed job carries on where the stored progress says.
 *
 * - One lane (ctx.lanes 1, the embedded database's default): resumes at the stored cursor, counts the rows on the
 *   first batch, adds each batch's counters to the running totals, stops after a short batch.
 * - Several lanes (JOB_LANES, default 2 on PostgreSQL): the first batch cuts the id space into ctx.lanes ranges of
 *   about equal size and stores them (progress.lanes); the lanes are then walked side by side, each on its own
 *   connection, each batch storing its lane's cursor and adding its counters to the job's (JobContext.laneBatch). On
 *   the machine of docs/benchmarks.md one statement keeps one PostgreSQL backend busy; two lanes use both cores.
 *
 * How a job is walked is fixed when it starts: a resumed job keeps its stored lanes (walked one after another if this
 * runner has fewer), and a job begun in one lane stays in one. The lane ranges are cut once; a participant who
 * registers later has a larger id (ids are time-ordered) and falls in the last lane, which has no upper bound.
 */
export async function walkBatches(ctx: JobContext, count: (trx: Transaction<Database>) => Promise<number>, step: WalkStep): Promise<void> {
  const stored = ctx.job.progress;
  const fresh = stored.cursor === null && stored.done === 0 && stored['lanes'] === undefined;
  if (Array.isArray(stored['lanes']) || (fresh && ctx.lanes > 1)) {
    await walkLanes(ctx, count, step);
    return;
  }
  for (let i = 0; i < JOB_POLICY.batchesMax; i++) {
    const startedAt = Date.now();
    const { progress, scanned } = await ctx.batch(async (trx, before) => {
      const total = before.total ?? (await count(trx));
      const out = await step(trx, before.cursor ?? '', null);
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

async function walkLanes(ctx: JobContext, count: (trx: Transaction<Database>) => Promise<number>, step: WalkStep): Promise<void> {
  const lanes = await ctx.batch(async (trx, before) => {
    if (Array.isArray(before['lanes'])) {
      return { progress: before, result: before['lanes'] as LaneProgress[] };
    }
    const total = await count(trx);
    const cuts = await laneCuts(trx, total, ctx.lanes);
    const planned: LaneProgress[] = [...cuts, null].map((to, k) => ({ cursor: k === 0 ? '' : (cuts[k - 1] as string), to, done: false }));
    return { progress: { ...before, total, lanes: planned }, result: planned };
  });
  ctx.deps.logger.info('job lanes', { jobId: ctx.job.id, lanes: lanes.length });
  // A lane that fails stops the others after their current batch; the handler fails once every lane has settled, so
  // no lane is still writing when the runner records the attempt.
  let failed = false;
  const walkLane = async (k: number, start: LaneProgress): Promise<void> => {
    let lane = start;
    for (let i = 0; !lane.done && !failed; i++) {
      if (i >= JOB_POLICY.batchesMax) {
        throw new Error(`job ${ctx.job.id} lane ${k} did not finish within ${JOB_POLICY.batchesMax} batches`);
      }
      const startedAt = Date.now();
      const { progress, result } = await ctx.laneBatch(k, async (trx) => {
        const out = await step(trx, lane.cursor, lane.to);
        const next: LaneProgress = { cursor: out.lastId ?? lane.cursor, to: lane.to, done: out.scanned < ctx.batchSize };
        return { lane: next, add: { ...out.counts, done: out.scanned }, result: next };
      });
      lane = result;
      const { lanes: _lanes, ...totals } = progress;
      ctx.deps.logger.info('job batch', { jobId: ctx.job.id, lane: k, ...totals, cursor: lane.cursor, ms: Date.now() - startedAt });
    }
  };
  // Up to ctx.lanes lanes at a time (all of them unless a runner with fewer lanes resumed the job).
  const queue = lanes.map((lane, k) => ({ lane, k })).filter((l) => !l.lane.done);
  const settled = await Promise.allSettled(
    Array.from({ length: Math.min(ctx.lanes, queue.length) }, async () => {
      for (let next = queue.shift(); next && !failed; next = queue.shift()) {
        try {
          await walkLane(next.k, next.lane);
        } catch (err) {
          failed = true;
          throw err;
        }
      }
    }),
  );
  const failure = settled.find((r): r is PromiseRejectedResult => r.status === 'rejected');
  if (failure) {
    throw failure.reason;
  }
}

/** The ids that cut the participants into `lanes` ranges of about equal size (fewer when there are few rows). */
async function laneCuts(trx: Transaction<Database>, total: number, lanes: number): Promise<string[]> {
  const cuts: string[] = [];
  for (let k = 1; k < lanes; k++) {
    const offset = Math.floor((total * k) / lanes) - 1;
    if (offset < 0) {
      continue;
    }
    const { rows } = await sql<{ id: string }>`select id from participant order by id offset ${offset}::int limit 1`.execute(trx);
    const id = rows[0]?.id;
    if (id !== undefined && id !== cuts[cuts.length - 1]) {
      cuts.push(id);
    }
  }
  return cuts;
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
