/**
 * `npm run bench`: one run measures the server on the embedded database (PGlite) and on PostgreSQL 15, with a
 * pgbench yardstick on the same machine, and writes docs/benchmarks.md. A benchmark, not a test: it reports targets
 * as met or not met and exits 0 either way; it exits non-zero only when it could not measure (or a notification was
 * not applied, which would make the throughput meaningless).
 *
 * Knobs (environment): BENCH_DATABASE_URL (use this throwaway PostgreSQL database instead of starting a cluster),
 * BENCH_CONNECTIONS (8), BENCH_DURATION (10 s per read phase), BENCH_NOTIFY_DURATION (15 s, also the SNAP phase),
 * BENCH_WARMUP (3 s), BENCH_SAMPLE_WAITS (1: sample pg_stat_activity during the PostgreSQL notifications phase and log
 * it), BENCH_OPEN_BILLS (open first bills the notification phases of both settlement engines pay; default 30000 on the
 * embedded database, 150000 on PostgreSQL), BENCH_MEMBERS (20000), BENCH_SNAP_MEMBERS (30000: more members, whose renewal bills
 * the SNAP phase pays), BENCH_POOL_SIZE (the server's DATABASE_POOL_SIZE; default: the server's own default),
 * BENCH_OUT (docs/benchmarks.md for a complete run; a file in the temp directory for a partial one), BENCH_NODE_FLAGS (the
 * server's Node flags instead of those package.json's start script passes; bench/proc.ts serverNodeFlags).
 *
 * Parts: BENCH_ONLY or `npm run bench -- --only=…` (comma list of pgbench, healthz, quotes, notifications, renewals, snap, cycle, jht,
 * dashboards, partner-batch, roster-upload; default all — pgbench
 * also runs when notifications, renewals or snap do, for their ratios), BENCH_DATABASES (embedded,postgres: where the
 * HTTP phases run), BENCH_CYCLE (0 leaves the monthly cycle out).
 * Monthly cycle (PostgreSQL only, bench/cycle.ts): BENCH_CYCLE_SIZES (100000,1000000), BENCH_CYCLE_CONCURRENCY (1,2:
 * the job runner's concurrency and lanes options, JOB_CONCURRENCY and JOB_LANES), BENCH_CYCLE_MONTH (next month), BENCH_CYCLE_DISCOVERY_SIZE (2000).
 * Yearly JHT crediting (PostgreSQL only, bench/jht.ts): BENCH_JHT_ACCOUNTS (1000000), BENCH_JHT_LANES (2, the PostgreSQL
 * default JOB_LANES), BENCH_JHT_SAMPLE (2000 accounts checked against the pure rule), BENCH_JHT (0 leaves it out).
 * Dashboards and contact-centre search (PostgreSQL only, bench/dashboards.ts): BENCH_DASH_MEMBERS (1000000; measured on the
 * cycle's database of that size when the cycle runs at it, otherwise on one seeded for it), BENCH_DASH (0 leaves it out).
 * Partner enrolment batch (PostgreSQL only, bench/partner-batch.ts): BENCH_PARTNER_ROWS (100000), BENCH_PARTNER (0 leaves it out).
 * Government roster upload (PostgreSQL only, bench/roster-upload.ts): BENCH_ROSTER_ROWS (100000), BENCH_ROSTER (0 leaves it out).
 * BENCH_TIMEOUT_MIN: the run's hard bound (default 12 minutes plus the cycle's estimate).
 */
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { availableParallelism, tmpdir, totalmem } from 'node:os';
import { join } from 'node:path';
import pg from 'pg';
import { sql } from 'kysely';
import { loadConfig } from '../src/config.js';
import { migrateToLatest, openPglite, openPostgres, type DatabaseHandle } from '../src/db/connect.js';
import { defaultRuleBook } from '../src/modules/contributions/domain/rule-book.js';
import { benchCycle, cycleBudgetMinutes, cycleSection, cycleTargets, defaultCycleMonth, pgAdmin, type CycleResult, type CycleSettings } from './cycle.js';
import { benchDashboards, dashboardsNow, dashboardsOn, dashboardsSection, dashboardsTargets, type DashResult, type DashSettings } from './dashboards.js';
import { benchPartnerBatch, partnerBatchSection, partnerBatchTargets, type PartnerBatchResult } from './partner-batch.js';
import { benchRosterUpload, rosterUploadSection, rosterUploadTargets, type RosterUploadResult } from './roster-upload.js';
import { benchJht, jhtBudgetMinutes, jhtSection, jhtTargets, type JhtResult, type JhtSettings } from './jht.js';
import { measureGet, measurePost, NotificationLoad, type LoadSettings, type PhaseResult } from './load.js';
import { startWaitSampler } from './waits.js';
import { pgbenchPath, pgbenchYardstick, postgresAvailable, startCluster, type PgbenchResult, type PgCluster } from './pg-cluster.js';
import { backgroundCpu, freePort, readMemory, serverNodeFlags, startMemorySampler, startServer, type CpuUse, type Memory, type MemorySamples, type ServerProcess } from './proc.js';
import { Reaper } from './reaper.js';
import { analyze, seedDatabase } from './seed.js';
import { shapeCheck } from './shape-check.js';
import { SNAP_PAYMENT_PATH, SNAP_PREPARED_LIFETIME_SEC, SnapPaymentLoad, snapAccessToken } from './snap-load.js';

const REPO = join(import.meta.dirname, '..');
const SECRET = 'dev-webhook-secret';

function intEnv(name: string, fallback: number): number {
  const raw = process.env[name];
  if (raw === undefined || raw === '') {
    return fallback;
  }
  const n = Number(raw);
  if (!Number.isInteger(n) || n <= 0) {
    throw new Error(`${name} must be a positive integer, got ${raw}`);
  }
  return n;
}

function listEnv<T extends string>(name: string, allowed: readonly T[]): T[] | null {
  const raw = process.env[name];
  if (raw === undefined || raw.trim() === '') {
    return null;
  }
  const items = raw.split(',').map((x) => x.trim()).filter((x) => x !== '');
  for (const x of items) {
    if (!(allowed as readonly string[]).includes(x)) {
      throw new Error(`${name}: unknown '${x}' (one of ${allowed.join(', ')})`);
    }
  }
  return items as T[];
}

function intListEnv(name: string, fallback: number[]): number[] {
  const raw = process.env[name];
  if (raw === undefined || raw.trim() === '') {
    return fallback;
  }
  const items = raw.split(',').map((x) => Number(x.trim()));
  if (items.some((n) => !Number.isInteger(n) || n <= 0)) {
    throw new Error(`${name} must be a comma list of positive integers, got ${raw}`);
  }
  return items;
}

const PARTS = ['pgbench', 'healthz', 'quotes', 'notifications', 'renewals', 'snap', 'cycle', 'jht', 'dashboards', 'partner-batch', 'roster-upload'] as const;
type Part = (typeof PARTS)[number];
// `npm run bench -- --only=dashboards` is BENCH_ONLY=dashboards.
const onlyArg = process.argv.slice(2).find((a) => a.startsWith('--only='));
if (onlyArg) {
  process.env['BENCH_ONLY'] = onlyArg.slice('--only='.length);
}
const ONLY = listEnv('BENCH_ONLY', PARTS);
const SELECTED = new Set<Part>(ONLY ?? PARTS);
if (process.env['BENCH_CYCLE'] === '0') {
  SELECTED.delete('cycle');
}
if (process.env['BENCH_JHT'] === '0') {
  SELECTED.delete('jht');
}
if (process.env['BENCH_DASH'] === '0') {
  SELECTED.delete('dashboards');
}
if (process.env['BENCH_PARTNER'] === '0') {
  SELECTED.delete('partner-batch');
}
if (process.env['BENCH_ROSTER'] === '0') {
  SELECTED.delete('roster-upload');
}
if (SELECTED.has('notifications') || SELECTED.has('renewals') || SELECTED.has('snap')) {
  SELECTED.add('pgbench');
}
const HTTP_PARTS: readonly Part[] = ['healthz', 'quotes', 'notifications', 'renewals', 'snap'];
/** A run without every part writes its report elsewhere than docs/benchmarks.md unless BENCH_OUT says otherwise. */
const PARTIAL = PARTS.some((p) => !SELECTED.has(p));
const has = (p: Part) => SELECTED.has(p);

const S = {
  connections: intEnv('BENCH_CONNECTIONS', 8),
  duration: intEnv('BENCH_DURATION', 10),
  notifyDuration: intEnv('BENCH_NOTIFY_DURATION', 15),
  warmup: intEnv('BENCH_WARMUP', 3),
  openBills: process.env['BENCH_OPEN_BILLS'] ? intEnv('BENCH_OPEN_BILLS', 30_000) : undefined,
  members: intEnv('BENCH_MEMBERS', 20_000),
  snapMembers: intEnv('BENCH_SNAP_MEMBERS', 30_000),
  poolSize: process.env['BENCH_POOL_SIZE'] ? intEnv('BENCH_POOL_SIZE', 10) : undefined,
  out: process.env['BENCH_OUT'] || (PARTIAL ? join(tmpdir(), `lindung-benchmarks-${[...SELECTED].sort().join('-')}.md`) : join(REPO, 'docs', 'benchmarks.md')),
  externalUrl: process.env['BENCH_DATABASE_URL'] || undefined,
  databases: listEnv('BENCH_DATABASES', ['embedded', 'postgres'] as const) ?? ['embedded', 'postgres'],
};
const CYCLE: CycleSettings = {
  sizes: intListEnv('BENCH_CYCLE_SIZES', [100_000, 1_000_000]),
  concurrencies: intListEnv('BENCH_CYCLE_CONCURRENCY', [1, 2]),
  month: process.env['BENCH_CYCLE_MONTH'] || defaultCycleMonth(new Date()),
  discoverySize: intEnv('BENCH_CYCLE_DISCOVERY_SIZE', 2_000),
};
const JHT: JhtSettings = {
  accounts: intEnv('BENCH_JHT_ACCOUNTS', 1_000_000),
  year: 2025,
  rateBp: 725,
  lanes: intEnv('BENCH_JHT_LANES', 2),
  sample: intEnv('BENCH_JHT_SAMPLE', 2_000),
};
const DASH: DashSettings = { members: intEnv('BENCH_DASH_MEMBERS', 1_000_000), month: CYCLE.month };
/** The dashboards part rides on the cycle's database when the cycle runs at its size (no second load). */
const DASH_ON_CYCLE = SELECTED.has('cycle') && CYCLE.sizes.includes(DASH.members);
if (has('snap') && S.warmup + S.notifyDuration > SNAP_PREPARED_LIFETIME_SEC) {
  throw new Error(`the SNAP phase signs its requests beforehand, valid ${SNAP_PREPARED_LIFETIME_SEC} s: BENCH_WARMUP + BENCH_NOTIFY_DURATION must not exceed that`);
}
const PGBENCH_THREADS = Math.min(2, S.connections);
const QUOTE_BODY = { declaredIncome: 2_000_000, programs: ['JKK', 'JKM', 'JHT'], months: 3 };
/** Open first bills seeded per database: enough for both engines' notification phases (warm-up included) at their rates. */
const openBillsOf = (kind: 'embedded' | 'postgres') => S.openBills ?? (kind === 'postgres' ? 150_000 : 30_000);

// ---------------------------------------------------------------------------------------------------- cleanup

const reaper = new Reaper();
const cleanups: { name: string; fn: () => unknown }[] = [];
function onCleanup(name: string, fn: () => unknown): void {
  cleanups.push({ name, fn });
}
let cleaning: Promise<void> | null = null;
function cleanupAll(): Promise<void> {
  cleaning ??= (async () => {
    for (const { name, fn } of cleanups.reverse()) {
      try {
        await fn();
      } catch (err) {
        process.stderr.write(`cleanup ${name} failed: ${String(err)}\n`);
      }
    }
  })();
  return cleaning;
}
for (const sig of ['SIGINT', 'SIGTERM', 'SIGHUP'] as const) {
  process.on(sig, () => {
    process.stderr.write(`\n${sig}: cleaning up\n`);
    void cleanupAll().then(() => {
      reaper.disarm();
      process.exit(130);
    });
  });
}

function log(msg: string): void {
  process.stdout.write(`[bench ${new Date().toISOString().slice(11, 19)}] ${msg}\n`);
}

// ---------------------------------------------------------------------------------------------------- one database

interface DbRun {
  label: string;
  kind: 'embedded' | 'postgres';
  seedRows: Record<string, number>;
  seedSeconds: number;
  shapeProblems: string[];
  idle: Memory;
  phases: { phase: PhaseResult; memory: MemorySamples }[];
  notificationsApplied: number;
  paymentsInDb: number;
  /** SNAP phase (warm-up included): applied answers, and SNAP payments applied to a paid bill in the database. */
  snapApplied: number;
  snapInDb: number;
  version: string;
  poolSize: string;
  /** Per notifications phase: the group-commit batches of its measured part (the server's lindung_settlement_batch_size). */
  batches: string[];
}

async function benchDatabase(kind: 'embedded' | 'postgres', pgUrl: string | undefined, postmasterPid: number | undefined): Promise<DbRun> {
  const label = kind === 'embedded' ? 'Embedded (PGlite, DATA_DIR)' : 'PostgreSQL 15';
  let dataDir: string | undefined;
  const open = async (): Promise<DatabaseHandle> => {
    if (kind === 'embedded') {
      return openPglite({ dataDir });
    }
    return openPostgres(pgUrl ?? '', 4);
  };
  if (kind === 'embedded') {
    dataDir = mkdtempSync(join(tmpdir(), 'lindung-bench-pglite-'));
    const dir = dataDir;
    onCleanup(`remove ${dir}`, () => rmSync(dir, { recursive: true, force: true }));
    reaper.add(`rm -rf '${dir}'`);
  }

  // 1. Schema, seed, shape check and statistics, from this process; the server is not running yet.
  const snapMembers = has('snap') ? S.snapMembers : 0;
  log(`${label}: migrate and seed ${S.members + snapMembers} members + ${openBillsOf(kind)} open first bills`);
  const config = loadConfig({ NODE_ENV: 'development', LOG_LEVEL: 'silent', PAYMENT_WEBHOOK_SECRET: SECRET });
  let handle = await open();
  let seed;
  let shapeProblems: string[];
  let version: string;
  try {
    await migrateToLatest(handle.db);
    const existing = await handle.db.selectFrom('registration').select(sql<number>`count(*)::int8`.as('n')).executeTakeFirstOrThrow();
    if (existing.n > 0) {
      throw new Error(`${label}: the database already has ${existing.n} registrations; the benchmark needs an empty, throwaway database`);
    }
    version = (await sql<{ v: string }>`select version() as v`.execute(handle.db)).rows[0]?.v ?? '?';
    seed = await seedDatabase(handle.db, {
      openBills: openBillsOf(kind),
      members: S.members + snapMembers,
      now: new Date(),
      rules: defaultRuleBook,
      otpSecret: config.otpSecret,
      publicBaseUrl: config.publicBaseUrl,
      firstBillTtlMs: defaultRuleBook.firstBillLifetimeMs,
    });
    log(`${label}: seeded ${Object.values(seed.rows).reduce((a, b) => a + b, 0)} rows in ${seed.seconds.toFixed(1)} s; shape check against the real API`);
    const shape = await shapeCheck(config, handle);
    shapeProblems = shape.problems;
    if (shapeProblems.length > 0) {
      throw new Error(`seeded rows differ from what the API writes:\n  ${shapeProblems.join('\n  ')}`);
    }
    await analyze(handle.db);
    if (kind !== 'embedded') {
      // Start every measured run from the same state: the seed's WAL flushed by a checkpoint now, not by one that
      // lands in the middle of a phase (and makes each page's first change afterwards write a full-page image).
      await sql`checkpoint`.execute(handle.db);
    }
  } finally {
    await handle.close();
  }

  // 2. The real server as a child process.
  const port = await freePort();
  // autocannon sends every quote from one address: the quote limit is raised so the limiter still counts each request
  // (its cost is part of the measurement) but never refuses one.
  const env: Record<string, string> = { PAYMENT_WEBHOOK_SECRET: SECRET, NODE_ENV: 'development', RATE_LIMITS: 'quote-ip=999999999/60' };
  if (kind === 'embedded') {
    env['DATA_DIR'] = dataDir ?? '';
  } else {
    env['DATABASE_URL'] = pgUrl ?? '';
  }
  if (S.poolSize !== undefined) {
    env['DATABASE_POOL_SIZE'] = String(S.poolSize);
  }
  const phases: DbRun['phases'] = [];
  const notifications = new NotificationLoad(seed.bills, SECRET);
  let applied = 0;
  const batches: string[] = [];
  if (has('notifications')) {
    // Before: the settlement engine of one database call per payment (SETTLEMENT_ENGINE=per-payment), on a server of
    // its own that runs this phase only; the server below runs the default engine (set-based) for every phase.
    log(`${label}: starting a server with SETTLEMENT_ENGINE=per-payment on 127.0.0.1:${port}`);
    const before = await startServer({ ...env, SETTLEMENT_ENGINE: 'per-payment' }, port, (pid) => reaper.addProcess(pid, 'src/main.ts'));
    onCleanup(`stop server ${before.wrapperPid}`, () => before.stop());
    try {
      const n = await notificationsPhase(label, kind, pgUrl, before, postmasterPid, notifications, NOTIFY_BEFORE);
      phases.push(n.phase);
      applied += n.applied;
      batches.push(n.batches);
    } finally {
      await before.stop();
    }
  }
  log(`${label}: starting the server on 127.0.0.1:${port}`);
  const server: ServerProcess = await startServer({ ...env, SETTLEMENT_ENGINE: 'set-based' }, port, (pid) => reaper.addProcess(pid, 'src/main.ts'));
  onCleanup(`stop server ${server.wrapperPid}`, () => server.stop());
  const renewals = new NotificationLoad(seed.renewalBills.slice(0, S.members), SECRET);
  // The SNAP phase pays the renewal bills of the members seeded for it, through their VA (the KPJ).
  const snap = new SnapPaymentLoad(seed.renewalBills.slice(S.members).map((b) => ({ kpj: b.kpj ?? '', amount: b.amount })));
  let snapApplied = 0;
  let idle: Memory;
  try {
    idle = readMemory(server.serverPid);
    const load = loadSettings(server, postmasterPid);
    const probe = await fetch(`${server.baseUrl}/api/v1/quotes`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(QUOTE_BODY) });
    if (probe.status !== 200) {
      throw new Error(`the quote body is not accepted: ${probe.status} ${await probe.text()}`);
    }

    if (has('healthz')) {
      log(`${label}: GET /healthz (${S.warmup} s warm-up + ${S.duration} s)`);
      const mem = startMemorySampler(server.serverPid);
      phases.push({ phase: await measureGet(load, 'GET /healthz', '/healthz'), memory: mem.stop() });
    }
    if (has('quotes')) {
      log(`${label}: POST /api/v1/quotes`);
      const mem = startMemorySampler(server.serverPid);
      phases.push({ phase: await measurePost(load, 'POST /api/v1/quotes', '/api/v1/quotes', QUOTE_BODY), memory: mem.stop() });
    }
    if (has('notifications')) {
      const n = await notificationsPhase(label, kind, pgUrl, server, postmasterPid, notifications, NOTIFY_PHASE);
      phases.push(n.phase);
      applied += n.applied;
      batches.push(n.batches);
    }
    if (has('renewals')) {
      log(`${label}: POST /api/v1/payments/notifications for renewal bills (${S.duration} s, each settles a member's next month)`);
      const mem = startMemorySampler(server.serverPid);
      const renewal = await renewals.measure(load, RENEWAL_PHASE, S.duration);
      phases.push({ phase: renewal, memory: mem.stop() });
      applied += renewal.applied ?? 0;
    }
    if (has('snap')) {
      log(`${label}: POST ${SNAP_PAYMENT_PATH} (access token, ${f0(snapMembers)} payments signed beforehand; ${S.warmup} s warm-up + ${S.notifyDuration} s, each pays a member's renewal bill by VA)`);
      snap.prepare(await snapAccessToken(server.baseUrl));
      const mem = startMemorySampler(server.serverPid);
      const warm = await snap.measure(load, 'warm-up', S.warmup);
      const measured = await snap.measure(load, SNAP_PHASE, S.notifyDuration);
      phases.push({ phase: { ...measured, notApplied: (measured.notApplied ?? 0) + (warm.notApplied ?? 0), notAppliedSamples: [...(warm.notAppliedSamples ?? []), ...(measured.notAppliedSamples ?? [])] }, memory: mem.stop() });
      snapApplied = (warm.applied ?? 0) + (measured.applied ?? 0);
    }
  } finally {
    await server.stop();
  }

  // 3. Cross-check in the database: every applied response is a settled bill.
  handle = await open();
  let paymentsInDb = 0;
  let snapInDb = 0;
  try {
    const row = await sql<{ n: number }>`select count(*)::int8 as n from payment p join bill b on b.id = p.bill_id
      where p.external_id like 'bench-%' and p.outcome = 'applied' and b.status = 'paid' and b.payment_id = p.id`.execute(handle.db);
    paymentsInDb = row.rows[0]?.n ?? 0;
    const snapRow = await sql<{ n: number }>`select count(*)::int8 as n from payment p join bill b on b.id = p.bill_id
      where p.external_id like ${`snap:%:${snap.requestIdPrefix}%`} and p.outcome = 'applied' and b.status = 'paid' and b.payment_id = p.id`.execute(handle.db);
    snapInDb = snapRow.rows[0]?.n ?? 0;
  } finally {
    await handle.close();
  }
  return {
    label,
    kind,
    seedRows: seed.rows,
    seedSeconds: seed.seconds,
    shapeProblems,
    idle,
    phases,
    notificationsApplied: applied,
    paymentsInDb,
    snapApplied,
    snapInDb,
    version,
    poolSize: kind === 'embedded' ? '1 (PGlite: one session)' : String(S.poolSize ?? loadConfig({ NODE_ENV: 'development' }).databasePoolSize),
    batches,
  };
}

/** The load generator's settings against one server, with the CPU of the server and PostgreSQL measured. */
function loadSettings(server: ServerProcess, postmasterPid: number | undefined): LoadSettings {
  return {
    baseUrl: server.baseUrl,
    connections: S.connections,
    warmupSec: S.warmup,
    durationSec: S.duration,
    cpu: { server: server.wrapperPid, ...(postmasterPid ? { postgres: postmasterPid } : {}) },
  };
}

/** The notifications phase (warm-up, then measured) against one server: each request settles its own open first bill. */
async function notificationsPhase(
  label: string,
  kind: DbRun['kind'],
  pgUrl: string | undefined,
  server: ServerProcess,
  postmasterPid: number | undefined,
  notifications: NotificationLoad,
  name: string,
): Promise<{ phase: DbRun['phases'][number]; applied: number; batches: string }> {
  const load = loadSettings(server, postmasterPid);
  log(`${label}: ${name} (${S.warmup} s warm-up + ${S.notifyDuration} s, each settles its own bill)`);
  const mem = startMemorySampler(server.serverPid);
  const warm = await notifications.measure(load, 'warm-up', S.warmup);
  const sampler = kind === 'postgres' && pgUrl && process.env['BENCH_SAMPLE_WAITS'] === '1' ? startWaitSampler(pgUrl) : null;
  const batchesBefore = await settlementBatches(server.baseUrl);
  const measured = await notifications.measure(load, name, S.notifyDuration);
  const batchesAfter = await settlementBatches(server.baseUrl);
  const count = batchesAfter.count - batchesBefore.count;
  const batches = `${name}: ${f0(count)} settlement transactions, ${f1((batchesAfter.sum - batchesBefore.sum) / count)} payments each on average`;
  if (sampler) {
    log(`${label}: backends during the notifications phase (sampled):\n  ${await sampler.stop()}`);
  }
  const phase = { ...measured, notApplied: (measured.notApplied ?? 0) + (warm.notApplied ?? 0), notAppliedSamples: [...(warm.notAppliedSamples ?? []), ...(measured.notAppliedSamples ?? [])] };
  return { phase: { phase, memory: mem.stop() }, applied: (warm.applied ?? 0) + (measured.applied ?? 0), batches };
}

/** The server's group-commit histogram so far (GET /metrics, open in development): settlement transactions and payments in them. */
async function settlementBatches(baseUrl: string): Promise<{ sum: number; count: number }> {
  const text = await (await fetch(`${baseUrl}/metrics`)).text();
  const value = (name: string) => Number(new RegExp(`^${name} (\\S+)$`, 'm').exec(text)?.[1] ?? NaN);
  return { sum: value('lindung_settlement_batch_size_sum'), count: value('lindung_settlement_batch_size_count') };
}

// ---------------------------------------------------------------------------------------------------- report

/** Which code was measured: the commit, and whether src/ or migrations/ had uncommitted changes. */
function codeVersion(): string {
  const head = spawnSync('git', ['rev-parse', '--short', 'HEAD'], { cwd: REPO, encoding: 'utf8' });
  if (head.status !== 0) {
    return 'unknown (not a git checkout)';
  }
  const dirty = spawnSync('git', ['status', '--porcelain', '--', 'src', 'migrations'], { cwd: REPO, encoding: 'utf8' }).stdout.trim();
  return `commit ${head.stdout.trim()}${dirty ? ' plus uncommitted changes in src/ or migrations/' : ''}`;
}

function machine() {
  const cpuinfo = readFileSync('/proc/cpuinfo', 'utf8');
  const os = /^PRETTY_NAME="?([^"\n]*)"?/m.exec(readFileSync('/etc/os-release', 'utf8'))?.[1] ?? 'Linux';
  return {
    nproc: availableParallelism(),
    memoryGiB: totalmem() / 1024 ** 3,
    cpu: /^model name\s*:\s*(.*)$/m.exec(cpuinfo)?.[1]?.trim() ?? 'unknown',
    os,
    node: process.version,
    pglite: (JSON.parse(readFileSync(join(REPO, 'node_modules', '@electric-sql', 'pglite', 'package.json'), 'utf8')) as { version: string }).version,
    autocannon: (JSON.parse(readFileSync(join(REPO, 'node_modules', 'autocannon', 'package.json'), 'utf8')) as { version: string }).version,
  };
}

const f0 = (n: number) => (Number.isFinite(n) ? Math.round(n).toLocaleString('en-US') : 'n/a');
const f1 = (n: number) => (Number.isFinite(n) ? n.toFixed(1) : 'n/a');
const f2 = (n: number) => (Number.isFinite(n) ? n.toFixed(2) : 'n/a');

/** autocannon's latency histogram has 1 ms resolution. */
function ms(n: number): string {
  return !Number.isFinite(n) ? 'n/a' : n < 1 ? '<1' : f0(n);
}

/** CPU time per completed request (server process; PostgreSQL backends), from the phase's CPU % and duration. */
function cpuPerRequest(p: PhaseResult, kind: DbRun['kind']): string {
  if (!p.cpu || p.requests === 0) {
    return '';
  }
  const per = (pct: number) => ((Math.max(0, pct) / 100) * p.durationSec * 1000) / p.requests;
  return kind === 'embedded' ? `${f2(per(p.cpu.server))} / (in server)` : `${f2(per(p.cpu.server))} / ${f2(per(p.cpu.postgres))}`;
}

function cpuCell(c: CpuUse | undefined): string {
  const p = (n: number) => f0(Math.max(0, n));
  return c ? `${p(c.loadgen)} / ${p(c.server)} / ${p(c.postgres)} / ${p(c.others)}` : '';
}

function dbTable(r: DbRun): string {
  const rows = [
    '| Endpoint | req/s (mean) | p50 ms | p99 ms | max ms | requests | non-2xx | errors | not applied | server RSS during the phase: steady / peak, MiB | server peak RSS since start (VmHWM), MiB | CPU ms per request: server / PostgreSQL | CPU % of one core: load gen / server / PostgreSQL / other processes |',
    '|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---|---|',
    `| (idle, after start) | | | | | | | | | ${f0(r.idle.rssMiB)} | ${f0(r.idle.hwmMiB)} | | |`,
  ];
  for (const { phase: p, memory: m } of r.phases) {
    rows.push(
      `| ${p.name} | ${f0(p.reqPerSecMean)} | ${ms(p.latencyP50Ms)} | ${ms(p.latencyP99Ms)} | ${ms(p.latencyMaxMs)} | ${f0(p.requests)} | ${p.non2xx} | ${p.errors} | ${p.notApplied ?? ''} | ${f0(m.steadyMiB)} / ${f0(m.peakMiB)} | ${f0(m.hwmMiB)} | ${cpuPerRequest(p, r.kind)} | ${cpuCell(p.cpu)} |`,
    );
  }
  return rows.join('\n');
}

interface Target {
  what: string;
  measured: string;
  ratio: string;
  met: boolean | null;
}

/** Issue 13: the server's RSS under the notification load, per database. */
const RSS_TARGET_MB = { postgres: 200, embedded: 400 } as const;
const RENEWAL_PHASE = 'POST /api/v1/payments/notifications — renewal bills';
/** The notifications phase of each settlement engine (SETTLEMENT_ENGINE): the targets are judged on the default, set-based. */
const NOTIFY_PHASE = 'POST /api/v1/payments/notifications — set-based (after)';
const NOTIFY_BEFORE = 'POST /api/v1/payments/notifications — per-payment (before)';
const SNAP_PHASE = `POST ${SNAP_PAYMENT_PATH} (BI-SNAP VA payment)`;

/** Issue 14 (P2): set-based settlement ≥ 1.0 × pgbench TPS with p99 < 50 ms, beside the per-payment engine of the same run. */
function setBasedTargets(r: DbRun, after: PhaseResult, before: PhaseResult | undefined, pgb: PgbenchResult | null): Target[] {
  const out: Target[] = [];
  const cpu = (p: PhaseResult) => `CPU ms per payment server / PostgreSQL ${cpuPerRequest(p, r.kind)}`;
  for (const [engine, p] of [['per-payment (before, for comparison)', before], ['set-based (after)', after]] as const) {
    if (!p) {
      continue;
    }
    const ratio = pgb ? p.reqPerSecMean / pgb.tps : NaN;
    out.push({
      what: `${r.label}: notifications, ${engine}, ≥ 1.0 × pgbench TPS and p99 < 50 ms`,
      measured: `${f0(p.reqPerSecMean)} req/s${pgb ? ` vs ${f0(pgb.tps)} TPS` : '; pgbench not run'}, p99 ${f1(p.latencyP99Ms)} ms; ${cpu(p)}`,
      ratio: pgb ? `${f2(ratio)} ×` : 'n/a',
      met: pgb ? ratio >= 1 && p.latencyP99Ms < 50 : null,
    });
  }
  return out;
}

function targets(runs: DbRun[], pgb: PgbenchResult | null): Target[] {
  const out: Target[] = [];
  const phase = (r: DbRun, name: string) => r.phases.find((p) => p.phase.name.startsWith(name))?.phase;
  for (const r of runs) {
    const h = phase(r, 'GET /healthz');
    const q = phase(r, 'POST /api/v1/quotes');
    if (h && q) {
      const ratio = q.reqPerSecMean / h.reqPerSecMean;
      out.push({ what: `${r.label}: quotes ≥ 0.6 × /healthz`, measured: `${f0(q.reqPerSecMean)} vs ${f0(h.reqPerSecMean)} req/s`, ratio: `${f2(ratio)} ×`, met: ratio >= 0.6 });
    }
  }
  for (const r of runs) {
    const factor = r.kind === 'postgres' ? 0.5 : 0.2;
    const snap = phase(r, SNAP_PHASE);
    if (snap) {
      const ratio = pgb ? snap.reqPerSecMean / pgb.tps : NaN;
      // Reported beside the notification targets (same factors): a bank's VA payment, signed and idempotent by SNAP.
      out.push({
        what: `${r.label}: SNAP VA payments (for comparison) ≥ ${factor} × pgbench TPS`,
        measured: `${f0(snap.reqPerSecMean)} req/s, p50 ${f1(snap.latencyP50Ms)} ms, p99 ${f1(snap.latencyP99Ms)} ms${pgb ? ` vs ${f0(pgb.tps)} TPS` : '; pgbench not run'}`,
        ratio: pgb ? `${f2(ratio)} ×` : 'n/a',
        met: pgb ? ratio >= factor : null,
      });
      out.push({
        what: `${r.label}: every SNAP payment applied`,
        measured: `${snap.notApplied ?? 0} not applied; ${f0(r.snapApplied)} successful answers (warm-up included), ${f0(r.snapInDb)} bills settled by them in the database (${f0(r.snapInDb - r.snapApplied)} were in flight when a run stopped)`,
        ratio: '',
        met: (snap.notApplied ?? 0) === 0 && snap.non2xx === 0 && snap.errors === 0 && r.snapInDb >= r.snapApplied && r.snapInDb - r.snapApplied <= 2 * S.connections,
      });
    }
    const n = r.phases.find((p) => p.phase.name === NOTIFY_PHASE)?.phase;
    if (!n) {
      continue;
    }
    const renewal = phase(r, RENEWAL_PHASE);
    if (renewal && pgb) {
      const ratio = renewal.reqPerSecMean / pgb.tps;
      // Reported beside the target, which is judged on first payments above: renewals are the steady-state traffic.
      out.push({ what: `${r.label}: renewal-bill notifications (for comparison) ≥ ${factor} × pgbench TPS`, measured: `${f0(renewal.reqPerSecMean)} req/s, p99 ${f1(renewal.latencyP99Ms)} ms`, ratio: `${f2(ratio)} ×`, met: ratio >= factor });
    }
    if (pgb) {
      const ratio = n.reqPerSecMean / pgb.tps;
      out.push({ what: `${r.label}: notifications ≥ ${factor} × pgbench TPS`, measured: `${f0(n.reqPerSecMean)} req/s vs ${f0(pgb.tps)} TPS`, ratio: `${f2(ratio)} ×`, met: ratio >= factor });
    } else {
      out.push({ what: `${r.label}: notifications ≥ ${factor} × pgbench TPS`, measured: `${f0(n.reqPerSecMean)} req/s; pgbench not run`, ratio: 'n/a', met: null });
    }
    const mem = r.phases.find((p) => p.phase.name === NOTIFY_PHASE)?.memory;
    if (mem) {
      // Judged on the highest VmRSS sampled during the phase (warm-up included), in MB (10^6 bytes) as the target says.
      const limitMb = RSS_TARGET_MB[r.kind];
      const peakMb = (mem.peakMiB * 1024 * 1024) / 1e6;
      out.push({
        what: `${r.label}: server RSS under the notification load ≤ ${limitMb} MB`,
        measured: `peak ${f0(peakMb)} MB (${f0(mem.peakMiB)} MiB), steady ${f0(mem.steadyMiB)} MiB, ${mem.samples} samples; peak since start (VmHWM) ${f0(mem.hwmMiB)} MiB`,
        ratio: `${f2(peakMb / limitMb)} ×`,
        met: Number.isFinite(peakMb) ? peakMb <= limitMb : null,
      });
    }
    if (r.kind === 'postgres') {
      out.push({ what: `${r.label}: notifications p99 < 100 ms`, measured: `p99 ${f1(n.latencyP99Ms)} ms`, ratio: '', met: n.latencyP99Ms < 100 });
      out.push(...setBasedTargets(r, n, phase(r, NOTIFY_BEFORE), pgb));
    }
    // Both engines' notification phases (and the renewal phase) count.
    const all = [n, phase(r, NOTIFY_BEFORE)].filter((p): p is PhaseResult => p !== undefined);
    const notApplied = all.reduce((a, p) => a + (p.notApplied ?? 0), 0);
    out.push({
      what: `${r.label}: every notification applied`,
      measured: `${notApplied} not applied; ${f0(r.notificationsApplied)} applied responses (warm-up included), ${f0(r.paymentsInDb)} bills settled in the database (${f0(r.paymentsInDb - r.notificationsApplied)} were in flight when a run stopped)`,
      ratio: '',
      // Requests in flight when a run stopped (at most one per connection, five runs) are settled without a response read.
      met: notApplied === 0 && all.every((p) => p.non2xx === 0 && p.errors === 0) && r.paymentsInDb >= r.notificationsApplied && r.paymentsInDb - r.notificationsApplied <= 5 * S.connections,
    });
  }
  return out;
}

function report(o: {
  started: Date;
  seconds: number;
  m: ReturnType<typeof machine>;
  runs: DbRun[];
  pgb: PgbenchResult | null;
  pgVersion: string | null;
  pgSettings: Record<string, string> | null;
  notes: string[];
  command: string;
  cycle: CycleResult | null;
  jht: JhtResult | null;
  dash: DashResult | null;
  partner: PartnerBatchResult | null;
  roster?: RosterUploadResult | null;
}): string {
  const t = [
    ...targets(o.runs, o.pgb),
    ...(o.cycle ? cycleTargets(o.cycle) : []),
    ...(o.jht ? jhtTargets(o.jht) : []),
    ...(o.dash ? dashboardsTargets(o.dash) : []),
    ...(o.partner ? partnerBatchTargets(o.partner) : []),
    ...(o.roster ? rosterUploadTargets(o.roster) : []),
  ];
  const mark = (met: boolean | null) => (met === null ? 'not measured' : met ? '**met**' : '**not met**');
  const lines: string[] = [];
  lines.push('# Benchmarks');
  lines.push('');
  if (PARTIAL) {
    lines.push(`A partial run (${[...SELECTED].sort().join(', ')}): docs/benchmarks.md is written by a complete run.`);
    lines.push('');
  }
  lines.push('Written by `npm run bench` (bench/run.ts); do not edit by hand — run it again. A benchmark, not a test: numbers move');
  lines.push('with the machine and its load. Every load phase targets 127.0.0.1 only and is bounded in time (and, for');
  lines.push('notifications, in count). Settings (connections, durations, data volume, an external database) are environment');
  lines.push('variables listed at the top of bench/run.ts; `npx tsx bench/profile.ts` breaks a notification down by statement;');
  lines.push('`BENCH_DATABASE_URL=… npx tsx bench/settle-engines.ts` compares the two settlement engines in-process (database CPU per payment by batch size).');
  lines.push('');
  lines.push(`- Date: ${o.started.toISOString()} (run took ${Math.round(o.seconds)} s)`);
  lines.push(`- Machine: ${o.m.nproc} cores (${o.m.cpu}), ${f1(o.m.memoryGiB)} GiB memory, ${o.m.os}`);
  lines.push(`- Node ${o.m.node}; PostgreSQL ${o.pgVersion ?? 'not available'}; PGlite ${o.m.pglite}; autocannon ${o.m.autocannon}`);
  lines.push(`- Code: ${codeVersion()}`);
  lines.push(`- Command: \`${o.command}\``);
  lines.push(
    `- Load: autocannon in the benchmark process (same ${o.m.nproc} cores as the server and the database), ${S.connections} connections, pipelining 1; each phase after a ${S.warmup} s warm-up; ${S.duration} s for /healthz and quotes, ${S.notifyDuration} s for notifications and SNAP payments. req/s is autocannon's mean of per-second samples; latencies come from its histogram, which has 1 ms resolution (<1 = under a millisecond).`,
  );
  lines.push(
    `- Server: the real compiled server (\`node dist/src/main.js\`, built by \`npm run build\` at the start of the run, as \`npm start\` does) as a child process with \`WORKER=off LOG_LEVEL=warn NODE_ENV=development RATE_LIMITS=quote-ip=999999999/60\` (every quote is counted by the rate limiter, none refused) and Node flags ${serverNodeFlags().length > 0 ? `\`${serverNodeFlags().join(' ')}\`` : 'none'} (${process.env['BENCH_NODE_FLAGS'] !== undefined ? 'BENCH_NODE_FLAGS' : 'as package.json\'s start script gives them'}); RSS is the VmRSS of that node process, sampled from /proc every 250 ms during each phase (warm-up included): the peak, and the steady level (median of the phase's second half); VmHWM is its peak since it started. The PostgreSQL server's own memory is not included.`,
  );
  if (o.pgSettings) {
    lines.push(
      `- PostgreSQL: a throwaway cluster made by this run (initdb, loopback only), fsync=${o.pgSettings['fsync']}, synchronous_commit=${o.pgSettings['synchronous_commit']}, shared_buffers=${o.pgSettings['shared_buffers']}, max_connections=${o.pgSettings['max_connections']}; everything else default. Durable commits: every notification waits for its WAL flush.`,
    );
  } else if (S.externalUrl) {
    lines.push('- PostgreSQL: the database given in BENCH_DATABASE_URL (settings as that server has them).');
  }
  const first = o.runs[0];
  if (first) {
    const seeded = Object.entries(first.seedRows)
      .map(([k, v]) => `${k} ${f0(v)}`)
      .join(', ');
    lines.push(
      `- Data: per database, before the server starts, ${f0(S.members)} members who already paid and ${o.runs.map((r) => `${f0(openBillsOf(r.kind))} (${r.kind})`).join(' / ')} submitted registrations with an open first bill each (one payment code each), written set-based by bench/seed.ts (${seeded}), checked column by column against one registration made and paid through the real API (bench/shape-check.ts), then VACUUM ANALYZE. Each notification settles a different open bill: it creates the participant, coverage, ledger transfers and the card email (the first-payment path of apply-payment.ts); the targets are judged on these. The notifications phase runs twice on each database, against two servers started in turn on the same data: first with \`SETTLEMENT_ENGINE=per-payment\` (before: \`lindung_apply_payments\`, one \`lindung_apply_payment\` call per payment of a group-commit batch), then with the default \`SETTLEMENT_ENGINE=set-based\` (after: \`lindung_settle_batch\`, multi-row statements per batch), which also runs every other phase; the second pays bills the first left open. Compare the two within one run (CPU ms per payment, ratio to pgbench): other processes on the machine move both. A second phase settles one open renewal bill per member (the month after their cover, as POST /me/bills issues it): coverage, ledger and receipt — the steady-state monthly payment.${first.phases.some((p) => p.phase.name === SNAP_PHASE) ? ` The SNAP phase pays the open renewal bills of ${f0(S.snapMembers)} more members (seeded the same way) through \`POST ${SNAP_PAYMENT_PATH}\`, as a bank does after its inquiry: the member's VA (partnerServiceId + KPJ), a B2B access token obtained once with the development partner key (RSA), and each request signed with HMAC-SHA512 and a unique X-EXTERNAL-ID — built and signed before the timed run (bench/snap-load.ts), so the load generator only sends them. Each settles through the same settlement function, after the SNAP checks (token, timestamp, signature, headers, external id) and the member and bill look-ups of the VA route.` : ''}`,
    );
  }
  for (const note of o.notes) {
    lines.push(`- ${note}`);
  }
  lines.push('');
  lines.push('## pgbench yardstick');
  lines.push('');
  if (o.pgb) {
    lines.push('| Command | TPS | latency avg ms | p50 ms | p99 ms | transactions | CPU % of one core: pgbench / PostgreSQL / other processes |');
    lines.push('|---|---:|---:|---:|---:|---:|---|');
    const c = o.pgb.cpu;
    lines.push(
      `| \`${o.pgb.command}\` | ${f0(o.pgb.tps)} | ${f2(o.pgb.latencyAvgMs)} | ${f2(o.pgb.p50Ms)} | ${f2(o.pgb.p99Ms)} | ${f0(o.pgb.transactions)} | ${f0(Math.max(0, c.loadgen))} / ${f0(Math.max(0, c.postgres))} / ${f0(Math.max(0, c.others))} |`,
    );
    lines.push('');
    lines.push('Same cluster, same client count as the HTTP runs; p50/p99 from pgbench\'s per-transaction log.');
  } else {
    lines.push('Not run (no pgbench or no PostgreSQL).');
  }
  for (const r of o.runs) {
    lines.push('');
    lines.push(`## ${r.label}`);
    lines.push('');
    lines.push(`${r.version.split(',')[0] ?? r.version}; server pool size ${r.poolSize}. Seeded in ${f1(r.seedSeconds)} s.`);
    lines.push('');
    lines.push(dbTable(r));
    if (r.batches.length > 0) {
      lines.push('');
      lines.push(`Group commit (measured part of each notifications phase): ${r.batches.join('; ')}.`);
    }
    const n = r.phases.find((p) => p.phase.notAppliedSamples && p.phase.notAppliedSamples.length > 0)?.phase;
    if (n) {
      lines.push('');
      lines.push(`Responses that were not applied (first few): ${n.notAppliedSamples?.map((s) => `\`${s}\``).join(', ')}`);
    }
  }
  if (o.cycle) {
    lines.push('');
    lines.push(...cycleSection(o.cycle, o.pgVersion));
  }
  if (o.jht) {
    lines.push('');
    lines.push(...jhtSection(o.jht, o.pgVersion));
  }
  lines.push(...(o.dash ? ['', ...dashboardsSection(o.dash)] : []));
  lines.push(...(o.partner ? ['', ...partnerBatchSection(o.partner)] : []));
  lines.push(...(o.roster ? ['', ...rosterUploadSection(o.roster)] : []));
  lines.push('');
  lines.push('## Targets');
  lines.push('');
  lines.push('| Target | Measured | Ratio | Result |');
  lines.push('|---|---|---:|---|');
  for (const x of t) {
    lines.push(`| ${x.what} | ${x.measured} | ${x.ratio} | ${mark(x.met)} |`);
  }
  lines.push('');
  return lines.join('\n');
}

// ---------------------------------------------------------------------------------------------------- main

/** The yearly JHT crediting on the run's PostgreSQL (bench/jht.ts); null, with a note, without one. */
async function jhtPart(admin: ReturnType<typeof pgAdmin> | null, notes: string[]): Promise<JhtResult | null> {
  if (!admin) {
    notes.push('The yearly JHT crediting runs on PostgreSQL only, and there was none: not measured.');
    return null;
  }
  return benchJht({ settings: JHT, admin, log, onCleanup });
}

/** The dashboards part on the cycle's database (DASH_ON_CYCLE): measured by benchCycle's hook before it drops it. */
let dashOnCycle: DashResult | null = null;
const DASH_HOOK =
  has('dashboards') && DASH_ON_CYCLE
    ? {
        members: DASH.members,
        fn: async (url: string) => {
          const source = "the monthly cycle's database after its last run at this size (the cycle's bills, reminders and status changes included)";
          dashOnCycle = await dashboardsOn(url, { members: DASH.members, now: dashboardsNow(CYCLE.month), source, seedSeconds: null, log });
        },
      }
    : undefined;

/** The dashboards part when it does not ride on the cycle's database: a load of its own (bench/dashboards.ts). */
async function dashboardsPart(admin: ReturnType<typeof pgAdmin> | null, notes: string[]): Promise<DashResult | null> {
  if (!admin) {
    notes.push('The dashboards and search part runs on PostgreSQL only, and there was none: not measured.');
    return null;
  }
  return benchDashboards({ settings: DASH, admin, rules: defaultRuleBook, log, onCleanup });
}

async function main(): Promise<number> {
  const started = new Date();
  const t0 = performance.now();
  // A hard bound on the whole run: whatever hangs, the run cleans up and ends.
  const boundMinutes = process.env['BENCH_TIMEOUT_MIN'] ? intEnv('BENCH_TIMEOUT_MIN', 12) : Math.ceil(12 + (has('cycle') ? cycleBudgetMinutes(CYCLE) : 0) + (has('jht') ? jhtBudgetMinutes(JHT) : 0) + (has('dashboards') && !DASH_ON_CYCLE ? 3 + (15 * DASH.members) / 1_000_000 : 2) + (has('roster-upload') ? 25 : 0));
  log(`parts: ${[...SELECTED].join(', ')}; hard bound ${boundMinutes} minutes`);
  const watchdog = setTimeout(() => {
    process.stderr.write(`bench: exceeded ${boundMinutes} minutes, aborting\n`);
    void cleanupAll().then(() => {
      reaper.disarm();
      process.exit(124);
    });
  }, boundMinutes * 60_000);
  watchdog.unref();

  const notes: string[] = [];
  const background = await backgroundCpu(3_000);
  log(`CPU used by other processes before the run: ${f0(background)} % of one core`);
  let cluster: PgCluster | null = null;
  let pgUrl: string | undefined;
  let pgbenchUrl: string | undefined;
  if (S.externalUrl) {
    pgUrl = S.externalUrl;
    pgbenchUrl = S.externalUrl;
    notes.push('PostgreSQL from BENCH_DATABASE_URL: pgbench tables were created in it and dropped again.');
  } else if (postgresAvailable()) {
    log('starting a throwaway PostgreSQL cluster');
    cluster = await startCluster();
    const c = cluster;
    onCleanup('stop PostgreSQL', () => c.stop());
    reaper.add(c.shellStop);
    pgUrl = cluster.url('lindung_bench');
    pgbenchUrl = cluster.url('postgres');
    log(`PostgreSQL ${cluster.version} on 127.0.0.1:${cluster.port} (fsync ${cluster.settings['fsync']})`);
  } else {
    const msg = 'PostgreSQL 15 binaries not found in /usr/lib/postgresql/15/bin (apt-get install postgresql-15): only the embedded database was measured.';
    log(msg);
    notes.push(msg);
  }

  let pgVersion: string | null = cluster?.version ?? null;
  if (!pgVersion && pgUrl) {
    const client = new pg.Client({ connectionString: pgUrl });
    await client.connect();
    pgVersion = (await client.query<{ v: string }>('show server_version')).rows[0]?.v ?? null;
    await client.end();
  }

  let pgb: PgbenchResult | null = null;
  if (!has('pgbench')) {
    // not asked for
  } else if (pgbenchUrl && pgbenchPath()) {
    log(`pgbench yardstick: -i -s 10, then tpcb-like -c ${S.connections} -j ${PGBENCH_THREADS} -T 15`);
    const logDir = mkdtempSync(join(tmpdir(), 'lindung-bench-pgbench-'));
    onCleanup(`remove ${logDir}`, () => rmSync(logDir, { recursive: true, force: true }));
    reaper.add(`rm -rf '${logDir}'`);
    pgb = await pgbenchYardstick(pgbenchUrl, S.connections, PGBENCH_THREADS, 15, logDir, cluster?.postmasterPid());
    log(`pgbench: ${f0(pgb.tps)} TPS, p99 ${f2(pgb.p99Ms)} ms (other processes: ${f0(pgb.cpu.others)} % of one core)`);
  } else if (pgbenchUrl) {
    notes.push('pgbench not found (Debian ships it in postgresql-15): the pgbench-relative targets were not measured.');
  }

  const runs: DbRun[] = [];
  if (HTTP_PARTS.some(has)) {
    if (S.databases.includes('embedded')) {
      runs.push(await benchDatabase('embedded', undefined, cluster?.postmasterPid()));
    }
    if (pgUrl && S.databases.includes('postgres')) {
      runs.push(await benchDatabase('postgres', pgUrl, cluster?.postmasterPid()));
    }
  }

  const admin = cluster
    ? pgAdmin(cluster.url('postgres'), (name) => cluster.url(name))
    : S.externalUrl
      ? pgAdmin(S.externalUrl, (name) => {
          const u = new URL(S.externalUrl ?? '');
          u.pathname = `/${name}`;
          return u.toString();
        })
      : null;
  let cycle: CycleResult | null = null;
  if (has('cycle')) {
    if (admin) {
      cycle = await benchCycle({
        settings: CYCLE,
        admin,
        rules: defaultRuleBook,
        postmasterPid: cluster?.postmasterPid(),
        log,
        onSpawn: (pid) => reaper.addProcess(pid, 'cycle-worker'),
        onCleanup,
        ...(DASH_HOOK ? { afterLastRun: DASH_HOOK } : {}),
      });
    } else {
      notes.push('The monthly cycle runs on PostgreSQL only, and there was none: not measured.');
    }
  }
  const jht = has('jht') ? await jhtPart(admin, notes) : null;
  const dash = has('dashboards') && !DASH_ON_CYCLE ? await dashboardsPart(admin, notes) : dashOnCycle;
  let partner: PartnerBatchResult | null = null;
  if (has('partner-batch')) {
    if (admin) {
      partner = await benchPartnerBatch({ rows: intEnv('BENCH_PARTNER_ROWS', 100_000), admin, log, onCleanup });
    } else {
      notes.push('The partner enrolment batch runs on PostgreSQL only, and there was none: not measured.');
    }
  }
  let roster: RosterUploadResult | null = null;
  if (has('roster-upload')) {
    if (admin) {
      roster = await benchRosterUpload({ rows: intEnv('BENCH_ROSTER_ROWS', 100_000), admin, rules: defaultRuleBook, log, onCleanup });
    } else {
      notes.push('The government roster upload runs on PostgreSQL only, and there was none: not measured.');
    }
  }
  const cycleOthers = [...(cycle ? cycle.sizes.flatMap((z) => z.runs.flatMap((r) => r.days.map((d) => d.cpu.others))) : []), ...(jht ? [jht.cpu.others] : [])];
  const disturbed = Math.max(background, pgb?.cpu.others ?? 0, ...runs.flatMap((r) => r.phases.map((p) => p.phase.cpu?.others ?? 0)), ...cycleOthers);
  if (disturbed > 15) {
    notes.unshift(
      `**Disturbed run:** other processes on the machine used up to ${f0(disturbed)} % of one core (${f0(background)} % before the run; see the last column), so these numbers are lower than this machine can do. Run again on an idle machine before drawing conclusions.`,
    );
  } else {
    notes.push(`Other processes used ${f0(background)} % of one core before the run and at most ${f0(disturbed)} % during any phase: an undisturbed run.`);
  }

  const envUsed = [
    'BENCH_DATABASE_URL',
    'BENCH_ONLY',
    'BENCH_DATABASES',
    'BENCH_CONNECTIONS',
    'BENCH_DURATION',
    'BENCH_NOTIFY_DURATION',
    'BENCH_WARMUP',
    'BENCH_OPEN_BILLS',
    'BENCH_MEMBERS',
    'BENCH_SNAP_MEMBERS',
    'BENCH_POOL_SIZE',
    'BENCH_NODE_FLAGS',
    'BENCH_CYCLE',
    'BENCH_CYCLE_SIZES',
    'BENCH_CYCLE_CONCURRENCY',
    'BENCH_CYCLE_MONTH',
    'BENCH_CYCLE_DISCOVERY_SIZE',
    'BENCH_JHT',
    'BENCH_JHT_ACCOUNTS',
    'BENCH_JHT_LANES',
    'BENCH_JHT_SAMPLE',
    'BENCH_DASH',
    'BENCH_DASH_MEMBERS',
    'BENCH_PARTNER',
    'BENCH_PARTNER_ROWS',
    'BENCH_ROSTER',
    'BENCH_ROSTER_ROWS',
  ]
    .filter((k) => process.env[k])
    .map((k) => `${k}=${k === 'BENCH_DATABASE_URL' ? '…' : process.env[k]}`);
  const command = [...envUsed, 'npm run bench'].join(' ');
  const md = report({ started, seconds: (performance.now() - t0) / 1000, m: machine(), runs, pgb, pgVersion, pgSettings: cluster?.settings ?? null, notes, command, cycle, jht, dash, partner, roster });
  writeFileSync(S.out, md);
  process.stdout.write(`\n${md}\n`);
  log(`wrote ${S.out}`);
  const broken = targets(runs, pgb).filter((x) => (x.what.endsWith('every notification applied') || x.what.endsWith('every SNAP payment applied')) && x.met === false);
  return broken.length > 0 ? 1 : 0;
}

let code = 1;
try {
  code = await main();
} catch (err) {
  process.stderr.write(`bench failed: ${err instanceof Error ? (err.stack ?? err.message) : String(err)}\n`);
  code = 1;
} finally {
  await cleanupAll();
  reaper.disarm();
}
process.exit(code);
