import { describe, expect, it } from 'vitest';
import { defaultRuleBook as rules } from '../../contributions/domain/rule-book.js';
import { claimRulesAt, defaultClaimRuleBook } from './claims-rule-book.js';
import type { ClaimRuleBook } from './claims-rule-book.js';
import { jhtEligibility, jkkEligibility } from './eligibility.js';

const wib = (date: string) => new Date(`${date}T10:00:00+07:00`);

describe('the claims rule book is effective-dated data', () => {
  it('holds the rulebook figures (domain-rules.md §4.3, §4.4, "Second release: decisions")', () => {
    expect(claimRulesAt('2026-12', defaultClaimRuleBook)).toMatchObject({
      jhtFullAge: 56,
      jhtStopWaitMonths: 1,
      jhtPartialMinYears: 10,
      jhtPartialBps: { partial_10: 1_000, partial_30: 3_000 },
      jhtNpwpAbove: 50_000_000,
      jkkReportHours: 48,
      stmbFullDays: 365,
      scholarshipEndAge: 23,
    });
  });

  it('a month before any row is a deployment error', () => {
    expect(() => claimRulesAt('2019-11', defaultClaimRuleBook)).toThrow(RangeError);
  });

  it('a new row changes the rule from its month on, with no code change', () => {
    const base = defaultClaimRuleBook.claimRules[0]!;
    const book: ClaimRuleBook = {
      claimRules: [{ ...base, validTo: '2026-12' }, { ...base, validFrom: '2027-01', jkkReportHours: 72, source: 'test' }],
    };
    const late = (eventDate: string) =>
      jkkEligibility(
        { eventAt: wib(eventDate), reportedAt: new Date(wib(eventDate).getTime() + 60 * 3_600_000), coverage: { covered: true, programs: ['JKK'] }, openClaim: false },
        { rules, claimRules: book },
      ).flags.length;
    expect(late('2026-12-10')).toBe(1);
    expect(late('2027-01-10')).toBe(0);
  });

  it('the JHT self-service cap follows the contribution rule book: Rp10.000.000 before May 2025, Rp15.000.000 after', () => {
    const facts = {
      reason: 'leaving_indonesia' as const,
      channel: 'self_service' as const,
      birthDate: '1980-01-01',
      memberSince: '2015-07-01',
      balance: 12_000_000,
      partialUsed: false,
      hasNpwp: false,
      openClaim: false,
    };
    const deps = { rules, claimRules: defaultClaimRuleBook };
    expect(jhtEligibility({ ...facts, at: wib('2025-04-30') }, deps).failures.map((f) => f.code)).toEqual(['online_limit_exceeded']);
    expect(jhtEligibility({ ...facts, at: wib('2025-05-01') }, deps).failures).toEqual([]);
  });
});
