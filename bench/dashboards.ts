import pg from 'pg';
import { migrateToLatest, openPostgres } from '../src/db/connect.js';
import { claimsByAge, collections, membershipStatus, newMembers, payoutsByStatus } from '../src/modules/dashboards/index.js';
import { BENCH_NIK_SEALED_SQL, nikHashSql } from './nik-sql.js';

/**
 * The dashboards' queries at 1,000,000 members (issue 16 acceptance: each ≤ 1 s on PostgreSQL). Standalone:
 * `DATABASE_URL=postgres://… npx tsx bench/dashboards.ts` (BENCH_DASH_MEMBERS, default 1000000) creates a database
 * `lindung_dash_bench`, migrates it, seeds it set-based (generate_series; FK triggers off while seeding) and times each
 * figure (best and worst of 3, warm). Seed per member: a registration (channel web/counter/mobile), joined over the
 * last 2 years; 30 % a status change to arrears and 10 % a later one to inactive or back to active; 2 paid dues
 * bills and 2 contribution transfers in the last 12 months. Claims 2 % (submitted or returned: the query's cost does not depend on the state), payouts 1 %.
 */
const N = Number(process.env['BENCH_DASH_MEMBERS'] ?? 1_000_000);
const NOW = new Date('2026-11-22T03:00:00Z');
const DB = 'lindung_dash_bench';

const SEED = [
  `insert into registration (id, nik_hash, nik_sealed, full_name, birth_date, gender, phone, email, email_token_hash, address, occupation_code, sector, branch_code, channel, status, created_at, updated_at)
   select 'reg_' || i, ${nikHashSql("'3275' || lpad(i::text, 12, '0')")}, ${BENCH_NIK_SEALED_SQL}, 'Peserta ' || i, date '1980-01-01', 'M', '+62812' || lpad(i::text, 8, '0'), 'p' || i || '@contoh.id', 'x', 'Jl', 'PETANI', 'other',
          (array['JKT-SALEMBA','BDG-SUCI','JKT-CILANDAK','JKT-CENGKARENG'])[1 + i % 4], (array['web','counter','mobile'])[1 + i % 3], 'completed', now(), now()
   from generate_series(1, $1) i`,
  `insert into participant (id, kpj, nik_hash, nik_sealed, full_name, birth_date, gender, phone, email, address, occupation_code, sector, branch_code, programs, declared_income, funding, registration_id, created_at, updated_at)
   select 'ptc_' || i, (10000000000 + i)::text, ${nikHashSql("'3275' || lpad(i::text, 12, '0')")}, ${BENCH_NIK_SEALED_SQL}, 'Peserta ' || i, date '1980-01-01', 'M', '+62812' || lpad(i::text, 8, '0'), 'p' || i || '@contoh.id', 'Jl', 'PETANI', 'other',
          (array['JKT-SALEMBA','BDG-SUCI','JKT-CILANDAK','JKT-CENGKARENG'])[1 + i % 4], array['JKK','JKM'], 1000000, 'self', 'reg_' || i,
          timestamptz '2026-11-22 03:00Z' - make_interval(secs => (hashint4(i) & 2147483647) % (730 * 86400)), now()
   from generate_series(1, $1) i`,
  `insert into membership_status_change (participant_id, from_status, to_status, effective_date, reason, recorded_at)
   select 'ptc_' || i, 'active', 'arrears', date '2025-12-01' + (hashint4(i + 7) & 2147483647) % 300, 'unpaid', now() from generate_series(1, $1) i where i % 10 < 3`,
  `insert into membership_status_change (participant_id, from_status, to_status, effective_date, reason, recorded_at)
   select 'ptc_' || i, 'arrears', case when i % 2 = 0 then 'inactive' else 'active' end, date '2026-10-01' + (hashint4(i + 9) & 2147483647) % 50, 'later', now() from generate_series(1, $1) i where i % 10 = 0`,
  `insert into bill (id, kind, participant_id, amount, status, first_month, month_count, payment_code, expires_at, paid_at, created_at)
   select 'bill_' || i || '_' || k, 'dues', 'ptc_' || i, 16800, 'paid', '2026-01', 1, 'pc' || i || '_' || k, now(), now(),
          timestamptz '2026-11-22 03:00Z' - make_interval(secs => (hashint4(i * 3 + k) & 2147483647) % (360 * 86400))
   from generate_series(1, $1) i, generate_series(1, 2) k`,
  `insert into ledger_transfer (id, debit_account, credit_account, amount, code, ref, created_at)
   select 'lt_' || i || '_' || k, 'clearing:va', 'program:JKK', 16800, 'contribution_jkk', 'bill_' || i || '_' || k,
          timestamptz '2026-11-22 03:00Z' - make_interval(secs => (hashint4(i * 3 + k) & 2147483647) % (360 * 86400))
   from generate_series(1, $1) i, generate_series(1, 2) k`,
  `insert into claim (id, participant_id, kpj, type, status, bank_account, channel, filed_by, submitted_at, updated_at, total)
   select 'clm_' || i, 'ptc_' || i, (10000000000 + i)::text, 'JKM', (array['submitted','returned'])[1 + i % 2], '{}'::jsonb, 'self_service', 'x',
          timestamptz '2026-11-22 03:00Z' - make_interval(secs => (hashint4(i + 5) & 2147483647) % (120 * 86400)), now(), 42000000
   from generate_series(1, $1) i where i % 50 = 0`,
  `insert into payout (id, claim_id, participant_id, amount, bank_account, status, created_at, updated_at)
   select 'pay_' || i, 'clm_' || i, 'ptc_' || i, 42000000, '{}'::jsonb, (array['pending','paid','failed'])[1 + i % 3], now(), now()
   from generate_series(1, $1) i where i % 100 = 0`,
];

async function seed(url: string) {
  const c = new pg.Client({ connectionString: url });
  await c.connect();
  await c.query("set session_replication_role = replica; set work_mem = '256MB'");
  for (const text of SEED) {
    const t0 = performance.now();
    const r = await c.query(text, [N]);
    console.log(`seed ${text.slice(0, 40).replace(/\s+/g, ' ')}… ${r.rowCount} rows ${((performance.now() - t0) / 1000).toFixed(1)} s`);
  }
  await c.query('vacuum analyze');
  await c.end();
}

async function main() {
  const base = process.env['DATABASE_URL'];
  if (!base) {
    throw new Error('DATABASE_URL is required');
  }
  const url = new URL(base);
  url.pathname = `/${DB}`;
  // BENCH_DASH_REUSE=1: time the queries on the database a previous run seeded (same size).
  const reuse = process.env['BENCH_DASH_REUSE'] === '1';
  if (!reuse) {
    const admin = new pg.Client({ connectionString: base });
    await admin.connect();
    await admin.query(`drop database if exists ${DB} with (force)`);
    await admin.query(`create database ${DB}`);
    await admin.end();
  }
  const handle = await openPostgres(url.toString(), 2);
  if (!reuse) {
    await migrateToLatest(handle.db);
    await seed(url.toString());
  }
  const db = handle.db;
  const figures: [string, () => Promise<unknown>][] = [
    ['new-members 30 days', () => newMembers(db, NOW, 30)],
    ['new-members 90 days', () => newMembers(db, NOW, 90)],
    ['membership-status 12 month ends', () => membershipStatus(db, NOW)],
    ['collections 12 months', () => collections(db, NOW)],
    ['claims by state and age', () => claimsByAge(db, NOW)],
    ['payouts by status', () => payoutsByStatus(db)],
  ];
  console.log(`\n| figure (${N.toLocaleString('en')} members) | best ms | worst ms | ≤ 1 s |\n|---|---:|---:|---|`);
  for (const [name, run] of figures) {
    const times: number[] = [];
    for (let i = 0; i < 3; i++) {
      const t0 = performance.now();
      await run();
      times.push(performance.now() - t0);
    }
    console.log(`| ${name} | ${Math.min(...times).toFixed(0)} | ${Math.max(...times).toFixed(0)} | ${Math.max(...times) <= 1000 ? 'yes' : 'NO'} |`);
  }
  await handle.close();
}

await main();
