import { sql } from 'kysely';
import type { Deps } from '../../deps.js';
import { ok, reject, type Result } from '../../shared/result.js';
import { recordStaffAction } from '../audit/index.js';
import type { BankAccount } from './payout-job.js';

export const PAYOUT_STATUSES = ['pending', 'paid', 'failed'] as const;
export type PayoutStatus = (typeof PAYOUT_STATUSES)[number];

export interface PayoutView {
  id: string;
  claimId: string;
  claimType: string;
  kpj: string;
  amount: number;
  status: PayoutStatus;
  bankAccount: BankAccount;
  attempts: number;
  nextAttemptAt: string | null;
  failureReason: string | null;
  createdAt: string;
  updatedAt: string;
  paidAt: string | null;
}

interface PayoutRow {
  id: string;
  claim_id: string;
  claim_type: string;
  kpj: string;
  amount: string | number;
  status: PayoutStatus;
  bank_account: BankAccount;
  attempts: number;
  next_attempt_at: Date | null;
  failure_reason: string | null;
  created_at: Date;
  updated_at: Date;
  paid_at: Date | null;
}

const iso = (d: Date | null) => (d === null ? null : new Date(d).toISOString());

function view(r: PayoutRow): PayoutView {
  return {
    id: r.id,
    claimId: r.claim_id,
    claimType: r.claim_type,
    kpj: r.kpj,
    amount: Number(r.amount),
    status: r.status,
    bankAccount: r.bank_account,
    attempts: r.attempts,
    nextAttemptAt: iso(r.next_attempt_at),
    failureReason: r.failure_reason,
    createdAt: new Date(r.created_at).toISOString(),
    updatedAt: new Date(r.updated_at).toISOString(),
    paidAt: iso(r.paid_at),
  };
}

const SELECT = sql`
  select p.id, p.claim_id, c.type as claim_type, c.kpj, p.amount, p.status, p.bank_account, p.attempts, p.next_attempt_at,
         p.failure_reason, p.created_at, p.updated_at, p.paid_at
    from payout p join claim c on c.id = p.claim_id`;

/** Payouts for staff (GET /api/v1/staff/payouts): by status, oldest first, with their count and sum. */
export async function listPayouts(deps: Deps, input: { status?: PayoutStatus | undefined; limit: number }): Promise<{ count: number; amount: number; payouts: PayoutView[] }> {
  const where = input.status ? sql`where p.status = ${input.status}` : sql``;
  const { rows } = await sql<PayoutRow>`${SELECT} ${where} order by p.created_at, p.id limit ${input.limit}::int`.execute(deps.db);
  const totals = await sql<{ count: number; amount: string | null }>`select count(*)::int as count, sum(p.amount) as amount from payout p ${where}`.execute(deps.db);
  return { count: totals.rows[0]?.count ?? 0, amount: Number(totals.rows[0]?.amount ?? 0), payouts: rows.map(view) };
}

export async function getPayout(deps: Deps, id: string): Promise<PayoutView | undefined> {
  const { rows } = await sql<PayoutRow>`${SELECT} where p.id = ${id}`.execute(deps.db);
  return rows[0] ? view(rows[0]) : undefined;
}

/**
 * Staff (finance) re-issue a failed payout (POST /api/v1/staff/payouts/{id}/retry): pending again, due now, its attempt
 * count of the new round at 0 (attempt ids keep counting: each transfer still has its own key), optionally to another
 * bank account — audited with the reason, the account before and after. The money never left payout_clearing.
 */
export async function retryPayout(
  deps: Deps,
  id: string,
  input: { bankAccount?: BankAccount | undefined; reason: string; actor: string },
): Promise<Result<PayoutView, 'unknown_payout' | 'payout_not_failed'>> {
  const now = deps.clock.now();
  const done = await deps.db.transaction().execute(async (trx): Promise<Result<null, 'unknown_payout' | 'payout_not_failed'>> => {
    const p = await trx.selectFrom('payout').select(['id', 'status', 'bank_account', 'attempts', 'failure_reason']).where('id', '=', id).forUpdate().executeTakeFirst();
    if (!p) return reject('unknown_payout', 'id');
    if (p.status !== 'failed') return reject('payout_not_failed', 'id');
    const bankAccount = input.bankAccount ?? (p.bank_account as unknown as BankAccount);
    await trx
      .updateTable('payout')
      .set({ status: 'pending', attempts: 0, next_attempt_at: now, failure_reason: null, bank_account: JSON.stringify(bankAccount), updated_at: now })
      .where('id', '=', id)
      .execute();
    await recordStaffAction(trx, {
      actor: input.actor,
      action: 'payout.retry',
      subject: `payout:${id}`,
      reason: input.reason,
      detail: { attempts: p.attempts, failureReason: p.failure_reason, bankAccountChanged: input.bankAccount !== undefined },
      before: { status: 'failed', bankAccount: p.bank_account },
      after: { status: 'pending', bankAccount },
      at: now,
    });
    return ok(null);
  });
  if (!done.ok) return done;
  return ok((await getPayout(deps, id)) as PayoutView);
}
