import { jsx } from 'hono/jsx';
import { describe, expect, it } from 'vitest';
import { formatRupiah } from '../../shared/money.js';
import { balanceSteps, JhtBalanceChart, stepPath } from './jht-balance-chart.js';

describe('balanceSteps', () => {
  it('sums signed movements in date order, one end-of-day balance per day', () => {
    expect(
      balanceSteps([
        { date: '2027-01-02', amount: 60_000 },
        { date: '2026-12-31', amount: 142 },
        { date: '2026-11-22', amount: 20_000 },
        { date: '2027-01-02', amount: -10_000 },
      ]),
    ).toEqual([
      { date: '2026-11-22', balance: 20_000 },
      { date: '2026-12-31', balance: 20_142 },
      { date: '2027-01-02', balance: 70_142 },
    ]);
  });
  it('no movements, no points', () => {
    expect(balanceSteps([])).toEqual([]);
  });
});

describe('stepPath', () => {
  it('rises at each day with a movement and holds the last balance until `through`', () => {
    // 10 days from 1 to 11 January across 384 units; the top is the largest balance.
    expect(stepPath([{ date: '2027-01-01', balance: 100 }, { date: '2027-01-06', balance: 200 }], '2027-01-11')).toBe('8,172 8,172 8,98 200,98 200,24 392,24');
  });
  it('one point on the last day still draws (a span of at least one day)', () => {
    expect(stepPath([{ date: '2027-01-01', balance: 5 }], '2027-01-01')).toBe('8,172 8,172 8,24 8,24');
  });
});

describe('JhtBalanceChart', () => {
  it('is an image named by its title and description; nothing without points', async () => {
    const props = { through: '2027-01-02', title: 'Saldo JHT dari waktu ke waktu', description: 'Grafik tangga.', formatDate: (d: string) => d, formatMoney: formatRupiah };
    const html = await jsx(JhtBalanceChart, { ...props, points: [{ date: '2026-11-22', balance: 20_000 }] }).toString();
    expect(html).toContain('role="img"');
    expect(html).toContain('aria-labelledby="saldo-jht-grafik-judul saldo-jht-grafik-desc"');
    expect(html).toContain('<title id="saldo-jht-grafik-judul">Saldo JHT dari waktu ke waktu</title>');
    expect(html).toContain('Rp20.000');
    expect(html).not.toMatch(/\sstyle=/);
    expect(await jsx(JhtBalanceChart, { ...props, points: [] }).toString()).toBe('');
  });
});
