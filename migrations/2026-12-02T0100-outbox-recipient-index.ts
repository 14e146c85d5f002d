import { sql, type Kysely } from 'kysely';

/**
 * Drops the outbox's index by recipient. The outbox is a delivery queue: the worker finds work by
 * outbox_pending_idx and marks it by id; only the development endpoint GET /dev/outbox looks messages up by recipient,
 * on development-sized data. The index cost every message written (2,8 million a month from the monthly cycle's
 * reminders at 1 million members, each with a random entry by email or phone) and every delivery (marking a message
 * sent is not a HOT update, so each index gets a new entry). Frozen once shipped, like every migration.
 */
export async function up(db: Kysely<any>): Promise<void> {
  await sql`drop index if exists outbox_recipient_idx`.execute(db);
}

