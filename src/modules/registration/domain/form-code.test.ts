import { randomBytes } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { CROCKFORD_ALPHABET, formatFormCode, formCodeFromBytes, formCodeLive, FORM_CODE_LIFETIME_MS, normalizeFormCode } from './form-code.js';

describe('the Formulir 1A form code', () => {
  it.each([
    { bytes: [0, 0, 0, 0, 0], code: '00000000' },
    { bytes: [255, 255, 255, 255, 255], code: 'ZZZZZZZZ' },
    { bytes: [0, 0, 0, 0, 1], code: '00000001' },
    { bytes: [0, 0, 0, 0, 31], code: '0000000Z' },
    { bytes: [0, 0, 0, 0, 32], code: '00000010' },
    // 0x0842108421 = 5-bit groups 00001 ×8
    { bytes: [0x08, 0x42, 0x10, 0x84, 0x21], code: '11111111' },
  ])('bytes $bytes → $code', ({ bytes, code }) => {
    expect(formCodeFromBytes(Uint8Array.from(bytes))).toBe(code);
  });

  it('is 8 Crockford symbols (no I, L, O, U) for any 5 random bytes, and different bytes give different codes', () => {
    const seen = new Set<string>();
    for (let i = 0; i < 2000; i++) {
      const code = formCodeFromBytes(randomBytes(5));
      expect(code).toMatch(/^[0-9A-HJKMNP-TV-Z]{8}$/);
      seen.add(code);
    }
    expect(seen.size).toBeGreaterThan(1990);
    expect(CROCKFORD_ALPHABET).toHaveLength(32);
    expect(CROCKFORD_ALPHABET).not.toMatch(/[ILOU]/);
  });

  it('refuses fewer than 5 bytes', () => {
    expect(() => formCodeFromBytes(Uint8Array.from([1, 2, 3, 4]))).toThrow();
  });

  it.each([
    { input: 'K3M9Q2TX', code: 'K3M9Q2TX' },
    { input: 'k3m9-q2tx', code: 'K3M9Q2TX' },
    { input: ' K3M9 Q2TX ', code: 'K3M9Q2TX' },
    { input: 'OIL00000', code: '01100000' },
    { input: 'K3M9Q2T', code: null },
    { input: 'K3M9Q2TXX', code: null },
    { input: 'K3M9Q2TU', code: null },
    { input: 'K3M9Q2T!', code: null },
    { input: '', code: null },
  ])('reads $input as $code', ({ input, code }) => {
    expect(normalizeFormCode(input)).toBe(code);
  });

  it('prints as two groups of four', () => {
    expect(formatFormCode('K3M9Q2TX')).toBe('K3M9-Q2TX');
    expect(normalizeFormCode(formatFormCode('K3M9Q2TX'))).toBe('K3M9Q2TX');
  });

  it('lives 30 days: until, not at, its expiry', () => {
    const issued = new Date('2026-12-07T08:00:00Z');
    const expires = new Date(issued.getTime() + FORM_CODE_LIFETIME_MS);
    expect(expires.toISOString()).toBe('2027-01-06T08:00:00.000Z');
    expect(formCodeLive(expires, new Date(expires.getTime() - 1))).toBe(true);
    expect(formCodeLive(expires, expires)).toBe(false);
    expect(formCodeLive(null, issued)).toBe(false);
  });
});
