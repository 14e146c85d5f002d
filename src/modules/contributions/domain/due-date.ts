/**
 * BPU due dates (R6, domain-rules.md §3.1): "paling lambat tanggal 15 bulan Iuran yang bersangkutan"; when that
 * day is not a working day it moves to the next working day. Saturdays, Sundays and every day in the rule book's
 * holiday calendar (libur nasional and cuti bersama — banks and BPJS offices close on both) are non-working. A year
 * nobody has entered a calendar for has no holidays: only weekends count (holidayCalendarMissing tells staff).
 */
import { addDays, dayOfWeek, isLocalDate, isMonth } from '../../../shared/month.js';
import type { LocalDate, Month } from '../../../shared/month.js';
import { requireInForce } from './rule-book.js';
import type { HolidayYear, RuleBook } from './rule-book.js';

const SUNDAY = 0;
const SATURDAY = 6;

/** Holiday lookups are memoised per holiday calendar so repeated due-date checks stay O(1). */
const holidaySets = new WeakMap<readonly HolidayYear[], ReadonlySet<LocalDate>>();

function holidayDates(rules: RuleBook): ReadonlySet<LocalDate> {
  let set = holidaySets.get(rules.holidayYears);
  if (set === undefined) {
    set = new Set(rules.holidayYears.flatMap((y) => y.holidays.map((h) => h.date)));
    holidaySets.set(rules.holidayYears, set);
  }
  return set;
}

export function isWorkingDay(date: string, rules: RuleBook): boolean {
  if (!isLocalDate(date)) {
    throw new RangeError(`not a date: ${date}`);
  }
  const dow = dayOfWeek(date);
  return dow !== SATURDAY && dow !== SUNDAY && !holidayDates(rules).has(date);
}

/** The first working day on or after the date. */
export function nextWorkingDay(date: string, rules: RuleBook): LocalDate {
  let d: LocalDate = date;
  while (!isWorkingDay(d, rules)) {
    d = addDays(d, 1);
  }
  return d;
}

/** The last day a contribution month may be paid without being overdue. */
export function dueDate(month: string, rules: RuleBook): LocalDate {
  if (!isMonth(month)) {
    throw new RangeError(`not a month: ${month}`);
  }
  const { dayOfMonth } = requireInForce(rules.dueDayRules, month, 'due-day rule');
  // A configured day beyond the month's end (e.g. 30 in February) means the month's last day.
  const day = Math.min(dayOfMonth, daysInMonth(month));
  return nextWorkingDay(`${month}-${String(day).padStart(2, '0')}`, rules);
}

function daysInMonth(month: Month): number {
  const [y, m] = month.split('-').map(Number) as [number, number];
  return new Date(Date.UTC(y, m, 0)).getUTCDate();
}
