import { sql, type Kysely } from 'kysely';

/**
 * Staff accounts (issue 15): one row per person, with an argon2id password hash (parameters in the hash string), the
 * roles of the contract (a CHECK), an optional branch, a disabled flag and an optional TOTP secret (required in
 * production). Sessions are random tokens kept only as their SHA-256. Failed sign-ins are counted here (5 in 15
 * minutes lock the account for 15 minutes), so every instance sees the same count. The staff audit gains the
 * record's state before and after a change. Frozen once shipped, like every migration.
 */
export async function up(db: Kysely<any>): Promise<void> {
  await sql`
    create table staff_account (
      id bigint generated always as identity primary key,
      username text not null check (username ~ '^[a-z0-9][a-z0-9._-]{1,62}$'),
      password_hash text not null check (password_hash like '$argon2id$%'),
      roles text[] not null check (
        cardinality(roles) > 0
        and roles <@ array['counter', 'contact_centre', 'claims_verifier', 'claims_approver', 'finance', 'supervisor', 'admin']::text[]
      ),
      branch_code text,
      disabled boolean not null default false,
      totp_secret text,
      -- the 30-second step of the last TOTP code accepted: a code is never accepted twice (RFC 6238 §5.2)
      totp_last_step bigint,
      locked_until timestamptz,
      created_at timestamptz not null
    );
    create unique index staff_account_username_idx on staff_account (lower(username));
    create table staff_session (
      token_hash text primary key,
      account_id bigint not null references staff_account (id) on delete cascade,
      created_at timestamptz not null,
      expires_at timestamptz not null
    );
    create index staff_session_account_idx on staff_session (account_id);
    create table staff_sign_in_failure (
      id bigint generated always as identity primary key,
      account_id bigint not null references staff_account (id) on delete cascade,
      at timestamptz not null
    );
    create index staff_sign_in_failure_account_idx on staff_sign_in_failure (account_id, at);
    alter table staff_audit add column before jsonb, add column after jsonb;
  `.execute(db);
}
