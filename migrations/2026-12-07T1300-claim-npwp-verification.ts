import { sql, type Kysely } from 'kysely';

/**
 * Claims polish (issue 15 loose ends). Frozen once shipped.
 *
 * 1. `claim.npwp`: the tax number (NPWP, 15 or 16 digits) given with a JHT claim; the rulebook needs it above
 *    Rp50.000.000 or after an earlier partial claim (domain-rules.md §4). Never logged in full; views show it masked.
 * 2. `claim.verification`: what the officer's verification found but did not pay — the failures of the scholarship
 *    rules (a child beyond the cap, too old, …) as `[{ code, rule, message, todo, params }]`; the staff view explains
 *    them in the reader's language. Null before verification.
 */
export async function up(db: Kysely<any>): Promise<void> {
  await sql`
    alter table claim add column npwp text check (npwp ~ '^[0-9]{15,16}$');
    alter table claim add column verification jsonb;
  `.execute(db);
}
