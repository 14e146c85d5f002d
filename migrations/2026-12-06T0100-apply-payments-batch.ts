import { sql, type Kysely } from 'kysely';

/**
 * `lindung_apply_payments`: several bill payments settled in ONE transaction — group commit for the payment
 * notifications that arrive together (src/modules/payments/settlement.ts). Each element of the arrays is one
 * notification, passed to `lindung_apply_payment` (2026-11-22T0410-wallet.ts) unchanged and in array order, so a
 * batch decides exactly what the same calls one after another would; the answer is a JSON array of their results, in
 * the same order. Any error rolls the whole batch back (the caller then settles each notification on its own).
 * Frozen once shipped, like every migration. Stays inside PostgreSQL 15 and PGlite.
 */
export async function up(db: Kysely<any>): Promise<void> {
  await sql`
    create or replace function lindung_apply_payments(
      p_payment_ids text[], p_external_ids text[], p_fingerprints text[], p_payment_codes text[], p_amounts bigint[],
      p_channels text[], p_paid_ats timestamptz[], p_nows timestamptz[], p_new_participant_ids text[],
      p_message_ids text[]
    ) returns jsonb language plpgsql as $$
    declare
      v_results jsonb[] := '{}';
    begin
      for i in 1 .. coalesce(array_length(p_payment_ids, 1), 0) loop
        v_results := array_append(v_results, lindung_apply_payment(
          p_payment_ids[i], p_external_ids[i], p_fingerprints[i], p_payment_codes[i], p_amounts[i], p_channels[i],
          p_paid_ats[i], p_nows[i], p_new_participant_ids[i], p_message_ids[i]));
      end loop;
      return to_jsonb(v_results);
    end $$
  `.execute(db);
}
