import { describe, expect, it } from 'vitest';
import { PAYMENT_CHANNELS, type PaymentChannel } from '../payments/apply-payment.js';
import { externalIdForReference, readSettlementFile, SETTLEMENT_FILE_LIMITS, SETTLEMENT_FORMATS, sourceNamespace, type SettlementSource } from './settlement-file.js';

const PSID = '   88899';
const DATE = '2026-11-22';
const read = (text: string, channel: PaymentChannel = 'counter', source: SettlementSource = 'api', settlementDate = DATE) =>
  readSettlementFile(text, { channel, source, settlementDate, snapPartnerServiceId: PSID });

const COUNTER_HEADER = 'settlement_date,reference_no,payment_code,teller_id,amount,transaction_time';

function errorsOf(text: string, channel?: PaymentChannel, source?: SettlementSource) {
  const r = read(text, channel, source);
  if (r.ok) {
    throw new Error('expected errors');
  }
  return r.errors.map((e) => ({ line: e.line, code: e.code, ...(e.column ? { column: e.column } : {}) }));
}

describe('settlement file formats', () => {
  it('one header per channel, each with the four core columns, its code column and one descriptive column', () => {
    expect(Object.keys(SETTLEMENT_FORMATS).sort()).toEqual([...PAYMENT_CHANNELS].sort());
    expect(SETTLEMENT_FORMATS.va.header.join(',')).toBe('settlement_date,reference_no,virtual_account_no,bank,amount,transaction_time');
    expect(SETTLEMENT_FORMATS.qris.header.join(',')).toBe('settlement_date,reference_no,bill_number,issuer,amount,transaction_time');
    expect(SETTLEMENT_FORMATS.ewallet.header.join(',')).toBe('settlement_date,reference_no,payment_code,ewallet,amount,transaction_time');
    expect(SETTLEMENT_FORMATS.retail.header.join(',')).toBe('settlement_date,reference_no,payment_code,outlet,amount,transaction_time');
    expect(SETTLEMENT_FORMATS.counter.header.join(',')).toBe(COUNTER_HEADER);
    expect(SETTLEMENT_FORMATS.autodebit.header.join(',')).toBe('settlement_date,reference_no,payment_code,account_masked,amount,transaction_time');
  });

  it('maps each sender reference to the externalId the adapters record', () => {
    expect(externalIdForReference('va', 'snap', 'PRQ-1', PSID)).toBe('snap:88899:PRQ-1');
    expect(externalIdForReference('qris', 'snap', 'A123', PSID)).toBe('qris:A123');
    expect(externalIdForReference('va', 'midtrans', '9aed5972', PSID)).toBe('midtrans:9aed5972');
    expect(externalIdForReference('ewallet', 'xendit', 'ewc_1', PSID)).toBe('xendit:ewc_1');
    expect(externalIdForReference('counter', 'api', 'POS-77', PSID)).toBe('POS-77');
    // the generic API's own namespace: an id that looks like a provider's is recorded (and matched) escaped
    expect(externalIdForReference('counter', 'api', 'midtrans:9aed5972', PSID)).toBe('api:midtrans:9aed5972');
    expect(externalIdForReference('counter', 'api', 'api:x', PSID)).toBe('api:api:x');
    expect(sourceNamespace('va', 'snap', PSID)).toEqual({ prefix: 'snap:88899:' });
    expect(sourceNamespace('counter', 'api', PSID)).toEqual({ notPrefixes: ['snap:88899:', 'qris:', 'midtrans:', 'xendit:'] });
  });
});

describe('readSettlementFile', () => {
  it('reads a valid file: amounts in whole rupiah, WIB wall-clock or ISO times, quoted fields, CRLF', () => {
    const text = [
      COUNTER_HEADER,
      '2026-11-22,POS-1,8123456789012345,T01,16800,2026-11-22 10:00:00',
      '2026-11-22,"POS,2",8123456789012346,,66800.00,2026-11-22T03:05:00Z',
      '2026-11-22,POS-3,8123456789012347,"Loket ""A""",8400,2026-11-22T23:59:59+07:00',
    ].join('\r\n');
    const r = read(text);
    expect(r).toEqual({
      ok: true,
      rows: [
        { line: 2, reference: 'POS-1', externalId: 'POS-1', paymentCode: '8123456789012345', info: 'T01', amount: 16800, transactionTime: new Date('2026-11-22T03:00:00Z') },
        { line: 3, reference: 'POS,2', externalId: 'POS,2', paymentCode: '8123456789012346', info: '', amount: 66800, transactionTime: new Date('2026-11-22T03:05:00Z') },
        { line: 4, reference: 'POS-3', externalId: 'POS-3', paymentCode: '8123456789012347', info: 'Loket "A"', amount: 8400, transactionTime: new Date('2026-11-22T16:59:59Z') },
      ],
    });
  });

  it('a file with only its header is valid and empty (a day without transactions)', () => {
    expect(read(`${COUNTER_HEADER}\r\n`)).toEqual({ ok: true, rows: [] });
    expect(read(COUNTER_HEADER)).toEqual({ ok: true, rows: [] });
  });

  it('refuses an empty file and a wrong header, saying which header is expected', () => {
    for (const text of ['', '\r\n']) {
      const r = read(text);
      expect(r.ok ? null : r.errors).toEqual([{ line: 1, code: 'empty_file', expected: COUNTER_HEADER }]);
    }
    for (const header of [
      'settlement_date,reference_no,payment_code,amount,transaction_time',
      'Settlement_Date,reference_no,payment_code,teller_id,amount,transaction_time',
      'settlement_date,reference_no,payment_code,teller_id,transaction_time,amount',
      `${COUNTER_HEADER},extra`,
      'settlement_date,reference_no,virtual_account_no,bank,amount,transaction_time',
    ]) {
      const r = read(`${header}\r\n2026-11-22,POS-1,8123456789012345,T01,16800,2026-11-22 10:00:00\r\n`);
      expect(r.ok ? null : r.errors, header).toEqual([{ line: 1, code: 'wrong_header', expected: COUNTER_HEADER }]);
    }
  });

  it('refuses bad numbers: separators, Rp, signs, fractions, exponents, spaces, zero', () => {
    const bad = ['16.800', '"16,800"', 'Rp16800', '-16800', '+16800', '16800.50', '1e5', ' 16800', '16800 ', '0', '016800', '', 'abc', '100000000001'];
    const text = [COUNTER_HEADER, ...bad.map((a, i) => `2026-11-22,POS-${i},8123456789012345,T01,${a},2026-11-22 10:00:00`)].join('\r\n');
    expect(errorsOf(text)).toEqual(
      bad.map((a, i) => ({ line: i + 2, code: a === '' ? 'missing_value' : 'invalid_amount', column: 'amount' })),
    );
  });

  it('refuses bad dates and times, and rows of another settlement date', () => {
    const text = [
      COUNTER_HEADER,
      '2026-11-31,POS-1,8123456789012345,T01,16800,2026-11-22 10:00:00',
      '22/11/2026,POS-2,8123456789012345,T01,16800,2026-11-22 10:00:00',
      '2026-11-21,POS-3,8123456789012345,T01,16800,2026-11-21 10:00:00',
      '2026-11-22,POS-4,8123456789012345,T01,16800,2026-11-22 24:00:00',
      '2026-11-22,POS-5,8123456789012345,T01,16800,2026-11-22T10:00:00',
      '2026-11-22,POS-6,8123456789012345,T01,16800,22-11-2026 10:00',
    ].join('\r\n');
    expect(errorsOf(text)).toEqual([
      { line: 2, code: 'invalid_settlement_date', column: 'settlement_date' },
      { line: 3, code: 'invalid_settlement_date', column: 'settlement_date' },
      { line: 4, code: 'settlement_date_mismatch', column: 'settlement_date' },
      { line: 5, code: 'invalid_transaction_time', column: 'transaction_time' },
      { line: 6, code: 'invalid_transaction_time', column: 'transaction_time' },
      { line: 7, code: 'invalid_transaction_time', column: 'transaction_time' },
    ]);
  });

  it('refuses wrong column counts, blank lines, missing values, padded references and duplicates — one error per line', () => {
    const text = [
      COUNTER_HEADER,
      '2026-11-22,POS-1,8123456789012345,T01,16800',
      '',
      '2026-11-22,,8123456789012345,T01,16800,2026-11-22 10:00:00',
      '2026-11-22,POS-2,,T01,16800,2026-11-22 10:00:00',
      '2026-11-22, POS-3,8123456789012345,T01,16800,2026-11-22 10:00:00',
      '2026-11-22,POS-4,8123456789012345,T01,16800,2026-11-22 10:00:00',
      '2026-11-22,POS-4,8123456789012345,T01,16800,2026-11-22 10:00:00',
      '2026-11-22,POS-5,8123456789012345,"T\u000701",16800,2026-11-22 10:00:00',
      '2026-11-22,POS-6,8123456789012345,T01,16800,2026-11-22 10:00:00,',
    ].join('\n');
    const r = read(text);
    expect(r.ok).toBe(false);
    expect(r.ok ? null : r.errors).toEqual([
      { line: 2, code: 'wrong_column_count', expected: '6' },
      { line: 3, code: 'blank_line' },
      { line: 4, code: 'missing_value', column: 'reference_no' },
      { line: 5, code: 'missing_value', column: 'payment_code' },
      { line: 6, code: 'invalid_reference', column: 'reference_no' },
      { line: 8, code: 'duplicate_reference', column: 'reference_no', expected: '7' },
      { line: 9, code: 'invalid_text', column: 'teller_id' },
      { line: 10, code: 'wrong_column_count', expected: '6' },
    ]);
  });

  it('reports a CSV syntax error with its line, and nothing after it', () => {
    const text = [COUNTER_HEADER, '2026-11-22,POS-1,8123456789012345,T01,16800,2026-11-22 10:00:00', '2026-11-22,"POS-2,8123456789012345,T01,16800,2026-11-22 10:00:00'].join('\r\n');
    expect(read(text)).toEqual({ ok: false, errors: [{ line: 3, code: 'unterminated_quote' }], errorCount: 1 });
    expect(read(`${COUNTER_HEADER}\r\n2026-11-22,PO"S-1,x,T01,16800,2026-11-22 10:00:00`)).toEqual({ ok: false, errors: [{ line: 2, code: 'unexpected_quote' }], errorCount: 1 });
  });

  it('lists at most 100 line errors and counts them all', () => {
    const rows = Array.from({ length: 150 }, (_, i) => `2026-11-22,POS-${i},8123456789012345,T01,x,2026-11-22 10:00:00`);
    const r = read([COUNTER_HEADER, ...rows].join('\n'));
    expect(r.ok).toBe(false);
    if (!r.ok) {
      expect(r.errors).toHaveLength(SETTLEMENT_FILE_LIMITS.maxErrorsListed);
      expect(r.errorCount).toBe(150);
      expect(r.errors[99]).toEqual({ line: 101, code: 'invalid_amount', column: 'amount' });
    }
  });

  it('refuses more rows than the limit', () => {
    const row = '2026-11-22,R,8123456789012345,T01,16800,2026-11-22 10:00:00';
    const text = [COUNTER_HEADER, ...Array.from({ length: SETTLEMENT_FILE_LIMITS.maxRows + 1 }, () => row)].join('\n');
    expect(read(text)).toEqual({ ok: false, errors: [{ line: SETTLEMENT_FILE_LIMITS.maxRows + 2, code: 'too_many_rows', expected: String(SETTLEMENT_FILE_LIMITS.maxRows) }], errorCount: 1 });
  });

  it('a VA file: the reference becomes the SNAP externalId; the VA number is written without padding spaces', () => {
    const header = SETTLEMENT_FORMATS.va.header.join(',');
    const ok = read([header, '2026-11-22,PRQ-1,8889910000000017,BCA,16800,2026-11-22 10:00:00'].join('\n'), 'va', 'snap');
    expect(ok.ok && ok.rows.map((r) => [r.externalId, r.paymentCode, r.info])).toEqual([['snap:88899:PRQ-1', '8889910000000017', 'BCA']]);
    const text = [
      header,
      '2026-11-22,PRQ-1,   8889910000000017,BCA,16800,2026-11-22 10:00:00',
      '2026-11-22,PRQ-2,8889910000000017,BCA,16800,2026-11-22 10:00:00',
      '2026-11-22,PRQ-2,8889910000000017,BCA,16800,2026-11-22 10:01:00',
    ].join('\n');
    expect(errorsOf(text, 'va', 'snap')).toEqual([
      { line: 2, code: 'invalid_payment_code', column: 'virtual_account_no' },
      { line: 4, code: 'duplicate_reference', column: 'reference_no' },
    ]);
  });
});
