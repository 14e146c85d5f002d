import { sql, type Kysely, type Transaction } from 'kysely';
import { z } from 'zod';
import type { Database } from '../../db/database.js';
import { resultOf } from '../../db/function-result.js';
import type { Deps } from '../../deps.js';
import { newId } from '../../shared/ids.js';
import { formatInstantWib, localDateInJakarta, type Month } from '../../shared/month.js';
import { validateTransfer, walletAccount, walletBalance, type TransferCode } from '../ledger/index.js';
import { coveredThroughOf, fundingPlanOf } from '../membership/index.js';
import { enqueueMessage } from '../notifications/index.js';
import { topUpCode } from './domain/top-up-code.js';
import { planWalletSweep, walletSweepCandidates } from './domain/wallet-sweep.js';

/**
 * The member's contribution wallet (dompet iuran): money credited to a member that has not yet paid a contribution
 * month — top-ups paid with their top-up code, the excess of an overpayment, and unmatched money staff assign to them.
 * Its balance is the ledger balance of `wallet:<kpj>` (never stored anywhere else). Sweeping the wallet pays the
 * member's next months from it, one month at a time, as a paid bill of kind `wallet` (docs/architecture.md
 * "Contribution wallet").
 */

type Db = Kysely<Database> | Transaction<Database>;

/** The wallet balance is a ledger balance (src/modules/ledger/ledger.ts), re-exported as part of the wallet's API. */
export { walletBalance };

export interface WalletCredit {
  /** Chosen by the caller before the call (e.g. `<paymentId>:assign`): a retry never credits twice. */
  transferId: string;
  kpj: string;
  amount: number;
  /** Where the money comes from, e.g. `suspense` (a staff assignment) or `clearing:<channel>`. */
  fromAccount: string;
  code: TransferCode;
  /** The business record the money belongs to (e.g. the payment id). */
  ref: string;
  /** When (the caller's clock, e.g. deps.clock.now()); defaults to the machine's time. */
  now?: Date;
}

/**
 * Credits a member's wallet inside the caller's transaction: one ledger transfer `fromAccount` → `wallet:<kpj>`,
 * idempotent by its id (a repeat inserts nothing, tells no one, and returns false). The member is told by a
 * `wallet_credited` email with the new balance. Sweep the wallet after the commit (sweepWallet) so the money pays the
 * member's next months. Throws for a transfer the chart of accounts refuses (a programming error).
 */
export async function creditWallet(trx: Transaction<Database>, input: WalletCredit): Promise<boolean> {
  const draft = { id: input.transferId, debitAccount: input.fromAccount, creditAccount: walletAccount(input.kpj), amount: input.amount, code: input.code, ref: input.ref };
  const refused = validateTransfer(draft);
  if (refused) {
    throw new Error(`wallet credit ${input.transferId} refused: ${refused}`);
  }
  const inserted = await trx
    .insertInto('ledger_transfer')
    .values({
      id: draft.id,
      debit_account: draft.debitAccount,
      credit_account: draft.creditAccount,
      amount: draft.amount,
      code: draft.code,
      ref: draft.ref,
      created_at: input.now ?? new Date(),
    })
    .onConflict((oc) => oc.column('id').doNothing())
    .returning('id')
    .executeTakeFirst();
  if (!inserted) {
    return false;
  }
  const member = await trx.selectFrom('participant').select(['email', 'full_name']).where('kpj', '=', input.kpj).executeTakeFirst();
  if (member) {
    const kind = input.code === 'wallet_topup' ? 'topup' : input.code === 'overpayment' ? 'overpayment' : 'manual_assignment';
    await enqueueMessage(trx, {
      channel: 'email',
      to: member.email,
      now: input.now ?? new Date(),
      message: { template: 'wallet_credited', fullName: member.full_name, kpj: input.kpj, kind, amount: input.amount, balance: await walletBalance(trx, input.kpj), paymentCode: null },
    });
  }
  return true;
}

export interface SweepResult {
  /** Months the wallet paid in this sweep, in order (empty when it could pay none). */
  settledMonths: Month[];
  /** The wallet balance after the sweep. */
  balance: number;
}

/** What `lindung_sweep_wallet` answers (src/db/functions/lindung_sweep_wallet.sql), parsed from its jsonb. */
export const sweepResultSchema = z.discriminatedUnion('status', [
  z.object({ status: z.literal('swept'), settledMonths: z.array(z.string().regex(/^\d{4}-\d{2}$/)), balance: z.number().int() }),
  /** the cover moved between the caller's read and the function's locks: price again */
  z.object({ status: z.literal('stale') }),
  z.object({ status: z.literal('unknown_member') }),
]);

/** At most one `stale` answer: the second call runs under the locks the first one took, in the same transaction. */
const SWEEP_CALLS_MAX = 2;

/**
 * Pays the member's next months from their wallet, in one transaction, through the database's settlement
 * (`lindung_sweep_wallet`, src/db/functions/lindung_sweep_wallet.sql): this side prices the months the wallet may pay
 * (walletSweepCandidates: the next billable month — after the cover, or the current month once inactive — and the
 * following ones up to 12 months ahead of the current month, each priced as a 1-month bill); the function, under the
 * locks a payment takes (the member's open bills, then `lindung:person:<nik_hash>`), reads cover and balance and pays the
 * months in order while the balance covers a month's whole price: each becomes a paid bill of kind `wallet`, settled
 * by lindung_settle_bill exactly like a paid bill (cover, and the nets `wallet:<kpj>` → `program:JKK`, `program:JKM`,
 * `jht:<kpj>`). Open bills of the member whose months are now covered are cancelled, and one receipt email is queued.
 *
 * Race-free and idempotent: if the cover changed before the function took the locks it answers `stale` and the
 * months are priced again, under the locks; a second sweep, or one racing a payment, sees what the first committed.
 * Sweeping an empty wallet, or one below the next month's price, changes nothing.
 */
export async function sweepWallet(deps: Deps, participantId: string): Promise<SweepResult> {
  const result = await deps.db.transaction().execute((trx) => sweepWalletIn(trx, deps, participantId));
  if (result.settledMonths.length > 0) {
    deps.logger.info('wallet paid contribution months', { participantId, months: result.settledMonths, balance: result.balance });
  }
  return result;
}

/** sweepWallet inside the caller's transaction (the scheduled sweep job sweeps a batch of members in one). */
export async function sweepWalletIn(trx: Transaction<Database>, deps: Deps, participantId: string): Promise<SweepResult> {
  const now = deps.clock.now();
  for (let call = 1; ; call++) {
    const p = await trx.selectFrom('participant').selectAll().where('id', '=', participantId).executeTakeFirst();
    if (!p) {
      return { settledMonths: [], balance: 0 };
    }
    const coveredThrough = await coveredThroughOf(trx, p.id);
    const member = { declaredIncome: p.declared_income, programs: p.programs, sector: p.sector, ...(await fundingPlanOf(trx, p)) };
    const candidates = coveredThrough === null ? [] : walletSweepCandidates({ coveredThrough, today: localDateInJakarta(now), member }, deps.rules);
    const months = candidates.map((q) => ({ month: q.months[0]!.month, total: q.total, lines: q.months[0]!.lines }));
    const r = await sql<{ result: unknown }>`
      select lindung_sweep_wallet(${p.id}, ${coveredThrough}, ${JSON.stringify(months)}::jsonb,
        ${candidates.map(() => newId('bil'))}::text[], ${newId('msg')}, ${now}) as result`.execute(trx);
    const swept = resultOf(r.rows, 'lindung_sweep_wallet', sweepResultSchema);
    if (swept.status === 'swept') {
      return { settledMonths: swept.settledMonths, balance: swept.balance };
    }
    if (swept.status === 'unknown_member' || call >= SWEEP_CALLS_MAX) {
      throw new Error(`wallet sweep of ${participantId}: ${swept.status}`);
    }
  }
}

/**
 * Sweeps after money reached a wallet (a top-up, an overpayment) in a transaction that has committed: a failure here
 * loses nothing — the money is in the wallet and the next sweep pays the months — so it is logged, not thrown.
 */
export async function sweepWalletAfterCredit(deps: Deps, participantId: string, context: Record<string, unknown>): Promise<SweepResult | null> {
  try {
    return await sweepWallet(deps, participantId);
  } catch (err) {
    deps.logger.error('wallet sweep after a credit failed; the money stays in the wallet', {
      ...context,
      participantId,
      error: err instanceof Error ? (err.stack ?? err.message) : String(err),
    });
    return null;
  }
}

export type WalletEntryKind = 'topup' | 'overpayment' | 'manual_assignment' | 'contribution';

export interface WalletEntry {
  /** When, ISO 8601 in WIB. */
  at: string;
  /** Why: a top-up, the excess of an overpayment, a staff assignment, or a month the wallet paid (else the code). */
  kind: WalletEntryKind | string;
  /** Signed rupiah: positive into the wallet, negative out of it. */
  amount: number;
  /** The balance right after this entry. */
  balanceAfter: number;
  /** The contribution month the wallet paid (kind contribution). */
  month?: Month;
  /** The payment channel the money came through (top-ups, overpayments, assignments). */
  channel?: string;
}

export interface WalletView {
  balance: number;
  topUpCode: string;
  /** The month the wallet pays next and its price, with what is still missing; null when nothing can be paid ahead. */
  next: { month: Month; amount: number; shortfall: number } | null;
  /** Newest first, at most `limit`. */
  entries: WalletEntry[];
}

const ENTRY_KIND: Record<string, WalletEntryKind> = {
  wallet_topup: 'topup',
  overpayment: 'overpayment',
  manual_assignment: 'manual_assignment',
  contribution_jkk: 'contribution',
  contribution_jkm: 'contribution',
  contribution_jht: 'contribution',
};

/** What the member sees: balance, top-up code, the next month the wallet will pay, and the movements. */
export async function getWalletView(deps: Deps, participantId: string, limit = 50): Promise<WalletView | null> {
  const p = await deps.db.selectFrom('participant').selectAll().where('id', '=', participantId).executeTakeFirst();
  if (!p) {
    return null;
  }
  const account = walletAccount(p.kpj);
  // One entry per business record (a payment, or a wallet bill whose 2–3 program transfers are one month).
  const rows = await sql<{ ref: string; at: Date; amount: number; code: string; month: string | null; channel: string | null }>`
    with moves as (
      select ref, min(created_at) as at, min(code) as code,
             sum(case when credit_account = ${account} then amount else -amount end)::int8 as amount
        from ledger_transfer where credit_account = ${account} or debit_account = ${account}
       group by ref)
    select m.ref, m.at, m.amount, m.code, b.first_month as month, pay.channel
      from moves m
      left join bill b on b.id = m.ref and b.kind = 'wallet'
      left join payment pay on pay.id = m.ref
     order by m.at desc, (m.amount < 0) desc, m.ref desc
     limit ${limit}`.execute(deps.db);
  const [balance, coveredThrough] = await Promise.all([walletBalance(deps.db, p.kpj), coveredThroughOf(deps.db, p.id)]);
  let after = balance;
  const entries: WalletEntry[] = rows.rows.map((r) => {
    const entry: WalletEntry = { at: formatInstantWib(r.at), kind: ENTRY_KIND[r.code] ?? r.code, amount: Number(r.amount), balanceAfter: after };
    if (r.month) {
      entry.month = r.month;
    }
    if (r.channel) {
      entry.channel = r.channel;
    }
    after -= Number(r.amount);
    return entry;
  });
  let next: WalletView['next'] = null;
  if (coveredThrough !== null) {
    const plan = planWalletSweep(
      {
        balance: Math.max(0, balance),
        coveredThrough,
        today: localDateInJakarta(deps.clock.now()),
        member: { declaredIncome: p.declared_income, programs: p.programs, sector: p.sector, ...(await fundingPlanOf(deps.db, p)) },
      },
      deps.rules,
    );
    // Normally nothing is left to settle (the sweep ran); if it is, the first such month is what comes next.
    const first = plan.settle[0];
    next = first
      ? { month: first.months[0]!.month, amount: first.total, shortfall: 0 }
      : plan.next && { month: plan.next.month, amount: plan.next.amount, shortfall: plan.next.amount - plan.remaining };
  }
  return { balance, topUpCode: topUpCode(p.kpj), next, entries };
}
