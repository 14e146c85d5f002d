import { sql, type Kysely } from 'kysely';

/**
 * Database checks of what the code already guarantees (issue 14 item 2). Frozen once shipped, like every migration.
 *
 * 1. `ledger_transfer` accounts follow the chart of accounts (src/modules/ledger/domain/chart-of-accounts.ts
 *    ACCOUNT_RE): `clearing:<channel>` (lower-case letters), `program:JKK`, `program:JKM`, `jht:<kpj>`,
 *    `wallet:<kpj>` (an 11-digit KPJ) or `suspense`; its code is one of TRANSFER_CODES. Added NOT VALID, then
 *    validated (no long exclusive lock while the rows are read).
 * 2. `bill.amount` is the sum of its lines' net amounts: a constraint trigger on bill (insert, amount changed) and on
 *    bill_line (any change), deferrable and initially deferred, so a bill and its lines may be written by separate
 *    statements of one transaction; it is checked at commit. Bulk loads that write bills and lines in separate
 *    transactions (bench/seed.ts, bench/cycle-seed.ts) disable the two triggers and run the same check set-based
 *    before enabling them again. Bills already stored are checked once here.
 * 3. A partial index of the credits to wallets: whether any wallet was ever credited is one probe (the daily cycle
 *    schedules the wallet sweep job only then; src/modules/wallet/sweep-job.ts).
 */
export async function up(db: Kysely<any>): Promise<void> {
  await sql`
    alter table ledger_transfer add constraint ledger_transfer_debit_account_format check
      (debit_account ~ '^(clearing:[a-z]+|program:(JKK|JKM)|jht:[0-9]{11}|wallet:[0-9]{11}|suspense)$') not valid;
    alter table ledger_transfer add constraint ledger_transfer_credit_account_format check
      (credit_account ~ '^(clearing:[a-z]+|program:(JKK|JKM)|jht:[0-9]{11}|wallet:[0-9]{11}|suspense)$') not valid;
    alter table ledger_transfer add constraint ledger_transfer_code_check check (code in
      ('contribution_jkk', 'contribution_jkm', 'contribution_jht', 'unmatched_payment', 'refund', 'manual_assignment',
       'wallet_topup', 'overpayment')) not valid;
    alter table ledger_transfer validate constraint ledger_transfer_debit_account_format;
    alter table ledger_transfer validate constraint ledger_transfer_credit_account_format;
    alter table ledger_transfer validate constraint ledger_transfer_code_check;
    create index ledger_transfer_wallet_credit_idx on ledger_transfer (credit_account) where credit_account like 'wallet:%';

    create function bill_amount_is_sum_of_net() returns trigger language plpgsql as $$
    declare
      v_ids text[];
      v_id text;
      v_amount bigint;
      v_net bigint;
    begin
      if tg_table_name = 'bill' then
        v_ids := array[new.id];
      elsif tg_op = 'INSERT' then
        v_ids := array[new.bill_id];
      elsif tg_op = 'DELETE' then
        v_ids := array[old.bill_id];
      else
        v_ids := array[old.bill_id, new.bill_id];
      end if;
      foreach v_id in array v_ids loop
        select b.amount, (select sum(l.net) from bill_line l where l.bill_id = b.id) into v_amount, v_net
          from bill b where b.id = v_id;
        if found and v_amount is distinct from v_net then
          raise exception 'bill % amount % is not the sum of its lines'' net amounts (%)', v_id, v_amount, v_net
            using errcode = 'check_violation', constraint = 'bill_amount_is_sum_of_net';
        end if;
      end loop;
      return null;
    end;
    $$;
    create constraint trigger bill_amount_is_sum_of_net after insert or update of amount on bill
      deferrable initially deferred for each row execute function bill_amount_is_sum_of_net();
    create constraint trigger bill_line_net_sums_to_bill after insert or update or delete on bill_line
      deferrable initially deferred for each row execute function bill_amount_is_sum_of_net();

    do $$
    declare
      v_bad text;
    begin
      select b.id into v_bad
        from bill b left join (select bill_id, sum(net) as net from bill_line group by bill_id) l on l.bill_id = b.id
       where l.net is distinct from b.amount
       limit 1;
      if v_bad is not null then
        raise exception 'bill % amount is not the sum of its lines'' net amounts', v_bad;
      end if;
    end $$;
  `.execute(db);
}
