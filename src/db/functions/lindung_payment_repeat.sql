-- lindung_payment_repeat: how a notification whose external id is already recorded is answered — 'duplicate' when
-- it carries the same money fields (fingerprint), 'conflict' when it does not; null when the id is not recorded.
-- Shared by lindung_apply_payment and lindung_apply_topup (idempotency by external id).
-- Applied after the migrations by src/db/function-sources.ts whenever this file changes (docs/architecture.md).
create or replace function lindung_payment_repeat(p_external_id text, p_fingerprint text) returns text
language sql stable as $$
  select case when fingerprint = p_fingerprint then 'duplicate' else 'conflict' end
    from payment where external_id = p_external_id
$$;
