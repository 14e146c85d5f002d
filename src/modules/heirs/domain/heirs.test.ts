import { describe, expect, it } from 'vitest';
import { MAX_HEIRS, validateHeir, validateHeirs, type HeirInput } from './heirs.js';

const TODAY = '2026-12-07';
const base: HeirInput = { fullName: 'Siti Aminah', relationship: 'spouse', birthDate: '1992-03-04' };

describe('validateHeir', () => {
  it.each<[string, Partial<HeirInput>, string | null]>([
    ['a plain heir', {}, null],
    ['a name with an apostrophe and a hyphen', { fullName: "Nur'aini Al-Hadi" }, null],
    ['born today', { birthDate: TODAY }, null],
    ['an empty name', { fullName: ' ' }, 'invalid_heir_name'],
    ['a name of digits', { fullName: '007' }, 'invalid_heir_name'],
    ['a name of 101 letters', { fullName: 'a'.repeat(101) }, 'invalid_heir_name'],
    ['an unknown relationship', { relationship: 'cousin' }, 'invalid_relationship'],
    ['born tomorrow', { birthDate: '2026-12-08' }, 'invalid_birth_date'],
    ['30 February', { birthDate: '2016-02-30' }, 'invalid_birth_date'],
    ['not a date', { birthDate: '04/03/1992' }, 'invalid_birth_date'],
    ['a landline', { phone: '0215551234' }, 'invalid_phone'],
    ['a 15-digit NIK', { nik: '327501440392000' }, 'invalid_nik'],
  ])('%s → %s', (_, change, code) => {
    const r = validateHeir({ ...base, ...change }, 0, TODAY);
    expect(r.ok ? null : r.code).toBe(code);
  });

  it('trims the name, normalises the phone, keeps an empty NIK and phone as none, numbers the priority', () => {
    expect(validateHeir({ ...base, fullName: '  Siti   Aminah ', phone: '0812 3456 7891', nik: '' }, 2, TODAY)).toEqual({
      ok: true,
      value: { id: null, fullName: 'Siti Aminah', relationship: 'spouse', birthDate: '1992-03-04', phone: '+6281234567891', nik: null, priority: 3 },
    });
  });
});

describe('validateHeirs', () => {
  it(`accepts ${MAX_HEIRS}, refuses ${MAX_HEIRS + 1}`, () => {
    expect(validateHeirs(Array(MAX_HEIRS).fill(base), TODAY).ok).toBe(true);
    expect(validateHeirs(Array(MAX_HEIRS + 1).fill(base), TODAY)).toMatchObject({ ok: false, code: 'too_many_heirs', field: 'heirs' });
  });
  it("names the first wrong heir's field", () => {
    expect(validateHeirs([base, { ...base, birthDate: 'x' }], TODAY)).toEqual({ ok: false, code: 'invalid_birth_date', field: 'heirs[1].birthDate', index: 1 });
  });
});
