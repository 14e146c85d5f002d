import type { UnmatchedReason } from '../../../db/database.js';
import type { Deps } from '../../../deps.js';
import { applyPaymentNotification, type PaymentNotification } from '../apply-payment.js';
import { SnapFieldError } from './fields.js';

/** What the payment table holds under an external id. */
export interface RecordedPayment {
  paymentCode: string;
  amount: number;
  channel: string;
  paidAt: Date;
  outcome: 'applied' | 'unmatched' | 'topup';
  unmatchedReason: UnmatchedReason | null;
}

export type SnapSettlement =
  | { status: 'applied' }
  | { status: 'unmatched'; reason: UnmatchedReason }
  /** The same payment again (same money, possibly another time): nothing written; answer as the first time. */
  | { status: 'duplicate'; recorded: RecordedPayment }
  /** The id was recorded with a different payment code, amount or channel: nothing written. */
  | { status: 'inconsistent'; recorded: RecordedPayment };

export async function findRecordedPayment(deps: Deps, externalId: string): Promise<RecordedPayment | null> {
  const row = await deps.db
    .selectFrom('payment')
    .select(['payment_code', 'amount', 'channel', 'paid_at', 'outcome', 'unmatched_reason'])
    .where('external_id', '=', externalId)
    .executeTakeFirst();
  return row
    ? {
        paymentCode: row.payment_code,
        amount: Number(row.amount),
        channel: row.channel,
        paidAt: row.paid_at,
        outcome: row.outcome,
        unmatchedReason: row.unmatched_reason,
      }
    : null;
}

/**
 * Settles a SNAP payment through the one settlement path, applyPaymentNotification (idempotent by externalId; money
 * that cannot settle a bill is kept as unmatched, in suspense). Two refinements for SNAP partners:
 * - a repeat is answered with what was recorded the first time (a duplicate of an unmatched payment stays unmatched);
 * - a `paidAt` the settlement refuses (invalid_paid_at) is SNAP's Invalid Field Format naming `paidAtField`;
 * - a repeat whose time differs (a retry without trxDateTime, or a restated time) but whose payment code, amount and
 *   channel are the same is the same money: a duplicate, not a conflict. Only a change in what moves money is
 *   `inconsistent`.
 */
export async function settleSnapPayment(deps: Deps, n: PaymentNotification, paidAtField: string): Promise<SnapSettlement> {
  const result = await applyPaymentNotification(deps, n);
  if (result.ok && (result.value.status === 'applied' || result.value.status === 'unmatched')) {
    return result.value;
  }
  if (!result.ok && result.code === 'invalid_paid_at') {
    // Paid more than 5 minutes in the future, or before the bill was issued: SNAP's 400 Invalid Field Format naming
    // the partner's time field; nothing recorded.
    throw new SnapFieldError('invalidFieldFormat', paidAtField);
  }
  const recorded = await findRecordedPayment(deps, n.externalId);
  if (!recorded) {
    throw new Error(`payment ${n.externalId} reported as recorded but not found`);
  }
  const sameMoney = recorded.paymentCode === n.paymentCode && recorded.amount === n.amount && recorded.channel === n.channel;
  return result.ok || sameMoney ? { status: 'duplicate', recorded } : { status: 'inconsistent', recorded };
}
