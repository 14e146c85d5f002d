import { describe, expect, it } from 'vitest';
import { canonicalJson, commandFingerprint, isUuidV7 } from './commands.js';
import { checkCodeFrom, checkCodeHash, CHECK_CODE_ALPHABET, formatAgentCode, formatReceiptNo, isReceiptNo, maskKpj, normalizeCheckCode } from './receipt.js';

describe('agent codes and receipt numbers', () => {
  it.each([
    [1, 'AG000001'],
    [123, 'AG000123'],
    [999_999, 'AG999999'],
  ])('agent %i → %s', (seq, code) => expect(formatAgentCode(seq)).toBe(code));
  it.each([0, 1_000_000, 1.5])('agent sequence %s is refused', (seq) => expect(() => formatAgentCode(seq)).toThrow());
  it.each([
    ['AG000123', 1, 'KW-AG000123-000001'],
    ['AG000123', 45, 'KW-AG000123-000045'],
    ['AG999999', 999_999, 'KW-AG999999-999999'],
  ])('receipt of %s #%i → %s', (agent, seq, no) => {
    expect(formatReceiptNo(agent, seq)).toBe(no);
    expect(isReceiptNo(no)).toBe(true);
  });
  it.each(['KW-AG00012-000001', 'kw-AG000123-000001', 'KW-AG000123-1', ''])('%s is not a receipt number', (no) => expect(isReceiptNo(no)).toBe(false));
});

describe('check codes', () => {
  it.each([
    [[0, 0, 0, 0, 0, 0], 'AAAAAA'],
    [[30, 31, 32, 61, 62, 255], '9AB9AH'],
  ])('bytes %j → %s', (bytes, code) => expect(checkCodeFrom(Uint8Array.from(bytes))).toBe(code));
  it('the alphabet has no look-alikes (0 O 1 I L)', () => {
    expect(CHECK_CODE_ALPHABET).not.toMatch(/[0O1IL]/);
    expect(CHECK_CODE_ALPHABET).toHaveLength(31);
  });
  it.each([
    ['abc234', 'ABC234'],
    [' ab c2 34 ', 'ABC234'],
    ['ABC23', null],
    ['ABC2340', null],
    ['ABC0O1', null],
  ])('%j as typed → %s', (typed, code) => expect(normalizeCheckCode(typed)).toBe(code));
  it('the hash depends on the receipt and the code, and is hex', () => {
    const h = checkCodeHash('KW-AG000001-000001', 'ABC234');
    expect(h).toMatch(/^[0-9a-f]{64}$/);
    expect(checkCodeHash('KW-AG000001-000002', 'ABC234')).not.toBe(h);
    expect(checkCodeHash('KW-AG000001-000001', 'ABC235')).not.toBe(h);
  });
  it.each([
    ['12345678901', '*******8901'],
    ['1234', '1234'],
  ])('KPJ %s masked %s', (kpj, masked) => expect(maskKpj(kpj)).toBe(masked));
});

describe('command ids and fingerprints', () => {
  it.each([
    ['01939f4e-7b1c-7a2b-9c3d-4e5f60718293', true],
    ['01939f4e-7b1c-4a2b-9c3d-4e5f60718293', false],
    ['01939f4e-7b1c-7a2b-1c3d-4e5f60718293', false],
    ['01939F4E-7B1C-7A2B-9C3D-4E5F60718293', false],
    ['not-a-uuid', false],
  ])('%s is a UUIDv7: %s', (id, expected) => expect(isUuidV7(id)).toBe(expected));
  it('canonical JSON sorts keys at every level and drops undefined', () => {
    expect(canonicalJson({ b: 1, a: { d: [1, { z: 1, y: 2 }], c: undefined } })).toBe('{"a":{"d":[1,{"y":2,"z":1}]},"b":1}');
  });
  it('the same command in another key order or instant spelling has the same fingerprint; another payload does not', () => {
    const a = commandFingerprint({ type: 'collect', createdAt: '2026-12-07T10:00:00+07:00', payload: { amount: 8400, months: 1 } });
    expect(commandFingerprint({ type: 'collect', createdAt: '2026-12-07T03:00:00.000Z', payload: { months: 1, amount: 8400 } })).toBe(a);
    expect(commandFingerprint({ type: 'collect', createdAt: '2026-12-07T03:00:00.000Z', payload: { months: 1, amount: 8401 } })).not.toBe(a);
    expect(commandFingerprint({ type: 'enrol', createdAt: '2026-12-07T03:00:00.000Z', payload: { months: 1, amount: 8400 } })).not.toBe(a);
  });
});
