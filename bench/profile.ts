/**
 * Where a payment notification's time goes (`npx tsx bench/profile.ts`; not part of `npm run bench`). In-process, no
 * HTTP: applyPaymentNotification against a throwaway PostgreSQL 15 cluster (or BENCH_DATABASE_URL, an empty throwaway
 * database) and an embedded PGlite data directory, both seeded by bench/seed.ts. Prints, per notification:
 * the statements and their client-side round-trip times, the CPU used by Node and by PostgreSQL, and the throughput
 * with 1 and 8 concurrent callers for several pool sizes. Bounded: a fixed number of notifications per step.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { Session } from 'node:inspector/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { PGlite } from '@electric-sql/pglite';
import { createPgConfig } from '@electric-sql/pglite/node-postgres';
import { Kysely, PostgresDialect, sql, type LogEvent } from 'kysely';
import pg from 'pg';
import { compose } from '../src/compose.js';
import { loadConfig } from '../src/config.js';
import { decodeInt8, migrateToLatest, openPglite, openPostgres, type DatabaseHandle } from '../src/db/connect.js';
import type { Database } from '../src/db/database.js';
import { defaultRuleBook } from '../src/modules/contributions/domain/rule-book.js';
import { applyPaymentNotification } from '../src/modules/payments/apply-payment.js';
import { createLogger } from '../src/shared/logger.js';
import { startCluster } from './pg-cluster.js';
import { startCpuProbe } from './proc.js';
import { analyze, seedDatabase, type SeededBill } from './seed.js';

const SERIAL = 300;
const CONCURRENT = 800;
// Bills: warm-up 100 + serial 300 + profiled 480 + per pool size 880.
const config = loadConfig({ NODE_ENV: 'development', LOG_LEVEL: 'silent' });

const types = {
  getTypeParser(oid: number, format?: string) {
    if (oid === 20) {
      return decodeInt8;
    }
    if (oid === 1082) {
      return (v: string) => v;
    }
    return pg.types.getTypeParser(oid, format as 'text');
  },
};

interface ProfileNode {
  id: number;
  callFrame: { functionName: string; url: string };
}

/** Where this process's CPU went while `work` ran: self time by package (node_modules/<pkg>) or src/ module. */
async function nodeCpuBreakdown(work: () => Promise<unknown>): Promise<string[]> {
  const session = new Session();
  session.connect();
  await session.post('Profiler.enable');
  await session.post('Profiler.setSamplingInterval', { interval: 200 });
  await session.post('Profiler.start');
  await work();
  const { profile } = (await session.post('Profiler.stop')) as { profile: { nodes: ProfileNode[]; samples: number[]; timeDeltas: number[] } };
  session.disconnect();
  const byId = new Map(profile.nodes.map((n) => [n.id, n]));
  const buckets = new Map<string, number>();
  profile.samples.forEach((id, i) => {
    const n = byId.get(id);
    const url = n?.callFrame.url ?? '';
    const name = n?.callFrame.functionName ?? '';
    let bucket: string;
    if (url.includes('/node_modules/')) {
      const rest = url.slice(url.lastIndexOf('/node_modules/') + 14).split('/');
      bucket = rest[0]?.startsWith('@') ? `${rest[0]}/${rest[1]}` : (rest[0] ?? url);
    } else if (url.includes('/src/')) {
      bucket = `src/${url.slice(url.lastIndexOf('/src/') + 5)}`;
    } else if (url.startsWith('node:')) {
      bucket = url.startsWith('node:internal/crypto') || url === 'node:crypto' ? 'node:crypto' : url.startsWith('node:internal/streams') || url.startsWith('node:net') ? 'node:net/streams' : 'node:other';
    } else if (name.startsWith('(')) {
      bucket = name;
    } else {
      bucket = url || `(native) ${name || 'anonymous'}`;
    }
    buckets.set(bucket, (buckets.get(bucket) ?? 0) + (profile.timeDeltas[i] ?? 0));
  });
  const total = [...buckets.values()].reduce((a, b) => a + b, 0);
  return [...buckets]
    .filter(([k]) => k !== '(idle)')
    .sort((a, b) => b[1] - a[1])
    .slice(0, 16)
    .map(([k, v]) => `${((100 * v) / total).toFixed(1).padStart(5)} %  ${k}`);
}

interface Stat {
  n: number;
  ms: number;
}

function instrumented(pool: pg.Pool, stats: Map<string, Stat>, on: { collect: boolean }): DatabaseHandle {
  const db = new Kysely<Database>({
    dialect: new PostgresDialect({ pool }),
    log(e: LogEvent) {
      if (!on.collect) {
        return;
      }
      const key = e.query.sql.replace(/\s+/g, ' ').slice(0, 90);
      const s = stats.get(key) ?? { n: 0, ms: 0 };
      s.n += 1;
      s.ms += e.queryDurationMillis;
      stats.set(key, s);
    },
  });
  return { db, kind: 'postgres', close: () => db.destroy() };
}

async function seed(handle: DatabaseHandle): Promise<SeededBill[]> {
  await migrateToLatest(handle.db);
  const s = await seedDatabase(handle.db, {
    openBills: 6_000,
    members: 5_000,
    now: new Date(),
    rules: defaultRuleBook,
    otpSecret: config.otpSecret,
    publicBaseUrl: config.publicBaseUrl,
    firstBillTtlMs: defaultRuleBook.firstBillLifetimeMs,
  });
  await analyze(handle.db);
  return s.bills;
}

async function profile(label: string, makePool: (max: number) => pg.Pool, bills: SeededBill[], postgresPid: number | undefined, poolSizes: number[]): Promise<void> {
  let next = 0;
  const stats = new Map<string, Stat>();
  const on = { collect: false };
  const run = async (handle: DatabaseHandle, count: number, callers: number) => {
    const { deps } = compose(config, handle, { logger: createLogger('silent'), transports: { email: null, sms: null } });
    const one = async () => {
      const b = bills[next++];
      if (!b) {
        throw new Error('out of bills');
      }
      const r = await applyPaymentNotification(deps, { externalId: `prof-${label}-${next}`, paymentCode: b.paymentCode, amount: b.amount, channel: 'va', paidAt: new Date() });
      if (!r.ok || r.value.status !== 'applied') {
        throw new Error(JSON.stringify(r));
      }
    };
    const probe = startCpuProbe(postgresPid ? { postgres: postgresPid } : {});
    const t = performance.now();
    await Promise.all(Array.from({ length: callers }, async () => {
      for (let k = 0; k < count / callers; k++) {
        await one();
      }
    }));
    const wall = performance.now() - t;
    const cpu = probe();
    return { perSec: count / (wall / 1000), msEach: wall / count, nodeCpuMs: (cpu.loadgen * wall) / 100 / count, pgCpuMs: (cpu.postgres * wall) / 100 / count, others: cpu.others };
  };

  console.log(`\n=== ${label}`);
  {
    const pool = makePool(10);
    const handle = instrumented(pool, stats, on);
    await run(handle, 100, 1); // warm-up
    on.collect = true;
    const r = await run(handle, SERIAL, 1);
    on.collect = false;
    let sum = 0;
    let n = 0;
    console.log(`serial: ${r.msEach.toFixed(2)} ms per notification (${r.perSec.toFixed(0)}/s); CPU per notification: Node ${r.nodeCpuMs.toFixed(2)} ms, PostgreSQL ${r.pgCpuMs.toFixed(2)} ms; other processes ${r.others.toFixed(0)} % of a core`);
    console.log('client-side round trip per notification, by statement:');
    for (const [k, s] of [...stats].sort((a, b) => b[1].ms - a[1].ms)) {
      sum += s.ms;
      n += s.n;
      console.log(`  ${(s.ms / SERIAL).toFixed(3).padStart(7)} ms  ${(s.n / SERIAL).toFixed(1)}×  ${k}`);
    }
    console.log(`  total ${(sum / SERIAL).toFixed(2)} ms in ${(n / SERIAL).toFixed(1)} statements (begin/commit included) per notification`);
    await handle.close();
  }
  if (poolSizes.includes(10)) {
    const handle = instrumented(makePool(10), stats, on);
    await run(handle, 80, 8);
    const lines = await nodeCpuBreakdown(() => run(handle, 400, 8));
    console.log('Node CPU by package/module, 8 callers, pool 10 (self time; "(idle)" left out):');
    for (const l of lines) {
      console.log(`  ${l}`);
    }
    await handle.close();
  }
  for (const size of poolSizes) {
    const handle = instrumented(makePool(size), stats, on);
    await run(handle, 80, 8);
    const r = await run(handle, CONCURRENT, 8);
    console.log(
      `8 callers, pool ${String(size).padStart(2)}: ${r.perSec.toFixed(0)}/s, ${r.msEach.toFixed(2)} ms wall each; CPU per notification: Node ${r.nodeCpuMs.toFixed(2)} ms, PostgreSQL ${r.pgCpuMs.toFixed(2)} ms; other processes ${r.others.toFixed(0)} % of a core`,
    );
    await handle.close();
  }
}

/** The plans of the notification path's lookups on the seeded data: every one should be an index scan. */
async function explainHotQueries(handle: DatabaseHandle, bill: SeededBill | undefined): Promise<void> {
  if (!bill) {
    return;
  }
  const b = await handle.db.selectFrom('bill').selectAll().where('payment_code', '=', bill.paymentCode).executeTakeFirstOrThrow();
  const p = await handle.db.selectFrom('participant').select('id').limit(1).executeTakeFirstOrThrow();
  const reg = b.registration_id ?? '';
  const queries: [string, string][] = [
    ['bill by payment_code', `select * from bill where payment_code = '${b.payment_code}' for update`],
    ['bill_line by bill_id', `select * from bill_line where bill_id = '${b.id}'`],
    ['participant for registration (join on nik_hash)', `select participant.id from registration join participant on participant.nik_hash = registration.nik_hash where registration.id = '${reg}'`],
    ['registration by id', `select * from registration where id = '${reg}'`],
    ['participant nik_hash by id', `select nik_hash from participant where id = '${p.id}'`],
    ['coverage max(month) by participant', `select max(month) from coverage_month where participant_id = '${p.id}'`],
    ['payment by external_id', `select fingerprint from payment where external_id = 'x'`],
  ];
  console.log('\nquery plans on the seeded PostgreSQL data:');
  for (const [label, q] of queries) {
    const plan = await sql.raw<{ 'QUERY PLAN': string }>(`explain (costs off) ${q}`).execute(handle.db);
    console.log(`  ${label}: ${plan.rows.map((r) => r['QUERY PLAN'].trim()).filter((l) => /Scan|Join|Loop/.test(l)).join(' ; ')}`);
  }
}

const cleanups: (() => unknown)[] = [];
try {
  // PostgreSQL
  const external = process.env['BENCH_DATABASE_URL'];
  let url = external;
  let pid: number | undefined;
  if (!url) {
    const cluster = await startCluster(['shared_preload_libraries=pg_stat_statements', 'pg_stat_statements.track_planning=on', 'track_io_timing=on']);
    cleanups.push(() => cluster.stop());
    url = cluster.url('lindung_bench');
    pid = cluster.postmasterPid();
  }
  const pgUrl = url;
  const seedHandle = await openPostgres(pgUrl, 4);
  const pgBills = await seed(seedHandle);
  await explainHotQueries(seedHandle, pgBills[pgBills.length - 1]);
  await seedHandle.close();
  const stmts = new pg.Client({ connectionString: pgUrl });
  await stmts.connect();
  const hasPss = !external && (await stmts.query('create extension if not exists pg_stat_statements').then(() => true, () => false));
  if (hasPss) {
    await stmts.query('select pg_stat_statements_reset()');
  }
  await profile('PostgreSQL 15', (max) => new pg.Pool({ connectionString: pgUrl, max, types }), pgBills, pid, [2, 4, 8, 10, 16]);
  if (hasPss) {
    // Everything since the reset: the warm-ups, the serial run and the pooled runs, all notifications.
    const n = Number((await stmts.query<{ n: string }>(`select calls::text as n from pg_stat_statements where query like 'insert into "payment"%'`)).rows[0]?.n ?? 0);
    const rows = await stmts.query<{ query: string; calls: string; plan: number; exec: number; wal: string }>(`
      select left(regexp_replace(query, '[[:space:]]+', ' ', 'g'), 80) as query, calls::text, total_plan_time as plan, total_exec_time as exec, wal_bytes::text as wal
      from pg_stat_statements where dbid = (select oid from pg_database where datname = current_database()) and calls >= ${Math.floor(n / 2)}
      order by total_plan_time + total_exec_time desc`);
    console.log(`\npg_stat_statements over ${n} notifications (server-side time per notification; WAL bytes per notification):`);
    let plan = 0;
    let exec = 0;
    let wal = 0;
    for (const r of rows.rows) {
      plan += r.plan;
      exec += r.exec;
      wal += Number(r.wal);
      console.log(`  plan ${(r.plan / n).toFixed(3)} ms  exec ${(r.exec / n).toFixed(3)} ms  wal ${(Number(r.wal) / n).toFixed(0).padStart(5)} B  ${(Number(r.calls) / n).toFixed(1)}×  ${r.query}`);
    }
    console.log(`  total: plan ${(plan / n).toFixed(2)} ms, exec ${(exec / n).toFixed(2)} ms, WAL ${(wal / n).toFixed(0)} bytes per notification`);
  }
  await stmts.end();

  // PGlite, one session, as the server uses it.
  const dir = mkdtempSync(join(tmpdir(), 'lindung-prof-pglite-'));
  cleanups.push(() => rmSync(dir, { recursive: true, force: true }));
  const h = await openPglite({ dataDir: dir });
  const liteBills = await seed(h);
  await h.close();
  const lite = await PGlite.create(dir);
  cleanups.push(() => lite.close());
  await profile('PGlite (embedded)', () => new pg.Pool({ ...createPgConfig(lite), types } as pg.PoolConfig), liteBills, undefined, [1]);
} finally {
  for (const c of cleanups.reverse()) {
    await c();
  }
}
