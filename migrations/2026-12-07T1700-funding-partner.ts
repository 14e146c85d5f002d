import { sql, type Kysely } from 'kysely';

/**
 * Issue 17 item 1, first step: a member may be funded by a partner (a company or cooperative enrolling workers), so
 * `funding` allows 'partner' on the participant and the registration; `registration.payer_id` says who pays (a
 * partner/payer id, or a sponsor's participant id; free text, null = the member). Frozen once shipped.
 */
export async function up(db: Kysely<any>): Promise<void> {
  await sql`
    alter table participant drop constraint participant_funding_check;
    alter table participant add constraint participant_funding_check check (funding in ('self', 'sponsor', 'partner', 'apbn', 'apbd'));
    alter table registration drop constraint registration_funding_check;
    alter table registration add constraint registration_funding_check check (funding in ('self', 'sponsor', 'partner', 'apbn', 'apbd'));
    alter table registration add column payer_id text check (payer_id is null or length(payer_id) between 1 and 120);
  `.execute(db);
}
