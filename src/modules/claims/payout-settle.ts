import { sql, type Transaction } from 'kysely';
import type { Database } from '../../db/database.js';
import type { Deps } from '../../deps.js';
import { backoffMs } from '../../shared/backoff.js';
import { disbursementAccount, PAYOUT_CLEARING_ACCOUNT, postTransfer, type TransferDraft } from '../ledger/index.js';
import { enqueueMessage } from '../notifications/index.js';
import { claimRecipients } from './claim-recipients.js';

/**
 * How a transfer's final word is recorded — from the payout job's status question or from the provider's callback,
 * whichever comes first; the other finds the attempt already settled (`duplicate`) and records nothing.
 *
 * - paid (one transaction): the attempt `paid`; the payout `paid` with paid_at; the ledger `payout` transfer
 *   payout_clearing → disbursement:<provider> (id `payout:<payoutId>`, ref the claim id); the claim approved → paid
 *   with a claim_event by `system`; one email and one SMS to the member (amount, masked account).
 * - failed: the attempt `failed` with the provider's reason; the payout is tried again with a NEW attempt after a
 *   backoff, or — its attempts used up (PAYOUT_ATTEMPTS_MAX) — left `failed` with failure_reason, the money still in
 *   payout_clearing, the member told, and staff (finance) may re-issue it (payout-staff.ts).
 */
export type SettleOutcome = 'paid' | 'retry' | 'failed' | 'duplicate';

/** Retry of a failed transfer: 15 minutes, then doubled, at most 6 hours (src/shared/backoff.ts). */
export const PAYOUT_RETRY = { baseMs: 15 * 60_000, maxMs: 6 * 3_600_000 } as const;

/** The attempt taken from `sending`/`pending` to a final status, or undefined when it was already final. */
async function settleAttempt(trx: Transaction<Database>, attemptId: string, set: { status: 'paid' | 'failed'; providerRef: string | null; reason?: string; at: Date }) {
  return trx
    .updateTable('payout_attempt')
    .set((eb) => ({
      status: set.status,
      provider_ref: eb.fn.coalesce('provider_ref', sql<string | null>`${set.providerRef}::text`),
      reason: set.reason ?? null,
      settled_at: set.at,
    }))
    .where('id', '=', attemptId)
    .where('status', 'in', ['sending', 'pending'])
    .returning(['payout_id', 'provider'])
    .executeTakeFirst();
}

interface PayoutFacts {
  id: string;
  claim_id: string;
  participant_id: string;
  amount: number;
  attempts: number;
  status: string;
  bank_account: { bankCode: string; accountNumber: string; accountName: string };
  claim_type: 'JHT' | 'JKK' | 'JKM';
  kpj: string;
  phone: string;
  email: string;
  full_name: string;
  claimant: unknown;
}

async function lockPayout(trx: Transaction<Database>, payoutId: string): Promise<PayoutFacts> {
  const { rows } = await sql<PayoutFacts>`
    select p.id, p.claim_id, p.participant_id, p.amount::bigint as amount, p.attempts, p.status, p.bank_account, c.type as claim_type, c.claimant, pa.kpj, pa.phone, pa.email, pa.full_name
      from payout p join claim c on c.id = p.claim_id join participant pa on pa.id = p.participant_id
     where p.id = ${payoutId}
       for update of p
  `.execute(trx);
  const row = rows[0];
  if (!row) {
    throw new Error(`payout ${payoutId} not found`);
  }
  return { ...row, amount: Number(row.amount) };
}

/** `1234567890` → `******7890`: what a message shows of an account number. */
export function maskAccount(accountNumber: string): string {
  return accountNumber.length <= 4 ? accountNumber : `${'*'.repeat(Math.min(6, accountNumber.length - 4))}${accountNumber.slice(-4)}`;
}

/**
 * The member (or the heir who filed the claim: claim-recipients.ts) told of the payout's outcome, the amount and the masked account in each message. Paid: exactly one email
 * and one SMS (the claim's move to `paid` sends no `claim_status_*` besides; filing.ts notifyClaimStatus). Failed for
 * good: one SMS.
 */
async function tellMember(trx: Transaction<Database>, p: PayoutFacts, outcome: 'paid' | 'failed', now: Date): Promise<void> {
  const payout = { kpj: p.kpj, type: p.claim_type, amount: p.amount, bankCode: p.bank_account.bankCode, account: maskAccount(p.bank_account.accountNumber) };
  const to = claimRecipients(p, p.claimant);
  if (outcome === 'paid' && to.email !== null) {
    await enqueueMessage(trx, { channel: 'email', to: to.email, now, message: { template: 'claim_paid_email', fullName: to.fullName, claimId: p.claim_id, ...payout } });
  }
  await enqueueMessage(trx, { channel: 'sms', to: to.phone, now, message: { template: outcome === 'paid' ? 'claim_paid_sms' : 'claim_payout_failed_sms', ...payout } });
}

/** The provider confirmed the attempt paid: everything in one transaction (see the file comment); idempotent. */
export async function confirmPayoutPaid(deps: Deps, input: { attemptId: string; providerRef: string; at: Date }): Promise<SettleOutcome> {
  const now = deps.clock.now();
  return deps.db.transaction().execute(async (trx): Promise<SettleOutcome> => {
    const attempt = await settleAttempt(trx, input.attemptId, { status: 'paid', providerRef: input.providerRef, at: now });
    if (!attempt) {
      return 'duplicate';
    }
    const p = await lockPayout(trx, attempt.payout_id);
    if (p.status !== 'pending') {
      // Only one attempt of a payout is ever open, so this is a second "paid" for a settled payout: refuse loudly.
      throw new Error(`payout ${p.id} is ${p.status}: attempt ${input.attemptId} cannot be paid as well`);
    }
    await trx.updateTable('payout').set({ status: 'paid', paid_at: input.at, next_attempt_at: null, failure_reason: null, updated_at: now }).where('id', '=', p.id).execute();
    const transfer: TransferDraft = { id: `payout:${p.id}`, debitAccount: PAYOUT_CLEARING_ACCOUNT, creditAccount: disbursementAccount(attempt.provider), amount: p.amount, code: 'payout', ref: p.claim_id };
    await postTransfer(trx, transfer, now);
    const claim = await trx.updateTable('claim').set({ status: 'paid', updated_at: now }).where('id', '=', p.claim_id).where('status', '=', 'approved').returning('id').executeTakeFirst();
    if (claim) {
      await trx.insertInto('claim_event').values({ claim_id: p.claim_id, participant_id: p.participant_id, at: now, status: 'paid', actor: 'system', reason: `payout ${p.id}` }).execute();
    }
    await tellMember(trx, p, 'paid', now);
    return 'paid';
  });
}

/** The transfer failed (or was refused): retry after a backoff with a new attempt, or leave the payout `failed`. */
export async function recordPayoutFailure(deps: Deps, input: { attemptId: string; reason: string; providerRef: string | null }): Promise<SettleOutcome> {
  const now = deps.clock.now();
  return deps.db.transaction().execute(async (trx): Promise<SettleOutcome> => {
    const attempt = await settleAttempt(trx, input.attemptId, { status: 'failed', providerRef: input.providerRef, reason: input.reason, at: now });
    if (!attempt) {
      return 'duplicate';
    }
    const p = await lockPayout(trx, attempt.payout_id);
    if (p.status !== 'pending') {
      return 'duplicate';
    }
    if (p.attempts < deps.config.payoutAttemptsMax) {
      const next = new Date(now.getTime() + backoffMs(p.attempts, PAYOUT_RETRY));
      await trx.updateTable('payout').set({ next_attempt_at: next, failure_reason: input.reason, updated_at: now }).where('id', '=', p.id).execute();
      return 'retry';
    }
    await trx.updateTable('payout').set({ status: 'failed', next_attempt_at: null, failure_reason: input.reason, updated_at: now }).where('id', '=', p.id).execute();
    await tellMember(trx, p, 'failed', now);
    deps.logger.warn('payout failed: its attempts are used up; staff may re-issue it', { payoutId: p.id, attempts: p.attempts, reason: input.reason });
    return 'failed';
  });
}
