/**
 * Illustrative JHT balance chart for the contribution simulator: a server-rendered inline SVG (no script, no inline
 * `style`, so it works under a strict CSP) plus an HTML table with the same figures.
 *
 * - Every word comes through props (the message catalogues own the texts); the component adds only punctuation.
 * - To stay small (≈2 KB for 30 points), the chart, its <desc> and the table show the same milestone years:
 *   all points when there are at most 4, otherwise the years divisible by a "nice" step (1, 2, 5, 10, 20, 25, 50)
 *   chosen so that at most 4 bars are drawn, always including the last year (30 points → years 10, 20, 30).
 *   To tabulate other years, pass only those points.
 * - Each bar is the balance, with the contributed part drawn over its lower portion; the upper part is the return.
 * - Colours have at least 4.5:1 contrast against white (WCAG AA for text, above the 3:1 needed for graphics).
 * - Styling hooks are CSS classes prefixed `jht-`.
 */

export interface JhtChartPoint {
  year: number;
  balance: number;
  contributed: number;
}

export interface JhtChartProps {
  points: JhtChartPoint[];
  title: string;
  description: string;
  yearLabel: (y: number) => string;
  balanceLabel: string;
  contributedLabel: string;
  formatMoney: (n: number) => string;
  tableCaption: string;
  /** Prefix of the SVG <title>/<desc> ids; pass a distinct one when a page shows two charts. */
  idPrefix?: string;
}

/** blue-700 on white ≈ 6.7:1 */
export const JHT_BALANCE_COLOUR = '#1d4ed8';
/** slate-600 on white ≈ 7.6:1 */
export const JHT_CONTRIBUTED_COLOUR = '#475569';
/** gray-800 on white ≈ 14.7:1 */
export const JHT_TEXT_COLOUR = '#1f2937';

/**
 * Labels are at least 12 px on a phone (issue 18): both JHT charts are 400 units wide and drawn at least
 * JHT_CHART_MIN_WIDTH_PX wide (lindung.css .jht-chart-svg), so a label of JHT_LABEL_FONT_SIZE units is
 * 16 × 300 / 400 = 12 px or more.
 */
export const JHT_CHART_VIEWBOX_WIDTH = 400;
export const JHT_CHART_MIN_WIDTH_PX = 300;
export const JHT_LABEL_FONT_SIZE = 16;

const MAX_BARS = 4;
const NICE_STEPS = [1, 2, 5, 10, 20, 25, 50];

/** The points the chart, its description and its table show (see the module comment). */
export function milestonePoints(points: readonly JhtChartPoint[]): JhtChartPoint[] {
  const sorted = [...points].sort((a, b) => a.year - b.year);
  if (sorted.length <= MAX_BARS) {
    return sorted;
  }
  const last = sorted[sorted.length - 1];
  for (const step of NICE_STEPS) {
    const picked = sorted.filter((p) => p.year % step === 0 || p === last);
    if (picked.length <= MAX_BARS) {
      return picked;
    }
  }
  // Years span beyond 200: fall back to evenly spaced points ending with the last one.
  const every = Math.ceil(sorted.length / MAX_BARS);
  return sorted.filter((_, i) => (sorted.length - 1 - i) % every === 0);
}

// Geometry in viewBox units.
const WIDTH = JHT_CHART_VIEWBOX_WIDTH;
const HEIGHT = 220;
const PLOT_TOP = 44; // room for the legend and the value labels
const PLOT_BOTTOM = 190; // baseline; year labels below
const PLOT_LEFT = 8;
const PLOT_RIGHT = WIDTH - 8;

function barHeight(value: number, max: number): number {
  if (max <= 0 || value <= 0) {
    return 0;
  }
  return Math.round(((PLOT_BOTTOM - PLOT_TOP) * value) / max);
}

function Bars(props: { shown: JhtChartPoint[]; yearLabel: (y: number) => string; formatMoney: (n: number) => string }) {
  const { shown } = props;
  const max = Math.max(0, ...shown.map((p) => Math.max(p.balance, p.contributed)));
  const slot = (PLOT_RIGHT - PLOT_LEFT) / Math.max(1, shown.length);
  const barWidth = Math.round(Math.min(48, slot * 0.5));
  return (
    <g font-size={JHT_LABEL_FONT_SIZE} fill={JHT_TEXT_COLOUR} text-anchor="middle">
      {shown.map((p, i) => {
        const cx = Math.round(PLOT_LEFT + slot * (i + 0.5));
        const x = cx - Math.round(barWidth / 2);
        const hb = barHeight(p.balance, max);
        const hc = barHeight(p.contributed, max);
        return (
          <g class="jht-bar">
            <rect x={x} y={PLOT_BOTTOM - hb} width={barWidth} height={hb} fill={JHT_BALANCE_COLOUR} />
            <rect x={x} y={PLOT_BOTTOM - hc} width={barWidth} height={hc} fill={JHT_CONTRIBUTED_COLOUR} />
            <text x={cx} y={PLOT_BOTTOM - Math.max(hb, hc) - 4}>
              {props.formatMoney(p.balance)}
            </text>
            <text x={cx} y={PLOT_BOTTOM + 18}>
              {props.yearLabel(p.year)}
            </text>
          </g>
        );
      })}
    </g>
  );
}

function FiguresTable(props: JhtChartProps & { shown: JhtChartPoint[] }) {
  return (
    <table class="jht-table">
      <caption>{props.tableCaption}</caption>
      <thead>
        <tr>
          <td></td>
          <th scope="col">{props.contributedLabel}</th>
          <th scope="col">{props.balanceLabel}</th>
        </tr>
      </thead>
      <tbody>
        {props.shown.map((p) => (
          <tr>
            <th scope="row">{props.yearLabel(p.year)}</th>
            <td>{props.formatMoney(p.contributed)}</td>
            <td>{props.formatMoney(p.balance)}</td>
          </tr>
        ))}
      </tbody>
    </table>
  );
}

export function JhtChart(props: JhtChartProps) {
  const shown = milestonePoints(props.points);
  const prefix = props.idPrefix ?? 'jht-chart';
  const titleId = `${prefix}-title`;
  const descId = `${prefix}-desc`;
  const figures = shown
    .map(
      (p) =>
        `${props.yearLabel(p.year)}: ${props.balanceLabel} ${props.formatMoney(p.balance)}, ` +
        `${props.contributedLabel} ${props.formatMoney(p.contributed)}.`,
    )
    .join(' ');

  return (
    <div class="jht-chart">
      <svg
        class="jht-chart-svg"
        viewBox={`0 0 ${WIDTH} ${HEIGHT}`}
        role="img"
        aria-labelledby={`${titleId} ${descId}`}
        xmlns="http://www.w3.org/2000/svg"
      >
        <title id={titleId}>{props.title}</title>
        <desc id={descId}>{`${props.description} ${figures}`}</desc>
        <g class="jht-legend" font-size={JHT_LABEL_FONT_SIZE} fill={JHT_TEXT_COLOUR}>
          <rect x="8" y="5" width="13" height="13" fill={JHT_BALANCE_COLOUR} />
          <text x="26" y="17">{props.balanceLabel}</text>
          <rect x="208" y="5" width="13" height="13" fill={JHT_CONTRIBUTED_COLOUR} />
          <text x="226" y="17">{props.contributedLabel}</text>
        </g>
        <line
          class="jht-axis"
          x1={PLOT_LEFT}
          y1={PLOT_BOTTOM}
          x2={PLOT_RIGHT}
          y2={PLOT_BOTTOM}
          stroke={JHT_TEXT_COLOUR}
        />
        <Bars shown={shown} yearLabel={props.yearLabel} formatMoney={props.formatMoney} />
      </svg>
      <FiguresTable {...props} shown={shown} />
    </div>
  );
}
