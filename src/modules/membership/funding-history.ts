import type { Kysely } from 'kysely';
import type { Database, Funding } from '../../db/database.js';
import type { FundingFrom } from '../contributions/index.js';

/** Reading a member's funding history (participant_funding; see funding.ts). No imports from this module's files. */

/** One row of a member's funding history, as the portal and the staff view show it. */
export interface FundingRow {
  fromMonth: string;
  funding: Funding;
  payerId: string | null;
  payerName: string | null;
}

/** The member's funding history, oldest first. */
export async function fundingHistory(db: Kysely<Database>, participantId: string): Promise<FundingRow[]> {
  const rows = await db
    .selectFrom('participant_funding')
    .select(['from_month', 'funding', 'payer_id', 'payer_name'])
    .where('participant_id', '=', participantId)
    .orderBy('from_month')
    .execute();
  return rows.map((r) => ({ fromMonth: r.from_month, funding: r.funding, payerId: r.payer_id, payerName: r.payer_name }));
}

/** What priceContribution needs to price each month with its funding: `{ funding, fundingFrom }`. */
export async function fundingPlanOf(db: Kysely<Database>, p: { id: string; funding: Funding }): Promise<{ funding: Funding; fundingFrom: FundingFrom[] }> {
  const rows = await fundingHistory(db, p.id);
  return { funding: p.funding, fundingFrom: rows.map((r) => ({ fromMonth: r.fromMonth, funding: r.funding })) };
}
