import { describe, expect, it } from 'vitest';
import { parseCsv } from '../../reconciliation/index.js';
import { batchFromCsv, batchFromJson, BATCH_COLUMNS } from './batch-input.js';

const HEADER = BATCH_COLUMNS.join(',');
const LINE = '3275011705900001,"Santoso, Budi",1990-05-17,M,081234567890,,"Jl. ""Merdeka"" 1",OJOL,JKT-SALEMBA,JKK;JKM;JHT,2000000,3';

function csv(text: string) {
  const r = parseCsv(text);
  if (!r.ok) {
    throw new Error(r.error.code);
  }
  return batchFromCsv(r.records);
}

describe('batch input', () => {
  it('CSV: the contract header, quoted fields, programs split on ;, numbers read', () => {
    const b = csv(`${HEADER}\r\n${LINE}\r\n`);
    expect(b).toEqual({
      ok: true,
      rows: [{ nik: '3275011705900001', fullName: 'Santoso, Budi', birthDate: '1990-05-17', gender: 'M', phone: '081234567890', email: '', address: 'Jl. "Merdeka" 1', occupationCode: 'OJOL', branchCode: 'JKT-SALEMBA', programs: ['JKK', 'JKM', 'JHT'], declaredIncome: 2_000_000, months: 3 }],
    });
  });

  it.each([
    ['another header', `nik,name\n${LINE}`, 'header'],
    ['no rows', `${HEADER}\n`, 'rows'],
    ['a short row', `${HEADER}\n1,2,3\n`, 'line 2'],
  ])('CSV refused whole: %s', (_n, text, field) => {
    expect(csv(text)).toMatchObject({ ok: false, error: { code: 'invalid_request', field } });
  });

  it('a bad number stays on its row (NaN, refused by the row check)', () => {
    const b = csv(`${HEADER}\n${LINE.replace('2000000', '2.000.000')}\n`);
    expect(b.ok && Number.isNaN(b.rows[0]?.declaredIncome)).toBe(true);
  });

  it('JSON rows', () => {
    expect(batchFromJson({ rows: [{ nik: '1', programs: ['JKK', 'JKM'], declaredIncome: 1_000_000, months: 1 }] })).toMatchObject({ ok: true, rows: [{ nik: '1', programs: ['JKK', 'JKM'], declaredIncome: 1_000_000, months: 1, email: '' }] });
    expect(batchFromJson({})).toMatchObject({ ok: false, error: { field: 'rows' } });
    expect(batchFromJson({ rows: [] })).toMatchObject({ ok: false, error: { field: 'rows' } });
  });
});
