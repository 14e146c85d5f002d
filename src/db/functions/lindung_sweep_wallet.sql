-- lindung_sweep_wallet: pays a member's next contribution months from their contribution wallet (wallet:<kpj>), each
-- month a bill of kind `wallet` settled through lindung_settle_bill — the settlement of a paid bill, funded by the
-- wallet's ledger account instead of a channel's clearing account (src/modules/wallet/wallet.ts sweepWallet).
--
-- The caller prices (the rule book is TypeScript): p_candidates are the months the wallet may pay, in order, from the
-- next billable month after a cover through p_covered_through, each priced as a 1-month bill
-- ([{ "month", "total", "lines": [{ "program", "amount", "discount", "net" }] }], wallet-sweep.ts
-- walletSweepCandidates); p_bill_ids one id per candidate. Under the locks a payment takes, in the same order (the
-- member's open bills, then the person by nik_hash), the function reads the cover and the balance and decides: a cover
-- other than p_covered_through answers `stale` and writes nothing (the caller prices again, under the locks it now
-- holds); else it pays the candidates in order while the balance covers a month's whole price. Open bills asking for a
-- month it paid are cancelled (they could only end as bill_already_paid), and one `wallet_contribution` receipt is
-- queued (rendered when read, src/modules/notifications/stored-message.ts). Answers
-- { "status": "swept", "settledMonths": [...], "balance" } (balance after), or `stale`, or `unknown_member`.
-- Applied after the migrations by src/db/function-sources.ts whenever this file changes (docs/architecture.md).
create or replace function lindung_sweep_wallet(
  p_participant_id text, p_covered_through text, p_candidates jsonb, p_bill_ids text[], p_message_id text,
  p_now timestamptz
) returns jsonb language plpgsql as $$
declare
  p participant%rowtype;
  v_wallet text;
  v_cover text;
  v_balance bigint;
  v_start bigint;
  v_total bigint;
  v_month text;
  v_body text;
  v_inserted text;
  v_settled text[] := '{}';
  i int := 0;
  c jsonb;
begin
  select * into p from participant where id = p_participant_id;
  if p.id is null then
    return jsonb_build_object('status', 'unknown_member');
  end if;
  perform 1 from bill where participant_id = p.id and status = 'open' for update;
  perform pg_advisory_xact_lock(hashtextextended('lindung:person:' || p.nik_hash, 0));

  v_wallet := 'wallet:' || p.kpj;
  select max(month) into v_cover from coverage_month where participant_id = p.id;
  if v_cover is distinct from p_covered_through then
    return jsonb_build_object('status', 'stale');
  end if;
  select coalesce(sum(case when credit_account = v_wallet then amount else -amount end), 0) into v_balance
    from ledger_transfer where credit_account = v_wallet or debit_account = v_wallet;
  v_start := v_balance;

  for c in select value from jsonb_array_elements(coalesce(p_candidates, '[]')) loop
    i := i + 1;
    v_total := (c ->> 'total')::bigint;
    v_month := c ->> 'month';
    exit when v_balance <= 0 or v_total > v_balance;
    -- Every bill has a unique code; a wallet bill's is never asked for (paying it is bill_already_paid). The unique
    -- constraint decides, not a prior read.
    v_inserted := null;
    for attempt in 1 .. 5 loop
      v_body := '8' || lpad(floor(random() * 1e14)::bigint::text, 14, '0');
      insert into bill (id, payment_code, kind, registration_id, participant_id, amount, status, first_month,
                        month_count, expires_at, created_at)
      values (p_bill_ids[i], v_body || lindung_luhn_check_digit(v_body), 'wallet', null, p.id, v_total, 'open',
              v_month, 1, p_now, p_now)
      on conflict (payment_code) do nothing
      returning id into v_inserted;
      exit when v_inserted is not null;
    end loop;
    if v_inserted is null then
      raise exception 'could not allocate a unique payment code';
    end if;
    insert into bill_line (bill_id, month, program, amount, discount, net)
    select p_bill_ids[i], v_month, l ->> 'program', (l ->> 'amount')::bigint, (l ->> 'discount')::bigint,
           (l ->> 'net')::bigint
      from jsonb_array_elements(c -> 'lines') l;
    perform lindung_settle_bill(p_bill_ids[i], p.id, p.kpj, array[v_month], v_wallet, null, p_now, p_now, p_bill_ids[i]);
    v_balance := v_balance - v_total;
    v_settled := v_settled || v_month;
  end loop;

  if cardinality(v_settled) > 0 then
    update bill set status = 'cancelled'
     where participant_id = p.id and status = 'open'
       and exists (select 1 from bill_line l where l.bill_id = bill.id and l.month = any (v_settled));
    insert into outbox_message (id, channel, recipient, subject, body, template, data, next_attempt_at, created_at)
    values (p_message_id, 'email', p.email, '', '', 'wallet_contribution',
            jsonb_build_object('fullName', p.full_name, 'kpj', p.kpj, 'amount', v_start - v_balance,
                               'firstMonth', v_settled[1], 'lastMonth', v_settled[cardinality(v_settled)],
                               'balance', v_balance),
            p_now, p_now);
  end if;
  return jsonb_build_object('status', 'swept', 'settledMonths', to_jsonb(v_settled), 'balance', v_balance);
end;
$$;
