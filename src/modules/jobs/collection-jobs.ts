import { isLocalDate, isMonth, addMonths, compareMonths } from '../../shared/month.js';
import { AUTODEBIT_POLICY, chargeOne, countActiveMandates, mapBounded, prepareCharges, queueAttempts, recordResults, type AttemptContext } from '../autodebit/index.js';
import { newPaymentCodes, openDuesBatch, type DuesCover, type DuesPriceLine, parseFundingKey, priceContribution, type RuleBook } from '../contributions/index.js';
import { readReminderBatch, type ReminderCombo } from '../notifications/index.js';
import { autodebitInSeason, duesExpiresAt, duesInSeason } from './domain/collection-calendar.js';
import { reminderAudience } from './domain/cycle-calendar.js';
import { addCounts, countParticipants, walkBatches } from './batch-walk.js';
import { findJob, JOB_POLICY, type JobContext, type JobHandlers, type JobProgress, type ScheduledJob } from './job-queue.js';

/**
 * The collection jobs of the monthly cycle (issue 4 items 4 and 5), scheduled by the daily cycle job
 * (monthly-cycle.ts planCycleDay) on the days the rule book gives (domain/collection-calendar.ts):
 *
 * - `dues:<month>` (kind 'open_dues'): opens the month's dues — a bill of kind 'dues' for every member who owes the
 *   month and is not inactive (contributions/dues.ts) — walking the participants in id order, one set-based
 *   statement per batch, priced per (income, programs, sector, funding) combination in TypeScript;
 * - `autodebit:<month>:<attempt>` (kind 'autodebit'): charges the active mandates whose dues for the month are unpaid
 *   (autodebit/collect.ts), in small batches, each attempt recorded before the provider is called.
 *
 * Both commit their progress with their writes, like the status and reminder jobs.
 */
export const COLLECTION_JOB_KINDS = { dues: 'open_dues', autodebit: 'autodebit' } as const;

export function duesJobId(month: string): string {
  return `dues:${month}`;
}

export function autodebitJobId(month: string, attempt: number): string {
  return `autodebit:${month}:${attempt}`;
}

/** What a day's cycle schedules for collection: the dues opening and the auto-debit attempts in season. */
export function planCollectionDay(date: string, rules: RuleBook, now: Date): ScheduledJob[] {
  return [
    ...duesInSeason(date, rules).map((month) => ({ id: duesJobId(month), kind: COLLECTION_JOB_KINDS.dues, payload: { date, month }, runAt: now })),
    ...autodebitInSeason(date, rules).map((a) => ({
      id: autodebitJobId(a.month, a.attempt),
      kind: COLLECTION_JOB_KINDS.autodebit,
      payload: { date, month: a.month, attempt: a.attempt, attempts: a.attempts, nextAttemptDate: a.nextDate },
      runAt: now,
    })),
  ];
}

function payloadOf(payload: Record<string, unknown>): { date: string; month: string } {
  const { date, month } = payload;
  if (typeof date !== 'string' || !isLocalDate(date) || typeof month !== 'string' || !isMonth(month)) {
    throw new Error(`invalid collection job payload: ${JSON.stringify(payload)}`);
  }
  return { date, month };
}


// ---- dues opening ------------------------------------------------------------------------------------------------

/** The priced lines of one combination for the months `months` (one month at a time, like the reminders' amounts). */
export function duesLines(combo: ReminderCombo, months: readonly string[], rules: RuleBook): DuesPriceLine[] {
  const lines: DuesPriceLine[] = [];
  // The combination's funding key: each month priced with the funding in force for it.
  const funding = parseFundingKey(combo.funding);
  if (funding === null) {
    return [];
  }
  for (const month of months) {
    const quote = priceContribution(
      { declaredIncome: combo.declaredIncome, programs: combo.programs.split(','), months: 1, startMonth: month, sector: combo.sector, funding: funding.latest, fundingFrom: funding.history },
      rules,
    );
    if (!quote.ok) {
      return [];
    }
    for (const m of quote.value.months) {
      for (const l of m.lines) {
        lines.push({ ...combo, month: m.month, program: l.program, amount: l.amount, discount: l.discount, net: l.net });
      }
    }
  }
  return lines;
}

const DUES_CODE_ROUNDS_MAX = 5;

async function runOpenDues(ctx: JobContext): Promise<void> {
  const { date, month } = payloadOf(ctx.job.payload);
  const { rules } = ctx.deps;
  // Members not inactive on the day, by last covered month; their bill runs from the first unpaid month to `month`.
  const audience = reminderAudience(month, date, rules).filter((a) => a.payBy !== null);
  const covers: DuesCover[] = audience.map((a) => ({ coveredThrough: a.coveredThrough, expiresAt: duesExpiresAt(a.payBy as string) }));
  const months: string[] = [];
  const oldest = audience.reduce((o, a) => (compareMonths(a.firstUnpaid, o) < 0 ? a.firstUnpaid : o), month);
  for (let m = oldest; compareMonths(m, month) <= 0; m = addMonths(m, 1)) {
    months.push(m);
  }
  const priced = new Map<string, DuesPriceLine[]>();
  const linesFor = (combo: ReminderCombo): DuesPriceLine[] => {
    const key = JSON.stringify(combo);
    let lines = priced.get(key);
    if (lines === undefined) {
      lines = duesLines(combo, months, rules);
      priced.set(key, lines);
    }
    return lines;
  };
  await walkBatches(ctx, countParticipants, async (trx, cursor, until) => {
    const batch = await readReminderBatch(trx, { cursor, until, limit: ctx.batchSize });
    if (batch.lastId === null || covers.length === 0) {
      return { lastId: batch.lastId, scanned: batch.scanned, counts: { opened: 0, replaced: 0, amount: 0 } };
    }
    const lines = batch.combos.flatMap(linesFor);
    const counts = { opened: 0, replaced: 0, amount: 0 };
    // A payment-code collision leaves its member out of a round; the next round draws new codes for them.
    for (let round = 1; ; round++) {
      const r = await openDuesBatch(trx, {
        fromIdExclusive: cursor,
        toIdInclusive: batch.lastId,
        month,
        covers,
        lines,
        codes: newPaymentCodes(batch.scanned),
        now: ctx.deps.clock.now(),
      });
      counts.opened += r.opened;
      counts.replaced += r.replaced;
      counts.amount += r.amount;
      if (r.opened >= r.eligible) {
        break;
      }
      if (round >= DUES_CODE_ROUNDS_MAX) {
        throw new Error(`dues ${month}: ${r.eligible - r.opened} bills could not get a unique payment code`);
      }
    }
    return { lastId: batch.lastId, scanned: batch.scanned, counts };
  });
}

// ---- auto-debit collection ---------------------------------------------------------------------------------------

function autodebitPayload(payload: Record<string, unknown>): { date: string; month: string; attempt: number } & AttemptContext {
  const { date, month } = payloadOf(payload);
  const { attempt, attempts, nextAttemptDate } = payload;
  if (
    typeof attempt !== 'number' ||
    typeof attempts !== 'number' ||
    !Number.isInteger(attempt) ||
    attempt < 1 ||
    attempt > attempts ||
    !(nextAttemptDate === null || (typeof nextAttemptDate === 'string' && isLocalDate(nextAttemptDate)))
  ) {
    throw new Error(`invalid autodebit job payload: ${JSON.stringify(payload)}`);
  }
  return { date, month, attempt, attempts, nextAttemptDate };
}

async function runAutodebit(ctx: JobContext): Promise<void> {
  const { month, attempt, attempts, nextAttemptDate } = autodebitPayload(ctx.job.payload);
  const { deps } = ctx;
  if (!deps.debit) {
    await ctx.batch(async (_trx, progress) => ({ progress: { ...progress, done: 0, total: 0, cursor: null, off: true }, result: null }));
    deps.logger.info('autodebit is off (no debit provider configured)', { jobId: ctx.job.id });
    return;
  }
  // The month's dues must be open before they are collected. The dues window ends the day before the first attempt,
  // so this only waits when the opening itself is still running or being retried.
  const dues = await findJob(deps.db, duesJobId(month));
  if (dues && dues.status !== 'done') {
    throw new Error(`dues for ${month} are not open yet (job ${dues.id} is ${dues.status})`);
  }
  const limit = Math.max(1, Math.min(ctx.batchSize, AUTODEBIT_POLICY.batchMax));
  const context: AttemptContext = { attempts, nextAttemptDate };
  for (let i = 0; i < JOB_POLICY.batchesMax; i++) {
    // 1. Record the attempts of the next mandates (their cursor commits with them).
    const startedAt = Date.now();
    const queued = await ctx.batch(async (trx, before) => {
      const total = before.total ?? (await countActiveMandates(trx));
      const r = await queueAttempts(trx, { cursor: before.cursor ?? '', limit, month, attempt, now: deps.clock.now() });
      const progress: JobProgress = { ...before, ...addCounts(before, { queued: r.queued }), done: before.done + r.scanned, total, cursor: r.lastId ?? before.cursor };
      return { progress, result: { scanned: r.scanned, progress } };
    });
    // 2. Charge everything pending for this attempt (this batch's rows and any a crashed run left), then record.
    await chargePending(ctx, { month, attempt, limit, context });
    deps.logger.info('job batch', { jobId: ctx.job.id, ...queued.progress, ms: Date.now() - startedAt });
    if (queued.scanned < limit) {
      return;
    }
  }
  throw new Error(`job ${ctx.job.id} did not finish within ${JOB_POLICY.batchesMax} batches`);
}

async function chargePending(ctx: JobContext, input: { month: string; attempt: number; limit: number; context: AttemptContext }): Promise<void> {
  const { deps } = ctx;
  for (let i = 0; i < JOB_POLICY.batchesMax; i++) {
    const prepared = await ctx.batch(async (trx, before) => {
      const r = await prepareCharges(trx, { month: input.month, attempt: input.attempt, limit: input.limit, now: deps.clock.now() });
      return { progress: { ...before, ...addCounts(before, { cancelled: r.cancelled }) }, result: r };
    });
    if (prepared.charges.length === 0) {
      return;
    }
    const outcomes = await mapBounded(prepared.charges, AUTODEBIT_POLICY.concurrency, (c) => chargeOne(deps, c));
    const results = prepared.charges.map((charge, k) => ({ charge, outcome: outcomes[k]! }));
    await ctx.batch(async (trx, before) => {
      const r = await recordResults(trx, { results, context: input.context, now: deps.clock.now() });
      return { progress: { ...before, ...addCounts(before, { succeeded: r.succeeded, failed: r.failed, notices: r.notices }) }, result: r };
    });
    const unknown = results.filter((r) => r.outcome.kind === 'unknown');
    if (unknown.length > 0) {
      // Left pending-and-sent: the retried job asks the provider again with the same references.
      throw new Error(`${unknown.length} auto-debit charge(s) of ${input.month} attempt ${input.attempt} have an unknown outcome`);
    }
  }
  throw new Error(`autodebit ${input.month}/${input.attempt}: pending charges did not drain within ${JOB_POLICY.batchesMax} rounds`);
}

export const collectionHandlers: JobHandlers = {
  [COLLECTION_JOB_KINDS.dues]: runOpenDues,
  [COLLECTION_JOB_KINDS.autodebit]: runAutodebit,
};
