import { sql } from 'kysely';
import type { Deps } from '../../deps.js';
import { ok, reject, type Result } from '../../shared/result.js';
import { compareDisbursements, readDisbursementReport, type DisbursementDifference, type RecordedAttempt } from '../reconciliation/index.js';

export interface DisbursementReconciliation {
  date: string;
  reportRows: number;
  recordedPaid: { count: number; amount: number };
  matched: number;
  differences: DisbursementDifference[];
}

/**
 * A disbursement provider's daily report against the payout attempts (POST /api/v1/staff/payout-reconciliations,
 * finance): the pure comparison lives in the reconciliation module (domain/compare-disbursements.ts); here the
 * attempts it needs are read — every attempt the report names, and every attempt Lindung recorded paid on `date`
 * (Jakarta day, by settled_at). Nothing is written: the answer is the list of differences for finance to chase.
 */
export async function reconcileDisbursementReport(deps: Deps, input: { date: string; csv: string }): Promise<Result<DisbursementReconciliation, 'invalid_settlement_file'>> {
  const read = readDisbursementReport(input.csv);
  if (!read.ok) {
    return reject('invalid_settlement_file', 'csv', `line ${read.line}: ${read.problem}`);
  }
  const from = new Date(`${input.date}T00:00:00+07:00`);
  const until = new Date(from.getTime() + 86_400_000);
  const refs = read.rows.map((r) => r.reference);
  const { rows } = await sql<{ reference: string; amount: string | number; status: string; in_period: boolean }>`
    select a.id as reference, p.amount, a.status,
           (a.status = 'paid' and a.settled_at >= ${from}::timestamptz and a.settled_at < ${until}::timestamptz) as in_period
      from payout_attempt a join payout p on p.id = a.payout_id
     where a.id = any(${refs}::text[])
        or (a.status = 'paid' and a.settled_at >= ${from}::timestamptz and a.settled_at < ${until}::timestamptz)
  `.execute(deps.db);
  const recorded: RecordedAttempt[] = rows.map((r) => ({ reference: r.reference, amount: Number(r.amount), status: r.status }));
  // An attempt the report names is compared whatever day it was paid; one paid on `date` is owed to the report.
  const period = new Set(rows.filter((r) => r.in_period).map((r) => r.reference));
  const differences = compareDisbursements(read.rows, recorded);
  const paid = recorded.filter((a) => period.has(a.reference));
  return ok({
    date: input.date,
    reportRows: read.rows.length,
    recordedPaid: { count: paid.length, amount: paid.reduce((s, a) => s + a.amount, 0) },
    matched: read.rows.length - differences.filter((d) => d.line !== null).length,
    differences,
  });
}
