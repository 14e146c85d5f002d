import { sql, type Kysely } from 'kysely';

/**
 * Government roster uploads as a job (issue 17 item 3, src/modules/rosters/upload.ts): up to 100,000 rows, stored on
 * upload and applied by the job `roster-upload:<id>` in chunks.
 * - `roster_upload`: one upload of a payer for a period (unique per payer and Idempotency-Key), its progress.
 * - `roster_upload_row`: one CSV row as uploaded (the NIK only as its keyed hash, never plain; or the KPJ; the action)
 *   and, once processed, its outcome (status, code, field, the member's KPJ) and the participant it named (duplicates
 *   across chunks). Rows rejected by the format checks are stored with their outcome already.
 */
export async function up(db: Kysely<any>): Promise<void> {
  await sql`
    create table roster_upload (
      id text primary key,
      payer_id text not null references partner (id),
      period text not null check (period ~ '^[0-9]{4}-(0[1-9]|1[0-2])$'),
      idempotency_key text not null,
      body_hash text not null,
      status text not null check (status in ('queued', 'running', 'done')),
      total integer not null,
      processed integer not null default 0,
      accepted integer not null default 0,
      created_at timestamptz not null,
      finished_at timestamptz,
      unique (payer_id, idempotency_key)
    );
    create index roster_upload_unfinished on roster_upload (created_at) where status <> 'done';
    create table roster_upload_row (
      upload_id text not null references roster_upload (id),
      row integer not null,
      nik_hash text,
      kpj text,
      action text not null check (action in ('join', 'leave')),
      status text check (status in ('accepted', 'rejected')),
      code text,
      field text,
      member_kpj text,
      participant_id text,
      primary key (upload_id, row)
    );
  `.execute(db);
}
