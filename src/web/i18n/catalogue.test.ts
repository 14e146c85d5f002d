import { describe, expect, it } from 'vitest';
import { fill } from './catalogue.js';
import { formatDate, formatMonth, parseRupiahInput, rupiah } from './format.js';
import { ERROR_MESSAGES } from '../../http/messages.js';
import { NOTIFICATION_TEXTS } from '../../modules/notifications/texts.js';
import { SETTLEMENT_LINE_MESSAGES } from '../../modules/reconciliation/settlement-messages.js';
import { CATALOGUES } from './messages.js';

/** Every catalogue of the one message pipeline: the portal's areas, API errors, notifications, settlement-file lines. */
const ALL_CATALOGUES = { ...CATALOGUES, apiErrors: ERROR_MESSAGES, notifications: NOTIFICATION_TEXTS, settlementLines: SETTLEMENT_LINE_MESSAGES };

const placeholders = (s: string) => [...s.matchAll(/\{(\w+)\}/g)].map((m) => m[1]).sort();

describe('message catalogues', () => {
  for (const [area, c] of Object.entries(ALL_CATALOGUES)) {
    it(`${area}: every text exists in Indonesian and English, non-empty, with the same placeholders`, () => {
      const id = c.id as Record<string, string>;
      const en = c.en as Record<string, string>;
      expect(Object.keys(en).sort()).toEqual(Object.keys(id).sort());
      for (const key of Object.keys(id)) {
        expect(id[key]?.trim(), `${area}.${key} (id)`).not.toBe('');
        expect(en[key]?.trim(), `${area}.${key} (en)`).not.toBe('');
        expect(placeholders(en[key]!), `${area}.${key} placeholders`).toEqual(placeholders(id[key]!));
      }
    });
  }

  it('fill replaces known placeholders and leaves unknown ones visible', () => {
    expect(fill('Sisa {n} bulan, {x}', { n: 3 })).toBe('Sisa 3 bulan, {x}');
  });
});

describe('formats', () => {
  it.each([
    [16_800, 'Rp16.800'],
    [8_400, 'Rp8.400'],
    [2_000_000, 'Rp2.000.000'],
    [0, 'Rp0'],
  ])('Rupiah the Indonesian way: %i → %s', (n, s) => {
    expect(rupiah(n)).toBe(s);
  });

  it.each([
    ['2.000.000', 2_000_000],
    ['Rp 2.000.000', 2_000_000],
    ['rp2000000', 2_000_000],
    ['2 000 000', 2_000_000],
    ['1.500.000,00', 1_500_000],
    ['dua juta', null],
    ['2,5', null],
    ['-1', null],
    ['', null],
    ['99999999999999', null],
  ])('reads a typed amount %j as %j', (raw, n) => {
    expect(parseRupiahInput(raw)).toBe(n);
  });

  it('months and dates in both languages', () => {
    expect(formatMonth('2026-12', 'id')).toBe('Desember 2026');
    expect(formatMonth('2026-12', 'en')).toBe('December 2026');
    expect(formatDate('2026-12-15', 'id')).toBe('Selasa, 15 Desember 2026');
  });
});
