import { sql, type Kysely } from 'kysely';

/**
 * Member data changes (issue 16 item 5): self-service on /akun/profil and PATCH /api/v1/me, at the counter through
 * PATCH /api/v1/staff/participants/{kpj}. Frozen once shipped.
 *
 * `participant_income`: the pricing terms a member declared, effective-dated — the declared income (`amount`) and
 * the programs in force from `from_month` (the member's next unpaid month when the change was made) until the next
 * row. The first change also writes the terms before it (from the member's first month), so every month has a row
 * once a member has changed anything; a member without rows is priced on participant.declared_income/programs, which
 * always hold the latest terms. Paid months never change: a change only ever starts at the next unpaid month.
 *
 * `contact_change`: a pending change of phone (an OTP to the new number, purpose 'phone_change') or e-mail (a link
 * with a random token, only its SHA-256 stored; 24 hours). The token names the participant id before a '.', so the
 * lookup is a single-shard read by (participant_id, token_hash).
 */
export async function up(db: Kysely<any>): Promise<void> {
  await sql`
    create table participant_income (
      participant_id text not null references participant (id),
      from_month text not null check (from_month ~ '^[0-9]{4}-(0[1-9]|1[0-2])$'),
      amount bigint not null check (amount > 0),
      programs text[] not null,
      actor text not null,
      created_at timestamptz not null,
      primary key (participant_id, from_month)
    );
    create table contact_change (
      participant_id text not null references participant (id),
      id text not null,
      kind text not null check (kind in ('phone', 'email')),
      new_value text not null,
      token_hash text,
      actor text not null,
      expires_at timestamptz not null,
      created_at timestamptz not null,
      used_at timestamptz,
      primary key (participant_id, id)
    );
    alter table otp_challenge drop constraint otp_challenge_purpose_check;
    alter table otp_challenge add constraint otp_challenge_purpose_check check (purpose in ('registration', 'login', 'phone_change'));
  `.execute(db);
}
