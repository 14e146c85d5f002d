import type { Deps } from '../../deps.js';
import { isMonth, type LocalDate } from '../../shared/month.js';
import type { RuleBook } from '../contributions/index.js';
import { openRosterInvoice, processRosterUpload, ROSTER_JOB_KIND, rosterJobId, unfinishedRosterUploads } from '../rosters/index.js';
import { duesInSeason } from './domain/collection-calendar.js';
import { scheduleJob, type JobContext, type JobHandlers, type ScheduledJob } from './job-queue.js';

/**
 * The payers' monthly roster bills (issue 17 items 2 and 3; src/modules/rosters): `roster-bills:<M>` (kind
 * 'roster_bills') opens, for every active partner with a roster for month M, ONE collective bill over its roster
 * members' bills (id `roster:<payer>:<M>`). Scheduled by the daily cycle on the days month M's dues are opened (the
 * rule book's opening day, the 1st, caught up until the day before the due date, the 15th) once any partner exists
 * (one probe), so a payer pays its roster once a month with one code; the ids make a second run open nothing twice.
 */
export async function rosterMonthJobs(db: Deps['db'], date: LocalDate, rules: RuleBook, now: Date): Promise<ScheduledJob[]> {
  const any = await db.selectFrom('partner').select('id').where('active', '=', true).limit(1).executeTakeFirst();
  if (!any) {
    return [];
  }
  return duesInSeason(date, rules).map((month) => ({ id: rosterJobId(month), kind: ROSTER_JOB_KIND, payload: { month }, runAt: now }));
}

async function runRosterBills(ctx: JobContext): Promise<void> {
  const month = ctx.job.payload['month'];
  if (typeof month !== 'string' || !isMonth(month)) {
    throw new Error(`job payload has no valid month: ${JSON.stringify(ctx.job.payload)}`);
  }
  const payers = (await ctx.deps.db.selectFrom('partner').select('id').where('active', '=', true).orderBy('id').execute()).map((p) => p.id);
  const after = ctx.job.progress.cursor ?? '';
  let opened = 0;
  for (const [i, payerId] of payers.entries()) {
    if (payerId <= after) {
      continue;
    }
    // Each payer's invoice is idempotent by its id; the cursor only saves re-reading the payers already done.
    const r = await openRosterInvoice(ctx.deps, payerId, month);
    opened += r.bill ? 1 : 0;
    await ctx.batch(async (_trx, progress) => ({ progress: { ...progress, done: i + 1, total: payers.length, cursor: payerId }, result: null }));
  }
  ctx.deps.logger.info('roster bills opened', { jobId: ctx.job.id, month, payers: payers.length, opened });
}

/**
 * Government roster uploads (rosters/upload.ts): one `roster-upload:<id>` job per upload (kind 'roster-upload'),
 * scheduled by the runner's recurring pass while an upload is not done (one index probe; deterministic id, made
 * once), like partner enrolment batches. Each chunk's outcomes commit with the job's cursor (the last row handled).
 */
export const ROSTER_UPLOAD_JOB_KIND = 'roster-upload';

const uploadJob = (id: string, now: Date): ScheduledJob => ({ id: `roster-upload:${id}`, kind: ROSTER_UPLOAD_JOB_KIND, payload: { uploadId: id }, runAt: now });

/** The recurring entry: a job for every upload not done (the first returned, the others scheduled here). */
export async function dueRosterUploads(now: Date, deps: Deps): Promise<ScheduledJob | null> {
  const [first, ...others] = await unfinishedRosterUploads(deps.db, 50);
  for (const id of others) {
    await scheduleJob(deps.db, uploadJob(id, now), now);
  }
  return first ? uploadJob(first, now) : null;
}

async function runRosterUpload(ctx: JobContext): Promise<void> {
  const uploadId = String(ctx.job.payload['uploadId'] ?? '');
  await processRosterUpload(ctx.deps, uploadId, Number(ctx.job.progress.cursor ?? '0'), (step) =>
    ctx.batch(async (trx, progress) => {
      const cursor = await step(trx);
      return { progress: { ...progress, done: cursor, cursor: String(cursor) }, result: cursor };
    }),
  );
}

export const rosterHandlers: JobHandlers = { [ROSTER_JOB_KIND]: runRosterBills, [ROSTER_UPLOAD_JOB_KIND]: runRosterUpload };
