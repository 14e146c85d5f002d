import { isLocalDate, type LocalDate } from '../../shared/month.js';
import { genericExternalId, PAYMENT_CHANNELS, type PaymentChannel, externalIdOf, isCleanText, parseIsoInstant, parseJakartaLocalTime, parseRupiahString, qrisExternalId, vaExternalId } from '../payments/index.js';
import { parseCsv, type CsvErrorCode, type CsvRecord } from './domain/csv.js';

/**
 * Settlement files: one CSV layout per payment channel (docs/reconciliation.md has the specification and an example
 * of each), read strictly. Every layout has the same four core columns — the settlement date, the sender's
 * transaction reference, the amount in whole rupiah and the transaction time — plus the channel's own payment code
 * column (required) and one descriptive column (optional). Who sent the file (the `source`) decides how the reference
 * becomes our payment's externalId, with the same functions the channel adapters record payments under.
 */

/** Who collected the money and sent the file; each has its own externalId namespace in the payment table. */
export const SETTLEMENT_SOURCES = ['snap', 'midtrans', 'xendit', 'api'] as const;
export type SettlementSource = (typeof SETTLEMENT_SOURCES)[number];

export interface SettlementFormat {
  /** the exact header row, in order */
  header: readonly string[];
  /** the payment code / VA number column: required on every row */
  codeColumn: string;
  /** a descriptive column (issuer, outlet, …): may be empty */
  infoColumn: string;
  /** who may send this channel's file; the first is the default */
  sources: readonly [SettlementSource, ...SettlementSource[]];
}

const core = (code: string, info: string | null) =>
  ['settlement_date', 'reference_no', code, ...(info ? [info] : []), 'amount', 'transaction_time'] as const;

export const SETTLEMENT_FORMATS: Record<PaymentChannel, SettlementFormat> = {
  va: { header: core('virtual_account_no', 'bank'), codeColumn: 'virtual_account_no', infoColumn: 'bank', sources: ['snap', 'midtrans', 'api'] },
  qris: { header: core('bill_number', 'issuer'), codeColumn: 'bill_number', infoColumn: 'issuer', sources: ['snap', 'midtrans', 'api'] },
  ewallet: { header: core('payment_code', 'ewallet'), codeColumn: 'payment_code', infoColumn: 'ewallet', sources: ['xendit', 'midtrans', 'api'] },
  retail: { header: core('payment_code', 'outlet'), codeColumn: 'payment_code', infoColumn: 'outlet', sources: ['xendit', 'midtrans', 'api'] },
  counter: { header: core('payment_code', 'teller_id'), codeColumn: 'payment_code', infoColumn: 'teller_id', sources: ['api'] },
  autodebit: { header: core('payment_code', 'account_masked'), codeColumn: 'payment_code', infoColumn: 'account_masked', sources: ['api'] },
};

export function isPaymentChannel(value: string): value is PaymentChannel {
  return (PAYMENT_CHANNELS as readonly string[]).includes(value);
}

/**
 * The externalId a payment from `source` on `channel` is recorded under, for the sender's reference — the same
 * functions the adapters use: BI-SNAP VA `snap:<partnerServiceId>:<paymentRequestId>`, BI-SNAP QRIS
 * `qris:<originalReferenceNo>`, `midtrans:<transaction_id>`, `xendit:<id>`, and the generic API's id as given (escaped
 * with `api:` when it starts with a provider's prefix: genericExternalId).
 */
export function externalIdForReference(channel: PaymentChannel, source: SettlementSource, reference: string, snapPartnerServiceId: string): string {
  switch (source) {
    case 'snap':
      return channel === 'qris' ? qrisExternalId(reference) : vaExternalId(snapPartnerServiceId, reference);
    case 'midtrans':
    case 'xendit':
      return externalIdOf(source, reference);
    case 'api':
      return genericExternalId(reference);
  }
}

/** The externalId prefixes of the provider namespaces; the generic API's payments are the ones without any of them. */
export function providerPrefixes(snapPartnerServiceId: string): string[] {
  return [vaExternalId(snapPartnerServiceId, ''), qrisExternalId(''), externalIdOf('midtrans', ''), externalIdOf('xendit', '')];
}

/** Which recorded payments a file from `source` accounts for: externalId starting with `prefix`, or (api) none of `notPrefixes`. */
export type SourceNamespace = { prefix: string } | { notPrefixes: string[] };

export function sourceNamespace(channel: PaymentChannel, source: SettlementSource, snapPartnerServiceId: string): SourceNamespace {
  return source === 'api' ? { notPrefixes: providerPrefixes(snapPartnerServiceId) } : { prefix: externalIdForReference(channel, source, '', snapPartnerServiceId) };
}

export type SettlementLineErrorCode =
  | CsvErrorCode
  | 'empty_file'
  | 'wrong_header'
  | 'blank_line'
  | 'wrong_column_count'
  | 'missing_value'
  | 'invalid_settlement_date'
  | 'settlement_date_mismatch'
  | 'invalid_reference'
  | 'invalid_payment_code'
  | 'invalid_text'
  | 'invalid_amount'
  | 'invalid_transaction_time'
  | 'duplicate_reference'
  | 'too_many_rows';

export interface SettlementLineError {
  line: number;
  code: SettlementLineErrorCode;
  column?: string;
  /** what was expected (the header, a column count, the first line of a duplicate), for the message */
  expected?: string;
}

export interface SettlementRow {
  line: number;
  reference: string;
  externalId: string;
  paymentCode: string;
  info: string;
  amount: number;
  transactionTime: Date;
}

export const SETTLEMENT_FILE_LIMITS = {
  /** characters of CSV text accepted in one request (about 40 000 rows of a typical layout) */
  maxChars: 5_000_000,
  maxRows: 50_000,
  /** line errors listed in one answer; the count says how many there were in all */
  maxErrorsListed: 100,
} as const;

export type SettlementFileResult = { ok: true; rows: SettlementRow[] } | { ok: false; errors: SettlementLineError[]; errorCount: number };

function readTime(value: string): Date | null {
  const parsed = value.includes('T') ? parseIsoInstant(value) : parseJakartaLocalTime(value);
  return parsed.ok ? parsed.value : null;
}

/** Printable text without control characters or surrounding spaces (a stray space would silently change a key). */
function isStrictText(value: string, max: number): boolean {
  return isCleanText(value, max) && value.trim() === value;
}

type SettlementFileInput = { channel: PaymentChannel; source: SettlementSource; settlementDate: LocalDate; snapPartnerServiceId: string };
type RowProblem = Omit<SettlementLineError, 'line'>;
/** Where each column stands in the channel's header. */
type ColumnIndex = Record<'date' | 'reference' | 'code' | 'info' | 'amount' | 'time', number>;

function fileError(line: number, code: SettlementLineErrorCode, expected: string): SettlementFileResult {
  return { ok: false, errors: [{ line, code, expected }], errorCount: 1 };
}

/** The header row must be the channel's, and the body within the row limit; otherwise the one error for the file. */
function checkFileShape(records: CsvRecord[], format: SettlementFormat): SettlementFileResult | null {
  const [head, ...body] = records;
  if (!head || (head.fields.length === 1 && head.fields[0] === '')) {
    return fileError(1, 'empty_file', format.header.join(','));
  }
  if (head.fields.length !== format.header.length || head.fields.some((f, i) => f !== format.header[i])) {
    return fileError(head.line, 'wrong_header', format.header.join(','));
  }
  if (body.length > SETTLEMENT_FILE_LIMITS.maxRows) {
    return fileError(body[SETTLEMENT_FILE_LIMITS.maxRows]!.line, 'too_many_rows', String(SETTLEMENT_FILE_LIMITS.maxRows));
  }
  return null;
}

function columnIndex(format: SettlementFormat): ColumnIndex {
  const column = (name: string) => format.header.indexOf(name);
  return {
    date: column('settlement_date'),
    reference: column('reference_no'),
    code: column(format.codeColumn),
    info: column(format.infoColumn),
    amount: column('amount'),
    time: column('transaction_time'),
  };
}

function problem(code: SettlementLineErrorCode, column?: string, expected?: string): RowProblem {
  return { code, ...(column ? { column } : {}), ...(expected ? { expected } : {}) };
}

/** The cells present: no blank line, the header's column count, every required value. */
function checkCells(f: string[], format: SettlementFormat): RowProblem | null {
  if (f.length === 1 && f[0] === '') {
    return problem('blank_line');
  }
  if (f.length !== format.header.length) {
    return problem('wrong_column_count', undefined, String(format.header.length));
  }
  const missing = format.header.find((name, i) => name !== format.infoColumn && f[i] === '');
  return missing ? problem('missing_value', missing) : null;
}

/** The settlement date, the reference, the payment code and the descriptive text of a row, or its first problem. */
function checkTexts(f: string[], at: ColumnIndex, format: SettlementFormat, input: SettlementFileInput): RowProblem | null {
  const date = f[at.date]!;
  if (!isLocalDate(date)) {
    return problem('invalid_settlement_date', 'settlement_date');
  }
  if (date !== input.settlementDate) {
    return problem('settlement_date_mismatch', 'settlement_date', input.settlementDate);
  }
  if (!isStrictText(f[at.reference]!, 128)) {
    return problem('invalid_reference', 'reference_no');
  }
  if (!isStrictText(f[at.code]!, 64)) {
    return problem('invalid_payment_code', format.codeColumn);
  }
  const info = f[at.info]!;
  return info !== '' && !isStrictText(info, 64) ? problem('invalid_text', format.infoColumn) : null;
}

/** One body row as a settlement row (without the duplicate check), or the first problem on it. */
function readRow(record: CsvRecord, at: ColumnIndex, format: SettlementFormat, input: SettlementFileInput): SettlementRow | RowProblem {
  const f = record.fields;
  const bad = checkCells(f, format) ?? checkTexts(f, at, format, input);
  if (bad) {
    return bad;
  }
  const amount = parseRupiahString(f[at.amount]!);
  if (!amount.ok) {
    return problem('invalid_amount', 'amount');
  }
  const transactionTime = readTime(f[at.time]!);
  if (!transactionTime) {
    return problem('invalid_transaction_time', 'transaction_time');
  }
  const reference = f[at.reference]!;
  const externalId = externalIdForReference(input.channel, input.source, reference, input.snapPartnerServiceId);
  return { line: record.line, reference, externalId, paymentCode: f[at.code]!, info: f[at.info]!, amount: amount.value, transactionTime };
}

/**
 * Reads a channel's settlement file for one settlement date. Either every row is valid and returned, or the errors
 * are: one per bad line (the first problem on it), in line order, each with a stable code. Pure.
 */
export function readSettlementFile(text: string, input: SettlementFileInput): SettlementFileResult {
  const format = SETTLEMENT_FORMATS[input.channel];
  const parsed = parseCsv(text);
  if (!parsed.ok) {
    return { ok: false, errors: [{ line: parsed.error.line, code: parsed.error.code }], errorCount: 1 };
  }
  const refused = checkFileShape(parsed.records, format);
  if (refused) {
    return refused;
  }
  const at = columnIndex(format);
  const errors: SettlementLineError[] = [];
  const rows: SettlementRow[] = [];
  const firstLineOf = new Map<string, number>();
  for (const record of parsed.records.slice(1)) {
    const row = readRow(record, at, format, input);
    if ('code' in row) {
      errors.push({ line: record.line, ...row });
      continue;
    }
    const first = firstLineOf.get(row.externalId);
    if (first !== undefined) {
      errors.push({ line: record.line, ...problem('duplicate_reference', 'reference_no', String(first)) });
      continue;
    }
    firstLineOf.set(row.externalId, record.line);
    rows.push(row);
  }
  if (errors.length > 0) {
    return { ok: false, errors: errors.slice(0, SETTLEMENT_FILE_LIMITS.maxErrorsListed), errorCount: errors.length };
  }
  return { ok: true, rows };
}
