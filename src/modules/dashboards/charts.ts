/**
 * Charts drawn as SVG on the server, by hand (no dependency): accessible (role="img" with <title> and <desc> named by
 * aria-labelledby / aria-describedby), no script, colours that keep 3:1 against white. The page puts a data table
 * next to each chart (the fallback for screen readers and print). Pure: data in, markup out.
 */

export interface ChartSeries {
  name: string;
  values: readonly number[];
}

interface ChartText {
  id: string;
  title: string;
  desc: string;
}

const W = 640;
const H = 260;
const PAD = { left: 64, right: 12, top: 12, bottom: 40 };
const COLOURS = ['#1f5f99', '#b3470b', '#2e7d32', '#6a1b9a', '#8d6e00', '#00697a'];

const esc = (s: string) => s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');

/** A round upper bound for the y axis (1, 2 or 5 × a power of ten, at least 1). */
export function niceMax(v: number): number {
  if (v <= 1) {
    return 1;
  }
  const p = 10 ** Math.floor(Math.log10(v));
  return ([1, 2, 5, 10].map((k) => k * p).find((x) => x >= v) ?? 10 * p);
}

const fmt = (n: number) => new Intl.NumberFormat('id-ID').format(n);

function frame(t: ChartText, max: number, body: string, labels: readonly string[], legend: readonly string[]): string {
  const ih = H - PAD.top - PAD.bottom;
  const ticks = [0, 0.5, 1].map((f) => {
    const y = PAD.top + ih - f * ih;
    return `<line x1="${PAD.left}" x2="${W - PAD.right}" y1="${y}" y2="${y}" stroke="#ccc"/><text x="${PAD.left - 4}" y="${y + 4}" text-anchor="end" font-size="11">${fmt(max * f)}</text>`;
  });
  const step = Math.max(1, Math.ceil(labels.length / 8));
  const iw = W - PAD.left - PAD.right;
  const xl = labels
    .map((l, i) => ((labels.length - 1 - i) % step === 0 ? `<text x="${PAD.left + ((i + 0.5) * iw) / labels.length}" y="${H - PAD.bottom + 14}" text-anchor="middle" font-size="11">${esc(l)}</text>` : ''))
    .join('');
  const lg = legend.map((n, i) => `<rect x="${PAD.left + i * 110}" y="${H - 14}" width="10" height="10" fill="${COLOURS[i % COLOURS.length]}"/><text x="${PAD.left + i * 110 + 14}" y="${H - 5}" font-size="11">${esc(n)}</text>`).join('');
  return (
    `<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 ${W} ${H}" width="100%" role="img" aria-labelledby="${t.id}-t" aria-describedby="${t.id}-d" class="chart">` +
    `<title id="${t.id}-t">${esc(t.title)}</title><desc id="${t.id}-d">${esc(t.desc)}</desc>` +
    `<g aria-hidden="true">${ticks.join('')}${body}${xl}${lg}</g></svg>`
  );
}

/** Stacked bars, one per label, one segment per series. */
export function barChart(t: ChartText, labels: readonly string[], series: readonly ChartSeries[]): string {
  const totals = labels.map((_, i) => series.reduce((s, x) => s + (x.values[i] ?? 0), 0));
  const max = niceMax(Math.max(0, ...totals));
  const ih = H - PAD.top - PAD.bottom;
  const bw = (W - PAD.left - PAD.right) / Math.max(1, labels.length);
  const bars = labels.map((_, i) => {
    let y = PAD.top + ih;
    return series
      .map((s, k) => {
        const h = ((s.values[i] ?? 0) / max) * ih;
        y -= h;
        return h > 0 ? `<rect x="${(PAD.left + i * bw + bw * 0.1).toFixed(1)}" y="${y.toFixed(1)}" width="${(bw * 0.8).toFixed(1)}" height="${h.toFixed(1)}" fill="${COLOURS[k % COLOURS.length]}"/>` : '';
      })
      .join('');
  });
  return frame(t, max, bars.join(''), labels, series.map((s) => s.name));
}

/** Lines, one per series, over the labels. */
export function lineChart(t: ChartText, labels: readonly string[], series: readonly ChartSeries[]): string {
  const max = niceMax(Math.max(0, ...series.flatMap((s) => s.values)));
  const ih = H - PAD.top - PAD.bottom;
  const iw = W - PAD.left - PAD.right;
  const x = (i: number) => (PAD.left + ((i + 0.5) * iw) / Math.max(1, labels.length)).toFixed(1);
  const y = (v: number) => (PAD.top + ih - (v / max) * ih).toFixed(1);
  const lines = series.map((s, k) => {
    const d = s.values.map((v, i) => `${i === 0 ? 'M' : 'L'}${x(i)},${y(v)}`).join('');
    return `<path d="${d}" fill="none" stroke="${COLOURS[k % COLOURS.length]}" stroke-width="2"/>`;
  });
  return frame(t, max, lines.join(''), labels, series.map((s) => s.name));
}
