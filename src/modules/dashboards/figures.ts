import { addDays, addMonths, localDateInJakarta, monthInJakarta, monthRange, type LocalDate, type Month } from '../../shared/month.js';

/**
 * Pure shaping of the dashboard figures (README "Dashboards"): the date windows (WIB), the month ends, the claim age
 * buckets, filling the gaps of a series, and the CSV rendering. Time is passed in; no database here (queries.ts).
 */

export const NEW_MEMBER_WINDOWS = [30, 90] as const;
export type NewMemberWindow = (typeof NEW_MEMBER_WINDOWS)[number];
export const MONTHS_SHOWN = 12;

/** WIB is UTC+7, all year round. */
const WIB_OFFSET_MS = 7 * 3600 * 1000;

/** The instant a WIB calendar day starts. */
export function wibDayStart(d: LocalDate): Date {
  return new Date(Date.parse(`${d}T00:00:00.000Z`) - WIB_OFFSET_MS);
}

/** The last `days` WIB days up to and including today: [from, to] and the half-open instants [start, end). */
export function dayWindow(now: Date, days: number): { from: LocalDate; to: LocalDate; start: Date; end: Date; days: LocalDate[] } {
  const to = localDateInJakarta(now);
  const from = addDays(to, -(days - 1));
  const list = Array.from({ length: days }, (_, i) => addDays(from, i));
  return { from, to, start: wibDayStart(from), end: wibDayStart(addDays(to, 1)), days: list };
}

/** The last `count` WIB months up to and including the current one, with the half-open instants [start, end). */
export function monthWindow(now: Date, count: number = MONTHS_SHOWN): { months: Month[]; start: Date; end: Date } {
  const last = monthInJakarta(now);
  const months = monthRange(addMonths(last, -(count - 1)), count);
  return { months, start: wibDayStart(`${months[0]}-01`), end: wibDayStart(`${addMonths(last, 1)}-01`) };
}

/** The last day of a month (YYYY-MM-DD). */
export function monthEnd(m: Month): LocalDate {
  return addDays(`${addMonths(m, 1)}-01`, -1);
}

/** The month ends shown by the status-over-time figure; the current month's "end" is today (it has not ended yet). */
export function statusDates(now: Date, count: number = MONTHS_SHOWN): LocalDate[] {
  const today = localDateInJakarta(now);
  return monthWindow(now, count).months.map((m) => (monthEnd(m) < today ? monthEnd(m) : today));
}

/** Claim age buckets, by whole days since filing (WIB days are not needed: an age is a duration). */
export const AGE_BUCKETS = [
  { key: '0-7', max: 7 },
  { key: '8-14', max: 14 },
  { key: '15-30', max: 30 },
  { key: '31+', max: Number.POSITIVE_INFINITY },
] as const;
export type AgeBucket = (typeof AGE_BUCKETS)[number]['key'];

/** The bucket of a claim `ageDays` old. */
export function ageBucket(ageDays: number): AgeBucket {
  return (AGE_BUCKETS.find((b) => ageDays <= b.max) ?? AGE_BUCKETS[AGE_BUCKETS.length - 1]!).key;
}

export interface DayCount {
  day: LocalDate;
  key: string;
  count: number;
}

/** One row per day × key (every day of the window, every key seen), zero where nothing was counted; sorted. */
export function fillDays(days: readonly LocalDate[], rows: readonly DayCount[]): DayCount[] {
  const keys = [...new Set(rows.map((r) => r.key))].sort();
  const got = new Map<string, number>();
  for (const r of rows) {
    got.set(`${r.day}|${r.key}`, (got.get(`${r.day}|${r.key}`) ?? 0) + r.count);
  }
  return days.flatMap((day) => keys.map((key) => ({ day, key, count: got.get(`${day}|${key}`) ?? 0 })));
}

/** Sums of a day × key series by key (the totals line under a chart). */
export function totalsByKey(rows: readonly DayCount[]): { key: string; count: number }[] {
  const m = new Map<string, number>();
  for (const r of rows) {
    m.set(r.key, (m.get(r.key) ?? 0) + r.count);
  }
  return [...m.entries()].sort(([a], [b]) => a.localeCompare(b)).map(([key, count]) => ({ key, count }));
}

export interface StatusPoint {
  date: LocalDate;
  total: number;
  arrears: number;
  inactive: number;
}

/** Active = members on the date less those whose last status change by then left them in arrears or inactive. */
export function statusSeries(points: readonly StatusPoint[]): { date: LocalDate; active: number; arrears: number; inactive: number }[] {
  return points.map((p) => ({ date: p.date, active: p.total - p.arrears - p.inactive, arrears: p.arrears, inactive: p.inactive }));
}

/** Collected vs billed, one row per month of the window (zero where none). */
export function moneySeries(months: readonly Month[], billed: ReadonlyMap<Month, number>, collected: ReadonlyMap<Month, number>) {
  return months.map((month) => {
    const b = billed.get(month) ?? 0;
    const c = collected.get(month) ?? 0;
    return { month, billed: b, collected: c, gap: b - c };
  });
}

/** Claims by state × age bucket, every bucket of every state seen, in the buckets' order. */
export function claimAgeTable(rows: readonly { status: string; ageDays: number; count: number; amount: number }[]) {
  const m = new Map<string, { count: number; amount: number }>();
  for (const r of rows) {
    const k = `${r.status}|${ageBucket(r.ageDays)}`;
    const cur = m.get(k) ?? { count: 0, amount: 0 };
    m.set(k, { count: cur.count + r.count, amount: cur.amount + r.amount });
  }
  const statuses = [...new Set(rows.map((r) => r.status))].sort();
  return statuses.flatMap((status) => AGE_BUCKETS.map((b) => ({ status, age: b.key, ...(m.get(`${status}|${b.key}`) ?? { count: 0, amount: 0 }) })));
}

/** One CSV field: quoted when it holds a comma, quote or line break; a leading = + - @ is defused (spreadsheets). */
export function csvField(v: string | number): string {
  let s = String(v);
  if (typeof v === 'string' && /^[=+\-@]/.test(s)) {
    s = `'${s}`;
  }
  return /[",\r\n]/.test(s) ? `"${s.replace(/"/g, '""')}"` : s;
}

/** A CSV document: the header row then the rows, CRLF line ends (RFC 4180). */
export function toCsv(header: readonly string[], rows: readonly (readonly (string | number)[])[]): string {
  return [header, ...rows].map((r) => r.map(csvField).join(',')).join('\r\n') + '\r\n';
}
