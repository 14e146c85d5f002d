import { sql, type Transaction } from 'kysely';
import type { Bill, BillLine, Database, UnmatchedReason } from '../../db/database.js';
import type { Deps } from '../../deps.js';
import { newId } from '../../shared/ids.js';
import { ok, reject, type Result } from '../../shared/result.js';
import { billStatusAt } from '../contributions/bills.js';
import {
  clearingAccount,
  jhtAccount,
  postTransfers,
  programAccount,
  SUSPENSE_ACCOUNT,
  type TransferDraft,
} from '../ledger/ledger.js';
import { activateFirstBill, extendCoverage, participantIdForRegistration } from '../membership/participants.js';
import { enqueueMessage } from '../notifications/outbox.js';

export const PAYMENT_CHANNELS = ['va', 'qris', 'ewallet', 'retail', 'counter', 'autodebit'] as const;
export type PaymentChannel = (typeof PAYMENT_CHANNELS)[number];

export const PAYMENT_AMOUNT_MAX = 100_000_000_000;

export interface PaymentNotification {
  externalId: string;
  paymentCode: string;
  amount: number;
  channel: PaymentChannel;
  paidAt: Date;
}

export type ApplyOutcome = { status: 'applied' } | { status: 'duplicate' } | { status: 'unmatched'; reason: UnmatchedReason };

/** Two notifications are "the same" when every field that moves money is the same (paidAt compared as an instant). */
export function fingerprint(n: PaymentNotification): string {
  return `${n.paymentCode}|${n.amount}|${n.channel}|${n.paidAt.getTime()}`;
}

/** The pure decision: can this money settle this bill? */
export function decideSettlement(bill: Pick<Bill, 'status' | 'expires_at' | 'amount'> | undefined, amount: number, now: Date, monthsAlreadyCovered: boolean): UnmatchedReason | null {
  if (!bill) {
    return 'unknown_payment_code';
  }
  if (bill.status === 'paid' || monthsAlreadyCovered) {
    return 'bill_already_paid';
  }
  // A cancelled code (replaced by a newer bill) can no longer be paid, exactly like an expired one.
  if (bill.status === 'cancelled' || billStatusAt(bill, now) === 'expired') {
    return 'bill_expired';
  }
  if (bill.amount !== amount) {
    return 'amount_mismatch';
  }
  return null;
}

/**
 * Applies one signed payment notification, all in one transaction: record the payment (idempotent by externalId
 * through the unique constraint, not a read-then-write), settle the bill, create or extend the membership, post the
 * ledger, and queue the card or receipt email.
 *
 * Concurrency: the bill row is locked first, so two notifications for one bill serialise. Identical notifications
 * race on the unique index of payment.external_id: the loser's INSERT … ON CONFLICT DO NOTHING waits for the winner
 * to commit, inserts nothing, and the loser returns `duplicate` having written nothing.
 */
export async function applyPaymentNotification(deps: Deps, n: PaymentNotification): Promise<Result<ApplyOutcome, 'external_id_conflict'>> {
  const now = deps.clock.now();
  return deps.db.transaction().execute(async (trx) => {
    const bill = await trx.selectFrom('bill').selectAll().where('payment_code', '=', n.paymentCode).forUpdate().executeTakeFirst();
    if (bill?.status === 'open') {
      await lockPerson(trx, bill);
    }
    const lines = bill ? await trx.selectFrom('bill_line').selectAll().where('bill_id', '=', bill.id).execute() : [];
    const owner = bill ? (bill.participant_id ?? (await participantIdForRegistration(trx, bill.registration_id ?? ''))) : null;
    const alreadyCovered = owner && bill?.status === 'open' ? await anyMonthCovered(trx, owner, lines) : false;
    const unmatched = decideSettlement(bill, n.amount, now, alreadyCovered);

    const paymentId = newId('pay');
    const inserted = await trx
      .insertInto('payment')
      .values({
        id: paymentId,
        external_id: n.externalId,
        fingerprint: fingerprint(n),
        payment_code: n.paymentCode,
        amount: n.amount,
        channel: n.channel,
        paid_at: n.paidAt,
        received_at: now,
        outcome: unmatched ? 'unmatched' : 'applied',
        unmatched_reason: unmatched,
        bill_id: bill?.id ?? null,
      })
      .onConflict((oc) => oc.column('external_id').doNothing())
      .returning('id')
      .executeTakeFirst();
    if (!inserted) {
      const existing = await trx.selectFrom('payment').select('fingerprint').where('external_id', '=', n.externalId).executeTakeFirstOrThrow();
      return existing.fingerprint === fingerprint(n) ? ok({ status: 'duplicate' as const }) : reject('external_id_conflict', 'externalId');
    }

    if (unmatched || !bill) {
      await postTransfers(
        trx,
        [{ id: `${paymentId}:suspense`, debitAccount: clearingAccount(n.channel), creditAccount: SUSPENSE_ACCOUNT, amount: n.amount, code: 'unmatched_payment', ref: paymentId }],
        now,
      );
      return ok({ status: 'unmatched' as const, reason: unmatched ?? 'unknown_payment_code' });
    }

    await trx.updateTable('bill').set({ status: 'paid', paid_at: n.paidAt, payment_id: paymentId }).where('id', '=', bill.id).execute();
    const member =
      bill.kind === 'first' ? await activateFirstBill(deps, trx, bill, lines, now) : await extendCoverage(trx, bill, lines);
    await postTransfers(trx, settlementTransfers(paymentId, n.channel, member.kpj, lines), now);
    await enqueueMessage(trx, {
      channel: 'email',
      to: member.email,
      now,
      message:
        bill.kind === 'first'
          ? { template: 'card_issued', fullName: member.fullName, kpj: member.kpj, coveredThrough: member.coveredThrough, verifyUrl: member.verifyUrl, participantId: member.participantId }
          : { template: 'payment_receipt', fullName: member.fullName, kpj: member.kpj, amount: bill.amount, months: monthsLabel(lines), paymentCode: bill.payment_code },
    });
    return ok({ status: 'applied' as const });
  });
}

/**
 * Settlements for one person (by NIK) run one at a time, whichever of their bills they pay: two first bills of two
 * registrations of one NIK, or a first bill and a renewal, paid at the same moment lock different bill rows, and
 * without this both would see the months uncovered and the second would fail on coverage_month's primary key.
 */
async function lockPerson(trx: Transaction<Database>, bill: Pick<Bill, 'participant_id' | 'registration_id'>): Promise<void> {
  await sql`select pg_advisory_xact_lock(hashtextextended('lindung:person:' || coalesce(
      (select nik from participant where id = ${bill.participant_id}),
      (select nik from registration where id = ${bill.registration_id})), 0))`.execute(trx);
}

async function anyMonthCovered(trx: Transaction<Database>, participantId: string, lines: readonly BillLine[]): Promise<boolean> {
  const months = [...new Set(lines.map((l) => l.month))];
  if (months.length === 0) {
    return false;
  }
  const row = await trx
    .selectFrom('coverage_month')
    .select(sql<number>`count(*)`.as('n'))
    .where('participant_id', '=', participantId)
    .where('month', 'in', months)
    .executeTakeFirstOrThrow();
  return row.n > 0;
}

/** Splits a settled bill into the program funds and the member's own JHT account, one transfer per program. */
export function settlementTransfers(paymentId: string, channel: string, kpj: string, lines: readonly BillLine[]): TransferDraft[] {
  const sums = { JKK: 0, JKM: 0, JHT: 0 };
  for (const l of lines) {
    sums[l.program] += l.net;
  }
  const from = clearingAccount(channel);
  const out: TransferDraft[] = [];
  if (sums.JKK > 0) {
    out.push({ id: `${paymentId}:JKK`, debitAccount: from, creditAccount: programAccount('JKK'), amount: sums.JKK, code: 'contribution_jkk', ref: paymentId });
  }
  if (sums.JKM > 0) {
    out.push({ id: `${paymentId}:JKM`, debitAccount: from, creditAccount: programAccount('JKM'), amount: sums.JKM, code: 'contribution_jkm', ref: paymentId });
  }
  if (sums.JHT > 0) {
    out.push({ id: `${paymentId}:JHT`, debitAccount: from, creditAccount: jhtAccount(kpj), amount: sums.JHT, code: 'contribution_jht', ref: paymentId });
  }
  return out;
}

function monthsLabel(lines: readonly BillLine[]): string {
  const months = [...new Set(lines.map((l) => l.month))].sort();
  return months.length === 1 ? (months[0] ?? '') : `${months[0]} s.d. ${months[months.length - 1]}`;
}
