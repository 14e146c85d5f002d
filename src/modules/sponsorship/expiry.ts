import type { Transaction } from 'kysely';
import type { Database } from '../../db/database.js';
import type { Deps } from '../../deps.js';
import { cancelRegistration } from '../registration/index.js';
import { consentCutoff } from './domain/sponsorship-rules.js';

/** Which unanswered requests to look at: one worker's (by the NIK's keyed hash) or one sponsorship. */
export type ExpiryScope = { workerNikHash: string } | { id: string };

/** The instant before which an unanswered consent request has expired (SPONSORSHIP_CONSENT_DAYS). */
export function cutoffOf(deps: Pick<Deps, 'clock' | 'config'>): Date {
  return consentCutoff(deps.clock.now(), deps.config.sponsorshipConsentDays);
}

/**
 * Ends the consent requests in `scope` the worker did not answer in time (ended_reason 'expired'; the unique open
 * index then lets another sponsor in), in the caller's transaction; a new worker's registration made for the request
 * is closed (cancelRegistration). Lazily, where a request is looked at: the consent link, a new sponsorship of the
 * same worker. Returns how many expired.
 */
export async function expireConsentRequests(trx: Transaction<Database>, deps: Pick<Deps, 'clock' | 'config'>, scope: ExpiryScope): Promise<number> {
  const now = deps.clock.now();
  let q = trx
    .updateTable('sponsorship')
    .set({ status: 'ended', ended_at: now, ended_reason: 'expired' })
    .where('status', '=', 'awaiting_consent')
    .where('created_at', '<=', cutoffOf(deps));
  q = 'id' in scope ? q.where('id', '=', scope.id) : q.where('worker_nik_hash', '=', scope.workerNikHash);
  const expired = await q.returning(['id', 'registration_id']).execute();
  for (const row of expired) {
    if (row.registration_id !== null) await cancelRegistration(trx, row.registration_id, now);
  }
  return expired.length;
}
