/**
 * The holiday calendar as administrator-maintained data (domain-rules.md "Holidays", second release): the shell
 * around the pure rules. The tables holiday_year / holiday hold one entry per year, entered from its official decree
 * by staff (PUT /api/v1/staff/holidays/{year}); the years whose decree the rule book carries seed them (inserted when
 * missing, never over an entry staff made). The rules read the calendar as data from `deps.rules.holidayYears`, which
 * this module keeps loaded: at the first use, again when older than HOLIDAY_CALENDAR_REFRESH_MS (another server
 * instance may have written), right after a write here, and forced at the start of each day's cycle.
 *
 * Due dates are never stored with a calendar: a bill keeps the expiry it was issued with, and every due date is
 * computed when asked. So entering (or correcting) a year after bills exist changes the due dates computed from then
 * on for that year's months — never a bill already issued. PUT answers with the due dates it moved, and records them
 * in the staff audit, so the change is never silent.
 */
import type { Kysely } from 'kysely';
import type { Database } from '../../db/database.js';
import type { Deps } from '../../deps.js';
import { localDateInJakarta, makeMonth } from '../../shared/month.js';
import { recordStaffAction } from '../audit/index.js';
import { dueDate } from './domain/due-date.js';
import { withHolidayYears, type Holiday, type HolidayYear, type RuleBook } from './domain/rule-book.js';

export const HOLIDAY_CALENDAR_REFRESH_MS = 60_000;
/** After a failed load (database away), the next attempt waits this long; the rules keep the last loaded calendar. */
const RETRY_AFTER_FAILURE_MS = 5_000;
/** Who entered a year the rule book seeded. */
export const RULE_BOOK_SEED_ACTOR = 'rule-book';

export interface StoredHolidayYear extends HolidayYear {
  readonly enteredBy: string;
  readonly enteredAt: Date;
}

interface CacheState {
  /** The rule book's own years (the seed), taken from the rules the process started with. */
  readonly seed: readonly HolidayYear[];
  seeded: boolean;
  nextLoadAt: number;
  loading: Promise<void> | null;
  fingerprint: string;
}

const states = new WeakMap<Deps, CacheState>();

function stateOf(deps: Deps): CacheState {
  let state = states.get(deps);
  if (state === undefined) {
    state = { seed: deps.rules.holidayYears, seeded: false, nextLoadAt: 0, loading: null, fingerprint: '' };
    states.set(deps, state);
  }
  return state;
}

/** Inserts the year's entry unless it has one; true when it was inserted. */
async function insertYearIfMissing(db: Kysely<Database>, y: { year: number; decree: string }, actor: string, now: Date): Promise<boolean> {
  const inserted = await db
    .insertInto('holiday_year')
    .values({ year: y.year, decree: y.decree, entered_by: actor, entered_at: now })
    .onConflict((oc) => oc.column('year').doNothing())
    .returning('year')
    .executeTakeFirst();
  return inserted !== undefined;
}

async function insertHolidays(db: Kysely<Database>, year: number, holidays: readonly Holiday[]): Promise<void> {
  if (holidays.length > 0) {
    await db.insertInto('holiday').values(holidays.map((h) => ({ date: h.date, year, name: h.name, kind: h.kind }))).execute();
  }
}

/** Inserts each seed year the database has no entry for, with its holidays; an entered year is left as it is. */
export async function seedHolidayYears(db: Kysely<Database>, years: readonly HolidayYear[], now: Date): Promise<void> {
  for (const y of years) {
    await db.transaction().execute(async (trx) => {
      if (await insertYearIfMissing(trx, y, RULE_BOOK_SEED_ACTOR, now)) {
        await insertHolidays(trx, y.year, y.holidays);
      }
    });
  }
}

/** Every entered year with its holidays, by year and date. */
export async function loadHolidayYears(db: Kysely<Database>, onlyYear?: number): Promise<StoredHolidayYear[]> {
  let yearsQuery = db.selectFrom('holiday_year').selectAll().orderBy('year');
  let daysQuery = db.selectFrom('holiday').select(['date', 'year', 'name', 'kind']).orderBy('date');
  if (onlyYear !== undefined) {
    yearsQuery = yearsQuery.where('year', '=', onlyYear);
    daysQuery = daysQuery.where('year', '=', onlyYear);
  }
  const [years, days] = await Promise.all([yearsQuery.execute(), daysQuery.execute()]);
  return years.map((y) => ({
    year: y.year,
    decree: y.decree,
    enteredBy: y.entered_by,
    enteredAt: y.entered_at,
    holidays: days.filter((d) => d.year === y.year).map((d): Holiday => ({ date: d.date, name: d.name, kind: d.kind })),
  }));
}

/**
 * Makes `deps.rules` carry the database's calendar: loads it when never loaded, stale, or `force`d. Concurrent callers
 * share one load. A failed load is logged and leaves the last calendar in place (retried shortly).
 */
export async function refreshHolidayCalendar(deps: Deps, options: { force?: boolean } = {}): Promise<void> {
  const state = stateOf(deps);
  if (state.loading !== null) {
    await state.loading;
    // A forced load must read after its caller's write: one already running may have read before it.
    return options.force ? refreshHolidayCalendar(deps, options) : undefined;
  }
  if (!options.force && performance.now() < state.nextLoadAt) {
    return;
  }
  state.loading = (async () => {
    try {
      if (!state.seeded) {
        await seedHolidayYears(deps.db, state.seed, deps.clock.now());
        state.seeded = true;
      }
      const years = (await loadHolidayYears(deps.db)).map(({ year, decree, holidays }) => ({ year, decree, holidays }));
      const fingerprint = JSON.stringify(years);
      if (fingerprint !== state.fingerprint) {
        deps.rules = withHolidayYears(deps.rules, years);
        state.fingerprint = fingerprint;
      }
      state.nextLoadAt = performance.now() + HOLIDAY_CALENDAR_REFRESH_MS;
    } catch (err) {
      state.nextLoadAt = performance.now() + RETRY_AFTER_FAILURE_MS;
      deps.logger.warn('holiday calendar not loaded; keeping the last one', { error: (err as Error).message });
    } finally {
      state.loading = null;
    }
  })();
  return state.loading;
}

/** This year and next year (WIB) when no calendar is entered for them: the years staff are warned about. */
export function yearsMissingCalendar(entered: readonly { year: number }[], now: Date): number[] {
  const thisYear = Number(localDateInJakarta(now).slice(0, 4));
  return [thisYear, thisYear + 1].filter((year) => !entered.some((y) => y.year === year));
}

/** A due date a calendar change moved. */
export interface DueDateChange {
  month: string;
  before: string;
  after: string;
}

/** The due dates of the year's months that differ between two calendars of that year (pure). */
export function dueDateChanges(year: number, before: HolidayYear | undefined, after: HolidayYear, rules: RuleBook): DueDateChange[] {
  const withBefore = withHolidayYears(rules, before ? [before] : []);
  const withAfter = withHolidayYears(rules, [after]);
  const changes: DueDateChange[] = [];
  for (let m = 1; m <= 12; m++) {
    const month = makeMonth(year, m);
    const [b, a] = [dueDate(month, withBefore), dueDate(month, withAfter)];
    if (b !== a) {
      changes.push({ month, before: b, after: a });
    }
  }
  return changes;
}

export interface PutHolidayYearInput {
  year: number;
  decree: string;
  holidays: Holiday[];
  actor: string;
  reason: string | null;
}

/**
 * Replaces a year's calendar (staff), in one transaction with its audit record; answers the stored year and the due
 * dates the change moved. Bills already issued keep their expiry; see the header.
 */
export async function putHolidayYear(deps: Deps, input: PutHolidayYearInput): Promise<{ year: StoredHolidayYear; dueDatesChanged: DueDateChange[] }> {
  const now = deps.clock.now();
  const after: HolidayYear = { year: input.year, decree: input.decree, holidays: [...input.holidays].sort((a, b) => a.date.localeCompare(b.date)) };
  const dueDatesChanged = await deps.db.transaction().execute(async (trx) => {
    // A new year is inserted; an entered one is locked before it is read, so writes of one year are serialised.
    let before: StoredHolidayYear | undefined;
    if (!(await insertYearIfMissing(trx, input, input.actor, now))) {
      await trx.selectFrom('holiday_year').select('year').where('year', '=', input.year).forUpdate().execute();
      [before] = await loadHolidayYears(trx, input.year);
    }
    const changes = dueDateChanges(input.year, before, after, deps.rules);
    await trx.updateTable('holiday_year').set({ decree: input.decree, entered_by: input.actor, entered_at: now }).where('year', '=', input.year).execute();
    await trx.deleteFrom('holiday').where('year', '=', input.year).execute();
    await insertHolidays(trx, input.year, after.holidays);
    await recordStaffAction(trx, {
      actor: input.actor,
      action: 'holiday_calendar.put',
      subject: `holiday-year:${input.year}`,
      reason: input.reason,
      detail: {
        decree: input.decree,
        holidays: after.holidays.length,
        previous: before ? { decree: before.decree, holidays: before.holidays.length } : null,
        dueDatesChanged: changes,
      },
      before: before ? { decree: before.decree, holidays: before.holidays } : null,
      after: { decree: after.decree, holidays: after.holidays },
      at: now,
    });
    return changes;
  });
  await refreshHolidayCalendar(deps, { force: true });
  deps.logger.info('holiday calendar entered', { year: input.year, holidays: after.holidays.length, dueDatesChanged });
  return { year: { ...after, enteredBy: input.actor, enteredAt: now }, dueDatesChanged };
}
