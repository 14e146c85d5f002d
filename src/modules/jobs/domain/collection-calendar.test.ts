import { describe, expect, it } from 'vitest';
import { defaultRuleBook as rules, type RuleBook } from '../../contributions/domain/rule-book.js';
import { addWorkingDays, autodebitAttempts, autodebitInSeason, duesExpiresAt, duesInSeason, duesOpeningDate, duesOpeningWindow } from './collection-calendar.js';

const season = (day: string, book: RuleBook = rules) => autodebitInSeason(day, book).map((a) => `${a.month}#${a.attempt}`);

describe('dues opening', () => {
  it('opens on the rule book day (the 1st), caught up until the day before the due date (the first auto-debit)', () => {
    expect(duesOpeningDate('2026-12', rules)).toBe('2026-12-01');
    expect(duesOpeningWindow('2026-12', rules)).toEqual({ month: '2026-12', from: '2026-12-01', until: '2026-12-14' });
    // 15 Nov 2026 is a Sunday: the due date is Mon 16 Nov, so the window runs to Sun 15 Nov.
    expect(duesOpeningWindow('2026-11', rules).until).toBe('2026-11-15');
    expect(duesInSeason('2026-11-30', rules)).toEqual([]);
    expect(duesInSeason('2026-12-01', rules)).toEqual(['2026-12']);
    expect(duesInSeason('2026-12-14', rules)).toEqual(['2026-12']);
    expect(duesInSeason('2026-12-15', rules)).toEqual([]);
  });

  it('the opening day is data: an effective-dated rule changes it from its month on', () => {
    const book: RuleBook = {
      ...rules,
      duesOpeningRules: [...rules.duesOpeningRules, { dayOfMonth: 8, validFrom: '2027-02', validTo: null, source: 'test' }],
    };
    expect(duesOpeningDate('2027-01', book)).toBe('2027-01-01');
    expect(duesOpeningDate('2027-02', book)).toBe('2027-02-08');
    expect(duesInSeason('2027-02-01', book)).toEqual([]);
    expect(duesInSeason('2027-02-08', book)).toEqual(['2027-02']);
    // A day past the month's end means its last day.
    const late: RuleBook = { ...rules, duesOpeningRules: [{ dayOfMonth: 31, validFrom: '2015-07', validTo: null, source: 'test' }] };
    expect(duesOpeningDate('2027-02', late)).toBe('2027-02-28');
  });

  it('a dues bill expires at 00:00 WIB of the day after the last day it may be paid', () => {
    expect(duesExpiresAt('2027-03-15').toISOString()).toBe('2027-03-15T17:00:00.000Z');
    expect(duesExpiresAt('2026-12-31').toISOString()).toBe('2026-12-31T17:00:00.000Z');
  });
});

describe('auto-debit attempts', () => {
  it('working days skip weekends and holidays', () => {
    expect(addWorkingDays('2026-12-15', 0, rules)).toBe('2026-12-15');
    expect(addWorkingDays('2026-12-15', 1, rules)).toBe('2026-12-16');
    expect(addWorkingDays('2026-12-18', 1, rules)).toBe('2026-12-21'); // Fri → Mon
    expect(addWorkingDays('2026-12-23', 1, rules)).toBe('2026-12-28'); // 24 and 25 Dec are holidays, then the weekend
    expect(() => addWorkingDays('2026-12-15', -1, rules)).toThrow(RangeError);
  });

  it('December 2026 (due Tue 15 Dec): 15, 16 and 18 Dec; each scheduled from its day to the day before the next', () => {
    expect(autodebitAttempts('2026-12', rules)).toEqual([
      { month: '2026-12', attempt: 1, attempts: 3, date: '2026-12-15', nextDate: '2026-12-16', from: '2026-12-15', until: '2026-12-15' },
      { month: '2026-12', attempt: 2, attempts: 3, date: '2026-12-16', nextDate: '2026-12-18', from: '2026-12-16', until: '2026-12-17' },
      { month: '2026-12', attempt: 3, attempts: 3, date: '2026-12-18', nextDate: null, from: '2026-12-18', until: '2026-12-24' },
    ]);
    expect(season('2026-12-14')).toEqual([]);
    expect(season('2026-12-15')).toEqual(['2026-12#1']);
    expect(season('2026-12-17')).toEqual(['2026-12#2']); // a missed day is caught up, not skipped
    expect(season('2026-12-24')).toEqual(['2026-12#3']);
    expect(season('2026-12-25')).toEqual([]);
  });

  it('January 2027 (due Fri 15 Jan): the retries fall on Mon 18 and Wed 20 Jan', () => {
    expect(autodebitAttempts('2027-01', rules).map((a) => a.date)).toEqual(['2027-01-15', '2027-01-18', '2027-01-20']);
    expect(season('2027-01-16')).toEqual(['2027-01#1']);
  });

  it('the bound is data: one attempt only, or more', () => {
    const once: RuleBook = { ...rules, autodebitSchedules: [{ workingDaysAfterDue: [0], validFrom: '2015-07', validTo: null, source: 'test' }] };
    expect(autodebitAttempts('2026-12', once).map((a) => [a.attempt, a.attempts, a.nextDate])).toEqual([[1, 1, null]]);
    const more: RuleBook = { ...rules, autodebitSchedules: [{ workingDaysAfterDue: [0, 2, 1, 5, 2], validFrom: '2015-07', validTo: null, source: 'test' }] };
    expect(autodebitAttempts('2026-12', more).map((a) => a.date)).toEqual(['2026-12-15', '2026-12-16', '2026-12-17', '2026-12-22']);
  });
});
