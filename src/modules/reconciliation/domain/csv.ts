/**
 * A small, strict CSV reader (RFC 4180), written here because the project has no CSV library and a settlement file
 * needs nothing beyond the RFC:
 *
 * - fields are separated by `,` and records by CRLF; a bare LF is accepted as a record separator too (files saved on
 *   Linux), a bare CR is not (a line break of unknown intent);
 * - a field may be enclosed in double quotes; inside, `""` is one quote and commas and line breaks are data;
 * - a quote inside an unquoted field, anything but `,` or a line break after a closing quote, and a quoted field that
 *   never closes are errors, never guessed at;
 * - the last record may or may not end with a line break; a UTF-8 byte order mark at the very start is skipped.
 *
 * Fields are returned exactly as written (no trimming). Every record carries the physical line it starts on
 * (1-based) so that errors point at what a person sees in an editor. Pure: no I/O.
 */

export type CsvErrorCode = 'unexpected_quote' | 'text_after_quote' | 'unterminated_quote' | 'bare_carriage_return';

export interface CsvRecord {
  line: number;
  fields: string[];
}

export interface CsvError {
  line: number;
  code: CsvErrorCode;
}

export type CsvResult = { ok: true; records: CsvRecord[] } | { ok: false; error: CsvError };

/**
 * Reads the whole text. The first syntax error ends the reading (after a broken quote nothing that follows can be
 * trusted), so the result is either every record or that one error with its line.
 */
export function parseCsv(text: string): CsvResult {
  const records: CsvRecord[] = [];
  let i = text.charCodeAt(0) === 0xfeff ? 1 : 0;
  let line = 1;
  const n = text.length;
  if (i >= n) {
    return { ok: true, records };
  }
  let fields: string[] = [];
  let recordLine = line;
  for (;;) {
    // At the start of a field.
    let value = '';
    if (text[i] === '"') {
      const openedOn = line;
      i += 1;
      for (;;) {
        if (i >= n) {
          return { ok: false, error: { line: openedOn, code: 'unterminated_quote' } };
        }
        const ch = text[i];
        if (ch === '"') {
          if (text[i + 1] === '"') {
            value += '"';
            i += 2;
            continue;
          }
          i += 1;
          break;
        }
        if (ch === '\n') {
          line += 1;
        }
        value += ch;
        i += 1;
      }
      if (i < n && text[i] !== ',' && text[i] !== '\n' && text[i] !== '\r') {
        return { ok: false, error: { line, code: 'text_after_quote' } };
      }
    } else {
      const start = i;
      while (i < n && text[i] !== ',' && text[i] !== '\n' && text[i] !== '\r') {
        if (text[i] === '"') {
          return { ok: false, error: { line, code: 'unexpected_quote' } };
        }
        i += 1;
      }
      value = text.slice(start, i);
    }
    fields.push(value);
    // After a field: a separator, a line break or the end.
    if (i >= n) {
      records.push({ line: recordLine, fields });
      return { ok: true, records };
    }
    if (text[i] === ',') {
      i += 1;
      continue;
    }
    if (text[i] === '\r') {
      if (text[i + 1] !== '\n') {
        return { ok: false, error: { line, code: 'bare_carriage_return' } };
      }
      i += 1;
    }
    // text[i] is '\n'
    i += 1;
    line += 1;
    records.push({ line: recordLine, fields });
    if (i >= n) {
      return { ok: true, records };
    }
    fields = [];
    recordLine = line;
  }
}
