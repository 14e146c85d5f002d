/**
 * The claims rule book: every figure the claim rules depend on that the contribution rule book does not already hold,
 * as effective-dated DATA citing domain-rules.md (§4 and "Second release: decisions …"). The benefit amounts (JKM
 * 20 jt + 12 jt + 10 jt, JKK 48× / 56× / 80×, STMB shares, the 2-children cap, the 36-month condition) and the JHT
 * self-service cap stay in the contribution rule book (contributions/domain/rule-book.ts, `benefitParameters`,
 * `jhtSelfServiceCaps`); the claim rules read both for the month that decides (the event's, or the filing's).
 */
import type { Rupiah } from '../../../shared/money.js';
import type { Month } from '../../../shared/month.js';
import { requireInForce } from '../../contributions/index.js';

/** School levels of the contract (`children[].schoolLevel`); `none` = not (yet) in school. */
export const SCHOOL_LEVELS = ['TK', 'SD', 'SMP', 'SMA', 'PT', 'none'] as const;
export type SchoolLevel = (typeof SCHOOL_LEVELS)[number];

/** One row of the §4.3 scholarship table: paid per child per school year, for at most `maxYears` at the level. */
export interface ScholarshipTier {
  readonly level: Exclude<SchoolLevel, 'none'>;
  readonly perYear: Rupiah;
  readonly maxYears: number;
}

export interface ClaimRules {
  readonly validFrom: Month;
  readonly validTo: Month | null;
  readonly source: string;
  /** JHT full withdrawal at this age (§4.4, Permenaker 4/2022). */
  readonly jhtFullAge: number;
  /** JHT `stopped_working`: the stop date at least this many months before the claim. */
  readonly jhtStopWaitMonths: number;
  /** JHT partial withdrawal: at least this many years since cover began. */
  readonly jhtPartialMinYears: number;
  /** JHT partial withdrawals, share of the balance in basis points. Once in a lifetime (either one). */
  readonly jhtPartialBps: { readonly partial_10: number; readonly partial_30: number };
  /** NPWP required when the JHT balance is above this, or after an earlier partial claim (§4.4 [C3]). */
  readonly jhtNpwpAbove: Rupiah;
  /** JKK stage-I report within this many hours of the accident; later is flagged, never refused (§4.1 [N20]). */
  readonly jkkReportHours: number;
  /** STMB: days of incapacity paid at the full share, then the reduced share ("Benefit base (JKK)"). */
  readonly stmbFullDays: number;
  readonly scholarshipTiers: readonly ScholarshipTier[];
  /** A child's scholarship ends at this age (and on marriage or starting work), §4.3 [N14][N21]. */
  readonly scholarshipEndAge: number;
}

const CLAIM_RULES: readonly ClaimRules[] = [
  {
    validFrom: '2019-12', // PP 82/2019, like the benefit parameters
    validTo: null,
    source:
      'domain-rules.md §4.1, §4.3, §4.4 and "Second release: decisions" (PP 82/2019, Permenaker 4/2022, project defaults)',
    jhtFullAge: 56,
    jhtStopWaitMonths: 1, // ❓ for BPU (§4.4 "BPU specifics"); the project applies the PU 1-month wait
    jhtPartialMinYears: 10,
    jhtPartialBps: { partial_10: 1_000, partial_30: 3_000 },
    jhtNpwpAbove: 50_000_000,
    jkkReportHours: 48, // 2 × 24 hours
    stmbFullDays: 365,
    scholarshipTiers: [
      { level: 'TK', perYear: 1_500_000, maxYears: 2 },
      { level: 'SD', perYear: 1_500_000, maxYears: 6 },
      { level: 'SMP', perYear: 2_000_000, maxYears: 3 },
      { level: 'SMA', perYear: 3_000_000, maxYears: 3 },
      { level: 'PT', perYear: 12_000_000, maxYears: 5 },
    ],
    scholarshipEndAge: 23,
  },
];

export interface ClaimRuleBook {
  readonly claimRules: readonly ClaimRules[];
}

export const defaultClaimRuleBook: ClaimRuleBook = { claimRules: CLAIM_RULES };

export function claimRulesAt(month: Month, book: ClaimRuleBook): ClaimRules {
  return requireInForce(book.claimRules, month, 'claim rules');
}

export function scholarshipTier(level: SchoolLevel, rules: ClaimRules): ScholarshipTier | undefined {
  return rules.scholarshipTiers.find((t) => t.level === level);
}
