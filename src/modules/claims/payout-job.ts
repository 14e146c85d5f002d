import { sql, type Transaction } from 'kysely';
import type { Database } from '../../db/database.js';
import type { Deps } from '../../deps.js';
import type { DisbursementProvider, TransferStatus } from '../payouts/index.js';
import { confirmPayoutPaid, recordPayoutFailure, type SettleOutcome } from './payout-settle.js';

/**
 * The payout job (issue 15 item 5; the `payouts:<run>` jobs of src/modules/jobs/payout-jobs.ts): every payout the
 * approval created (status `pending`, `next_attempt_at` due) is taken in batches (FOR UPDATE SKIP LOCKED, so two
 * runners never take one payout) and driven one step:
 *
 * 1. No open attempt: a `payout_attempt` row `<payoutId>:<n>` (status `sending`) is COMMITTED before the provider is
 *    called — its id is the provider's idempotency key — then the transfer is sent.
 * 2. An open attempt left by an earlier run (a crash between the row and the send, or an accepted transfer not yet
 *    confirmed): the provider is asked for the key's status first; only a key it never received is sent (again with
 *    the same key, so even then it cannot pay twice).
 * 3. Accepted → the status is asked at once (the development stand-in confirms there; Xendit usually calls back
 *    later); paid → confirmPayoutPaid, failed → recordPayoutFailure (a retry after a backoff, or `failed` for staff),
 *    still processing → looked at again after PAYOUT_POLICY.pollMs.
 *
 * While a payout is being driven its `next_attempt_at` is pushed out by PAYOUT_POLICY.leaseMs, so a runner that dies
 * mid-step only delays it. A provider that throws (outage) leaves the attempt open and is asked again next run.
 */
export const PAYOUT_POLICY = {
  batchSize: 20,
  leaseMs: 5 * 60_000,
  pollMs: 10 * 60_000,
  /** A loop bound on the batches of one run, far above any real day. */
  batchesMax: 10_000,
} as const;

export interface BankAccount {
  bankCode: string;
  accountNumber: string;
  accountName: string;
}

interface PayoutWork {
  payoutId: string;
  claimId: string;
  claimType: string;
  amount: number;
  bankAccount: BankAccount;
  attemptId: string;
  /** Created by this run: the provider cannot know the key yet, so it is sent without asking first. */
  fresh: boolean;
}

export type StepOutcome = SettleOutcome | 'pending' | 'error';

export interface PayoutRunCounts {
  taken: number;
  paid: number;
  failed: number;
  pending: number;
  errors: number;
}

/** Whether any payout is due now: the job runner schedules a `payouts:<run>` job only then (one index probe). */
export async function payoutsDue(db: Deps['db'], now: Date): Promise<boolean> {
  const { rows } = await sql<{ due: boolean }>`
    select exists (select 1 from payout where status = 'pending' and next_attempt_at <= ${now}::timestamptz) as due
  `.execute(db);
  return rows[0]?.due ?? false;
}

/**
 * One batch: takes up to `limit` due payouts and, in the same short transaction, opens an attempt for each that has
 * none and pushes every one's next_attempt_at out by the lease. Committed before any provider call.
 */
export async function takeDuePayouts(deps: Deps, provider: DisbursementProvider, limit: number): Promise<PayoutWork[]> {
  const now = deps.clock.now();
  return deps.db.transaction().execute(async (trx) => {
    const { rows } = await sql<{
      id: string;
      claim_id: string;
      claim_type: string;
      participant_id: string;
      amount: string | number;
      bank_account: BankAccount;
      open_attempt: string | null;
      last_n: number;
    }>`
      select p.id, p.claim_id, c.type as claim_type, p.participant_id, p.amount, p.bank_account,
             (select a.id from payout_attempt a where a.payout_id = p.id and a.status in ('sending', 'pending') order by a.n desc limit 1) as open_attempt,
             (select coalesce(max(a.n), 0)::int from payout_attempt a where a.payout_id = p.id) as last_n
        from payout p join claim c on c.id = p.claim_id
       where p.status = 'pending' and p.next_attempt_at <= ${now}::timestamptz
       order by p.next_attempt_at, p.id
       limit ${limit}::int
         for update of p skip locked
    `.execute(trx);
    const work: PayoutWork[] = [];
    for (const r of rows) {
      const attemptId = r.open_attempt ?? (await openAttempt(trx, r, provider.name, now));
      await trx
        .updateTable('payout')
        .set({ next_attempt_at: new Date(now.getTime() + PAYOUT_POLICY.leaseMs), updated_at: now })
        .where('id', '=', r.id)
        .execute();
      work.push({ payoutId: r.id, claimId: r.claim_id, claimType: r.claim_type, amount: Number(r.amount), bankAccount: r.bank_account, attemptId, fresh: r.open_attempt === null });
    }
    return work;
  });
}

async function openAttempt(trx: Transaction<Database>, r: { id: string; participant_id: string; last_n: number }, provider: string, now: Date): Promise<string> {
  const n = r.last_n + 1;
  const id = `${r.id}:${n}`;
  await trx.insertInto('payout_attempt').values({ id, payout_id: r.id, participant_id: r.participant_id, n, provider, status: 'sending', sent_at: now }).execute();
  await trx.updateTable('payout').set((eb) => ({ attempts: eb('attempts', '+', 1) })).where('id', '=', r.id).execute();
  return id;
}

/**
 * Drives one payout's open attempt as far as the provider allows now (see the file comment). Never throws: a provider
 * error is logged and the attempt stays open for the next run.
 */
export async function driveAttempt(deps: Deps, provider: DisbursementProvider, w: PayoutWork): Promise<StepOutcome> {
  try {
    let status = w.fresh ? undefined : await provider.status(w.attemptId);
    if (status === undefined) {
      const sent = await provider.send({
        idempotencyKey: w.attemptId,
        amount: w.amount,
        bankCode: w.bankAccount.bankCode,
        accountNumber: w.bankAccount.accountNumber,
        accountHolderName: w.bankAccount.accountName,
        description: `Lindung ${w.claimType} klaim ${w.claimId}`,
      });
      if (sent.kind === 'refused') {
        return await recordPayoutFailure(deps, { attemptId: w.attemptId, reason: sent.reason, providerRef: null });
      }
      await markAttempt(deps, w.attemptId, { kind: 'pending', providerRef: sent.providerRef });
      status = (await provider.status(w.attemptId)) ?? { kind: 'pending', providerRef: sent.providerRef };
    }
    return await settleStatus(deps, w.attemptId, status);
  } catch (err) {
    deps.logger.warn('payout step failed; the attempt stays open and is asked about again next run', { payoutId: w.payoutId, attemptId: w.attemptId, error: String(err) });
    await deps.db
      .updateTable('payout')
      .set({ next_attempt_at: new Date(deps.clock.now().getTime() + PAYOUT_POLICY.pollMs) })
      .where('id', '=', w.payoutId)
      .where('status', '=', 'pending')
      .execute();
    return 'error';
  }
}

async function settleStatus(deps: Deps, attemptId: string, status: TransferStatus): Promise<StepOutcome> {
  if (status.kind === 'paid') {
    return confirmPayoutPaid(deps, { attemptId, providerRef: status.providerRef, at: status.at });
  }
  if (status.kind === 'failed') {
    return recordPayoutFailure(deps, { attemptId, reason: status.reason, providerRef: status.providerRef });
  }
  await markAttempt(deps, attemptId, status);
  return 'pending';
}

/** An accepted transfer still processing: the attempt `pending` with the provider's reference; asked again later. */
async function markAttempt(deps: Deps, attemptId: string, status: { kind: 'pending'; providerRef: string }): Promise<void> {
  const now = deps.clock.now();
  await deps.db.transaction().execute(async (trx) => {
    const row = await trx
      .updateTable('payout_attempt')
      .set({ status: 'pending', provider_ref: status.providerRef })
      .where('id', '=', attemptId)
      .where('status', 'in', ['sending', 'pending'])
      .returning('payout_id')
      .executeTakeFirst();
    if (row) {
      await trx
        .updateTable('payout')
        .set({ next_attempt_at: new Date(now.getTime() + PAYOUT_POLICY.pollMs), updated_at: now })
        .where('id', '=', row.payout_id)
        .where('status', '=', 'pending')
        .execute();
    }
  });
}

/**
 * One whole run: batches until nothing is due (the payouts taken were pushed out, so each is driven once per run).
 * `afterBatch` is told the running counts after each batch (the job stores them and extends its lease).
 */
export async function runPayouts(deps: Deps, options: { batchSize?: number; afterBatch?: (counts: PayoutRunCounts) => Promise<void> } = {}): Promise<PayoutRunCounts> {
  const counts: PayoutRunCounts = { taken: 0, paid: 0, failed: 0, pending: 0, errors: 0 };
  const provider = deps.disbursement;
  if (!provider) {
    return counts;
  }
  const limit = Math.max(1, Math.min(options.batchSize ?? PAYOUT_POLICY.batchSize, PAYOUT_POLICY.batchSize));
  for (let i = 0; i < PAYOUT_POLICY.batchesMax; i++) {
    const work = await takeDuePayouts(deps, provider, limit);
    for (const w of work) {
      const outcome = await driveAttempt(deps, provider, w);
      counts.taken += 1;
      if (outcome === 'paid') counts.paid += 1;
      else if (outcome === 'failed' || outcome === 'retry') counts.failed += 1;
      else if (outcome === 'pending') counts.pending += 1;
      else if (outcome === 'error') counts.errors += 1;
    }
    await options.afterBatch?.({ ...counts });
    if (work.length < limit) {
      return counts;
    }
  }
  return counts;
}
