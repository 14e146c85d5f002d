/** Rupiah an agent holds unless the kantor's admin sets another limit (Rp5.000.000). */
export const DEFAULT_CASH_LIMIT = 5_000_000;

export interface CashCollection {
  id: string;
  amount: number;
  receivedAt: Date;
  receiptNo: string;
}

export interface CashDeposit {
  id: string;
  amount: number;
  depositedAt: Date;
}

/** A collection not yet (fully) covered by deposits: `open` is the part still in the agent's hands. */
export interface UnreconciledCollection extends CashCollection {
  open: number;
}

export interface CashPosition {
  collected: number;
  deposited: number;
  /** collected − deposited, never below 0 (a deposit larger than the cash held is an advance, not a negative debt). */
  outstanding: number;
  collections: UnreconciledCollection[];
}

/**
 * Deposits reconciled against collections, oldest first: the deposits' total pays off the oldest collections
 * (by receivedAt, then receipt number), and what remains open is listed. Pure; the order of the inputs does not matter.
 */
export function reconcileCash(collections: readonly CashCollection[], deposits: readonly CashDeposit[]): CashPosition {
  const collected = collections.reduce((s, c) => s + c.amount, 0);
  const deposited = deposits.reduce((s, d) => s + d.amount, 0);
  const ordered = [...collections].sort((a, b) => a.receivedAt.getTime() - b.receivedAt.getTime() || a.receiptNo.localeCompare(b.receiptNo));
  let credit = deposited;
  const open: UnreconciledCollection[] = [];
  for (const c of ordered) {
    const covered = Math.min(credit, c.amount);
    credit -= covered;
    if (covered < c.amount) open.push({ ...c, open: c.amount - covered });
  }
  return { collected, deposited, outstanding: Math.max(0, collected - deposited), collections: open };
}

/** The cash limit: a new collection is refused when the cash held plus it would exceed the agent's limit. */
export function withinCashLimit(outstanding: number, amount: number, limit: number): boolean {
  return outstanding + amount <= limit;
}
