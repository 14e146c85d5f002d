/**
 * Sertakan's pure rules (issue 17 item 4; rulebook §6): which consent text the worker agreed to, and what may still be
 * done with a sponsorship in each status. No I/O.
 */

/** The version of the UU 27/2022 consent text the worker agrees to (the page shows it; the row records it). */
export const CONSENT_TEXT_VERSION = 'sertakan-2026-12-07';

export type SponsorshipStatus = 'awaiting_consent' | 'active' | 'ended';
export type EndedReason = 'taken_over' | 'sponsor_stopped' | 'expired';

/** Days an unanswered consent request lives by default (SPONSORSHIP_CONSENT_DAYS). */
export const CONSENT_DAYS_DEFAULT = 7;

/**
 * The instant before which an unanswered consent request has expired (`days` after it was made, default 7: long
 * enough for a worker without credit to top up and read the SMS; short enough that a forgotten request does not keep
 * another sponsor away). A request made at or before the cutoff is expired.
 */
export function consentCutoff(now: Date, days: number = CONSENT_DAYS_DEFAULT): Date {
  return new Date(now.getTime() - days * 86_400_000);
}

/** What a sponsor (or the worker) asks of a sponsorship. */
export type SponsorAction = 'consent' | 'bill' | 'stop' | 'take_over';

/**
 * Whether an action is allowed in a status: consent only while awaiting it; bills only once active; the sponsor may
 * stop before or after consent; the worker takes over an active one.
 */
export function actionAllowed(status: SponsorshipStatus, action: SponsorAction): boolean {
  switch (action) {
    case 'consent':
      return status === 'awaiting_consent';
    case 'bill':
    case 'take_over':
      return status === 'active';
    case 'stop':
      return status !== 'ended';
  }
}

