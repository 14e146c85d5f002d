/** A contribution month, 'YYYY-MM'. */
export type Month = string;
/** A calendar date in Indonesia (WIB), 'YYYY-MM-DD'. */
export type LocalDate = string;

const MONTH_RE = /^(\d{4})-(0[1-9]|1[0-2])$/;
const DATE_RE = /^(\d{4})-(\d{2})-(\d{2})$/;

export function isMonth(s: string): s is Month {
  return MONTH_RE.test(s);
}

export function isLocalDate(s: string): s is LocalDate {
  const m = DATE_RE.exec(s);
  if (!m) {
    return false;
  }
  const [y, mo, d] = [Number(m[1]), Number(m[2]), Number(m[3])];
  const dt = new Date(Date.UTC(y, mo - 1, d));
  return dt.getUTCFullYear() === y && dt.getUTCMonth() === mo - 1 && dt.getUTCDate() === d;
}

function monthParts(m: Month): [number, number] {
  const match = MONTH_RE.exec(m);
  if (!match) {
    throw new RangeError(`not a month: ${m}`);
  }
  return [Number(match[1]), Number(match[2])];
}

export function makeMonth(year: number, month1: number): Month {
  return `${String(year).padStart(4, '0')}-${String(month1).padStart(2, '0')}`;
}

export function addMonths(m: Month, n: number): Month {
  const [y, mo] = monthParts(m);
  const index = y * 12 + (mo - 1) + n;
  return makeMonth(Math.floor(index / 12), (index % 12) + 1);
}

/** Number of months from a to b (b - a); negative when b is before a. */
export function monthsBetween(a: Month, b: Month): number {
  const [ya, ma] = monthParts(a);
  const [yb, mb] = monthParts(b);
  return (yb - ya) * 12 + (mb - ma);
}

export function compareMonths(a: Month, b: Month): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

export function monthRange(start: Month, count: number): Month[] {
  const out: Month[] = [];
  for (let i = 0; i < count; i++) {
    out.push(addMonths(start, i));
  }
  return out;
}

export function monthOfDate(d: LocalDate): Month {
  return d.slice(0, 7);
}

/** Asia/Jakarta (WIB, UTC+7, no daylight saving) is the zone of every due date. */
const WIB_OFFSET_MS = 7 * 60 * 60 * 1000;

export function localDateInJakarta(instant: Date): LocalDate {
  return new Date(instant.getTime() + WIB_OFFSET_MS).toISOString().slice(0, 10);
}

export function monthInJakarta(instant: Date): Month {
  return monthOfDate(localDateInJakarta(instant));
}

/** ISO 8601 with the +07:00 offset, e.g. 2026-11-22T09:00:00+07:00. */
export function formatInstantWib(instant: Date): string {
  return `${new Date(instant.getTime() + WIB_OFFSET_MS).toISOString().slice(0, 19)}+07:00`;
}

export function addDays(d: LocalDate, n: number): LocalDate {
  const [y, m, day] = d.split('-').map(Number) as [number, number, number];
  return new Date(Date.UTC(y, m - 1, day + n)).toISOString().slice(0, 10);
}

/** 0 = Sunday … 6 = Saturday. */
export function dayOfWeek(d: LocalDate): number {
  const [y, m, day] = d.split('-').map(Number) as [number, number, number];
  return new Date(Date.UTC(y, m - 1, day)).getUTCDay();
}
