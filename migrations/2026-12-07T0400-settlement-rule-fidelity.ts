import { sql, type Kysely } from 'kysely';

/**
 * Settlement rule fidelity (issue 13; api-contract.md "Coverage begins when the money arrives"). Frozen once shipped,
 * like every migration. Stays inside PostgreSQL 15 and PGlite.
 *
 * `lindung_apply_payment` (last written in 2026-11-22T0410-wallet.ts) is replaced with the same body except for the
 * decision, and two more arguments, `p_horizon_months` (the rule book's prepayment horizon, prepayHorizonMonths) and
 * `p_clock_skew_seconds` (the clock skew allowed on paidAt, apply-payment.ts PAID_AT_FUTURE_TOLERANCE_MS);
 * `lindung_apply_payments` (2026-12-06T0100-apply-payments-batch.ts) is replaced to pass them through, one per element:
 * - expiry is judged on the channel's `paidAt`, not on arrival: a bill paid at or before its `expiresAt` settles
 *   however late the notification arrives, if it is still unpaid and not replaced by a newer bill: a cancelled bill
 *   whose months are covered (by the newer bill, or the wallet) is `bill_already_paid`, else `bill_replaced` (a new
 *   reason; before, both were `bill_expired`);
 * - a `paidAt` more than `p_clock_skew_seconds` (clock skew) before the bill was issued is refused: `{ "status": "invalid_paid_at" }`, nothing recorded;
 * - a bill whose last month is more than `p_horizon_months` beyond the current month (WIB) is not settled: unmatched, new
 *   reason `prepay_limit`, money in suspense (bills are refused at issue; this guards bills issued before that rule).
 * - each covered month records `coverage_month.settled_at`, the instant its payment settled (the server clock when it
 *   arrived): cover for events begins there, never back-dated to the 1st (src/modules/membership/domain/cover-start.ts).
 * `payment.unmatched_reason` admits the two new reasons. Months covered before this migration get the arrival of the
 * payment that paid them (else the bill's paid_at, else its issue).
 */
export async function up(db: Kysely<any>): Promise<void> {
  await sql`
    alter table coverage_month add column settled_at timestamptz;
    update coverage_month c set settled_at = coalesce(p.received_at, b.paid_at, b.created_at)
      from bill b left join payment p on p.id = b.payment_id
     where b.id = c.bill_id;
    alter table coverage_month alter column settled_at set not null;

    alter table payment drop constraint payment_unmatched_reason_check;
    alter table payment add constraint payment_unmatched_reason_check check (unmatched_reason in
      ('amount_mismatch', 'bill_expired', 'bill_already_paid', 'unknown_payment_code', 'bill_replaced', 'prepay_limit'));

    -- The prepayment horizon becomes an argument (from the rule book): both functions get a new signature, so the old
    -- ones are dropped (a plpgsql body records no dependency; nothing else calls them).
    drop function lindung_apply_payments(text[], text[], text[], text[], bigint[], text[], timestamptz[], timestamptz[],
                                         text[], text[]);
    drop function lindung_apply_payment(text, text, text, text, bigint, text, timestamptz, timestamptz, text, text);

    create function lindung_apply_payment(
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
      v_inserted text;
      v_pid text;
      v_kpj text;
      v_email text;
      v_name text;
      v_created timestamptz;
      v_excess bigint := 0;
      v_balance bigint;
      v_horizon text;
    begin
      -- Notifications for one bill serialise on its row.
      select * into b from bill where payment_code = p_payment_code for update;
      -- A payment cannot have been made before its bill existed: refused, nothing recorded (the caller answers 422
      -- invalid_paid_at; a paidAt too far in the future is refused before the call). The same clock skew as for the
      -- future (p_clock_skew_seconds, the caller's PAID_AT_FUTURE_TOLERANCE_MS) is allowed: a bank whose clock runs a little behind ours pays a bill it has just asked for
      -- (a BI-SNAP inquiry issues it) with a trxDateTime seconds "before" the issue, and that money must settle.
      if b.id is not null and p_paid_at < date_trunc('second', b.created_at) - make_interval(secs => p_clock_skew_seconds) then
        -- (a repeat of a recorded id is still answered as one: duplicate, or a conflict with other content)
        return jsonb_build_object('status', coalesce(
          (select case when fingerprint = p_fingerprint then 'duplicate' else 'conflict' end
             from payment where external_id = p_external_id),
          'invalid_paid_at'));
      end if;
      if b.id is not null and b.status <> 'paid' then
        -- Settlements for one person (by NIK) run one at a time whichever of their bills is paid (two first bills of
        -- one NIK, or a first bill and a renewal); each later statement sees what the previous holder committed.
        -- A cancelled bill never settles, so it takes no lock; its months are read to tell bill_already_paid (another
        -- bill or the wallet paid them) from bill_replaced.
        v_nik := coalesce((select nik from participant where id = b.participant_id),
                          (select nik from registration where id = b.registration_id));
        if b.status = 'open' then
          perform pg_advisory_xact_lock(hashtextextended('lindung:person:' || v_nik, 0));
        end if;
        v_owner := coalesce(b.participant_id, (select id from participant where nik = v_nik));
        select array_agg(distinct month order by month) into v_months from bill_line where bill_id = b.id;
        if v_owner is not null then
          select count(*) into v_covered from coverage_month where participant_id = v_owner and month = any (v_months);
        end if;
      end if;

      -- The prepayment horizon: no cover beyond p_horizon_months (the rule book's) after the current month (WIB, UTC+7
      -- all year).
      v_horizon := to_char((p_now at time zone 'UTC') + interval '7 hours' + make_interval(months => p_horizon_months),
                           'YYYY-MM');

      -- The decision: unknown code; already paid (or its months already covered); paid after its expiry (judged on
      -- the channel's paidAt, not on arrival); replaced by a newer bill; short amount; beyond the prepayment horizon.
      -- More than the bill settles it; the excess goes to the member's contribution wallet (below).
      if b.id is null then
        v_reason := 'unknown_payment_code';
      elsif b.status = 'paid' or v_covered > 0 then
        v_reason := 'bill_already_paid';
      elsif b.expires_at < p_paid_at then
        v_reason := 'bill_expired';
      elsif b.status = 'cancelled' then
        v_reason := 'bill_replaced';
      elsif p_amount < b.amount then
        v_reason := 'amount_mismatch';
      elsif v_months[array_length(v_months, 1)] > v_horizon then
        v_reason := 'prepay_limit';
      end if;

      -- Idempotency by external id: the unique constraint decides, under any concurrency. A loser waits for the
      -- winner's commit, inserts nothing, and only reads.
      insert into payment (id, external_id, fingerprint, payment_code, amount, channel, paid_at, received_at, outcome,
                           unmatched_reason, bill_id)
      values (p_payment_id, p_external_id, p_fingerprint, p_payment_code, p_amount, p_channel, p_paid_at, p_now,
              case when v_reason is null then 'applied' else 'unmatched' end, v_reason, b.id)
      on conflict (external_id) do nothing
      returning id into v_inserted;
      if v_inserted is null then
        return jsonb_build_object('status',
          (select case when fingerprint = p_fingerprint then 'duplicate' else 'conflict' end
             from payment where external_id = p_external_id));
      end if;

      -- Money that cannot settle a bill is kept in suspense for reconciliation or refund.
      if v_reason is not null then
        insert into ledger_transfer (id, debit_account, credit_account, amount, code, ref, created_at)
        values (p_payment_id || ':suspense', 'clearing:' || p_channel, 'suspense', p_amount, 'unmatched_payment',
                p_payment_id, p_now);
        return jsonb_build_object('status', 'unmatched', 'reason', v_reason);
      end if;

      if b.kind = 'first' then
        -- The first settled bill creates the participant, or reactivates an inactive one with the same KPJ.
        insert into participant (id, kpj, nik, full_name, birth_date, gender, phone, email, address, occupation_code,
                                 sector, branch_code, programs, declared_income, funding, registration_id, created_at,
                                 updated_at)
        select coalesce(v_owner, p_new_participant_id), lindung_next_kpj(), r.nik, r.full_name, r.birth_date, r.gender,
               r.phone, r.email, r.address, r.occupation_code, r.sector, r.branch_code,
               coalesce(r.programs, array['JKK', 'JKM']), r.declared_income, r.funding, r.id, p_now, p_now
          from registration r where r.id = b.registration_id
        on conflict (nik) do update set
          full_name = excluded.full_name, birth_date = excluded.birth_date, gender = excluded.gender,
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

      update bill set status = 'paid', paid_at = p_paid_at, payment_id = p_payment_id, participant_id = v_pid
       where id = b.id;
      insert into coverage_month (participant_id, month, bill_id, settled_at) select v_pid, m, b.id, p_now from unnest(v_months) m;

      -- One transfer per program from the channel's clearing account: JKK and JKM to the pooled funds, JHT to the
      -- member's own account (the chart of accounts in src/modules/ledger/domain/chart-of-accounts.ts).
      insert into ledger_transfer (id, debit_account, credit_account, amount, code, ref, created_at)
      select p_payment_id || ':' || program, 'clearing:' || p_channel,
             case program when 'JHT' then 'jht:' || v_kpj else 'program:' || program end,
             sum(net), 'contribution_' || lower(program), p_payment_id, p_now
        from bill_line where bill_id = b.id
       group by program
      having sum(net) > 0;

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

    -- The batch of 2026-12-06T0100-apply-payments-batch.ts, unchanged but for the horizon passed through.
    create function lindung_apply_payments(
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
  `.execute(db);
}
