/**
 * The collection side of the monthly cycle (issue 4 items 4 and 5): when a contribution month's dues are opened, how
 * long a dues bill stays payable, and on which days auto-debit tries to collect it. Pure, over the rule book.
 *
 * - Dues of month M are opened on the rule book's opening day of M (duesOpeningRules, default the 1st), and caught up
 *   on any later day until the day before M's due date if the runner was down — so they are always open before the
 *   first auto-debit attempt (on the due date). The job id `dues:<M>` makes the opening happen once.
 * - A dues bill stays payable while the member is not inactive: until the end of `payBy` for the cover it was opened
 *   against (cycle-calendar.ts coverState: the last day before more than arrearsWindowMonths months are overdue).
 *   After that its months are never charged (domain-rules.md "Arrears").
 * - Auto-debit attempts of M fall on the working days the rule book lists after M's due date (autodebitSchedules,
 *   default +0, +1, +3 working days). Attempt i is scheduled on any day from its date until the day before the next
 *   attempt's date (the last one for a week), so a day the runner missed is caught up without running two attempts.
 */
import { dueDate, isWorkingDay, requireInForce, type RuleBook } from '../../contributions/index.js';
import { addDays, addMonths, isLocalDate, isMonth, monthOfDate } from '../../../shared/month.js';
import type { LocalDate, Month } from '../../../shared/month.js';
import { assertDate, CYCLE_POLICY, windowsInSeason } from './cycle-calendar.js';

/** The first working day `n` working days after the date (n = 0: the date itself, whatever it is). */
export function addWorkingDays(date: LocalDate, n: number, rules: RuleBook): LocalDate {
  assertDate(date);
  if (!Number.isInteger(n) || n < 0) {
    throw new RangeError(`not a working-day count: ${n}`);
  }
  let d = date;
  for (let left = n; left > 0; ) {
    d = addDays(d, 1);
    if (isWorkingDay(d, rules)) {
      left -= 1;
    }
  }
  return d;
}

/** The day on which month M's dues are opened. */
export function duesOpeningDate(month: Month, rules: RuleBook): LocalDate {
  assertMonth(month);
  const { dayOfMonth } = requireInForce(rules.duesOpeningRules, month, 'dues opening rule');
  const day = Math.min(Math.max(1, dayOfMonth), daysInMonth(month));
  return `${month}-${String(day).padStart(2, '0')}`;
}

/** The days on which `dues:<M>` may be scheduled: from the opening day through the day before the due date. */
export function duesOpeningWindow(month: Month, rules: RuleBook): { month: Month; from: LocalDate; until: LocalDate } {
  const from = duesOpeningDate(month, rules);
  const until = addDays(dueDate(month, rules), -1);
  return { month, from, until: until < from ? from : until };
}

/** The months whose dues may be opened on the day (this month's and next month's windows are the only candidates). */
export function duesInSeason(today: LocalDate, rules: RuleBook): Month[] {
  assertDate(today);
  const current = monthOfDate(today);
  return [current, addMonths(current, 1)]
    .map((m) => duesOpeningWindow(m, rules))
    .filter((w) => w.from <= today && today <= w.until)
    .map((w) => w.month);
}

/** The instant a dues bill stops being payable: the start (00:00 WIB) of the day after `payBy`. */
export function duesExpiresAt(payBy: LocalDate): Date {
  assertDate(payBy);
  const [y, m, d] = addDays(payBy, 1).split('-').map(Number) as [number, number, number];
  return new Date(Date.UTC(y, m - 1, d) - 7 * 3_600_000);
}

export interface AutodebitAttempt {
  month: Month;
  /** 1-based. */
  attempt: number;
  /** How many attempts the month has (the last one tells the member to pay manually when it fails). */
  attempts: number;
  date: LocalDate;
  /** The next attempt's date, or null for the last attempt. */
  nextDate: LocalDate | null;
  /** The days on which this attempt's job may be scheduled (inclusive). */
  from: LocalDate;
  until: LocalDate;
}

/** The auto-debit attempts of a contribution month, in order. */
export function autodebitAttempts(month: Month, rules: RuleBook): AutodebitAttempt[] {
  assertMonth(month);
  const { workingDaysAfterDue } = requireInForce(rules.autodebitSchedules, month, 'auto-debit schedule');
  const due = dueDate(month, rules);
  const dates = [...new Set(workingDaysAfterDue.map((n) => addWorkingDays(due, n, rules)))].sort();
  return dates.map((date, i) => {
    const next = dates[i + 1] ?? null;
    return {
      month,
      attempt: i + 1,
      attempts: dates.length,
      date,
      nextDate: next,
      from: date,
      until: next === null ? addDays(date, CYCLE_POLICY.overdueReminderCatchUpDays - 1) : addDays(next, -1),
    };
  });
}

/** The auto-debit attempts whose scheduling window contains the day (this month's and last month's). */
export function autodebitInSeason(today: LocalDate, rules: RuleBook): AutodebitAttempt[] {
  return windowsInSeason(today, (m) => autodebitAttempts(m, rules));
}

function daysInMonth(month: Month): number {
  const [y, m] = month.split('-').map(Number) as [number, number];
  return new Date(Date.UTC(y, m, 0)).getUTCDate();
}

function assertMonth(m: string): void {
  if (!isMonth(m)) {
    throw new RangeError(`not a month: ${m}`);
  }
}
