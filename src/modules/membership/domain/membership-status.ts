/**
 * Membership status derived from the paid cover and today's date — never stored as a mutable flag
 * (domain-rules.md §11). R7 / "Arrears" decision: up to `arrearsWindowMonths` (3) unpaid months are arrears that
 * may be paid back without a fine; more than that makes the membership inactive (nonaktif). A later payment
 * reactivates from the current month; the old arrears are never charged.
 */
import { dueDate, type RuleBook } from '../../contributions/index.js';
import { addMonths, compareMonths, isLocalDate, isMonth, monthOfDate } from '../../../shared/month.js';
import type { LocalDate, Month } from '../../../shared/month.js';

export type MembershipStatus = 'active' | 'arrears' | 'inactive';

export interface MembershipClock {
  /** Last contribution month paid for, 'YYYY-MM'. */
  coveredThrough: string;
  /** Today's date in Asia/Jakarta, 'YYYY-MM-DD'. */
  today: string;
}

function assertInput(input: MembershipClock): void {
  if (!isMonth(input.coveredThrough)) {
    throw new RangeError(`coveredThrough is not a month: ${input.coveredThrough}`);
  }
  if (!isLocalDate(input.today)) {
    throw new RangeError(`today is not a date: ${input.today}`);
  }
}

/**
 * Months after coveredThrough whose due date is strictly before today. A month is not overdue on its due date
 * itself, since payment is allowed "paling lambat" (at the latest) on that day.
 */
export function overdueMonths(input: MembershipClock, rules: RuleBook): Month[] {
  assertInput(input);
  const current = monthOfDate(input.today);
  const overdue: Month[] = [];
  // Due dates fall inside their own month, so no month after the current one can be overdue; due dates are
  // increasing, so the first month not yet overdue ends the scan.
  for (let m = addMonths(input.coveredThrough, 1); compareMonths(m, current) <= 0; m = addMonths(m, 1)) {
    if (dueDate(m, rules) >= input.today) {
      break;
    }
    overdue.push(m);
  }
  return overdue;
}

export function statusForOverdueCount(count: number, rules: RuleBook): MembershipStatus {
  if (count === 0) {
    return 'active';
  }
  return count <= rules.arrearsWindowMonths ? 'arrears' : 'inactive';
}

export function membershipStatus(
  input: MembershipClock,
  rules: RuleBook,
): { status: MembershipStatus; overdueMonths: string[] } {
  const overdue = overdueMonths(input, rules);
  return { status: statusForOverdueCount(overdue.length, rules), overdueMonths: overdue };
}

/**
 * First month a new bill starts at: the month after the cover, or — once inactive — the current month, because
 * reactivation does not back-charge old arrears (domain-rules.md "Arrears"; [F1][C3]).
 */
export function billableMonthsStart(input: MembershipClock, rules: RuleBook): Month {
  const { status } = membershipStatus(input, rules);
  return status === 'inactive' ? monthOfDate(input.today) : addMonths(input.coveredThrough, 1);
}

/** The next month to pay, its due date, and the status it is computed under. */
export function nextDue(
  input: MembershipClock,
  rules: RuleBook,
): { month: string; dueDate: LocalDate; status: MembershipStatus } {
  const { status } = membershipStatus(input, rules);
  const month = status === 'inactive' ? monthOfDate(input.today) : addMonths(input.coveredThrough, 1);
  return { month, dueDate: dueDate(month, rules), status };
}
