-- lindung_apply_payment: its current definition (written before by migrations/2026-12-07T0400-settlement-rule-fidelity.ts, which stays frozen).
-- Applied after the migrations by src/db/function-sources.ts whenever this file changes (docs/architecture.md).
create or replace function lindung_apply_payment(
  p_payment_id text, p_external_id text, p_fingerprint text, p_payment_code text, p_amount bigint, p_channel text,
  p_paid_at timestamptz, p_now timestamptz, p_new_participant_id text, p_message_id text, p_horizon_months int,
  p_clock_skew_seconds int
) returns jsonb language plpgsql as $$
declare
  b bill%rowtype;
  v_nik text;
  v_owner text;
  v_months text[];
  v_covered bigint := 0;
  v_reason text;
  v_pid text;
  v_kpj text;
  v_email text;
  v_name text;
  v_created timestamptz;
  v_excess bigint := 0;
  v_balance bigint;
  v_horizon text;
  v_payer jsonb;
  v_recorded jsonb;
begin
  -- Notifications for one bill serialise on its row.
  select * into b from bill where payment_code = p_payment_code for update;
  -- No member bill has the code: a collective bill's code ('9…', payer_bill) is settled by lindung_apply_payer_payment
  -- (one payment, its fan-out job); null there too means the code is unknown.
  if b.id is null and left(p_payment_code, 1) = '9' then
    v_payer := lindung_apply_payer_payment(p_payment_id, p_external_id, p_fingerprint, p_payment_code, p_amount,
                                           p_channel, p_paid_at, p_now, p_clock_skew_seconds);
    if v_payer is not null then
      return v_payer;
    end if;
  end if;
  -- A payment cannot have been made before its bill existed: refused, nothing recorded (the caller answers 422
  -- invalid_paid_at; a paidAt too far in the future is refused before the call). The same clock skew as for the
  -- future (p_clock_skew_seconds, the caller's PAID_AT_FUTURE_TOLERANCE_MS) is allowed: a bank whose clock runs a little behind ours pays a bill it has just asked for
  -- (a BI-SNAP inquiry issues it) with a trxDateTime seconds "before" the issue, and that money must settle.
  if b.id is not null and p_paid_at < date_trunc('second', b.created_at) - make_interval(secs => p_clock_skew_seconds) then
    -- (a repeat of a recorded id is still answered as one: duplicate, or a conflict with other content)
    return jsonb_build_object('status', coalesce(lindung_payment_repeat(p_external_id, p_fingerprint), 'invalid_paid_at'));
  end if;
  if b.id is not null and b.status <> 'paid' then
    -- Settlements for one person (by the NIK's keyed hash, nik_hash) run one at a time whichever of their bills is paid (two first bills of
    -- one NIK, or a first bill and a renewal); each later statement sees what the previous holder committed.
    -- A cancelled bill never settles, so it takes no lock; its months are read to tell bill_already_paid (another
    -- bill or the wallet paid them) from bill_replaced.
    v_nik := coalesce((select nik_hash from participant where id = b.participant_id),
                      (select nik_hash from registration where id = b.registration_id));
    if b.status = 'open' then
      perform pg_advisory_xact_lock(hashtextextended('lindung:person:' || v_nik, 0));
    end if;
    v_owner := coalesce(b.participant_id, (select id from participant where nik_hash = v_nik));
    select array_agg(distinct month order by month) into v_months from bill_line where bill_id = b.id;
    if v_owner is not null then
      select count(*) into v_covered from coverage_month where participant_id = v_owner and month = any (v_months);
    end if;
  end if;

  -- The prepayment horizon: no cover beyond p_horizon_months (the rule book's) after the current month (WIB, UTC+7
  -- all year).
  v_horizon := to_char((p_now at time zone 'UTC') + interval '7 hours' + make_interval(months => p_horizon_months),
                       'YYYY-MM');

  -- The decision: unknown code; already paid (or its months already covered); paid by a collective bill; paid after its expiry (judged on
  -- the channel's paidAt, not on arrival); replaced by a newer bill; short amount; beyond the prepayment horizon.
  -- More than the bill settles it; the excess goes to the member's contribution wallet (below).
  if b.id is null then
    v_reason := 'unknown_payment_code';
  elsif b.status = 'paid' or v_covered > 0 then
    v_reason := 'bill_already_paid';
  elsif b.payer_bill_id is not null and p_channel <> 'payer' then
    -- linked to a collective bill (src/modules/payer-bills): only its fan-out (channel 'payer') settles it
    v_reason := 'bill_paid_by_payer';
  elsif b.expires_at < p_paid_at then
    v_reason := 'bill_expired';
  elsif b.status = 'cancelled' then
    v_reason := 'bill_replaced';
  elsif p_amount < b.amount then
    v_reason := 'amount_mismatch';
  elsif v_months[array_length(v_months, 1)] > v_horizon then
    v_reason := 'prepay_limit';
  end if;

  -- Idempotency by external id (the unique constraint decides, under any concurrency: a loser waits for the
  -- winner's commit, inserts nothing, and only reads); money that cannot settle a bill is kept in suspense for
  -- reconciliation or refund: lindung_record_payment. Null: recorded as applied, settled below.
  v_recorded := lindung_record_payment(p_payment_id, p_external_id, p_fingerprint, p_payment_code, p_amount, p_channel,
                                       p_paid_at, p_now, v_reason, b.id);
  if v_recorded is not null then
    return v_recorded;
  end if;

  if b.kind = 'first' then
    -- The first settled bill creates the participant, or reactivates an inactive one with the same KPJ.
    insert into participant (id, kpj, nik_hash, nik_sealed, full_name, birth_date, gender, phone, email, address, occupation_code,
                             sector, branch_code, programs, declared_income, funding, registration_id, created_at,
                             updated_at)
    select coalesce(v_owner, p_new_participant_id), lindung_next_kpj(), r.nik_hash, r.nik_sealed, r.full_name, r.birth_date, r.gender,
           r.phone, r.email, r.address, r.occupation_code, r.sector, r.branch_code,
           coalesce(r.programs, array['JKK', 'JKM']), r.declared_income, r.funding, r.id, p_now, p_now
      from registration r where r.id = b.registration_id
    on conflict (nik_hash) do update set
      nik_sealed = excluded.nik_sealed, full_name = excluded.full_name, birth_date = excluded.birth_date, gender = excluded.gender,
      phone = excluded.phone, email = excluded.email, address = excluded.address,
      occupation_code = excluded.occupation_code, sector = excluded.sector, branch_code = excluded.branch_code,
      programs = excluded.programs, declared_income = excluded.declared_income, funding = excluded.funding,
      registration_id = excluded.registration_id, updated_at = excluded.updated_at
    returning id, kpj, email, full_name, created_at into v_pid, v_kpj, v_email, v_name, v_created;
    update registration set status = 'completed', participant_id = v_pid, updated_at = p_now
     where id = b.registration_id;
  else
    v_pid := b.participant_id;
    select kpj, email, full_name, created_at into v_kpj, v_email, v_name, v_created from participant where id = v_pid;
  end if;

  -- Paid, covered, the nets from the channel's clearing account to the programs: lindung_settle_bill, the settlement
  -- the wallet sweep goes through too.
  perform lindung_settle_bill(b.id, v_pid, v_kpj, v_months, 'clearing:' || p_channel, p_payment_id, p_paid_at, p_now,
                              p_payment_id);

  -- Overpayment: the excess is the member's, credited to their contribution wallet (a later sweep may pay the next
  -- months from it), and told by email with the new balance.
  if p_amount > b.amount then
    v_excess := p_amount - b.amount;
    insert into ledger_transfer (id, debit_account, credit_account, amount, code, ref, created_at)
    values (p_payment_id || ':wallet', 'clearing:' || p_channel, 'wallet:' || v_kpj, v_excess, 'overpayment',
            p_payment_id, p_now);
    select coalesce(sum(case when credit_account = 'wallet:' || v_kpj then amount else -amount end), 0)
      into v_balance
      from ledger_transfer where credit_account = 'wallet:' || v_kpj or debit_account = 'wallet:' || v_kpj;
    insert into outbox_message (id, channel, recipient, subject, body, template, data, next_attempt_at, created_at)
    values (p_message_id || ':wallet', 'email', v_email, '', '', 'wallet_credited',
            jsonb_build_object('fullName', v_name, 'kpj', v_kpj, 'kind', 'overpayment', 'amount', v_excess,
                               'balance', v_balance, 'paymentCode', b.payment_code),
            p_now, p_now);
  end if;

  -- The card (first bill) or the receipt, rendered from its template when read or delivered.
  insert into outbox_message (id, channel, recipient, subject, body, template, data, next_attempt_at, created_at)
  values (p_message_id, 'email', v_email, '', '',
          case b.kind when 'first' then 'card_issued' else 'payment_receipt' end,
          case b.kind
            when 'first' then jsonb_build_object(
              'fullName', v_name, 'kpj', v_kpj, 'participantId', v_pid, 'issuedAt', v_created, 'attachCard', true,
              -- a first bill's months are the newest the person has (a reactivation covers from the current month)
              'coveredThrough', v_months[array_length(v_months, 1)])
            else jsonb_build_object(
              'fullName', v_name, 'kpj', v_kpj, 'amount', b.amount, 'paymentCode', b.payment_code,
              'months', case when v_months[1] = v_months[array_length(v_months, 1)] then v_months[1]
                             else v_months[1] || ' s.d. ' || v_months[array_length(v_months, 1)] end)
          end,
          p_now, p_now);
  return jsonb_build_object('status', 'applied', 'participantId', v_pid, 'walletCredit', v_excess);
end;
$$;
