import { sql, type Kysely } from 'kysely';

/**
 * Issue 18 item 3: a registrant who has not paid comes back through "Masuk" with the phone they registered. The
 * code sent for that is an OTP of purpose 'registration_resume' (subject: the phone), so a sign-in code of a member
 * and a resume code never stand in for each other. Every earlier purpose stays. Frozen once shipped.
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await sql`
    alter table otp_challenge drop constraint otp_challenge_purpose_check;
    alter table otp_challenge add constraint otp_challenge_purpose_check
      check (purpose in ('registration', 'login', 'phone_change', 'sponsorship', 'registration_resume'));
  `.execute(db);
}
