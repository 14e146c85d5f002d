import { describe, expect, it } from 'vitest';
import { isLuhnValid, luhnCheckDigit } from '../../../shared/ids.js';
import { newPaymentCode } from '../../contributions/bills.js';
import { isTopUpCode, kpjFromTopUpCode, topUpCode } from './top-up-code.js';

/** A KPJ as lindung_next_kpj issues it: 10 digits from the sequence and a Luhn digit. */
const kpj = (base: string) => base + luhnCheckDigit(base);

describe('top-up code derivation', () => {
  it.each([
    // KPJ (sequence value + Luhn digit), its top-up code: '7' + KPJ padded to 14 digits + Luhn over those 15
    ['10000000017', '7000100000000177'],
    ['10000000025', '7000100000000250'],
    ['12345678903', '7000123456789036'],
    ['99999999990', '7000999999999905'],
  ])('KPJ %s → %s, and back', (k, code) => {
    expect(isLuhnValid(k)).toBe(true);
    expect(topUpCode(k)).toBe(code);
    expect(code).toHaveLength(16);
    expect(isLuhnValid(code)).toBe(true);
    expect(kpjFromTopUpCode(code)).toBe(k);
    expect(isTopUpCode(code)).toBe(true);
  });

  it('is stable and distinct per member', () => {
    const codes = Array.from({ length: 500 }, (_, i) => topUpCode(kpj(String(1_000_000_001 + i * 7919))));
    expect(new Set(codes).size).toBe(codes.length);
    expect(codes.map((c) => kpjFromTopUpCode(c))).toEqual(Array.from({ length: 500 }, (_, i) => kpj(String(1_000_000_001 + i * 7919))));
  });

  it.each([
    ['7000100000000170', 'wrong check digit'],
    ['7000100000000717', 'two digits swapped'],
    ['7000100000100177', 'one digit changed'],
    ['700010000000017', '15 digits'],
    ['70001000000001777', '17 digits'],
    ['8000100000000177', "a bill code's prefix"],
    ['7000100000000177 ', 'trailing space'],
    ['700010000000017x', 'not a digit'],
    ['', 'empty'],
  ])('%j is not a top-up code (%s)', (code) => {
    expect(kpjFromTopUpCode(code)).toBeNull();
    expect(isTopUpCode(code)).toBe(false);
  });

  it('refuses a code whose KPJ field is not a well-formed KPJ, even with a valid outer check digit', () => {
    // KPJ field 00010000000018: 10000000018 has a wrong KPJ check digit.
    const body = '700010000000018';
    expect(kpjFromTopUpCode(body + luhnCheckDigit(body))).toBeNull();
    // KPJ field 00000000000000: no KPJ at all.
    const zeros = '700000000000000';
    expect(kpjFromTopUpCode(zeros + luhnCheckDigit(zeros))).toBeNull();
  });

  it('never collides with a bill code (bill codes start with 8)', () => {
    for (let i = 0; i < 1_000; i++) {
      const code = newPaymentCode();
      expect(code.startsWith('8')).toBe(true);
      expect(isTopUpCode(code)).toBe(false);
    }
  });

  it('throws for something that is not an 11-digit KPJ (a programming error)', () => {
    expect(() => topUpCode('1234')).toThrow(RangeError);
    expect(() => topUpCode('1000000001x')).toThrow(RangeError);
  });
});
