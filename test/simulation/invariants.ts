import { sql, type Kysely } from 'kysely';
import type { Database } from '../../src/db/database.js';
import { getAllBalances } from '../../src/modules/ledger/ledger.js';
import type { ModelState, Notification, Outcome, SimBill } from './model.js';

/** What the model expects the database to hold about one recorded (first-time) notification. */
export interface RecordedPayment {
  notification: Notification;
  outcome: Outcome;
}

export interface ModelView {
  state: ModelState;
  bills: ReadonlyMap<string, SimBill>;
  /** Every notification the model says was recorded (not duplicates, not conflicts), in order. */
  recorded: readonly RecordedPayment[];
  /** The ones recorded in this step: checked row by row. */
  recordedThisStep: readonly RecordedPayment[];
  registrations: ReadonlyMap<string, { nik: string }>;
}

/** Named SQL checks: each selects the rows that break one rule, so a healthy database returns none. */
const ROW_CHECKS: Record<string, string> = {
  // 3. Each payment's transfers (ref = payment id) sum exactly to its amount: all to suspense when unmatched, else
  // split per program exactly as its bill's lines say.
  'payments whose transfers do not match them exactly': `
    with tr as (
      select ref, sum(amount)::int8 as total,
        coalesce(sum(amount) filter (where credit_account = 'suspense'), 0)::int8 as susp,
        coalesce(sum(amount) filter (where credit_account = 'program:JKK'), 0)::int8 as jkk,
        coalesce(sum(amount) filter (where credit_account = 'program:JKM'), 0)::int8 as jkm,
        coalesce(sum(amount) filter (where credit_account like 'jht:%'), 0)::int8 as jht
      from ledger_transfer group by ref),
    lines as (
      select bill_id, sum(net)::int8 as total,
        coalesce(sum(net) filter (where program = 'JKK'), 0)::int8 as jkk,
        coalesce(sum(net) filter (where program = 'JKM'), 0)::int8 as jkm,
        coalesce(sum(net) filter (where program = 'JHT'), 0)::int8 as jht
      from bill_line group by bill_id)
    select p.id, p.outcome, p.amount, tr.total, tr.susp, tr.jkk, tr.jkm, tr.jht, l.total as line_total
    from payment p left join tr on tr.ref = p.id left join lines l on l.bill_id = p.bill_id
    where tr.ref is null or tr.total <> p.amount
       or (p.outcome = 'unmatched' and tr.susp <> p.amount)
       or (p.outcome = 'applied' and (tr.susp <> 0 or l.bill_id is null or l.total <> p.amount
           or tr.jkk <> l.jkk or tr.jkm <> l.jkm or tr.jht <> l.jht))`,
  'payment transfers not debiting their payment channel (or with no payment)': `
    select t.id, t.ref, t.debit_account, p.channel
    from ledger_transfer t left join payment p on p.id = t.ref
    where t.code in ('contribution_jkk', 'contribution_jkm', 'contribution_jht', 'unmatched_payment')
      and (p.id is null or t.debit_account <> 'clearing:' || p.channel)`,
  "JHT credited to someone other than the bill's participant": `
    select t.id, t.credit_account, pa.kpj
    from ledger_transfer t join payment p on p.id = t.ref
    left join bill b on b.id = p.bill_id left join participant pa on pa.id = b.participant_id
    where t.credit_account like 'jht:%' and (pa.id is null or t.credit_account <> 'jht:' || pa.kpj)`,
  // 2. Every applied payment settled its bill, and is the bill's payment.
  'applied payments whose bill is not paid by them': `
    select p.id, p.bill_id, b.status, b.payment_id
    from payment p left join bill b on b.id = p.bill_id
    where p.outcome = 'applied' and (b.id is null or b.status <> 'paid' or b.payment_id is distinct from p.id)`,
  'owners with more than one open bill': `
    select coalesce(registration_id, participant_id) as owner, kind, count(*)::int8 as n
    from bill where status = 'open'
    group by coalesce(registration_id, participant_id), kind having count(*) > 1`,
  // 4. A paid bill covers exactly its months for its participant; nothing else covers anything.
  'coverage that does not match paid bills': `
    with cov as (
      select c.bill_id, count(*)::int8 as n, count(*) filter (where c.participant_id = b.participant_id)::int8 as own
      from coverage_month c join bill b on b.id = c.bill_id group by c.bill_id),
    months as (select bill_id, count(distinct month)::int8 as n from bill_line group by bill_id)
    select b.payment_code, b.status, coalesce(cov.n, 0) as covered, coalesce(cov.own, 0) as covered_own, m.n as months
    from bill b left join cov on cov.bill_id = b.id left join months m on m.bill_id = b.id
    where (b.status = 'paid' and (coalesce(cov.own, 0) <> m.n or coalesce(cov.n, 0) <> m.n))
       or (b.status <> 'paid' and cov.n is not null)`,
  'covered months that are not on their bill': `
    select c.participant_id, c.month, c.bill_id from coverage_month c
    where not exists (select 1 from bill_line l where l.bill_id = c.bill_id and l.month = c.month)`,
};

/**
 * The money-path invariants, read from the database after a step. Returns every violation found (empty = all hold):
 * 1. double entry: Σ debits = Σ credits, Σ balances = 0, every amount > 0;
 * 2. no bill settles twice: ≤ 1 applied payment per bill; a paid bill has exactly one, for its exact amount, and it
 *    is the bill's payment_id; every applied payment's bill is paid;
 * 3. every received rupiah is on a settled bill or in suspense, payment by payment and in total, split per program
 *    exactly as the bill's lines say, taken from the paying channel's clearing account;
 * 4. coverage: each paid bill covers exactly its months for its participant, nothing else covers anything;
 * 5. the database agrees with the model: bill statuses, recorded payments and their outcomes, coverage per person,
 *    completed registrations, at most one open bill per owner.
 */
export async function findViolations(db: Kysely<Database>, model: ModelView): Promise<string[]> {
  const v: string[] = [];

  // ---- 1. double entry
  const sides = await sql<{ debits: number; credits: number; n: number; min_amount: number | null }>`
    select
      (select coalesce(sum(s), 0) from (select sum(amount) as s from ledger_transfer group by debit_account) d)::int8 as debits,
      (select coalesce(sum(s), 0) from (select sum(amount) as s from ledger_transfer group by credit_account) c)::int8 as credits,
      (select count(*) from ledger_transfer)::int8 as n,
      (select min(amount) from ledger_transfer)::int8 as min_amount`.execute(db);
  const ledger = sides.rows[0];
  if (!ledger) {
    return ['ledger totals query returned nothing'];
  }
  if (ledger.debits !== ledger.credits) {
    v.push(`ledger: Σ debits ${ledger.debits} ≠ Σ credits ${ledger.credits}`);
  }
  if (ledger.n > 0 && (ledger.min_amount ?? 0) <= 0) {
    v.push(`ledger: a transfer amount is not positive (min ${ledger.min_amount})`);
  }
  const balances = await getAllBalances(db);
  let balanceSum = 0;
  let fundsAndSavings = 0;
  let clearing = 0;
  const clearingByChannel = new Map<string, number>();
  const others: string[] = [];
  for (const [account, balance] of balances) {
    balanceSum += balance;
    if (account.startsWith('program:') || account.startsWith('jht:')) {
      fundsAndSavings += balance;
    } else if (account.startsWith('clearing:')) {
      clearing += balance;
      clearingByChannel.set(account.slice('clearing:'.length), balance);
    } else if (account !== 'suspense') {
      others.push(account);
    }
  }
  const suspense = balances.get('suspense') ?? 0;
  if (balanceSum !== 0) {
    v.push(`ledger: Σ of all account balances is ${balanceSum}, not 0`);
  }
  if (others.length > 0) {
    v.push(`ledger: unexpected accounts ${others.join(', ')}`);
  }

  // ---- 3. every received rupiah (totals)
  const paySums = await sql<{ outcome: string; reason: string | null; channel: string; n: number; total: number }>`
    select outcome, unmatched_reason as reason, channel, count(*)::int8 as n, sum(amount)::int8 as total
    from payment group by outcome, unmatched_reason, channel`.execute(db);
  let received = 0;
  let applied = 0;
  let unmatched = 0;
  let paymentCount = 0;
  const receivedByChannel = new Map<string, number>();
  const dbByOutcome = new Map<string, { n: number; total: number }>();
  for (const r of paySums.rows) {
    received += r.total;
    paymentCount += r.n;
    if (r.outcome === 'applied') {
      applied += r.total;
    } else {
      unmatched += r.total;
    }
    receivedByChannel.set(r.channel, (receivedByChannel.get(r.channel) ?? 0) + r.total);
    const k = r.outcome === 'applied' ? 'applied' : `unmatched:${r.reason}`;
    const agg = dbByOutcome.get(k) ?? { n: 0, total: 0 };
    dbByOutcome.set(k, { n: agg.n + r.n, total: agg.total + r.total });
  }
  if (received !== applied + unmatched) {
    v.push(`money: Σ received ${received} ≠ Σ applied ${applied} + Σ unmatched ${unmatched}`);
  }
  if (applied !== fundsAndSavings) {
    v.push(`money: Σ applied ${applied} ≠ Σ program:* + jht:* balances ${fundsAndSavings}`);
  }
  if (unmatched !== suspense) {
    v.push(`money: Σ unmatched ${unmatched} ≠ suspense balance ${suspense}`);
  }
  if (clearing !== -received) {
    v.push(`money: Σ clearing balances ${clearing} ≠ −Σ received ${-received}`);
  }
  for (const ch of new Set([...receivedByChannel.keys(), ...clearingByChannel.keys()])) {
    if ((clearingByChannel.get(ch) ?? 0) !== -(receivedByChannel.get(ch) ?? 0)) {
      v.push(`money: clearing:${ch} balance ${clearingByChannel.get(ch) ?? 0} ≠ −received on ${ch} ${-(receivedByChannel.get(ch) ?? 0)}`);
    }
  }

  // ---- 2, 3, 4: every named check below must find no rows (one round trip for all of them)
  const checks = Object.entries(ROW_CHECKS).map(([name, query]) => sql`select ${name}::text as problem, row_to_json(x)::text as detail from (${sql.raw(query)}) x`);
  const problems = await sql<{ problem: string; detail: string }>`${sql.join(checks, sql` union all `)}`.execute(db);
  const byProblem = new Map<string, string[]>();
  for (const r of problems.rows) {
    byProblem.set(r.problem, [...(byProblem.get(r.problem) ?? []), r.detail]);
  }
  for (const [problem, rows] of byProblem) {
    v.push(`${problem}: ${rows.slice(0, 5).join(' ')}${rows.length > 5 ? ` …(+${rows.length - 5})` : ''}`);
  }

  // ---- 2. no bill settles twice (also the rows the model is compared with below)
  const bills = await sql<{
    id: string;
    payment_code: string;
    kind: string;
    status: string;
    amount: number;
    payment_id: string | null;
    participant_id: string | null;
    applied_n: number;
    applied_sum: number;
    applied_id: string | null;
  }>`
    select b.id, b.payment_code, b.kind, b.status, b.amount, b.payment_id, b.participant_id,
      count(p.id)::int8 as applied_n, coalesce(sum(p.amount), 0)::int8 as applied_sum, min(p.id) as applied_id
    from bill b left join payment p on p.bill_id = b.id and p.outcome = 'applied'
    group by b.id`.execute(db);
  for (const b of bills.rows) {
    if (b.applied_n > 1) {
      v.push(`bill ${b.payment_code} settled ${b.applied_n} times`);
    }
    if (b.status === 'paid' && (b.applied_n !== 1 || b.applied_sum !== b.amount || b.applied_id !== b.payment_id)) {
      v.push(`paid bill ${b.payment_code} (amount ${b.amount}, payment_id ${b.payment_id}) has ${b.applied_n} applied payment(s) summing ${b.applied_sum} (${b.applied_id})`);
    }
    if (b.status !== 'paid' && (b.applied_n > 0 || b.payment_id !== null)) {
      v.push(`${b.status} bill ${b.payment_code} has an applied payment or a payment_id (${b.applied_id ?? b.payment_id})`);
    }
    if (b.status === 'paid' && !b.participant_id) {
      v.push(`paid bill ${b.payment_code} has no participant`);
    }
  }

  // ---- 5. the database agrees with the model
  const dbCodes = new Set<string>();
  for (const b of bills.rows) {
    dbCodes.add(b.payment_code);
    const sim = model.bills.get(b.payment_code);
    if (!sim) {
      v.push(`bill ${b.payment_code} (${b.kind}, ${b.status}) exists but the model never saw it issued`);
      continue;
    }
    const expected = model.state.billStatus.get(b.payment_code);
    if (expected !== b.status) {
      v.push(`bill ${b.payment_code} (${sim.kind}) is ${b.status}, model says ${expected}`);
    }
    if (b.amount !== sim.amount) {
      v.push(`bill ${b.payment_code} amount ${b.amount}, model says ${sim.amount}`);
    }
  }
  for (const code of model.bills.keys()) {
    if (!dbCodes.has(code)) {
      v.push(`model bill ${code} is not in the database`);
    }
  }
  const modelByOutcome = new Map<string, { n: number; total: number }>();
  for (const r of model.recorded) {
    const k = r.outcome.status === 'unmatched' ? `unmatched:${r.outcome.reason}` : r.outcome.status;
    const agg = modelByOutcome.get(k) ?? { n: 0, total: 0 };
    modelByOutcome.set(k, { n: agg.n + 1, total: agg.total + r.notification.amount });
  }
  if (paymentCount !== model.recorded.length) {
    v.push(`payment rows ${paymentCount}, model recorded ${model.recorded.length}`);
  }
  for (const k of new Set([...dbByOutcome.keys(), ...modelByOutcome.keys()])) {
    const a = dbByOutcome.get(k) ?? { n: 0, total: 0 };
    const b = modelByOutcome.get(k) ?? { n: 0, total: 0 };
    if (a.n !== b.n || a.total !== b.total) {
      v.push(`payments ${k}: database ${a.n} / Rp ${a.total}, model ${b.n} / Rp ${b.total}`);
    }
  }
  if (model.recordedThisStep.length > 0) {
    const rows = await db
      .selectFrom('payment')
      .leftJoin('bill', 'bill.id', 'payment.bill_id')
      .select(['payment.external_id', 'payment.payment_code', 'payment.amount', 'payment.channel', 'payment.paid_at', 'payment.outcome', 'payment.unmatched_reason', 'bill.payment_code as bill_code'])
      .where('payment.external_id', 'in', model.recordedThisStep.map((r) => r.notification.externalId))
      .execute();
    const byId = new Map(rows.map((r) => [r.external_id, r]));
    for (const { notification: n, outcome } of model.recordedThisStep) {
      const row = byId.get(n.externalId);
      if (!row) {
        v.push(`notification ${n.externalId} answered ${outcome.status} but no payment row was recorded`);
        continue;
      }
      const reason = outcome.status === 'unmatched' ? outcome.reason : null;
      const billCode = model.bills.has(n.paymentCode) ? n.paymentCode : null;
      if (
        row.payment_code !== n.paymentCode ||
        row.amount !== n.amount ||
        row.channel !== n.channel ||
        row.paid_at.getTime() !== Date.parse(n.paidAt) ||
        row.outcome !== (outcome.status === 'applied' ? 'applied' : 'unmatched') ||
        row.unmatched_reason !== reason ||
        row.bill_code !== billCode
      ) {
        v.push(`payment ${n.externalId} recorded as ${JSON.stringify(row)}, expected ${JSON.stringify({ n, outcome, billCode })}`);
      }
    }
  }
  const coverage = await sql<{ nik: string; months: string | null }>`
    select p.nik, string_agg(c.month, ',' order by c.month) as months
    from participant p left join coverage_month c on c.participant_id = p.id group by p.nik`.execute(db);
  const dbNiks = new Set<string>();
  for (const r of coverage.rows) {
    dbNiks.add(r.nik);
    const expected = [...(model.state.coverage.get(r.nik) ?? [])].sort().join(',');
    if ((r.months ?? '') !== expected) {
      v.push(`coverage of NIK ${r.nik}: database [${r.months ?? ''}], model [${expected}]`);
    }
  }
  for (const nik of model.state.participants) {
    if (!dbNiks.has(nik)) {
      v.push(`model has a participant for NIK ${nik}, the database does not`);
    }
  }
  if (dbNiks.size !== model.state.participants.size) {
    v.push(`participants: database ${dbNiks.size}, model ${model.state.participants.size}`);
  }
  const regs = await db.selectFrom('registration').select(['id', 'status', 'nik']).execute();
  for (const r of regs) {
    if (!model.registrations.has(r.id)) {
      v.push(`registration ${r.id} exists but the model never created it`);
      continue;
    }
    const completed = model.state.completedRegistrations.has(r.id);
    if (completed !== (r.status === 'completed')) {
      v.push(`registration ${r.id} is ${r.status}, model says ${completed ? 'completed' : 'not completed'}`);
    }
  }
  return v;
}
