/**
 * Benefit lines (api-contract.md "Claims": `lines: [{ benefit, amount }]`), computed by the rulebook once a claim is
 * verified. Pure, integer rupiah; every figure is rule-book data for the month that decides (JKK/JKM: the event's,
 * JHT: the payout's), and each amount is rounded at most once by `roundRupiah`.
 */
import type { Lang } from '../../../shared/i18n/catalogue.js';
import { percentOfBps, roundRupiah, rupiah, sumRupiah } from '../../../shared/money.js';
import type { Rupiah } from '../../../shared/money.js';
import { localDateInJakarta, monthInJakarta } from '../../../shared/month.js';
import type { LocalDate, Month } from '../../../shared/month.js';
import { ok, reject } from '../../../shared/result.js';
import type { Result } from '../../../shared/result.js';
import { benefitParametersAt } from '../../contributions/index.js';
import { claimRulesAt, scholarshipTier } from './claims-rule-book.js';
import type { ClaimRuleBook, ClaimRules, SchoolLevel } from './claims-rule-book.js';
import { ageOn } from './dates.js';
import type { Failure, Rules } from './eligibility.js';
import { ruleText } from './texts.js';
import type { ClaimRule } from './texts.js';

export const BENEFIT_LINES = [
  'stmb',
  'medical',
  'disability_lump_sum',
  'death_lump_sum',
  'periodic_lump_sum',
  'funeral',
  'scholarship',
  'jht_balance',
  'jht_return',
] as const;
export type BenefitLineName = (typeof BENEFIT_LINES)[number];

export interface BenefitLine {
  readonly benefit: BenefitLineName;
  readonly amount: Rupiah;
  /** Scholarship lines: the child the school year's entitlement is for. */
  readonly child?: string;
}

export function linesTotal(lines: readonly BenefitLine[]): Rupiah {
  return sumRupiah(lines.map((l) => l.amount));
}

function failure(code: Failure['code'], rule: ClaimRule, params: Record<string, string | number>, lang: Lang): Failure {
  return { code, rule, ...ruleText(rule, params, lang) };
}

// ---------------------------------------------------------------------------------------------------------------
// Scholarship (§4.3): a yearly entitlement per child, for at most 2 children
// ---------------------------------------------------------------------------------------------------------------

export interface ChildFacts {
  readonly fullName: string;
  readonly birthDate: LocalDate;
  readonly schoolLevel: SchoolLevel;
  readonly married?: boolean;
  readonly working?: boolean;
  /** School years already paid at `schoolLevel` (the tier's max years bound it). */
  readonly yearsPaidAtLevel?: number;
  /** This school year's entitlement was already claimed. */
  readonly claimedThisSchoolYear?: boolean;
}

export interface ScholarshipInput {
  /** JKK (death or total disability): no contribution-month condition. JKM: at least 36 paid months. */
  readonly program: 'JKK' | 'JKM';
  /** The member's death or disability: its month decides the rule rows. */
  readonly eventAt: Date;
  /** When the school year's entitlement is claimed: the child's age is taken on this day. */
  readonly at: Date;
  /** Paid contribution months (the JKM condition). */
  readonly paidMonths: number;
  /** In the order the claimant listed them; the first `maxChildren` are the beneficiaries (project decision). */
  readonly children: readonly ChildFacts[];
}

export interface ScholarshipResult {
  readonly lines: readonly BenefitLine[];
  readonly failures: readonly Failure[];
}

function childFailures(c: ChildFacts, today: LocalDate, r: ClaimRules, lang: Lang): Failure[] {
  const out: Failure[] = [];
  const name = c.fullName;
  const age = ageOn(c.birthDate, today);
  if (age >= r.scholarshipEndAge) {
    out.push(failure('not_eligible', 'childTooOld', { name, age, end: r.scholarshipEndAge }, lang));
  }
  if (c.married === true) {
    out.push(failure('not_eligible', 'childMarried', { name }, lang));
  }
  if (c.working === true) {
    out.push(failure('not_eligible', 'childWorking', { name }, lang));
  }
  const tier = scholarshipTier(c.schoolLevel, r);
  if (tier === undefined) {
    out.push(failure('not_eligible', 'childNotInSchool', { name }, lang));
  } else if ((c.yearsPaidAtLevel ?? 0) >= tier.maxYears) {
    out.push(failure('not_eligible', 'levelYearsUsed', { name, level: tier.level, years: tier.maxYears }, lang));
  }
  if (c.claimedThisSchoolYear === true) {
    out.push(failure('not_eligible', 'yearAlreadyClaimed', { name }, lang));
  }
  return out;
}

/** This school year's scholarship lines, one per eligible child, and every reason a child gets none. */
export function scholarshipLines(input: ScholarshipInput, deps: Rules): ScholarshipResult {
  const lang = deps.lang ?? 'id';
  const month = monthInJakarta(input.eventAt);
  const p = benefitParametersAt(month, deps.rules);
  const r = claimRulesAt(month, deps.claimRules);
  const minMonths = p.jkmScholarshipMinContributionMonths;
  if (input.program === 'JKM' && input.paidMonths < minMonths) {
    const paid = input.paidMonths;
    return { lines: [], failures: [failure('membership_too_short', 'scholarshipMonths', { months: minMonths, paid }, lang)] };
  }
  const today = localDateInJakarta(input.at);
  const lines: BenefitLine[] = [];
  const failures: Failure[] = [];
  input.children.forEach((c, index) => {
    if (index >= p.scholarshipMaxChildren) {
      failures.push(failure('not_eligible', 'childOverLimit', { max: p.scholarshipMaxChildren, name: c.fullName }, lang));
      return;
    }
    const childFailed = childFailures(c, today, r, lang);
    const tier = scholarshipTier(c.schoolLevel, r);
    if (childFailed.length === 0 && tier !== undefined) {
      lines.push({ benefit: 'scholarship', amount: tier.perYear, child: c.fullName });
    }
    failures.push(...childFailed);
  });
  return { lines, failures };
}

// ---------------------------------------------------------------------------------------------------------------
// JKK: the officer's assessment
// ---------------------------------------------------------------------------------------------------------------

export const JKK_OUTCOMES = ['recovered', 'partial_disability', 'total_disability', 'death'] as const;
export type JkkOutcome = (typeof JKK_OUTCOMES)[number];

export interface JkkAssessment {
  readonly outcome: JkkOutcome;
  /** Days of temporary incapacity (STMB). */
  readonly stmbDays?: number;
  /** The assessed medical cost (no cap). */
  readonly medicalCost?: Rupiah;
  /** partial_disability: the percent from the disability table, 1..100. */
  readonly disabilityPercent?: number;
}

export interface JkkLinesInput {
  readonly assessment: JkkAssessment;
  /** The contribution base (declared income rung) in force in the month of the event. */
  readonly base: Rupiah;
  readonly eventAt: Date;
}

export type AssessmentRejection = 'invalid_assessment';

function isCount(n: number | undefined): boolean {
  return n === undefined || (Number.isSafeInteger(n) && n >= 0);
}

function checkAssessment(a: JkkAssessment, base: Rupiah): string | null {
  if (!JKK_OUTCOMES.includes(a.outcome)) {
    return 'outcome';
  }
  if (!Number.isSafeInteger(base) || base <= 0) {
    return 'base';
  }
  if (!isCount(a.stmbDays)) {
    return 'stmbDays';
  }
  if (!isCount(a.medicalCost)) {
    return 'medicalCost';
  }
  const pct = a.disabilityPercent;
  if (a.outcome === 'partial_disability' && (pct === undefined || !Number.isInteger(pct) || pct < 1 || pct > 100)) {
    return 'disabilityPercent';
  }
  return null;
}

/** STMB for `days` of incapacity: base / 30 a day, the full share for the first 365 days, the reduced one after. */
export function stmbAmount(base: Rupiah, days: number, month: Month, deps: Pick<Rules, 'rules' | 'claimRules'>): Rupiah {
  const p = benefitParametersAt(month, deps.rules);
  const fullDays = Math.min(days, claimRulesAt(month, deps.claimRules).stmbFullDays);
  const reducedDays = days - fullDays;
  const shareBps = BigInt(fullDays) * BigInt(p.stmbFullBps) + BigInt(reducedDays) * BigInt(p.stmbReducedBps);
  return roundRupiah(BigInt(base) * shareBps, BigInt(p.stmbDaysPerMonth) * 10_000n);
}

/**
 * The JKK cash lines of an assessment: `stmb` and `medical` for any outcome, `disability_lump_sum` (percent × 80 ×
 * base, or 56 × base for total disability), and on death `death_lump_sum` 48 × base + `periodic_lump_sum` +
 * `funeral`. Zero amounts are left out. Scholarships (death or total disability) come from `scholarshipLines`.
 */
export function jkkLines(input: JkkLinesInput, deps: Pick<Rules, 'rules' | 'claimRules'>): Result<BenefitLine[], AssessmentRejection> {
  const { assessment: a, base } = input;
  const bad = checkAssessment(a, base);
  if (bad !== null) {
    return reject('invalid_assessment', bad);
  }
  const month = monthInJakarta(input.eventAt);
  const p = benefitParametersAt(month, deps.rules);
  const lines: BenefitLine[] = [
    { benefit: 'stmb', amount: stmbAmount(base, a.stmbDays ?? 0, month, deps) },
    { benefit: 'medical', amount: a.medicalCost ?? 0 },
  ];
  if (a.outcome === 'partial_disability') {
    const pct = BigInt(a.disabilityPercent ?? 0);
    const amount = roundRupiah(BigInt(base) * BigInt(p.jkkPartialDisabilityMultiplier) * pct, 100n);
    lines.push({ benefit: 'disability_lump_sum', amount });
  }
  if (a.outcome === 'total_disability') {
    lines.push({ benefit: 'disability_lump_sum', amount: rupiah(base * p.jkkTotalDisabilityMultiplier) });
  }
  if (a.outcome === 'death') {
    lines.push(
      { benefit: 'death_lump_sum', amount: rupiah(base * p.jkkDeathMultiplier) },
      { benefit: 'periodic_lump_sum', amount: p.jkkDeathPeriodicLumpSum },
      { benefit: 'funeral', amount: p.jkkDeathFuneral },
    );
  }
  return ok(lines.filter((l) => l.amount > 0));
}

/** JKK pays scholarships only on death or total permanent disability (§4.1). */
export function jkkScholarshipApplies(outcome: JkkOutcome): boolean {
  return outcome === 'death' || outcome === 'total_disability';
}

// ---------------------------------------------------------------------------------------------------------------
// JKM and JHT
// ---------------------------------------------------------------------------------------------------------------

/** JKM cash lines for a death in `deathAt`'s month (Rp20.000.000 + Rp12.000.000 + Rp10.000.000 today). */
export function jkmLines(deathAt: Date, deps: Pick<Rules, 'rules'>): BenefitLine[] {
  const p = benefitParametersAt(monthInJakarta(deathAt), deps.rules);
  return [
    { benefit: 'death_lump_sum', amount: p.jkmDeathLumpSum },
    { benefit: 'periodic_lump_sum', amount: p.jkmPeriodicLumpSum },
    { benefit: 'funeral', amount: p.jkmFuneral },
  ];
}

export interface JhtLinesInput {
  readonly reason: 'full' | 'partial_10' | 'partial_30';
  /** The credited balance. */
  readonly balance: Rupiah;
  /** The current year's return accrued to the day before approval (domain-rules.md "JHT return during a year"). */
  readonly accrued: Rupiah;
  /** The payout's instant: its month decides the partial shares. */
  readonly at: Date;
}

/** JHT: the whole balance and accrued return, or 10% / 30% of each (each rounded once). */
export function jhtLines(input: JhtLinesInput, deps: { readonly claimRules: ClaimRuleBook }): BenefitLine[] {
  if (input.reason === 'full') {
    return [
      { benefit: 'jht_balance', amount: input.balance },
      { benefit: 'jht_return', amount: input.accrued },
    ];
  }
  const bps = claimRulesAt(monthInJakarta(input.at), deps.claimRules).jhtPartialBps[input.reason];
  return [
    { benefit: 'jht_balance', amount: percentOfBps(input.balance, bps) },
    { benefit: 'jht_return', amount: percentOfBps(input.accrued, bps) },
  ];
}

