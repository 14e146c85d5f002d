import { sql, type Kysely } from 'kysely';

/**
 * Reconciliation of settlement files and the staff workflow for unmatched payments (src/modules/reconciliation/).
 * Frozen once shipped, like every migration. Kept within PostgreSQL 15 and what PGlite runs.
 */
export async function up(db: Kysely<any>): Promise<void> {
  await sql`
    -- One run per channel, sender, settlement date and file content (SHA-256 of the text): uploading the same file
    -- again returns the same run (the unique constraint decides, also under concurrency). The run keeps the file
    -- and the totals of the comparison as it was made; its differences are the rows below.
    create table reconciliation_run (
      id text primary key,
      channel text not null check (channel in ('va', 'qris', 'ewallet', 'retail', 'counter', 'autodebit')),
      source text not null check (source in ('snap', 'midtrans', 'xendit', 'api')),
      settlement_date date not null,
      file_sha256 text not null,
      file_text text not null,
      file_rows integer not null check (file_rows >= 0),
      file_amount bigint not null check (file_amount >= 0),
      recorded_count integer not null check (recorded_count >= 0),
      recorded_amount bigint not null check (recorded_amount >= 0),
      matched_count integer not null check (matched_count >= 0),
      matched_amount bigint not null check (matched_amount >= 0),
      created_by text not null,
      created_at timestamptz not null,
      unique (channel, source, settlement_date, file_sha256)
    );

    create table reconciliation_difference (
      run_id text not null references reconciliation_run (id),
      seq integer not null,
      kind text not null check (kind in ('missing_payment', 'not_in_file', 'amount_differs')),
      external_id text not null,
      payment_code text not null,
      line integer,
      reference_no text,
      file_amount bigint,
      transaction_time timestamptz,
      payment_id text references payment (id),
      recorded_amount bigint,
      paid_at timestamptz,
      outcome text,
      recorded_channel text,
      primary key (run_id, seq),
      check ((kind = 'not_in_file') = (line is null)),
      check ((kind = 'missing_payment') = (payment_id is null))
    );

    -- Payments of a channel on a day (the scope of a run).
    create index payment_channel_paid_at_idx on payment (channel, paid_at);

    -- How an unmatched payment was resolved by staff: once (the primary key), refunded XOR assigned to a member.
    -- The payment row itself is not changed; an unmatched payment is open while it has no resolution.
    create table payment_resolution (
      payment_id text primary key references payment (id),
      resolution text not null check (resolution in ('refunded', 'assigned')),
      amount bigint not null check (amount > 0),
      participant_id text references participant (id),
      reason text not null,
      resolved_by text not null,
      resolved_at timestamptz not null,
      check ((resolution = 'assigned') = (participant_id is not null))
    );

    -- A refund for the channel to execute (pay the money back to the payer); one per payment.
    create table refund_request (
      id text primary key,
      payment_id text not null unique references payment (id),
      channel text not null,
      external_id text not null,
      amount bigint not null check (amount > 0),
      status text not null default 'requested' check (status in ('requested', 'executed', 'failed')),
      reason text not null,
      requested_by text not null,
      requested_at timestamptz not null,
      executed_at timestamptz
    );
    create index refund_request_open_idx on refund_request (requested_at) where status = 'requested';

    -- Every staff action: who (the staff key's id), what, on which record, why, when. Append-only (trigger).
    create table staff_audit (
      id bigint generated always as identity primary key,
      actor text not null,
      action text not null,
      subject text not null,
      reason text,
      detail jsonb not null default '{}',
      created_at timestamptz not null
    );
    create index staff_audit_subject_idx on staff_audit (subject, id);
    create function staff_audit_is_append_only() returns trigger language plpgsql as $$
    begin
      raise exception 'staff_audit is append-only';
    end;
    $$;
    create trigger staff_audit_append_only before update or delete on staff_audit
      for each row execute function staff_audit_is_append_only();
  `.execute(db);
}
