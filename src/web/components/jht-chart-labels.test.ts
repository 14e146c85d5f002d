import { readFileSync } from 'node:fs';
import { jsx } from 'hono/jsx';
import { describe, expect, it } from 'vitest';
import { formatRupiah } from '../../shared/money.js';
import { JhtBalanceChart } from './jht-balance-chart.js';
import { JHT_CHART_MIN_WIDTH_PX, JhtChart } from './jht-chart.js';

/** Issue 18: the JHT charts' labels were 10–11 units in a 400-unit picture drawn ~330 px wide on a phone (≈ 8–9 px). */
const CSS = readFileSync(new URL('../assets/lindung.css', import.meta.url), 'utf8');

async function labelsInPixels(html: string): Promise<number[]> {
  const viewBoxWidth = Number(/viewBox="0 0 (\d+) \d+"/.exec(html)?.[1]);
  expect(viewBoxWidth).toBeGreaterThan(0);
  const scale = JHT_CHART_MIN_WIDTH_PX / viewBoxWidth;
  const sizes = [...html.matchAll(/font-size="([\d.]+)"/g)].map((m) => Number(m[1]));
  // every <text> inherits a font size from a group that sets one
  expect(sizes.length).toBeGreaterThan(0);
  expect(html.match(/<text/g)?.length ?? 0).toBeGreaterThan(0);
  return sizes.map((s) => s * scale);
}

describe('JHT chart labels on a 360-pixel phone', () => {
  it('are drawn at least 12 px high in both charts (the smallest width the stylesheet allows)', async () => {
    expect(CSS).toMatch(new RegExp(`\\.jht-chart-svg\\{[^}]*min-width:${JHT_CHART_MIN_WIDTH_PX}px`));
    const simulator = await jsx(JhtChart, {
      points: [1, 2, 3].map((year) => ({ year, balance: year * 250_000, contributed: year * 240_000 })),
      title: 'T',
      description: 'D',
      yearLabel: (y: number) => `Tahun ke-${y}`,
      balanceLabel: 'Saldo',
      contributedLabel: 'Total iuran',
      formatMoney: formatRupiah,
      tableCaption: 'C',
    }).toString();
    const balance = await jsx(JhtBalanceChart, { points: [{ date: '2026-11-22', balance: 20_000 }], through: '2027-01-02', title: 'T', description: 'D', formatDate: (d: string) => d, formatMoney: formatRupiah }).toString();
    for (const html of [simulator, balance]) {
      for (const px of await labelsInPixels(html)) expect(px).toBeGreaterThanOrEqual(12);
    }
  });
});
