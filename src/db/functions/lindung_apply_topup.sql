-- lindung_apply_topup: its current definition (written before by migrations/2026-11-22T0410-wallet.ts, which stays frozen).
-- Applied after the migrations by src/db/function-sources.ts whenever this file changes (docs/architecture.md).
create or replace function lindung_apply_topup(
  p_payment_id text, p_external_id text, p_fingerprint text, p_payment_code text, p_kpj text, p_amount bigint,
  p_channel text, p_paid_at timestamptz, p_now timestamptz, p_message_id text
) returns jsonb language plpgsql as $$
declare
  v_pid text;
  v_email text;
  v_name text;
  v_inserted text;
  v_balance bigint;
  v_wallet text := 'wallet:' || p_kpj;
begin
  select id, email, full_name into v_pid, v_email, v_name from participant where kpj = p_kpj;

  -- Idempotency by external id, exactly as for a bill payment: the unique constraint decides under any concurrency.
  insert into payment (id, external_id, fingerprint, payment_code, amount, channel, paid_at, received_at, outcome,
                       unmatched_reason, bill_id)
  values (p_payment_id, p_external_id, p_fingerprint, p_payment_code, p_amount, p_channel, p_paid_at, p_now,
          case when v_pid is null then 'unmatched' else 'topup' end,
          case when v_pid is null then 'unknown_payment_code' end, null)
  on conflict (external_id) do nothing
  returning id into v_inserted;
  if v_inserted is null then
    return jsonb_build_object('status', lindung_payment_repeat(p_external_id, p_fingerprint));
  end if;

  if v_pid is null then
    insert into ledger_transfer (id, debit_account, credit_account, amount, code, ref, created_at)
    values (p_payment_id || ':suspense', 'clearing:' || p_channel, 'suspense', p_amount, 'unmatched_payment',
            p_payment_id, p_now);
    return jsonb_build_object('status', 'unmatched', 'reason', 'unknown_payment_code');
  end if;

  insert into ledger_transfer (id, debit_account, credit_account, amount, code, ref, created_at)
  values (p_payment_id || ':wallet', 'clearing:' || p_channel, v_wallet, p_amount, 'wallet_topup', p_payment_id,
          p_now);
  select coalesce(sum(case when credit_account = v_wallet then amount else -amount end), 0) into v_balance
    from ledger_transfer where credit_account = v_wallet or debit_account = v_wallet;
  insert into outbox_message (id, channel, recipient, subject, body, template, data, next_attempt_at, created_at)
  values (p_message_id, 'email', v_email, '', '', 'wallet_credited',
          jsonb_build_object('fullName', v_name, 'kpj', p_kpj, 'kind', 'topup', 'amount', p_amount,
                             'balance', v_balance, 'paymentCode', p_payment_code),
          p_now, p_now);
  return jsonb_build_object('status', 'topup', 'participantId', v_pid, 'walletCredit', p_amount);
end;
$$;
