import { sql, type Kysely } from 'kysely';

/**
 * One row per file per claim and kind: uploading the same bytes again as the same kind of the same claim (a retry
 * after a lost answer, a double tap) finds the row already there (src/modules/claims/claim-documents.ts inserts with
 * `on conflict do nothing` and answers with the existing document). The distribution column `participant_id` leads,
 * as a unique index on a distributed table must include it (scripts/citus/layout.ts). Frozen once shipped.
 */
export async function up(db: Kysely<any>): Promise<void> {
  await sql`create unique index claim_document_once_idx on claim_document (participant_id, claim_id, kind, sha256)`.execute(db);
}
