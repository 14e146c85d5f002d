/**
 * The calendar of the monthly cycle: which reminders are due on a day, and — for every last-covered month — the
 * membership status on that day, since when, and why. Pure, over the rule book; the jobs turn it into set-based SQL.
 *
 * The status rules themselves are not restated here: every status comes from `membershipStatus`
 * (membership/domain/membership-status.ts: overdue months after the due date, the 15th moved to the next working day;
 * 1..arrearsWindowMonths → arrears, more → inactive). This file only tabulates them per covered-through month, which
 * is all the status depends on for a given day, so that one statement can apply them to a whole batch of members.
 */
import { dueDate, nextWorkingDay, type RuleBook } from '../../contributions/index.js';
import { membershipStatus, type MembershipStatus } from '../../membership/index.js';
import { addDays, addMonths, compareMonths, isLocalDate, isMonth, monthOfDate } from '../../../shared/month.js';
import type { LocalDate, Month } from '../../../shared/month.js';

/**
 * Project decisions (issue 4 item 5; no regulation fixes when reminders go out):
 * - H-3: three calendar days before the due date ("H-3" = hari minus 3), sent from then until the day before;
 * - on the due date itself;
 * - overdue: the first working day after the due date; a day missed by the runner is caught up for a week.
 * The daily cycle runs at 07:00 WIB, so messages do not arrive at night.
 */
export const CYCLE_POLICY = {
  reminderDaysBeforeDue: 3,
  overdueReminderCatchUpDays: 7,
  runAtHourWib: 7,
} as const;

export type ReminderKind = 'h3' | 'due' | 'overdue';
export const REMINDER_KINDS: readonly ReminderKind[] = ['h3', 'due', 'overdue'];

export interface ReminderWindow {
  month: Month;
  kind: ReminderKind;
  dueDate: LocalDate;
  /** First and last day (inclusive) on which the reminder may be sent. */
  from: LocalDate;
  until: LocalDate;
}

/** The three reminder windows of a contribution month. */
export function reminderWindows(month: Month, rules: RuleBook): ReminderWindow[] {
  const due = dueDate(month, rules);
  const overdueFrom = nextWorkingDay(addDays(due, 1), rules);
  return [
    { month, kind: 'h3', dueDate: due, from: addDays(due, -CYCLE_POLICY.reminderDaysBeforeDue), until: addDays(due, -1) },
    { month, kind: 'due', dueDate: due, from: due, until: due },
    { month, kind: 'overdue', dueDate: due, from: overdueFrom, until: addDays(overdueFrom, CYCLE_POLICY.overdueReminderCatchUpDays - 1) },
  ];
}

/** The reminders whose window contains the day (due dates fall in their own month, so this month and the last). */
export function remindersInSeason(today: LocalDate, rules: RuleBook): ReminderWindow[] {
  return windowsInSeason(today, (m) => reminderWindows(m, rules));
}

/** The windows of this month and the last whose first and last days (inclusive) contain the day. */
export function windowsInSeason<W extends { from: LocalDate; until: LocalDate }>(today: LocalDate, windowsOf: (month: Month) => W[]): W[] {
  assertDate(today);
  const current = monthOfDate(today);
  return [addMonths(current, -1), current].flatMap((m) => windowsOf(m)).filter((w) => w.from <= today && today <= w.until);
}

/** What one covered-through month means on a given day. */
export interface CoverState {
  coveredThrough: Month;
  status: MembershipStatus;
  firstUnpaid: Month;
  /** The day the current status began (null when active: that date comes from the payment). */
  since: LocalDate | null;
  /** Why the status became what it is (null when active). */
  reason: string | null;
  /** The last day on which paying still keeps the membership from becoming inactive (null once inactive). */
  payBy: LocalDate | null;
}

/** Reasons recorded with a status change (membership_status_change.reason). */
export const STATUS_REASONS = {
  /** active → arrears: the first unpaid month passed its due date. */
  unpaid: (firstUnpaid: Month) => `unpaid:${firstUnpaid}`,
  /** → inactive: more than the arrears window of consecutive unpaid months. */
  tooManyUnpaid: (rules: RuleBook) => `more_than_${rules.arrearsWindowMonths}_unpaid_months`,
  /** arrears → active: the overdue months were paid. */
  payment: 'payment',
  /** inactive → active (or arrears): a payment after the membership lapsed; old arrears are never charged. */
  reactivation: 'reactivation',
} as const;

/**
 * The dates on which a member covered through `coveredThrough` becomes arrears and then inactive if nothing more is
 * paid. The derived status only changes on the day after a due date, so the candidates are those days.
 */
export function lapseDates(coveredThrough: Month, rules: RuleBook): { arrearsFrom: LocalDate; inactiveFrom: LocalDate } {
  let arrearsFrom: LocalDate | undefined;
  for (let i = 1; i <= rules.arrearsWindowMonths + 2; i++) {
    const day = addDays(dueDate(addMonths(coveredThrough, i), rules), 1);
    const { status } = membershipStatus({ coveredThrough, today: day }, rules);
    if (status !== 'active') {
      arrearsFrom ??= day;
    }
    if (status === 'inactive' && arrearsFrom !== undefined) {
      return { arrearsFrom, inactiveFrom: day };
    }
  }
  throw new RangeError(`no lapse within ${rules.arrearsWindowMonths + 2} months of ${coveredThrough}`);
}

export function coverState(coveredThrough: Month, today: LocalDate, rules: RuleBook): CoverState {
  const { status } = membershipStatus({ coveredThrough, today }, rules);
  const firstUnpaid = addMonths(coveredThrough, 1);
  const { arrearsFrom, inactiveFrom } = lapseDates(coveredThrough, rules);
  switch (status) {
    case 'active':
      return { coveredThrough, status, firstUnpaid, since: null, reason: null, payBy: addDays(inactiveFrom, -1) };
    case 'arrears':
      return { coveredThrough, status, firstUnpaid, since: arrearsFrom, reason: STATUS_REASONS.unpaid(firstUnpaid), payBy: addDays(inactiveFrom, -1) };
    case 'inactive':
      return { coveredThrough, status, firstUnpaid, since: inactiveFrom, reason: STATUS_REASONS.tooManyUnpaid(rules), payBy: null };
  }
}

/**
 * The status of every covered-through month on the day. Months from `activeFrom` on are active (a later cover can
 * only have fewer overdue months); the table lists each earlier month back to `oldest`, all of them arrears or
 * inactive. `oldest` defaults to the first month the rule book has a due date for: no cover can be older.
 */
export interface StatusTable {
  today: LocalDate;
  activeFrom: Month;
  lapsed: CoverState[];
}

export function statusTable(today: LocalDate, rules: RuleBook, oldest: Month = firstRuleMonth(rules)): StatusTable {
  assertDate(today);
  let activeFrom = monthOfDate(today);
  // Bounded: a cover more than arrearsWindowMonths + 1 months back always has an overdue month.
  for (let i = 0; i <= rules.arrearsWindowMonths + 2; i++) {
    const earlier = addMonths(activeFrom, -1);
    if (membershipStatus({ coveredThrough: earlier, today }, rules).status !== 'active') {
      break;
    }
    activeFrom = earlier;
  }
  const lapsed: CoverState[] = [];
  for (let ct = addMonths(activeFrom, -1); compareMonths(ct, oldest) >= 0; ct = addMonths(ct, -1)) {
    lapsed.push(coverState(ct, today, rules));
  }
  return { today, activeFrom, lapsed };
}

/** Who gets a month's reminder on a day: every member with the month unpaid who is not inactive that day. */
export interface ReminderAudience {
  coveredThrough: Month;
  firstUnpaid: Month;
  /** Months owed from firstUnpaid through the reminded month. */
  months: Month[];
  status: MembershipStatus;
  payBy: LocalDate | null;
}

export function reminderAudience(month: Month, today: LocalDate, rules: RuleBook): ReminderAudience[] {
  if (!isMonth(month)) {
    throw new RangeError(`not a month: ${month}`);
  }
  const out: ReminderAudience[] = [];
  for (let i = 1; i <= rules.arrearsWindowMonths + 2; i++) {
    const ct = addMonths(month, -i);
    const state = coverState(ct, today, rules);
    if (state.status === 'inactive') {
      break;
    }
    const months: Month[] = [];
    for (let m = addMonths(ct, 1); compareMonths(m, month) <= 0; m = addMonths(m, 1)) {
      months.push(m);
    }
    out.push({ coveredThrough: ct, firstUnpaid: addMonths(ct, 1), months, status: state.status, payBy: state.payBy });
  }
  return out;
}

/** Instant at which the daily cycle of a day is due: runAtHourWib on that day in Asia/Jakarta (UTC+7). */
export function cycleRunAt(day: LocalDate): Date {
  assertDate(day);
  const [y, m, d] = day.split('-').map(Number) as [number, number, number];
  return new Date(Date.UTC(y, m - 1, d, CYCLE_POLICY.runAtHourWib - 7));
}

function firstRuleMonth(rules: RuleBook): Month {
  let first: Month | undefined;
  for (const row of rules.dueDayRules) {
    if (first === undefined || row.validFrom < first) {
      first = row.validFrom;
    }
  }
  if (first === undefined) {
    throw new RangeError('rule book has no due-day rule');
  }
  return first;
}

export function assertDate(d: string): void {
  if (!isLocalDate(d)) {
    throw new RangeError(`not a date: ${d}`);
  }
}
