import { describe, expect, it } from 'vitest';
import { parseCsv } from './csv.js';

const fields = (text: string) => {
  const r = parseCsv(text);
  if (!r.ok) {
    throw new Error(`unexpected error ${JSON.stringify(r.error)}`);
  }
  return r.records.map((x) => x.fields);
};
const lines = (text: string) => {
  const r = parseCsv(text);
  if (!r.ok) {
    throw new Error(`unexpected error ${JSON.stringify(r.error)}`);
  }
  return r.records.map((x) => x.line);
};

describe('parseCsv (RFC 4180, strict)', () => {
  it('reads CRLF and LF records, with or without a final line break', () => {
    expect(fields('a,b\r\nc,d\r\n')).toEqual([['a', 'b'], ['c', 'd']]);
    expect(fields('a,b\r\nc,d')).toEqual([['a', 'b'], ['c', 'd']]);
    expect(fields('a,b\nc,d\n')).toEqual([['a', 'b'], ['c', 'd']]);
    expect(fields('a,b\r\nc,d\ne,f')).toEqual([['a', 'b'], ['c', 'd'], ['e', 'f']]);
  });

  it('keeps empty fields and spaces exactly as written', () => {
    expect(fields('a,,c\n,,\n')).toEqual([['a', '', 'c'], ['', '', '']]);
    expect(fields(' a , b \n')).toEqual([[' a ', ' b ']]);
  });

  it('reads quoted fields: commas, doubled quotes and line breaks inside are data', () => {
    expect(fields('"a,b","say ""hi""",c\r\n')).toEqual([['a,b', 'say "hi"', 'c']]);
    expect(fields('"line 1\r\nline 2",x\r\ny,z')).toEqual([['line 1\r\nline 2', 'x'], ['y', 'z']]);
    expect(fields('"",""\n')).toEqual([['', '']]);
    expect(fields('"a"')).toEqual([['a']]);
  });

  it('numbers each record by the physical line it starts on', () => {
    expect(lines('h\r\n"two\r\nlines"\r\nx\r\n')).toEqual([1, 2, 4]);
    expect(lines('a\n\nb\n')).toEqual([1, 2, 3]);
  });

  it('skips a UTF-8 byte order mark at the start only', () => {
    expect(fields('\uFEFFa,b\n')).toEqual([['a', 'b']]);
    expect(fields('a,\uFEFFb\n')).toEqual([['a', '\uFEFFb']]);
  });

  it('an empty text has no records; a blank line is a record of one empty field', () => {
    expect(fields('')).toEqual([]);
    expect(fields('\uFEFF')).toEqual([]);
    expect(fields('a\n\nb')).toEqual([['a'], [''], ['b']]);
  });

  it('refuses a quote inside an unquoted field, with its line', () => {
    expect(parseCsv('a,b\nc,d"e\n')).toEqual({ ok: false, error: { line: 2, code: 'unexpected_quote' } });
    expect(parseCsv('a,b\nc,"d"e\n')).toEqual({ ok: false, error: { line: 2, code: 'text_after_quote' } });
    expect(parseCsv('a,b\nc,"d" \n')).toEqual({ ok: false, error: { line: 2, code: 'text_after_quote' } });
  });

  it('refuses a quoted field that never closes, naming the line it opened on', () => {
    expect(parseCsv('a,b\nc,"d\ne,f\n')).toEqual({ ok: false, error: { line: 2, code: 'unterminated_quote' } });
    expect(parseCsv('"')).toEqual({ ok: false, error: { line: 1, code: 'unterminated_quote' } });
  });

  it('refuses a bare CR', () => {
    expect(parseCsv('a,b\rc,d\n')).toEqual({ ok: false, error: { line: 1, code: 'bare_carriage_return' } });
    expect(parseCsv('a,b\n"x"\r')).toEqual({ ok: false, error: { line: 2, code: 'bare_carriage_return' } });
  });
});
