import { describe, expect, it } from 'vitest';
import { PAYMENT_AMOUNT_MAX } from '../apply-payment.js';
import { externalIdOf, isCleanText, parseIsoInstant, parseJakartaLocalTime, parseRupiahNumber, parseRupiahString } from './payment-event.js';

describe('parseRupiahString (Midtrans gross_amount)', () => {
  it.each([
    ['66800.00', 66800],
    ['66800.0', 66800],
    ['66800', 66800],
    ['5539.00', 5539],
    ['1.00', 1],
    [`${PAYMENT_AMOUNT_MAX}.00`, PAYMENT_AMOUNT_MAX],
  ])('%s → %d', (input, expected) => {
    expect(parseRupiahString(input)).toEqual({ ok: true, value: expected });
  });

  it.each([
    ['a fraction of a rupiah', '66800.50'],
    ['a fraction of a rupiah (one digit)', '66800.5'],
    ['a tiny fraction', '66800.01'],
    ['three decimals', '66800.000'],
    ['zero', '0.00'],
    ['negative', '-66800.00'],
    ['plus sign', '+66800.00'],
    ['exponent', '6.68e4'],
    ['thousands separator (id-ID)', '66.800'],
    ['thousands separator (comma)', '66,800.00'],
    ['leading zero', '066800.00'],
    ['spaces', ' 66800.00'],
    ['empty', ''],
    ['above the maximum', `${PAYMENT_AMOUNT_MAX + 1}.00`],
    ['huge', '99999999999999999999.00'],
    ['a trailing dot', '66800.'],
  ])('refuses %s (%j)', (_name, input) => {
    expect(parseRupiahString(input).ok).toBe(false);
  });
});

describe('parseRupiahNumber (Xendit amounts)', () => {
  it('takes whole positive rupiah', () => {
    expect(parseRupiahNumber(20000)).toEqual({ ok: true, value: 20000 });
    expect(parseRupiahNumber(PAYMENT_AMOUNT_MAX)).toEqual({ ok: true, value: PAYMENT_AMOUNT_MAX });
  });

  it.each([
    ['a fraction', 20000.5],
    ['zero', 0],
    ['negative', -20000],
    ['a string', '20000'],
    ['null', null],
    ['NaN', Number.NaN],
    ['Infinity', Number.POSITIVE_INFINITY],
    ['above the maximum', PAYMENT_AMOUNT_MAX + 1],
  ])('refuses %s', (_name, input) => {
    expect(parseRupiahNumber(input).ok).toBe(false);
  });
});

describe('parseJakartaLocalTime (Midtrans transaction_time / settlement_time, WIB = UTC+7)', () => {
  it.each([
    ['2026-11-22 10:00:00', '2026-11-22T03:00:00.000Z'],
    ['2021-06-15 18:45:28', '2021-06-15T11:45:28.000Z'],
    // Before 07:00 WIB the UTC date is the previous day; across a year end as well.
    ['2026-11-22 06:59:59', '2026-11-21T23:59:59.000Z'],
    ['2027-01-01 00:00:00', '2026-12-31T17:00:00.000Z'],
    ['2028-02-29 12:00:00', '2028-02-29T05:00:00.000Z'],
  ])('%s → %s', (input, expected) => {
    const r = parseJakartaLocalTime(input);
    expect(r.ok && r.value.toISOString()).toBe(expected);
  });

  it.each([
    ['ISO with T', '2026-11-22T10:00:00'],
    ['with an offset', '2026-11-22 10:00:00+07:00'],
    ['no seconds', '2026-11-22 10:00'],
    ['a date only', '2026-11-22'],
    ['30 February', '2026-02-30 10:00:00'],
    ['29 February of a common year', '2027-02-29 10:00:00'],
    ['month 13', '2026-13-01 10:00:00'],
    ['hour 24', '2026-11-22 24:00:00'],
    ['minute 60', '2026-11-22 10:60:00'],
    ['second 60', '2026-11-22 10:00:60'],
    ['empty', ''],
  ])('refuses %s (%j)', (_name, input) => {
    expect(parseJakartaLocalTime(input).ok).toBe(false);
  });
});

describe('parseIsoInstant (Xendit timestamps)', () => {
  it.each([
    ['2020-10-21T13:57:43.730483Z', '2020-10-21T13:57:43.730Z'],
    ['2020-10-21T13:59:14.536400713Z', '2020-10-21T13:59:14.536Z'],
    ['2021-12-24T03:19:43.260Z', '2021-12-24T03:19:43.260Z'],
    ['2020-04-20T16:25:52Z', '2020-04-20T16:25:52.000Z'],
    ['2026-11-22T10:00:00+07:00', '2026-11-22T03:00:00.000Z'],
    ['2026-11-22T10:00:00.5+07:00', '2026-11-22T03:00:00.500Z'],
    ['2026-11-21T20:00:00-07:00', '2026-11-22T03:00:00.000Z'],
  ])('%s → %s', (input, expected) => {
    const r = parseIsoInstant(input);
    expect(r.ok && r.value.toISOString()).toBe(expected);
  });

  it.each([
    ['no offset', '2026-11-22T10:00:00'],
    ['a space instead of T', '2026-11-22 10:00:00Z'],
    ['31 November', '2026-11-31T10:00:00Z'],
    ['offset hours 24', '2026-11-22T10:00:00+24:00'],
    ['text', 'yesterday'],
  ])('refuses %s (%j)', (_name, input) => {
    expect(parseIsoInstant(input).ok).toBe(false);
  });
});

describe('identifiers', () => {
  it('externalIdOf namespaces the provider id', () => {
    expect(externalIdOf('midtrans', '513f1f01-c9da-474c-9fc9-d5c64364b709')).toBe('midtrans:513f1f01-c9da-474c-9fc9-d5c64364b709');
    expect(externalIdOf('xendit', 'ewc_95d47d3a-db03-4b4b-9b6c-71077157cbc8')).toBe('xendit:ewc_95d47d3a-db03-4b4b-9b6c-71077157cbc8');
  });

  it('isCleanText refuses empty, too long, non-strings and control characters', () => {
    expect(isCleanText('8123456789012345', 64)).toBe(true);
    expect(isCleanText('', 64)).toBe(false);
    expect(isCleanText('x'.repeat(65), 64)).toBe(false);
    expect(isCleanText(8123456789012345, 64)).toBe(false);
    expect(isCleanText('81234\u0000', 64)).toBe(false);
    expect(isCleanText('81234\n', 64)).toBe(false);
  });
});
