import { describe, expect, it } from 'vitest';
import { dayOfWeek } from '../../../shared/month.js';
import { dueDate, isWorkingDay, nextWorkingDay } from './due-date.js';
import { defaultRuleBook as rules, withHolidayYears } from './rule-book.js';

describe('isWorkingDay', () => {
  it.each([
    ['2026-11-16', true, 'Monday'],
    ['2026-04-15', true, 'Wednesday'],
    ['2026-11-15', false, 'Sunday'],
    ['2026-08-15', false, 'Saturday'],
    ['2026-08-17', false, 'Proklamasi Kemerdekaan (Monday)'],
    ['2026-02-17', false, 'Tahun Baru Imlek (Tuesday)'],
    ['2026-02-16', false, 'cuti bersama Imlek (Monday)'],
    ['2026-05-15', false, 'cuti bersama Kenaikan Yesus Kristus (Friday)'],
    ['2026-12-24', false, 'cuti bersama Natal (Thursday)'],
    ['2027-01-01', true, 'Tahun Baru 2027 (Friday), but 2027 has no calendar entered: weekends only'],
  ])('%s → %s (%s)', (date, expected) => {
    expect(isWorkingDay(date, rules)).toBe(expected);
  });

  it('a year counts its holidays once its calendar is entered (the holiday set is data, not code)', () => {
    const entered = withHolidayYears(rules, [...rules.holidayYears, { year: 2027, decree: 'SKB (test)', holidays: [{ date: '2027-01-01', name: 'Tahun Baru 2027 Masehi', kind: 'national_holiday' }] }]);
    expect(isWorkingDay('2027-01-01', entered)).toBe(false);
    expect(isWorkingDay('2026-08-17', entered)).toBe(false);
    expect(isWorkingDay('2026-08-17', withHolidayYears(rules, []))).toBe(true);
  });

  it('rejects malformed dates', () => {
    expect(() => isWorkingDay('2026-02-30', rules)).toThrow(RangeError);
  });
});

describe('dueDate — the 15th, or the next working day', () => {
  it.each([
    // month, due date, why
    ['2026-01', '2026-01-15', 'Thursday, a normal working day'],
    ['2026-04', '2026-04-15', 'Wednesday, a normal working day'],
    ['2026-06', '2026-06-15', 'Monday (the holiday is the 16th, after the due date)'],
    ['2026-12', '2026-12-15', 'Tuesday, a normal working day'],
    ['2026-03', '2026-03-16', 'the 15th is a Sunday'],
    ['2026-11', '2026-11-16', 'the 15th is a Sunday'],
    ['2026-02', '2026-02-18', 'Sunday 15th, Monday 16th cuti bersama Imlek, Tuesday 17th Imlek'],
    ['2026-05', '2026-05-18', 'Friday 15th cuti bersama Kenaikan, then the weekend'],
    ['2026-08', '2026-08-18', 'Saturday 15th, Sunday, Monday 17th Proklamasi'],
    ['2027-01', '2027-01-15', 'Friday, a normal working day'],
    ['2027-02', '2027-02-15', 'Monday, a normal working day'],
    ['2027-06', '2027-06-15', 'Tuesday, a normal working day'],
    ['2025-06', '2025-06-16', 'no holiday data for 2025: weekend rule only (the 15th is a Sunday)'],
  ])('%s → %s (%s)', (month, expected) => {
    expect(dueDate(month, rules)).toBe(expected);
  });

  it('every due date in 2026–2027 is a working day on or after the 15th of its own month', () => {
    for (let y = 2026; y <= 2027; y++) {
      for (let m = 1; m <= 12; m++) {
        const month = `${y}-${String(m).padStart(2, '0')}`;
        const due = dueDate(month, rules);
        expect(due.startsWith(month)).toBe(true);
        expect(due >= `${month}-15`).toBe(true);
        expect(isWorkingDay(due, rules)).toBe(true);
        expect([0, 6]).not.toContain(dayOfWeek(due));
      }
    }
  });

  it('clamps a configured day beyond the month end to the last day', () => {
    const day30 = { ...rules, dueDayRules: [{ dayOfMonth: 30, validFrom: '2015-07', validTo: null, source: 'test' }] };
    // 2027-02-28 is a Sunday → Monday 1 March.
    expect(dueDate('2027-02', day30)).toBe('2027-03-01');
    expect(dueDate('2026-04', day30)).toBe('2026-04-30');
  });

  it('nextWorkingDay returns the date itself on a working day', () => {
    expect(nextWorkingDay('2026-11-16', rules)).toBe('2026-11-16');
    expect(nextWorkingDay('2026-03-18', rules)).toBe('2026-03-25'); // Nyepi + Idul Fitri + cuti bersama block
  });

  it('rejects malformed months', () => {
    expect(() => dueDate('2026-13', rules)).toThrow(RangeError);
  });
});
