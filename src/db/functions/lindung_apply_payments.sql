-- lindung_apply_payments: its current definition (written before by migrations/2026-12-07T0400-settlement-rule-fidelity.ts, which stays frozen).
-- Applied after the migrations by src/db/function-sources.ts whenever this file changes (docs/architecture.md).
-- The batch: one lindung_apply_payment per element, results in order.
create or replace function lindung_apply_payments(
  p_payment_ids text[], p_external_ids text[], p_fingerprints text[], p_payment_codes text[], p_amounts bigint[],
  p_channels text[], p_paid_ats timestamptz[], p_nows timestamptz[], p_new_participant_ids text[],
  p_message_ids text[], p_horizon_months int[], p_clock_skew_seconds int[]
) returns jsonb language plpgsql as $$
declare
  v_results jsonb[] := '{}';
begin
  for i in 1 .. coalesce(array_length(p_payment_ids, 1), 0) loop
    v_results := array_append(v_results, lindung_apply_payment(
      p_payment_ids[i], p_external_ids[i], p_fingerprints[i], p_payment_codes[i], p_amounts[i], p_channels[i],
      p_paid_ats[i], p_nows[i], p_new_participant_ids[i], p_message_ids[i], p_horizon_months[i],
      p_clock_skew_seconds[i]));
  end loop;
  return to_jsonb(v_results);
end $$;
