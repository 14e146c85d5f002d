import { sql, type Kysely } from 'kysely';

/**
 * Sertakan closing (issue 17, wave 2). Frozen once shipped.
 *
 * - `sponsorship.ended_reason` gains 'expired': a consent request the worker never answered ends after
 *   SPONSORSHIP_CONSENT_DAYS (default 7) and no longer blocks another sponsor.
 * - `registration.status` gains 'cancelled': a Sertakan registration whose sponsor stopped (or whose consent request
 *   expired) before the first payment is closed, so the worker can register alone.
 */
export async function up(db: Kysely<any>): Promise<void> {
  await sql`
    alter table sponsorship drop constraint sponsorship_ended_reason_check;
    alter table sponsorship add constraint sponsorship_ended_reason_check check (ended_reason in ('taken_over', 'sponsor_stopped', 'expired'));
    alter table registration drop constraint registration_status_check;
    alter table registration add constraint registration_status_check check (status in ('pending_verification', 'verified', 'submitted', 'completed', 'cancelled'));
  `.execute(db);
}
