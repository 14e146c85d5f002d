/**
 * PERISAI incentives (issue 17 item 5; domain-rules.md §6 "PERISAI incentives" and "Second release: decisions"): the
 * figures are effective-dated DATA (`INCENTIVE_RULES`), the rules pure functions with the month passed in.
 *
 * - Acquisition: Rp15.000 per new participant with JHT (the 3 programs), Rp10.000 per JKK+JKM-only participant, paid
 *   only when the agent acquired at least 25 new participants in the calendar month (WIB) whose NIK was never in the
 *   BPU segment before (below 25 nothing is paid for acquisition; those not new to BPU count neither way).
 * - Contributions: 15% of the contributions received (settled) in the month from members the agent acquired, for the
 *   member's membership months 1–24 (counted from the member's first covered month, month 1), 5% for months 25–60,
 *   nothing after.
 * - The Kantor Perisai gets 10% on top of the total of its agents' incentives.
 * - An agent with 3 consecutive calendar months without an acquisition or a transaction is ended.
 * - Paid by the 5th of the following month.
 *
 * Rounding: `percentOfBps` (shared/money.ts, the one rounding rule), once per statement line, so a statement's lines
 * add up to its total exactly.
 */
import { percentOfBps, rupiah, sumRupiah, type Rupiah } from '../../../shared/money.js';
import { addMonths, makeMonth, monthsBetween, type LocalDate, type Month } from '../../../shared/month.js';
import { requireInForce, type Program } from '../../contributions/index.js';

/** A contribution-incentive tier: membership months `fromMonth`..`toMonth` (1-based, inclusive) earn `bps`. */
export interface ContributionTier {
  readonly fromMonth: number;
  readonly toMonth: number;
  readonly bps: number;
}

export interface IncentiveRules {
  readonly validFrom: Month;
  readonly validTo: Month | null;
  readonly source: string;
  /** Acquisition incentive per new participant with JHT (the 3 programs). */
  readonly acquisitionWithJht: Rupiah;
  /** Acquisition incentive per new JKK+JKM-only participant. */
  readonly acquisitionJkkJkm: Rupiah;
  /** The acquisition incentive is paid only when the month's new-to-BPU acquisitions reach this many. */
  readonly acquisitionMinNew: number;
  readonly contributionTiers: readonly ContributionTier[];
  /** The Kantor Perisai's share on top of its agents' incentives (bps). */
  readonly kantorBps: number;
  /** Calendar months in a row without an acquisition or a transaction after which an agent is ended. */
  readonly inactiveMonthsToEnd: number;
  /** Incentives of a month are paid by this day of the following month. */
  readonly payByDay: number;
}

const INCENTIVE_RULES: readonly IncentiveRules[] = [
  {
    validFrom: '2022-04', // Perdir 13/PERDIR.02/042022, the "new scheme" from April 2022
    validTo: null,
    source: 'domain-rules.md §6 "PERISAI incentives" [A3][A4][A5] (Perdir 13/PERDIR.02/042022)',
    acquisitionWithJht: 15_000,
    acquisitionJkkJkm: 10_000,
    acquisitionMinNew: 25,
    contributionTiers: [
      { fromMonth: 1, toMonth: 24, bps: 1_500 },
      { fromMonth: 25, toMonth: 60, bps: 500 },
    ],
    kantorBps: 1_000,
    inactiveMonthsToEnd: 3,
    payByDay: 5,
  },
];

export interface IncentiveRuleBook {
  readonly incentiveRules: readonly IncentiveRules[];
}

export const defaultIncentiveRuleBook: IncentiveRuleBook = { incentiveRules: INCENTIVE_RULES };

export function incentiveRulesAt(month: Month, book: IncentiveRuleBook): IncentiveRules {
  return requireInForce(book.incentiveRules, month, 'PERISAI incentive rules');
}

/** A participant the agent enrolled who became a participant in the month. */
export interface Acquisition {
  readonly participantId: string;
  readonly programs: readonly Program[];
  /** No earlier participant with the same NIK (hash) before this enrolment. */
  readonly neverBpuBefore: boolean;
}

/** Contributions received in the month for one covered month of a member the agent acquired. */
export interface ContributionReceived {
  readonly participantId: string;
  /** The contribution month paid. */
  readonly month: Month;
  /** The member's first covered month (membership month 1). */
  readonly firstCoveredMonth: Month;
  /** The net contribution received for that month (all programs). */
  readonly amount: Rupiah;
}

export type IncentiveLineKind = 'acquisition_jht' | 'acquisition_jkk_jkm' | 'contribution_tier' | 'kantor_share';

/** One line of an incentive statement: `amount` = `count` × `unit` (acquisition) or `base` × `bps` (shares). */
export interface IncentiveLine {
  readonly kind: IncentiveLineKind;
  readonly count: number;
  readonly unit: Rupiah | null;
  readonly base: Rupiah | null;
  readonly bps: number | null;
  /** Membership months of a contribution tier, e.g. '1-24'. */
  readonly tier: string | null;
  readonly amount: Rupiah;
}

export interface AgentIncentive {
  readonly month: Month;
  /** New-to-BPU acquisitions in the month (the number the 25-condition looks at). */
  readonly newCount: number;
  readonly acquisitionQualified: boolean;
  readonly lines: readonly IncentiveLine[];
  readonly total: Rupiah;
}

/** The membership month (1-based) of a contribution month, counted from the member's first covered month. */
export function membershipMonth(firstCoveredMonth: Month, month: Month): number {
  return monthsBetween(firstCoveredMonth, month) + 1;
}

/** The tier a membership month falls in, or undefined (before month 1 or after the last tier: no incentive). */
export function contributionTier(membershipMonthNo: number, rules: IncentiveRules): ContributionTier | undefined {
  return rules.contributionTiers.find((t) => t.fromMonth <= membershipMonthNo && membershipMonthNo <= t.toMonth);
}

function hasJht(programs: readonly Program[]): boolean {
  return programs.includes('JHT');
}

function acquisitionLines(acquisitions: readonly Acquisition[], rules: IncentiveRules): { newCount: number; qualified: boolean; lines: IncentiveLine[] } {
  const fresh = acquisitions.filter((a) => a.neverBpuBefore);
  const qualified = fresh.length >= rules.acquisitionMinNew;
  if (!qualified) {
    return { newCount: fresh.length, qualified, lines: [] };
  }
  const withJht = fresh.filter((a) => hasJht(a.programs)).length;
  const jkkJkm = fresh.length - withJht;
  const line = (kind: IncentiveLineKind, count: number, unit: Rupiah): IncentiveLine => ({ kind, count, unit, base: null, bps: null, tier: null, amount: rupiah(count * unit) });
  const lines = [line('acquisition_jht', withJht, rules.acquisitionWithJht), line('acquisition_jkk_jkm', jkkJkm, rules.acquisitionJkkJkm)];
  return { newCount: fresh.length, qualified, lines: lines.filter((l) => l.count > 0) };
}

function contributionLines(received: readonly ContributionReceived[], rules: IncentiveRules): IncentiveLine[] {
  return rules.contributionTiers.flatMap((tier) => {
    const rows = received.filter((r) => contributionTier(membershipMonth(r.firstCoveredMonth, r.month), rules) === tier);
    if (rows.length === 0) {
      return [];
    }
    const base = sumRupiah(rows.map((r) => r.amount));
    const line: IncentiveLine = { kind: 'contribution_tier', count: rows.length, unit: null, base, bps: tier.bps, tier: `${tier.fromMonth}-${tier.toMonth}`, amount: percentOfBps(base, tier.bps) };
    return [line];
  });
}

/** One agent's incentive for a month: acquisition (under the 25-new condition) and the contribution share. */
export function agentIncentive(
  input: { month: Month; acquisitions: readonly Acquisition[]; contributions: readonly ContributionReceived[] },
  book: IncentiveRuleBook,
): AgentIncentive {
  const rules = incentiveRulesAt(input.month, book);
  const acq = acquisitionLines(input.acquisitions, rules);
  const lines = [...acq.lines, ...contributionLines(input.contributions, rules)].filter((l) => l.amount > 0);
  return { month: input.month, newCount: acq.newCount, acquisitionQualified: acq.qualified, lines, total: sumRupiah(lines.map((l) => l.amount)) };
}

/** The Kantor Perisai's incentive: its share on top of the total of its agents' incentives of the month. */
export function kantorIncentive(month: Month, agentTotals: readonly Rupiah[], book: IncentiveRuleBook): { lines: IncentiveLine[]; total: Rupiah } {
  const rules = incentiveRulesAt(month, book);
  const base = sumRupiah(agentTotals);
  const amount = percentOfBps(base, rules.kantorBps);
  if (amount === 0) {
    return { lines: [], total: 0 };
  }
  return { lines: [{ kind: 'kantor_share', count: agentTotals.filter((t) => t > 0).length, unit: null, base, bps: rules.kantorBps, tier: null, amount }], total: amount };
}

/** The day a month's incentives are paid by: the `payByDay` of the following month. */
export function incentivePayBy(month: Month, book: IncentiveRuleBook): LocalDate {
  const rules = incentiveRulesAt(month, book);
  return `${addMonths(month, 1)}-${String(rules.payByDay).padStart(2, '0')}`;
}

/**
 * Whether an agent is to be ended on `today`'s month for inactivity: the calendar months strictly between the month
 * of its last activity (or of its start, when it never acted) and the current month are all without activity, and
 * there are at least `inactiveMonthsToEnd` of them. E.g. last activity in August → ended from 1 December (September,
 * October, November without any), not on 30 November.
 */
export function inactiveToEnd(lastActivityMonth: Month, currentMonth: Month, book: IncentiveRuleBook): boolean {
  const rules = incentiveRulesAt(currentMonth, book);
  return monthsBetween(lastActivityMonth, currentMonth) - 1 >= rules.inactiveMonthsToEnd;
}

/** The month whose incentives a job run on `today` computes: the previous calendar month. */
export function incentiveMonthFor(today: LocalDate): Month {
  return addMonths(makeMonth(Number(today.slice(0, 4)), Number(today.slice(5, 7))), -1);
}

/**
 * The same rule as a cut-off for one statement: in `currentMonth`, an agent whose last activity (or start) is before
 * the first day of the returned month is ended (`inactiveToEnd` for every earlier month, false from it on).
 */
export function inactivityCutoffMonth(currentMonth: Month, book: IncentiveRuleBook): Month {
  return addMonths(currentMonth, -incentiveRulesAt(currentMonth, book).inactiveMonthsToEnd);
}
