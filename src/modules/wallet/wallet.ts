import { sql, type Kysely, type Transaction } from 'kysely';
import type { Database, Participant } from '../../db/database.js';
import type { Deps } from '../../deps.js';
import { luhnCheckDigit, newId, randomDigits } from '../../shared/ids.js';
import { formatInstantWib, localDateInJakarta, type Month } from '../../shared/month.js';
import type { Quote } from '../contributions/index.js';
import { validateTransfer, walletAccount, walletBalance, walletContributionTransfers, type TransferCode } from '../ledger/index.js';
import { coveredThroughOf } from '../membership/index.js';
import { enqueueMessage } from '../notifications/index.js';
import { topUpCode } from './domain/top-up-code.js';
import { planWalletSweep } from './domain/wallet-sweep.js';
import { lockKey } from '../../db/advisory-lock.js';

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

const PAYMENT_CODE_ATTEMPTS_MAX = 5;

/** A paid bill of kind `wallet` for one month, with its lines, its cover and its ledger transfers. */
async function settleMonthFromWallet(trx: Transaction<Database>, p: Participant, quote: Quote, now: Date): Promise<string> {
  const month = quote.months[0];
  if (!month || quote.months.length !== 1) {
    throw new Error('a wallet bill is exactly one month');
  }
  const id = newId('bil');
  let inserted = false;
  // The code is never asked for (the bill is born paid; paying it is bill_already_paid) but every bill has a unique
  // one; the unique constraint decides, not a prior read.
  for (let attempt = 0; attempt < PAYMENT_CODE_ATTEMPTS_MAX && !inserted; attempt++) {
    const body = `8${randomDigits(14)}`;
    const row = await trx
      .insertInto('bill')
      .values({
        id,
        payment_code: body + luhnCheckDigit(body),
        kind: 'wallet',
        registration_id: null,
        participant_id: p.id,
        amount: quote.total,
        status: 'paid',
        first_month: month.month,
        month_count: 1,
        expires_at: now,
        created_at: now,
        paid_at: now,
      })
      .onConflict((oc) => oc.column('payment_code').doNothing())
      .returning('id')
      .executeTakeFirst();
    inserted = row !== undefined;
  }
  if (!inserted) {
    throw new Error('could not allocate a unique payment code');
  }
  await trx
    .insertInto('bill_line')
    .values(month.lines.map((l) => ({ bill_id: id, month: month.month, program: l.program, amount: l.amount, discount: l.discount, net: l.net })))
    .execute();
  // The primary key (participant, month) is the last guard: a month is never covered twice.
  await trx.insertInto('coverage_month').values({ participant_id: p.id, month: month.month, bill_id: id, settled_at: now }).execute();
  const transfers = walletContributionTransfers(id, p.kpj, month.lines);
  for (const t of transfers) {
    const refused = validateTransfer(t);
    if (refused) {
      throw new Error(`wallet transfer ${t.id} refused: ${refused}`);
    }
  }
  await trx
    .insertInto('ledger_transfer')
    .values(transfers.map((t) => ({ id: t.id, debit_account: t.debitAccount, credit_account: t.creditAccount, amount: t.amount, code: t.code, ref: t.ref, created_at: now })))
    .execute();
  return id;
}

/**
 * Pays the member's next months from their wallet, in one transaction: while the balance covers the whole price of
 * the next billable month (planWalletSweep: the month after the cover, or the current month once inactive; priced
 * as a 1-month bill; at most 12 months ahead of the current month), that month becomes a paid bill of kind
 * `wallet` with its lines and cover, and the nets move `wallet:<kpj>` → `program:JKK`, `program:JKM`, `jht:<kpj>`.
 * Open bills of the member whose months are now covered are cancelled (a new code would be needed anyway), and one
 * receipt email is queued.
 *
 * Race-free and idempotent: it locks the member's open bills and then takes the same per-person lock the payment
 * function takes (in that order, as a payment does: bill row, then person), and reads balance and cover only under
 * the lock; a second sweep, or one racing a payment, sees what the first committed. Sweeping an empty wallet, or one
 * below the next month's price, changes nothing.
 */
export async function sweepWallet(deps: Deps, participantId: string): Promise<SweepResult> {
  const now = deps.clock.now();
  const result = await deps.db.transaction().execute(async (trx): Promise<SweepResult & { messages: number }> => {
    const p = await trx.selectFrom('participant').selectAll().where('id', '=', participantId).executeTakeFirst();
    if (!p) {
      return { settledMonths: [], balance: 0, messages: 0 };
    }
    const open = await trx.selectFrom('bill').select('id').where('participant_id', '=', p.id).where('status', '=', 'open').forUpdate().execute();
    await lockKey(trx, `lindung:person:${p.nik}`);
    const balance = await walletBalance(trx, p.kpj);
    const coveredThrough = await coveredThroughOf(trx, p.id);
    if (balance <= 0 || coveredThrough === null) {
      return { settledMonths: [], balance, messages: 0 };
    }
    const plan = planWalletSweep(
      {
        balance,
        coveredThrough,
        today: localDateInJakarta(now),
        member: { declaredIncome: p.declared_income, programs: p.programs, sector: p.sector, funding: p.funding },
      },
      deps.rules,
    );
    if (plan.settle.length === 0) {
      return { settledMonths: [], balance, messages: 0 };
    }
    for (const quote of plan.settle) {
      await settleMonthFromWallet(trx, p, quote, now);
    }
    const settledMonths = plan.settle.map((q) => q.months[0]!.month);
    if (open.length > 0) {
      // An open bill asking for a month the wallet has just paid could only end as bill_already_paid: cancel it.
      await trx
        .updateTable('bill')
        .set({ status: 'cancelled' })
        .where('id', 'in', open.map((b) => b.id))
        .where('status', '=', 'open')
        .where((eb) =>
          eb.exists(eb.selectFrom('bill_line').select('bill_line.month').whereRef('bill_line.bill_id', '=', 'bill.id').where('bill_line.month', 'in', settledMonths)),
        )
        .execute();
    }
    await enqueueMessage(trx, {
      channel: 'email',
      to: p.email,
      now,
      message: {
        template: 'wallet_contribution',
        fullName: p.full_name,
        kpj: p.kpj,
        amount: balance - plan.remaining,
        firstMonth: settledMonths[0]!,
        lastMonth: settledMonths.at(-1)!,
        balance: plan.remaining,
      },
    });
    return { settledMonths, balance: plan.remaining, messages: 1 };
  });
  if (result.settledMonths.length > 0) {
    deps.logger.info('wallet paid contribution months', { participantId, months: result.settledMonths, balance: result.balance });
  }
  return { settledMonths: result.settledMonths, balance: result.balance };
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
        member: { declaredIncome: p.declared_income, programs: p.programs, sector: p.sector, funding: p.funding },
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
