/**
 * The chart of accounts and the transfer codes (the "why" of every movement).
 *
 * - `clearing:<channel>`: money a payment channel has collected for us; its balance goes negative by what the
 *   channel owes, and bank settlement files reconcile against it.
 * - `program:JKK`, `program:JKM`: the pooled program funds.
 * - `jht:<kpj>`: a member's own old-age savings (JHT is individual, not pooled).
 * - `suspense`: money received that could not settle a bill, held for reconciliation or refund.
 * - `wallet:<kpj>`: the member's contribution wallet (dompet iuran) — a liability to the member: money credited to
 *   them (top-ups, overpayments, staff assignments) that has not yet paid a contribution month. Credited by
 *   `wallet_topup`, `overpayment` and `manual_assignment`; debited by `contribution_jkk/jkm/jht` when the wallet
 *   settles a month (src/db/functions/lindung_sweep_wallet.sql). Its balance is never negative.
 * - `jht_investment`: the JHT investment-return account: the yearly return (hasil pengembangan) is paid from it into
 *   each `jht:<kpj>` (`jht_return`; src/modules/jht). Its balance goes negative by the returns credited.
 * - `benefit:JKK`, `benefit:JKM`: benefit expense — what an approved JKK or JKM claim costs the program.
 * - `payout_clearing`: benefits approved and not yet paid out; credited on approval (`claim_benefit`), debited when
 *   the disbursement provider confirms the transfer (`payout`). Its balance is what Lindung still owes claimants.
 * - `disbursement:<provider>`: the bank account a disbursement provider pays claimants from (`xendit`, `dev`).
 * - `clearing:payer`: collective bills (src/modules/payer-bills) between their payment and their fan-out: credited by
 *   `payer_collective`, debited by each member bill's settlement (channel 'payer': `contribution_*`, or
 *   `unmatched_payment` to suspense); nets to 0 for a collective once its fan-out is done.
 */
export type TransferCode =
  | 'contribution_jkk'
  | 'contribution_jkm'
  | 'contribution_jht'
  | 'unmatched_payment'
  /** staff refunded an unmatched payment: suspense → clearing:<channel> (the channel pays it back), id <paymentId>:refund */
  | 'refund'
  /** staff assigned an unmatched payment to a member: suspense → the member's contribution wallet, id <paymentId>:assign */
  | 'manual_assignment'
  /** money paid with a member's top-up code: clearing:<channel> → wallet:<kpj>, id <paymentId>:wallet */
  | 'wallet_topup'
  /** the excess of a payment larger than its bill: clearing:<channel> → wallet:<kpj>, id <paymentId>:wallet */
  | 'overpayment'
  /** a member's JHT return of a year: jht_investment → jht:<kpj>, id jht-return:<year>:<kpj>, ref jht-return:<year>, dated 31 December */
  | 'jht_return'
  /** an approved claim's benefit: jht:<kpj> (JHT) or benefit:<JKK|JKM> → payout_clearing, id claim:<claimId>, ref <claimId> */
  | 'claim_benefit'
  /** the current year's accrued JHT return paid with a full withdrawal: jht_investment → jht:<kpj>, id jht-interim:<claimId> */
  | 'jht_interim_return'
  /** a confirmed disbursement: payout_clearing → disbursement:<provider>, id payout:<payoutId>, ref <claimId> */
  | 'payout'
  /** a collective bill paid (src/modules/payer-bills): clearing:<channel> → clearing:payer, id <paymentId>:payer; its fan-out then settles each member bill from clearing:payer */
  | 'payer_collective'
  /** the excess of a collective bill's payment, the payer's to refund: clearing:<channel> → suspense, id <paymentId>:excess */
  | 'payer_excess';

export const TRANSFER_CODES: readonly TransferCode[] = [
  'contribution_jkk',
  'contribution_jkm',
  'contribution_jht',
  'unmatched_payment',
  'refund',
  'manual_assignment',
  'wallet_topup',
  'overpayment',
  'jht_return',
  'claim_benefit',
  'jht_interim_return',
  'payout',
  'payer_collective',
  'payer_excess',
];

export const SUSPENSE_ACCOUNT = 'suspense';

export function clearingAccount(channel: string): string {
  return `clearing:${channel}`;
}

export function programAccount(program: 'JKK' | 'JKM'): string {
  return `program:${program}`;
}

export function jhtAccount(kpj: string): string {
  return `jht:${kpj}`;
}

/** The JHT investment-return account the yearly returns are paid from. */
export const JHT_INVESTMENT_ACCOUNT = 'jht_investment';

/** Benefit expense of a pooled program (an approved JKK or JKM claim). */
export function benefitAccount(program: 'JKK' | 'JKM'): string {
  return `benefit:${program}`;
}

/** Benefits approved and not yet paid out. */
export const PAYOUT_CLEARING_ACCOUNT = 'payout_clearing';

/** The bank account a disbursement provider pays claimants from. */
export function disbursementAccount(provider: string): string {
  return `disbursement:${provider}`;
}

/** A member's contribution wallet (dompet iuran). */
export function walletAccount(kpj: string): string {
  return `wallet:${kpj}`;
}

/**
 * The account formats; the database checks the same ones, and the codes of TRANSFER_CODES, on every ledger_transfer row
 * (migrations/2026-12-07T0620-ledger-and-bill-checks.ts, with jht_investment and jht_return from
 * migrations/2026-12-07T1100-jht-returns.ts, the claim accounts and codes from migrations/2026-12-07T1200-claims.ts):
 * a new account kind or code needs a migration too.
 */
const ACCOUNT_RE = /^(clearing:[a-z]+|program:(JKK|JKM)|jht:\d{11}|wallet:\d{11}|suspense|jht_investment|benefit:(JKK|JKM)|payout_clearing|disbursement:[a-z]+)$/;

export interface TransferDraft {
  id: string;
  debitAccount: string;
  creditAccount: string;
  amount: number;
  code: TransferCode;
  ref: string;
}

export type TransferRejection = 'amount_not_positive' | 'same_account' | 'unknown_account' | 'unknown_code';

/** Returns null when the transfer may be posted, else why not. */
export function validateTransfer(t: TransferDraft): TransferRejection | null {
  if (!Number.isSafeInteger(t.amount) || t.amount <= 0) {
    return 'amount_not_positive';
  }
  if (t.debitAccount === t.creditAccount) {
    return 'same_account';
  }
  if (!ACCOUNT_RE.test(t.debitAccount) || !ACCOUNT_RE.test(t.creditAccount)) {
    return 'unknown_account';
  }
  if (!TRANSFER_CODES.includes(t.code)) {
    return 'unknown_code';
  }
  return null;
}

/**
 * How a settled bill's money is split, one transfer per program from the channel's clearing account: JKK and JKM to
 * the pooled funds, JHT to the member's own account. The settlement function in the database
 * (src/db/functions/lindung_settle_bill.sql; from `wallet:<kpj>` for a month the wallet pays) posts exactly these transfers; this is the same rule for code that writes ledger rows
 * itself (e.g. the benchmark seed).
 */
export function contributionTransfers(
  paymentId: string,
  channel: string,
  kpj: string,
  lines: readonly { program: 'JKK' | 'JKM' | 'JHT'; net: number }[],
): TransferDraft[] {
  const sums = { JKK: 0, JKM: 0, JHT: 0 };
  for (const l of lines) {
    sums[l.program] += l.net;
  }
  const from = clearingAccount(channel);
  const drafts: TransferDraft[] = [
    { id: `${paymentId}:JKK`, debitAccount: from, creditAccount: programAccount('JKK'), amount: sums.JKK, code: 'contribution_jkk', ref: paymentId },
    { id: `${paymentId}:JKM`, debitAccount: from, creditAccount: programAccount('JKM'), amount: sums.JKM, code: 'contribution_jkm', ref: paymentId },
    { id: `${paymentId}:JHT`, debitAccount: from, creditAccount: jhtAccount(kpj), amount: sums.JHT, code: 'contribution_jht', ref: paymentId },
  ];
  return drafts.filter((t) => t.amount > 0);
}
