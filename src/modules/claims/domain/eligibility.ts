/**
 * Claim eligibility (issue 15 item 4; domain-rules.md §4 and "Second release: decisions …"). Pure: the caller passes
 * the facts and the time; each check returns EVERY failed condition, not only the first, each with the contract's
 * code (api-contract.md "Claims"), the rule that failed, and what failed and what to do in plain Indonesian (or
 * English). An empty `failures` list means eligible.
 */
import type { Lang } from '../../../shared/i18n/catalogue.js';
import { formatRupiah } from '../../../shared/money.js';
import type { Rupiah } from '../../../shared/money.js';
import { localDateInJakarta, monthInJakarta } from '../../../shared/month.js';
import type { LocalDate } from '../../../shared/month.js';
import { jhtSelfServiceCap } from '../../contributions/index.js';
import type { Program, RuleBook } from '../../contributions/index.js';
import { claimRulesAt } from './claims-rule-book.js';
import type { ClaimRuleBook } from './claims-rule-book.js';
import { addMonthsToDate, ageOn } from './dates.js';
import { ruleText } from './texts.js';
import type { ClaimRule } from './texts.js';

/** The refusal codes of api-contract.md "Claims". */
export type EligibilityCode =
  | 'not_eligible'
  | 'online_limit_exceeded'
  | 'partial_already_used'
  | 'membership_too_short'
  | 'waiting_period'
  | 'not_covered_at_event'
  | 'claim_in_progress';

export interface Failure {
  readonly code: EligibilityCode;
  /** Which condition failed (a stable key, e.g. `npwpRequired`); several may share a code. */
  readonly rule: ClaimRule;
  readonly message: string;
  readonly todo: string;
}

/**
 * A condition that does not refuse the claim but an officer should see: a JKK report later than 2×24 hours
 * (`lateReport`), or a JHT claim that needs the NPWP and gave one (`npwpChecked`: the NPWP card is a required document).
 */
export interface Flag {
  readonly rule: 'lateReport' | 'npwpChecked';
  readonly message: string;
  readonly todo: string;
}

export interface Eligibility {
  readonly failures: readonly Failure[];
  readonly flags: readonly Flag[];
}

/** Who files: the member in the portal / app, or an officer at a branch (also for heirs). */
export type Channel = 'self_service' | 'staff';

export const JHT_REASONS = ['age_56', 'stopped_working', 'leaving_indonesia', 'total_disability', 'death', 'partial_10', 'partial_30'] as const;
export type JhtReason = (typeof JHT_REASONS)[number];

export interface Rules {
  readonly rules: RuleBook;
  readonly claimRules: ClaimRuleBook;
  readonly lang?: Lang;
}

/** The answer of the point-in-time coverage question (`/staff/participants/{kpj}/coverage?at=`). */
export interface CoverageAnswer {
  readonly covered: boolean;
  readonly programs: readonly Program[];
}

function failure(code: EligibilityCode, rule: ClaimRule, params: Record<string, string | number>, lang: Lang): Failure {
  return { code, rule, ...ruleText(rule, params, lang) };
}

// ---------------------------------------------------------------------------------------------------------------
// JHT
// ---------------------------------------------------------------------------------------------------------------

export interface JhtClaimFacts {
  readonly reason: JhtReason;
  readonly channel: Channel;
  /** When the claim is filed. */
  readonly at: Date;
  readonly birthDate: LocalDate;
  /** `stopped_working`: the day work stopped. Other reasons ignore it. */
  readonly reasonDate?: LocalDate | null;
  /** The first day of JHT membership (WIB), for the 10-year condition of a partial claim. */
  readonly memberSince: LocalDate;
  /** The credited JHT balance: the self-service cap and the NPWP threshold are judged on it. */
  readonly balance: Rupiah;
  /** An earlier partial_10 or partial_30 claim was paid (or is approved). */
  readonly partialUsed: boolean;
  readonly hasNpwp: boolean;
  /** An open (not paid, not rejected) JHT claim exists. */
  readonly openClaim: boolean;
}

function jhtReasonFailures(f: JhtClaimFacts, today: LocalDate, lang: Lang, r: ReturnType<typeof claimRulesAt>): Failure[] {
  const out: Failure[] = [];
  if (f.reason === 'age_56' && ageOn(f.birthDate, today) < r.jhtFullAge) {
    out.push(failure('not_eligible', 'ageBelow', { age: r.jhtFullAge }, lang));
  }
  if (f.reason === 'stopped_working') {
    const stop = f.reasonDate ?? null;
    if (stop === null) {
      out.push(failure('not_eligible', 'stopDateMissing', {}, lang));
    } else if (stop > today) {
      out.push(failure('not_eligible', 'stopDateFuture', {}, lang));
    } else {
      const from = addMonthsToDate(stop, r.jhtStopWaitMonths);
      if (today < from) {
        out.push(failure('waiting_period', 'waitingPeriod', { from }, lang));
      }
    }
  }
  if (f.reason === 'death' && f.channel !== 'staff') {
    out.push(failure('not_eligible', 'deathByStaff', {}, lang));
  }
  if (f.reason === 'partial_10' || f.reason === 'partial_30') {
    if (f.partialUsed) {
      out.push(failure('partial_already_used', 'partialUsed', {}, lang));
    }
    const from = addMonthsToDate(f.memberSince, r.jhtPartialMinYears * 12);
    if (today < from) {
      out.push(failure('membership_too_short', 'membershipTooShort', { from }, lang));
    }
  }
  return out;
}

/**
 * A JHT claim: the reason's own condition (age 56, the 1-month wait after stopping work, death only through staff,
 * partial once and only after 10 years), no open JHT claim, a balance to claim, the self-service cap (self-service
 * only; above it the claim is filed by staff) and the NPWP condition (above Rp50.000.000 or after a partial claim).
 */
export function jhtEligibility(f: JhtClaimFacts, deps: Rules): Eligibility {
  const lang = deps.lang ?? 'id';
  const today = localDateInJakarta(f.at);
  const month = monthInJakarta(f.at);
  const r = claimRulesAt(month, deps.claimRules);
  const out: Failure[] = [];
  if (f.openClaim) {
    out.push(failure('claim_in_progress', 'claimInProgress', { type: 'JHT' }, lang));
  }
  if (f.balance <= 0) {
    out.push(failure('not_eligible', 'noJhtAccount', {}, lang));
  }
  out.push(...jhtReasonFailures(f, today, lang, r));
  const cap = jhtSelfServiceCap(month, deps.rules);
  if (f.channel === 'self_service' && f.balance > cap) {
    out.push(failure('online_limit_exceeded', 'onlineLimit', { cap: formatRupiah(cap) }, lang));
  }
  const flags: Flag[] = [];
  if (f.balance > r.jhtNpwpAbove || f.partialUsed) {
    const limit = formatRupiah(r.jhtNpwpAbove);
    if (f.hasNpwp) {
      flags.push({ rule: 'npwpChecked', ...ruleText('npwpChecked', { limit }, lang) });
    } else {
      out.push(failure('not_eligible', 'npwpRequired', { limit }, lang));
    }
  }
  return { failures: out, flags };
}

// ---------------------------------------------------------------------------------------------------------------
// JKK
// ---------------------------------------------------------------------------------------------------------------

export interface JkkReportFacts {
  /** When the accident happened. */
  readonly eventAt: Date;
  /** When it is reported (the claim is filed). */
  readonly reportedAt: Date;
  /** The coverage answer at `eventAt`. */
  readonly coverage: CoverageAnswer;
  readonly openClaim: boolean;
}

/** A JKK accident report: cover at the event instant, no open JKK claim; a report after 2×24 h is flagged only. */
export function jkkEligibility(f: JkkReportFacts, deps: Rules): Eligibility {
  const lang = deps.lang ?? 'id';
  const r = claimRulesAt(monthInJakarta(f.eventAt), deps.claimRules);
  const out: Failure[] = [];
  if (f.openClaim) {
    out.push(failure('claim_in_progress', 'claimInProgress', { type: 'JKK' }, lang));
  }
  if (f.eventAt.getTime() > f.reportedAt.getTime()) {
    out.push(failure('not_eligible', 'eventInFuture', {}, lang));
  }
  if (!f.coverage.covered || !f.coverage.programs.includes('JKK')) {
    out.push(failure('not_covered_at_event', 'notCoveredAtEvent', { program: 'JKK' }, lang));
  }
  const flags: Flag[] = [];
  if (f.reportedAt.getTime() - f.eventAt.getTime() > r.jkkReportHours * 3_600_000) {
    flags.push({ rule: 'lateReport', ...ruleText('lateReport', {}, lang) });
  }
  return { failures: out, flags };
}

// ---------------------------------------------------------------------------------------------------------------
// JKM
// ---------------------------------------------------------------------------------------------------------------

export interface JkmClaimFacts {
  readonly deathAt: Date;
  /** When the claim is filed. */
  readonly at: Date;
  readonly channel: Channel;
  /** The coverage answer at `deathAt`. */
  readonly coverage: CoverageAnswer;
  readonly openClaim: boolean;
}

/** A JKM claim: death in covered time, filed by staff for the heirs, no open JKM claim. */
export function jkmEligibility(f: JkmClaimFacts, deps: Rules): Eligibility {
  const lang = deps.lang ?? 'id';
  const out: Failure[] = [];
  if (f.openClaim) {
    out.push(failure('claim_in_progress', 'claimInProgress', { type: 'JKM' }, lang));
  }
  if (f.channel !== 'staff') {
    out.push(failure('not_eligible', 'jkmByStaff', {}, lang));
  }
  if (f.deathAt.getTime() > f.at.getTime()) {
    out.push(failure('not_eligible', 'eventInFuture', {}, lang));
  }
  if (!f.coverage.covered || !f.coverage.programs.includes('JKM')) {
    out.push(failure('not_covered_at_event', 'notCoveredAtEvent', { program: 'JKM' }, lang));
  }
  return { failures: out, flags: [] };
}
