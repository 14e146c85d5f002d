import { sql, type Kysely } from 'kysely';

/**
 * One payment code per submission of registration step 4 (issue 18 item 10). Frozen once shipped.
 *
 * - `bill.submit_token`: the idempotency token the step-4 form carries (chosen when the form is rendered). A submit
 *   that repeats a token finds the bill the first one issued (under the registration's submit lock) and answers with
 *   it: no second code, no second email. Null for every other bill.
 */
export async function up(db: Kysely<any>): Promise<void> {
  await sql`
    alter table bill add column submit_token text;
    alter table bill add constraint bill_submit_token_check check (submit_token is null or (length(submit_token) between 16 and 64 and registration_id is not null));
    create index bill_registration_submit_token on bill (registration_id, submit_token) where submit_token is not null;
  `.execute(db);
}
