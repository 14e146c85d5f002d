import { describe, expect, it } from 'vitest';
import { normalizeEmail, normalizeName, normalizePhone } from './contact.js';

describe('normalizePhone', () => {
  it.each([
    ['081234567890', '+6281234567890'],
    ['6281234567890', '+6281234567890'],
    ['+6281234567890', '+6281234567890'],
    ['0812-3456-7890', '+6281234567890'],
    ['0812 3456 7890', '+6281234567890'],
    ['+62 812-3456-7890', '+6281234567890'],
    [' (0812) 3456.7890 ', '+6281234567890'],
    ['0895123456789', '+62895123456789'],
    ['085712345678', '+6285712345678'],
  ])('%j → %s', (input, e164) => {
    expect(normalizePhone(input)).toEqual({ ok: true, value: e164 });
  });

  it.each([
    ['Jakarta landline', '0212345678'],
    ['Jakarta landline, international', '+62212345678'],
    ['too short', '0800123'],
    ['letters', 'abc'],
    ['text around a number', 'call 081234567890'],
    ['empty', ''],
    ['Singapore mobile', '+6581234567'],
    ['digits only garbage', '1234567890123'],
  ])('rejects %s (%j)', (_label, input) => {
    const r = normalizePhone(input);
    expect(r.ok).toBe(false);
    expect(!r.ok && r.code).toBe('invalid_phone');
  });
});

describe('normalizeEmail', () => {
  it.each([
    ['budi@example.com', 'budi@example.com'],
    ['  Budi.Santoso@Example.CO.ID ', 'budi.santoso@example.co.id'],
    ['siti+bpu@mail-server.id', 'siti+bpu@mail-server.id'],
    ['a_b@sub.domain.org', 'a_b@sub.domain.org'],
  ])('%j → %s', (input, email) => {
    expect(normalizeEmail(input)).toEqual({ ok: true, value: email });
  });

  it.each([
    ['no @', 'budi.example.com'],
    ['two @', 'budi@x@example.com'],
    ['empty local part', '@example.com'],
    ['empty domain', 'budi@'],
    ['domain without a dot', 'budi@localhost'],
    ['space inside', 'budi santoso@example.com'],
    ['double dot in domain', 'budi@example..com'],
    ['leading dot in domain', 'budi@.example.com'],
    ['hyphen at label edge', 'budi@-example.com'],
    ['numeric TLD', 'budi@example.123'],
    ['leading dot in local part', '.budi@example.com'],
    ['double dot in local part', 'bu..di@example.com'],
    ['empty', ''],
    ['longer than 254 characters', `${'a'.repeat(64)}@${'b'.repeat(63)}.${'c'.repeat(63)}.${'d'.repeat(63)}.com`],
  ])('rejects %s', (_label, input) => {
    const r = normalizeEmail(input);
    expect(r.ok).toBe(false);
    expect(!r.ok && r.code).toBe('invalid_email');
  });
});

describe('normalizeName', () => {
  it.each([
    ['Budi Santoso', 'BUDI SANTOSO'],
    ['  budi   santoso ', 'BUDI SANTOSO'],
    ['Siti\tNur\u00a0Aisyah', 'SITI NUR AISYAH'],
    ['BUDI SANTOSO', 'BUDI SANTOSO'],
  ])('%j → %s', (input, expected) => {
    expect(normalizeName(input)).toBe(expected);
  });

  it('makes case and spacing variants equal', () => {
    expect(normalizeName('made  WIRA yasa')).toBe(normalizeName('Made Wira Yasa'));
  });
});
