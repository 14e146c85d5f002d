import { describe, expect, it } from 'vitest';
import { backoffMs } from '../../shared/backoff.js';
import { maskAccount, PAYOUT_RETRY } from './payout-settle.js';

describe('payout retry backoff (PAYOUT_RETRY: 15 minutes doubled, at most 6 hours)', () => {
  it.each([
    [1, 15 * 60_000],
    [2, 30 * 60_000],
    [3, 60 * 60_000],
    [5, 4 * 3_600_000],
    [6, 6 * 3_600_000],
    [20, 6 * 3_600_000],
  ])('after %i failed transfer(s): %i ms', (failures, ms) => {
    expect(backoffMs(failures, PAYOUT_RETRY)).toBe(ms);
  });
});

describe('maskAccount (what an SMS shows of the account)', () => {
  it.each([
    ['1234567890', '******7890'],
    ['12345', '*2345'],
    ['1234', '1234'],
    ['12345678901234567890', '******7890'],
  ])('%s → %s', (account, masked) => {
    expect(maskAccount(account)).toBe(masked);
  });
});
