import { parseCsv } from './csv.js';

/**
 * A disbursement provider's report (claim payouts sent out) against the payout attempts Lindung recorded — the
 * money-out twin of the settlement-file comparison. The report is CSV with a header `reference,amount,status`:
 * `reference` = the attempt id (our idempotency key, Xendit's external_id), `amount` integer rupiah, `status` one of
 * COMPLETED|PAID, FAILED, PENDING (any case). Differences:
 *
 * - `paid_not_recorded`: the provider paid it, and Lindung has no such attempt or has not recorded it paid;
 * - `amount_differs`: the same attempt with another amount than the payout's;
 * - `missing_from_report`: Lindung recorded it paid (in the report's period) and the report does not list it paid.
 *
 * Pure: no I/O.
 */
export const DISBURSEMENT_DIFFERENCE_KINDS = ['paid_not_recorded', 'amount_differs', 'missing_from_report'] as const;
export type DisbursementDifferenceKind = (typeof DISBURSEMENT_DIFFERENCE_KINDS)[number];

export interface DisbursementReportRow {
  line: number;
  reference: string;
  amount: number;
  status: 'paid' | 'failed' | 'pending';
}

export interface RecordedAttempt {
  reference: string;
  amount: number;
  status: string;
}

export interface DisbursementDifference {
  kind: DisbursementDifferenceKind;
  reference: string;
  line: number | null;
  reportAmount: number | null;
  reportStatus: DisbursementReportRow['status'] | null;
  recordedAmount: number | null;
  recordedStatus: string | null;
}

export type ReportRead = { ok: true; rows: DisbursementReportRow[] } | { ok: false; line: number; problem: string };

const STATUS: Record<string, DisbursementReportRow['status']> = { completed: 'paid', paid: 'paid', failed: 'failed', pending: 'pending' };

/** Reads the report; the first bad line refuses the whole file (with its line and what is wrong). */
export function readDisbursementReport(csv: string): ReportRead {
  const parsed = parseCsv(csv);
  if (!parsed.ok) {
    return { ok: false, line: parsed.error.line, problem: parsed.error.code };
  }
  const [header, ...records] = parsed.records.filter((r) => !(r.fields.length === 1 && r.fields[0]!.trim() === ''));
  if (!header || header.fields.map((f) => f.trim().toLowerCase()).join(',') !== 'reference,amount,status') {
    return { ok: false, line: header?.line ?? 1, problem: 'the header must be reference,amount,status' };
  }
  const rows: DisbursementReportRow[] = [];
  for (const r of records) {
    const [reference = '', amount = '', status = ''] = r.fields.map((f) => f.trim());
    if (r.fields.length !== 3 || !/^[A-Za-z0-9_:.-]{1,100}$/.test(reference)) {
      return { ok: false, line: r.line, problem: 'expected three fields and a reference' };
    }
    const mapped = STATUS[status.toLowerCase()];
    if (!/^\d{1,15}$/.test(amount) || !mapped) {
      return { ok: false, line: r.line, problem: 'amount must be integer rupiah and status COMPLETED, PAID, FAILED or PENDING' };
    }
    rows.push({ line: r.line, reference, amount: Number(amount), status: mapped });
  }
  return { ok: true, rows };
}

/** The differences between the report and what Lindung recorded; `recorded` holds the attempts of the report's period. */
export function compareDisbursements(report: readonly DisbursementReportRow[], recorded: readonly RecordedAttempt[]): DisbursementDifference[] {
  const byRef = new Map(recorded.map((a) => [a.reference, a]));
  const reportedPaid = new Set(report.filter((r) => r.status === 'paid').map((r) => r.reference));
  const differences: DisbursementDifference[] = [];
  for (const r of report) {
    const mine = byRef.get(r.reference);
    const base = { reference: r.reference, line: r.line, reportAmount: r.amount, reportStatus: r.status, recordedAmount: mine?.amount ?? null, recordedStatus: mine?.status ?? null };
    if (mine && mine.amount !== r.amount) {
      differences.push({ kind: 'amount_differs', ...base });
    } else if (r.status === 'paid' && mine?.status !== 'paid') {
      differences.push({ kind: 'paid_not_recorded', ...base });
    }
  }
  for (const a of recorded) {
    if (a.status === 'paid' && !reportedPaid.has(a.reference)) {
      differences.push({ kind: 'missing_from_report', reference: a.reference, line: null, reportAmount: null, reportStatus: null, recordedAmount: a.amount, recordedStatus: a.status });
    }
  }
  return differences;
}
