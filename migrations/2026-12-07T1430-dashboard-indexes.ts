import { sql, type Kysely } from 'kysely';

/**
 * The indexes the dashboards' queries need (src/modules/dashboards/queries.ts), each answering within a second at
 * 1,000,000 members: new members by day (participant.created_at, covering the branch and the registration), the bills
 * and contribution transfers of a month (covering the amounts), payouts by status, the channel of a registration (index-only
 * lookups), each participant's status history in order (index-only, for the window that dates each change's end).
 * Claims by state already have claim_queue_idx (status, submitted_at). Frozen once shipped.
 */
export async function up(db: Kysely<any>): Promise<void> {
  await sql`create index participant_created_idx on participant (created_at) include (branch_code, registration_id)`.execute(db);
  await sql`create index bill_created_idx on bill (created_at) include (amount, status)`.execute(db);
  await sql`create index ledger_transfer_code_created_idx on ledger_transfer (code, created_at) include (amount)`.execute(db);
  await sql`create index payout_status_idx on payout (status) include (amount)`.execute(db);
  await sql`create index registration_channel_idx on registration (id) include (channel)`.execute(db);
  await sql`create index membership_status_change_history_idx on membership_status_change (participant_id, id) include (effective_date, to_status)`.execute(db);
}
