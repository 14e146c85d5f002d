import type { Deps } from '../../deps.js';
import { addMonths, isLocalDate, isMonth, localDateInJakarta, monthOfDate, type LocalDate } from '../../shared/month.js';
import { refreshHolidayCalendar, parseFundingKey, priceContribution, holidayCalendarMissing, type RuleBook } from '../contributions/index.js';
import { refreshDashboardRollup } from '../dashboards/index.js';
import { recordStatusChangesBatch } from '../membership/index.js';
import { queueRemindersBatch, readReminderBatch, type AudienceRow, type PriceRow, type ReminderCombo } from '../notifications/index.js';
import { creditJhtReturnsBatch, ratedYearsBefore } from '../jht/index.js';
import { anyWalletCredited, sweepWalletsBatch } from '../wallet/index.js';
import { agentHandlers, agentMonthJobs } from './agent-jobs.js';
import { rosterHandlers, rosterMonthJobs } from './roster-jobs.js';
import { enqueueMemberStatusChanged } from '../webhooks/index.js';
import { countParticipants, walkBatches } from './batch-walk.js';
import { collectionHandlers, planCollectionDay } from './collection-jobs.js';
import { cycleRunAt, reminderAudience, remindersInSeason, statusTable, STATUS_REASONS, type ReminderKind } from './domain/cycle-calendar.js';
import { scheduleJob, type JobContext, type JobHandlers, type ScheduledJob } from './job-queue.js';

/**
 * The monthly contribution cycle as jobs (issue 4 item 5), each idempotent by its deterministic id:
 *
 * - `cycle:<date>` (kind 'cycle'), one per day at 07:00 WIB, scheduled by every runner pass: works out what the day
 *   needs and schedules it;
 * - `status:<date>` (kind 'membership_status'), every day: records the status changes of the day and tells the
 *   members (membership/status-changes.ts);
 * - `reminders:<month>:<kind>` (kind 'due_reminders'), on the days of each reminder window (cycle-calendar.ts):
 *   queues the H-3, due-date or overdue reminder by email and SMS (notifications/due-reminders.ts);
 * - `wallet-sweep:<date>` (kind 'wallet_sweep'), every day once any wallet was credited: sweeps every wallet that
 *   holds at least one month's dues (wallet/sweep-job.ts);
 * - `jht-returns:<year>` (kind 'jht_returns'), scheduled by the first cycle on or after 1 January of year+1 that finds
 *   the year's rate entered (until then crediting waits; each day's cycle looks again): credits every JHT account its
 *   return of the year once (jht/jht-account.ts creditJhtReturnsBatch).
 *
 * The status and reminder jobs walk all participants in id order, CYCLE_BATCH.size at a time, one set-based
 * statement per batch and step; each batch commits its writes together with the job's progress cursor.
 * Collection — opening each month's dues (`dues:<month>`) and auto-debit attempts (`autodebit:<month>:<attempt>`) —
 * is scheduled by the same daily job; its jobs live in collection-jobs.ts.
 */
export const CYCLE_BATCH = { size: 5_000 } as const;

export const CYCLE_JOB_KINDS = { cycle: 'cycle', status: 'membership_status', reminders: 'due_reminders', walletSweep: 'wallet_sweep', jhtReturns: 'jht_returns' } as const;

/**
 * The day's wallet sweep (wallet/sweep-job.ts): pays, from every wallet that holds them, the months that became
 * payable since the last credit. Its id sorts after the day's other jobs (same run_at, claimed in id order), so it
 * runs after the dues opening and the auto-debit attempts.
 */
export function walletSweepJob(date: LocalDate, now: Date): ScheduledJob {
  return { id: `wallet-sweep:${date}`, kind: CYCLE_JOB_KINDS.walletSweep, payload: { date }, runAt: now };
}

/**
 * The JHT crediting jobs a day's cycle schedules: one per year before the day's year with a rate entered (up to the
 * first year without one); a year's job id is fixed, so it is created once and a finished year is never run again.
 */
export async function jhtReturnJobs(db: Deps['db'], date: LocalDate, now: Date): Promise<ScheduledJob[]> {
  const years = await ratedYearsBefore(db, Number(date.slice(0, 4)));
  return years.map((year) => ({ id: `jht-returns:${year}`, kind: CYCLE_JOB_KINDS.jhtReturns, payload: { date, year }, runAt: now }));
}

/** The day's cycle job for the instant (its Jakarta date). */
export function dailyCycleJob(now: Date): ScheduledJob {
  const date = localDateInJakarta(now);
  return { id: `cycle:${date}`, kind: CYCLE_JOB_KINDS.cycle, payload: { date }, runAt: cycleRunAt(date) };
}

/**
 * What a day's cycle schedules: the status job, a reminder job for every reminder window open that day, and the
 * collection jobs in season (dues opening, auto-debit attempts; collection-jobs.ts).
 */
export function planCycleDay(date: string, rules: RuleBook, now: Date): ScheduledJob[] {
  return [
    { id: `status:${date}`, kind: CYCLE_JOB_KINDS.status, payload: { date }, runAt: now },
    ...remindersInSeason(date, rules).map((w) => ({
      id: `reminders:${w.month}:${w.kind}`,
      kind: CYCLE_JOB_KINDS.reminders,
      payload: { date, month: w.month, kind: w.kind, dueDate: w.dueDate },
      runAt: now,
    })),
    ...planCollectionDay(date, rules, now),
  ];
}

function payloadDate(payload: Record<string, unknown>): string {
  const date = payload['date'];
  if (typeof date !== 'string' || !isLocalDate(date)) {
    throw new Error(`job payload has no valid date: ${JSON.stringify(payload)}`);
  }
  return date;
}

/**
 * Loads the holiday calendar afresh (staff may have entered a year on another instance) and warns for each year whose
 * due dates the day's jobs compute (this month's and next month's) that has no calendar: they skip weekends only.
 */
async function checkHolidayCalendar(ctx: JobContext, date: LocalDate): Promise<void> {
  await refreshHolidayCalendar(ctx.deps, { force: true });
  const month = monthOfDate(date);
  const years = [...new Set([month, addMonths(month, 1)].map((m) => Number(m.slice(0, 4))))];
  for (const year of years.filter((y) => holidayCalendarMissing(y, ctx.deps.rules))) {
    ctx.deps.logger.warn('holiday calendar missing: due dates of the year skip weekends only; enter it with PUT /api/v1/staff/holidays/{year}', { jobId: ctx.job.id, year });
  }
}

async function runCycle(ctx: JobContext): Promise<void> {
  const date = payloadDate(ctx.job.payload);
  const now = ctx.deps.clock.now();
  await checkHolidayCalendar(ctx, date);
  // The wallet sweep only once some wallet was ever credited (one index probe).
  const jobs = [
    ...planCycleDay(date, ctx.deps.rules, now),
    ...((await anyWalletCredited(ctx.deps.db)) ? [walletSweepJob(date, now)] : []),
    ...(await jhtReturnJobs(ctx.deps.db, date, now)),
    ...(await agentMonthJobs(ctx.deps.db, date, now)),
    ...(await rosterMonthJobs(ctx.deps.db, date, ctx.deps.rules, now)),
  ];
  await ctx.batch(async (trx, progress) => {
    let created = 0;
    for (const job of jobs) {
      created += (await scheduleJob(trx, job, now)) ? 1 : 0;
    }
    return { progress: { ...progress, done: jobs.length, total: jobs.length, cursor: null, scheduled: jobs.map((j) => j.id), created }, result: created };
  });
  ctx.deps.logger.info('cycle scheduled', { jobId: ctx.job.id, jobs: jobs.map((j) => j.id) });
}

async function runStatus(ctx: JobContext): Promise<void> {
  const date = payloadDate(ctx.job.payload);
  const { rules } = ctx.deps;
  const table = statusTable(date, rules);
  await walkBatches(ctx, countParticipants, async (trx, cursor, until) => {
    const now = ctx.deps.clock.now();
    const r = await recordStatusChangesBatch(trx, {
      cursor,
      until,
      limit: ctx.batchSize,
      today: date,
      activeFrom: table.activeFrom,
      lapsed: table.lapsed,
      inactiveReason: STATUS_REASONS.tooManyUnpaid(rules),
      arrearsWindowMonths: rules.arrearsWindowMonths,
      now,
    });
    // The partners' webhooks of the changes just recorded (same transaction; nothing when no endpoint is active).
    const webhooks = r.lastId === null || r.changes === 0 ? 0 : await enqueueMemberStatusChanged(trx, { cursor, lastId: r.lastId, recordedAt: now });
    return { lastId: r.lastId, scanned: r.scanned, counts: { changes: r.changes, messages: r.messages, webhooks } };
  });
  // The dashboards' rollup of the closed days, after the day's status changes (idempotent: a retry rewrites it).
  const rollup = await refreshDashboardRollup(ctx.deps.db, ctx.deps.clock.now());
  ctx.deps.logger.info('dashboard rollup refreshed', { jobId: ctx.job.id, through: rollup.through, rows: rollup.rows });
}

function reminderPayload(payload: Record<string, unknown>): { date: string; month: string; kind: ReminderKind; dueDate: string } {
  const date = payloadDate(payload);
  const { month, kind, dueDate } = payload;
  if (typeof month !== 'string' || !isMonth(month) || (kind !== 'h3' && kind !== 'due' && kind !== 'overdue') || typeof dueDate !== 'string' || !isLocalDate(dueDate)) {
    throw new Error(`invalid reminder job payload: ${JSON.stringify(payload)}`);
  }
  return { date, month, kind, dueDate };
}

/**
 * The amount a pricing combination owes for the months of one audience row: each month priced on its own by
 * priceContribution (one month at a time, since the owed count need not be a prepayment option), then summed.
 */
export function owedAmount(combo: ReminderCombo, months: readonly string[], rules: RuleBook): number | null {
  let total = 0;
  // The combination's funding key: each month priced with the funding in force for it.
  const funding = parseFundingKey(combo.funding);
  if (funding === null) {
    return null;
  }
  for (const month of months) {
    const quote = priceContribution(
      { declaredIncome: combo.declaredIncome, programs: combo.programs.split(','), months: 1, startMonth: month, sector: combo.sector, funding: funding.latest, fundingFrom: funding.history },
      rules,
    );
    if (!quote.ok) {
      return null;
    }
    total += quote.value.total;
  }
  return total;
}

async function runReminders(ctx: JobContext): Promise<void> {
  const { date, month, kind, dueDate } = reminderPayload(ctx.job.payload);
  const { rules } = ctx.deps;
  const audience = reminderAudience(month, date, rules);
  const audienceRows: AudienceRow[] = audience.map((a) => ({ coveredThrough: a.coveredThrough, firstUnpaid: a.firstUnpaid, monthCount: a.months.length, payBy: a.payBy }));
  // Prices per (combination, covered-through month), computed once per job run whichever batch first meets them.
  const priced = new Map<string, PriceRow[]>();
  const pricesFor = (combo: ReminderCombo): PriceRow[] => {
    const key = JSON.stringify(combo);
    let rows = priced.get(key);
    if (rows === undefined) {
      rows = audience.map((a) => ({ ...combo, coveredThrough: a.coveredThrough, amount: owedAmount(combo, a.months, rules) }));
      priced.set(key, rows);
    }
    return rows;
  };
  await walkBatches(ctx, countParticipants, async (trx, cursor, until) => {
    const batch = await readReminderBatch(trx, { cursor, until, limit: ctx.batchSize });
    if (batch.lastId === null || audience.length === 0) {
      return { lastId: batch.lastId, scanned: batch.scanned, counts: { recipients: 0, queued: 0 } };
    }
    const r = await queueRemindersBatch(trx, {
      fromIdExclusive: cursor,
      toIdInclusive: batch.lastId,
      month,
      kind,
      dueDate,
      audience: audienceRows,
      prices: batch.combos.flatMap(pricesFor),
      now: ctx.deps.clock.now(),
    });
    return { lastId: batch.lastId, scanned: batch.scanned, counts: r };
  });
}

async function runWalletSweep(ctx: JobContext): Promise<void> {
  payloadDate(ctx.job.payload);
  await walkBatches(ctx, countParticipants, (trx, cursor, until) => sweepWalletsBatch(trx, ctx.deps, { cursor, until, limit: ctx.batchSize }));
}

async function runJhtReturns(ctx: JobContext): Promise<void> {
  payloadDate(ctx.job.payload);
  const year = ctx.job.payload['year'];
  if (typeof year !== 'number' || !Number.isInteger(year)) {
    throw new Error(`invalid jht_returns job payload: ${JSON.stringify(ctx.job.payload)}`);
  }
  await walkBatches(ctx, countParticipants, (trx, cursor, until) => creditJhtReturnsBatch(trx, { year, cursor, until, limit: ctx.batchSize, now: ctx.deps.clock.now() }));
}

export const monthlyCycleHandlers: JobHandlers = {
  [CYCLE_JOB_KINDS.cycle]: runCycle,
  [CYCLE_JOB_KINDS.status]: runStatus,
  [CYCLE_JOB_KINDS.reminders]: runReminders,
  [CYCLE_JOB_KINDS.walletSweep]: runWalletSweep,
  [CYCLE_JOB_KINDS.jhtReturns]: runJhtReturns,
  ...collectionHandlers,
  ...agentHandlers,
  ...rosterHandlers,
};
