import { dayOfYear, daysInYear } from './jht-return.js';
import type { JhtMovement } from './jht-return.js';

/**
 * The daily balance method as written in the rule (domain-rules.md "JHT return (hasil pengembangan)"), day by day: for
 * each day of `year`, the end-of-day balance (that day's movements included), summed, × rate / (10000 × days), floored;
 * 0 when the sum is not positive. Slow on purpose: the tests hold the movement sum (jht-return.ts balanceDays and the
 * set-based crediting's SQL) to it.
 */
export function naiveYearReturn(year: number, opening: number, movements: readonly JhtMovement[], rateBp: number): number {
  const days = daysInYear(year);
  const perDay = new Map<number, bigint>();
  for (const m of movements) {
    const d = dayOfYear(m.date);
    perDay.set(d, (perDay.get(d) ?? 0n) + BigInt(m.amount));
  }
  let balance = BigInt(opening);
  let sum = 0n;
  for (let d = 1; d <= days; d++) {
    balance += perDay.get(d) ?? 0n;
    sum += balance;
  }
  return sum <= 0n ? 0 : Number((sum * BigInt(rateBp)) / (10_000n * BigInt(days)));
}
