-- lindung_settle_bill: the settlement every paid bill goes through, whoever pays it — a payment through a channel
-- (lindung_apply_payment, from `clearing:<channel>`) or the member's contribution wallet (lindung_sweep_wallet, from
-- `wallet:<kpj>`). The caller has decided (and holds the bill's row and the person's lock); this writes the result:
-- the bill is paid, its months are covered from p_now (coverage_month's primary key is the last guard against paying a
-- month twice), and one transfer per program moves the nets from p_from_account: JKK and JKM to the pooled funds, JHT
-- to the member's own account (the chart of accounts in src/modules/ledger/domain/chart-of-accounts.ts); the transfers
-- are `<p_ref>:<program>`, ref p_ref.
-- Applied after the migrations by src/db/function-sources.ts whenever this file changes (docs/architecture.md).
create or replace function lindung_settle_bill(
  p_bill_id text, p_participant_id text, p_kpj text, p_months text[], p_from_account text, p_payment_id text,
  p_paid_at timestamptz, p_now timestamptz, p_ref text
) returns void language plpgsql as $$
begin
  update bill set status = 'paid', paid_at = p_paid_at, payment_id = p_payment_id, participant_id = p_participant_id
   where id = p_bill_id;
  insert into coverage_month (participant_id, month, bill_id, settled_at)
  select p_participant_id, m, p_bill_id, p_now from unnest(p_months) m;

  insert into ledger_transfer (id, debit_account, credit_account, amount, code, ref, created_at)
  select p_ref || ':' || program, p_from_account,
         case program when 'JHT' then 'jht:' || p_kpj else 'program:' || program end,
         sum(net), 'contribution_' || lower(program), p_ref, p_now
    from bill_line where bill_id = p_bill_id
   group by program
  having sum(net) > 0;
end;
$$;
