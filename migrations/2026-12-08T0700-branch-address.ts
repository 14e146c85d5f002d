import { sql, type Kysely } from 'kysely';

/**
 * Issue 18 (branch directory): a branch office's street address (≤ 200 characters) and phone, both optional and
 * admin-maintained; the seeded branches keep them empty (no address is invented). Frozen once shipped.
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await sql`
    alter table branch add column address text check (address is null or char_length(address) between 1 and 200);
    alter table branch add column phone text check (phone is null or char_length(phone) between 3 and 30);
  `.execute(db);
}
