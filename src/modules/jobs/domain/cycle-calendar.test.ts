import { describe, expect, it } from 'vitest';
import { defaultRuleBook as rules, withHolidayYears } from '../../contributions/domain/rule-book.js';
import { membershipStatus } from '../../membership/domain/membership-status.js';
import { addDays, addMonths } from '../../../shared/month.js';
import { coverState, cycleRunAt, lapseDates, reminderAudience, remindersInSeason, reminderWindows, statusTable } from './cycle-calendar.js';

const season = (day: string) => remindersInSeason(day, rules).map((w) => `${w.month}:${w.kind}`);

function days(from: string, to: string): string[] {
  const out: string[] = [];
  for (let d = from; d <= to; d = addDays(d, 1)) {
    out.push(d);
  }
  return out;
}

describe('reminder windows', () => {
  it('December 2026 (due Tue 15 Dec): H-3 from Sat 12 to Mon 14, due on 15, overdue from Wed 16 for a week', () => {
    expect(reminderWindows('2026-12', rules)).toEqual([
      { month: '2026-12', kind: 'h3', dueDate: '2026-12-15', from: '2026-12-12', until: '2026-12-14' },
      { month: '2026-12', kind: 'due', dueDate: '2026-12-15', from: '2026-12-15', until: '2026-12-15' },
      { month: '2026-12', kind: 'overdue', dueDate: '2026-12-15', from: '2026-12-16', until: '2026-12-22' },
    ]);
  });

  it.each([
    ['2026-12-11', []],
    ['2026-12-12', ['2026-12:h3']],
    ['2026-12-14', ['2026-12:h3']],
    ['2026-12-15', ['2026-12:due']],
    ['2026-12-16', ['2026-12:overdue']],
    ['2026-12-22', ['2026-12:overdue']],
    ['2026-12-23', []],
    // Fri 15 Jan 2027 is due; the overdue reminder waits for the first working day, Mon 18 Jan.
    ['2027-01-16', []],
    ['2027-01-18', ['2027-01:overdue']],
  ])('on %s: %j', (day, expected) => {
    expect(season(day)).toEqual(expected);
  });

  it('follows a due date moved by a weekend and a holiday (May 2027: Sat 15 → Tue 18, Mon 17 being Idul Adha)', () => {
    // 2027 as if staff had entered its calendar with Idul Adha on Monday 17 May.
    const entered = withHolidayYears(rules, [...rules.holidayYears, { year: 2027, decree: 'SKB (test)', holidays: [{ date: '2027-05-17', name: 'Idul Adha 1448 Hijriah', kind: 'national_holiday' }] }]);
    const [h3, due, overdue] = reminderWindows('2027-05', entered);
    expect(due).toMatchObject({ dueDate: '2027-05-18', from: '2027-05-18' });
    expect(h3).toMatchObject({ from: '2027-05-15', until: '2027-05-17' });
    expect(overdue).toMatchObject({ from: '2027-05-19' });
  });

  it('every day of a year has at most one reminder of each month, and every month gets all three kinds', () => {
    const seen = new Map<string, string[]>();
    for (const day of days('2026-12-01', '2027-11-30')) {
      for (const key of season(day)) {
        seen.set(key, [...(seen.get(key) ?? []), day]);
      }
    }
    for (let m = '2026-12'; m <= '2027-11'; m = addMonths(m, 1)) {
      expect(['h3', 'due', 'overdue'].map((k) => seen.has(`${m}:${k}`)), m).toEqual([true, true, true]);
    }
  });

  it('rejects a malformed day', () => {
    expect(() => remindersInSeason('2026-12-32', rules)).toThrow(RangeError);
  });
});

describe('status table (tabulates membershipStatus per covered-through month)', () => {
  it('matches membershipStatus for every covered-through month on every day of a year', () => {
    for (const today of days('2026-11-01', '2027-12-31')) {
      const table = statusTable(today, rules, '2025-01');
      const byMonth = new Map(table.lapsed.map((c) => [c.coveredThrough, c.status]));
      for (let ct = '2025-01'; ct <= '2028-01'; ct = addMonths(ct, 1)) {
        const expected = membershipStatus({ coveredThrough: ct, today }, rules).status;
        const tabulated = ct >= table.activeFrom ? 'active' : byMonth.get(ct);
        expect(tabulated, `${ct} on ${today}`).toBe(expected);
      }
    }
  });

  it('reaches back to the first month of the rule book by default, all lapsed rows arrears or inactive', () => {
    const table = statusTable('2026-12-16', rules);
    expect(table.activeFrom).toBe('2026-12');
    expect(table.lapsed.at(-1)?.coveredThrough).toBe('2015-07');
    expect(table.lapsed.slice(0, 4).map((c) => [c.coveredThrough, c.status])).toEqual([
      ['2026-11', 'arrears'],
      ['2026-10', 'arrears'],
      ['2026-09', 'arrears'],
      ['2026-08', 'inactive'],
    ]);
  });

  it('dates each status from the day after the due date that caused it, with its reason and the last day to pay', () => {
    expect(lapseDates('2026-11', rules)).toEqual({ arrearsFrom: '2026-12-16', inactiveFrom: '2027-03-16' });
    expect(coverState('2026-11', '2026-12-20', rules)).toEqual({
      coveredThrough: '2026-11',
      status: 'arrears',
      firstUnpaid: '2026-12',
      since: '2026-12-16',
      reason: 'unpaid:2026-12',
      payBy: '2027-03-15',
    });
    expect(coverState('2026-11', '2027-04-01', rules)).toEqual({
      coveredThrough: '2026-11',
      status: 'inactive',
      firstUnpaid: '2026-12',
      since: '2027-03-16',
      reason: 'more_than_3_unpaid_months',
      payBy: null,
    });
    expect(coverState('2026-11', '2026-12-15', rules)).toMatchObject({ status: 'active', since: null, reason: null, payBy: '2027-03-15' });
  });

  it('since is the first day of the status and payBy the last day before inactive, for many covers', () => {
    for (let ct = '2026-01'; ct <= '2027-12'; ct = addMonths(ct, 1)) {
      const { arrearsFrom, inactiveFrom } = lapseDates(ct, rules);
      const status = (today: string) => membershipStatus({ coveredThrough: ct, today }, rules).status;
      expect([status(addDays(arrearsFrom, -1)), status(arrearsFrom)], ct).toEqual(['active', 'arrears']);
      expect([status(addDays(inactiveFrom, -1)), status(inactiveFrom)], ct).toEqual(['arrears', 'inactive']);
    }
  });
});

describe('reminder audience', () => {
  it('H-3 of December 2026: covers from August to November (active or in arrears); July is inactive by then', () => {
    expect(reminderAudience('2026-12', '2026-12-12', rules)).toEqual([
      { coveredThrough: '2026-11', firstUnpaid: '2026-12', months: ['2026-12'], status: 'active', payBy: '2027-03-15' },
      { coveredThrough: '2026-10', firstUnpaid: '2026-11', months: ['2026-11', '2026-12'], status: 'arrears', payBy: '2027-02-15' },
      { coveredThrough: '2026-09', firstUnpaid: '2026-10', months: ['2026-10', '2026-11', '2026-12'], status: 'arrears', payBy: '2027-01-15' },
      { coveredThrough: '2026-08', firstUnpaid: '2026-09', months: ['2026-09', '2026-10', '2026-11', '2026-12'], status: 'arrears', payBy: '2026-12-15' },
    ]);
  });

  it('overdue reminder of December 2026 (16 Dec): the August cover has become inactive and gets none', () => {
    expect(reminderAudience('2026-12', '2026-12-16', rules).map((a) => [a.coveredThrough, a.status])).toEqual([
      ['2026-11', 'arrears'],
      ['2026-10', 'arrears'],
      ['2026-09', 'arrears'],
    ]);
  });
});

describe('cycleRunAt', () => {
  it('is 07:00 WIB (00:00 UTC) on the day', () => {
    expect(cycleRunAt('2026-12-12').toISOString()).toBe('2026-12-12T00:00:00.000Z');
  });
});
