import { sql, type Kysely } from 'kysely';

/**
 * Settlement of a payment notification as one database function, so that a notification costs one round trip with
 * plans cached per session instead of ~18 statements (measured: docs/benchmarks.md). It implements exactly the rules
 * documented in src/modules/payments/apply-payment.ts; the component tests and the seeded money-path simulation
 * exercise it on PGlite and on PostgreSQL.
 */
export async function up(db: Kysely<any>): Promise<void> {
  await sql`
    -- Settling updates bill and registration rows in place: leave room in each page so those updates stay HOT (no
    -- new index entries for unchanged indexed columns).
    alter table bill set (fillfactor = 85);
    alter table registration set (fillfactor = 85);

    -- Luhn check digit, the rightmost digit doubled first (same as luhnCheckDigit in src/shared/ids.ts).
    create function lindung_luhn_check_digit(digits text) returns text language plpgsql immutable as $$
    declare
      s integer := 0;
      d integer;
      n integer := length(digits);
    begin
      for i in 0 .. n - 1 loop
        d := substr(digits, n - i, 1)::integer;
        if i % 2 = 0 then
          d := d * 2;
          if d > 9 then d := d - 9; end if;
        end if;
        s := s + d;
      end loop;
      return ((10 - s % 10) % 10)::text;
    end;
    $$;

    -- KPJ: 10 digits from kpj_seq and a Luhn digit; a sequence value is never handed out twice.
    create function lindung_next_kpj() returns text language plpgsql as $$
    declare
      base text := nextval('kpj_seq')::text;
    begin
      return base || lindung_luhn_check_digit(base);
    end;
    $$;

    create function lindung_apply_payment(
      p_payment_id text, p_external_id text, p_fingerprint text, p_payment_code text, p_amount bigint, p_channel text,
      p_paid_at timestamptz, p_now timestamptz, p_new_participant_id text, p_message_id text
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
    begin
      -- Notifications for one bill serialise on its row.
      select * into b from bill where payment_code = p_payment_code for update;
      if b.id is not null and b.status = 'open' then
        -- Settlements for one person (by NIK) run one at a time whichever of their bills is paid (two first bills of
        -- one NIK, or a first bill and a renewal); each later statement sees what the previous holder committed.
        v_nik := coalesce((select nik from participant where id = b.participant_id),
                          (select nik from registration where id = b.registration_id));
        perform pg_advisory_xact_lock(hashtextextended('lindung:person:' || v_nik, 0));
        v_owner := coalesce(b.participant_id, (select id from participant where nik = v_nik));
        select array_agg(distinct month order by month) into v_months from bill_line where bill_id = b.id;
        if v_owner is not null then
          select count(*) into v_covered from coverage_month where participant_id = v_owner and month = any (v_months);
        end if;
      end if;

      -- The decision: unknown code; already paid (or its months already covered); expired or replaced; wrong amount.
      if b.id is null then
        v_reason := 'unknown_payment_code';
      elsif b.status = 'paid' or v_covered > 0 then
        v_reason := 'bill_already_paid';
      elsif b.status = 'cancelled' or b.expires_at <= p_now then
        v_reason := 'bill_expired';
      elsif b.amount <> p_amount then
        v_reason := 'amount_mismatch';
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
      insert into coverage_month (participant_id, month, bill_id) select v_pid, m, b.id from unnest(v_months) m;

      -- One transfer per program from the channel's clearing account: JKK and JKM to the pooled funds, JHT to the
      -- member's own account (the chart of accounts in src/modules/ledger/domain/chart-of-accounts.ts).
      insert into ledger_transfer (id, debit_account, credit_account, amount, code, ref, created_at)
      select p_payment_id || ':' || program, 'clearing:' || p_channel,
             case program when 'JHT' then 'jht:' || v_kpj else 'program:' || program end,
             sum(net), 'contribution_' || lower(program), p_payment_id, p_now
        from bill_line where bill_id = b.id
       group by program
      having sum(net) > 0;

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
      return jsonb_build_object('status', 'applied');
    end;
    $$;
  `.execute(db);
}
