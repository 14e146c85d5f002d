import { describe, expect, it } from 'vitest';
import { resultOf } from '../../db/function-result.js';
import { settlementResultSchema, topUpResultSchema } from './settlement.js';

describe('the settlement functions\' jsonb answers, parsed (z.discriminatedUnion on status), never cast', () => {
  const row = (result: unknown) => [{ result }];

  it('takes each answer the functions give', () => {
    expect(resultOf(row({ status: 'applied', participantId: 'par_1', walletCredit: 0 }), 'f', settlementResultSchema)).toEqual({ status: 'applied', participantId: 'par_1', walletCredit: 0 });
    expect(resultOf(row({ status: 'unmatched', reason: 'prepay_limit' }), 'f', settlementResultSchema)).toEqual({ status: 'unmatched', reason: 'prepay_limit' });
    expect(resultOf(row({ status: 'duplicate' }), 'f', settlementResultSchema)).toEqual({ status: 'duplicate' });
    expect(resultOf(row({ status: 'invalid_paid_at' }), 'f', settlementResultSchema)).toEqual({ status: 'invalid_paid_at' });
    expect(resultOf(row({ status: 'topup', participantId: 'par_1', walletCredit: 5_000 }), 'f', topUpResultSchema)).toEqual({ status: 'topup', participantId: 'par_1', walletCredit: 5_000 });
  });

  it('refuses a shape no function answers: an unknown status, a missing field, an unknown reason, no row', () => {
    expect(() => resultOf(row({ status: 'settled' }), 'lindung_apply_payment', settlementResultSchema)).toThrow(/lindung_apply_payment answered an unexpected result/);
    expect(() => resultOf(row({ status: 'applied', participantId: 'par_1' }), 'f', settlementResultSchema)).toThrow(/unexpected result/);
    expect(() => resultOf(row({ status: 'unmatched', reason: 'no_such_reason' }), 'f', settlementResultSchema)).toThrow(/unexpected result/);
    expect(() => resultOf(row({ status: 'invalid_paid_at' }), 'f', topUpResultSchema)).toThrow(/unexpected result/);
    expect(() => resultOf([], 'lindung_apply_topup', topUpResultSchema)).toThrow('lindung_apply_topup returned no result');
  });
});
