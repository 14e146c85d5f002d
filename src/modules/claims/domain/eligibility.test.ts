import { describe, expect, it } from 'vitest';
import { defaultRuleBook as rules } from '../../contributions/domain/rule-book.js';
import { defaultClaimRuleBook as claimRules } from './claims-rule-book.js';
import { addMonthsToDate, ageOn } from './dates.js';
import { jhtEligibility, jkkEligibility, jkmEligibility } from './eligibility.js';
import type { Eligibility, JhtClaimFacts, JkkReportFacts, JkmClaimFacts } from './eligibility.js';
import { CLAIM_RULE_TEXTS } from './texts.js';

const deps = { rules, claimRules };
const wib = (date: string, time = '10:00') => new Date(`${date}T${time}:00+07:00`);
const codes = (e: Eligibility) => e.failures.map((f) => f.code);
const ruleKeys = (e: Eligibility) => e.failures.map((f) => f.rule);

/** Filed 2026-12-07 (WIB) by a member born 1980, a JHT member since 2012, balance Rp10.000.000. */
function jht(over: Partial<JhtClaimFacts> = {}): Eligibility {
  return jhtEligibility(
    {
      reason: 'stopped_working',
      channel: 'self_service',
      at: wib('2026-12-07'),
      birthDate: '1980-05-17',
      reasonDate: '2026-10-01',
      memberSince: '2012-01-15',
      balance: 10_000_000,
      partialUsed: false,
      hasNpwp: false,
      openClaim: false,
      ...over,
    },
    deps,
  );
}

describe('JHT eligibility (§4.4, "JHT full withdrawal", "JHT partial withdrawal", "Self-service cap")', () => {
  it('an eligible claim has no failures and every failure carries code, rule, message and todo in Indonesian', () => {
    expect(jht()).toEqual({ failures: [], flags: [] });
    const f = jht({ openClaim: true }).failures[0]!;
    expect(f).toEqual({
      code: 'claim_in_progress',
      rule: 'claimInProgress',
      message: 'Masih ada klaim JHT Anda yang sedang diproses.',
      todo: 'Tunggu sampai klaim itu selesai, atau batalkan lewat kantor cabang.',
    });
  });

  it('English on request', () => {
    expect(jhtEligibility({ ...baseFacts(), openClaim: true }, { ...deps, lang: 'en' }).failures[0]!.message).toBe(
      'You already have a JHT claim in progress.',
    );
  });

  it.each([
    ['1970-12-07', true], // 56 today
    ['1970-12-08', false], // 56 tomorrow
    ['1960-01-01', true],
  ])('age_56: born %s → eligible %s', (birthDate, eligible) => {
    expect(ruleKeys(jht({ reason: 'age_56', birthDate }))).toEqual(eligible ? [] : ['ageBelow']);
  });

  it.each([
    // stop date, filed (WIB date), failures
    ['2026-11-07', '2026-12-07', []], // exactly one month
    ['2026-11-08', '2026-12-07', ['waiting_period']], // one day short
    ['2026-12-07', '2026-12-07', ['waiting_period']],
    ['2026-01-31', '2026-02-28', []], // 31 Jan + 1 month = 28 Feb
    ['2026-01-31', '2026-02-27', ['waiting_period']],
    ['2027-12-31', '2028-02-29', []], // leap year: 31 Dec + 1 month = 31 Jan; fine long after
    ['2028-01-30', '2028-02-29', []], // 30 Jan + 1 month = 29 Feb 2028
    ['2026-12-08', '2026-12-07', ['not_eligible']], // in the future
  ])('stopped_working on %s, filed %s → %j', (reasonDate, filed, expected) => {
    expect(codes(jht({ reasonDate, at: wib(filed) }))).toEqual(expected);
  });

  it('the waiting period is judged on the WIB date: 23:30 WIB on the first allowed day is already allowed', () => {
    expect(codes(jht({ reasonDate: '2026-11-07', at: new Date('2026-12-06T17:30:00Z') }))).toEqual([]); // 00:30 WIB 7 Dec
    expect(codes(jht({ reasonDate: '2026-11-07', at: new Date('2026-12-06T16:30:00Z') }))).toEqual(['waiting_period']); // 23:30 WIB 6 Dec
  });

  it('the waiting-period message names the first day', () => {
    expect(jht({ reasonDate: '2026-11-20' }).failures[0]!.todo).toBe('Ajukan lagi mulai tanggal 2026-12-20.');
  });

  it('stopped_working without a stop date', () => {
    expect(ruleKeys(jht({ reasonDate: null }))).toEqual(['stopDateMissing']);
  });

  it.each([
    ['leaving_indonesia', 'self_service', []],
    ['total_disability', 'self_service', []],
    ['death', 'self_service', ['deathByStaff']],
    ['death', 'staff', []],
  ] as const)('%s via %s → %j', (reason, channel, expected) => {
    expect(ruleKeys(jht({ reason, channel }))).toEqual(expected);
  });

  it.each([
    // member since, partial used, filed → failures
    ['2016-12-07', false, []], // exactly 10 years
    ['2016-12-08', false, ['membership_too_short']], // one day short
    ['2012-01-15', true, ['partial_already_used', 'not_eligible']], // once only (and NPWP after a partial claim)
    ['2020-01-01', true, ['partial_already_used', 'membership_too_short', 'not_eligible']],
  ] as const)('partial: member since %s, earlier partial %s → %j', (memberSince, partialUsed, expected) => {
    for (const reason of ['partial_10', 'partial_30'] as const) {
      expect(codes(jht({ reason, memberSince, partialUsed }))).toEqual(expected);
    }
  });

  it('a full claim after a partial one needs the NPWP, not the 10 years', () => {
    expect(ruleKeys(jht({ reason: 'age_56', birthDate: '1960-01-01', memberSince: '2025-01-01', partialUsed: true }))).toEqual([
      'npwpRequired',
    ]);
    expect(ruleKeys(jht({ partialUsed: true, hasNpwp: true }))).toEqual([]);
  });

  it.each([
    // balance, channel, failures
    [15_000_000, 'self_service', []],
    [15_000_001, 'self_service', ['online_limit_exceeded']],
    [15_000_001, 'staff', []],
    [50_000_000, 'staff', []],
    [50_000_001, 'staff', ['not_eligible']], // NPWP
    [50_000_001, 'self_service', ['online_limit_exceeded', 'not_eligible']],
    [0, 'self_service', ['not_eligible']], // nothing to claim
  ] as const)('balance %i via %s → %j', (balance, channel, expected) => {
    expect(codes(jht({ balance, channel }))).toEqual(expected);
  });

  it('the cap message names the cap', () => {
    expect(jht({ balance: 20_000_000 }).failures[0]!.message).toBe('Saldo JHT Anda di atas Rp15.000.000, batas klaim lewat aplikasi.');
  });

  it('NPWP above Rp50.000.000 is satisfied by an NPWP', () => {
    expect(codes(jht({ balance: 60_000_000, channel: 'staff', hasNpwp: true }))).toEqual([]);
  });

  it.each([
    // balance, partialUsed, hasNpwp, flags (npwpChecked: the NPWP card becomes a required document)
    [50_000_000, false, true, []],
    [50_000_001, false, true, ['npwpChecked']],
    [10_000_000, true, true, ['npwpChecked']],
    [50_000_001, false, false, []], // refused instead
  ] as const)('balance %i, partial used %s, NPWP given %s → flags %j', (balance, partialUsed, hasNpwp, expected) => {
    const e = jht({ balance, partialUsed, hasNpwp, channel: 'staff', reason: 'age_56', birthDate: '1960-01-01' });
    expect(e.flags.map((f) => f.rule)).toEqual(expected);
    for (const f of e.flags) {
      expect(f.message).toBe('NPWP wajib untuk klaim JHT ini (saldo di atas Rp50.000.000 atau sudah pernah klaim sebagian); NPWP sudah diisi pada klaim.');
    }
  });

  it('every failed condition is returned, not only the first', () => {
    const e = jht({ reason: 'partial_30', memberSince: '2020-01-01', partialUsed: true, openClaim: true, balance: 60_000_000 });
    expect(codes(e)).toEqual(['claim_in_progress', 'partial_already_used', 'membership_too_short', 'online_limit_exceeded', 'not_eligible']);
    for (const f of e.failures) {
      expect(f.message).not.toMatch(/\{\w+\}/);
      expect(f.todo).not.toMatch(/\{\w+\}/);
    }
  });
});

function baseFacts(): JhtClaimFacts {
  return {
    reason: 'age_56',
    channel: 'self_service',
    at: wib('2026-12-07'),
    birthDate: '1960-01-01',
    memberSince: '2012-01-15',
    balance: 1_000_000,
    partialUsed: false,
    hasNpwp: false,
    openClaim: false,
  };
}

describe('JKK report (§4.1 "Reporting", "Cover for an event")', () => {
  const EVENT = new Date('2026-12-01T03:00:00Z');
  const covered = { covered: true, programs: ['JKK', 'JKM'] as const };
  const report = (over: Partial<JkkReportFacts> = {}) =>
    jkkEligibility({ eventAt: EVENT, reportedAt: new Date(EVENT.getTime() + 3_600_000), coverage: { ...covered, programs: [...covered.programs] }, openClaim: false, ...over }, deps);

  it.each([
    [0, false],
    [48 * 3_600_000, false], // exactly 2×24 h
    [48 * 3_600_000 + 1, true],
    [10 * 24 * 3_600_000, true],
  ])('reported %i ms after the event → flagged late %s, never refused', (ms, late) => {
    const e = report({ reportedAt: new Date(EVENT.getTime() + ms) });
    expect(e.failures).toEqual([]);
    expect(e.flags.map((f) => f.rule)).toEqual(late ? ['lateReport'] : []);
  });

  it.each([
    [{ covered: false, programs: [] }, ['not_covered_at_event']],
    [{ covered: true, programs: ['JKM' as const] }, ['not_covered_at_event']],
    [{ covered: true, programs: ['JKK' as const] }, []],
  ])('coverage at the event %j → %j', (coverage, expected) => {
    expect(codes(report({ coverage }))).toEqual(expected);
  });

  it('every failure at once: open claim, event after the report, no cover', () => {
    const e = report({ openClaim: true, reportedAt: new Date(EVENT.getTime() - 1), coverage: { covered: false, programs: [] } });
    expect(codes(e)).toEqual(['claim_in_progress', 'not_eligible', 'not_covered_at_event']);
  });
});

describe('JKM claim (§4.2, "JKM")', () => {
  const DEATH = new Date('2026-11-30T20:00:00Z');
  const claim = (over: Partial<JkmClaimFacts> = {}) =>
    jkmEligibility({ deathAt: DEATH, at: wib('2026-12-07'), channel: 'staff', coverage: { covered: true, programs: ['JKK', 'JKM'] }, openClaim: false, ...over }, deps);

  it('a death in covered time, filed by staff for the heirs', () => {
    expect(claim()).toEqual({ failures: [], flags: [] });
  });

  it('every failure at once', () => {
    const e = claim({ channel: 'self_service', openClaim: true, coverage: { covered: false, programs: [] } });
    expect(ruleKeys(e)).toEqual(['claimInProgress', 'jkmByStaff', 'notCoveredAtEvent']);
    expect(e.failures[2]!.message).toContain('JKM');
  });
});

describe('dates', () => {
  it.each([
    ['2026-01-31', 1, '2026-02-28'],
    ['2028-01-31', 1, '2028-02-29'],
    ['2026-11-07', 1, '2026-12-07'],
    ['2026-12-15', 1, '2027-01-15'],
    ['2016-02-29', 120, '2026-02-28'],
  ])('%s + %i months = %s', (d, n, expected) => {
    expect(addMonthsToDate(d, n)).toBe(expected);
  });

  it.each([
    ['2000-02-29', '2023-02-28', 22],
    ['2000-02-29', '2023-03-01', 23],
    ['1970-12-07', '2026-12-07', 56],
    ['1970-12-07', '2026-12-06', 55],
  ])('born %s, on %s: age %i', (b, on, age) => {
    expect(ageOn(b, on)).toBe(age);
  });
});

describe('the claim-rule texts', () => {
  const placeholders = (s: string) => [...s.matchAll(/\{(\w+)\}/g)].map((m) => m[1]).sort();
  it('Indonesian and English have the same keys and placeholders, and every rule has its todo', () => {
    const id = CLAIM_RULE_TEXTS.id as Record<string, string>;
    const en = CLAIM_RULE_TEXTS.en as Record<string, string>;
    expect(Object.keys(en).sort()).toEqual(Object.keys(id).sort());
    for (const key of Object.keys(id)) {
      expect(placeholders(en[key]!), key).toEqual(placeholders(id[key]!));
      expect(id[key]!.trim(), key).not.toBe('');
      if (!key.endsWith('Todo')) {
        expect(id[`${key}Todo`], `${key}Todo`).toBeDefined();
      }
    }
  });
});
