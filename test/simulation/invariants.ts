import { sql, type Kysely } from 'kysely';
import type { Database } from '../../src/db/database.js';
import { getAllBalances } from '../../src/modules/ledger/ledger.js';
import type { FirstOutcome, ModelState, Notification, Protocol, SimBill } from './model.js';
import { nikHashOf, openedNik } from '../support/nik.js';

/** What the model expects the database to hold about one recorded (first-time) notification. */
export interface RecordedPayment {
  notification: Notification;
  outcome: FirstOutcome;
}

/**
 * How each channel's own id becomes the payment's external id, and which clearing channels it may post from: the
 * per-payment checks look each payment up by the id the model derived from what it sent, so a wrong mapping shows as
 * a missing payment; this table checks the shape of every stored id in the full check.
 */
export const EXTERNAL_ID_SHAPES: Record<Protocol, { re: RegExp; channels: readonly string[] }> = {
  generic: { re: /^sim-\d+-\d+$/, channels: ['va', 'qris', 'ewallet', 'retail', 'counter', 'autodebit'] },
  'snap-va': { re: /^snap:88899:PAY-\d+-\d+$/, channels: ['va'] },
  'snap-qris': { re: /^qris:QR\d+x\d+$/, channels: ['qris'] },
  midtrans: { re: /^midtrans:sim-mt-\d+-\d+$/, channels: ['va', 'ewallet', 'qris', 'retail'] },
  'xendit-ewallet': { re: /^xendit:ewc_sim\d+x\d+$/, channels: ['ewallet'] },
  'xendit-retail': { re: /^xendit:fpc\d+x\d+$/, channels: ['retail'] },
  autodebit: { re: /^autodebit:mdt_[A-Za-z0-9_-]+:\d{4}-\d{2}$/, channels: ['autodebit'] },
  // A collective bill's share of one member bill: <collective payment id>:<member bill id> (payer-bills fan-out).
  payer: { re: /^[A-Za-z0-9_-]+:[A-Za-z0-9_-]+$/, channels: ['payer'] },
  // Cash a PERISAI agent collected: agent:<the collect command's UUIDv7>.
  agent: { re: /^agent:[0-9a-f]{8}-[0-9a-f]{4}-7[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/, channels: ['agent'] },
};

/** A staff resolution of an unmatched payment, as the model expects it. */
export interface ModelResolution {
  kind: 'refunded' | 'assigned';
  /** assigned: whose wallet (NIK) */
  nik?: string;
  amount: number;
}

export interface ModelView {
  state: ModelState;
  bills: ReadonlyMap<string, SimBill>;
  /** Every notification the model says was recorded (not duplicates, not conflicts), in order. */
  recorded: readonly RecordedPayment[];
  registrations: ReadonlyMap<string, { nik: string }>;
  /** externalId of an unmatched payment → how staff resolved it. */
  resolutions: ReadonlyMap<string, ModelResolution>;
}

/** What one step changed: the cheap checks after every step look only at this. */
export interface StepView {
  /** The notifications recorded in this step (first deliveries): checked row by row, with their transfers. */
  recorded: readonly RecordedPayment[];
  /** Payment codes whose bill this step issued, settled, cancelled or was paid against. */
  bills: ReadonlySet<string>;
  /** NIKs whose coverage, wallet or participant this step may have changed. */
  niks: ReadonlySet<string>;
}

const LINES = `
  select bill_id, sum(net)::int8 as total, count(distinct month)::int8 as months,
    coalesce(sum(net) filter (where program = 'JKK'), 0)::int8 as jkk,
    coalesce(sum(net) filter (where program = 'JKM'), 0)::int8 as jkm,
    coalesce(sum(net) filter (where program = 'JHT'), 0)::int8 as jht
  from bill_line group by bill_id`;

/** Named SQL checks: each selects the rows that break one rule, so a healthy database returns none. */
const ROW_CHECKS: Record<string, string> = {
  // 3. What each payment brought in (its transfers out of clearing, ref = payment id) is exactly its amount: all to
  // suspense when unmatched, all to the member's wallet for a top-up, else split per program exactly as its bill's
  // lines say with any excess (overpayment) to the wallet. A collective bill's payment (bill_id null, payer_bill's
  // payment) moves the collective's amount to clearing:payer (payer_collective) and any excess to suspense (payer_excess).
  'payments whose receipt does not match them exactly': `
    with tr as (
      select ref, sum(amount)::int8 as total,
        coalesce(sum(amount) filter (where credit_account = 'suspense'), 0)::int8 as susp,
        coalesce(sum(amount) filter (where credit_account = 'program:JKK'), 0)::int8 as jkk,
        coalesce(sum(amount) filter (where credit_account = 'program:JKM'), 0)::int8 as jkm,
        coalesce(sum(amount) filter (where credit_account like 'jht:%'), 0)::int8 as jht,
        coalesce(sum(amount) filter (where credit_account like 'wallet:%'), 0)::int8 as wallet,
        coalesce(sum(amount) filter (where credit_account = 'clearing:payer' and code = 'payer_collective'), 0)::int8 as payer
      from ledger_transfer where debit_account like 'clearing:%' group by ref),
    lines as (${LINES})
    select p.id, p.outcome, p.amount, tr.total, tr.susp, tr.jkk, tr.jkm, tr.jht, tr.wallet, tr.payer, l.total as line_total, pb.amount as collective
    from payment p left join tr on tr.ref = p.id left join lines l on l.bill_id = p.bill_id
    left join payer_bill pb on pb.payment_id = p.id and p.outcome = 'applied'
    where tr.ref is null or tr.total <> p.amount
       or (p.outcome = 'unmatched' and tr.susp <> p.amount)
       or (p.outcome = 'topup' and (tr.wallet <> p.amount or p.bill_id is not null))
       or (p.outcome = 'applied' and pb.id is null and (tr.susp <> 0 or tr.payer <> 0 or l.bill_id is null or l.total > p.amount
           or tr.wallet <> p.amount - l.total or tr.jkk <> l.jkk or tr.jkm <> l.jkm or tr.jht <> l.jht))
       or (pb.id is not null and (p.bill_id is not null or tr.payer <> pb.amount or tr.susp <> p.amount - pb.amount))`,
  'transfers out of a clearing account that are not a payment on that channel': `
    select t.id, t.ref, t.debit_account, p.channel
    from ledger_transfer t left join payment p on p.id = t.ref
    where t.debit_account like 'clearing:%' and (p.id is null or t.debit_account <> 'clearing:' || p.channel)`,
  'transfers into a clearing account that are not the refund of an unmatched payment on that channel': `
    select t.id, t.ref, t.code, t.debit_account, t.credit_account, t.amount, p.outcome, p.channel, p.amount as payment_amount
    from ledger_transfer t left join payment p on p.id = t.ref
    where t.credit_account like 'clearing:%'
      and not (t.code = 'payer_collective' and t.credit_account = 'clearing:payer' and t.debit_account = 'clearing:' || p.channel
               and exists (select 1 from payer_bill pb where pb.payment_id = t.ref))
      and (t.code <> 'refund' or t.debit_account <> 'suspense' or p.id is null or p.outcome <> 'unmatched'
           or t.credit_account <> 'clearing:' || p.channel or t.amount <> p.amount)`,
  // An unmatched payment leaves suspense at most once (refund or assignment), in full.
  'suspense released other than once, in full, for an unmatched payment': `
    with released as (
      select ref, count(*)::int8 as n, sum(amount)::int8 as total, min(code) as code, min(credit_account) as credit
      from ledger_transfer where debit_account = 'suspense' group by ref)
    select r.ref, r.n, r.total, r.code, r.credit, p.outcome, p.amount, p.channel
    from released r left join payment p on p.id = r.ref
    where p.id is null or p.outcome <> 'unmatched' or r.n <> 1 or r.total <> p.amount
       or not ((r.code = 'refund' and r.credit = 'clearing:' || p.channel) or (r.code = 'manual_assignment' and r.credit like 'wallet:%'))`,
  "JHT credited to someone other than the bill's participant": `
    select t.id, t.credit_account, pa.kpj
    from ledger_transfer t left join payment p on p.id = t.ref
    left join bill b on b.id = coalesce(p.bill_id, t.ref) left join participant pa on pa.id = b.participant_id
    where t.credit_account like 'jht:%' and t.code = 'contribution_jht' and (pa.id is null or t.credit_account <> 'jht:' || pa.kpj)`,
  // A JHT account moves only by contributions, returns (yearly and interim) and withdrawals (an approved JHT claim).
  'JHT account movements of another kind': `
    select t.id, t.code, t.debit_account, t.credit_account from ledger_transfer t
    where (t.credit_account like 'jht:%' and t.code not in ('contribution_jht', 'jht_return', 'jht_interim_return'))
       or (t.debit_account like 'jht:%' and t.code <> 'claim_benefit')`,
  "wallet credits to someone other than the payment's member": `
    select t.id, t.code, t.credit_account, pa.kpj, p.payment_code
    from ledger_transfer t left join payment p on p.id = t.ref
    left join bill b on b.id = p.bill_id left join participant pa on pa.id = b.participant_id
    where t.credit_account like 'wallet:%'
      and ((t.code = 'overpayment' and (pa.id is null or t.credit_account <> 'wallet:' || pa.kpj or p.outcome <> 'applied'))
        or (t.code = 'wallet_topup' and (p.id is null or p.outcome <> 'topup'
              or t.credit_account <> 'wallet:' || ltrim(substr(p.payment_code, 2, 14), '0')))
        or t.code not in ('overpayment', 'wallet_topup', 'manual_assignment'))`,
  'wallet bills that are not one month paid in full from the member’s wallet': `
    with tr as (
      select ref, sum(amount)::int8 as total, min(debit_account) as dmin, max(debit_account) as dmax,
        coalesce(sum(amount) filter (where credit_account = 'program:JKK'), 0)::int8 as jkk,
        coalesce(sum(amount) filter (where credit_account = 'program:JKM'), 0)::int8 as jkm,
        coalesce(sum(amount) filter (where credit_account like 'jht:%'), 0)::int8 as jht
      from ledger_transfer group by ref),
    lines as (${LINES})
    select b.payment_code, b.status, b.payment_id, b.month_count, l.months, b.amount, tr.total, tr.dmin, tr.dmax, pa.kpj
    from bill b left join participant pa on pa.id = b.participant_id
    left join tr on tr.ref = b.id left join lines l on l.bill_id = b.id
    where b.kind = 'wallet' and (b.status <> 'paid' or b.payment_id is not null or pa.id is null or b.month_count <> 1
       or l.months <> 1 or tr.ref is null or tr.total <> b.amount or l.total <> b.amount
       or tr.dmin <> 'wallet:' || pa.kpj or tr.dmax <> 'wallet:' || pa.kpj
       or tr.jkk <> l.jkk or tr.jkm <> l.jkm or tr.jht <> l.jht)`,
  'wallet transfers out that are not a wallet bill': `
    select t.id, t.ref, t.debit_account, b.kind
    from ledger_transfer t left join bill b on b.id = t.ref
    where t.debit_account like 'wallet:%' and (b.id is null or b.kind <> 'wallet')`,
  // 2. Every applied payment settled its bill, and is the bill's payment.
  'applied payments whose bill is not paid by them': `
    select p.id, p.bill_id, b.status, b.payment_id
    from payment p left join bill b on b.id = p.bill_id
    where p.outcome = 'applied' and (b.id is null or b.status <> 'paid' or b.payment_id is distinct from p.id)
      and not (p.bill_id is null and exists (select 1 from payer_bill pb where pb.payment_id = p.id))`,
  // A payment on channel 'payer' is a collective's share of one of its member bills, for that bill's amount.
  "payer-channel payments that are not a settled collective's share of one of its member bills": `
    select p.id, p.external_id, p.payment_code, p.amount from payment p
    where p.channel = 'payer' and not exists (
      select 1 from payer_bill pb join bill b on b.payer_bill_id = pb.id
      where pb.status in ('settling', 'paid') and p.external_id = pb.payment_id || ':' || b.id
        and p.payment_code = b.payment_code and p.amount = b.amount)`,
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
 * The named row checks alone (ROW_CHECKS: each payment's receipt split exactly, clearing and suspense movements, wallet
 * and JHT owners, applied payments and coverage against their bills), for tests that have no model — e.g. the crash
 * and outage tests of test/resilience. One round trip; empty = all hold.
 */
export async function rowCheckViolations(db: Kysely<Database>): Promise<string[]> {
  const checks = Object.entries(ROW_CHECKS).map(([name, query]) => sql`select ${name}::text as problem, row_to_json(x)::text as detail from (${sql.raw(query)}) x`);
  const problems = await sql<{ problem: string; detail: string }>`${sql.join(checks, sql` union all `)}`.execute(db);
  const byProblem = new Map<string, string[]>();
  for (const r of problems.rows) {
    byProblem.set(r.problem, [...(byProblem.get(r.problem) ?? []), r.detail]);
  }
  return [...byProblem].map(([problem, rows]) => `${problem}: ${rows.slice(0, 5).join(' ')}${rows.length > 5 ? ` …(+${rows.length - 5})` : ''}`);
}

/**
 * What moved the JHT accounts other than contributions: returns in (yearly and interim) less withdrawals out (approved
 * JHT claims). The claims checks hold these to the claims model (claims-invariants.ts); the money checks here take
 * them out, so that contributions still add up to the paid bills.
 */
async function jhtNotContributed(db: Kysely<Database>): Promise<number> {
  const { rows } = await sql<{ returns: number; withdrawn: number }>`
    select coalesce(sum(amount) filter (where code in ('jht_return', 'jht_interim_return')), 0)::int8 as returns,
      coalesce(sum(amount) filter (where code = 'claim_benefit' and debit_account like 'jht:%'), 0)::int8 as withdrawn
    from ledger_transfer where credit_account like 'jht:%' or debit_account like 'jht:%'`.execute(db);
  return Number(rows[0]?.returns ?? 0) - Number(rows[0]?.withdrawn ?? 0);
}

/** What collective bills' payments moved into clearing:payer (payer_collective) and to suspense (payer_excess). */
async function collectiveTotals(db: Kysely<Database>): Promise<{ intoPayer: number; payerExcess: number }> {
  const { rows } = await sql<{ into_payer: number; excess: number }>`
    select coalesce(sum(amount) filter (where code = 'payer_collective'), 0)::int8 as into_payer,
      coalesce(sum(amount) filter (where code = 'payer_excess'), 0)::int8 as excess
    from ledger_transfer where code in ('payer_collective', 'payer_excess')`.execute(db);
  return { intoPayer: Number(rows[0]?.into_payer ?? 0), payerExcess: Number(rows[0]?.excess ?? 0) };
}

/** The accounts of claims and JHT returns (chart-of-accounts.ts); their own invariants are in claims-invariants.ts. */
const CLAIM_ACCOUNT = /^(jht_investment|payout_clearing|benefit:(JKK|JKM)|disbursement:[a-z]+)$/;
/** PERISAI incentives (src/modules/incentives): expense:agent_incentive → payable:agent|kantor:<code>, among themselves. */
const INCENTIVE_ACCOUNT = /^(expense:agent_incentive|payable:(agent|kantor):[A-Z0-9-]+)$/;

function outcomeOf(outcome: string, reason: string | null): string {
  return outcome === 'unmatched' ? `unmatched:${reason}` : outcome;
}

/**
 * The money-path invariants over the whole database. Returns every violation found (empty = all hold):
 * 1. double entry: Σ balances = 0, every amount > 0, only known accounts;
 * 2. no bill settles twice: ≤ 1 applied payment per bill; a paid bill is paid by exactly one applied payment of at
 *    least its amount (which is its payment_id), or — a wallet bill — from the member's wallet with no payment;
 * 3. every received rupiah is on a settled bill, in a wallet, in suspense or refunded: payment by payment (split per
 *    program as the bill's lines say, the excess of an overpayment and a top-up to the member's wallet, unmatched to
 *    suspense, each unmatched payment released from suspense at most once) and in total
 *    (Σ received = program + JHT + Σ wallets + suspense + refunded; each channel's clearing = −received + refunded);
 *    a collective bill's payment (payer-bills: bill_id null) moves its amount to clearing:payer and any excess to
 *    suspense, its fan-out's shares (channel 'payer') pay the member bills out of clearing:payer: the totals count money
 *    from outside (every channel but 'payer') plus what is still in clearing:payer;
 * 4. coverage: each paid bill covers exactly its months for its participant, nothing else covers anything;
 * 5. the database agrees with the model: bill statuses, recorded payments (external ids in each channel's shape) and
 *    their outcomes, staff resolutions (one per payment, a refund request for each refund), coverage, wallets per
 *    person, completed registrations.
 */
export async function findViolations(db: Kysely<Database>, model: ModelView): Promise<string[]> {
  const v: string[] = [];

  // ---- 1. double entry
  const stats = await sql<{ n: number; min_amount: number | null }>`
    select count(*)::int8 as n, min(amount)::int8 as min_amount from ledger_transfer`.execute(db);
  const ledger = stats.rows[0];
  if (!ledger) {
    return ['ledger totals query returned nothing'];
  }
  if (ledger.n > 0 && (ledger.min_amount ?? 0) <= 0) {
    v.push(`ledger: a transfer amount is not positive (min ${ledger.min_amount})`);
  }
  const balances = await getAllBalances(db);
  let balanceSum = 0;
  let fundsAndSavings = 0;
  let wallets = 0;
  const clearingByChannel = new Map<string, number>();
  const walletByKpj = new Map<string, number>();
  const others: string[] = [];
  for (const [account, balance] of balances) {
    balanceSum += balance;
    if (account.startsWith('program:') || account.startsWith('jht:')) {
      fundsAndSavings += balance;
    } else if (account.startsWith('clearing:')) {
      clearingByChannel.set(account.slice('clearing:'.length), balance);
    } else if (account.startsWith('wallet:')) {
      wallets += balance;
      walletByKpj.set(account.slice('wallet:'.length), balance);
      if (balance < 0) {
        v.push(`ledger: ${account} is negative (${balance})`);
      }
    } else if (account !== 'suspense' && !CLAIM_ACCOUNT.test(account) && !INCENTIVE_ACCOUNT.test(account)) {
      others.push(account);
    }
  }
  fundsAndSavings -= await jhtNotContributed(db);
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
  const refunds = await sql<{ account: string; total: number }>`
    select credit_account as account, sum(amount)::int8 as total from ledger_transfer where code = 'refund' group by credit_account`.execute(db);
  const paidBills = await sql<{ total: number }>`select coalesce(sum(amount), 0)::int8 as total from bill where status = 'paid'`.execute(db);
  // Collective bills (payer-bills): their payment moves the collective's amount into clearing:payer, from which the
  // fan-out's shares (channel 'payer') pay the member bills; any excess goes to suspense. The shares move money that
  // was received once already: the totals count money from outside (every channel but 'payer') and what is still in
  // clearing:payer (a collective paid, not yet fanned out).
  const { intoPayer, payerExcess } = await collectiveTotals(db);
  let received = 0;
  let unmatched = 0;
  let paymentCount = 0;
  const receivedByChannel = new Map<string, number>();
  const dbByOutcome = new Map<string, { n: number; total: number }>();
  for (const r of paySums.rows) {
    received += r.total;
    paymentCount += r.n;
    if (r.outcome === 'unmatched') {
      unmatched += r.total;
    }
    receivedByChannel.set(r.channel, (receivedByChannel.get(r.channel) ?? 0) + r.total);
    const k = outcomeOf(r.outcome, r.reason);
    const agg = dbByOutcome.get(k) ?? { n: 0, total: 0 };
    dbByOutcome.set(k, { n: agg.n + r.n, total: agg.total + r.total });
  }
  const refundedByChannel = new Map(refunds.rows.map((r) => [r.account.slice('clearing:'.length), r.total]));
  const refunded = [...refundedByChannel.values()].reduce((s, x) => s + x, 0) - (refundedByChannel.get('payer') ?? 0);
  const fromOutside = received - (receivedByChannel.get('payer') ?? 0);
  const inPayer = clearingByChannel.get('payer') ?? 0;
  if (fromOutside !== fundsAndSavings + wallets + suspense + refunded + inPayer) {
    v.push(`money: Σ received ${fromOutside} ≠ program+JHT ${fundsAndSavings} + wallets ${wallets} + suspense ${suspense} + refunded ${refunded} + clearing:payer ${inPayer}`);
  }
  if (fundsAndSavings !== (paidBills.rows[0]?.total ?? 0)) {
    v.push(`money: program+JHT balances ${fundsAndSavings} ≠ Σ paid bills ${paidBills.rows[0]?.total}`);
  }
  let modelReleased = 0;
  for (const r of model.resolutions.values()) {
    modelReleased += r.amount;
  }
  if (suspense !== unmatched + payerExcess - modelReleased) {
    v.push(`money: suspense ${suspense} ≠ Σ unmatched ${unmatched} + collective excess ${payerExcess} − released by staff (model) ${modelReleased}`);
  }
  for (const ch of new Set([...receivedByChannel.keys(), ...clearingByChannel.keys()])) {
    const expected = -(receivedByChannel.get(ch) ?? 0) + (refundedByChannel.get(ch) ?? 0) + (ch === 'payer' ? intoPayer : 0);
    if ((clearingByChannel.get(ch) ?? 0) !== expected) {
      v.push(`money: clearing:${ch} balance ${clearingByChannel.get(ch) ?? 0} ≠ −received + refunded on ${ch} ${expected}`);
    }
  }

  // ---- 2, 3, 4: every named check below must find no rows (one round trip for all of them)
  v.push(...(await rowCheckViolations(db)));

  // ---- 2. no bill settles twice (also the rows the model is compared with below)
  const bills = await sql<{
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
    select b.payment_code, b.kind, b.status, b.amount, b.payment_id, b.participant_id,
      count(p.id)::int8 as applied_n, coalesce(sum(p.amount), 0)::int8 as applied_sum, min(p.id) as applied_id
    from bill b left join payment p on p.bill_id = b.id and p.outcome = 'applied'
    group by b.id`.execute(db);
  for (const b of bills.rows) {
    if (b.applied_n > 1) {
      v.push(`bill ${b.payment_code} settled ${b.applied_n} times`);
    }
    if (b.kind === 'wallet') {
      if (b.applied_n > 0) {
        v.push(`wallet bill ${b.payment_code} has an applied payment ${b.applied_id}`);
      }
    } else if (b.status === 'paid' && (b.applied_n !== 1 || b.applied_sum < b.amount || b.applied_id !== b.payment_id)) {
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
    if (expected !== b.status || sim.kind !== b.kind) {
      v.push(`bill ${b.payment_code} (${b.kind}) is ${b.status}, model says ${sim.kind} ${expected}`);
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
    const k = outcomeOf(r.outcome.status, r.outcome.status === 'unmatched' ? r.outcome.reason : null);
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
  // Every stored external id is one the model sent, in its channel's shape (EXTERNAL_ID_SHAPES), on an allowed channel;
  // and each unmatched payment was released from suspense exactly as staff resolved it in the model.
  const modelIds = new Map(model.recorded.map((r) => [r.notification.externalId, r.notification]));
  const ids = await sql<{ external_id: string; channel: string; released: string | null; to_account: string | null; kpj: string | null }>`
    select p.external_id, p.channel, t.code as released, t.credit_account as to_account, null as kpj
    from payment p left join ledger_transfer t on t.ref = p.id and t.debit_account = 'suspense'`.execute(db);
  const kpjByNik = new Map<string, string>();
  const participants = (await db.selectFrom('participant').select(['nik_sealed', 'kpj']).execute()).map((r) => ({ nik: openedNik(r.nik_sealed), kpj: r.kpj }));
  for (const p of participants) {
    kpjByNik.set(p.nik, p.kpj);
  }
  for (const row of ids.rows) {
    const n = modelIds.get(row.external_id);
    if (!n) {
      v.push(`payment ${row.external_id} (${row.channel}) is not one the model recorded`);
      continue;
    }
    const shape = EXTERNAL_ID_SHAPES[n.protocol];
    if (!shape.re.test(row.external_id) || !shape.channels.includes(row.channel)) {
      v.push(`payment ${row.external_id} on ${row.channel} does not have the ${n.protocol} external id shape ${shape.re} / channels ${shape.channels.join(',')}`);
    }
    const r = model.resolutions.get(row.external_id);
    const expected = !r ? null : r.kind === 'refunded' ? `refund→clearing:${row.channel}` : `manual_assignment→wallet:${kpjByNik.get(r.nik as string)}`;
    const actual = row.released === null ? null : `${row.released}→${row.to_account}`;
    if (expected !== actual) {
      v.push(`payment ${row.external_id}: released from suspense as ${actual}, model says ${expected}`);
    }
  }
  // Staff resolutions as recorded (once per payment, by its primary key), each refund with one refund request.
  const hasResolutions = await sql<{ t: string | null }>`select to_regclass('payment_resolution')::text as t`.execute(db);
  if (hasResolutions.rows[0]?.t) {
    const resolved = await sql<{ external_id: string; resolution: string; nik: string | null; amount: number; refunds: number }>`
      select p.external_id, r.resolution, pa.nik_sealed as nik, r.amount,
        (select count(*) from refund_request q where q.payment_id = p.id)::int8 as refunds
      from payment_resolution r join payment p on p.id = r.payment_id left join participant pa on pa.id = r.participant_id`.execute(db);
    for (const r of resolved.rows.map((x) => ({ ...x, nik: x.nik === null ? null : openedNik(x.nik) }))) {
      const m = model.resolutions.get(r.external_id);
      if (!m || m.kind !== r.resolution || (m.nik ?? null) !== r.nik || m.amount !== r.amount || r.refunds !== (m.kind === 'refunded' ? 1 : 0)) {
        v.push(`resolution of ${r.external_id}: ${JSON.stringify(r)}, model ${JSON.stringify(m ?? null)}`);
      }
    }
    if (resolved.rows.length !== model.resolutions.size) {
      v.push(`resolutions: database ${resolved.rows.length}, model ${model.resolutions.size}`);
    }
  }
  const coverage = await sql<{ nik: string; months: string | null }>`
    select p.nik_sealed as nik, string_agg(c.month, ',' order by c.month) as months
    from participant p left join coverage_month c on c.participant_id = p.id group by p.nik_sealed`.execute(db);
  const dbNiks = new Set<string>();
  for (const r of coverage.rows.map((x) => ({ ...x, nik: openedNik(x.nik) }))) {
    dbNiks.add(r.nik);
    const expected = [...(model.state.coverage.get(r.nik) ?? [])].sort().join(',');
    if ((r.months ?? '') !== expected) {
      v.push(`coverage of NIK ${r.nik}: database [${r.months ?? ''}], model [${expected}]`);
    }
    const wallet = walletByKpj.get(kpjByNik.get(r.nik) as string) ?? 0;
    if (wallet !== (model.state.wallet.get(r.nik) ?? 0)) {
      v.push(`wallet of NIK ${r.nik}: database ${wallet}, model ${model.state.wallet.get(r.nik) ?? 0}`);
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
  if (walletByKpj.size > 0 && [...walletByKpj.keys()].some((kpj) => !participants.some((p) => p.kpj === kpj))) {
    v.push(`wallets of no member: ${[...walletByKpj.keys()].filter((kpj) => !participants.some((p) => p.kpj === kpj)).join(', ')}`);
  }
  const regs = await db.selectFrom('registration').select(['id', 'status']).execute();
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

/**
 * The cheap checks after a step, against the model, on what the step changed:
 * - each payment recorded in this step is stored exactly as sent (external id as the channel's protocol maps it,
 *   code, amount, channel, time, outcome, reason, bill), and what it brought in moves exactly its amount out of
 *   clearing:<channel>: all to suspense when unmatched, all to the member's wallet for a top-up, else split per
 *   program as its bill's lines say (JHT to the bill's participant) and any excess to the member's wallet;
 * - each bill the step touched has the model's kind, status and amount, and a paid bill's payment_id is an applied
 *   payment of it for at least its amount (none for a wallet bill);
 * - each person the step touched has the model's participant, the model's number of covered months from the same
 *   first to the same last month, and the model's wallet balance.
 * Whatever a step might have done behind the model's back (a payment or bill it does not know) is found by the full
 * check (findViolations), which compares everything.
 */
export async function findStepViolations(db: Kysely<Database>, model: ModelView, step: StepView): Promise<string[]> {
  const v: string[] = [];
  if (step.recorded.length === 0 && step.bills.size === 0 && step.niks.size === 0) {
    return v;
  }
  // One round trip: the step's payments (by external id) with their receipt transfers (by primary key: a payment's
  // receipt is <paymentId>:<JKK|JKM|JHT|suspense|wallet>, the chart of accounts; a transfer under another id is caught
  // by the full check, which groups by ref) and their bill's lines; the touched bills (by code) with the payment that
  // paid them; the touched people (by NIK) with their cover and wallet balance.
  const list = (xs: Iterable<string>) => {
    const a = [...xs];
    return sql.join(a.length > 0 ? a : ['']);
  };
  type PaymentRow = {
    id: string;
    external_id: string;
    payment_code: string;
    amount: number;
    channel: string;
    paid_at: string;
    outcome: string;
    unmatched_reason: string | null;
    bill_code: string | null;
    kpj: string | null;
    transfers: { debit: string; credit: string; amount: number }[] | null;
    lines: { program: string; net: number }[] | null;
  };
  type BillRow = {
    payment_code: string;
    id: string;
    kind: string;
    status: string;
    amount: number;
    payment_id: string | null;
    participant_id: string | null;
    paid_by_outcome: string | null;
    paid_by_bill: string | null;
    paid_by_amount: number | null;
  };
  type PersonRow = { nik: string; covered: number; first: string | null; last: string | null; wallet: number };
  const result = await sql<{ payments: PaymentRow[] | null; bills: BillRow[] | null; people: PersonRow[] | null }>`
    select
      (select json_agg(x) from (
        select p.id, p.external_id, p.payment_code, p.amount, p.channel, p.paid_at, p.outcome, p.unmatched_reason,
          b.payment_code as bill_code, pa.kpj,
          (select json_agg(json_build_object('debit', t.debit_account, 'credit', t.credit_account, 'amount', t.amount))
             from ledger_transfer t
            where t.id in (p.id || ':JKK', p.id || ':JKM', p.id || ':JHT', p.id || ':suspense', p.id || ':wallet')) as transfers,
          (select json_agg(json_build_object('program', l.program, 'net', l.net)) from bill_line l
            where l.bill_id = b.id and p.outcome = 'applied') as lines
        from payment p left join bill b on b.id = p.bill_id left join participant pa on pa.id = b.participant_id
        where p.external_id in (${list(step.recorded.map((r) => r.notification.externalId))})) x) as payments,
      (select json_agg(x) from (
        select b.payment_code, b.id, b.kind, b.status, b.amount, b.payment_id, b.participant_id,
          p.outcome as paid_by_outcome, p.bill_id as paid_by_bill, p.amount as paid_by_amount
        from bill b left join payment p on p.id = b.payment_id
        where b.payment_code in (${list(step.bills)})) x) as bills,
      (select json_agg(x) from (
        select p.nik_sealed as nik,
          (select count(*) from coverage_month c where c.participant_id = p.id) as covered,
          (select min(c.month) from coverage_month c where c.participant_id = p.id) as first,
          (select max(c.month) from coverage_month c where c.participant_id = p.id) as last,
          (select coalesce(sum(t.amount), 0) from ledger_transfer t where t.credit_account = 'wallet:' || p.kpj)
            - (select coalesce(sum(t.amount), 0) from ledger_transfer t where t.debit_account = 'wallet:' || p.kpj) as wallet
        from participant p where p.nik_hash in (${list([...step.niks].map(nikHashOf))})) x) as people`.execute(db);
  const row = result.rows[0];
  const parse = <T>(x: T[] | string | null | undefined): T[] => (typeof x === 'string' ? (JSON.parse(x) as T[]) : (x ?? []));
  const payments = parse(row?.payments);
  const bills = parse(row?.bills);
  const people = parse(row?.people).map((x) => ({ ...x, nik: openedNik(x.nik) }));

  const byId = new Map(payments.map((r) => [r.external_id, r]));
  for (const { notification: n, outcome } of step.recorded) {
    const r = byId.get(n.externalId);
    if (!r) {
      v.push(`${n.protocol} payment ${n.externalId} answered ${outcome.status} but no payment row was recorded under that external id`);
      continue;
    }
    const reason = outcome.status === 'unmatched' ? outcome.reason : null;
    const billCode = model.bills.has(n.paymentCode) ? n.paymentCode : null;
    if (
      r.payment_code !== n.paymentCode ||
      Number(r.amount) !== n.amount ||
      r.channel !== n.channel ||
      Date.parse(r.paid_at) !== Date.parse(n.paidAt) ||
      r.outcome !== outcome.status ||
      r.unmatched_reason !== reason ||
      r.bill_code !== billCode
    ) {
      const { transfers: _t, lines: _l, ...stored } = r;
      v.push(`payment ${n.externalId} recorded as ${JSON.stringify(stored)}, expected ${JSON.stringify({ n, outcome, billCode })}`);
    }
    const posted = r.transfers ?? [];
    const total = posted.reduce((s, x) => s + Number(x.amount), 0);
    const credits = new Map<string, number>();
    for (const x of posted) {
      credits.set(x.credit, (credits.get(x.credit) ?? 0) + Number(x.amount));
    }
    const expectedCredits = new Map<string, number>();
    if (outcome.status === 'unmatched') {
      expectedCredits.set('suspense', n.amount);
    } else if (outcome.status === 'topup') {
      expectedCredits.set(`wallet:${n.paymentCode.slice(1, 15).replace(/^0+/, '')}`, n.amount);
    } else {
      for (const l of r.lines ?? []) {
        const account = l.program === 'JHT' ? `jht:${r.kpj}` : `program:${l.program}`;
        expectedCredits.set(account, (expectedCredits.get(account) ?? 0) + Number(l.net));
      }
      for (const [account, x] of expectedCredits) {
        if (x === 0) {
          expectedCredits.delete(account);
        }
      }
      if (outcome.excess > 0) {
        expectedCredits.set(`wallet:${r.kpj}`, outcome.excess);
      }
    }
    const same = credits.size === expectedCredits.size && [...credits].every(([a, x]) => expectedCredits.get(a) === x);
    if (total !== n.amount || !same || posted.some((x) => x.debit !== `clearing:${n.channel}` || Number(x.amount) <= 0)) {
      v.push(`payment ${n.externalId} (${outcome.status}, Rp${n.amount} on ${n.channel}) posted ${JSON.stringify(posted)}, expected credits ${JSON.stringify([...expectedCredits])}`);
    }
  }

  const seen = new Set<string>();
  for (const b of bills) {
    seen.add(b.payment_code);
    const sim = model.bills.get(b.payment_code);
    const expected = model.state.billStatus.get(b.payment_code);
    if (!sim || expected !== b.status || sim.amount !== Number(b.amount) || sim.kind !== b.kind) {
      v.push(`bill ${b.payment_code} is ${b.kind} ${b.status} Rp${b.amount}, model says ${sim?.kind} ${expected} Rp${sim?.amount}`);
    }
    // A second settlement of one bill shows in the payment rows above (the model answers it as unmatched) and in the
    // full check (applied payments per bill).
    const paidByPayment = b.kind !== 'wallet' && b.status === 'paid';
    if (
      paidByPayment
        ? b.paid_by_outcome !== 'applied' || b.paid_by_bill !== b.id || Number(b.paid_by_amount ?? 0) < Number(b.amount) || !b.participant_id
        : b.payment_id !== null
    ) {
      v.push(`${b.kind} ${b.status} bill ${b.payment_code} has payment ${b.payment_id} (${b.paid_by_outcome}, bill ${b.paid_by_bill}, Rp${b.paid_by_amount})`);
    }
  }
  for (const code of step.bills) {
    if (model.bills.has(code) && !seen.has(code)) {
      v.push(`model bill ${code} is not in the database`);
    }
  }

  const found = new Set<string>();
  for (const r of people) {
    found.add(r.nik);
    // Count and bounds here (a member's cover can run to hundreds of months); the full check compares every month.
    const covered = model.state.coverage.get(r.nik) ?? new Set<string>();
    const sorted = [...covered].sort();
    const first = sorted[0] ?? null;
    const last = sorted.at(-1) ?? null;
    if (Number(r.covered) !== covered.size || r.first !== first || r.last !== last) {
      v.push(`coverage of NIK ${r.nik}: database ${r.covered} months ${r.first}..${r.last}, model ${covered.size} months ${first}..${last}`);
    }
    if (Number(r.wallet) !== (model.state.wallet.get(r.nik) ?? 0)) {
      v.push(`wallet of NIK ${r.nik}: database ${r.wallet}, model ${model.state.wallet.get(r.nik) ?? 0}`);
    }
  }
  for (const nik of step.niks) {
    if (found.has(nik) !== model.state.participants.has(nik)) {
      v.push(`NIK ${nik}: participant in the database ${found.has(nik)}, in the model ${model.state.participants.has(nik)}`);
    }
  }
  return v;
}
