-- lindung_settle_batch: set-based settlement of a group-commit batch (issue 14 item 6), same arguments and answer as
-- lindung_apply_payments (SETTLEMENT_ENGINE=per-payment), src/modules/payments/settlement.ts calls one or the other.
-- Applied after the migrations by src/db/function-sources.ts whenever this file changes (docs/architecture.md).
-- Settles a batch of bill payments with multi-row statements, each payment decided exactly as
-- lindung_apply_payment decides it alone, in arrival order.
--
-- The common case — an open bill, paid the exact amount, not expired, not before its issue (clock skew aside),
-- within the prepayment horizon, its months not covered yet, a first bill of a person who is not a participant
-- yet, an external id not recorded yet, and no other element of the batch with the same payment code, external
-- id or person (NIK) — is settled set-based: one statement each for the payments, participants (KPJ numbers
-- drawn from lindung_next_kpj in arrival order), registrations, bills, coverage months, ledger transfers and
-- outbox messages of a run of such elements. Every other element (repeats, duplicates, short or over payments,
-- expired, replaced, unknown codes, reactivations, ...) is settled by lindung_apply_payment itself, at its place
-- in the order: a run of common elements is written before it, the next run after it. Common elements share no
-- row with any other element of the batch, so only the order of the KPJ numbers (and the outbox's seq) depends
-- on that interleaving, and it is the arrival order, as with one call per element.
create or replace function lindung_settle_batch(
  p_payment_ids text[], p_external_ids text[], p_fingerprints text[], p_payment_codes text[], p_amounts bigint[],
  p_channels text[], p_paid_ats timestamptz[], p_nows timestamptz[], p_new_participant_ids text[],
  p_message_ids text[], p_horizon_months int[], p_clock_skew_seconds int[]
) returns jsonb language plpgsql
-- Its statements' plans are made once per session: with custom plans (plan_cache_mode auto) the classification
-- and the joins over arrays were planned again on every call, which cost more than running them.
set plan_cache_mode = force_generic_plan
as $$
declare
  n int := coalesce(array_length(p_payment_ids, 1), 0);
  v_results jsonb[] := '{}';
  v_bill_ids text[];
  v_common boolean[];
  v_from int := 1;
  v_to int;
  v_done int[];
  g_i int[];
  g_pid text[];
  g_kpj text[];
begin
  if n = 0 then
    return '[]'::jsonb;
  end if;
  -- The rows each element's own call would lock: every bill of the batch, then the person lock (by nik_hash) of each
  -- open one. The decisions below are read after both, as lindung_apply_payment reads them.
  perform pg_advisory_xact_lock(hashtextextended('lindung:person:' || s.nik, 0))
     from (select distinct coalesce((select nik_hash from participant where id = b.participant_id),
                                    (select nik_hash from registration where id = b.registration_id)) as nik
             from (select * from bill where payment_code = any (p_payment_codes) order by id for update) b
            where b.status = 'open') s
    where s.nik is not null
    order by s.nik;

  -- Which elements are the common case (the decision of lindung_apply_payment is then 'applied', with no wallet
  -- effect).
  select array_agg(c.bill_id order by c.i), array_agg(c.common order by c.i) into v_bill_ids, v_common
    from (
      select e.i, b.id as bill_id, coalesce(
               b.status = 'open'
               and e.paid_at >= date_trunc('second', b.created_at) - make_interval(secs => e.skew)
               and b.expires_at >= e.paid_at
               and e.amount = b.amount
               -- a member bill of a collective bill settles only from its fan-out (else bill_paid_by_payer, alone)
               and (b.payer_bill_id is null or p_channels[e.i] = 'payer')
               and m.last_month <= to_char((e.now at time zone 'UTC') + interval '7 hours'
                                           + make_interval(months => e.horizon), 'YYYY-MM')
               and count(*) over (partition by e.code) = 1
               and count(*) over (partition by e.external_id) = 1
               and count(*) over (partition by x.nik) = 1
               and not exists (select 1 from payment where external_id = e.external_id)
               and case when b.kind = 'first'
                        then b.participant_id is null and not exists (select 1 from participant where nik_hash = x.nik)
                        else not exists (select 1 from coverage_month cm join bill_line l on l.month = cm.month
                                          where cm.participant_id = b.participant_id and l.bill_id = b.id) end,
               false) as common
        from unnest(p_payment_codes, p_external_ids, p_amounts, p_paid_ats, p_nows, p_horizon_months,
                    p_clock_skew_seconds) with ordinality e(code, external_id, amount, paid_at, now, horizon, skew, i)
        left join bill b on b.payment_code = e.code
        left join lateral (select coalesce((select nik_hash from participant where id = b.participant_id),
                                           (select nik_hash from registration where id = b.registration_id)) as nik) x
          on true
        left join lateral (select max(month) as last_month from bill_line where bill_id = b.id) m on true
    ) c;
  v_results := array_fill(null::jsonb, array[n]);

  while v_from <= n loop
    -- A run of common elements, v_from .. v_to - 1; v_to is the next other element (or n + 1).
    v_to := v_from;
    while v_to <= n and v_common[v_to] loop
      v_to := v_to + 1;
    end loop;

    if v_to > v_from then
      -- Idempotency by external id, as alone: a payment another transaction recorded meanwhile is not inserted,
      -- and that element is answered by lindung_apply_payment below (duplicate or conflict). Who each inserted
      -- payment is for: a first bill creates its participant with the next KPJ, drawn in arrival order.
      with ins as (
        insert into payment (id, external_id, fingerprint, payment_code, amount, channel, paid_at, received_at,
                             outcome, unmatched_reason, bill_id)
        select p_payment_ids[i], p_external_ids[i], p_fingerprints[i], p_payment_codes[i], p_amounts[i],
               p_channels[i], p_paid_ats[i], p_nows[i], 'applied', null, v_bill_ids[i]
          from generate_series(v_from, v_to - 1) i
         order by i
        on conflict (external_id) do nothing
        returning id),
      who as (
        select s.i, s.kind, s.registration_id, s.pid,
               case when s.kind = 'first' then lindung_next_kpj() else s.member_kpj end as kpj
          from (
            select r.i, b.kind, b.registration_id, coalesce(b.participant_id, p_new_participant_ids[r.i]) as pid,
                   (select kpj from participant where id = b.participant_id) as member_kpj
              from generate_series(v_from, v_to - 1) r(i)
              join ins on ins.id = p_payment_ids[r.i]
              -- one bill by primary key per element (offset 0: never a hash join over the whole table, which a
              -- generic plan's estimate for generate_series would choose)
              cross join lateral (select * from bill where id = v_bill_ids[r.i] offset 0) b
             order by r.i
          ) s),
      created as (
        insert into participant (id, kpj, nik_hash, nik_sealed, full_name, birth_date, gender, phone, email, address,
                                 occupation_code, sector, branch_code, programs, declared_income, funding,
                                 registration_id, created_at, updated_at)
        select w.pid, w.kpj, r.nik_hash, r.nik_sealed, r.full_name, r.birth_date, r.gender, r.phone, r.email, r.address,
               r.occupation_code, r.sector, r.branch_code, coalesce(r.programs, array['JKK', 'JKM']),
               r.declared_income, r.funding, r.id, p_nows[w.i], p_nows[w.i]
          from who w join registration r on r.id = w.registration_id
         where w.kind = 'first'
         order by w.i)
      select array_agg(w.i order by w.i), array_agg(w.pid order by w.i), array_agg(w.kpj order by w.i)
        into g_i, g_pid, g_kpj
        from who w;
      v_done := coalesce(g_i, '{}');

      -- Then everything else a settlement writes, as lindung_apply_payment writes it: the registration completed,
      -- the bill paid, its months covered, one transfer per program from the channel's clearing account, and the
      -- card (first bill) or the receipt, in arrival order. (The participants above are visible to this statement.)
      with g as (
        select g.i, g.pid, g.kpj, b.id as bill_id, b.kind, b.amount, b.payment_code, b.registration_id
          from unnest(g_i, g_pid, g_kpj) g(i, pid, kpj) join bill b on b.id = v_bill_ids[g.i]),
      reg as (
        update registration r set status = 'completed', participant_id = g.pid, updated_at = p_nows[g.i]
          from g
         where g.kind = 'first' and r.id = g.registration_id),
      paid as (
        update bill b set status = 'paid', paid_at = p_paid_ats[g.i], payment_id = p_payment_ids[g.i],
                          participant_id = g.pid
          from g
         where b.id = g.bill_id),
      covered as (
        insert into coverage_month (participant_id, month, bill_id, settled_at)
        select distinct g.pid, l.month, l.bill_id, p_nows[g.i]
          from g join bill_line l on l.bill_id = g.bill_id),
      transfers as (
        insert into ledger_transfer (id, debit_account, credit_account, amount, code, ref, created_at)
        select p_payment_ids[g.i] || ':' || l.program, 'clearing:' || p_channels[g.i],
               case l.program when 'JHT' then 'jht:' || g.kpj else 'program:' || l.program end,
               sum(l.net), 'contribution_' || lower(l.program), p_payment_ids[g.i], p_nows[g.i]
          from g join bill_line l on l.bill_id = g.bill_id
         group by g.i, g.kpj, l.program
        having sum(l.net) > 0
         order by g.i, l.program)
      insert into outbox_message (id, channel, recipient, subject, body, template, data, next_attempt_at,
                                  created_at)
      select p_message_ids[g.i], 'email', p.email, '', '',
             case g.kind when 'first' then 'card_issued' else 'payment_receipt' end,
             case g.kind
               when 'first' then jsonb_build_object(
                 'fullName', p.full_name, 'kpj', p.kpj, 'participantId', p.id, 'issuedAt', p.created_at,
                 'attachCard', true, 'coveredThrough', m.last_month)
               else jsonb_build_object(
                 'fullName', p.full_name, 'kpj', p.kpj, 'amount', g.amount, 'paymentCode', g.payment_code,
                 'months', case when m.first_month = m.last_month then m.first_month
                                else m.first_month || ' s.d. ' || m.last_month end)
             end,
             p_nows[g.i], p_nows[g.i]
        from g
        join participant p on p.id = g.pid
        cross join lateral (select min(month) as first_month, max(month) as last_month
                              from bill_line where bill_id = g.bill_id) m
       order by g.i;

      for k in 1 .. coalesce(array_length(g_i, 1), 0) loop
        v_results[g_i[k]] := jsonb_build_object('status', 'applied', 'participantId', g_pid[k], 'walletCredit', 0);
      end loop;
      -- Recorded meanwhile by another transaction: answered as alone.
      for i in v_from .. v_to - 1 loop
        if not (i = any (v_done)) then
          v_results[i] := lindung_apply_payment(
            p_payment_ids[i], p_external_ids[i], p_fingerprints[i], p_payment_codes[i], p_amounts[i], p_channels[i],
            p_paid_ats[i], p_nows[i], p_new_participant_ids[i], p_message_ids[i], p_horizon_months[i],
            p_clock_skew_seconds[i]);
        end if;
      end loop;
    end if;

    if v_to <= n then
      v_results[v_to] := lindung_apply_payment(
        p_payment_ids[v_to], p_external_ids[v_to], p_fingerprints[v_to], p_payment_codes[v_to], p_amounts[v_to],
        p_channels[v_to], p_paid_ats[v_to], p_nows[v_to], p_new_participant_ids[v_to], p_message_ids[v_to],
        p_horizon_months[v_to], p_clock_skew_seconds[v_to]);
    end if;
    v_from := v_to + 1;
  end loop;
  return to_jsonb(v_results);
end;
$$;
