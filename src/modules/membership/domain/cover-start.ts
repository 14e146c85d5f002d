import { addMonths, monthInJakarta, type Month } from '../../../shared/month.js';

/**
 * When cover begins (domain-rules.md "Second release": first bill at a month's end, when cover starts). Pure: the
 * instants are passed in.
 */

const DAY_MS = 24 * 3_600_000;

/** 00:00 WIB on the 1st of `month` (Jakarta has no daylight saving: UTC+7 all year). */
export function startOfMonthWib(month: Month): Date {
  return new Date(`${month}-01T00:00:00+07:00`);
}

/**
 * The first month a first bill issued at `now` pays for: the current month (WIB), or the next one when less than 24
 * hours of the current month are left — no one pays only for days already gone.
 */
export function firstBillStartMonth(now: Date): Month {
  const current = monthInJakarta(now);
  const next = addMonths(current, 1);
  return startOfMonthWib(next).getTime() - now.getTime() < DAY_MS ? next : current;
}

/** A covered month and the instant its cover was settled (the payment's arrival, or the wallet sweep). */
export interface SettledMonth {
  month: Month;
  settledAt: Date;
}

/**
 * The instant the unbroken cover that contains `month` began, or null when `month` is not covered. `months` may come
 * in any order. The run of consecutive covered months containing `month` starts at its first month S; its cover began
 * when S was settled, or at the start of S when S was settled earlier (paid in advance). A gap of one month or more
 * (an inactive spell and a reactivation) starts a new cover.
 */
export function coverStartFor(months: readonly SettledMonth[], month: Month): Date | null {
  const byMonth = new Map(months.map((m) => [m.month, m]));
  let first = byMonth.get(month);
  if (!first) {
    return null;
  }
  for (let prev = byMonth.get(addMonths(first.month, -1)); prev; prev = byMonth.get(addMonths(first.month, -1))) {
    first = prev;
  }
  const start = startOfMonthWib(first.month);
  return first.settledAt.getTime() > start.getTime() ? first.settledAt : start;
}

/** Covered at `at`: its WIB month is covered and `at` is at or after the start of that unbroken cover. */
export function coveredAt(months: readonly SettledMonth[], at: Date): { covered: boolean; month: Month } {
  const month = monthInJakarta(at);
  const start = coverStartFor(months, month);
  return { covered: start !== null && at.getTime() >= start.getTime(), month };
}
