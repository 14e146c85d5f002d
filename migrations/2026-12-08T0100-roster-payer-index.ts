import { sql, type Kysely } from 'kysely';

/**
 * Rosters (issue 17 items 2 and 3, src/modules/rosters): a payer's roster is found from the funding rows naming it
 * (and the registrations naming it, already indexed by registration_payer). This index makes that a look-up per
 * payer instead of a scan of every member's funding history. Frozen once shipped, like every migration.
 */
export async function up(db: Kysely<any>): Promise<void> {
  await sql`create index participant_funding_payer on participant_funding (payer_id) where payer_id is not null`.execute(db);
}
