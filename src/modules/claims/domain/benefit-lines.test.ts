import { describe, expect, it } from 'vitest';
import { defaultRuleBook as rules } from '../../contributions/domain/rule-book.js';
import { jhtLines, jkkLines, jkkScholarshipApplies, jkmLines, linesTotal, scholarshipLines, stmbAmount } from './benefit-lines.js';
import type { BenefitLine, ChildFacts, JkkAssessment, ScholarshipInput } from './benefit-lines.js';
import { defaultClaimRuleBook as claimRules } from './claims-rule-book.js';

const deps = { rules, claimRules };
/** 10:00 WIB on the day. */
const wib = (date: string, time = '10:00') => new Date(`${date}T${time}:00+07:00`);
const EVENT = wib('2026-06-10');

function jkk(assessment: JkkAssessment, base = 1_000_000): BenefitLine[] {
  const r = jkkLines({ assessment, base, eventAt: EVENT }, deps);
  if (!r.ok) {
    throw new Error(`rejected: ${r.code} ${r.field}`);
  }
  return r.value;
}

const amounts = (lines: readonly BenefitLine[]) => Object.fromEntries(lines.map((l) => [l.benefit, l.amount]));

describe('JKK lines from the assessment (domain-rules.md §4.1, "Benefit base (JKK)")', () => {
  it.each([
    // base, death lump sum (48×), total
    [1_000_000, 48_000_000, 70_000_000],
    [2_000_000, 96_000_000, 118_000_000],
    [20_700_000, 993_600_000, 1_015_600_000],
  ])('death at base %i: 48× = %i, + Rp12.000.000 + Rp10.000.000 = %i', (base, lump, total) => {
    const lines = jkk({ outcome: 'death' }, base);
    expect(amounts(lines)).toEqual({ death_lump_sum: lump, periodic_lump_sum: 12_000_000, funeral: 10_000_000 });
    expect(linesTotal(lines)).toBe(total);
  });

  it.each([
    [1_000_000, 56_000_000],
    [2_000_000, 112_000_000],
    [20_700_000, 1_159_200_000],
  ])('total disability at base %i: 56× = %i', (base, amount) => {
    expect(amounts(jkk({ outcome: 'total_disability' }, base))).toEqual({ disability_lump_sum: amount });
  });

  it.each([
    [1_000_000, 10, 8_000_000],
    [1_000_000, 100, 80_000_000],
    [2_200_000, 35, 61_600_000],
    [1_300_000, 1, 1_040_000],
  ])('partial disability at base %i, %i%%: percent × 80 × base = %i', (base, disabilityPercent, amount) => {
    expect(amounts(jkk({ outcome: 'partial_disability', disabilityPercent }, base))).toEqual({ disability_lump_sum: amount });
  });

  it.each([
    // base, days, amount: base/30 a day for the first 365 days, half of it after (rounded once, half up)
    [1_000_000, 1, 33_333],
    [1_000_000, 30, 1_000_000],
    [1_000_000, 364, 12_133_333],
    [1_000_000, 365, 12_166_667],
    [1_000_000, 366, 12_183_333],
    [1_000_000, 395, 12_666_667],
    [3_000_000, 365, 36_500_000],
    [3_000_000, 366, 36_550_000],
    [3_000_000, 730, 54_750_000],
  ])('STMB at base %i for %i days = %i', (base, days, amount) => {
    expect(stmbAmount(base, days, '2026-06', deps)).toBe(amount);
    expect(amounts(jkk({ outcome: 'recovered', stmbDays: days }, base))).toEqual({ stmb: amount });
  });

  it('recovered with medical care and STMB; zero lines are left out', () => {
    expect(jkk({ outcome: 'recovered', stmbDays: 10, medicalCost: 7_250_000 })).toEqual([
      { benefit: 'stmb', amount: 333_333 },
      { benefit: 'medical', amount: 7_250_000 },
    ]);
    expect(jkk({ outcome: 'recovered' })).toEqual([]);
  });

  it('death after treatment adds STMB and medical to the death lines', () => {
    const lines = jkk({ outcome: 'death', stmbDays: 30, medicalCost: 5_000_000 });
    expect(linesTotal(lines)).toBe(70_000_000 + 1_000_000 + 5_000_000);
  });

  it.each<[JkkAssessment, number, string]>([
    [{ outcome: 'partial_disability' }, 1_000_000, 'disabilityPercent'],
    [{ outcome: 'partial_disability', disabilityPercent: 0 }, 1_000_000, 'disabilityPercent'],
    [{ outcome: 'partial_disability', disabilityPercent: 101 }, 1_000_000, 'disabilityPercent'],
    [{ outcome: 'partial_disability', disabilityPercent: 2.5 }, 1_000_000, 'disabilityPercent'],
    [{ outcome: 'recovered', stmbDays: -1 }, 1_000_000, 'stmbDays'],
    [{ outcome: 'recovered', medicalCost: 10.5 }, 1_000_000, 'medicalCost'],
    [{ outcome: 'death' }, 0, 'base'],
    [{ outcome: 'healed' as 'recovered' }, 1_000_000, 'outcome'],
  ])('an impossible assessment is refused: %j at base %i (%s)', (assessment, base, field) => {
    expect(jkkLines({ assessment, base, eventAt: EVENT }, deps)).toMatchObject({ ok: false, code: 'invalid_assessment', field });
  });

  it('scholarships apply on death and total disability only', () => {
    expect(['recovered', 'partial_disability', 'total_disability', 'death'].map((o) => jkkScholarshipApplies(o as never))).toEqual([
      false,
      false,
      true,
      true,
    ]);
  });
});

describe('JKM lines (§4.2)', () => {
  it('Rp20.000.000 + Rp12.000.000 + Rp10.000.000 = Rp42.000.000', () => {
    const lines = jkmLines(EVENT, deps);
    expect(lines).toEqual([
      { benefit: 'death_lump_sum', amount: 20_000_000 },
      { benefit: 'periodic_lump_sum', amount: 12_000_000 },
      { benefit: 'funeral', amount: 10_000_000 },
    ]);
    expect(linesTotal(lines)).toBe(42_000_000);
  });
});

describe('scholarship (§4.3 tiers, 2 children, JKM ≥ 36 paid months, ends at 23, marriage or work)', () => {
  const child = (over: Partial<ChildFacts> = {}): ChildFacts => ({ fullName: 'Ani', birthDate: '2015-03-01', schoolLevel: 'SD', ...over });
  const input = (over: Partial<ScholarshipInput> = {}): ScholarshipInput => ({
    program: 'JKM',
    eventAt: EVENT,
    at: wib('2026-07-20'),
    paidMonths: 36,
    children: [child()],
    ...over,
  });

  it.each([
    ['TK', 1_500_000],
    ['SD', 1_500_000],
    ['SMP', 2_000_000],
    ['SMA', 3_000_000],
    ['PT', 12_000_000],
  ] as const)('%s: %i per school year', (schoolLevel, amount) => {
    const r = scholarshipLines(input({ children: [child({ schoolLevel })] }), deps);
    expect(r).toEqual({ lines: [{ benefit: 'scholarship', amount, child: 'Ani' }], failures: [] });
  });

  it('the tiers add up to Rp87.000.000 per child, Rp174.000.000 for 2 (the rule book cap)', () => {
    const perChild = claimRules.claimRules[0]!.scholarshipTiers.reduce((s, t) => s + t.perYear * t.maxYears, 0);
    expect(perChild).toBe(87_000_000);
    expect(perChild * 2).toBe(rules.benefitParameters[0]!.scholarshipMaxTotal);
  });

  it.each([
    [35, false],
    [36, true],
    [120, true],
  ])('JKM with %i paid months: scholarship %s', (paidMonths, granted) => {
    const r = scholarshipLines(input({ paidMonths }), deps);
    expect(r.lines.length).toBe(granted ? 1 : 0);
    expect(r.failures.map((f) => f.code)).toEqual(granted ? [] : ['membership_too_short']);
  });

  it('JKK has no paid-months condition', () => {
    expect(scholarshipLines(input({ program: 'JKK', paidMonths: 1 }), deps).lines).toHaveLength(1);
  });

  it('at most 2 children: the first two listed; the third is told why', () => {
    const r = scholarshipLines(
      input({ children: [child({ fullName: 'A', schoolLevel: 'SMA' }), child({ fullName: 'B', schoolLevel: 'SMP' }), child({ fullName: 'C' })] }),
      deps,
    );
    expect(r.lines).toEqual([
      { benefit: 'scholarship', amount: 3_000_000, child: 'A' },
      { benefit: 'scholarship', amount: 2_000_000, child: 'B' },
    ]);
    expect(r.failures).toMatchObject([{ code: 'not_eligible', rule: 'childOverLimit' }]);
    expect(r.failures[0]!.message).toContain('C');
  });

  it('a child not yet in school keeps a place but gets nothing this year', () => {
    const r = scholarshipLines(input({ children: [child({ fullName: 'A', schoolLevel: 'none' }), child({ fullName: 'B' }), child({ fullName: 'C' })] }), deps);
    expect(r.lines).toEqual([{ benefit: 'scholarship', amount: 1_500_000, child: 'B' }]);
    expect(r.failures.map((f) => f.rule)).toEqual(['childNotInSchool', 'childOverLimit']);
  });

  it.each([
    ['22 the day before the 23rd birthday', '2003-07-21', true],
    ['23 on the birthday', '2003-07-20', false],
  ])('age: %s', (_label, birthDate, granted) => {
    const r = scholarshipLines(input({ children: [child({ birthDate, schoolLevel: 'PT' })] }), deps);
    expect(r.lines.length).toBe(granted ? 1 : 0);
    expect(r.failures.map((f) => f.rule)).toEqual(granted ? [] : ['childTooOld']);
  });

  it('every reason for one child is listed: married, working, years at the level used, already claimed this year', () => {
    const r = scholarshipLines(
      input({ children: [child({ schoolLevel: 'SMA', married: true, working: true, yearsPaidAtLevel: 3, claimedThisSchoolYear: true })] }),
      deps,
    );
    expect(r.lines).toEqual([]);
    expect(r.failures.map((f) => f.rule)).toEqual(['childMarried', 'childWorking', 'levelYearsUsed', 'yearAlreadyClaimed']);
  });

  it('the last year at a level is still paid', () => {
    expect(scholarshipLines(input({ children: [child({ schoolLevel: 'SD', yearsPaidAtLevel: 5 })] }), deps).lines).toHaveLength(1);
  });
});

describe('JHT lines (§4.4)', () => {
  it.each([
    ['full', 12_345_678, 234_567, 12_345_678, 234_567],
    ['partial_10', 12_345_678, 234_567, 1_234_568, 23_457],
    ['partial_30', 12_345_678, 234_567, 3_703_703, 70_370],
    ['partial_30', 100_000_000, 0, 30_000_000, 0],
  ] as const)('%s of balance %i + accrued %i → jht_balance %i, jht_return %i', (reason, balance, accrued, b, r) => {
    expect(jhtLines({ reason, balance, accrued, at: EVENT }, deps)).toEqual([
      { benefit: 'jht_balance', amount: b },
      { benefit: 'jht_return', amount: r },
    ]);
  });
});
