import type { Transaction } from 'kysely';
import type { Database, UnmatchedReason } from '../../db/database.js';
import type { Deps } from '../../deps.js';
import { newId } from '../../shared/ids.js';
import { prepayHorizonMonths } from '../contributions/index.js';
import { fingerprint, PAID_AT_FUTURE_TOLERANCE_MS } from './apply-payment.js';
import { settleMany, type BillSettlement } from './settlement.js';

/** The channel a collective bill's member shares are settled on: the money comes from `clearing:payer`. */
export const PAYER_CHANNEL = 'payer';

/** One member bill's share of a collective payment, its externalId chosen by the caller (idempotent per member bill). */
export interface CollectiveShare {
  externalId: string;
  paymentCode: string;
  amount: number;
}

export type CollectiveShareOutcome =
  | { status: 'applied' }
  | { status: 'duplicate' }
  | { status: 'unmatched'; reason: UnmatchedReason }
  /** not settled and nothing recorded (a conflicting repeat, or a paidAt before the bill's issue): left pending */
  | { status: 'refused'; why: 'conflict' | 'invalid_paid_at' };

/**
 * Settles member bills' shares of a collective bill's payment (src/modules/payer-bills' fan-out) through THE settlement
 * engine, in the caller's transaction: one batch (config.settlementEngine: lindung_settle_batch set-based, or
 * lindung_apply_payments), channel 'payer', every share paid at the collective's paidAt. Each share is decided as a
 * channel payment of that bill is (idempotent by externalId; a bill that can no longer settle is unmatched and its
 * share moves clearing:payer → suspense). Outcomes in the shares' order.
 */
export async function settleCollectiveShares(
  trx: Transaction<Database>,
  deps: Deps,
  input: { paidAt: Date; shares: readonly CollectiveShare[] },
): Promise<CollectiveShareOutcome[]> {
  if (input.shares.length === 0) {
    return [];
  }
  const now = deps.clock.now();
  const horizon = prepayHorizonMonths(deps.rules);
  const batch: BillSettlement[] = input.shares.map((s) => ({
    paymentId: newId('pay'),
    externalId: s.externalId,
    fingerprint: fingerprint({ ...s, channel: PAYER_CHANNEL, paidAt: input.paidAt }),
    paymentCode: s.paymentCode,
    amount: s.amount,
    channel: PAYER_CHANNEL,
    paidAt: input.paidAt,
    now,
    newParticipantId: newId('ptc'),
    messageId: newId('msg'),
    prepayHorizonMonths: horizon,
    clockSkewSeconds: PAID_AT_FUTURE_TOLERANCE_MS / 1000,
  }));
  const results = await settleMany(trx, deps.config.settlementEngine, batch);
  return results.map((r): CollectiveShareOutcome => {
    switch (r.status) {
      case 'applied':
      case 'payer':
        return { status: 'applied' };
      case 'duplicate':
        return { status: 'duplicate' };
      case 'unmatched':
        return { status: 'unmatched', reason: r.reason };
      case 'conflict':
      case 'invalid_paid_at':
        return { status: 'refused', why: r.status };
      case 'topup':
        throw new Error(`collective share ${batch[0]?.externalId ?? ''}…: a bill's code answered as a top-up`);
    }
  });
}
