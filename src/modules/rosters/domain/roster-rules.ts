import { addMonths, isMonth, type Month } from '../../../shared/month.js';

/**
 * Rosters and period invoices of payers (issue 17 items 2 and 3), pure parts. A payer's roster for a month = the
 * members whose funding in force for that month names the payer (participant_funding; before any row, the
 * registration's payer). A period is one calendar month 'YYYY-MM'; its invoice is ONE collective bill
 * (src/modules/payer-bills) with the deterministic id `roster:<payer>:<period>`, so opening it twice gives one bill.
 */
export const ROSTER_JOB_KIND = 'roster_bills';

export function rosterJobId(period: Month): string {
  return `roster-bills:${period}`;
}

export function invoiceId(payerId: string, period: Month): string {
  return `roster:${payerId}:${period}`;
}

export function isPeriod(s: string): s is Month {
  return isMonth(s);
}

/** Government payers (APBN/APBD) get an 'invoice'; other payers (a partner deducting from deposits) a 'roster' bill. */
export function invoicePurpose(payerFunding: string): 'invoice' | 'roster' {
  return payerFunding === 'apbn' || payerFunding === 'apbd' ? 'invoice' : 'roster';
}

/**
 * The collective's expiry: the end of the month after the period in Jakarta (the member due date is the 15th of the
 * period; a payer's bill stays payable through the next month so a government transfer that takes weeks still
 * matches), or, when opened later than that (a catch-up), 3 days from `now`.
 */
export function invoiceExpiresAt(period: Month, now: Date): Date {
  const [y, m] = addMonths(period, 2).split('-').map(Number) as [number, number];
  const end = new Date(Date.UTC(y, m - 1, 1) - 7 * 3_600_000);
  return end.getTime() > now.getTime() ? end : new Date(now.getTime() + 3 * 86_400_000);
}

/** Which of a member's next unpaid month the period bill covers: none when the member already paid past the period. */
export function billsForPeriod(nextUnpaid: Month, period: Month): boolean {
  return nextUnpaid <= period;
}

export interface InvoiceMemberLine {
  kpj: string;
  fullName: string;
  months: string[];
  amount: number;
  status: string;
}

function csvField(v: string): string {
  return /[",\r\n]/.test(v) || /^[=+\-@]/.test(v) ? `"${(/^[=+\-@]/.test(v) ? `'${v}` : v).replace(/"/g, '""')}"` : v;
}

/** The members an invoice covers as CSV (RFC 4180; formula-looking cells quoted and prefixed with '). */
export function invoiceMembersCsv(lines: readonly InvoiceMemberLine[]): string {
  const rows = [['kpj', 'fullName', 'months', 'amount', 'status'].join(',')];
  for (const l of lines) {
    rows.push([csvField(l.kpj), csvField(l.fullName), csvField(l.months.join(';')), String(l.amount), csvField(l.status)].join(','));
  }
  return `${rows.join('\r\n')}\r\n`;
}
