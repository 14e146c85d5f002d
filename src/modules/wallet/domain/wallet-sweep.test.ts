import { describe, expect, it } from 'vitest';
import { defaultRuleBook as rules } from '../../contributions/domain/rule-book.js';
import { planWalletSweep, walletHorizonMonths, type WalletSweepInput } from './wallet-sweep.js';

// Rp1.000.000 declared, JKK + JKM: JKK Rp10.000 + JKM Rp6.800 = Rp16.800 a month; an OJOL driver (transport) gets
// PP 50/2025's 50% off JKK and JKM for 2026-01..2027-03 → Rp8.400; another sector only for 2026-04..2026-12.
const transport: WalletSweepInput['member'] = { declaredIncome: 1_000_000, programs: ['JKK', 'JKM'], sector: 'transport', funding: 'self' };
const other: WalletSweepInput['member'] = { ...transport, sector: 'other' };

const months = (plan: ReturnType<typeof planWalletSweep>) => plan.settle.map((q) => [q.months[0]!.month, q.total]);

describe('planWalletSweep', () => {
  it.each([
    // balance, months paid, remaining, next (month, price)
    [0, [], 0, ['2026-12', 8_400]],
    [5_000, [], 5_000, ['2026-12', 8_400]],
    [8_399, [], 8_399, ['2026-12', 8_400]],
    [8_400, [['2026-12', 8_400]], 0, ['2027-01', 8_400]],
    [10_000, [['2026-12', 8_400]], 1_600, ['2027-01', 8_400]],
    [16_800, [['2026-12', 8_400], ['2027-01', 8_400]], 0, ['2027-02', 8_400]],
  ] as const)('covered through 2026-11, balance %i → pays %j, keeps %i', (balance, paid, remaining, next) => {
    const plan = planWalletSweep({ balance, coveredThrough: '2026-11', today: '2026-11-22', member: transport }, rules);
    expect(months(plan)).toEqual(paid);
    expect(plan.remaining).toBe(remaining);
    expect(plan.next).toEqual({ month: next[0], amount: next[1] });
  });

  it('prices each month on its own, as a 1-month bill would (the discount ends after 2026-12 for other sectors)', () => {
    const plan = planWalletSweep({ balance: 30_000, coveredThrough: '2026-11', today: '2026-11-22', member: other }, rules);
    expect(months(plan)).toEqual([
      ['2026-12', 8_400],
      ['2027-01', 16_800],
    ]);
    expect(plan.remaining).toBe(4_800);
    expect(plan.next).toEqual({ month: '2027-02', amount: 16_800 });
  });

  it('prices each month with the funding in force for it (APBD for 2027-01 only: full price that month)', () => {
    const fundingFrom = [
      { fromMonth: '2026-11', funding: 'self' },
      { fromMonth: '2027-01', funding: 'apbd' },
      { fromMonth: '2027-02', funding: 'self' },
    ] as const;
    const plan = planWalletSweep({ balance: 33_600, coveredThrough: '2026-11', today: '2026-11-22', member: { ...transport, fundingFrom } }, rules);
    expect(months(plan)).toEqual([
      ['2026-12', 8_400],
      ['2027-01', 16_800],
      ['2027-02', 8_400],
    ]);
  });

  it('pays arrears first, from the month after the cover', () => {
    // Covered through 2026-09, today 2026-11-22: 2026-10 and 2026-11 are overdue (arrears, not inactive).
    const plan = planWalletSweep({ balance: 8_400, coveredThrough: '2026-09', today: '2026-11-22', member: transport }, rules);
    expect(months(plan)).toEqual([['2026-10', 8_400]]);
  });

  it('an inactive member restarts from the current month; old arrears are never charged', () => {
    const plan = planWalletSweep({ balance: 8_400, coveredThrough: '2026-05', today: '2026-11-22', member: transport }, rules);
    expect(months(plan)).toEqual([['2026-11', 8_400]]);
    expect(plan.next).toEqual({ month: '2026-12', amount: 8_400 });
  });

  it('never pays beyond 12 months ahead of the current month; the rest stays in the wallet', () => {
    expect(walletHorizonMonths(rules)).toBe(12);
    const plan = planWalletSweep({ balance: 1_000_000, coveredThrough: '2026-11', today: '2026-11-22', member: transport }, rules);
    const paid = plan.settle.map((q) => q.months[0]!.month);
    expect(paid[0]).toBe('2026-12');
    expect(paid.at(-1)).toBe('2027-11');
    expect(paid).toHaveLength(12);
    // 2026-12..2027-03 discounted (4 × 8.400), 2027-04..2027-11 full (8 × 16.800).
    expect(plan.remaining).toBe(1_000_000 - 4 * 8_400 - 8 * 16_800);
    expect(plan.next).toBeNull();
    // Already covered up to the horizon: nothing to pay, nothing next.
    const full = planWalletSweep({ balance: 1_000_000, coveredThrough: '2027-11', today: '2026-11-22', member: transport }, rules);
    expect(full).toEqual({ settle: [], remaining: 1_000_000, next: null });
  });

  it('refuses a balance that is not a whole non-negative rupiah amount', () => {
    expect(() => planWalletSweep({ balance: -1, coveredThrough: '2026-11', today: '2026-11-22', member: transport }, rules)).toThrow(RangeError);
    expect(() => planWalletSweep({ balance: 1.5, coveredThrough: '2026-11', today: '2026-11-22', member: transport }, rules)).toThrow(RangeError);
  });
});
