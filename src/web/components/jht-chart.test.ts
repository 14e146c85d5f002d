import { jsx } from 'hono/jsx';
import { describe, expect, it } from 'vitest';
import { projectJhtBalance } from '../../modules/contributions/domain/benefits.js';
import { formatRupiah } from '../../shared/money.js';
import { JhtChart, milestonePoints } from './jht-chart.js';
import type { JhtChartPoint, JhtChartProps } from './jht-chart.js';

const thirtyYears: JhtChartPoint[] = projectJhtBalance({
  monthlyContribution: 20_000,
  annualReturnBps: 563,
  years: 30,
}).map(({ year, balance, contributed }) => ({ year, balance, contributed }));

/** Realistic catalogue texts (they live in the web engineer's catalogues; here only as test input). */
const realistic: JhtChartProps = {
  points: thirtyYears,
  title: 'Ilustrasi saldo JHT',
  description: 'Saldo JHT jika iuran dibayar tiap bulan dengan asumsi hasil pengembangan 5,63% per tahun.',
  yearLabel: (y) => `Tahun ke-${y}`,
  balanceLabel: 'Saldo',
  contributedLabel: 'Total iuran',
  formatMoney: formatRupiah,
  tableCaption: 'Ilustrasi saldo JHT per tahun',
};

async function render(props: JhtChartProps): Promise<string> {
  return await jsx(JhtChart, props).toString();
}

function between(html: string, open: RegExp, close: string): string {
  const m = open.exec(html);
  if (m === null) {
    throw new Error(`missing ${open.source}`);
  }
  const start = m.index + m[0].length;
  return html.slice(start, html.indexOf(close, start));
}

function tableRows(html: string): [string, string, string][] {
  const body = between(html, /<tbody>/, '</tbody>');
  return [...body.matchAll(/<tr><th scope="row">(.*?)<\/th><td>(.*?)<\/td><td>(.*?)<\/td><\/tr>/g)].map(
    (m) => [m[1] ?? '', m[2] ?? '', m[3] ?? ''],
  );
}

function luminance(hex: string): number {
  const channel = (i: number): number => {
    const c = parseInt(hex.slice(i, i + 2), 16) / 255;
    return c <= 0.04045 ? c / 12.92 : ((c + 0.055) / 1.055) ** 2.4;
  };
  return 0.2126 * channel(1) + 0.7152 * channel(3) + 0.0722 * channel(5);
}

describe('milestonePoints', () => {
  it.each([
    [30, [10, 20, 30]],
    [25, [10, 20, 25]],
    [20, [5, 10, 15, 20]],
    [12, [5, 10, 12]],
    [7, [2, 4, 6, 7]],
    [4, [1, 2, 3, 4]],
    [1, [1]],
    [0, []],
  ])('%i yearly points → years %j', (n, years) => {
    const points = Array.from({ length: n }, (_, i) => ({ year: i + 1, balance: i, contributed: i }));
    expect(milestonePoints(points).map((p) => p.year)).toEqual(years);
  });
});

describe('JhtChart', () => {
  it('is an accessible image whose title/desc carry the same figures as the table', async () => {
    const html = await render(realistic);
    expect(html).toContain('role="img"');
    expect(html).toContain('aria-labelledby="jht-chart-title jht-chart-desc"');
    expect(between(html, /<title id="jht-chart-title">/, '</title>')).toBe('Ilustrasi saldo JHT');
    const desc = between(html, /<desc id="jht-chart-desc">/, '</desc>');
    expect(desc.startsWith(realistic.description)).toBe(true);

    const rows = tableRows(html);
    expect(rows).toEqual([
      ['Tahun ke-10', 'Rp2.400.000', 'Rp3.202.975'],
      ['Tahun ke-20', 'Rp4.800.000', 'Rp8.741.911'],
      ['Tahun ke-30', 'Rp7.200.000', 'Rp18.320.448'],
    ]);
    for (const [year, contributed, balance] of rows) {
      expect(desc).toContain(`${year}: Saldo ${balance}, Total iuran ${contributed}.`);
    }
    // the bars are labelled with the same balances
    const svg = between(html, /<svg[^>]*>/, '</svg>');
    for (const [year, , balance] of rows) {
      expect(svg).toContain(`>${balance}</text>`);
      expect(svg).toContain(`>${year}</text>`);
    }
  });

  it('the table is a real data table: caption, column and row headers', async () => {
    const html = await render(realistic);
    expect(html).toContain('<caption>Ilustrasi saldo JHT per tahun</caption>');
    expect(html).toContain('<th scope="col">Total iuran</th><th scope="col">Saldo</th>');
    expect(html.match(/<th scope="row">/g)).toHaveLength(3);
  });

  it('has no inline style, no script, and only jht- class names', async () => {
    const html = await render(realistic);
    expect(html).not.toMatch(/\sstyle=/i);
    expect(html).not.toMatch(/<script|\son[a-z]+=/i);
    const classes = [...html.matchAll(/class="([^"]*)"/g)].flatMap((m) => (m[1] ?? '').split(/\s+/));
    expect(classes.length).toBeGreaterThan(0);
    expect(classes.every((c) => c.startsWith('jht-'))).toBe(true);
  });

  it('stays small: under 3 KB for 30 points', async () => {
    expect((await render(realistic)).length).toBeLessThan(3_000);
  });

  it('every colour has at least 4.5:1 contrast against white (WCAG AA)', async () => {
    const html = await render(realistic);
    const colours = new Set([...html.matchAll(/(?:fill|stroke)="(#[0-9a-f]{6})"/gi)].map((m) => m[1] ?? ''));
    expect(colours.size).toBeGreaterThanOrEqual(3);
    for (const colour of colours) {
      expect(1.05 / (luminance(colour) + 0.05)).toBeGreaterThanOrEqual(4.5);
    }
  });

  it('contains no text of its own: everything visible comes through props', async () => {
    const html = await render({
      points: [
        { year: 1, balance: 11, contributed: 10 },
        { year: 2, balance: 23, contributed: 20 },
      ],
      title: 'TITLE',
      description: 'DESC',
      yearLabel: (y) => `Y${y}`,
      balanceLabel: 'BAL',
      contributedLabel: 'CON',
      formatMoney: (n) => `M${n}`,
      tableCaption: 'CAP',
    });
    const text = [...html.matchAll(/>([^<]*)</g)].map((m) => m[1] ?? '').join(' ');
    expect(text.replace(/TITLE|DESC|BAL|CON|CAP|Y\d+|M\d+/g, '')).toMatch(/^[\s:,.]*$/);
    // attribute values carry no words either (ids derive from idPrefix, the rest are classes/geometry/colours)
    const attrs = [...html.matchAll(/\s([a-z-]+)="([^"]*)"/g)].filter(
      ([, name]) => !['class', 'id', 'aria-labelledby', 'xmlns', 'scope', 'role'].includes(name ?? ''),
    );
    for (const [, , value] of attrs) {
      expect(value).toMatch(/^[#0-9a-f .-]*$|^middle$/i);
    }
  });

  it('escapes catalogue texts and honours idPrefix', async () => {
    const html = await render({ ...realistic, title: 'A <b> & "c"', idPrefix: 'sim-2' });
    expect(html).toContain('<title id="sim-2-title">A &lt;b&gt; &amp; &quot;c&quot;</title>');
    expect(html).toContain('aria-labelledby="sim-2-title sim-2-desc"');
  });

  it('renders empty and all-zero data without dividing by zero', async () => {
    const empty = await render({ ...realistic, points: [] });
    expect(tableRows(empty)).toEqual([]);
    const zeros = await render({ ...realistic, points: [{ year: 1, balance: 0, contributed: 0 }] });
    expect(zeros).not.toContain('NaN');
    expect(tableRows(zeros)).toEqual([['Tahun ke-1', 'Rp0', 'Rp0']]);
  });
});
