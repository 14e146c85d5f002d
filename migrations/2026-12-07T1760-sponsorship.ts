import { sql, type Kysely } from 'kysely';

/**
 * Sertakan (issue 17 item 4): a signed-in member sponsors workers near them. Frozen once shipped.
 *
 * - `sponsorship`: who sponsors whom. A new worker is registered through the registration module (`registration_id`,
 *   funding 'sponsor'); an existing member is named by KPJ (`participant_id` at once). `worker_nik_hash` (the keyed
 *   hash, never the NIK) keeps one open sponsorship per worker: the partial unique index refuses a second sponsor
 *   while one is awaiting consent or active. `consent_token_hash`: the SMS link's token (only its hash).
 *   `requested_months`: the months the sponsor chose, billed once the worker consents. Consent is the worker's OTP
 *   with the versioned UU 27/2022 text (`consent_text_version`). Ended by a take-over or the sponsor stopping.
 * - `otp_challenge.purpose` gains 'sponsorship' (the consent code of an existing member; a new worker's consent code
 *   is the registration's own code).
 */
export async function up(db: Kysely<any>): Promise<void> {
  await sql`
    create table sponsorship (
      id text primary key,
      sponsor_participant_id text not null,
      registration_id text,
      participant_id text,
      worker_nik_hash text not null,
      status text not null check (status in ('awaiting_consent', 'active', 'ended')),
      consent_token_hash text not null unique,
      consent_at timestamptz,
      consent_text_version text,
      requested_months smallint not null check (requested_months between 1 and 12),
      ended_at timestamptz,
      ended_reason text check (ended_reason in ('taken_over', 'sponsor_stopped')),
      created_at timestamptz not null,
      check (registration_id is not null or participant_id is not null),
      check ((status = 'ended') = (ended_at is not null) and (ended_at is null) = (ended_reason is null)),
      check ((consent_at is null) = (consent_text_version is null))
    );
    create index sponsorship_sponsor on sponsorship (sponsor_participant_id, created_at);
    create index sponsorship_worker on sponsorship (participant_id) where participant_id is not null;
    create index sponsorship_registration on sponsorship (registration_id) where registration_id is not null;
    create unique index sponsorship_open_worker on sponsorship (worker_nik_hash) where status <> 'ended';
    alter table otp_challenge drop constraint otp_challenge_purpose_check;
    alter table otp_challenge add constraint otp_challenge_purpose_check check (purpose in ('registration', 'login', 'phone_change', 'sponsorship'));
  `.execute(db);
}
