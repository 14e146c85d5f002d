import { describe, expect, it } from 'vitest';
import { defaultRuleBook as rules } from '../../contributions/domain/rule-book.js';
import { billableMonthsStart, membershipStatus, nextDue, statusForOverdueCount } from './membership-status.js';

// Due dates used below (see due-date.test.ts): 2026-11 → 16 Nov (the 15th is a Sunday); 2026-12 → 15 Dec;
// 2027-01 → 15 Jan; 2027-02 → 15 Feb.
describe('membershipStatus', () => {
  it.each([
    // coveredThrough, today, status, overdue months
    ['2026-10', '2026-10-31', 'active', []],
    ['2026-10', '2026-11-01', 'active', []],
    ['2026-10', '2026-11-15', 'active', []], // before the shifted due date
    ['2026-10', '2026-11-16', 'active', []], // on the due date itself: not yet overdue
    ['2026-10', '2026-11-17', 'arrears', ['2026-11']],
    ['2026-10', '2026-12-15', 'arrears', ['2026-11']],
    ['2026-10', '2026-12-16', 'arrears', ['2026-11', '2026-12']],
    ['2026-10', '2027-02-15', 'arrears', ['2026-11', '2026-12', '2027-01']], // 3 = the arrears window
    ['2026-10', '2027-02-16', 'inactive', ['2026-11', '2026-12', '2027-01', '2027-02']], // 4 > window
    ['2026-10', '2027-03-01', 'inactive', ['2026-11', '2026-12', '2027-01', '2027-02']],
    ['2027-03', '2026-11-20', 'active', []], // prepaid ahead
    ['2026-11', '2026-11-20', 'active', []], // current month paid
  ] as const)('covered through %s, today %s → %s %j', (coveredThrough, today, status, overdue) => {
    expect(membershipStatus({ coveredThrough, today }, rules)).toEqual({ status, overdueMonths: overdue });
  });

  it('lists every overdue month for a long-lapsed member', () => {
    const r = membershipStatus({ coveredThrough: '2025-12', today: '2026-12-20' }, rules);
    expect(r.status).toBe('inactive');
    expect(r.overdueMonths).toHaveLength(12);
    expect(r.overdueMonths[0]).toBe('2026-01');
    expect(r.overdueMonths[11]).toBe('2026-12');
  });

  it.each([
    [0, 'active'],
    [1, 'arrears'],
    [3, 'arrears'],
    [4, 'inactive'],
  ] as const)('%i overdue months → %s', (n, status) => {
    expect(statusForOverdueCount(n, rules)).toBe(status);
  });

  it('the arrears window is data', () => {
    const strict = { ...rules, arrearsWindowMonths: 1 };
    expect(membershipStatus({ coveredThrough: '2026-10', today: '2026-12-16' }, strict).status).toBe('inactive');
  });

  it('rejects malformed input', () => {
    expect(() => membershipStatus({ coveredThrough: '2026-1', today: '2026-11-01' }, rules)).toThrow(RangeError);
    expect(() => membershipStatus({ coveredThrough: '2026-10', today: '2026-11-31' }, rules)).toThrow(RangeError);
  });
});

describe('nextDue and billableMonthsStart', () => {
  it.each([
    // coveredThrough, today, next month, its due date, status
    ['2026-10', '2026-11-10', '2026-11', '2026-11-16', 'active'],
    ['2026-10', '2026-11-17', '2026-11', '2026-11-16', 'arrears'],
    ['2026-10', '2027-02-15', '2026-11', '2026-11-16', 'arrears'],
    ['2027-03', '2026-11-20', '2027-04', '2027-04-15', 'active'],
    // inactive: old arrears are dropped, the bill starts at the current month
    ['2026-10', '2027-02-16', '2027-02', '2027-02-15', 'inactive'],
    ['2026-10', '2027-04-20', '2027-04', '2027-04-15', 'inactive'],
  ] as const)('covered through %s, today %s → %s due %s (%s)', (coveredThrough, today, month, due, status) => {
    expect(nextDue({ coveredThrough, today }, rules)).toEqual({ month, dueDate: due, status });
    expect(billableMonthsStart({ coveredThrough, today }, rules)).toBe(month);
  });
});
