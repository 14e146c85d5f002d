import { sql, type Kysely } from 'kysely';

/**
 * Database checks of what the code already guarantees (issue 14 item 2). Frozen once shipped, like every migration.
 *
 * 1. `ledger_transfer` accounts follow the chart of accounts (src/modules/ledger/domain/chart-of-accounts.ts
 *    ACCOUNT_RE): `clearing:<channel>` (lower-case letters), `program:JKK`, `program:JKM`, `jht:<kpj>`,
 *    `wallet:<kpj>` (an 11-digit KPJ) or `suspense`; its code is one of TRANSFER_CODES. Added NOT VALID, then
 *    validated (no long exclusive lock while the rows are read).
 * 2. `bill.amount` is the sum of its lines' net amounts: a constraint trigger on bill (insert, amount changed),
 *    deferrable and initially deferred, so a bill and its lines may be written by separate statements of one
 *    transaction: it is checked at commit; and statement triggers on bill_line (with transition tables, so a bulk insert
 *    of millions of lines costs one set-based check, not a row event each): lines added may not take a bill's sum above
 *    its amount (nets are never negative: a new CHECK), lines changed or removed must leave their bills adding up. Bulk loads that write bills and lines in separate
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

    -- A bill's amount equals the sum of its lines' nets at commit (deferred: the bill and its lines may come in
    -- separate statements). One row event per bill; a bill's lines never cost a row event each: they are checked per
    -- statement (below), which keeps the dues opening of the monthly cycle (millions of lines) set-based.
    create function bill_amount_is_sum_of_net() returns trigger language plpgsql as $$
    declare
      v_amount bigint;
      v_net bigint;
    begin
      select b.amount, (select sum(l.net) from bill_line l where l.bill_id = b.id) into v_amount, v_net
        from bill b where b.id = new.id;
      if found and v_amount is distinct from v_net then
        raise exception 'bill % amount % is not the sum of its lines'' net amounts (%)', new.id, v_amount, v_net
          using errcode = 'check_violation', constraint = 'bill_amount_is_sum_of_net';
      end if;
      return null;
    end;
    $$;
    -- Dues bills (kind 'dues', src/modules/contributions/dues.ts) are only ever written with their lines in ONE
    -- statement, hundreds of thousands at a time: they are checked by a statement trigger at the end of that
    -- statement (below), not by a deferred row event each (which cost ~40 µs a bill: 30 s of the 1,000,000-member
    -- dues opening).
    create constraint trigger bill_amount_is_sum_of_net after insert on bill
      deferrable initially deferred for each row when (new.kind <> 'dues') execute function bill_amount_is_sum_of_net();
    create constraint trigger bill_amount_changed_is_sum_of_net after update of amount on bill
      deferrable initially deferred for each row execute function bill_amount_is_sum_of_net();

    -- Lines, per statement. Nets are never negative, so lines added to a bill may never take its sum above its amount
    -- (an open bill's own check at commit then requires equality, and a committed bill, whose lines already add up,
    -- can take no further line that changes its sum); lines changed or removed must leave every bill they touch
    -- adding up at once.
    alter table bill_line add constraint bill_line_net_not_negative check (net >= 0) not valid;
    alter table bill_line validate constraint bill_line_net_not_negative;
    -- The bills p_ids (distinct) joined one by one through their primary keys (not "= any (p_ids)": with the array a
    -- parameter, that filter is a linear search per row). p_exact: every bill's lines must add up to its amount (a
    -- bill without lines only if its amount is 0); else no bill's lines may add up to more than its amount.
    create function bill_lines_check(p_ids text[], p_exact boolean) returns void language plpgsql as $$
    declare
      v_id text;
      v_amount bigint;
      v_net bigint;
    begin
      select b.id, b.amount, s.net into v_id, v_amount, v_net
        from unnest(p_ids) as i(id)
        join bill b on b.id = i.id
        cross join lateral (select sum(l.net) as net from bill_line l where l.bill_id = b.id) s
       where s.net > b.amount
          or (p_exact and s.net is distinct from b.amount and not (s.net is null and b.amount = 0))
       limit 1;
      if v_id is not null then
        raise exception 'bill % amount % is not the sum of its lines'' net amounts (%)', v_id, v_amount, v_net
          using errcode = 'check_violation', constraint = 'bill_amount_is_sum_of_net';
      end if;
    end;
    $$;
    create function bill_lines_added() returns trigger language plpgsql as $$
    begin
      perform bill_lines_check(array(select distinct bill_id from new_lines), false);
      return null;
    end;
    $$;
    create function bill_lines_changed() returns trigger language plpgsql as $$
    begin
      perform bill_lines_check(array(select bill_id from old_lines union select bill_id from new_lines), true);
      return null;
    end;
    $$;
    create function bill_lines_removed() returns trigger language plpgsql as $$
    begin
      perform bill_lines_check(array(select distinct bill_id from old_lines), true);
      return null;
    end;
    $$;
    create function dues_bills_added() returns trigger language plpgsql as $$
    begin
      perform bill_lines_check(array(select id from new_bills where kind = 'dues'), true);
      return null;
    end;
    $$;
    create trigger dues_bill_sums_to_lines after insert on bill
      referencing new table as new_bills for each statement execute function dues_bills_added();
    create trigger bill_line_net_sums_to_bill after insert on bill_line
      referencing new table as new_lines for each statement execute function bill_lines_added();
    create trigger bill_line_changed_sums_to_bill after update on bill_line
      referencing old table as old_lines new table as new_lines for each statement execute function bill_lines_changed();
    create trigger bill_line_removed_sums_to_bill after delete on bill_line
      referencing old table as old_lines for each statement execute function bill_lines_removed();

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
