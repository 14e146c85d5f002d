import type { UnmatchedReason } from '../../db/database.js';
import type { Deps } from '../../deps.js';
import { newId } from '../../shared/ids.js';
import { ok, reject, type Result } from '../../shared/result.js';
import { prepayHorizonMonths } from '../contributions/index.js';
import { kpjFromTopUpCode, sweepWalletAfterCredit } from '../wallet/index.js';
import { settleBillPayment, settleTopUp, type SettlementResult } from './settlement.js';

export const PAYMENT_CHANNELS = ['va', 'qris', 'ewallet', 'retail', 'counter', 'autodebit'] as const;
export type PaymentChannel = (typeof PAYMENT_CHANNELS)[number];

export const PAYMENT_AMOUNT_MAX = 100_000_000_000;

/** Clock skew: how far ahead of the server clock (or before its bill was issued) a channel's paidAt may be; further is refused: invalid_paid_at. */
export const PAID_AT_FUTURE_TOLERANCE_MS = 5 * 60_000;

/**
 * The externalId prefixes the channel adapters record their payments under (`midtrans:`, `xendit:`, BI-SNAP `snap:` and
 * `qris:`, the counter's cash/EDC `counter:`), and `api:`, the generic API's escape.
 */
const RESERVED_EXTERNAL_ID_PREFIXES = ['midtrans:', 'xendit:', 'snap:', 'qris:', 'api:', 'counter:'] as const;

/**
 * The externalId a generic notification (POST /payments/notifications, or a line of a settlement file from source
 * `api`) is recorded under: the id as given, unless it starts with a reserved prefix — then `api:` + the id. So the
 * generic API has its own namespace: `midtrans:TX` sent there is recorded as `api:midtrans:TX` and can never block
 * Midtrans' own settlement of TX; ids without a reserved prefix (every id recorded so far by a well-behaved sender)
 * are unchanged.
 */
export function genericExternalId(id: string): string {
  return RESERVED_EXTERNAL_ID_PREFIXES.some((p) => id.startsWith(p)) ? `api:${id}` : id;
}

export interface PaymentNotification {
  externalId: string;
  paymentCode: string;
  amount: number;
  channel: PaymentChannel;
  paidAt: Date;
}

/**
 * `applied` may carry (additive fields, absent for an exact bill payment): `walletCredit`, the rupiah credited to the
 * member's contribution wallet — the excess of an overpayment, or the whole amount of a top-up — and `topUp: true`
 * when the code was a member's top-up code (no bill; payment outcome `topup`).
 */
export type ApplyOutcome =
  | { status: 'applied'; walletCredit?: number; topUp?: true }
  | { status: 'duplicate' }
  | { status: 'unmatched'; reason: UnmatchedReason };

/** Two notifications are "the same" when every field that moves money is the same (paidAt compared as an instant). */
export function fingerprint(n: Omit<PaymentNotification, 'channel'> & { channel: string }): string {
  return `${n.paymentCode}|${n.amount}|${n.channel}|${n.paidAt.getTime()}`;
}

/**
 * Applies one signed payment notification, atomically, in the database function `lindung_apply_payment`
 * (src/db/functions/lindung_apply_payment.sql) — one round trip, one transaction, shared with the bill
 * payments that arrive at the same moment (group commit, ./settlement.ts; each decided as if alone, in order):
 *
 * 1. Lock the bill by payment code (notifications for one bill serialise); for an open bill, also take the
 *    per-person lock (by NIK) so that two bills of one person never settle the same months.
 * 0. Refuse, recording nothing (`invalid_paid_at`): a `paidAt` more than 5 minutes ahead of the server clock, or
 *    (in the function, once the bill is locked) more than 5 minutes (the same clock skew) before the bill was issued.
 * 2. Decide, in this order: unknown code → `unknown_payment_code`; bill paid, or any of its months already covered →
 *    `bill_already_paid`; paid (the channel's `paidAt`, however late the notification arrives) after its expiry →
 *    `bill_expired`; cancelled (replaced by a newer bill) → `bill_replaced`; amount short of the bill →
 *    `amount_mismatch`; a last month more than the rule book's prepayment horizon (prepayHorizonMonths, 12 months)
 *    beyond the current month → `prepay_limit`; otherwise settle
 *    (an amount larger than the bill settles it too). The decision is src/db/functions/lindung_apply_payment.sql.
 * 3. Record the payment, idempotent by externalId through the unique constraint (INSERT … ON CONFLICT DO NOTHING):
 *    a repeat with the same fingerprint is `duplicate` and writes nothing; with different content it is a conflict.
 * 4. Unmatched: the money moves from `clearing:<channel>` to `suspense`, kept for reconciliation and refund.
 * 5. Settled: the bill is paid; a first bill creates the participant (KPJ = kpj_seq + Luhn digit) or reactivates the
 *    inactive participant of that NIK with the same KPJ; the bill's months become covered; one ledger transfer per
 *    program moves the nets to `program:JKK`, `program:JKM` and `jht:<kpj>`; the card or receipt email is queued.
 *    Overpayment: the excess moves `clearing:<channel>` → `wallet:<kpj>` (code `overpayment`; the same
 *    function) and is answered as `walletCredit`.
 *
 * A member's top-up code (src/modules/wallet/domain/top-up-code.ts: '7' + KPJ + Luhn, never a bill's code) goes to
 * `lindung_apply_topup` instead: the same idempotency by externalId, outcome `topup` with no bill, the whole amount
 * `clearing:<channel>` → `wallet:<kpj>` (code `wallet_topup`); a top-up code of no member is `unknown_payment_code`.
 *
 * After a commit that credited a wallet, the wallet is swept (sweepWallet, its own transaction): the next months it
 * covers are paid from it before the answer goes back.
 *
 * The ids are chosen here, before the call, so a retried call can never create a second payment.
 */
export async function applyPaymentNotification(
  deps: Deps,
  n: PaymentNotification,
): Promise<Result<ApplyOutcome, 'external_id_conflict' | 'invalid_paid_at'>> {
  const now = deps.clock.now();
  if (n.paidAt.getTime() > now.getTime() + PAID_AT_FUTURE_TOLERANCE_MS) {
    return reject('invalid_paid_at', 'paidAt');
  }
  const paymentId = newId('pay');
  const topUpKpj = kpjFromTopUpCode(n.paymentCode);
  const call = {
    paymentId,
    externalId: n.externalId,
    fingerprint: fingerprint(n),
    paymentCode: n.paymentCode,
    amount: n.amount,
    channel: n.channel,
    paidAt: n.paidAt,
    now,
    messageId: newId('msg'),
  };
  const outcome: SettlementResult =
    topUpKpj === null
      ? await settleBillPayment(deps, {
          ...call,
          newParticipantId: newId('ptc'),
          prepayHorizonMonths: prepayHorizonMonths(deps.rules),
          clockSkewSeconds: PAID_AT_FUTURE_TOLERANCE_MS / 1000,
        })
      : await settleTopUp(deps.db, { ...call, kpj: topUpKpj });
  deps.metrics.paymentOutcomes.inc({ channel: n.channel, outcome: outcome.status, reason: outcome.status === 'unmatched' ? outcome.reason : '' });
  switch (outcome.status) {
    case 'conflict':
      return reject('external_id_conflict', 'externalId');
    case 'invalid_paid_at':
      return reject('invalid_paid_at', 'paidAt');
    case 'unmatched':
      return ok({ status: 'unmatched', reason: outcome.reason });
    case 'duplicate':
      return ok({ status: 'duplicate' });
    case 'payer':
      return ok({ status: 'applied' });
    case 'applied':
    case 'topup': {
      const walletCredit = Number(outcome.walletCredit ?? 0);
      if (walletCredit > 0) {
        await sweepWalletAfterCredit(deps, outcome.participantId, { paymentId, externalId: n.externalId });
      }
      if (outcome.status === 'topup') {
        return ok({ status: 'applied', walletCredit, topUp: true });
      }
      return ok(walletCredit > 0 ? { status: 'applied', walletCredit } : { status: 'applied' });
    }
  }
}
