import { sql, type Kysely } from 'kysely';
import type { Database } from '../../src/db/database.js';
import { historyFollowsMachine, type ClaimsModel, type SimClaim } from './claims-model.js';

/** A member whose JHT account the check recomputes: Σ JHT lines of the bills of theirs the model says are paid. */
export interface JhtHolder {
  nik: string;
  kpj: string;
  contributed: number;
}

interface Transfer {
  id: string;
  code: string;
  debit: string;
  credit: string;
  amount: number;
  ref: string;
}

interface ClaimRow {
  id: string;
  status: string;
  type: string;
  total: number | null;
  kpj: string;
  history: string[] | null;
  payouts: { id: string; status: string; amount: number }[] | null;
  transfers: Transfer[] | null;
}

const parse = <T>(x: T | string | null | undefined): T | null => (typeof x === 'string' ? (JSON.parse(x) as T) : (x ?? null));
const list = (xs: readonly string[]) => sql.join(xs.length > 0 ? xs : ['']);

/**
 * The claims and payout invariants, against the model (claims-model.ts), in one round trip:
 * - each claim (of `claims`) is in the model's state, its history moves only along the contract's machine, it has
 *   at most one payout (exactly one once approved) and at most one paid payout; an approved claim posted exactly its
 *   total as `claim_benefit` (from jht:<kpj> for JHT, benefit:<type> otherwise) into payout_clearing, a full JHT
 *   withdrawal also its interim return; a paid payout has exactly one `payout` transfer out of payout_clearing
 *   (`payout:<payoutId>`, its amount), an unpaid one none; the payout's status and amount are the model's;
 * - every approved rupiah is paid, pending or returned: Σ approved (model) = payout_clearing + Σ paid (ledger), and
 *   Σ paid and the number of `payout` transfers are the model's;
 * - each holder's JHT balance = Σ JHT contributions of the bills the model says are paid + returns (yearly, and the
 *   interim ones of full withdrawals) − withdrawals (approved JHT totals), recomputed from the model.
 */
export async function findClaimViolations(db: Kysely<Database>, model: ClaimsModel, claims: readonly SimClaim[], holders: readonly JhtHolder[]): Promise<string[]> {
  const v: string[] = [];
  const ids = claims.map((c) => c.id);
  const accounts = holders.map((h) => `jht:${h.kpj}`);
  const result = await sql<{ claims: ClaimRow[] | string | null; clearing: string; paid: string; payouts: string; jht: string | null }>`
    select
      (select json_agg(x) from (
        select c.id, c.status, c.type, c.total, c.kpj,
          (select json_agg(e.status order by e.id) from claim_event e where e.claim_id = c.id) as history,
          (select json_agg(json_build_object('id', p.id, 'status', p.status, 'amount', p.amount)) from payout p where p.claim_id = c.id) as payouts,
          (select json_agg(json_build_object('id', t.id, 'code', t.code, 'debit', t.debit_account, 'credit', t.credit_account, 'amount', t.amount, 'ref', t.ref))
             from ledger_transfer t
            where t.id = 'claim:' || c.id or t.id = 'jht-interim:' || c.id
               or t.id in (select 'payout:' || p.id from payout p where p.claim_id = c.id)) as transfers
        from claim c where c.id in (${list(ids)})) x) as claims,
      (select coalesce(sum(amount), 0) from ledger_transfer where credit_account = 'payout_clearing')
        - (select coalesce(sum(amount), 0) from ledger_transfer where debit_account = 'payout_clearing') as clearing,
      (select coalesce(sum(amount), 0) from ledger_transfer where debit_account = 'payout_clearing' and code = 'payout') as paid,
      (select count(*) from ledger_transfer where debit_account = 'payout_clearing' and code = 'payout') as payouts,
      (select json_object_agg(a.account, a.balance) from (
        select acc as account,
          (select coalesce(sum(amount), 0) from ledger_transfer where credit_account = acc)
            - (select coalesce(sum(amount), 0) from ledger_transfer where debit_account = acc) as balance
        from unnest(${accounts}::text[]) acc) a)::text as jht`.execute(db);
  const row = result.rows[0];
  const rows = parse<ClaimRow[]>(row?.claims) ?? [];
  const byId = new Map(rows.map((r) => [r.id, r]));
  for (const c of claims) {
    const r = byId.get(c.id);
    if (!r) {
      v.push(`claim ${c.id} (${c.type}, model ${c.status}) is not in the database`);
      continue;
    }
    v.push(...claimViolations(c, r));
  }
  const t = model.totals();
  const clearing = Number(row?.clearing ?? 0);
  const paid = Number(row?.paid ?? 0);
  if (t.approved !== clearing + paid) {
    v.push(`claims: Σ approved (model) ${t.approved} ≠ payout_clearing ${clearing} + Σ paid (ledger) ${paid}`);
  }
  if (t.paid !== paid || t.paidCount !== Number(row?.payouts ?? 0)) {
    v.push(`claims: ledger paid out ${paid} in ${row?.payouts} payout transfers, the model ${t.paid} in ${t.paidCount}`);
  }
  const balances = parse<Record<string, number | string>>(row?.jht) ?? {};
  for (const h of holders) {
    const contributed = h.contributed;
    const { withdrawn, interim } = model.jhtMoves(h.nik);
    const returns = model.returnsOf(h.kpj);
    const expected = contributed + returns + interim - withdrawn;
    const actual = Number(balances[`jht:${h.kpj}`] ?? 0);
    if (actual !== expected) {
      v.push(`JHT of ${h.kpj}: ledger ${actual} ≠ contributions ${contributed} + returns ${returns} + interim ${interim} − withdrawals ${withdrawn} = ${expected}`);
    }
  }
  return v;
}

function claimViolations(c: SimClaim, r: ClaimRow): string[] {
  const v: string[] = [];
  const history = parse<string[]>(r.history) ?? [];
  const payouts = parse<ClaimRow['payouts']>(r.payouts) ?? [];
  const transfers = parse<ClaimRow['transfers']>(r.transfers) ?? [];
  if (r.status !== c.status || history.at(-1) !== c.status) {
    v.push(`claim ${c.id} (${c.type}) is ${r.status} (history ${history.join('→')}), the model says ${c.status}`);
  }
  if (!historyFollowsMachine(history)) {
    v.push(`claim ${c.id} history ${history.join('→')} leaves the state machine`);
  }
  const approved = c.status === 'approved' || c.status === 'paid';
  const total = r.total === null ? null : Number(r.total);
  if (approved && total !== c.total) {
    v.push(`claim ${c.id} total ${total}, approved for ${c.total}`);
  }
  if (payouts.length !== (approved ? 1 : 0) || payouts.filter((p) => p.status === 'paid').length > 1) {
    v.push(`claim ${c.id} (${c.status}) has payouts ${JSON.stringify(payouts)}`);
  }
  const p = payouts[0];
  if (p && c.payout && (p.id !== c.payout.id || p.status !== c.payout.status || Number(p.amount) !== c.payout.amount || c.payout.amount !== c.total)) {
    v.push(`payout of claim ${c.id}: ${JSON.stringify(p)}, the model ${JSON.stringify(c.payout)} (total ${c.total})`);
  }
  // The chart of accounts: claim_benefit id claim:<claimId>, ref <claimId>; jht_interim_return id jht-interim:<claimId>,
  // ref jht-interim:<year>; payout id payout:<payoutId>, ref <claimId>.
  const expected: Transfer[] = [];
  if (approved && c.total !== null) {
    if (c.interim > 0) {
      expected.push({ id: `jht-interim:${c.id}`, code: 'jht_interim_return', debit: 'jht_investment', credit: `jht:${c.kpj}`, amount: c.interim, ref: `jht-interim:${c.approvedYear}` });
    }
    expected.push({ id: `claim:${c.id}`, code: 'claim_benefit', debit: c.type === 'JHT' ? `jht:${c.kpj}` : `benefit:${c.type}`, credit: 'payout_clearing', amount: c.total, ref: c.id });
    if (c.payout?.status === 'paid') {
      expected.push({ id: `payout:${c.payout.id}`, code: 'payout', debit: 'payout_clearing', credit: 'disbursement:xendit', amount: c.payout.amount, ref: c.id });
    }
  }
  const key = (x: Transfer) => `${x.id} ${x.code} ${x.debit}→${x.credit} ${Number(x.amount)} ref ${x.ref}`;
  const got = transfers.map(key).sort().join(' | ');
  const want = expected.map(key).sort().join(' | ');
  if (got !== want) {
    v.push(`claim ${c.id} (${c.type} ${c.status}) transfers [${got}], expected [${want}]`);
  }
  return v;
}

/** The whole-database claims checks no model claim list can see: a claim or payout the model never made, a payout paid twice. */
export async function findStrayClaimRows(db: Kysely<Database>, model: ClaimsModel): Promise<string[]> {
  const v: string[] = [];
  const { rows } = await sql<{ problem: string; detail: string }>`
    select 'claim' as problem, id as detail from claim
    union all select 'payout transfers of one claim', ref || ' ×' || count(*) from ledger_transfer where code = 'payout' group by ref having count(*) > 1
    union all select 'paid payouts of one claim', claim_id || ' ×' || count(*) from payout where status = 'paid' group by claim_id having count(*) > 1
    union all select 'payout transfer of an unpaid payout', t.id from ledger_transfer t left join payout p on 'payout:' || p.id = t.id where t.code = 'payout' and (p.id is null or p.status <> 'paid')`.execute(db);
  for (const r of rows) {
    if (r.problem === 'claim') {
      if (!model.claims.has(r.detail)) {
        v.push(`claim ${r.detail} exists but the model never filed it`);
      }
    } else {
      v.push(`${r.problem}: ${r.detail}`);
    }
  }
  const claimRows = rows.filter((r) => r.problem === 'claim').length;
  if (claimRows !== model.claims.size) {
    v.push(`claims: database ${claimRows}, model ${model.claims.size}`);
  }
  return v;
}
