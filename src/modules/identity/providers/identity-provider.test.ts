import { describe, expect, it } from 'vitest';
import { compareNames, compareResident, type PersonClaim } from './identity-provider.js';

describe('compareNames', () => {
  it.each([
    ['Siti Aminah', 'SITI AMINAH', true],
    ['  siti   aminah ', 'SITI AMINAH', true],
    ['siti\taminah', 'Siti Aminah', true],
    ['Muhammad Rizki', 'MUHAMMAD  RIZKI', true],
    ['Siti Aminah', 'Siti Aminah Putri', false],
    ['SitiAminah', 'Siti Aminah', false],
    ['Siti Amina', 'Siti Aminah', false],
    ['', '', true],
  ])('%j vs %j → %s', (a, b, expected) => {
    expect(compareNames(a, b)).toBe(expected);
  });
});

describe('compareResident', () => {
  const claim: PersonClaim = { nik: '3174015505900001', fullName: 'siti  aminah', birthDate: '1990-05-15', gender: 'F' };
  const resident = { fullName: 'SITI AMINAH', birthDate: '1990-05-15', gender: 'F' as const };

  it.each([
    ['no such NIK', null, { outcome: 'not_found' }],
    // The match carries the registry's spelling, not the claimed one.
    ['all equal (name normalised)', resident, { outcome: 'match', registryName: 'SITI AMINAH' }],
    ['all equal, registry in mixed case', { ...resident, fullName: 'Siti Aminah' }, { outcome: 'match', registryName: 'Siti Aminah' }],
    ['different name', { ...resident, fullName: 'SITI AMINAH PUTRI' }, { outcome: 'mismatch', fields: ['fullName'] }],
    ['different birth date', { ...resident, birthDate: '1990-05-16' }, { outcome: 'mismatch', fields: ['birthDate'] }],
    ['different gender', { ...resident, gender: 'M' as const }, { outcome: 'mismatch', fields: ['gender'] }],
    [
      'everything different',
      { fullName: 'BUDI SANTOSO', birthDate: '1985-01-01', gender: 'M' as const },
      { outcome: 'mismatch', fields: ['fullName', 'birthDate', 'gender'] },
    ],
  ])('%s', (_label, r, expected) => {
    expect(compareResident(claim, r)).toEqual(expected);
  });
});
