import { addDays, localDateInJakarta, type LocalDate } from '../../../shared/month.js';

export const COMPLAINT_CATEGORIES = ['payment', 'card', 'claim', 'data', 'service', 'other'] as const;
export type ComplaintCategory = (typeof COMPLAINT_CATEGORIES)[number];

/**
 * The service level of a complaint (pengaduan): how many WORKING days (Monday–Friday, not a national holiday of the
 * holiday calendar) the contact centre has to resolve it, by category. A payment or card problem blocks the member at
 * once, so it is the shortest.
 */
export const COMPLAINT_SLA_WORKING_DAYS: Record<ComplaintCategory, number> = {
  payment: 2,
  card: 2,
  claim: 5,
  data: 3,
  service: 3,
  other: 5,
};

const DAY_MS = 86_400_000;

/**
 * When a complaint opened at `openedAt` is due: the same WIB time of day, `n` working days later (a complaint opened
 * on a Friday afternoon with 2 working days is due Tuesday afternoon). `isWorkingDay` is the holiday calendar's test.
 * Pure: the caller passes the instant and the calendar.
 */
export function slaDueAt(openedAt: Date, category: ComplaintCategory, isWorkingDay: (d: LocalDate) => boolean): Date {
  const start = localDateInJakarta(openedAt);
  let d = start;
  let days = 0;
  for (let left = COMPLAINT_SLA_WORKING_DAYS[category]; left > 0; ) {
    d = addDays(d, 1);
    days += 1;
    if (isWorkingDay(d)) {
      left -= 1;
    }
  }
  return new Date(openedAt.getTime() + days * DAY_MS);
}
