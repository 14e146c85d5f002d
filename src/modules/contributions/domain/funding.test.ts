import { describe, expect, it } from 'vitest';
import { fundingInForce, fundingKey, parseFundingKey, type FundingFrom } from './funding.js';
import { priceContribution } from './price-contribution.js';
import { defaultRuleBook as rules, type Funding } from './rule-book.js';

const toApbd: FundingFrom[] = [
  { fromMonth: '2026-06', funding: 'self' },
  { fromMonth: '2026-12', funding: 'apbd' },
  { fromMonth: '2027-03', funding: 'self' },
];

describe('fundingInForce', () => {
  it.each([
    ['no rows: the latest', [], 'partner', '2026-12', 'partner'],
    ['before the first row: the first row', toApbd, 'self', '2026-01', 'self'],
    ['the first row', toApbd, 'self', '2026-06', 'self'],
    ['the month a change starts', toApbd, 'self', '2026-12', 'apbd'],
    ['inside a change', toApbd, 'self', '2027-02', 'apbd'],
    ['back to self', toApbd, 'apbd', '2027-03', 'self'],
    ['rows in any order', [...toApbd].reverse(), 'self', '2027-01', 'apbd'],
  ] as const)('%s', (_, history, latest, month, expected) => {
    expect(fundingInForce(history as readonly FundingFrom[], latest as Funding, month)).toBe(expected);
  });
});

describe('funding key', () => {
  it.each([
    [[], 'self', 'self'],
    [[], 'apbn', 'apbn'],
    [toApbd, 'self', '2026-06:self|2026-12:apbd|2027-03:self'],
    [[...toApbd].reverse(), 'self', '2026-06:self|2026-12:apbd|2027-03:self'],
  ] as const)('%j / %s → %s and back', (history, latest, key) => {
    expect(fundingKey(history as readonly FundingFrom[], latest)).toBe(key);
    const parsed = parseFundingKey(key);
    expect(parsed?.history).toEqual(history.length === 0 ? [] : toApbd);
  });

  it.each(['', 'selfish', '2026-13:self', '2026-01:gov', '2026-01', '2026-01:self|'])('rejects %j', (key) => {
    expect(parseFundingKey(key)).toBeNull();
  });
});

describe('pricing month by month with the funding in force', () => {
  // JKK+JKM at the lowest rung: 16,800 a month, 8,400 with the PP 50/2025 discount (its months), never for APBN/APBD.
  const quote = (startMonth: string, months: number, fundingFrom: FundingFrom[]) =>
    priceContribution({ declaredIncome: 1_000_000, programs: ['JKK', 'JKM'], months, startMonth, sector: 'transport', funding: 'self', fundingFrom }, rules);

  it.each([
    ['self before the change: discounted', '2026-11', 1, [8_400]],
    ['apbd from 2026-12: full price', '2026-12', 1, [16_800]],
    ['back to self in 2027-03: discounted again', '2027-03', 1, [8_400]],
    ['a prepayment across the change mixes', '2026-11', 3, [8_400, 16_800, 16_800]],
  ] as const)('%s', (_, startMonth, months, totals) => {
    const q = quote(startMonth, months, toApbd);
    expect(q.ok && q.value.months.map((m) => m.total)).toEqual(totals);
  });

  it('without history, the funding field alone (as before)', () => {
    const q = priceContribution({ declaredIncome: 1_000_000, programs: ['JKK', 'JKM'], months: 1, startMonth: '2026-11', sector: 'transport', funding: 'apbn' }, rules);
    expect(q.ok && q.value.total).toBe(16_800);
  });
});
