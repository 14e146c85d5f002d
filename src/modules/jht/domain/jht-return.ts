import type { LocalDate } from '../../../shared/month.js';

/**
 * The JHT return (hasil pengembangan) by the daily balance method (domain-rules.md, rows "JHT return (hasil
 * pengembangan)" and "JHT return during a year"; §4.4). Pure: dates are WIB calendar dates, amounts integer rupiah.
 *
 * The return for year Y = floor(Σ over each day of Y of the end-of-day balance × rate_Y / days in Y). The end-of-day
 * balance of a day includes that day's movements (a contribution counts from the day its payment settled; a
 * withdrawal stops counting on its day). The opening balance includes earlier years' returns (each credited as one
 * entry dated 31 December of its year), so returns compound yearly.
 */

/** A movement of a JHT account: positive in (contribution, credited return), negative out (withdrawal). */
export interface JhtMovement {
  date: LocalDate;
  amount: number;
}

/** A rate in basis points: 725 = 7.25% a year. */
export type RateBp = number;

const BP = 10_000n;

export function daysInYear(year: number): number {
  return (year % 4 === 0 && year % 100 !== 0) || year % 400 === 0 ? 366 : 365;
}

/** 1 for 1 January. */
export function dayOfYear(date: LocalDate): number {
  const [y, m, d] = date.split('-').map(Number) as [number, number, number];
  return Math.round((Date.UTC(y, m - 1, d) - Date.UTC(y, 0, 1)) / 86_400_000) + 1;
}

export function yearOf(date: LocalDate): number {
  return Number(date.slice(0, 4));
}

/**
 * Σ of the end-of-day balances of days 1..throughDay of `year` (as a BigInt: it may pass 2^53 for large balances).
 * `movements` are the movements dated in `year`; `opening` is the balance at the start of 1 January.
 */
export function balanceDays(year: number, opening: number, movements: readonly JhtMovement[], throughDay: number): bigint {
  let sum = BigInt(opening) * BigInt(throughDay);
  for (const m of movements) {
    if (yearOf(m.date) !== year) {
      throw new Error(`movement ${m.date} is not in ${year}`);
    }
    const day = dayOfYear(m.date);
    if (day <= throughDay) {
      sum += BigInt(m.amount) * BigInt(throughDay - day + 1);
    }
  }
  return sum;
}

/** floor(balanceDays × rate / (10000 × days in year)); never negative. */
function returnOf(year: number, sum: bigint, rateBp: RateBp): number {
  if (sum <= 0n) {
    return 0;
  }
  return Number((sum * BigInt(rateBp)) / (BP * BigInt(daysInYear(year))));
}

export interface YearReturnInput {
  year: number;
  /** The balance at the start of 1 January of `year` (earlier returns included). */
  openingBalance: number;
  /** The movements dated in `year` (any order). */
  movements: readonly JhtMovement[];
  /** rate_Y in basis points; null while not announced. */
  rateBp: RateBp | null;
}

/** The year's return, credited once as one entry dated 31 December; null while the rate is not announced (wait). */
export function yearReturn(input: YearReturnInput): number | null {
  if (input.rateBp === null) {
    return null;
  }
  const sum = balanceDays(input.year, input.openingBalance, input.movements, daysInYear(input.year));
  return returnOf(input.year, sum, input.rateBp);
}

/**
 * What the year-end crediting of `year` credits an account (our decision, docs/architecture.md "JHT returns"): the
 * year's return less the interim returns already paid in that year with a full withdrawal (each the return accrued to
 * the day before its approval, at the last announced rate), never negative; null while the rate is not announced.
 * The interim return and the withdrawal that pays it out are movements of the same day, so they cancel in the
 * day sum: the year's return counts the withdrawn balance up to the day before the approval, as the interim did.
 */
export function yearCredit(input: YearReturnInput & { interimReturns: number }): number | null {
  const full = yearReturn(input);
  return full === null ? null : Math.max(0, full - input.interimReturns);
}

/**
 * The current year's return accrued to the end of `through` (a withdrawal: the day before the payout is approved;
 * `through` before 1 January of `year` accrues nothing), at the last announced rate, less `interimReturns` of the year
 * already paid.
 */
export function accruedReturn(
  input: Omit<YearReturnInput, 'rateBp'> & { through: LocalDate; lastRateBp: RateBp | null; interimReturns?: number },
): number {
  if (input.lastRateBp === null || yearOf(input.through) < input.year) {
    return 0;
  }
  const throughDay = yearOf(input.through) > input.year ? daysInYear(input.year) : dayOfYear(input.through);
  const inRange = input.movements.filter((m) => dayOfYear(m.date) <= throughDay);
  const accrued = returnOf(input.year, balanceDays(input.year, input.openingBalance, inRange, throughDay), input.lastRateBp);
  // Interim returns already paid this year (a full withdrawal) are not accrued again.
  return Math.max(0, accrued - (input.interimReturns ?? 0));
}

/** The last announced rate: the rate of the latest year that has one (null when none has). */
export function lastAnnouncedRate(rates: ReadonlyMap<number, RateBp>): RateBp | null {
  const years = [...rates.keys()].sort((a, b) => b - a);
  return years.length === 0 ? null : (rates.get(years[0] as number) as RateBp);
}

/** The opening balance of `year` and the movements dated in it, from every movement of the account. */
export function splitAtYear(year: number, movements: readonly JhtMovement[]): { openingBalance: number; movements: JhtMovement[] } {
  let openingBalance = 0;
  const inYear: JhtMovement[] = [];
  for (const m of movements) {
    const y = yearOf(m.date);
    if (y < year) {
      openingBalance += m.amount;
    } else if (y === year) {
      inYear.push(m);
    }
  }
  return { openingBalance, movements: inYear };
}

/**
 * Credits the returns of `fromYear`..`toYear` in order (each year's return joins the next year's opening balance,
 * dated 31 December), stopping at the first year without a rate: crediting waits for it. Returns the credited years.
 */
export function compoundReturns(
  movements: readonly JhtMovement[],
  rates: ReadonlyMap<number, RateBp>,
  fromYear: number,
  toYear: number,
): { year: number; amount: number }[] {
  const all = [...movements];
  const out: { year: number; amount: number }[] = [];
  for (let year = fromYear; year <= toYear; year++) {
    const amount = yearReturn({ year, ...splitAtYear(year, all), rateBp: rates.get(year) ?? null });
    if (amount === null) {
      break;
    }
    out.push({ year, amount });
    all.push({ date: `${year}-12-31`, amount });
  }
  return out;
}
