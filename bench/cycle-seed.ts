import pg from 'pg';
import { openPostgres } from '../src/db/connect.js';
import { refreshDashboardRollup } from '../src/modules/dashboards/index.js';
import { priceContribution } from '../src/modules/contributions/domain/price-contribution.js';
import { inForce, type Funding, type Program, type RuleBook, type Sector } from '../src/modules/contributions/domain/rule-book.js';
import { coverState, lapseDates, STATUS_REASONS } from '../src/modules/jobs/domain/cycle-calendar.js';
import { findOccupation } from '../src/modules/reference/occupations.js';
import { addDays, addMonths, isMonth, type LocalDate, type Month } from '../src/shared/month.js';
import { loadWithBillAmountsCheckedAfter } from './bill-amount-check.js';
import { BENCH_NIK_SEALED_SQL, nikHashSql } from './nik-sql.js';

/**
 * The monthly cycle's population, written set-based in PostgreSQL (generate_series; no row goes through Node), so a
 * million members take minutes, not hours. Members are as the payment path leaves them (see bench/seed.ts for the
 * row-by-row original that bench/shape-check.ts compares with the real API): population row, completed
 * registration, participant (KPJ from kpj_seq's range with its Luhn digit, structurally valid NIK), a paid first bill
 * for the month they joined and a paid renewal bill for the rest of their cover, bill lines priced by
 * priceContribution (the one pricing rule, computed in TypeScript for every combination and month and joined in SQL),
 * one payment per bill, coverage months, the ledger transfers of each payment (contributionTransfers' split), and
 * the membership status changes the daily cycle would already have recorded by the start of the month.
 *
 * Relative to the cycle month M (the month whose dues, reminders and due date the benchmark runs through), members
 * are covered through (weights out of 100, CYCLE_MIX):
 *   M+1 5, M 15      paid ahead: nothing to remind;
 *   M-1 40           active, reminded for M, in arrears the day after M's due date unless they pay;
 *   M-2 15, M-3 10   already in arrears (recorded), reminded with every month they owe;
 *   M-4 7            in arrears, inactive the day after M's due date (more than 3 unpaid months);
 *   M-5…M-8 8        already inactive (arrears, then inactive, both recorded).
 * Each has covered 1–6 consecutive months. Programs JKK+JKM (70 %) or with JHT (30 %); incomes on the rule book's
 * ladder, mostly its first rungs; 45 % transport occupations (PP 50/2025 discount), 55 % others; 5 % sponsor-funded.
 * Every member has an email address and a mobile number, so each reminder queues one email and one SMS.
 * The outbox starts empty: no history of messages already sent. Last, the dashboards' rollup is refreshed as of the
 * seed's "now" (src/modules/dashboards/rollup.ts), as the previous day's status job would have left it.
 */

export const CYCLE_MIX: readonly { offset: number; weight: number }[] = [
  { offset: 1, weight: 5 },
  { offset: 0, weight: 15 },
  { offset: -1, weight: 40 },
  { offset: -2, weight: 15 },
  { offset: -3, weight: 10 },
  { offset: -4, weight: 7 },
  { offset: -5, weight: 3 },
  { offset: -6, weight: 2 },
  { offset: -7, weight: 2 },
  { offset: -8, weight: 1 },
];
const INCOMES: readonly [number, number][] = [
  [1_000_000, 40],
  [1_500_000, 15],
  [2_000_000, 15],
  [2_500_000, 8],
  [3_000_000, 8],
  [3_500_000, 5],
  [5_000_000, 5],
  [7_500_000, 2],
  [10_000_000, 2],
];
const PROGRAM_SETS: readonly [Program[], number][] = [
  [['JKK', 'JKM'], 7],
  [['JKK', 'JKM', 'JHT'], 3],
];
const OCCUPATIONS: readonly [string, number][] = [
  ['OJOL', 15],
  ['KURIR', 8],
  ['KURIR_MAKANAN', 6],
  ['OJEK_PANGKALAN', 5],
  ['SOPIR_ANGKOT', 4],
  ['SOPIR_TRUK', 3],
  ['LOGISTIK', 4],
  ['PEDAGANG_PASAR', 10],
  ['PEDAGANG_KAKI_LIMA', 10],
  ['PETANI', 8],
  ['NELAYAN', 5],
  ['BURUH_HARIAN_LEPAS', 7],
  ['ASISTEN_RUMAH_TANGGA', 5],
  ['TUKANG_BANGUNAN', 5],
  ['PEDAGANG_ONLINE', 5],
];
const FUNDINGS: readonly [Funding, number][] = [
  ['self', 19],
  ['sponsor', 1],
];
/** Covered months per member: 1..MAX_COVER_MONTHS. */
const MAX_COVER_MONTHS = 6;

export interface CycleSeedOptions {
  members: number;
  /** The cycle month M, 'YYYY-MM'. */
  month: Month;
  rules: RuleBook;
  /** Another cover mix than CYCLE_MIX (e.g. every member covered through M-1: all active). */
  mix?: readonly { offset: number; weight: number }[];
  /** Every member self-funded (no sponsor-funded 5 %). */
  selfFundedOnly?: boolean;
}

export interface CycleSeedResult {
  rows: Record<string, number>;
  seconds: number;
  /** The seed's "now": the evening before the cycle month starts (WIB). */
  seededAt: Date;
}

/** Months as integers (year × 12 + month − 1), as the SQL below does its month arithmetic. */
export function monthIndex(m: Month): number {
  const [y, mo] = m.split('-').map(Number) as [number, number];
  return y * 12 + mo - 1;
}

function monthOfIndex(i: number): Month {
  return `${Math.floor(i / 12)}-${String((i % 12) + 1).padStart(2, '0')}`;
}

/** Weighted list → one entry per unit of weight (slots), so SQL can pick by `hash % slots`. */
function slots<T>(weighted: readonly (readonly [T, number])[]): T[] {
  return weighted.flatMap(([v, w]) => Array.from({ length: w }, () => v));
}

/** The last day of the month before M: the seed's "today". */
export function dayBefore(month: Month): LocalDate {
  return addDays(`${month}-01`, -1);
}

export async function seedCycleDatabase(url: string, o: CycleSeedOptions): Promise<CycleSeedResult> {
  if (!isMonth(o.month)) {
    throw new Error(`not a month: ${o.month}`);
  }
  const started = performance.now();
  const mIdx = monthIndex(o.month);
  const mix = o.mix ?? CYCLE_MIX;
  const today = dayBefore(o.month);
  const seededAt = new Date(`${today}T20:00:00+07:00`);

  // Dimensions, checked against the reference data and the rule book.
  const ladder = inForce(o.rules.incomeLadders, o.month)?.rungs ?? [];
  for (const [income] of INCOMES) {
    if (!ladder.includes(income)) {
      throw new Error(`cycle seed: ${income} is not on the income ladder`);
    }
  }
  const occupations = OCCUPATIONS.map(([code, weight]) => {
    const occ = findOccupation(code);
    if (!occ) {
      throw new Error(`cycle seed: unknown occupation ${code}`);
    }
    return [{ code, sector: occ.sector }, weight] as const;
  });
  const dims = {
    income: slots(INCOMES.map(([v, w]) => [INCOMES.findIndex(([x]) => x === v), w] as const)),
    programs: slots(PROGRAM_SETS.map(([v, w]) => [PROGRAM_SETS.findIndex(([x]) => x === v), w] as const)),
    occupation: slots(occupations.map(([v, w], idx) => [idx, w] as const)),
    funding: o.selfFundedOnly ? [0] : slots(FUNDINGS.map(([v, w]) => [FUNDINGS.findIndex(([x]) => x === v), w] as const)),
    cover: slots(mix.map(({ offset, weight }) => [offset, weight] as const)),
  };
  const sectors: Sector[] = ['transport', 'other'];
  // combo = ((income × programs) × sector) × funding, as one integer.
  const comboOf = (inc: number, prog: number, sec: number, fund: number) => ((inc * PROGRAM_SETS.length + prog) * sectors.length + sec) * FUNDINGS.length + fund;
  const oldestCt = mIdx + Math.min(...mix.map((c) => c.offset));
  const newestCt = mIdx + Math.max(...mix.map((c) => c.offset));
  const prices: { combo: number; mi: number; program: string; amount: number; discount: number; net: number }[] = [];
  for (let inc = 0; inc < INCOMES.length; inc++) {
    for (let prog = 0; prog < PROGRAM_SETS.length; prog++) {
      for (let sec = 0; sec < sectors.length; sec++) {
        for (let fund = 0; fund < FUNDINGS.length; fund++) {
          for (let mi = oldestCt - MAX_COVER_MONTHS + 1; mi <= newestCt; mi++) {
            const q = priceContribution(
              {
                declaredIncome: INCOMES[inc]![0],
                programs: PROGRAM_SETS[prog]![0],
                months: 1,
                startMonth: monthOfIndex(mi),
                sector: sectors[sec]!,
                funding: FUNDINGS[fund]![0],
              },
              o.rules,
            );
            if (!q.ok) {
              throw new Error(`cycle seed: combination does not price (${q.code})`);
            }
            for (const l of q.value.months[0]?.lines ?? []) {
              prices.push({ combo: comboOf(inc, prog, sec, fund), mi, program: l.program, amount: l.amount, discount: l.discount, net: l.net });
            }
          }
        }
      }
    }
  }
  // The status changes already recorded by the start of M, per covered-through month (what the status job records).
  const history: { ct: number; from: string; to: string; date: string; reason: string }[] = [];
  for (const { offset } of mix) {
    const ct = monthOfIndex(mIdx + offset);
    const { arrearsFrom, inactiveFrom } = lapseDates(ct, o.rules);
    const state = coverState(ct, today, o.rules);
    if (arrearsFrom <= today) {
      history.push({ ct: mIdx + offset, from: 'active', to: 'arrears', date: arrearsFrom, reason: STATUS_REASONS.unpaid(addMonths(ct, 1)) });
    }
    if (inactiveFrom <= today) {
      history.push({ ct: mIdx + offset, from: 'arrears', to: 'inactive', date: inactiveFrom, reason: STATUS_REASONS.tooManyUnpaid(o.rules) });
    }
    const recorded = history.filter((h) => h.ct === mIdx + offset).at(-1)?.to ?? 'active';
    if (recorded !== state.status) {
      throw new Error(`cycle seed: history for ${ct} ends ${recorded}, status on ${today} is ${state.status}`);
    }
  }

  const { client, rows, run } = await seedClient(url);
  try {
    const empty = await client.query<{ n: string }>('select count(*) as n from participant');
    if (Number(empty.rows[0]?.n) > 0) {
      throw new Error('cycle seed: the database already has participants; it needs an empty, migrated database');
    }
    // Session settings for the bulk load only (temp tables larger than the default 8 MB buffer, big sorts).
    await run(null, "set temp_buffers = '256MB'");
    await run(null, "set work_mem = '128MB'");
    await run(null, `create function pg_temp.mtext(x int) returns text language sql immutable as $$ select to_char(make_date(x / 12, x % 12 + 1, 1), 'YYYY-MM') $$`);
    // Local time in Jakarta → instant (WIB is UTC+7 all year).
    await run(null, `create function pg_temp.wib(d date, secs int) returns timestamptz language sql immutable as $$ select (d::timestamp + make_interval(secs => secs)) at time zone 'Asia/Jakarta' $$`);
    const dim = async (name: string, values: readonly unknown[], type: string) =>
      run(null, `create temp table ${name} as select (ord - 1)::int as slot, v::${type} as v from jsonb_array_elements_text($1::jsonb) with ordinality as t(v, ord)`, [JSON.stringify(values)]);
    await dim('d_income', dims.income, 'int');
    await dim('d_programs', dims.programs, 'int');
    await dim('d_occupation', dims.occupation, 'int');
    await dim('d_funding', dims.funding, 'int');
    await dim('d_cover', dims.cover, 'int');
    await run(null, `create temp table d_income_value as select (ord - 1)::int as idx, v::bigint as income from jsonb_array_elements_text($1::jsonb) with ordinality as t(v, ord)`, [JSON.stringify(INCOMES.map(([v]) => v))]);
    await run(null, `create temp table d_programs_value as select (ord - 1)::int as idx, (select array_agg(x order by n) from jsonb_array_elements_text(v) with ordinality as e(x, n)) as programs from jsonb_array_elements($1::jsonb) with ordinality as t(v, ord)`, [JSON.stringify(PROGRAM_SETS.map(([v]) => v))]);
    await run(null, `create temp table d_occupation_value as select (ord - 1)::int as idx, v->>'code' as code, v->>'sector' as sector from jsonb_array_elements($1::jsonb) with ordinality as t(v, ord)`, [JSON.stringify(occupations.map(([v]) => v))]);
    await run(null, `create temp table d_price as select * from jsonb_to_recordset($1::jsonb) as x(combo int, mi int, program text, amount bigint, discount bigint, net bigint)`, [JSON.stringify(prices)]);
    await run(null, 'create index on d_price (combo, mi)');
    await run(null, `create temp table d_history as select * from jsonb_to_recordset($1::jsonb) as x(ct int, "from" text, "to" text, date date, reason text)`, [JSON.stringify(history)]);
    await run(null, 'analyze d_price; analyze d_history');

    // One row per member with everything derived from its number i; slots are picked by hashint4 (independent
    // pseudo-random choices), months are integers (mi).
    await run(
      null,
      `create temp table bm as
       with g as (
         select i,
                (hashint4(i * 8 + 1) & 2147483647) % ${dims.income.length} as s_inc,
                (hashint4(i * 8 + 2) & 2147483647) % ${dims.programs.length} as s_prog,
                (hashint4(i * 8 + 3) & 2147483647) % ${dims.occupation.length} as s_occ,
                (hashint4(i * 8 + 4) & 2147483647) % ${dims.funding.length} as s_fund,
                (hashint4(i * 8 + 5) & 2147483647) % ${dims.cover.length} as s_cover,
                1 + (hashint4(i * 8 + 6) & 2147483647) % ${MAX_COVER_MONTHS} as k,
                date '1970-01-01' + (i % 12000) as birth_date,
                case when i % 2 = 0 then 'M' else 'F' end as gender
           from generate_series(1, $1::int) as i
       ),
       c as (
         select g.*, inc.v as inc_idx, prog.v as prog_idx, occ.v as occ_idx, fund.v as fund_idx, $2::int + cov.v as ct
           from g
           join d_income inc on inc.slot = g.s_inc
           join d_programs prog on prog.slot = g.s_prog
           join d_occupation occ on occ.slot = g.s_occ
           join d_funding fund on fund.slot = g.s_fund
           join d_cover cov on cov.slot = g.s_cover
       )
       select c.i, c.ct,
              least(c.ct - c.k + 1, $2::int - 1) as j,
              'ptc_' || lpad(to_hex(c.i), 9, '0') || substr(md5('p' || c.i), 1, 16) as pid,
              'reg_' || lpad(to_hex(c.i), 9, '0') || substr(md5('r' || c.i), 1, 16) as reg_id,
              (1000000000 + c.i)::text || lindung_luhn_check_digit((1000000000 + c.i)::text) as kpj,
              '327501' || lpad((extract(day from c.birth_date)::int + case c.gender when 'F' then 40 else 0 end)::text, 2, '0')
                || to_char(c.birth_date, 'MM') || to_char(c.birth_date, 'YY') || lpad((1 + c.i / 12000)::text, 4, '0') as nik,
              (array['Budi','Siti','Agus','Dewi','Rudi','Sri','Andi','Wati','Joko','Rina','Eko','Nur'])[1 + c.i % 12] || ' ' ||
                (array['Santoso','Rahmawati','Wijaya','Lestari','Hidayat','Susanti','Saputra','Kurniawan'])[1 + (c.i / 12) % 8] as full_name,
              c.birth_date, c.gender,
              '+62812' || lpad(c.i::text, 8, '0') as phone,
              'peserta.' || c.i || '@contoh.id' as email,
              'Jl. Merdeka No. ' || (1 + c.i % 200) || ', Bekasi' as address,
              ov.code as occupation_code, ov.sector,
              (array['JKT-SALEMBA','JKT-CILANDAK','BDG-SUCI','BEKASI','BOGOR'])[1 + c.i % 5] as branch_code,
              pv.programs, iv.income as declared_income,
              (array['self','sponsor'])[1 + c.fund_idx] as funding,
              ((c.inc_idx * ${PROGRAM_SETS.length} + c.prog_idx) * 2 + case ov.sector when 'transport' then 0 else 1 end) * ${FUNDINGS.length} + c.fund_idx as combo
         from c
         join d_income_value iv on iv.idx = c.inc_idx
         join d_programs_value pv on pv.idx = c.prog_idx
         join d_occupation_value ov on ov.idx = c.occ_idx`,
      [o.members, mIdx],
    );
    // Joined on a day of month j between 09:00 and 17:00 WIB (never after the seed's "now").
    await run(null, `alter table bm add column joined_at timestamptz`);
    await run(null, `update bm set joined_at = pg_temp.wib(make_date(j / 12, j % 12 + 1, 1) + (i % 27), (32400 + (i::bigint * 7919) % 28800)::int)`);
    // Bills: the first bill for month j, then one renewal bill for j+1 … ct (if any), paid 10 minutes after issue.
    await run(
      null,
      `create temp table bb as
       select b.i, b.pid, b.reg_id, b.kpj, b.combo, x.seq, x.kind, x.first_mi, x.last_mi, x.created_at,
              x.created_at + interval '10 minutes' as paid_at,
              'bil_' || lpad(to_hex(x.seq), 9, '0') || substr(md5('b' || x.seq), 1, 16) as bill_id,
              'pay_' || lpad(to_hex(x.seq), 9, '0') || substr(md5('y' || x.seq), 1, 16) as pay_id,
              '8' || lpad((31415926535 + x.seq)::text, 14, '0') || lindung_luhn_check_digit('8' || lpad((31415926535 + x.seq)::text, 14, '0')) as code,
              (array['va','qris','ewallet','retail'])[1 + x.seq % 4] as channel
         from bm b
         cross join lateral (values
           (2 * b.i, 'first', b.j, b.j, b.joined_at),
           (2 * b.i + 1, 'renewal', b.j + 1, b.ct,
            least(greatest(b.joined_at + interval '1 day', pg_temp.wib(make_date((b.j + 1) / 12, (b.j + 1) % 12 + 1, 1), 36000 + b.i % 3600)),
                  $1::timestamptz - interval '1 hour'))
         ) as x(seq, kind, first_mi, last_mi, created_at)
        where x.first_mi <= x.last_mi`,
      [seededAt],
    );
    await run(null, 'create index on bb (bill_id)');

    await run('population_resident', `insert into population_resident (nik_hash, full_name, birth_date, gender, created_at)
      select ${nikHashSql('nik')}, full_name, birth_date, gender, joined_at - interval '11 minutes' from bm order by i`);
    await run('registration', `insert into registration (id, nik_hash, nik_sealed, full_name, birth_date, gender, phone, email, address, occupation_code, sector,
        branch_code, channel, status, email_token_hash, email_verified_at, phone_verified_at, programs, declared_income, funding, participant_id,
        created_at, updated_at)
      select reg_id, ${nikHashSql('nik')}, ${BENCH_NIK_SEALED_SQL}, full_name, birth_date, gender, phone, email, address, occupation_code, sector, branch_code, 'web', 'completed',
             encode(sha256(convert_to('token' || i, 'UTF8')), 'hex'), joined_at - interval '9 minutes', joined_at - interval '8 minutes 30 seconds',
             programs, declared_income, funding, pid, joined_at - interval '10 minutes', joined_at + interval '10 minutes'
        from bm order by i`);
    await run('participant', `insert into participant (id, kpj, nik_hash, nik_sealed, full_name, birth_date, gender, phone, email, address, occupation_code, sector,
        branch_code, programs, declared_income, funding, registration_id, created_at, updated_at)
      select pid, kpj, ${nikHashSql('nik')}, ${BENCH_NIK_SEALED_SQL}, full_name, birth_date, gender, phone, email, address, occupation_code, sector, branch_code, programs, declared_income,
             funding, reg_id, joined_at + interval '10 minutes', joined_at + interval '10 minutes'
        from bm order by i`);
    // Bills and their lines in two statements: the bill-amount triggers are off meanwhile, the rule checked after.
    await loadWithBillAmountsCheckedAfter(
      (text) => client.query(text),
      async () => {
        await run('bill', `insert into bill (id, payment_code, kind, registration_id, participant_id, amount, status, first_month, month_count, expires_at,
            created_at, paid_at, payment_id)
          select bb.bill_id, bb.code, bb.kind, case bb.kind when 'first' then bb.reg_id end, bb.pid,
                 (select sum(p.net) from d_price p where p.combo = bb.combo and p.mi between bb.first_mi and bb.last_mi),
                 'paid', pg_temp.mtext(bb.first_mi), bb.last_mi - bb.first_mi + 1, bb.created_at + interval '24 hours', bb.created_at, bb.paid_at, bb.pay_id
            from bb order by bb.seq`);
        await run('bill_line', `insert into bill_line (bill_id, month, program, amount, discount, net)
          select bb.bill_id, pg_temp.mtext(p.mi), p.program, p.amount, p.discount, p.net
            from bb join d_price p on p.combo = bb.combo and p.mi between bb.first_mi and bb.last_mi
           order by bb.seq, p.mi, p.program`);
      },
    );
    await run('payment', `insert into payment (id, external_id, fingerprint, payment_code, amount, channel, paid_at, received_at, outcome,
        unmatched_reason, bill_id)
      select bb.pay_id, bb.channel || '-seed-' || bb.seq, b.payment_code || '|' || b.amount || '|' || bb.channel || '|' || (extract(epoch from bb.paid_at) * 1000)::bigint,
             b.payment_code, b.amount, bb.channel, bb.paid_at, bb.paid_at + interval '2 seconds', 'applied', null, b.id
        from bb join bill b on b.id = bb.bill_id order by bb.seq`);
    await run('coverage_month', `insert into coverage_month (participant_id, month, bill_id, settled_at)
      select bb.pid, pg_temp.mtext(mi), bb.bill_id, bb.paid_at from bb cross join generate_series(bb.first_mi, bb.last_mi) as mi order by bb.seq, mi`);
    await run('ledger_transfer', `insert into ledger_transfer (id, debit_account, credit_account, amount, code, ref, created_at)
      select bb.pay_id || ':' || p.program, 'clearing:' || bb.channel,
             case p.program when 'JHT' then 'jht:' || bb.kpj else 'program:' || p.program end,
             sum(p.net), 'contribution_' || lower(p.program), bb.pay_id, bb.paid_at
        from bb join d_price p on p.combo = bb.combo and p.mi between bb.first_mi and bb.last_mi
       group by bb.seq, bb.pay_id, bb.channel, bb.kpj, bb.paid_at, p.program
      having sum(p.net) > 0
       order by bb.seq, p.program`);
    await run('membership_status_change', `insert into membership_status_change (participant_id, from_status, to_status, effective_date, reason, recorded_at)
      select bm.pid, h."from", h."to", h.date, h.reason, pg_temp.wib(h.date, 25200 + 60)
        from bm join d_history h on h.ct = bm.ct order by bm.pid, h.date`);
    await run(null, `select setval('kpj_seq', $1::bigint)`, [1_000_000_000 + o.members + 1]);
  } finally {
    await client.end();
  }
  rows['dashboard rollup'] = await rollupAsSeeded(url, seededAt);
  return { rows, seconds: (performance.now() - started) / 1000, seededAt };
}

/** The dashboards' rollup as the previous day's status job leaves it (a full refresh: a deployment pays that once). */
async function rollupAsSeeded(url: string, seededAt: Date): Promise<number> {
  const handle = await openPostgres(url, 1);
  try {
    return (await refreshDashboardRollup(handle.db, seededAt)).rows;
  } finally {
    await handle.close();
  }
}

/** A connection for a bulk load, and `run`, which adds the rows each statement wrote to `rows[table]`. */
export async function seedClient(url: string) {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  const rows: Record<string, number> = {};
  const run = async (table: string | null, text: string, params: unknown[] = []) => {
    const r = await client.query(text, params);
    if (table) {
      rows[table] = (rows[table] ?? 0) + (r.rowCount ?? 0);
    }
  };
  return { client, rows, run };
}

/** VACUUM ANALYZE and a checkpoint: statistics as autovacuum would leave them, and no checkpoint during a day. */
export async function settleDatabase(url: string): Promise<void> {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    await client.query('vacuum analyze');
    await client.query('checkpoint');
  } finally {
    await client.end();
  }
}
