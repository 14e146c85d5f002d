import { describe, expect, it } from 'vitest';
import { type CashCollection, type CashDeposit, reconcileCash, withinCashLimit } from './cash.js';

const at = (day: number) => new Date(Date.UTC(2026, 11, day, 3));
const c = (receiptNo: string, amount: number, day: number): CashCollection => ({ id: receiptNo, receiptNo, amount, receivedAt: at(day) });
const d = (amount: number, day: number): CashDeposit => ({ id: `d${day}-${amount}`, amount, depositedAt: at(day) });

describe('reconcileCash: deposits against collections, oldest first', () => {
  it.each([
    { name: 'nothing', collections: [], deposits: [], collected: 0, deposited: 0, outstanding: 0, open: [] },
    { name: 'no deposit: everything open', collections: [c('A', 8_400, 1), c('B', 16_800, 2)], deposits: [], collected: 25_200, deposited: 0, outstanding: 25_200, open: [['A', 8_400], ['B', 16_800]] },
    { name: 'exact deposit closes the oldest', collections: [c('B', 16_800, 2), c('A', 8_400, 1)], deposits: [d(8_400, 3)], collected: 25_200, deposited: 8_400, outstanding: 16_800, open: [['B', 16_800]] },
    { name: 'partial deposit leaves the oldest part-open', collections: [c('A', 8_400, 1), c('B', 16_800, 2)], deposits: [d(5_000, 3)], collected: 25_200, deposited: 5_000, outstanding: 20_200, open: [['A', 3_400], ['B', 16_800]] },
    { name: 'several deposits add up', collections: [c('A', 8_400, 1), c('B', 16_800, 2), c('C', 8_400, 3)], deposits: [d(10_000, 4), d(15_200, 5)], collected: 33_600, deposited: 25_200, outstanding: 8_400, open: [['C', 8_400]] },
    { name: 'all deposited', collections: [c('A', 8_400, 1)], deposits: [d(8_400, 2)], collected: 8_400, deposited: 8_400, outstanding: 0, open: [] },
    { name: 'over-deposit: outstanding never negative', collections: [c('A', 8_400, 1)], deposits: [d(10_000, 2)], collected: 8_400, deposited: 10_000, outstanding: 0, open: [] },
    { name: 'same instant: by receipt number', collections: [c('KW-2', 100, 1), c('KW-1', 100, 1)], deposits: [d(100, 2)], collected: 200, deposited: 100, outstanding: 100, open: [['KW-2', 100]] },
  ])('$name', ({ collections, deposits, collected, deposited, outstanding, open }) => {
    const r = reconcileCash(collections, deposits);
    expect({ collected: r.collected, deposited: r.deposited, outstanding: r.outstanding }).toEqual({ collected, deposited, outstanding });
    expect(r.collections.map((x) => [x.receiptNo, x.open])).toEqual(open);
  });
});

describe('withinCashLimit', () => {
  it.each([
    [0, 8_400, 5_000_000, true],
    [4_991_600, 8_400, 5_000_000, true],
    [4_991_601, 8_400, 5_000_000, false],
    [5_000_000, 1, 5_000_000, false],
    [0, 1, 0, false],
  ])('outstanding %i + %i within %i: %s', (outstanding, amount, limit, expected) => {
    expect(withinCashLimit(outstanding, amount, limit)).toBe(expected);
  });
});
