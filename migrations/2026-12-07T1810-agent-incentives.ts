import { sql, type Kysely } from 'kysely';

/**
 * PERISAI incentives (issue 17 item 5; src/modules/incentives). Frozen once shipped.
 *
 * - `agent_incentive_statement`: one statement per agent and per Kantor Perisai per month (`new_count`: the agent's
 *   new-to-BPU acquisitions, which the 25-condition looks at; the Kantor's: its agents'), written by the monthly job
 *   `agent-incentives:<month>` (id `<holder_kind>:<holder_code>:<month>`, so a re-run finds it): the lines the rules
 *   produced (jsonb), the total, the day it is paid by (the 5th of the next month) and the payment: `due` → finance
 *   approves (`approved`) → a second finance officer marks it paid (`paid`, four eyes); `nothing_due` for a zero total.
 * - The ledger gains the accounts `expense:agent_incentive` (what incentives cost), `payable:agent:<agent code>` and
 *   `payable:kantor:<kantor code>` (owed, not yet paid), and the codes `agent_incentive` (expense → payable) and
 *   `agent_incentive_payout` (payable → clearing:disbursement, when paid). The checks are replaced whole: a later
 *   migration that touches them must keep these (and any other helper's) additions.
 */
const ACCOUNTS =
  '^(clearing:[a-z]+|program:(JKK|JKM)|jht:[0-9]{11}|wallet:[0-9]{11}|suspense|jht_investment|benefit:(JKK|JKM)|payout_clearing|disbursement:[a-z]+|expense:agent_incentive|payable:agent:AG[0-9]{6}|payable:kantor:[A-Z0-9]+(-[A-Z0-9]+)*)$';

export async function up(db: Kysely<any>): Promise<void> {
  await sql`
    create table agent_incentive_statement (
      id text primary key,
      month text not null check (month ~ '^[0-9]{4}-(0[1-9]|1[0-2])$'),
      holder_kind text not null check (holder_kind in ('agent', 'kantor')),
      holder_code text not null,
      kantor_code text not null,
      agent_id text,
      lines jsonb not null,
      new_count integer not null check (new_count >= 0),
      total bigint not null check (total >= 0),
      pay_by date not null,
      status text not null check (status in ('due', 'approved', 'paid', 'nothing_due')),
      approved_by text,
      approved_at timestamptz,
      paid_by text,
      paid_at timestamptz,
      payment_reference text check (length(payment_reference) <= 120),
      created_at timestamptz not null,
      unique (holder_kind, holder_code, month),
      check ((holder_kind = 'agent') = (agent_id is not null)),
      check (status <> 'paid' or (paid_at is not null and paid_by is not null and paid_by <> approved_by))
    );
    create index agent_incentive_statement_month on agent_incentive_statement (month, status);
    create index agent_incentive_statement_agent on agent_incentive_statement (agent_id, month) where agent_id is not null;
  `.execute(db);
  await sql`
    alter table ledger_transfer drop constraint ledger_transfer_debit_account_format;
    alter table ledger_transfer drop constraint ledger_transfer_credit_account_format;
    alter table ledger_transfer drop constraint ledger_transfer_code_check;
  `.execute(db);
  await sql`
    alter table ledger_transfer add constraint ledger_transfer_debit_account_format check (debit_account ~ ${sql.lit(ACCOUNTS)}) not valid;
    alter table ledger_transfer add constraint ledger_transfer_credit_account_format check (credit_account ~ ${sql.lit(ACCOUNTS)}) not valid;
    alter table ledger_transfer add constraint ledger_transfer_code_check check (code in
      ('contribution_jkk', 'contribution_jkm', 'contribution_jht', 'unmatched_payment', 'refund', 'manual_assignment',
       'wallet_topup', 'overpayment', 'jht_return', 'claim_benefit', 'jht_interim_return', 'payout',
       'payer_collective', 'payer_excess', 'agent_incentive', 'agent_incentive_payout')) not valid;
    alter table ledger_transfer validate constraint ledger_transfer_debit_account_format;
    alter table ledger_transfer validate constraint ledger_transfer_credit_account_format;
    alter table ledger_transfer validate constraint ledger_transfer_code_check;
  `.execute(db);
}
