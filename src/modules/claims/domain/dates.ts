/** Calendar arithmetic the claim rules need (WIB local dates, 'YYYY-MM-DD'). Pure. */
import type { LocalDate } from '../../../shared/month.js';

function parts(d: LocalDate): [number, number, number] {
  return d.split('-').map(Number) as [number, number, number];
}

function daysInMonth(year: number, month1: number): number {
  return new Date(Date.UTC(year, month1, 0)).getUTCDate();
}

/** The same day n months later; a day the target month lacks becomes its last day (31 Jan + 1 month = 28/29 Feb). */
export function addMonthsToDate(d: LocalDate, n: number): LocalDate {
  const [y, m, day] = parts(d);
  const index = y * 12 + (m - 1) + n;
  const ty = Math.floor(index / 12);
  const tm = (index % 12) + 1;
  const td = Math.min(day, daysInMonth(ty, tm));
  return `${String(ty).padStart(4, '0')}-${String(tm).padStart(2, '0')}-${String(td).padStart(2, '0')}`;
}

/** Whole years from birth to the date (a birthday on 29 Feb counts from 1 Mar in common years). */
export function ageOn(birthDate: LocalDate, on: LocalDate): number {
  const [by, bm, bd] = parts(birthDate);
  const [y, m, d] = parts(on);
  const beforeBirthday = m < bm || (m === bm && d < bd);
  return y - by - (beforeBirthday ? 1 : 0);
}
