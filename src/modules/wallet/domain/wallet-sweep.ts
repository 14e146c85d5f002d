/**
 * Which months a member's contribution wallet (dompet iuran) pays, decided from the wallet balance, the cover and
 * today's date (pure: time is passed in). The wallet pays one month at a time, in the order a member's own bill
 * would: the next billable month (the month after the cover, or the current month once inactive — the same
 * billableMonthsStart as issueMemberBill), priced exactly as a 1-month bill (priceContribution), as long as the
 * balance covers that month's whole price. It never prepays further ahead of the current month than the longest
 * prepayment a member may buy (the rule book's largest prepayment option: 12 months).
 */
import { prepayHorizonMonths, type Funding, type RuleBook, type Sector, priceContribution, type Quote } from '../../contributions/index.js';
import { billableMonthsStart } from '../../membership/index.js';
import { monthOfDate, monthsBetween, type LocalDate, type Month } from '../../../shared/month.js';

export interface WalletSweepInput {
  /** The wallet balance in rupiah (≥ 0). */
  balance: number;
  /** Last covered month, 'YYYY-MM'. */
  coveredThrough: Month;
  /** Today in Asia/Jakarta, 'YYYY-MM-DD'. */
  today: LocalDate;
  member: { declaredIncome: number; programs: readonly string[]; sector: Sector; funding: Funding };
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

export function planWalletSweep(input: WalletSweepInput, rules: RuleBook): WalletSweepPlan {
  if (!Number.isSafeInteger(input.balance) || input.balance < 0) {
    throw new RangeError(`wallet balance must be a whole, non-negative rupiah amount: ${input.balance}`);
  }
  const current = monthOfDate(input.today);
  const horizon = walletHorizonMonths(rules);
  const settle: Quote[] = [];
  let balance = input.balance;
  let coveredThrough = input.coveredThrough;
  // Each settled month moves the cover on by one; the horizon bounds the loop (arrears, then up to the horizon).
  for (let guard = 0; guard <= horizon + rules.arrearsWindowMonths + 1; guard++) {
    const month = billableMonthsStart({ coveredThrough, today: input.today }, rules);
    if (monthsBetween(current, month) > horizon) {
      return { settle, remaining: balance, next: null };
    }
    const quote = priceContribution({ ...input.member, months: 1, startMonth: month }, rules);
    if (!quote.ok || quote.value.total <= 0) {
      return { settle, remaining: balance, next: null };
    }
    if (quote.value.total > balance) {
      return { settle, remaining: balance, next: { month, amount: quote.value.total } };
    }
    settle.push(quote.value);
    balance -= quote.value.total;
    coveredThrough = month;
  }
  return { settle, remaining: balance, next: null };
}
