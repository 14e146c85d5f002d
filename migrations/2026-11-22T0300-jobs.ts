import { sql, type Kysely } from 'kysely';

/**
 * The database-backed job runner (src/modules/jobs/) and the recorded membership status transitions of the monthly
 * cycle. Frozen once shipped, like every migration. Kept within PostgreSQL 15 and what PGlite runs.
 */
export async function up(db: Kysely<any>): Promise<void> {
  await sql`
    -- One row per job. The id is deterministic (e.g. 'reminders:2026-12:due'), so scheduling is
    -- INSERT … ON CONFLICT (id) DO NOTHING: the same job is never created twice. A running job holds a lease
    -- (locked_until); a runner that dies leaves the row 'running' with a lapsed lease, and the next runner claims it
    -- again and resumes from progress.cursor, which every batch commits together with its own writes.
    create table job (
      id text primary key,
      kind text not null,
      payload jsonb not null default '{}',
      run_at timestamptz not null,
      status text not null default 'pending' check (status in ('pending', 'running', 'done', 'failed')),
      attempts integer not null default 0 check (attempts >= 0),
      attempts_max integer not null check (attempts_max > 0),
      locked_until timestamptz,
      progress jsonb not null default '{}',
      last_error text,
      created_at timestamptz not null,
      updated_at timestamptz not null,
      started_at timestamptz,
      finished_at timestamptz,
      check ((status = 'running') = (locked_until is not null))
    );
    create index job_due_idx on job (run_at) where status in ('pending', 'running');

    -- Membership status stays derived (membership-status.ts); this table records when the derived status changed,
    -- why, and that the member was told. One row per participant, date and new status: recording is idempotent.
    create table membership_status_change (
      id bigint generated always as identity primary key,
      participant_id text not null references participant (id),
      from_status text not null check (from_status in ('active', 'arrears', 'inactive')),
      to_status text not null check (to_status in ('active', 'arrears', 'inactive')),
      effective_date date not null,
      reason text not null,
      recorded_at timestamptz not null,
      check (from_status <> to_status),
      unique (participant_id, effective_date, to_status)
    );
    create index membership_status_change_latest_idx on membership_status_change (participant_id, id desc);
  `.execute(db);
}
