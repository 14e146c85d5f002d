import { describe, expect, it } from 'vitest';
import type { Program } from '../../contributions/index.js';
import {
  agentIncentive,
  contributionTier,
  defaultIncentiveRuleBook as book,
  inactiveToEnd,
  inactivityCutoffMonth,
  incentiveMonthFor,
  incentivePayBy,
  incentiveRulesAt,
  kantorIncentive,
  membershipMonth,
  type Acquisition,
  type IncentiveRuleBook,
} from './incentives.js';

const FULL: readonly Program[] = ['JKK', 'JKM', 'JHT'];
const BASIC: readonly Program[] = ['JKK', 'JKM'];

function acquisitions(withJht: number, basic: number, notNew = 0): Acquisition[] {
  const make = (n: number, programs: readonly Program[], neverBpuBefore: boolean, tag: string) =>
    Array.from({ length: n }, (_, i) => ({ participantId: `${tag}${i}`, programs, neverBpuBefore }));
  return [...make(withJht, FULL, true, 'f'), ...make(basic, BASIC, true, 'b'), ...make(notNew, FULL, false, 'o')];
}

describe('the PERISAI incentive rules are effective-dated data (domain-rules.md §6)', () => {
  it('holds the rulebook figures', () => {
    expect(incentiveRulesAt('2026-12', book)).toMatchObject({
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
    });
  });

  it('a month before the new scheme (April 2022) is a deployment error', () => {
    expect(() => incentiveRulesAt('2022-03', book)).toThrow(RangeError);
  });

  it('a new row changes the rule from its month on, with no code change', () => {
    const base = book.incentiveRules[0]!;
    const changed: IncentiveRuleBook = { incentiveRules: [{ ...base, validTo: '2026-12' }, { ...base, validFrom: '2027-01', acquisitionMinNew: 20, source: 'test' }] };
    expect(agentIncentive({ month: '2026-12', acquisitions: acquisitions(20, 0), contributions: [] }, changed).total).toBe(0);
    expect(agentIncentive({ month: '2027-01', acquisitions: acquisitions(20, 0), contributions: [] }, changed).total).toBe(300_000);
  });
});

describe('acquisition incentive: Rp15.000 with JHT, Rp10.000 JKK+JKM, only from 25 new-to-BPU in the month', () => {
  it.each([
    { name: '24 new → nothing', withJht: 24, basic: 0, notNew: 0, total: 0, qualified: false, newCount: 24 },
    { name: '25 new, all 3 programs → 25 × 15.000', withJht: 25, basic: 0, notNew: 0, total: 375_000, qualified: true, newCount: 25 },
    { name: '25 new, all JKK+JKM → 25 × 10.000', withJht: 0, basic: 25, notNew: 0, total: 250_000, qualified: true, newCount: 25 },
    { name: '20 with JHT + 5 JKK+JKM → 300.000 + 50.000', withJht: 20, basic: 5, notNew: 0, total: 350_000, qualified: true, newCount: 25 },
    { name: '24 new + 3 already in BPU before → nothing (the 25 count new NIKs only)', withJht: 24, basic: 0, notNew: 3, total: 0, qualified: false, newCount: 24 },
    { name: '25 new + 3 not new → only the 25 paid', withJht: 25, basic: 0, notNew: 3, total: 375_000, qualified: true, newCount: 25 },
  ])('$name', ({ withJht, basic, notNew, total, qualified, newCount }) => {
    const r = agentIncentive({ month: '2026-11', acquisitions: acquisitions(withJht, basic, notNew), contributions: [] }, book);
    expect(r).toMatchObject({ total, acquisitionQualified: qualified, newCount });
    expect(r.lines.reduce((s, l) => s + l.amount, 0)).toBe(total);
  });

  it('the lines say how many and at what unit', () => {
    const r = agentIncentive({ month: '2026-11', acquisitions: acquisitions(20, 5), contributions: [] }, book);
    expect(r.lines).toEqual([
      { kind: 'acquisition_jht', count: 20, unit: 15_000, base: null, bps: null, tier: null, amount: 300_000 },
      { kind: 'acquisition_jkk_jkm', count: 5, unit: 10_000, base: null, bps: null, tier: null, amount: 50_000 },
    ]);
  });
});

describe('contribution incentive: 15% for membership months 1–24, 5% for 25–60, nothing after', () => {
  const first = '2024-01';
  it.each([
    { paid: '2024-01', membershipMonthNo: 1, bps: 1_500 },
    { paid: '2025-12', membershipMonthNo: 24, bps: 1_500 },
    { paid: '2026-01', membershipMonthNo: 25, bps: 500 },
    { paid: '2028-12', membershipMonthNo: 60, bps: 500 },
    { paid: '2029-01', membershipMonthNo: 61, bps: null },
  ])('month $membershipMonthNo ($paid) → $bps bps', ({ paid, membershipMonthNo, bps }) => {
    expect(membershipMonth(first, paid)).toBe(membershipMonthNo);
    expect(contributionTier(membershipMonthNo, incentiveRulesAt('2026-11', book))?.bps ?? null).toBe(bps);
    const r = agentIncentive({ month: '2026-11', acquisitions: [], contributions: [{ participantId: 'p', month: paid, firstCoveredMonth: first, amount: 36_800 }] }, book);
    expect(r.total).toBe(bps === null ? 0 : (36_800 * bps) / 10_000);
  });

  it('sums each tier and rounds once per line, half up (the one rounding rule)', () => {
    const contributions = [
      { participantId: 'a', month: '2026-11', firstCoveredMonth: '2026-11', amount: 16_800 },
      { participantId: 'b', month: '2026-11', firstCoveredMonth: '2026-11', amount: 16_803 }, // 15% of 33.603 = 5.040,45 → 5.040
      { participantId: 'c', month: '2026-11', firstCoveredMonth: '2023-01', amount: 16_810 }, // 5% = 840,5 → 841
    ];
    const r = agentIncentive({ month: '2026-11', acquisitions: [], contributions }, book);
    expect(r.lines).toEqual([
      { kind: 'contribution_tier', count: 2, unit: null, base: 33_603, bps: 1_500, tier: '1-24', amount: 5_040 },
      { kind: 'contribution_tier', count: 1, unit: null, base: 16_810, bps: 500, tier: '25-60', amount: 841 },
    ]);
    expect(r.total).toBe(5_881);
  });

  it('25 new with JHT at Rp36.800 each: 375.000 acquisition + 15% of 920.000', () => {
    const acq = acquisitions(25, 0);
    const contributions = acq.map((a) => ({ participantId: a.participantId, month: '2026-11', firstCoveredMonth: '2026-11', amount: 36_800 }));
    expect(agentIncentive({ month: '2026-11', acquisitions: acq, contributions }, book).total).toBe(375_000 + 138_000);
  });
});

describe('Kantor Perisai: 10% on top of its agents’ incentives', () => {
  it.each([
    { totals: [513_000, 0, 10_005], amount: 52_301 }, // 10% of 523.005 = 52.300,5 → 52.301
    { totals: [375_000], amount: 37_500 },
    { totals: [0, 0], amount: 0 },
    { totals: [], amount: 0 },
  ])('$totals → $amount', ({ totals, amount }) => {
    const r = kantorIncentive('2026-11', totals, book);
    expect(r.total).toBe(amount);
    expect(r.lines.reduce((s, l) => s + l.amount, 0)).toBe(amount);
  });
});

describe('payment date and the job month', () => {
  it('a month is paid by the 5th of the next', () => {
    expect(incentivePayBy('2026-11', book)).toBe('2026-12-05');
    expect(incentivePayBy('2026-12', book)).toBe('2027-01-05');
  });
  it('the job on the 1st computes the previous month', () => {
    expect(incentiveMonthFor('2026-12-01')).toBe('2026-11');
    expect(incentiveMonthFor('2027-01-01')).toBe('2026-12');
  });
});

describe('ending: 3 consecutive calendar months without an acquisition or a transaction', () => {
  it.each([
    { last: '2026-08', current: '2026-12', ended: true }, // Sep, Oct, Nov idle
    { last: '2026-09', current: '2026-12', ended: false }, // Oct, Nov idle
    { last: '2026-08', current: '2026-11', ended: false }, // Sep, Oct idle (November not over)
    { last: '2026-12', current: '2026-12', ended: false },
    { last: '2026-10', current: '2027-02', ended: true }, // Nov, Dec, Jan
  ])('last activity $last, in $current → ended $ended', ({ last, current, ended }) => {
    expect(inactiveToEnd(last, current, book)).toBe(ended);
    // The cut-off form says the same: ended iff the last activity is before the cut-off month.
    expect(last < inactivityCutoffMonth(current, book)).toBe(ended);
  });
});
