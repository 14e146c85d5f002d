/**
 * Pricing of BPU contributions (domain-rules.md §1.3, §2). Pure: every figure comes from the rule book, and every
 * month is priced on its own, because both the income ladder and the PP 50/2025 discount are effective-dated per
 * contribution month — a 12-month prepayment can mix discounted and full months.
 */
import { percentOfBps, sumRupiah } from '../../../shared/money.js';
import type { Rupiah } from '../../../shared/money.js';
import { isMonth, monthRange } from '../../../shared/month.js';
import type { Month } from '../../../shared/month.js';
import { ok, reject } from '../../../shared/result.js';
import type { Result } from '../../../shared/result.js';
import { fundingInForce, type FundingFrom } from './funding.js';
import { allInForce, inForce, MANDATORY_PROGRAMS, PROGRAMS, requireInForce } from './rule-book.js';
import type { DiscountRule, Funding, Program, RuleBook, Sector } from './rule-book.js';

export interface QuoteLine {
  program: Program;
  amount: number;
  discount: number;
  net: number;
}

export interface QuoteMonth {
  month: string;
  total: number;
  lines: QuoteLine[];
}

export interface Quote {
  /** Ladder rung for the first month. */
  contributionBase: number;
  total: number;
  months: QuoteMonth[];
}

export type QuoteRejection = 'income_below_minimum' | 'invalid_programs' | 'invalid_months' | 'invalid_start_month';

export interface PriceContributionInput {
  declaredIncome: number;
  programs: readonly string[];
  months: number;
  startMonth: string;
  sector: Sector;
  /** The funding (participant.funding): every month's, unless `fundingFrom` says otherwise for a month. */
  funding: Funding;
  /** The member's effective-dated funding (participant_funding): each month is priced with the funding in force then. */
  fundingFrom?: readonly FundingFrom[];
}

function isProgram(s: string): s is Program {
  return (PROGRAMS as readonly string[]).includes(s);
}

/** R1: JKK and JKM are mandatory, JHT optional; nothing else, no duplicates. Returns canonical order. */
export function validatePrograms(programs: readonly string[]): Result<Program[], 'invalid_programs'> {
  const seen = new Set<string>();
  for (const p of programs) {
    if (!isProgram(p)) {
      return reject('invalid_programs', 'programs', `unknown program ${JSON.stringify(p)}`);
    }
    if (seen.has(p)) {
      return reject('invalid_programs', 'programs', `duplicate program ${p}`);
    }
    seen.add(p);
  }
  const missing = MANDATORY_PROGRAMS.filter((p) => !seen.has(p));
  if (missing.length > 0) {
    return reject('invalid_programs', 'programs', `missing mandatory ${missing.join(', ')}`);
  }
  return ok(PROGRAMS.filter((p) => seen.has(p)));
}

/**
 * The nominal income value the contribution is computed on (R3, project decision on the Lampiran II gap):
 * the highest rung not above the declared income; above the top rung → the top rung; below the lowest → rejected.
 */
export function contributionBase(
  declaredIncome: number,
  month: string,
  rules: RuleBook,
): Result<number, 'income_below_minimum'> {
  const { rungs } = requireInForce(rules.incomeLadders, month, 'income ladder');
  if (!Number.isFinite(declaredIncome)) {
    return reject('income_below_minimum', 'declaredIncome', 'not a finite amount');
  }
  let base: Rupiah | undefined;
  for (const rung of rungs) {
    if (rung <= declaredIncome && (base === undefined || rung > base)) {
      base = rung;
    }
  }
  if (base === undefined) {
    return reject('income_below_minimum', 'declaredIncome', `lowest declarable income is ${Math.min(...rungs)}`);
  }
  return ok(base);
}

/** The undiscounted monthly amount of one program (R2). */
export function programAmount(program: Program, base: Rupiah, month: Month, rules: RuleBook): Rupiah {
  const rate = requireInForce(
    rules.programRates.filter((r) => r.program === program),
    month,
    `${program} rate`,
  );
  return rate.basis === 'flat' ? rate.amount : percentOfBps(base, rate.bps);
}

/**
 * The discount rule that applies to one program in one month, if any. Discounts do not stack: if rules ever
 * overlap, the most generous one applies (a participant cannot be charged less than zero, and no regulation adds them).
 */
export function discountRuleFor(
  program: Program,
  month: Month,
  sector: Sector,
  funding: Funding,
  rules: RuleBook,
): DiscountRule | undefined {
  let best: DiscountRule | undefined;
  for (const rule of allInForce(rules.discountRules, month)) {
    const applies =
      rule.programs.includes(program) && rule.sectors.includes(sector) && !rule.excludedFunding.includes(funding);
    if (applies && rule.bps > (best?.bps ?? 0)) {
      best = rule;
    }
  }
  return best;
}

/** The discount in basis points for one program in one month (0 when none applies). */
export function discountBps(
  program: Program,
  month: Month,
  sector: Sector,
  funding: Funding,
  rules: RuleBook,
): number {
  return discountRuleFor(program, month, sector, funding, rules)?.bps ?? 0;
}

export interface PriceMonthInput {
  /** The contribution base for this month (see contributionBase). */
  base: Rupiah;
  /** Already validated, canonical order. */
  programs: readonly Program[];
  month: Month;
  sector: Sector;
  funding: Funding;
}

/** One contribution month: lines in canonical program order, net = amount − discount. */
export function priceMonth(input: PriceMonthInput, rules: RuleBook): QuoteMonth {
  const lines: QuoteLine[] = PROGRAMS.filter((p) => input.programs.includes(p)).map((program) => {
    const amount = programAmount(program, input.base, input.month, rules);
    const discount = percentOfBps(amount, discountBps(program, input.month, input.sector, input.funding, rules));
    return { program, amount, discount, net: amount - discount };
  });
  return { month: input.month, total: sumRupiah(lines.map((l) => l.net)), lines };
}

function hasRulesFor(month: string, programs: readonly Program[], rules: RuleBook): boolean {
  return (
    isMonth(month) &&
    inForce(rules.incomeLadders, month) !== undefined &&
    programs.every((p) => inForce(rules.programRates.filter((r) => r.program === p), month) !== undefined)
  );
}

/** A quote for `months` consecutive contribution months starting at `startMonth`, priced month by month. */
export function priceContribution(input: PriceContributionInput, rules: RuleBook): Result<Quote, QuoteRejection> {
  const programs = validatePrograms(input.programs);
  if (!programs.ok) {
    return programs;
  }
  if (!Number.isInteger(input.months) || input.months < 1 || !rules.prepaymentOptions.includes(input.months)) {
    return reject('invalid_months', 'months', `allowed: ${rules.prepaymentOptions.join(', ')}`);
  }
  if (!isMonth(input.startMonth)) {
    return reject('invalid_start_month', 'startMonth', 'expected YYYY-MM');
  }

  const months: QuoteMonth[] = [];
  let firstBase: Rupiah | undefined;
  for (const month of monthRange(input.startMonth, input.months)) {
    // A month the rule book has no ladder or rate for (before the BPU scheme, or beyond year 9999) cannot be priced:
    // that is a bad start month from the caller, not a configuration error to throw on.
    if (!hasRulesFor(month, programs.value, rules)) {
      return reject('invalid_start_month', 'startMonth', `no contribution rules in force for ${month}`);
    }
    const base = contributionBase(input.declaredIncome, month, rules);
    if (!base.ok) {
      return base;
    }
    firstBase ??= base.value;
    const { sector } = input;
    const funding = fundingInForce(input.fundingFrom ?? [], input.funding, month);
    months.push(priceMonth({ base: base.value, programs: programs.value, month, sector, funding }, rules));
  }

  // months ≥ 1 was checked, so firstBase is set.
  return ok({
    contributionBase: firstBase ?? 0,
    total: sumRupiah(months.map((m) => m.total)),
    months,
  });
}
