/**
 * A member's JHT balance over time as a server-rendered step chart (inline SVG: no script, no inline `style`, so it
 * works under the strict CSP). Every word comes through props (the catalogues own the texts). The chart is an image
 * with a <title> and a <desc>; its figures are the page's history table (the table fallback), which the <desc> names.
 * Colours are those of the simulator's chart (components/jht-chart.tsx), at least 4.5:1 against white.
 */
import { JHT_BALANCE_COLOUR, JHT_CHART_VIEWBOX_WIDTH, JHT_LABEL_FONT_SIZE, JHT_TEXT_COLOUR } from './jht-chart.js';

export interface BalancePoint {
  /** YYYY-MM-DD */
  date: string;
  /** The balance at the end of that day (rupiah). */
  balance: number;
}

/** The end-of-day balances of the days with movements, oldest first, from signed movements in any order. */
export function balanceSteps(movements: readonly { date: string; amount: number }[]): BalancePoint[] {
  const sorted = [...movements].sort((a, b) => (a.date < b.date ? -1 : a.date > b.date ? 1 : 0));
  const out: BalancePoint[] = [];
  let balance = 0;
  for (const m of sorted) {
    balance += m.amount;
    const last = out[out.length - 1];
    if (last && last.date === m.date) {
      last.balance = balance;
    } else {
      out.push({ date: m.date, balance });
    }
  }
  return out;
}

const dayNumber = (d: string) => Date.UTC(Number(d.slice(0, 4)), Number(d.slice(5, 7)) - 1, Number(d.slice(8, 10))) / 86_400_000;

const WIDTH = JHT_CHART_VIEWBOX_WIDTH;
const HEIGHT = 200;
const LEFT = 8;
const RIGHT = WIDTH - 8;
const TOP = 24;
const BOTTOM = 172;

/** The step line's SVG points: each balance held until the next day with a movement, the last one until `through`. */
export function stepPath(points: readonly BalancePoint[], through: string): string {
  if (points.length === 0) {
    return '';
  }
  const first = dayNumber(points[0]?.date ?? through);
  const end = Math.max(dayNumber(through), dayNumber(points[points.length - 1]?.date ?? through));
  const span = Math.max(1, end - first);
  const max = Math.max(1, ...points.map((p) => p.balance));
  const x = (d: number) => Math.round(LEFT + ((RIGHT - LEFT) * (d - first)) / span);
  const y = (b: number) => Math.round(BOTTOM - ((BOTTOM - TOP) * Math.max(0, b)) / max);
  const coords: string[] = [`${x(first)},${BOTTOM}`];
  points.forEach((p, i) => {
    const at = x(dayNumber(p.date));
    const before = i === 0 ? 0 : (points[i - 1]?.balance ?? 0);
    coords.push(`${at},${y(before)}`, `${at},${y(p.balance)}`);
  });
  coords.push(`${x(end)},${y(points[points.length - 1]?.balance ?? 0)}`);
  return coords.join(' ');
}

export interface JhtBalanceChartProps {
  points: BalancePoint[];
  /** The last day drawn (today, WIB). */
  through: string;
  title: string;
  description: string;
  formatDate: (d: string) => string;
  formatMoney: (n: number) => string;
}

export function JhtBalanceChart(props: JhtBalanceChartProps) {
  const { points } = props;
  const first = points[0];
  const last = points[points.length - 1];
  if (!first || !last) {
    return null;
  }
  const max = Math.max(...points.map((p) => p.balance));
  return (
    <div class="jht-chart">
    <svg class="jht-chart-svg" viewBox={`0 0 ${WIDTH} ${HEIGHT}`} role="img" aria-labelledby="saldo-jht-grafik-judul saldo-jht-grafik-desc" xmlns="http://www.w3.org/2000/svg">
      <title id="saldo-jht-grafik-judul">{props.title}</title>
      <desc id="saldo-jht-grafik-desc">{props.description}</desc>
      <g font-size={JHT_LABEL_FONT_SIZE} fill={JHT_TEXT_COLOUR}>
        <text x={LEFT} y={16}>{props.formatMoney(max)}</text>
        <text x={LEFT} y={HEIGHT - 8}>{props.formatDate(first.date)}</text>
        <text x={RIGHT} y={HEIGHT - 8} text-anchor="end">{props.formatDate(props.through)}</text>
      </g>
      <line x1={LEFT} y1={BOTTOM} x2={RIGHT} y2={BOTTOM} stroke={JHT_TEXT_COLOUR} />
      <line x1={LEFT} y1={TOP} x2={RIGHT} y2={TOP} stroke={JHT_TEXT_COLOUR} stroke-dasharray="2 4" />
      <polyline class="jht-step" points={stepPath(points, props.through)} fill="none" stroke={JHT_BALANCE_COLOUR} stroke-width="3" />
    </svg>
    </div>
  );
}
