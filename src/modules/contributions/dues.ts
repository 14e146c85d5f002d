import { randomBytes } from 'node:crypto';
import { sql, type Transaction } from 'kysely';
import type { Database } from '../../db/database.js';
import { onPayerRosterSql } from '../../db/payer-in-force.js';
import { fundingKeySql } from '../../db/funding-key.js';
import { luhnCheckDigit } from '../../shared/ids.js';
import { addMonths, monthsBetween } from '../../shared/month.js';

/**
 * Opening a contribution month's dues (tagihan iuran bulanan, bill kind 'dues') for one batch of participants by id,
 * set-based like the due reminders (notifications/due-reminders.ts):
 *
 * 1. the caller reads the batch's distinct pricing combinations (readReminderBatch) and prices each combination once
 *    per month with priceContribution (the one pricing rule), month by month;
 * 2. `openDuesBatch` inserts, in one statement, a bill and its bill_line rows for every member of the batch who is
 *    not inactive (their last covered month is in `covers`), whose cover does not include the month, who has no open
 *    bill containing it, and whose dues for the month were never opened.
 *
 * The bill asks for every month from the member's first unpaid month through the dues month: a member one month
 * behind gets a one-month bill; a member in arrears gets the arrears first (the settlement covers what a bill lists
 * and the status derives from the last covered month, so a bill for the new month alone would let arrears be
 * skipped). Opening a member's new dues cancels their older open dues bill, whose months the new one repeats.
 *
 * Idempotency: the bill id is deterministic (`duesBillId`), so a month's dues are opened at most once per member —
 * a re-run, a resumed batch or a second job finds the id taken; a dues bill cancelled later (the member issued their
 * own bill) is not reopened. Payment codes are drawn here ('8', 14 random digits, Luhn) and handed to the statement;
 * the rare code collision (unique constraint) leaves that member out of the round, and the caller runs another round.
 */
export function duesBillId(month: string, participantId: string): string {
  return `bil_dues_${month}_${participantId}`;
}

/** `count` payment codes in the format of newPaymentCode, from one call to the CSPRNG. */
export function newPaymentCodes(count: number): string[] {
  const bytes = randomBytes(8 * count);
  const codes: string[] = [];
  for (let i = 0; i < count; i++) {
    // 64 random bits reduced to 14 digits: the modulo bias is below 1e-5, irrelevant for a lookup code.
    const body = `8${(bytes.readBigUInt64BE(i * 8) % 100_000_000_000_000n).toString().padStart(14, '0')}`;
    codes.push(body + luhnCheckDigit(body));
  }
  return codes;
}

/** A cover the dues may be opened against: members whose last covered month is `coveredThrough`. */
export interface DuesCover {
  coveredThrough: string;
  /** When their dues bill stops being payable (they become inactive). */
  expiresAt: Date;
}

/** One priced bill line for a pricing combination and month. */
export interface DuesPriceLine {
  declaredIncome: number;
  /** Programs joined with ',' in stored order, as readReminderBatch returns them. */
  programs: string;
  sector: string;
  /** The funding key (src/db/funding-key.ts): the month's line is priced with the funding in force for it. */
  funding: string;
  month: string;
  program: 'JKK' | 'JKM' | 'JHT';
  amount: number;
  discount: number;
  net: number;
}

export interface OpenDuesInput {
  fromIdExclusive: string;
  toIdInclusive: string;
  month: string;
  covers: readonly DuesCover[];
  /** Lines for every combination of the batch and every month from the oldest cover's next month through `month`. */
  lines: readonly DuesPriceLine[];
  /** At least as many fresh payment codes as the batch has participants. */
  codes: readonly string[];
  now: Date;
}

export interface OpenDuesResult {
  /** Members the dues were due for in this round (priced, eligible). */
  eligible: number;
  opened: number;
  /** Older open dues bills replaced by the new ones. */
  replaced: number;
  /** Sum of the opened bills' amounts. */
  amount: number;
}

/** One bill's total for a pricing combination and cover: the nets of every month after the cover through the month. */
interface DuesTotal {
  combo: string;
  declaredIncome: number;
  programs: string;
  sector: string;
  funding: string;
  coveredThrough: string;
  firstMonth: string;
  monthCount: number;
  amount: number;
}

/**
 * Per (combination, cover): the bill's first month, month count and amount, summed here from the priced lines so that
 * the statement only joins (no aggregation over a batch's lines). A combination missing a month's price is left out:
 * its members get no bill rather than a wrong one.
 */
export function duesTotals(month: string, covers: readonly DuesCover[], lines: readonly DuesPriceLine[]): DuesTotal[] {
  const byCombo = new Map<string, { line: DuesPriceLine; nets: Map<string, number> }>();
  for (const l of lines) {
    const combo = JSON.stringify([l.declaredIncome, l.programs, l.sector, l.funding]);
    const entry = byCombo.get(combo) ?? { line: l, nets: new Map<string, number>() };
    entry.nets.set(l.month, (entry.nets.get(l.month) ?? 0) + l.net);
    byCombo.set(combo, entry);
  }
  const out: DuesTotal[] = [];
  for (const [combo, { line, nets }] of byCombo) {
    for (const c of covers) {
      const monthCount = monthsBetween(c.coveredThrough, month);
      let amount = 0;
      let complete = monthCount > 0;
      for (let i = 1; i <= monthCount && complete; i++) {
        const net = nets.get(addMonths(c.coveredThrough, i));
        complete = net !== undefined;
        amount += net ?? 0;
      }
      if (complete && amount > 0) {
        out.push({
          combo,
          declaredIncome: line.declaredIncome,
          programs: line.programs,
          sector: line.sector,
          funding: line.funding,
          coveredThrough: c.coveredThrough,
          firstMonth: addMonths(c.coveredThrough, 1),
          monthCount,
          amount,
        });
      }
    }
  }
  return out;
}

/** openDuesBatch's inputs as the JSON documents its statement reads with jsonb_to_recordset. */
function duesBatchJson(input: OpenDuesInput): { covers: string; totals: string; lines: string; codes: string } {
  return {
    covers: JSON.stringify(input.covers.map((c) => ({ ct: c.coveredThrough, ex: c.expiresAt.toISOString() }))),
    totals: JSON.stringify(
      duesTotals(input.month, input.covers, input.lines).map((t) => ({ i: t.declaredIncome, p: t.programs, s: t.sector, f: t.funding, ct: t.coveredThrough, fm: t.firstMonth, n: t.monthCount, a: t.amount })),
    ),
    lines: JSON.stringify(input.lines.map((l) => ({ i: l.declaredIncome, p: l.programs, s: l.sector, f: l.funding, m: l.month, g: l.program, a: l.amount, d: l.discount, n: l.net }))),
    codes: JSON.stringify(input.codes),
  };
}

export async function openDuesBatch(trx: Transaction<Database>, input: OpenDuesInput): Promise<OpenDuesResult> {
  const { covers, totals, lines, codes } = duesBatchJson(input);
  const { rows } = await sql<OpenDuesResult>`
    with cov as (
      select * from jsonb_to_recordset(${covers}::jsonb) as c (ct text, ex timestamptz)
    ),
    tot as (
      select * from jsonb_to_recordset(${totals}::jsonb) as t (i bigint, p text, s text, f text, ct text, fm text, n int, a bigint)
    ),
    pr as (
      select * from jsonb_to_recordset(${lines}::jsonb) as x (i bigint, p text, s text, f text, m text, g text, a bigint, d bigint, n bigint)
    ),
    code as (
      select c.value as code, c.ord from jsonb_array_elements_text(${codes}::jsonb) with ordinality as c (value, ord)
    ),
    -- Materialized: the per-member probes run once per member, whatever the planner does with the joins after.
    cand as materialized (
      select p.id, p.declared_income, array_to_string(p.programs, ',') as progs, p.sector,
             ${fundingKeySql(sql.ref('p.id'), sql.ref('p.funding'))} as funding, cov.ct, cov.ex,
             'bil_dues_' || ${input.month}::text || '_' || p.id as bill_id
        from participant p
        cross join lateral (select max(cm.month) as ct from coverage_month cm where cm.participant_id = p.id) cv
        join cov on cov.ct = cv.ct
       where p.id > ${input.fromIdExclusive}::text and p.id <= ${input.toIdInclusive}::text
         and cv.ct < ${input.month}::text
         -- Per-member probes written as scalar subqueries on purpose: a NOT EXISTS here may be planned as an anti join
         -- that scans all of bill / bill_line for every batch (quadratic over a million members); a correlated scalar
         -- subquery stays a per-row index lookup (bill_pkey, bill_participant_idx, bill_line_pkey).
         and (select count(*) from bill x where x.id = 'bil_dues_' || ${input.month}::text || '_' || p.id) = 0
         and (select count(*) from bill ob
               where ob.participant_id = p.id and ob.status = 'open' and ob.expires_at > ${input.now}::timestamptz
                 and (select count(*) from bill_line ol where ol.bill_id = ob.id and ol.month = ${input.month}::text) > 0) = 0
         -- A member on a payer's roster for the month gets no dues bill: the payer's period invoice covers it (rosters).
         and not ${onPayerRosterSql(sql.ref('p.id'), sql.ref('p.funding'), sql.ref('p.registration_id'), sql`${input.month}::text`)}
    ),
    priced as (
      select c.id, c.bill_id, c.ex, t.fm, t.n, t.a, row_number() over (order by c.id) as ord
        from cand c
        join tot t on t.i = c.declared_income and t.p = c.progs and t.s = c.sector and t.f = c.funding and t.ct = c.ct
    ),
    ins as (
      insert into bill (id, payment_code, kind, registration_id, participant_id, amount, status, first_month, month_count,
                        expires_at, created_at, paid_at, payment_id)
      select pd.bill_id, code.code, 'dues', null, pd.id, pd.a, 'open', pd.fm, pd.n, pd.ex, ${input.now}::timestamptz, null, null
        from priced pd
        join code on code.ord = pd.ord
      on conflict do nothing
      returning id, participant_id, amount, first_month
    ),
    ins_lines as (
      -- Joined through the participant's primary key rather than back to cand: with cand's row estimate of 1 a join
      -- of ins to cand may be planned as a nested loop over both (quadratic in the batch size).
      insert into bill_line (bill_id, month, program, amount, discount, net)
      select ins.id, pr.m, pr.g, pr.a, pr.d, pr.n
        from ins
        join participant p on p.id = ins.participant_id
        join pr on pr.i = p.declared_income and pr.p = array_to_string(p.programs, ',') and pr.s = p.sector
               and pr.f = ${fundingKeySql(sql.ref('p.id'), sql.ref('p.funding'))} and pr.m >= ins.first_month and pr.m <= ${input.month}::text
      returning 1
    ),
    replaced as (
      update bill ob set status = 'cancelled'
       where ob.participant_id in (select participant_id from ins)
         and ob.kind = 'dues' and ob.status = 'open'
      returning 1
    )
    select (select count(*) from priced)::int as eligible,
           (select count(*) from ins)::int as opened,
           (select count(*) from replaced)::int as replaced,
           coalesce((select sum(amount) from ins), 0)::bigint as amount,
           (select count(*) from ins_lines)::int as lines
  `.execute(trx);
  const row = rows[0];
  return { eligible: row?.eligible ?? 0, opened: row?.opened ?? 0, replaced: row?.replaced ?? 0, amount: Number(row?.amount ?? 0) };
}
