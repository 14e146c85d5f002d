import type { Deps } from '../../deps.js';
import type { TransferEvent } from '../payouts/index.js';
import { confirmPayoutPaid, recordPayoutFailure } from './payout-settle.js';

export type CallbackOutcome =
  | { status: 'applied'; payout: 'paid' | 'retry' | 'failed' }
  | { status: 'duplicate' }
  | { status: 'ignored'; reason: 'unknown_transfer' | 'amount_differs' };

/**
 * A disbursement provider's authenticated callback (POST /api/v1/payouts/callbacks/xendit): the final status of the
 * attempt whose id is the event's idempotency key, recorded exactly as the payout job's own status question would
 * (payout-settle.ts) — so a repeated callback, or one that arrives after the job already saw the status, is a
 * `duplicate` and records nothing. A key Lindung never sent, or an amount other than the payout's, is `ignored` (and
 * logged as an error for reconciliation): nothing is recorded for it. The provider gets 200 either way.
 */
export async function applyTransferEvent(deps: Deps, event: TransferEvent): Promise<CallbackOutcome> {
  const attempt = await deps.db
    .selectFrom('payout_attempt')
    .innerJoin('payout', 'payout.id', 'payout_attempt.payout_id')
    .select(['payout_attempt.id', 'payout.amount', 'payout_attempt.status'])
    .where('payout_attempt.id', '=', event.idempotencyKey)
    .executeTakeFirst();
  if (!attempt) {
    deps.logger.error('disbursement callback for a transfer Lindung never sent', { key: event.idempotencyKey, status: event.status.kind });
    return { status: 'ignored', reason: 'unknown_transfer' };
  }
  if (Number(attempt.amount) !== event.amount) {
    deps.logger.error('disbursement callback amount differs from the payout', { key: event.idempotencyKey, amount: event.amount, expected: Number(attempt.amount) });
    return { status: 'ignored', reason: 'amount_differs' };
  }
  const s = event.status;
  const outcome =
    s.kind === 'paid'
      ? await confirmPayoutPaid(deps, { attemptId: attempt.id, providerRef: s.providerRef, at: s.at })
      : await recordPayoutFailure(deps, { attemptId: attempt.id, reason: s.reason, providerRef: s.providerRef });
  return outcome === 'duplicate' ? { status: 'duplicate' } : { status: 'applied', payout: outcome };
}
