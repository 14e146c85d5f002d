import { sql, type Kysely, type Transaction } from 'kysely';
import type { Database, UnmatchedReason } from '../../db/database.js';
import type { Deps } from '../../deps.js';
import { newId } from '../../shared/ids.js';
import { formatInstantWib } from '../../shared/month.js';
import { ok, reject, type Result } from '../../shared/result.js';
import { clearingAccount, postTransfer, SUSPENSE_ACCOUNT } from '../ledger/index.js';
import { creditWallet, sweepWalletAfterCredit } from '../wallet/index.js';
import { recordStaffAction } from '../audit/index.js';

/**
 * The staff workflow for unmatched payments: money that arrived but could not settle a bill waits in `suspense`
 * (the settlement function's transfer `<paymentId>:suspense`). Staff resolve each one once:
 *
 * - refund: `suspense` → `clearing:<channel>` (code `refund`, transfer `<paymentId>:refund`) and a refund request for
 *   the channel to pay the money back to the payer;
 * - assign: `suspense` → the member's contribution wallet (code `manual_assignment`, transfer `<paymentId>:assign`);
 *   after commit the wallet is swept, so the money settles the member's next month(s).
 *
 * Once is enforced by the database: payment_resolution's primary key (payment id) — whichever request inserts it
 * first wins, every other one (concurrent or later, refund or assign) gets `payment_already_resolved` — and the
 * transfer ids. The payment row itself never changes; every action is audited in the same transaction.
 */

const DAY_MS = 86_400_000;

export interface UnmatchedPaymentView {
  paymentId: string;
  externalId: string;
  paymentCode: string;
  channel: string;
  amount: number;
  reason: UnmatchedReason;
  paidAt: string;
  receivedAt: string;
  /** whole days since we received it */
  ageDays: number;
  /** the member whose bill the payment code names, if any: a hint for assigning */
  suggestedKpj: string | null;
}

export interface UnmatchedList {
  count: number;
  amount: number;
  payments: UnmatchedPaymentView[];
}

function openUnmatched(db: Kysely<Database>, channel: string | undefined) {
  let q = db
    .selectFrom('payment as p')
    .leftJoin('payment_resolution as r', 'r.payment_id', 'p.id')
    .where('p.outcome', '=', 'unmatched')
    .where('r.payment_id', 'is', null);
  if (channel) {
    q = q.where('p.channel', '=', channel);
  }
  return q;
}

/** Open (unresolved) unmatched payments, oldest first, with their count and sum over all of them. */
export async function listUnmatchedPayments(deps: Deps, options: { channel?: string | undefined; limit: number }): Promise<UnmatchedList> {
  const totals = await openUnmatched(deps.db, options.channel)
    .select([sql<number>`count(*)::int8`.as('count'), sql<number>`coalesce(sum(p.amount), 0)::int8`.as('amount')])
    .executeTakeFirstOrThrow();
  const rows = await openUnmatched(deps.db, options.channel)
    .leftJoin('bill as b', 'b.payment_code', 'p.payment_code')
    .leftJoin('participant as pa', 'pa.id', 'b.participant_id')
    .select(['p.id', 'p.external_id', 'p.payment_code', 'p.channel', 'p.amount', 'p.unmatched_reason', 'p.paid_at', 'p.received_at', 'pa.kpj'])
    .orderBy('p.received_at')
    .orderBy('p.id')
    .limit(options.limit)
    .execute();
  const now = deps.clock.now().getTime();
  return {
    count: Number(totals.count),
    amount: Number(totals.amount),
    payments: rows.map((r) => ({
      paymentId: r.id,
      externalId: r.external_id,
      paymentCode: r.payment_code,
      channel: r.channel,
      amount: Number(r.amount),
      reason: r.unmatched_reason as UnmatchedReason,
      paidAt: formatInstantWib(r.paid_at),
      receivedAt: formatInstantWib(r.received_at),
      ageDays: Math.max(0, Math.floor((now - r.received_at.getTime()) / DAY_MS)),
      suggestedKpj: r.kpj ?? null,
    })),
  };
}

export type ResolveRejection = 'unknown_payment' | 'payment_not_unmatched' | 'payment_already_resolved' | 'unknown_participant';

export interface Resolution {
  paymentId: string;
  resolution: 'refunded' | 'assigned';
  amount: number;
  channel: string;
  reason: string;
  resolvedBy: string;
  resolvedAt: string;
  /** assigned: whose wallet received the money */
  kpj?: string;
  /** refunded: what the channel is asked to pay back */
  refundRequest?: { id: string; status: 'requested' };
}

interface Claimed {
  id: string;
  externalId: string;
  channel: string;
  amount: number;
}

/**
 * In the caller's transaction: checks the payment is unmatched and claims it for this resolution (the primary key
 * of payment_resolution). A request that loses the race waits for the winner's commit and then finds its row.
 */
async function claim(
  trx: Transaction<Database>,
  paymentId: string,
  resolution: { resolution: 'refunded' | 'assigned'; participantId: string | null; reason: string; actor: string; at: Date },
): Promise<Result<Claimed, ResolveRejection>> {
  const p = await trx.selectFrom('payment').select(['id', 'external_id', 'channel', 'amount', 'outcome']).where('id', '=', paymentId).executeTakeFirst();
  if (!p) {
    return reject('unknown_payment', 'paymentId');
  }
  if (p.outcome !== 'unmatched') {
    return reject('payment_not_unmatched', 'paymentId', `outcome is ${p.outcome}`);
  }
  const inserted = await trx
    .insertInto('payment_resolution')
    .values({
      payment_id: p.id,
      resolution: resolution.resolution,
      amount: Number(p.amount),
      participant_id: resolution.participantId,
      reason: resolution.reason,
      resolved_by: resolution.actor,
      resolved_at: resolution.at,
    })
    .onConflict((oc) => oc.column('payment_id').doNothing())
    .returning('payment_id')
    .executeTakeFirst();
  if (!inserted) {
    return reject('payment_already_resolved', 'paymentId');
  }
  return ok({ id: p.id, externalId: p.external_id, channel: p.channel, amount: Number(p.amount) });
}

/** Refunds an unmatched payment: the money leaves suspense back to the channel, which is asked to pay the payer. */
export async function refundUnmatchedPayment(deps: Deps, paymentId: string, input: { reason: string; actor: string }): Promise<Result<Resolution, ResolveRejection>> {
  const at = deps.clock.now();
  const result = await deps.db.transaction().execute(async (trx): Promise<Result<Resolution, ResolveRejection>> => {
    const claimed = await claim(trx, paymentId, { resolution: 'refunded', participantId: null, reason: input.reason, actor: input.actor, at });
    if (!claimed.ok) {
      return claimed;
    }
    const p = claimed.value;
    await postTransfer(trx, { id: `${p.id}:refund`, debitAccount: SUSPENSE_ACCOUNT, creditAccount: clearingAccount(p.channel), amount: p.amount, code: 'refund', ref: p.id }, at);
    const refundId = newId('rfd');
    await trx
      .insertInto('refund_request')
      .values({ id: refundId, payment_id: p.id, channel: p.channel, external_id: p.externalId, amount: p.amount, reason: input.reason, requested_by: input.actor, requested_at: at })
      .execute();
    await recordStaffAction(trx, {
      actor: input.actor,
      action: 'unmatched_payment.refund',
      subject: p.id,
      reason: input.reason,
      detail: { amount: p.amount, channel: p.channel, externalId: p.externalId, refundRequestId: refundId },
      before: { outcome: 'unmatched', resolution: null },
      after: { outcome: 'unmatched', resolution: 'refunded', refundRequestId: refundId },
      at,
    });
    return ok({
      paymentId: p.id,
      resolution: 'refunded',
      amount: p.amount,
      channel: p.channel,
      reason: input.reason,
      resolvedBy: input.actor,
      resolvedAt: formatInstantWib(at),
      refundRequest: { id: refundId, status: 'requested' },
    });
  });
  if (result.ok) {
    deps.logger.info('unmatched payment refunded', { paymentId, amount: result.value.amount, channel: result.value.channel, actor: input.actor });
  }
  return result;
}

/**
 * Assigns an unmatched payment to a member: the money moves from suspense into the member's contribution wallet, and
 * after commit the wallet is swept so that it settles the member's next month(s).
 */
export async function assignUnmatchedPayment(
  deps: Deps,
  paymentId: string,
  input: { kpj: string; reason: string; actor: string },
): Promise<Result<Resolution, ResolveRejection>> {
  const participant = await deps.db.selectFrom('participant').select(['id', 'kpj']).where('kpj', '=', input.kpj).executeTakeFirst();
  if (!participant) {
    return reject('unknown_participant', 'kpj');
  }
  const at = deps.clock.now();
  const result = await deps.db.transaction().execute(async (trx): Promise<Result<Resolution, ResolveRejection>> => {
    const claimed = await claim(trx, paymentId, { resolution: 'assigned', participantId: participant.id, reason: input.reason, actor: input.actor, at });
    if (!claimed.ok) {
      return claimed;
    }
    const p = claimed.value;
    const credited = await creditWallet(trx, {
      transferId: `${p.id}:assign`,
      kpj: participant.kpj,
      amount: p.amount,
      fromAccount: SUSPENSE_ACCOUNT,
      code: 'manual_assignment',
      ref: p.id,
      now: at,
    });
    if (!credited) {
      // The claim above is the only way to this transfer id: finding it already posted means the data is inconsistent.
      throw new Error(`wallet transfer ${p.id}:assign already exists for an unresolved payment`);
    }
    await recordStaffAction(trx, {
      actor: input.actor,
      action: 'unmatched_payment.assign',
      subject: p.id,
      reason: input.reason,
      detail: { amount: p.amount, channel: p.channel, externalId: p.externalId, kpj: participant.kpj },
      before: { outcome: 'unmatched', resolution: null },
      after: { outcome: 'unmatched', resolution: 'assigned', kpj: participant.kpj },
      at,
    });
    return ok({
      paymentId: p.id,
      resolution: 'assigned',
      amount: p.amount,
      channel: p.channel,
      reason: input.reason,
      resolvedBy: input.actor,
      resolvedAt: formatInstantWib(at),
      kpj: participant.kpj,
    });
  });
  if (result.ok) {
    deps.logger.info('unmatched payment assigned to a member wallet', { paymentId, amount: result.value.amount, kpj: participant.kpj, actor: input.actor });
    // After commit: the wallet settles the member's next month(s); a failure leaves the money safely in the wallet.
    await sweepWalletAfterCredit(deps, participant.id, { paymentId, source: 'manual_assignment' });
  }
  return result;
}
