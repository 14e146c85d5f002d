import { describe, expect, it } from 'vitest';
import { compareDisbursements, readDisbursementReport } from './compare-disbursements.js';

describe('readDisbursementReport', () => {
  it('reads reference,amount,status (any case, COMPLETED = PAID)', () => {
    expect(readDisbursementReport('reference,amount,status\r\npay_a:1,42000000,COMPLETED\npay_b:2,100,failed\n')).toEqual({
      ok: true,
      rows: [
        { line: 2, reference: 'pay_a:1', amount: 42_000_000, status: 'paid' },
        { line: 3, reference: 'pay_b:2', amount: 100, status: 'failed' },
      ],
    });
  });

  it.each([
    ['no header', 'pay_a:1,1,PAID', 1],
    ['a fractional amount', 'reference,amount,status\npay_a:1,1.5,PAID', 2],
    ['an unknown status', 'reference,amount,status\npay_a:1,1,SENT', 2],
    ['a missing field', 'reference,amount,status\npay_a:1,1', 2],
    ['a broken quote', 'reference,amount,status\n"pay_a:1,1,PAID', 2],
  ])('refuses %s, naming the line', (_name, csv, line) => {
    expect(readDisbursementReport(csv)).toMatchObject({ ok: false, line });
  });
});

describe('compareDisbursements', () => {
  const row = (reference: string, amount: number, status: 'paid' | 'failed' | 'pending', line = 2) => ({ line, reference, amount, status });
  it.each([
    { name: 'all agree', report: [row('a:1', 100, 'paid')], recorded: [{ reference: 'a:1', amount: 100, status: 'paid' }], kinds: [] },
    { name: 'paid by the provider, unknown to Lindung', report: [row('x:1', 100, 'paid')], recorded: [], kinds: ['paid_not_recorded'] },
    { name: 'paid by the provider, Lindung still waiting', report: [row('a:1', 100, 'paid')], recorded: [{ reference: 'a:1', amount: 100, status: 'pending' }], kinds: ['paid_not_recorded'] },
    { name: 'the amount differs', report: [row('a:1', 90, 'paid')], recorded: [{ reference: 'a:1', amount: 100, status: 'paid' }], kinds: ['amount_differs'] },
    { name: 'recorded paid, missing from the report', report: [], recorded: [{ reference: 'a:1', amount: 100, status: 'paid' }], kinds: ['missing_from_report'] },
    { name: 'recorded paid, reported failed', report: [row('a:1', 100, 'failed')], recorded: [{ reference: 'a:1', amount: 100, status: 'paid' }], kinds: ['missing_from_report'] },
    { name: 'failed on both sides', report: [row('a:1', 100, 'failed')], recorded: [{ reference: 'a:1', amount: 100, status: 'failed' }], kinds: [] },
  ])('$name', ({ report, recorded, kinds }) => {
    expect(compareDisbursements(report, recorded).map((d) => d.kind)).toEqual(kinds);
  });
});
