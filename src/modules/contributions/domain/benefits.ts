/**
 * What a BPU contribution buys (domain-rules.md §4) and an illustrative JHT balance projection, for the
 * contribution simulator. Pure: every figure comes from the rule book; money is integer rupiah and the only
 * rounding is `roundRupiah` (src/shared/money.ts).
 */
import { roundRupiah, rupiah } from '../../../shared/money.js';
import type { Rupiah } from '../../../shared/money.js';
import { isMonth } from '../../../shared/month.js';
import type { Month } from '../../../shared/month.js';
import { ok, reject } from '../../../shared/result.js';
import type { Result } from '../../../shared/result.js';
import { contributionBase, programAmount, validatePrograms } from './price-contribution.js';
import { benefitParametersAt, inForce, jhtIllustrativeReturnBps } from './rule-book.js';
import type { BenefitParameters, Program, RuleBook } from './rule-book.js';

// ---------------------------------------------------------------------------------------------------------------
// Benefits
// ---------------------------------------------------------------------------------------------------------------

export interface BenefitsInput {
  declaredIncome: number;
  programs: readonly string[];
  /** The month whose rule rows apply (the simulator passes the current contribution month). */
  month: string;
}

/** JKK (work accident / occupational disease), §4.1. Every multiple applies to `Benefits.incomeBase`. */
export interface JkkBenefits {
  death: {
    multiplier: number;
    /** multiplier × income base */
    incomeMultiple: Rupiah;
    /** santunan berkala, paid at once */
    periodicLumpSum: Rupiah;
    funeral: Rupiah;
    /** incomeMultiple + periodicLumpSum + funeral */
    total: Rupiah;
  };
  totalPermanentDisability: { multiplier: number; amount: Rupiah };
  /**
   * Partial disability pays (% from the disability table) × this amount, i.e. multiplier (80) × income base.
   * The table (PP 44/2015 Lampiran III) is not transcribed, so no per-injury figure is given.
   */
  partialDisability: { multiplier: number; amountAtFullTablePercentage: Rupiah };
  /** STMB, temporary incapacity: a daily amount while unable to work, until recovered. */
  stmb: {
    /** Months paid at the full share (12). */
    fullMonths: number;
    fullBps: number;
    reducedBps: number;
    /** income base × fullBps / daysPerMonth, rounded once */
    perDayFirstMonths: Rupiah;
    /** income base × reducedBps / daysPerMonth, rounded once */
    perDayAfter: Rupiah;
  };
  homecareCap: Rupiah;
  /** On JKK death or total permanent disability. */
  scholarship: { maxChildren: number; maxTotal: Rupiah };
}

/** JKM (death not from a work accident), §4.2: fixed amounts, independent of income. */
export interface JkmBenefits {
  deathLumpSum: Rupiah;
  periodicLumpSum: Rupiah;
  funeral: Rupiah;
  total: Rupiah;
  /** Only when the member has paid at least `minContributionMonths` (masa iur ≥ 3 years). */
  scholarship: { maxChildren: number; maxTotal: Rupiah; minContributionMonths: number };
}

/** JHT (old-age savings), §4.4: no fixed benefit — the balance is contributions + returns (see projectJhtBalance). */
export interface JhtBenefits {
  /** The monthly JHT contribution (never discounted), the input of projectJhtBalance. */
  monthlyContribution: Rupiah;
  /** The rule book's ILLUSTRATIVE yearly return, not a promised rate. */
  illustrativeReturnBps: number;
}

export interface Benefits {
  month: Month;
  /** The nominal income value benefits are computed on: the same ladder rung as the contribution (§1.3). */
  incomeBase: Rupiah;
  /** Null when the program was not chosen (JKK and JKM are mandatory, so they are always present today). */
  jkk: JkkBenefits | null;
  jkm: JkmBenefits | null;
  jht: JhtBenefits | null;
  /** Sources of the benefit parameters and, with JHT, of the illustrative return. */
  sources: string[];
}

export type BenefitsRejection = 'income_below_minimum' | 'invalid_programs' | 'invalid_months';

/** income × bps / days, rounded once by the one rounding policy. */
function dailyShare(income: Rupiah, bps: number, daysPerMonth: number): Rupiah {
  return roundRupiah(BigInt(income) * BigInt(bps), BigInt(daysPerMonth) * 10_000n);
}

/** Integer multiples need no rounding; `rupiah` rejects a non-integer product (a non-integer multiplier). */
function times(income: Rupiah, multiplier: number): Rupiah {
  return rupiah(income * multiplier);
}

function hasRulesFor(month: Month, programs: readonly Program[], rules: RuleBook): boolean {
  return (
    inForce(rules.incomeLadders, month) !== undefined &&
    inForce(rules.benefitParameters, month) !== undefined &&
    programs.every((p) => inForce(rules.programRates.filter((r) => r.program === p), month) !== undefined) &&
    (!programs.includes('JHT') || inForce(rules.jhtIllustrativeReturns, month) !== undefined)
  );
}

/** JKK (work accident): death, disability, income while unable to work (STMB), home care and scholarships. */
function jkkBenefits(income: Rupiah, p: BenefitParameters): JkkBenefits {
  const incomeMultiple = times(income, p.jkkDeathMultiplier);
  return {
    death: {
      multiplier: p.jkkDeathMultiplier,
      incomeMultiple,
      periodicLumpSum: p.jkkDeathPeriodicLumpSum,
      funeral: p.jkkDeathFuneral,
      total: rupiah(incomeMultiple + p.jkkDeathPeriodicLumpSum + p.jkkDeathFuneral),
    },
    totalPermanentDisability: {
      multiplier: p.jkkTotalDisabilityMultiplier,
      amount: times(income, p.jkkTotalDisabilityMultiplier),
    },
    partialDisability: {
      multiplier: p.jkkPartialDisabilityMultiplier,
      amountAtFullTablePercentage: times(income, p.jkkPartialDisabilityMultiplier),
    },
    stmb: {
      fullMonths: p.stmbFullMonths,
      fullBps: p.stmbFullBps,
      reducedBps: p.stmbReducedBps,
      perDayFirstMonths: dailyShare(income, p.stmbFullBps, p.stmbDaysPerMonth),
      perDayAfter: dailyShare(income, p.stmbReducedBps, p.stmbDaysPerMonth),
    },
    homecareCap: p.jkkHomecareCap,
    scholarship: { maxChildren: p.scholarshipMaxChildren, maxTotal: p.scholarshipMaxTotal },
  };
}

/** JKM (death): the fixed lump sums and scholarships. */
function jkmBenefits(p: BenefitParameters): JkmBenefits {
  return {
    deathLumpSum: p.jkmDeathLumpSum,
    periodicLumpSum: p.jkmPeriodicLumpSum,
    funeral: p.jkmFuneral,
    total: p.jkmTotal,
    scholarship: {
      maxChildren: p.scholarshipMaxChildren,
      maxTotal: p.scholarshipMaxTotal,
      minContributionMonths: p.jkmScholarshipMinContributionMonths,
    },
  };
}

/**
 * What the chosen programs buy at the declared income, from the rule rows in force in `month`.
 * Program and income validation match priceContribution (same rejection codes); a month the rule book has no
 * rows for is rejected as `invalid_months`, like a quote's start month.
 */
export function benefitsFor(input: BenefitsInput, rules: RuleBook): Result<Benefits, BenefitsRejection> {
  const programs = validatePrograms(input.programs);
  if (!programs.ok) {
    return programs;
  }
  const { month } = input;
  if (!isMonth(month)) {
    return reject('invalid_months', 'month', 'expected YYYY-MM');
  }
  if (!hasRulesFor(month, programs.value, rules)) {
    return reject('invalid_months', 'month', `no benefit rules in force for ${month}`);
  }
  const base = contributionBase(input.declaredIncome, month, rules);
  if (!base.ok) {
    return base;
  }
  const income = base.value;
  const p = benefitParametersAt(month, rules);
  const chosen = (program: Program): boolean => programs.value.includes(program);

  const jkk = chosen('JKK') ? jkkBenefits(income, p) : null;
  const jkm = chosen('JKM') ? jkmBenefits(p) : null;

  const sources = [p.source];
  let jht: JhtBenefits | null = null;
  if (chosen('JHT')) {
    jht = {
      monthlyContribution: programAmount('JHT', income, month, rules),
      illustrativeReturnBps: jhtIllustrativeReturnBps(month, rules),
    };
    const row = inForce(rules.jhtIllustrativeReturns, month);
    if (row !== undefined) {
      sources.push(row.source);
    }
  }

  return ok({ month, incomeBase: income, jkk, jkm, jht, sources });
}

// ---------------------------------------------------------------------------------------------------------------
// JHT projection
// ---------------------------------------------------------------------------------------------------------------

export interface JhtProjectionInput {
  /** Paid at the START of every month (the JHT line of a quote). Whole rupiah, ≥ 0. */
  monthlyContribution: Rupiah;
  /** Yearly return in basis points (563 = 5,63%); an integer above −10 000. */
  annualReturnBps: number;
  /** Whole years, 0..MAX_PROJECTION_YEARS. */
  years: number;
}

export interface JhtProjectionPoint {
  /** 1..years: the balance at the END of this year. */
  year: number;
  balance: Rupiah;
  /** monthlyContribution × 12 × year */
  contributed: Rupiah;
  /** balance − contributed (so the three always add up exactly). */
  returns: Rupiah;
}

/** Bounds the work (and the BigInt sizes) of one projection; a simulator never needs more. */
export const MAX_PROJECTION_YEARS = 100;

/** Fixed-point scale of the monthly growth factor: 30 decimal places. */
const SCALE = 10n ** 30n;

/** floor(A^(1/n)) for A ≥ 0, by integer Newton iteration from above (exact, platform independent). */
function integerRoot(a: bigint, n: number): bigint {
  if (a < 2n) {
    return a;
  }
  const k = BigInt(n);
  let x = 1n << BigInt(Math.ceil(a.toString(2).length / n)); // 2^ceil(bits/n) > root
  for (;;) {
    const y = ((k - 1n) * x + a / x ** (k - 1n)) / k;
    if (y >= x) {
      return x;
    }
    x = y;
  }
}

/**
 * SCALE × (1 + bps/10 000)^(1/12), floored. 1 + r = (10 000 + bps) / 10 000 and SCALE^12 = 10^360 is divisible by
 * 10 000, so the radicand is an exact integer.
 */
function monthlyGrowthFactor(annualReturnBps: number): bigint {
  return integerRoot((BigInt(10_000 + annualReturnBps) * SCALE ** 12n) / 10_000n, 12);
}

/**
 * The illustrative JHT balance at the end of each year 1..years.
 *
 * Convention: contributions are paid at the start of every month and the balance grows every month by the
 * EQUIVALENT monthly rate g − 1 = (1 + r)^(1/12) − 1 (not r/12). Why: the published JHT rate is an annual credited
 * return, so a balance held for a whole year must grow by exactly r — r/12 compounded monthly would illustrate
 * (1 + r/12)^12 − 1 (5,78% for 5,63%), overstating the published figure. A contribution held k < 12 months of a year
 * earns (1 + r)^(k/12) − 1, marginally below the pro-rata-by-value-date r × k/12 of the rulebook: a conservative
 * illustration, never an inflated one.
 *
 * Arithmetic: g is the only approximation — a BigInt fixed-point 12th root floored at 30 decimal places (relative
 * error < 10^−30, i.e. under 10^−11 rupiah on any safe-integer balance after 100 years). Everything after is exact
 * rational BigInt arithmetic, and each reported balance is rounded ONCE by roundRupiah. No floating point, so the
 * output is identical on every platform and run.
 *
 * Throws RangeError on invalid input (these come from a quote and the rule book, not raw user input).
 */
export function projectJhtBalance(input: JhtProjectionInput): JhtProjectionPoint[] {
  const { monthlyContribution, annualReturnBps, years } = input;
  if (!Number.isSafeInteger(monthlyContribution) || monthlyContribution < 0) {
    throw new RangeError(`monthlyContribution must be whole rupiah ≥ 0: ${monthlyContribution}`);
  }
  if (!Number.isSafeInteger(annualReturnBps) || annualReturnBps <= -10_000) {
    throw new RangeError(`annualReturnBps must be an integer above -10000: ${annualReturnBps}`);
  }
  if (!Number.isInteger(years) || years < 0 || years > MAX_PROJECTION_YEARS) {
    throw new RangeError(`years must be an integer 0..${MAX_PROJECTION_YEARS}: ${years}`);
  }

  const g = monthlyGrowthFactor(annualReturnBps);
  const c = BigInt(monthlyContribution);
  // balance = num / den exactly, with den = SCALE^(months elapsed).
  let num = 0n;
  let den = 1n;
  const points: JhtProjectionPoint[] = [];
  for (let year = 1; year <= years; year++) {
    for (let m = 0; m < 12; m++) {
      num = (num + c * den) * g; // pay at the start of the month, then grow for the month
      den *= SCALE;
    }
    const balance = roundRupiah(num, den);
    const contributed = rupiah(monthlyContribution * 12 * year);
    points.push({ year, balance, contributed, returns: rupiah(balance - contributed) });
  }
  return points;
}
