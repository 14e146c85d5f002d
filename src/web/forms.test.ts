import { describe, expect, it } from 'vitest';
import { checkBirthDate, cutAt, field, normalizeNikInput, readDateParts, splitTypedDate } from './forms.js';

const TODAY = '2026-12-08';

describe('checkBirthDate', () => {
  it.each([
    [{ day: '17', month: '5', year: '1990' }, { ok: true, value: '1990-05-17' }],
    [{ day: '01', month: '12', year: '2000' }, { ok: true, value: '2000-12-01' }],
    [{ day: '', month: '', year: '' }, { ok: false, problem: 'empty' }],
    [{ day: '17', month: '', year: '1990' }, { ok: false, problem: 'incomplete' }],
    [{ day: '32', month: '5', year: '1990' }, { ok: false, problem: 'day' }],
    [{ day: 'x', month: '5', year: '1990' }, { ok: false, problem: 'day' }],
    [{ day: '17', month: '13', year: '1990' }, { ok: false, problem: 'month' }],
    [{ day: '17', month: '5', year: '90' }, { ok: false, problem: 'year' }],
    [{ day: '31', month: '4', year: '1990' }, { ok: false, problem: 'nonexistent' }],
    [{ day: '29', month: '2', year: '2023' }, { ok: false, problem: 'nonexistent' }],
    [{ day: '29', month: '2', year: '2024' }, { ok: true, value: '2024-02-29' }],
    [{ day: '9', month: '12', year: '2026' }, { ok: false, problem: 'future' }],
    [{ day: '8', month: '12', year: '2026' }, { ok: true, value: '2026-12-08' }],
  ])('%j → %j', (parts, expected) => {
    expect(checkBirthDate(parts, TODAY)).toEqual(expected);
  });
});

describe('reading a typed date', () => {
  it.each([
    ['17-05-1990', { day: '17', month: '05', year: '1990' }],
    ['17/5/1990', { day: '17', month: '5', year: '1990' }],
    ['17.05.1990', { day: '17', month: '05', year: '1990' }],
    ['1990-05-17', { day: '17', month: '05', year: '1990' }],
    ['17 Mei 1990', null],
  ])('%s', (typed, parts) => {
    expect(splitTypedDate(typed)).toEqual(parts);
  });

  it('takes the three fields, a dd-mm-yyyy typed in the day field, or the older single field', () => {
    expect(readDateParts({ birthDateDay: '7', birthDateMonth: '3', birthDateYear: '1988' }, 'birthDate')).toEqual({ day: '7', month: '3', year: '1988' });
    expect(readDateParts({ birthDateDay: '07-03-1988', birthDateMonth: '', birthDateYear: '' }, 'birthDate')).toEqual({ day: '07', month: '03', year: '1988' });
    expect(readDateParts({ birthDate: '1988-03-07' }, 'birthDate')).toEqual({ day: '07', month: '03', year: '1988' });
  });
});

describe('normalizeNikInput', () => {
  it.each([
    ['3171 0101 9001 0001', '3171010190010001'],
    ['3171.0101.9001.0001', '3171010190010001'],
    [' 3171-0101-9001-0001 ', '3171010190010001'],
  ])('%s', (typed, nik) => {
    expect(normalizeNikInput(typed)).toBe(nik);
  });
});

describe('field / cutAt: a cut never leaves half a surrogate pair (encodeURIComponent would throw: a 500 the fuzz found)', () => {
  const emoji = '\u{1F600}'; // two UTF-16 units
  it.each([
    ['abc', 2, 'ab'],
    [`a${emoji}`, 2, 'a'],
    [`a${emoji}`, 3, `a${emoji}`],
    [`${emoji}${emoji}`, 3, emoji],
    ['', 5, ''],
  ])('cutAt(%j, %i) = %j', (s, max, expected) => {
    expect(cutAt(s, max)).toBe(expected);
    expect(() => encodeURIComponent(cutAt(s, max))).not.toThrow();
  });
  it('field() cuts the same way', () => {
    expect(field({ kota: `${'x'.repeat(59)}${emoji}` }, 'kota', 60)).toBe('x'.repeat(59));
  });
});
