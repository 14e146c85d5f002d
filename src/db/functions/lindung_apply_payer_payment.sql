-- lindung_apply_payer_payment: a payment of a collective bill's code (payer_bill, '9…'; src/modules/payer-bills,
-- docs/architecture.md "Collective bills"). Called by lindung_apply_payment when no member bill has the code; null when
-- no collective has it either (then the code is unknown). Decided like a member bill: paid (or settling) → bill_already_paid;
-- paid (the channel's paidAt) after its expiry → bill_expired; cancelled → bill_replaced; short → amount_mismatch;
-- a paidAt before its issue (clock skew aside) → invalid_paid_at, nothing recorded. Idempotent by external id.
-- Settled: ONE payment; the collective's amount moves clearing:<channel> → clearing:payer (payer_collective), an excess
-- clearing:<channel> → suspense (payer_excess, the payer's to refund); the collective becomes 'settling' and its
-- fan-out job (payer-fanout:<payment id>, src/modules/jobs) is scheduled in this transaction: it settles every member
-- bill from clearing:payer through lindung_apply_payment / lindung_settle_batch (channel 'payer').
-- Applied after the migrations by src/db/function-sources.ts whenever this file changes (docs/architecture.md).
create or replace function lindung_apply_payer_payment(
  p_payment_id text, p_external_id text, p_fingerprint text, p_payment_code text, p_amount bigint, p_channel text,
  p_paid_at timestamptz, p_now timestamptz, p_clock_skew_seconds int
) returns jsonb language plpgsql as $$
declare
  pb payer_bill%rowtype;
  v_reason text;
  v_recorded jsonb;
begin
  -- Payments of one collective serialise on its row.
  select * into pb from payer_bill where payment_code = p_payment_code for update;
  if pb.id is null then
    return null;
  end if;
  if p_paid_at < date_trunc('second', pb.created_at) - make_interval(secs => p_clock_skew_seconds) then
    return jsonb_build_object('status', coalesce(lindung_payment_repeat(p_external_id, p_fingerprint), 'invalid_paid_at'));
  end if;

  if pb.status in ('settling', 'paid') then
    v_reason := 'bill_already_paid';
  elsif pb.expires_at < p_paid_at then
    v_reason := 'bill_expired';
  elsif pb.status = 'cancelled' then
    v_reason := 'bill_replaced';
  elsif p_amount < pb.amount then
    v_reason := 'amount_mismatch';
  end if;

  -- Recorded once by external id; unmatched → suspense (lindung_record_payment, as for a member bill).
  v_recorded := lindung_record_payment(p_payment_id, p_external_id, p_fingerprint, p_payment_code, p_amount, p_channel,
                                       p_paid_at, p_now, v_reason, null);
  if v_recorded is not null then
    return v_recorded;
  end if;

  update payer_bill set status = 'settling', paid_at = p_paid_at, payment_id = p_payment_id where id = pb.id;
  if pb.amount > 0 then
    insert into ledger_transfer (id, debit_account, credit_account, amount, code, ref, created_at)
    values (p_payment_id || ':payer', 'clearing:' || p_channel, 'clearing:payer', pb.amount, 'payer_collective',
            p_payment_id, p_now);
  end if;
  if p_amount > pb.amount then
    insert into ledger_transfer (id, debit_account, credit_account, amount, code, ref, created_at)
    values (p_payment_id || ':excess', 'clearing:' || p_channel, 'suspense', p_amount - pb.amount, 'payer_excess',
            p_payment_id, p_now);
  end if;
  insert into job (id, kind, payload, run_at, attempts_max, progress, created_at, updated_at)
  values ('payer-fanout:' || p_payment_id, 'payer_bill_fanout',
          jsonb_build_object('payerBillId', pb.id, 'paymentId', p_payment_id), p_now, 20,
          '{"done": 0, "total": null, "cursor": null}'::jsonb, p_now, p_now)
  on conflict (id) do nothing;
  return jsonb_build_object('status', 'payer', 'payerBillId', pb.id, 'walletCredit', 0);
end;
$$;
