/**
 * The counter queue's PURE rules (issue 16 item 2, antrean loket): the purposes a number is taken for, the ticket's
 * statuses and the day's summary of waiting times. Time is passed in; nothing here reads a clock or a database.
 */
export const QUEUE_PURPOSES = ['registration', 'payment', 'claim', 'other'] as const;
export type QueuePurpose = (typeof QUEUE_PURPOSES)[number];

export const TICKET_STATUSES = ['waiting', 'called', 'served', 'no_show'] as const;
export type TicketStatus = (typeof TICKET_STATUSES)[number];

/** The ticket's printed number: the purpose's letter and the day's number, e.g. `B-007` for the 7th number (payment). */
const PURPOSE_LETTER: Record<QueuePurpose, string> = { registration: 'A', payment: 'B', claim: 'C', other: 'D' };

export function ticketLabel(purpose: QueuePurpose, n: number): string {
  return `${PURPOSE_LETTER[purpose]}-${String(n).padStart(3, '0')}`;
}

/** Whether a ticket in `status` may be marked served or a no-show: only a called ticket (not waiting, not ended). */
export function mayEnd(status: TicketStatus): boolean {
  return status === 'called';
}

/** Seconds between taking the number and being called (whole seconds, never negative); null while waiting. */
export function waitSeconds(takenAt: Date, calledAt: Date | null): number | null {
  return calledAt === null ? null : Math.max(0, Math.round((calledAt.getTime() - takenAt.getTime()) / 1000));
}

/** The `q`-quantile of sorted values by the nearest-rank method (the ⌈q·n⌉-th value); null when empty. */
export function nearestRank(sorted: readonly number[], q: number): number | null {
  if (sorted.length === 0) return null;
  const rank = Math.max(1, Math.ceil(q * sorted.length));
  return sorted[rank - 1] ?? null;
}

/** The median of sorted values: the middle one, or the mean of the two middle ones (rounded); null when empty. */
export function median(sorted: readonly number[]): number | null {
  const n = sorted.length;
  if (n === 0) return null;
  const mid = Math.floor(n / 2);
  return n % 2 === 1 ? (sorted[mid] as number) : Math.round(((sorted[mid - 1] as number) + (sorted[mid] as number)) / 2);
}

export interface SummaryTicket {
  status: TicketStatus;
  takenAt: Date;
  calledAt: Date | null;
}

export interface QueueSummary {
  taken: number;
  waiting: number;
  called: number;
  served: number;
  noShow: number;
  /** Over the tickets called that day (served, no-show or still at a desk), in seconds. */
  medianWaitSeconds: number | null;
  p90WaitSeconds: number | null;
}

/** The day's summary: counts by status and the median and p90 (nearest rank) wait of the called tickets. */
export function summarize(tickets: readonly SummaryTicket[]): QueueSummary {
  const count = (s: TicketStatus) => tickets.filter((t) => t.status === s).length;
  const waits = tickets
    .map((t) => waitSeconds(t.takenAt, t.calledAt))
    .filter((w): w is number => w !== null)
    .sort((a, b) => a - b);
  return {
    taken: tickets.length,
    waiting: count('waiting'),
    called: count('called'),
    served: count('served'),
    noShow: count('no_show'),
    medianWaitSeconds: median(waits),
    p90WaitSeconds: nearestRank(waits, 0.9),
  };
}
