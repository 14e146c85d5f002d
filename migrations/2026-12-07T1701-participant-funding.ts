import { sql, type Kysely } from 'kysely';

/**
 * Issue 17 item 1: a member's funding, effective-dated, like participant_income. `participant_funding`: who pays from
 * `from_month` until the next row — the funding (self, sponsor, partner, apbn, apbd), the payer's id (a partner/payer
 * id or a sponsor's participant id; null = the member) and the payer's name as shown to the member (stored here, so
 * the portal needs no lookup in another module's tables). participant.funding stays the funding in force now (a
 * cache); a member without rows is funded as participant.funding and registration.payer_id say. Frozen once shipped.
 */
export async function up(db: Kysely<any>): Promise<void> {
  await sql`
    create table participant_funding (
      participant_id text not null references participant (id),
      from_month text not null check (from_month ~ '^[0-9]{4}-(0[1-9]|1[0-2])$'),
      funding text not null check (funding in ('self', 'sponsor', 'partner', 'apbn', 'apbd')),
      payer_id text check (payer_id is null or length(payer_id) between 1 and 120),
      payer_name text check (payer_name is null or length(payer_name) between 1 and 200),
      actor text not null,
      created_at timestamptz not null,
      primary key (participant_id, from_month)
    )
  `.execute(db);
}
