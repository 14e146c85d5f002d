import { describe, expect, it } from 'vitest';
import { luhnCheckDigit } from '../../../shared/ids.js';
import { distinctMemberBillIds, fanOutJobId, isPayerPaymentCode, memberShareExternalId, newPayerPaymentCode, payerBillStatusAt } from './payer-bill-rules.js';

describe('collective bill payment codes', () => {
  it('are 16 digits starting with 9 and end in their Luhn digit', () => {
    for (let i = 0; i < 200; i++) {
      const code = newPayerPaymentCode();
      expect(code).toMatch(/^9\d{15}$/);
      expect(isPayerPaymentCode(code)).toBe(true);
    }
  });

  const body = '912345678901234';
  it.each([
    [body + luhnCheckDigit(body), true],
    [body + String((Number(luhnCheckDigit(body)) + 1) % 10), false],
    ['8' + body.slice(1) + luhnCheckDigit('8' + body.slice(1)), false],
    ['7' + body.slice(1) + luhnCheckDigit('7' + body.slice(1)), false],
    [body, false],
    ['', false],
  ])('isPayerPaymentCode(%s) = %s', (code, expected) => {
    expect(isPayerPaymentCode(code)).toBe(expected);
  });
});

describe('payerBillStatusAt', () => {
  const expires = new Date('2026-12-10T00:00:00Z');
  it.each([
    ['open', '2026-12-09T23:59:59Z', 'open'],
    ['open', '2026-12-10T00:00:00Z', 'open'],
    ['open', '2026-12-10T00:00:01Z', 'expired'],
    ['settling', '2026-12-11T00:00:00Z', 'settling'],
    ['paid', '2026-12-11T00:00:00Z', 'paid'],
    ['cancelled', '2026-12-11T00:00:00Z', 'cancelled'],
  ] as const)('%s at %s → %s', (stored, now, expected) => {
    expect(payerBillStatusAt(stored, expires, new Date(now))).toBe(expected);
  });
});

describe('ids', () => {
  it('a member share and the fan-out job are named after the collective payment', () => {
    expect(memberShareExternalId('pay_1', 'bil_2')).toBe('pay_1:bil_2');
    expect(fanOutJobId('pay_1')).toBe('payer-fanout:pay_1');
  });

  it.each([
    [[], null],
    [['a'], ['a']],
    [['b', 'a', 'b'], ['b', 'a']],
  ])('distinctMemberBillIds(%j) = %j', (ids, expected) => {
    expect(distinctMemberBillIds(ids)).toEqual(expected);
  });
});
