/**
 * Which months a member's contribution wallet (dompet iuran) pays, decided from the wallet balance, the cover and
 * today's date (pure: time is passed in). The wallet pays one month at a time, in the order a member's own bill
 * would: the next billable month (the month after the cover, or the current month once inactive — the same
 * billableMonthsStart as issueMemberBill), priced exactly as a 1-month bill (priceContribution), as long as the
 * balance covers that month's whole price. It never prepays further ahead of the current month than the longest
 * prepayment a member may buy (the rule book's largest prepayment option: 12 months).
 */
import { prepayHorizonMonths, type Funding, type FundingFrom, type RuleBook, type Sector, priceContribution, type Quote } from '../../contributions/index.js';
import { billableMonthsStart } from '../../membership/index.js';
import { addMonths, monthOfDate, monthsBetween, type LocalDate, type Month } from '../../../shared/month.js';

export interface WalletSweepInput {
  /** The wallet balance in rupiah (≥ 0). */
  balance: number;
  /** Last covered month, 'YYYY-MM'. */
  coveredThrough: Month;
  /** Today in Asia/Jakarta, 'YYYY-MM-DD'. */
  today: LocalDate;
  /** fundingFrom: the member's effective-dated funding (each month priced with the funding in force then). */
  member: { declaredIncome: number; programs: readonly string[]; sector: Sector; funding: Funding; fundingFrom?: readonly FundingFrom[] };
}

export interface WalletSweepPlan {
  /** The months to settle now, in order, each priced as a 1-month bill. */
  settle: Quote[];
  /** The balance left after settling them. */
  remaining: number;
  /**
   * The first month the wallet does not pay now and its price (what the balance must reach), or null when that month
   * is beyond the horizon or cannot be priced.
   */
  next: { month: Month; amount: number } | null;
}

/** How far ahead of the current month the wallet may pay: the longest prepayment a member may buy. */
export function walletHorizonMonths(rules: RuleBook): number {
  return prepayHorizonMonths(rules);
}

/**
 * The months the wallet may pay, in the order it pays them, whatever the balance: from the next billable month through
 * the horizon, each priced as a 1-month bill, up to the first month that cannot be priced. After a paid month the
 * member is covered through it (active), so the next billable month is always the one after: consecutive months.
 * The database decides how many of them the balance pays (src/db/functions/lindung_sweep_wallet.sql, under the
 * member's locks); planWalletSweep decides the same here.
 */
export function walletSweepCandidates(input: Omit<WalletSweepInput, 'balance'>, rules: RuleBook): Quote[] {
  const current = monthOfDate(input.today);
  const horizon = walletHorizonMonths(rules);
  const candidates: Quote[] = [];
  // The horizon bounds the loop (arrears, then up to the horizon).
  for (let month = billableMonthsStart(input, rules); monthsBetween(current, month) <= horizon; month = addMonths(month, 1)) {
    const quote = priceContribution({ ...input.member, months: 1, startMonth: month }, rules);
    if (!quote.ok || quote.value.total <= 0) {
      break;
    }
    candidates.push(quote.value);
  }
  return candidates;
}

export function planWalletSweep(input: WalletSweepInput, rules: RuleBook): WalletSweepPlan {
  if (!Number.isSafeInteger(input.balance) || input.balance < 0) {
    throw new RangeError(`wallet balance must be a whole, non-negative rupiah amount: ${input.balance}`);
  }
  const candidates = walletSweepCandidates(input, rules);
  let balance = input.balance;
  for (const [i, quote] of candidates.entries()) {
    if (quote.total > balance) {
      return { settle: candidates.slice(0, i), remaining: balance, next: { month: quote.months[0]!.month, amount: quote.total } };
    }
    balance -= quote.total;
  }
  return { settle: candidates, remaining: balance, next: null };
}
