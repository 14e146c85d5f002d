import type { CsvRecord } from '../../reconciliation/index.js';
import { validateNik } from '../../identity/index.js';

/**
 * A government payer's roster upload (issue 17 item 3), pure parts: the CSV `nik,kpj,action` (one of nik/kpj per
 * row; action `join` — the default when empty — or `leave`) and the per-row checks that need no database, with the
 * same codes as an enrolment batch (invalid_nik, duplicate_in_batch, invalid_request for a malformed row).
 */
export const ROSTER_COLUMNS = ['nik', 'kpj', 'action'] as const;
/** Rows per upload (the issue: rosters of up to 100,000 workers); more: roster_too_large. */
export const ROSTER_ROWS_MAX = 100_000;

export interface RosterUploadRow {
  row: number;
  nik: string | null;
  kpj: string | null;
  action: 'join' | 'leave';
}

export interface RosterRowResult {
  row: number;
  status: 'accepted' | 'rejected';
  code?: string;
  field?: string;
  kpj?: string;
}

export type RosterUploadInput = { ok: true; rows: RosterUploadRow[]; rejected: RosterRowResult[] } | { ok: false; code: 'invalid_request' | 'roster_too_large'; field: string; detail: string };

/** Reads the CSV records: the rows to look up, and those already rejected by a format check. */
export function rosterUploadFromCsv(records: readonly CsvRecord[]): RosterUploadInput {
  const [header, ...data] = records;
  if (!header || header.fields.map((f) => f.trim()).join(',') !== ROSTER_COLUMNS.join(',')) {
    return { ok: false, code: 'invalid_request', field: 'header', detail: `the header row must be ${ROSTER_COLUMNS.join(',')}` };
  }
  const lines = data.filter((r) => !(r.fields.length === 1 && r.fields[0] === ''));
  if (lines.length === 0 || lines.length > ROSTER_ROWS_MAX) {
    return { ok: false, code: lines.length === 0 ? 'invalid_request' : 'roster_too_large', field: 'rows', detail: `1 to ${ROSTER_ROWS_MAX} rows` };
  }
  const rows: RosterUploadRow[] = [];
  const rejected: RosterRowResult[] = [];
  const seen = new Set<string>();
  lines.forEach((r, i) => {
    const row = i + 1;
    const [nikRaw = '', kpjRaw = '', actionRaw = ''] = r.fields.map((f) => f.trim());
    const action = actionRaw === '' ? 'join' : actionRaw.toLowerCase();
    const reject = (code: string, field: string) => rejected.push({ row, status: 'rejected', code, field });
    if (r.fields.length !== ROSTER_COLUMNS.length || (nikRaw === '') === (kpjRaw === '')) {
      reject('invalid_request', nikRaw === '' && kpjRaw === '' ? 'nik' : 'kpj');
    } else if (action !== 'join' && action !== 'leave') {
      reject('invalid_request', 'action');
    } else if (nikRaw !== '' && !validateNik(nikRaw).ok) {
      reject('invalid_nik', 'nik');
    } else if (kpjRaw !== '' && !/^\d{6,20}$/.test(kpjRaw)) {
      reject('unknown_participant', 'kpj');
    } else {
      const key = nikRaw !== '' ? `n:${nikRaw}` : `k:${kpjRaw}`;
      if (seen.has(key)) {
        reject('duplicate_in_batch', nikRaw !== '' ? 'nik' : 'kpj');
      } else {
        seen.add(key);
        rows.push({ row, nik: nikRaw || null, kpj: kpjRaw || null, action });
      }
    }
  });
  return { ok: true, rows, rejected };
}
