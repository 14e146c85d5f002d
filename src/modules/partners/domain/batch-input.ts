import type { EnrolmentRow } from '../../registration/index.js';
import type { CsvRecord } from '../../reconciliation/index.js';

/**
 * An enrolment batch as a partner sends it (api-contract "Partners, sponsors and government payers"): CSV with this
 * exact header row, `programs` as `JKK;JKM;JHT`, or JSON `{ rows: [ … ] }` with the same names. Pure. A value of the
 * wrong type is kept as text and refused on its row (invalid_request naming the column), never for the whole batch;
 * the whole batch is refused only when it cannot be read as rows at all.
 */
export const BATCH_COLUMNS = ['nik', 'fullName', 'birthDate', 'gender', 'phone', 'email', 'address', 'occupationCode', 'branchCode', 'programs', 'declaredIncome', 'months'] as const;
export const BATCH_ROWS_MAX = 100_000;

export type BatchInputError = { code: 'invalid_request'; field: string; detail: string };
export type BatchInput = { ok: true; rows: EnrolmentRow[] } | { ok: false; error: BatchInputError };

const text = (v: unknown): string => (typeof v === 'string' ? v : typeof v === 'number' ? String(v) : '');

/** A number from JSON (an integer) or CSV (digits only); NaN otherwise, which the row check refuses. */
function integer(v: unknown): number {
  if (typeof v === 'number') {
    return Number.isInteger(v) ? v : Number.NaN;
  }
  return typeof v === 'string' && /^\d{1,15}$/.test(v.trim()) ? Number(v.trim()) : Number.NaN;
}

function programs(v: unknown): string[] {
  if (Array.isArray(v)) {
    return v.map(text);
  }
  return typeof v === 'string' ? v.split(';').map((p) => p.trim()) : [];
}

export function rowFrom(raw: Record<string, unknown>): EnrolmentRow {
  return {
    nik: text(raw['nik']).trim(),
    fullName: text(raw['fullName']),
    birthDate: text(raw['birthDate']).trim(),
    gender: text(raw['gender']).trim(),
    phone: text(raw['phone']),
    email: text(raw['email']),
    address: text(raw['address']),
    occupationCode: text(raw['occupationCode']).trim(),
    branchCode: text(raw['branchCode']).trim(),
    programs: programs(raw['programs']),
    declaredIncome: integer(raw['declaredIncome']),
    months: integer(raw['months']),
  };
}

function tooMany(count: number): BatchInput | null {
  if (count === 0) {
    return { ok: false, error: { code: 'invalid_request', field: 'rows', detail: 'a batch needs at least one row' } };
  }
  return count > BATCH_ROWS_MAX ? { ok: false, error: { code: 'invalid_request', field: 'rows', detail: `at most ${BATCH_ROWS_MAX} rows per batch` } } : null;
}

/** CSV: the records of a strict RFC 4180 reading (reconciliation's reader); the header must be exactly BATCH_COLUMNS. */
export function batchFromCsv(records: readonly CsvRecord[]): BatchInput {
  const [header, ...data] = records;
  if (!header || header.fields.join(',') !== BATCH_COLUMNS.join(',')) {
    return { ok: false, error: { code: 'invalid_request', field: 'header', detail: `the header row must be ${BATCH_COLUMNS.join(',')}` } };
  }
  // A blank last line is not a row.
  const rows = data.filter((r) => !(r.fields.length === 1 && r.fields[0] === ''));
  const bad = tooMany(rows.length);
  if (bad) {
    return bad;
  }
  const wrong = rows.find((r) => r.fields.length !== BATCH_COLUMNS.length);
  if (wrong) {
    return { ok: false, error: { code: 'invalid_request', field: `line ${wrong.line}`, detail: `each row has ${BATCH_COLUMNS.length} fields` } };
  }
  return { ok: true, rows: rows.map((r) => rowFrom(Object.fromEntries(BATCH_COLUMNS.map((c, i) => [c, r.fields[i]])))) };
}

export function batchFromJson(body: unknown): BatchInput {
  const rows = (body as { rows?: unknown } | null)?.rows;
  if (!Array.isArray(rows)) {
    return { ok: false, error: { code: 'invalid_request', field: 'rows', detail: 'expected { "rows": [ … ] }' } };
  }
  const bad = tooMany(rows.length);
  if (bad) {
    return bad;
  }
  return { ok: true, rows: rows.map((r) => rowFrom(r !== null && typeof r === 'object' ? (r as Record<string, unknown>) : {})) };
}
