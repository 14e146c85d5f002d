import { describe, expect, it } from 'vitest';
import { compareSettlement, type FileRow, type RecordedPayment } from './compare-settlement.js';

const at = (hhmm: string) => new Date(`2026-11-22T${hhmm}:00+07:00`);
const pay = (id: string, externalId: string, amount: number, time: string, channel = 'va'): RecordedPayment => ({
  id,
  externalId,
  paymentCode: `code-${id}`,
  amount,
  channel,
  paidAt: at(time),
  outcome: 'applied',
});
const row = (line: number, externalId: string, amount: number): FileRow => ({ line, reference: externalId, externalId, paymentCode: `file-${line}`, amount, transactionTime: at('10:00') });

describe('compareSettlement', () => {
  it('classifies every row once and every unnamed payment in scope as not_in_file', () => {
    const p1 = pay('p1', 'e1', 16800, '09:00');
    const p2 = pay('p2', 'e2', 66800, '10:00');
    const p3 = pay('p3', 'e3', 8400, '11:00');
    const p4 = pay('p4', 'e4', 8400, '08:00');
    const elsewhere = pay('p5', 'e5', 1000, '12:00', 'qris');
    const yesterday = { ...pay('p6', 'e6', 5000, '10:00'), paidAt: new Date('2026-11-21T10:00:00+07:00') };
    const known = new Map([p1, p2, p3, elsewhere, yesterday].map((p) => [p.externalId, p]));
    const rows = [row(2, 'e1', 16800), row(3, 'e2', 66000), row(4, 'x9', 5000), row(5, 'e5', 1000), row(6, 'e6', 5000)];
    const c = compareSettlement('va', rows, known, [p3, p1, p2, p4]);
    expect(c.totals).toEqual({ fileRows: 5, fileAmount: 93800, recordedCount: 4, recordedAmount: 100400, matchedCount: 2, matchedAmount: 21800 });
    expect(c.differences.map((d) => [d.kind, d.externalId, d.line, d.fileAmount, d.recordedAmount, d.paymentId, d.recordedChannel])).toEqual([
      ['amount_differs', 'e2', 3, 66000, 66800, 'p2', null],
      ['missing_payment', 'x9', 4, 5000, null, null, null],
      ['missing_payment', 'e5', 5, 1000, null, null, 'qris'],
      ['not_in_file', 'e4', null, null, 8400, 'p4', null],
      ['not_in_file', 'e3', null, null, 8400, 'p3', null],
    ]);
  });

  it('an empty file makes every payment in scope not_in_file; no payments make every row missing', () => {
    const p = pay('p1', 'e1', 16800, '09:00');
    expect(compareSettlement('va', [], new Map(), [p]).differences.map((d) => d.kind)).toEqual(['not_in_file']);
    expect(compareSettlement('va', [row(2, 'e1', 16800)], new Map(), []).differences.map((d) => d.kind)).toEqual(['missing_payment']);
    expect(compareSettlement('va', [row(2, 'e1', 16800)], new Map([['e1', p]]), [p]).differences).toEqual([]);
  });
});
