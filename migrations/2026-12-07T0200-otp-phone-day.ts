import { sql, type Kysely } from 'kysely';

/**
 * Per-phone daily OTP bounds (src/modules/auth/otp.ts): one row per phone and day (WIB) counting the one-time codes
 * issued to it (registration, login, resend — each would be an SMS) and the wrong codes entered for it, whatever the
 * registration or challenge. And the phone a session was signed in with, so a session may be switched to another
 * participant sharing that phone (POST /api/v1/auth/switch).
 */
export async function up(db: Kysely<any>): Promise<void> {
  await sql`
    create table otp_phone_day (
      phone text not null,
      day date not null,
      codes_issued integer not null default 0,
      failed_attempts integer not null default 0,
      primary key (phone, day)
    );
    alter table session add column verified_phone text;
  `.execute(db);
}
