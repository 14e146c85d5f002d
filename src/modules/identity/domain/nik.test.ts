import { describe, expect, it } from 'vitest';
import { maskNik, validateNik } from './nik.js';

// Synthetic NIKs: 32 Jawa Barat, 75 Kota Bekasi, 01 district.
const MALE = '3275011205900001'; // born 12-05-90, male
const FEMALE = '3275016308950002'; // day 63 = 23 + 40 → born 23-08-95, female
const PAPUA_BARAT_DAYA = '9671010101100003'; // province 96, born 01-01-10

describe('validateNik — valid', () => {
  it.each([
    ['male', MALE, {}, { provinceCode: '32', genderFromNik: 'M', birthDateFromNik: null }],
    ['female', FEMALE, {}, { provinceCode: '32', genderFromNik: 'F', birthDateFromNik: null }],
    ['male with birth date', MALE, { birthDate: '1990-05-12', gender: 'M' }, { genderFromNik: 'M', birthDateFromNik: '1990-05-12' }],
    ['female with birth date', FEMALE, { birthDate: '1995-08-23', gender: 'F' }, { genderFromNik: 'F', birthDateFromNik: '1995-08-23' }],
    ['century from today (2000s)', PAPUA_BARAT_DAYA, { today: '2026-06-01' }, { provinceCode: '96', birthDateFromNik: '2010-01-01' }],
    ['century from today (1900s)', MALE, { today: '2026-06-01' }, { birthDateFromNik: '1990-05-12' }],
    ['century from birth date beats today', '3275010101200001', { birthDate: '1920-01-01', today: '2026-06-01' }, { birthDateFromNik: '1920-01-01' }],
    ['29 Feb 2000 exists (leap year)', '3175012902000001', { today: '2026-06-01' }, { provinceCode: '31', birthDateFromNik: '2000-02-29' }],
    ['female day 71 = 31', '3578017101850001', {}, { provinceCode: '35', genderFromNik: 'F' }],
    ['legacy Papua code 91', '9171010101800001', {}, { provinceCode: '91' }],
    ['Papua Barat code 92', '9201010101800001', {}, { provinceCode: '92' }],
  ] as const)('%s', (_label, nik, ctx, expected) => {
    const r = validateNik(nik, ctx);
    expect(r.ok).toBe(true);
    expect(r.ok && r.value).toMatchObject({ warnings: [], ...expected });
  });
});

describe('validateNik — hard errors', () => {
  it.each([
    ['15 digits', '327501120590000'],
    ['17 digits', '32750112059000011'],
    ['letters', '32750112059000a1'],
    ['spaces', '3275 0112 0590 0001'],
    ['empty', ''],
    ['province 00', '0075011205900001'],
    ['province 09', '0975011205900001'],
    ['regency 00', '3200011205900001'],
    ['district 00', '3275001205900001'],
    ['month 00', '3275011200900001'],
    ['month 13', '3275011213900001'],
    ['day 00', '3275010005900001'],
    ['day 32', '3275013205900001'],
    ['day 40', '3275014005900001'],
    ['day 72', '3275017205900001'],
    ['serial 0000', '3275011205900000'],
    ['31 February', '3275013102900001'],
    ['31 April (female)', '3275017104900001'],
    ['29 February in a non-leap year (1990/2090)', '3275016902900001'],
  ])('%s', (_label, nik) => {
    const r = validateNik(nik);
    expect(r.ok).toBe(false);
    expect(!r.ok && r.code).toBe('invalid_nik');
  });
});

describe('validateNik — warnings only', () => {
  it.each([
    ['province not in the current list (99)', '9975011205900001', {}, ['unknown_region']],
    ['province not in the current list (20)', '2075011205900001', {}, ['unknown_region']],
    ['birth date differs', MALE, { birthDate: '1990-05-13', gender: 'M' }, ['birth_date_mismatch']],
    ['birth year differs', MALE, { birthDate: '1991-05-12' }, ['birth_date_mismatch']],
    ['gender differs', MALE, { birthDate: '1990-05-12', gender: 'F' }, ['gender_mismatch']],
    ['both differ', FEMALE, { birthDate: '1995-08-24', gender: 'M' }, ['birth_date_mismatch', 'gender_mismatch']],
    ['century is not evidence of a mismatch', '3275010101200001', { birthDate: '2020-01-01' }, []],
  ] as const)('%s', (_label, nik, ctx, warnings) => {
    const r = validateNik(nik, ctx);
    expect(r.ok).toBe(true);
    expect(r.ok && r.value.warnings).toEqual(warnings);
  });
});

describe('maskNik', () => {
  it.each([
    [MALE, '3275********0001'],
    ['3275016308950002', '3275********0002'],
    ['12345678', '********'],
  ])('%s → %s', (nik, masked) => {
    expect(maskNik(nik)).toBe(masked);
  });
});
