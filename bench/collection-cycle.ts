/**
 * The collection jobs of the monthly cycle at scale, on a throwaway PostgreSQL 15 cluster (bench/pg-cluster.ts):
 * BENCH_MEMBERS participants (default 1 000 000) seeded set-based — 70% paid through November 2026, 20% through
 * October (arrears on 1 December), 10% through July (inactive) — then the real runner on 1 Dec 2026 08:00 WIB, which
 * runs that day's cycle: the status job and `dues:2026-12` (the dues opening). Then BENCH_MANDATES active auto-debit
 * mandates (default 10 000) are charged on the due date through the development provider and the real settlement.
 *
 *   npx tsx bench/collection-cycle.ts            (BENCH_MEMBERS=200000 BENCH_MANDATES=2000 for a quicker look)
 *
 * BENCH_VERBOSE=1 prints every batch's time; BENCH_AUTOEXPLAIN=1 logs the plans (with trigger times) of statements
 * over 300 ms from the server's auto_explain.
 *
 * Prints each job's time and progress. Not part of npm test; numbers are for docs/architecture.md.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { sql } from 'kysely';
import { compose } from '../src/compose.js';
import { loadConfig } from '../src/config.js';
import { migrateToLatest, openPostgres } from '../src/db/connect.js';
import { findJob } from '../src/modules/jobs/job-queue.js';
import { runDueJobs } from '../src/modules/jobs/run-due-jobs.js';
import { AdjustableClock } from '../src/shared/clock.js';
import { createLogger } from '../src/shared/logger.js';
import { postgresAvailable, startCluster } from './pg-cluster.js';
import { BENCH_NIK_SEALED_SQL, nikHashSql } from './nik-sql.js';

const MEMBERS = Number(process.env['BENCH_MEMBERS'] ?? 1_000_000);
const MANDATES = Number(process.env['BENCH_MANDATES'] ?? 10_000);

async function main() {
  if (!postgresAvailable()) {
    throw new Error('PostgreSQL 15 binaries not found (BENCH_PGBIN)');
  }
  const cluster = await startCluster(
    process.env['BENCH_PG_SETTINGS'] ? process.env['BENCH_PG_SETTINGS'].split(' ') : process.env['BENCH_AUTOEXPLAIN'] ? ["shared_preload_libraries=auto_explain", 'auto_explain.log_min_duration=300', 'auto_explain.log_analyze=on', 'auto_explain.log_nested_statements=off', 'auto_explain.log_triggers=on', 'auto_explain.log_timing=on'] : [],
  );
  try {
    const url = cluster.url('lindung_bench');
    const handle = await openPostgres(url, 10);
    await migrateToLatest(handle.db);
    const t0 = Date.now();
    await sql`
      insert into participant (id, kpj, nik_hash, nik_sealed, full_name, birth_date, gender, phone, email, address, occupation_code, sector,
                               branch_code, programs, declared_income, funding, registration_id, created_at, updated_at)
      select 'ptc_' || lpad(g::text, 9, '0'), (10000000000 + g)::text, ${sql.raw(nikHashSql('(3275010101900000 + g)::text'))}, ${sql.raw(BENCH_NIK_SEALED_SQL)}, 'Budi Santoso',
             '1990-01-01', 'M', '+62812' || lpad(g::text, 8, '0'), 'p' || g || '@contoh.id', 'Jl. Merdeka', 'OJOL',
             case when g % 2 = 0 then 'transport' else 'other' end, 'JKT-SALEMBA',
             case when g % 3 = 0 then array['JKK', 'JKM', 'JHT'] else array['JKK', 'JKM'] end,
             case g % 4 when 0 then 1000000 when 1 then 2000000 when 2 then 3500000 else 5000000 end,
             'self', 'reg_' || g, now(), now()
        from generate_series(1, ${MEMBERS}::int) g
    `.execute(handle.db);
    await sql`
      insert into bill (id, payment_code, kind, registration_id, participant_id, amount, status, first_month, month_count,
                        expires_at, created_at, paid_at)
      select 'bil_seed_' || g, (8000000000000000 + g)::text, 'renewal', null, 'ptc_' || lpad(g::text, 9, '0'), 8400, 'paid',
             m.month, 1, now(), now(), now()
        from generate_series(1, ${MEMBERS}::int) g
       cross join lateral (select case when g % 10 < 7 then '2026-11' when g % 10 < 9 then '2026-10' else '2026-07' end as month) m
    `.execute(handle.db);
    await sql`
      insert into coverage_month (participant_id, month, bill_id, settled_at)
      select b.participant_id, b.first_month, b.id, b.paid_at from bill b where b.id like 'bil_seed_%'
    `.execute(handle.db);
    await sql`
      insert into autodebit_mandate (id, participant_id, provider_kind, provider_name, token, account_masked, status, created_at)
      select 'mdt_' || lpad(g::text, 9, '0'), 'ptc_' || lpad((g * 7)::text, 9, '0'), 'bank', 'BCA', 'devtok_ok_' || g, '****0000', 'active', now()
        from generate_series(1, ${MANDATES}::int) g
       where g * 7 <= ${MEMBERS}::int
    `.execute(handle.db);
    await sql`analyze`.execute(handle.db);
    console.log(`seeded ${MEMBERS} members, ${MANDATES} mandates in ${((Date.now() - t0) / 1000).toFixed(1)} s`);

    const clock = new AdjustableClock();
    const lines: string[] = [];
    const { deps } = compose(loadConfig({ NODE_ENV: 'test', LOG_LEVEL: 'info', DATABASE_URL: url }), handle, { clock, logger: createLogger('info', (l) => lines.push(l)) });

    for (const [day, ids] of [
      ['2026-12-01', ['status:2026-12-01', 'dues:2026-12']],
      ['2026-12-15', ['status:2026-12-15', 'reminders:2026-12:due', 'autodebit:2026-12:1']],
    ] as const) {
      clock.set(new Date(`${day}T08:00:00+07:00`));
      const started = Date.now();
      const { jobs } = await runDueJobs(deps, { concurrency: 2 });
      const ms = Date.now() - started;
      console.log(`${day}: ${jobs.map((j) => `${j.id}:${j.outcome}`).join(', ')} — ${(ms / 1000).toFixed(1)} s together (concurrency 2)`);
      for (const id of ids) {
        const job = await findJob(deps.db, id);
        const took = job?.started_at && job.finished_at ? ((job.finished_at.getTime() - job.started_at.getTime()) / 1000).toFixed(1) : '?';
        // The job's own clock is the adjustable one, which runs on in real time: the difference is the real duration.
        console.log(`  ${id}: ${took} s`, JSON.stringify(job?.progress));
      }
    }
    if (process.env['BENCH_VERBOSE']) {
      console.log(lines.filter((l) => l.includes('job batch')).map((l) => { const j = JSON.parse(l) as Record<string, unknown>; return `${String(j['jobId'])} done=${String(j['done'])} ms=${String(j['ms'])}`; }).join('\n'));
    }
    const bills = await sql<{ n: number; lines: number }>`
      select (select count(*) from bill where kind = 'dues')::int as n, (select count(*) from bill_line l join bill b on b.id = l.bill_id where b.kind = 'dues')::int as lines
    `.execute(handle.db);
    console.log(`dues bills: ${bills.rows[0]?.n}, lines: ${bills.rows[0]?.lines}`);
    await handle.close();
    if (process.env['BENCH_AUTOEXPLAIN']) {
      console.log(readFileSync(join(cluster.dir, 'server.log'), 'utf8').slice(0, 60_000));
    }
  } finally {
    cluster.stop();
  }
}

main().catch((err: unknown) => {
  console.error(err);
  process.exit(1);
});
