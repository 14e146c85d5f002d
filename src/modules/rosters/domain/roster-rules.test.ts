import { describe, expect, it } from 'vitest';
import { parseCsv } from '../../reconciliation/index.js';
import { billsForPeriod, invoiceExpiresAt, invoiceId, invoiceMembersCsv, invoicePurpose, rosterJobId } from './roster-rules.js';
import { rosterUploadFromCsv } from './roster-upload.js';

describe('roster rules', () => {
  it.each([
    ['apbn', 'invoice'],
    ['apbd', 'invoice'],
    ['partner', 'roster'],
    ['sponsor', 'roster'],
  ])('a %s payer gets a %s bill', (funding, purpose) => {
    expect(invoicePurpose(funding)).toBe(purpose);
  });

  it.each([
    ['2026-12', '2026-12', true],
    ['2026-11', '2026-12', true],
    ['2027-01', '2026-12', false],
  ])('next unpaid %s, period %s → billed %s', (next, period, billed) => {
    expect(billsForPeriod(next, period)).toBe(billed);
  });

  it.each([
    ['2026-12', '2026-12-01T01:00:00Z', '2027-01-31T17:00:00.000Z'],
    ['2026-12', '2027-01-10T00:00:00Z', '2027-01-31T17:00:00.000Z'],
    ['2026-11', '2027-01-10T00:00:00Z', '2027-01-13T00:00:00.000Z'],
  ])('the %s invoice opened at %s expires at %s (end of the next month WIB, or 3 days on)', (period, now, expires) => {
    expect(invoiceExpiresAt(period, new Date(now)).toISOString()).toBe(expires);
  });

  it('ids are deterministic', () => {
    expect(invoiceId('ptr_1', '2026-12')).toBe('roster:ptr_1:2026-12');
    expect(rosterJobId('2026-12')).toBe('roster-bills:2026-12');
  });

  it('the members CSV quotes commas and neutralises formula-looking cells', () => {
    const csv = invoiceMembersCsv([
      { kpj: '123', fullName: 'SITI, AMINAH', months: ['2026-12'], amount: 16800, status: 'open' },
      { kpj: '456', fullName: '=HYPERLINK("x")', months: ['2026-11', '2026-12'], amount: 33600, status: 'paid' },
    ]);
    expect(csv).toBe('kpj,fullName,months,amount,status\r\n123,"SITI, AMINAH",2026-12,16800,open\r\n456,"\'=HYPERLINK(""x"")",2026-11;2026-12,33600,paid\r\n');
  });
});

describe('roster upload CSV', () => {
  const read = (text: string) => {
    const csv = parseCsv(text);
    if (!csv.ok) throw new Error('csv');
    return rosterUploadFromCsv(csv.records);
  };

  it('refuses a wrong header or no rows', () => {
    expect(read('kpj,nik\r\n1,2')).toMatchObject({ ok: false, field: 'header' });
    expect(read('nik,kpj,action\r\n')).toMatchObject({ ok: false, field: 'rows' });
  });

  it.each([
    [',12345678901,', { status: 'ok', action: 'join' }],
    [',12345678901,LEAVE', { status: 'ok', action: 'leave' }],
    [',,join', { code: 'invalid_request', field: 'nik' }],
    ['3174011501900001,12345678901,join', { code: 'invalid_request', field: 'kpj' }],
    [',12345678901,pause', { code: 'invalid_request', field: 'action' }],
    ['1234,,join', { code: 'invalid_nik', field: 'nik' }],
    [',abc,join', { code: 'unknown_participant', field: 'kpj' }],
  ])('row %s → %o', (line, expected) => {
    const r = read(`nik,kpj,action\r\n${line}`);
    if (!r.ok) throw new Error('header');
    if ('status' in expected) {
      expect(r.rows).toEqual([{ row: 1, nik: null, kpj: '12345678901', action: expected.action }]);
    } else {
      expect(r.rejected).toEqual([{ row: 1, status: 'rejected', ...expected }]);
    }
  });

  it('marks a repeated kpj as duplicate_in_batch', () => {
    const r = read('nik,kpj,action\r\n,12345678901,\r\n,12345678901,leave');
    expect(r).toMatchObject({ ok: true, rows: [{ row: 1 }], rejected: [{ row: 2, code: 'duplicate_in_batch', field: 'kpj' }] });
  });
});
