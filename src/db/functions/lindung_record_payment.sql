-- lindung_record_payment: records a decided payment, idempotent by external id — the step lindung_apply_payment and
-- lindung_apply_payer_payment share. The unique constraint decides under any concurrency: a loser waits for the
-- winner's commit, inserts nothing, and is answered as a repeat (duplicate, or conflict with other content). Money
-- that cannot settle (p_reason not null) is kept in suspense for reconciliation or refund and answered as unmatched.
-- Null when the payment was recorded as applied: the caller settles it.
-- Applied after the migrations by src/db/function-sources.ts whenever this file changes (docs/architecture.md).
create or replace function lindung_record_payment(
  p_payment_id text, p_external_id text, p_fingerprint text, p_payment_code text, p_amount bigint, p_channel text,
  p_paid_at timestamptz, p_now timestamptz, p_reason text, p_bill_id text
) returns jsonb language plpgsql as $$
declare
  v_inserted text;
begin
  insert into payment (id, external_id, fingerprint, payment_code, amount, channel, paid_at, received_at, outcome,
                       unmatched_reason, bill_id)
  values (p_payment_id, p_external_id, p_fingerprint, p_payment_code, p_amount, p_channel, p_paid_at, p_now,
          case when p_reason is null then 'applied' else 'unmatched' end, p_reason, p_bill_id)
  on conflict (external_id) do nothing
  returning id into v_inserted;
  if v_inserted is null then
    return jsonb_build_object('status', lindung_payment_repeat(p_external_id, p_fingerprint));
  end if;
  if p_reason is not null then
    insert into ledger_transfer (id, debit_account, credit_account, amount, code, ref, created_at)
    values (p_payment_id || ':suspense', 'clearing:' || p_channel, 'suspense', p_amount, 'unmatched_payment',
            p_payment_id, p_now);
    return jsonb_build_object('status', 'unmatched', 'reason', p_reason);
  end if;
  return null;
end;
$$;
