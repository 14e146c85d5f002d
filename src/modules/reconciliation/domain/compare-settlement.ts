/**
 * Compares a settlement file with the payments we recorded. Pure: the caller loads the payments.
 *
 * - A file row is matched by externalId to a payment recorded on the same channel (whatever its date or outcome:
 *   applied, unmatched or top-up money was all received). Same amount → matched; another amount →
 *   `amount_differs`; no such payment on this channel → `missing_payment` (the sender says money came that we never
 *   recorded — a lost notification).
 * - A payment in scope (this channel, this source's namespace, paid on the settlement date in Jakarta) that no row
 *   names → `not_in_file` (we recorded money the sender does not confirm).
 *
 * Every row is exactly one of matched / amount_differs / missing_payment, so
 * fileRows = matched + amountDiffers + missingPayment.
 */

export const DIFFERENCE_KINDS = ['missing_payment', 'amount_differs', 'not_in_file'] as const;
export type DifferenceKind = (typeof DIFFERENCE_KINDS)[number];

export interface FileRow {
  line: number;
  reference: string;
  externalId: string;
  paymentCode: string;
  amount: number;
  transactionTime: Date;
}

export interface RecordedPayment {
  id: string;
  externalId: string;
  paymentCode: string;
  amount: number;
  channel: string;
  paidAt: Date;
  outcome: string;
}

export interface Difference {
  kind: DifferenceKind;
  externalId: string;
  /** the file's side (missing_payment, amount_differs) */
  line: number | null;
  reference: string | null;
  fileAmount: number | null;
  transactionTime: Date | null;
  /** our side (not_in_file, amount_differs) */
  paymentId: string | null;
  recordedAmount: number | null;
  paidAt: Date | null;
  outcome: string | null;
  /** the file's code, else ours */
  paymentCode: string;
  /** missing_payment only: the id is recorded, but under another channel */
  recordedChannel: string | null;
}

export interface ComparisonTotals {
  fileRows: number;
  fileAmount: number;
  recordedCount: number;
  recordedAmount: number;
  matchedCount: number;
  matchedAmount: number;
}

export interface Comparison {
  totals: ComparisonTotals;
  /** missing_payment and amount_differs in file line order, then not_in_file by payment time */
  differences: Difference[];
}

/**
 * `known` holds every recorded payment whose externalId appears in the file (any channel, any date); `inScope` the
 * payments the file should account for.
 */
export function compareSettlement(channel: string, rows: readonly FileRow[], known: ReadonlyMap<string, RecordedPayment>, inScope: readonly RecordedPayment[]): Comparison {
  const differences: Difference[] = [];
  const named = new Set<string>();
  let matchedCount = 0;
  let matchedAmount = 0;
  let fileAmount = 0;
  for (const row of rows) {
    fileAmount += row.amount;
    named.add(row.externalId);
    const p = known.get(row.externalId);
    const fileSide = { externalId: row.externalId, line: row.line, reference: row.reference, fileAmount: row.amount, transactionTime: row.transactionTime };
    if (!p || p.channel !== channel) {
      differences.push({
        kind: 'missing_payment',
        ...fileSide,
        paymentId: null,
        recordedAmount: null,
        paidAt: null,
        outcome: null,
        paymentCode: row.paymentCode,
        recordedChannel: p ? p.channel : null,
      });
    } else if (p.amount !== row.amount) {
      differences.push({ kind: 'amount_differs', ...fileSide, paymentId: p.id, recordedAmount: p.amount, paidAt: p.paidAt, outcome: p.outcome, paymentCode: row.paymentCode, recordedChannel: null });
    } else {
      matchedCount += 1;
      matchedAmount += row.amount;
    }
  }
  const ours = [...inScope].sort((a, b) => a.paidAt.getTime() - b.paidAt.getTime() || (a.id < b.id ? -1 : a.id > b.id ? 1 : 0));
  let recordedAmount = 0;
  for (const p of ours) {
    recordedAmount += p.amount;
    if (!named.has(p.externalId)) {
      differences.push({
        kind: 'not_in_file',
        externalId: p.externalId,
        line: null,
        reference: null,
        fileAmount: null,
        transactionTime: null,
        paymentId: p.id,
        recordedAmount: p.amount,
        paidAt: p.paidAt,
        outcome: p.outcome,
        paymentCode: p.paymentCode,
        recordedChannel: null,
      });
    }
  }
  return {
    totals: { fileRows: rows.length, fileAmount, recordedCount: ours.length, recordedAmount, matchedCount, matchedAmount },
    differences,
  };
}
