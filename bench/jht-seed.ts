import { seedClient } from './cycle-seed.js';
import { BENCH_NIK_SEALED_SQL, nikHashSql } from './nik-sql.js';

/**
 * The JHT crediting benchmark's population, written set-based in PostgreSQL (generate_series; no row goes through
 * Node): `accounts` participants with JHT and, per account, a realistic year Y of its ledger account `jht:<kpj>`:
 *
 * - an opening balance: one contribution in Y−1 (1–24 months of contributions at once) and that year's return
 *   (`jht_return`, ref jht-return:<Y−1>, posted on 2 January of Y, dated 31 December of Y−1 by the rule);
 * - 12 contributions in Y (`contribution_jht`, one a month, on days 1–19, posted 00:30–23:30 WIB: some on the
 *   previous UTC day), 2% of an income from Rp1.000.000 to Rp10.000.000;
 * - 3 % of accounts a partial withdrawal (10 %, `claim_benefit` to payout_clearing) between March and November;
 * - 1 % a full withdrawal on 20–28 December: the interim return (`jht_interim_return`, ref jht-interim:<Y>) and the
 *   whole balance withdrawn at the same instant, as the claims module posts them.
 *
 * Only what the crediting reads (participant, ledger_transfer) is seeded: no bills or payments behind the
 * contributions. About 14 ledger rows per account.
 */
export interface JhtSeedResult {
  rows: Record<string, number>;
  seconds: number;
}

/** Local time in Jakarta (WIB, UTC+7) → instant. */
const WIB_FN = `create function pg_temp.wib(d date, secs int) returns timestamptz language sql immutable as $$ select (d::timestamp + make_interval(secs => secs)) at time zone 'Asia/Jakarta' $$`;
/** A non-negative pseudo-random int per (i, salt). */
const h = (i: string, salt: number) => `(hashint4(${i} * 16 + ${salt}) & 2147483647)`;

export async function seedJhtDatabase(url: string, o: { accounts: number; year: number; log: (m: string) => void }): Promise<JhtSeedResult> {
  const started = performance.now();
  const y = o.year;
  const { client, rows, run } = await seedClient(url);
  try {
    await run(null, "set work_mem = '256MB'");
    await run(null, "set temp_buffers = '256MB'");
    await run(null, WIB_FN);
    await run(
      null,
      `create temp table ja as
       select i, kpj, 'jht:' || kpj as acct, c, om, w, c * om as opening, c * om * 3 / 100 + 1 as ret
         from (select i, (1000000000 + i)::text || lindung_luhn_check_digit((1000000000 + i)::text) as kpj,
                      20000 * (1 + ${h('i', 1)} % 10) as c, 1 + ${h('i', 2)} % 24 as om, ${h('i', 3)} % 100 as w
                 from generate_series(1, $1::int) as i) x`,
      [o.accounts],
    );
    await run(null, 'create index on ja (i)');
    await run('participant', `insert into participant (id, kpj, nik_hash, nik_sealed, full_name, birth_date, gender, phone, email, address, occupation_code, sector,
        branch_code, programs, declared_income, funding, registration_id, created_at, updated_at)
      select 'ptc_' || lpad(to_hex(i), 9, '0') || substr(md5('p' || i), 1, 16), kpj, ${nikHashSql("'3275' || lpad(i::text, 12, '0')")}, ${BENCH_NIK_SEALED_SQL}, 'Peserta ' || i,
             date '1970-01-01' + (i % 12000), case when i % 2 = 0 then 'M' else 'F' end, '+62812' || lpad(i::text, 8, '0'),
             'peserta.' || i || '@contoh.id', 'Jl. Merdeka No. ' || (1 + i % 200), 'PETANI', 'other', 'BEKASI', array['JKK','JKM','JHT'],
             c * 50, 'self', 'reg_' || lpad(to_hex(i), 9, '0'), pg_temp.wib(date '${y - 2}-06-01', 36000), pg_temp.wib(date '${y - 2}-06-01', 36000)
        from ja order by i`);
    const chunk = 250_000;
    for (let a = 1; a <= o.accounts; a += chunk) {
      const b = Math.min(o.accounts, a + chunk - 1);
      await run('ledger_transfer', ledgerInsert(y), [a, b]);
      o.log(`jht: seeded the ledger of accounts ${a.toLocaleString('en-US')}–${b.toLocaleString('en-US')} (${((performance.now() - started) / 1000).toFixed(0)} s)`);
    }
    await run(null, `select setval('kpj_seq', $1::bigint)`, [1_000_000_000 + o.accounts + 1]);
  } finally {
    await client.end();
  }
  return { rows, seconds: (performance.now() - started) / 1000 };
}

/** Every ledger row of the accounts $1..$2 (see the file's comment), in account order. */
function ledgerInsert(y: number): string {
  const contributions = Array.from(
    { length: 12 },
    (_, k) => `('bjht:' || i || ':${k + 1}', 'clearing:va', acct, c, 'contribution_jht', 'bench-pay-' || i || '-${k + 1}',
       pg_temp.wib(make_date(${y}, ${k + 1}, 1 + ${h('i', 4 + k)} % 19), 1800 + ${h('i', 4 + k)} % 82800))`,
  );
  return `insert into ledger_transfer (id, debit_account, credit_account, amount, code, ref, created_at)
    select x.* from ja cross join lateral (values
      ('bjht:' || i || ':o', 'clearing:va', acct, opening, 'contribution_jht', 'bench-pay-' || i || '-o',
       pg_temp.wib(date '${y - 1}-01-01' + ${h('i', 16)} % 365, 36000)),
      ('jht-return:${y - 1}:' || kpj, 'jht_investment', acct, ret, 'jht_return', 'jht-return:${y - 1}', pg_temp.wib(date '${y}-01-02', 25500)),
      ${contributions.join(',\n      ')}
    ) as x(id, debit_account, credit_account, amount, code, ref, created_at)
     where i between $1 and $2
    union all
    select 'claim:bjht-p-' || i, acct, 'payout_clearing', (opening + ret) / 10, 'claim_benefit', 'bjht-p-' || i,
           pg_temp.wib(make_date(${y}, 3 + ${h('i', 17)} % 9, 1 + ${h('i', 18)} % 28), 39600)
      from ja where i between $1 and $2 and w < 3
    union all
    select x.* from ja cross join lateral (values
      ('jht-interim:bjht-f-' || i, 'jht_investment', acct, opening / 20 + 1, 'jht_interim_return', 'jht-interim:${y}',
       pg_temp.wib(make_date(${y}, 12, 20 + ${h('i', 19)} % 9), 39600)),
      ('claim:bjht-f-' || i, acct, 'payout_clearing', opening + ret + 12 * c + opening / 20 + 1, 'claim_benefit', 'bjht-f-' || i,
       pg_temp.wib(make_date(${y}, 12, 20 + ${h('i', 19)} % 9), 39600))
    ) as x(id, debit_account, credit_account, amount, code, ref, created_at)
     where i between $1 and $2 and w = 3`;
}
