import { sql, type Kysely } from 'kysely';

/**
 * Formulir 1A (issue 16 item 3): a worker who started registering on the web prints the BPU registration form,
 * prefilled, to bring to a branch counter or a bank's SPO desk. The printed form carries a short form code (8
 * Crockford base32 characters, src/modules/registration/domain/form-code.ts) by which the counter finds the web
 * draft. The code is drawn when the form is first printed and lives until `form_code_expires_at` (printing again
 * after that draws a new one). Unique: one code names one draft. Frozen once shipped.
 */
export async function up(db: Kysely<any>): Promise<void> {
  await sql`
    alter table registration
      add column form_code text check (form_code ~ '^[0-9A-HJKMNP-TV-Z]{8}$'),
      add column form_code_expires_at timestamptz,
      add constraint registration_form_code_expiry check ((form_code is null) = (form_code_expires_at is null));
    create unique index registration_form_code_idx on registration (form_code) where form_code is not null;
  `.execute(db);
}
