import type { Messages } from '../i18n/messages.js';

type T = Messages['staffClaims'];

/** The claims pages' words for stored codes (a status, a flag, a reason, a benefit line): the code itself when unknown. */
const STATUS = { submitted: 'statusSubmitted', verified: 'statusVerified', approved: 'statusApproved', paid: 'statusPaid', rejected: 'statusRejected', returned: 'statusReturned' } as const satisfies Record<string, keyof T>;
const FLAG = { late_report: 'flagLateReport', npwp_required: 'flagNpwpRequired' } as const satisfies Record<string, keyof T>;
const PAYOUT = { pending: 'payoutPending', paid: 'payoutPaid', failed: 'payoutFailed' } as const satisfies Record<string, keyof T>;

function lookup(t: T, table: Record<string, keyof T>, code: string): string {
  const key = table[code];
  return key ? t[key] : code;
}

export const statusLabel = (t: T, status: string) => lookup(t, STATUS, status);
export const flagLabel = (t: T, flag: string) => lookup(t, FLAG, flag);
export const payoutStatusLabel = (t: T, status: string) => lookup(t, PAYOUT, status);

/** `reason_*`, `benefit_*`, `event_*` entries of the catalogue. */
export function codeLabel(t: T, prefix: 'reason' | 'benefit' | 'event', code: string | null | undefined): string {
  if (!code) {
    return '—';
  }
  const key = `${prefix}_${code}` as keyof T;
  return key in t ? t[key] : code;
}

/** Whole days between `from` and `now` (the claim's age in the queue). */
export function ageInDays(from: Date, now: Date): number {
  return Math.max(0, Math.floor((now.getTime() - from.getTime()) / 86_400_000));
}
