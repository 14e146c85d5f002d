import { sql, type Kysely } from 'kysely';
import type { Database } from '../../db/database.js';
import type { Deps } from '../../deps.js';
import { sha256Hex } from '../../shared/crypto.js';
import { newId } from '../../shared/ids.js';
import { addDays, formatInstantWib, type LocalDate } from '../../shared/month.js';
import { ok, reject, type Result } from '../../shared/result.js';
import type { PaymentChannel } from '../payments/index.js';
import { compareSettlement, type ComparisonTotals, type Difference, type DifferenceKind, type RecordedPayment } from './domain/compare-settlement.js';
import {
  readSettlementFile,
  SETTLEMENT_FORMATS,
  sourceNamespace,
  type SettlementLineError,
  type SettlementSource,
  type SourceNamespace,
} from './settlement-file.js';
import { recordStaffAction } from '../audit/index.js';

/**
 * Reconciliation runs: a channel's settlement file for one settlement date compared with the payments we recorded
 * (the comparison itself is domain/compare-settlement.ts). A run is stored with its differences and is idempotent by
 * file: the same text for the same channel, source and date returns the first run — a snapshot of the comparison as
 * it was made; a corrected file (other text) makes a new run.
 */

export interface RunInput {
  channel: PaymentChannel;
  /** default: the channel's first source (SETTLEMENT_FORMATS) */
  source?: SettlementSource | undefined;
  settlementDate: LocalDate;
  csv: string;
}

export interface DifferenceView {
  kind: DifferenceKind;
  externalId: string;
  paymentCode: string;
  line: number | null;
  reference: string | null;
  fileAmount: number | null;
  transactionTime: string | null;
  paymentId: string | null;
  recordedAmount: number | null;
  paidAt: string | null;
  outcome: string | null;
  recordedChannel: string | null;
}

export interface RunReport {
  id: string;
  channel: PaymentChannel;
  source: SettlementSource;
  settlementDate: string;
  fileSha256: string;
  createdAt: string;
  createdBy: string;
  totals: ComparisonTotals & {
    missingPayment: { count: number; fileAmount: number };
    amountDiffers: { count: number; fileAmount: number; recordedAmount: number };
    notInFile: { count: number; recordedAmount: number };
  };
  differences: DifferenceView[];
}

export type CreateRunOutcome =
  | { kind: 'created' | 'existing'; report: RunReport }
  | { kind: 'invalid_file'; errors: SettlementLineError[]; errorCount: number };

/** Jakarta has no daylight saving: a WIB day is [00:00+07:00, next 00:00+07:00). */
function jakartaDay(date: LocalDate): { from: Date; to: Date } {
  return { from: new Date(`${date}T00:00:00+07:00`), to: new Date(`${addDays(date, 1)}T00:00:00+07:00`) };
}

const PAYMENT_COLUMNS = ['id', 'external_id', 'payment_code', 'amount', 'channel', 'paid_at', 'outcome'] as const;

function toRecorded(r: { id: string; external_id: string; payment_code: string; amount: number; channel: string; paid_at: Date; outcome: string }): RecordedPayment {
  return { id: r.id, externalId: r.external_id, paymentCode: r.payment_code, amount: Number(r.amount), channel: r.channel, paidAt: r.paid_at, outcome: r.outcome };
}

/** The payments a file accounts for: this channel, paid on the date (WIB), in the sender's externalId namespace. */
async function paymentsInScope(db: Kysely<Database>, channel: PaymentChannel, date: LocalDate, ns: SourceNamespace): Promise<RecordedPayment[]> {
  const day = jakartaDay(date);
  let q = db.selectFrom('payment').select(PAYMENT_COLUMNS).where('channel', '=', channel).where('paid_at', '>=', day.from).where('paid_at', '<', day.to);
  if ('prefix' in ns) {
    q = q.where(sql<boolean>`starts_with(external_id, ${ns.prefix})`);
  } else {
    for (const p of ns.notPrefixes) {
      q = q.where(sql<boolean>`not starts_with(external_id, ${p})`);
    }
  }
  return (await q.execute()).map(toRecorded);
}

async function paymentsByExternalId(db: Kysely<Database>, externalIds: readonly string[]): Promise<Map<string, RecordedPayment>> {
  const found = new Map<string, RecordedPayment>();
  for (let i = 0; i < externalIds.length; i += 1000) {
    const chunk = externalIds.slice(i, i + 1000);
    const rows = await db.selectFrom('payment').select(PAYMENT_COLUMNS).where('external_id', 'in', chunk).execute();
    for (const r of rows) {
      found.set(r.external_id, toRecorded(r));
    }
  }
  return found;
}

export function defaultSource(channel: PaymentChannel): SettlementSource {
  return SETTLEMENT_FORMATS[channel].sources[0];
}

/**
 * Reads the file, compares it and stores the run with its differences (one transaction, with the audit entry).
 * `invalid_request` when the source does not send this channel's files.
 */
export async function createReconciliationRun(deps: Deps, input: RunInput, actor: string): Promise<Result<CreateRunOutcome, 'invalid_request'>> {
  const format = SETTLEMENT_FORMATS[input.channel];
  const source = input.source ?? defaultSource(input.channel);
  if (!format.sources.includes(source)) {
    return reject('invalid_request', 'source', `${input.channel} settlement files come from: ${format.sources.join(', ')}`);
  }
  const psid = deps.config.channels.snap?.partnerServiceId ?? '';
  const read = readSettlementFile(input.csv, { channel: input.channel, source, settlementDate: input.settlementDate, snapPartnerServiceId: psid });
  if (!read.ok) {
    return ok({ kind: 'invalid_file', errors: read.errors, errorCount: read.errorCount });
  }
  const fileSha256 = sha256Hex(input.csv);
  const key = { channel: input.channel, source, settlementDate: input.settlementDate, fileSha256 };
  const existing = await findRunId(deps.db, key);
  if (existing) {
    return ok({ kind: 'existing', report: (await getReconciliationRun(deps, existing))! });
  }

  const inScope = await paymentsInScope(deps.db, input.channel, input.settlementDate, sourceNamespace(input.channel, source, psid));
  const known = await paymentsByExternalId(deps.db, read.rows.map((r) => r.externalId));
  const comparison = compareSettlement(input.channel, read.rows, known, inScope);
  const now = deps.clock.now();
  const runId = newId('rcn');
  const t = comparison.totals;
  const stored = await deps.db.transaction().execute(async (trx) => {
    const inserted = await trx
      .insertInto('reconciliation_run')
      .values({
        id: runId,
        channel: input.channel,
        source,
        settlement_date: input.settlementDate,
        file_sha256: fileSha256,
        file_text: input.csv,
        file_rows: t.fileRows,
        file_amount: t.fileAmount,
        recorded_count: t.recordedCount,
        recorded_amount: t.recordedAmount,
        matched_count: t.matchedCount,
        matched_amount: t.matchedAmount,
        created_by: actor,
        created_at: now,
      })
      .onConflict((oc) => oc.columns(['channel', 'source', 'settlement_date', 'file_sha256']).doNothing())
      .returning('id')
      .executeTakeFirst();
    if (!inserted) {
      return false; // the same file was stored by a concurrent request: that run stands
    }
    const rows = comparison.differences.map((d, seq) => differenceRow(runId, seq, d));
    for (let i = 0; i < rows.length; i += 500) {
      await trx.insertInto('reconciliation_difference').values(rows.slice(i, i + 500)).execute();
    }
    await recordStaffAction(trx, {
      actor,
      action: 'reconciliation_run.create',
      subject: runId,
      reason: null,
      detail: { ...key, fileRows: t.fileRows, differences: comparison.differences.length },
      after: { ...key, fileRows: t.fileRows, differences: comparison.differences.length },
      at: now,
    });
    return true;
  });
  const id = stored ? runId : await findRunId(deps.db, key);
  if (!id) {
    throw new Error('reconciliation run neither stored nor found');
  }
  deps.logger.info('reconciliation run', { runId: id, ...key, created: stored, differences: comparison.differences.length });
  return ok({ kind: stored ? 'created' : 'existing', report: (await getReconciliationRun(deps, id))! });
}

async function findRunId(db: Kysely<Database>, key: { channel: string; source: SettlementSource; settlementDate: string; fileSha256: string }): Promise<string | null> {
  const row = await db
    .selectFrom('reconciliation_run')
    .select('id')
    .where('channel', '=', key.channel)
    .where('source', '=', key.source)
    .where('settlement_date', '=', key.settlementDate)
    .where('file_sha256', '=', key.fileSha256)
    .executeTakeFirst();
  return row?.id ?? null;
}

function differenceRow(runId: string, seq: number, d: Difference) {
  return {
    run_id: runId,
    seq,
    kind: d.kind,
    external_id: d.externalId,
    payment_code: d.paymentCode,
    line: d.line,
    reference_no: d.reference,
    file_amount: d.fileAmount,
    transaction_time: d.transactionTime,
    payment_id: d.paymentId,
    recorded_amount: d.recordedAmount,
    paid_at: d.paidAt,
    outcome: d.outcome,
    recorded_channel: d.recordedChannel,
  };
}

const instant = (d: Date | null): string | null => (d ? formatInstantWib(d) : null);

export async function getReconciliationRun(deps: Deps, id: string): Promise<RunReport | null> {
  const run = await deps.db.selectFrom('reconciliation_run').selectAll().where('id', '=', id).executeTakeFirst();
  if (!run) {
    return null;
  }
  const diffs = await deps.db.selectFrom('reconciliation_difference').selectAll().where('run_id', '=', id).orderBy('seq').execute();
  const differences: DifferenceView[] = diffs.map((d) => ({
    kind: d.kind,
    externalId: d.external_id,
    paymentCode: d.payment_code,
    line: d.line,
    reference: d.reference_no,
    fileAmount: d.file_amount === null ? null : Number(d.file_amount),
    transactionTime: instant(d.transaction_time),
    paymentId: d.payment_id,
    recordedAmount: d.recorded_amount === null ? null : Number(d.recorded_amount),
    paidAt: instant(d.paid_at),
    outcome: d.outcome,
    recordedChannel: d.recorded_channel,
  }));
  const sum = (kind: DifferenceKind, side: 'fileAmount' | 'recordedAmount') =>
    differences.filter((d) => d.kind === kind).reduce((s, d) => s + (d[side] ?? 0), 0);
  const count = (kind: DifferenceKind) => differences.filter((d) => d.kind === kind).length;
  return {
    id: run.id,
    channel: run.channel as PaymentChannel,
    source: run.source,
    settlementDate: run.settlement_date,
    fileSha256: run.file_sha256,
    createdAt: formatInstantWib(run.created_at),
    createdBy: run.created_by,
    totals: {
      fileRows: run.file_rows,
      fileAmount: Number(run.file_amount),
      recordedCount: run.recorded_count,
      recordedAmount: Number(run.recorded_amount),
      matchedCount: run.matched_count,
      matchedAmount: Number(run.matched_amount),
      missingPayment: { count: count('missing_payment'), fileAmount: sum('missing_payment', 'fileAmount') },
      amountDiffers: { count: count('amount_differs'), fileAmount: sum('amount_differs', 'fileAmount'), recordedAmount: sum('amount_differs', 'recordedAmount') },
      notInFile: { count: count('not_in_file'), recordedAmount: sum('not_in_file', 'recordedAmount') },
    },
    differences,
  };
}
