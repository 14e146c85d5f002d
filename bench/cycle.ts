import { spawn } from 'node:child_process';
import { join } from 'node:path';
import pg from 'pg';
import { loadConfig } from '../src/config.js';
import { migrateToLatest, openPostgres } from '../src/db/connect.js';
import type { RuleBook } from '../src/modules/contributions/domain/rule-book.js';
import { dueDate } from '../src/modules/contributions/domain/due-date.js';
import { CYCLE_BATCH } from '../src/modules/jobs/monthly-cycle.js';
import { addDays, addMonths, monthInJakarta, monthOfDate, type LocalDate, type Month } from '../src/shared/month.js';
import { CYCLE_MIX, seedCycleDatabase, settleDatabase, type CycleSeedResult } from './cycle-seed.js';
import { CYCLE_TIMES, type CycleDayResult, type CycleWorkerInput } from './cycle-worker.js';

/**
 * The monthly cycle benchmark (issue 4: at most 60 s per day of the cycle for 1,000,000 members), PostgreSQL only:
 *
 * 1. Which days: the whole cycle month is run once on a small population (`discoverySize` members), and the days
 *    on which the cycle did more than the daily status check — a job of another kind (dues, reminders, whatever the
 *    daily cycle schedules by then) or any status change — are kept, with the first ordinary day (status check
 *    only) as the baseline every day pays.
 * 2. Per size: a database seeded set-based (bench/cycle-seed.ts), VACUUM ANALYZE, checkpoint; then per runner
 *    concurrency a copy of it (CREATE DATABASE … TEMPLATE), over which bench/cycle-worker.ts runs those days.
 */

export const CYCLE_TARGET = { members: 1_000_000, secondsPerDay: 60 } as const;

export interface CycleSettings {
  sizes: number[];
  concurrencies: number[];
  month: Month;
  discoverySize: number;
}

/** Creates and drops databases on the benchmark's PostgreSQL server. */
export interface DatabaseAdmin {
  url(name: string): string;
  create(name: string, template?: string): Promise<void>;
  drop(name: string): Promise<void>;
}

/** A fresh database `name` on the bench cluster, migrated to the latest schema and dropped at cleanup; its URL. */
export async function migratedDatabase(admin: DatabaseAdmin, name: string, onCleanup: (name: string, fn: () => unknown) => void): Promise<string> {
  await admin.create(name);
  onCleanup(`drop database ${name}`, () => admin.drop(name));
  const url = admin.url(name);
  const handle = await openPostgres(url, 2);
  try {
    await migrateToLatest(handle.db);
  } finally {
    await handle.close();
  }
  return url;
}

export interface SelectedDay {
  day: LocalDate;
  why: string;
}

export interface CycleRun {
  concurrency: number;
  days: CycleDayResult[];
}

export interface CycleSize {
  members: number;
  seed: CycleSeedResult;
  settleSeconds: number;
  copySeconds: number;
  runs: CycleRun[];
}

export interface CycleResult {
  settings: CycleSettings;
  dueDate: LocalDate;
  discovery: CycleDayResult[];
  selected: SelectedDay[];
  sizes: CycleSize[];
}

export function pgAdmin(adminUrl: string, urlFor: (name: string) => string): DatabaseAdmin {
  const withClient = async <T>(fn: (c: pg.Client) => Promise<T>): Promise<T> => {
    const c = new pg.Client({ connectionString: adminUrl });
    await c.connect();
    try {
      return await fn(c);
    } finally {
      await c.end();
    }
  };
  return {
    url: urlFor,
    create: (name, template) =>
      withClient(async (c) => {
        // FILE_COPY copies the template's files after a checkpoint instead of writing all of it to the WAL.
        await c.query(template ? `create database ${name} template ${template} strategy file_copy` : `create database ${name}`);
      }),
    drop: (name) => withClient(async (c) => void (await c.query(`drop database if exists ${name} with (force)`))),
  };
}

/** Every day of the month, in order. */
export function daysOf(month: Month): LocalDate[] {
  const out: LocalDate[] = [];
  for (let d = `${month}-01`; monthOfDate(d) === month; d = addDays(d, 1)) {
    out.push(d);
  }
  return out;
}

const isRoutine = (day: string, id: string) => id === `cycle:${day}` || id === `status:${day}`;

function sumWhere(written: Record<string, number>, test: (k: string) => boolean): number {
  return Object.entries(written)
    .filter(([k]) => test(k))
    .reduce((a, [, v]) => a + v, 0);
}

export const billsOpened = (w: Record<string, number>) => sumWhere(w, (k) => k.startsWith('bill:'));
export const remindersQueued = (w: Record<string, number>) => sumWhere(w, (k) => k.startsWith('outbox:due_reminder'));
export const statusChanges = (w: Record<string, number>) => w['membership_status_change'] ?? 0;
export const statusMessages = (w: Record<string, number>) => sumWhere(w, (k) => k.startsWith('outbox:status_changed'));

/** The days worth measuring, from a run over every day of the month. */
export function selectDays(discovery: readonly CycleDayResult[]): SelectedDay[] {
  const out: SelectedDay[] = [];
  let baseline = false;
  for (const d of discovery) {
    const other = d.jobs.filter((j) => !isRoutine(d.day, j.id)).map((j) => j.id);
    const changes = statusChanges(d.written);
    const bills = billsOpened(d.written);
    const why: string[] = [];
    if (other.length > 0) {
      why.push(other.join(', '));
    }
    if (changes > 0) {
      why.push('status changes');
    }
    if (bills > 0 && other.length === 0) {
      why.push('bills opened');
    }
    if (why.length > 0) {
      out.push({ day: d.day, why: why.join('; ') });
    } else if (!baseline && d.jobs.some((j) => j.id === `status:${d.day}`)) {
      baseline = true;
      out.push({ day: d.day, why: 'ordinary day: the daily status check only' });
    }
  }
  return out;
}

function runWorker(input: CycleWorkerInput, onSpawn: (pid: number) => void, log: (m: string) => void, label: string): Promise<CycleDayResult[]> {
  const repo = join(import.meta.dirname, '..');
  const tsx = join(repo, 'node_modules', 'tsx', 'dist', 'cli.mjs');
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [tsx, join('bench', 'cycle-worker.ts'), JSON.stringify(input)], {
      cwd: repo,
      env: { ...process.env, PATH: `${join(repo, 'node_modules', '.bin')}:${process.env['PATH'] ?? ''}` },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    if (child.pid !== undefined) {
      onSpawn(child.pid);
    }
    const days: CycleDayResult[] = [];
    let buffer = '';
    let errors = '';
    child.stdout.on('data', (d: Buffer) => {
      buffer += d.toString();
      let nl: number;
      while ((nl = buffer.indexOf('\n')) >= 0) {
        const line = buffer.slice(0, nl);
        buffer = buffer.slice(nl + 1);
        if (line.startsWith('CYCLE ')) {
          const day = JSON.parse(line.slice(6)) as CycleDayResult;
          days.push(day);
          const failed = day.jobs.filter((j) => j.outcome !== 'done');
          log(`${label} ${day.day}: ${day.wallSec.toFixed(1)} s, ${day.jobs.length} jobs${failed.length ? ` (NOT DONE: ${failed.map((j) => `${j.id} ${j.outcome}`).join(', ')})` : ''}`);
        }
      }
    });
    child.stderr.on('data', (d: Buffer) => {
      errors = (errors + d.toString()).slice(-20_000);
    });
    child.on('close', (code) => {
      if (code === 0) {
        resolve(days);
      } else {
        reject(new Error(`cycle worker exited ${code}:\n${errors}`));
      }
    });
  });
}

async function migrate(url: string): Promise<void> {
  const handle = await openPostgres(url, 2);
  try {
    await migrateToLatest(handle.db);
  } finally {
    await handle.close();
  }
}

export async function benchCycle(o: {
  settings: CycleSettings;
  admin: DatabaseAdmin;
  rules: RuleBook;
  postmasterPid: number | undefined;
  log: (m: string) => void;
  /** Registers a process the reaper must stop if the benchmark dies. */
  onSpawn: (pid: number) => void;
  onCleanup: (name: string, fn: () => unknown) => void;
  /** Called with the database of the last run at `members` before it is dropped (bench/dashboards.ts measures on it). */
  afterLastRun?: { members: number; fn: (url: string) => Promise<void> };
}): Promise<CycleResult> {
  const { settings: s, admin, log } = o;
  const prefix = `lindung_cycle_${process.pid}`;
  const created: string[] = [];
  const create = async (name: string, template?: string) => {
    await admin.create(name, template);
    created.push(name);
    o.onCleanup(`drop database ${name}`, () => admin.drop(name));
  };
  const drop = async (name: string) => {
    await admin.drop(name);
  };
  const seed = async (name: string, members: number): Promise<CycleSeedResult> => {
    await create(name);
    await migrate(admin.url(name));
    return seedCycleDatabase(admin.url(name), { members, month: s.month, rules: o.rules });
  };
  // loadConfig: only to fail early if the worker's configuration would not load.
  loadConfig({ NODE_ENV: 'development', LOG_LEVEL: 'warn' });

  // 1. Which days matter.
  const discoveryDb = `${prefix}_days`;
  log(`cycle: ${s.month} on ${s.discoverySize} members, every day, to find the days that matter`);
  await seed(discoveryDb, s.discoverySize);
  await settleDatabase(admin.url(discoveryDb));
  const discovery = await runWorker(
    { url: admin.url(discoveryDb), days: daysOf(s.month), concurrency: 1, lanes: 1, ...(o.postmasterPid ? { postmasterPid: o.postmasterPid } : {}) },
    o.onSpawn,
    () => {},
    'discovery',
  );
  await drop(discoveryDb);
  const notDone = discovery.flatMap((d) => d.jobs.filter((j) => j.outcome !== 'done').map((j) => `${d.day} ${j.id} ${j.outcome}`));
  if (notDone.length > 0) {
    throw new Error(`cycle: jobs did not finish on the small population: ${notDone.join(', ')}`);
  }
  const selected = selectDays(discovery);
  log(`cycle: days measured: ${selected.map((d) => `${d.day} (${d.why})`).join('; ')}`);

  // 2. Each size.
  const sizes: CycleSize[] = [];
  for (const members of s.sizes) {
    const base = `${prefix}_${members}`;
    log(`cycle: seeding ${members.toLocaleString('en-US')} members (set-based)`);
    const seedResult = await seed(base, members);
    log(`cycle: seeded in ${seedResult.seconds.toFixed(1)} s (${Object.entries(seedResult.rows).map(([k, v]) => `${k} ${v.toLocaleString('en-US')}`).join(', ')}); VACUUM ANALYZE`);
    let t = performance.now();
    await settleDatabase(admin.url(base));
    const settleSeconds = (performance.now() - t) / 1000;
    // One pristine copy per concurrency beyond the first (the first runs on the seeded database itself).
    t = performance.now();
    const dbs = [base];
    for (let i = 1; i < s.concurrencies.length; i++) {
      const copy = `${base}_c${i}`;
      await create(copy, base);
      dbs.push(copy);
    }
    const copySeconds = (performance.now() - t) / 1000;
    const runs: CycleRun[] = [];
    for (let i = 0; i < s.concurrencies.length; i++) {
      const concurrency = s.concurrencies[i] as number;
      const db = dbs[i] as string;
      log(`cycle: ${members.toLocaleString('en-US')} members, runner concurrency ${concurrency}, lanes ${concurrency}: ${selected.length} days`);
      const days = await runWorker(
        { url: admin.url(db), days: selected.map((d) => d.day), concurrency, lanes: concurrency, ...(o.postmasterPid ? { postmasterPid: o.postmasterPid } : {}) },
        o.onSpawn,
        log,
        `cycle ${members} c${concurrency}`,
      );
      runs.push({ concurrency, days });
      await (o.afterLastRun?.members === members && i === s.concurrencies.length - 1 ? o.afterLastRun.fn(admin.url(db)) : undefined);
      await drop(db);
    }
    sizes.push({ members, seed: seedResult, settleSeconds, copySeconds, runs });
  }
  return { settings: s, dueDate: dueDate(s.month, o.rules), discovery, selected, sizes };
}

// ---------------------------------------------------------------------------------------------------- report

const f0 = (n: number) => (Number.isFinite(n) ? Math.round(n).toLocaleString('en-US') : 'n/a');
const f1 = (n: number) => (Number.isFinite(n) ? n.toFixed(1) : 'n/a');

export interface CycleTarget {
  what: string;
  measured: string;
  ratio: string;
  met: boolean | null;
}

function worst(run: CycleRun): CycleDayResult | undefined {
  return run.days.reduce<CycleDayResult | undefined>((w, d) => (w === undefined || d.wallSec > w.wallSec ? d : w), undefined);
}

function jobsCell(d: CycleDayResult): string {
  const shown = d.jobs
    .filter((j) => j.id !== `cycle:${d.day}`)
    .map((j) => `${j.id.replace(`:${d.day}`, '')} ${j.seconds === null ? '?' : f1(j.seconds)} s${j.outcome === 'done' ? '' : ` **${j.outcome}**`}`);
  return `${d.jobs.length}: ${shown.join(', ') || '—'}`;
}

function otherRows(w: Record<string, number>): string {
  const known = (k: string) =>
    k.startsWith('bill:') || k === 'bill' || k.startsWith('outbox:due_reminder') || k.startsWith('outbox:status_changed') || k === 'outbox_message' || k === 'membership_status_change' || k === 'job';
  const rest = Object.entries(w).filter(([k, v]) => !known(k) && v !== 0);
  const otherOutbox = sumWhere(w, (k) => k.startsWith('outbox:') && !k.startsWith('outbox:due_reminder') && !k.startsWith('outbox:status_changed'));
  const parts = rest.map(([k, v]) => `${k} ${f0(v)}`);
  if (otherOutbox !== 0) {
    const templates = Object.entries(w)
      .filter(([k]) => k.startsWith('outbox:') && !k.startsWith('outbox:due_reminder') && !k.startsWith('outbox:status_changed'))
      .map(([k, v]) => `${k.slice(7)} ${f0(v)}`);
    parts.push(`outbox ${templates.join(', ')}`);
  }
  return parts.join('; ') || '—';
}

function bills(w: Record<string, number>): string {
  const n = billsOpened(w);
  if (n === 0) {
    return '0';
  }
  const kinds = Object.entries(w)
    .filter(([k, v]) => k.startsWith('bill:') && v !== 0)
    .map(([k, v]) => `${k.slice(5)} ${f0(v)}`);
  return `${f0(n)} (${kinds.join(', ')})`;
}

export function cycleSection(r: CycleResult, pgVersion: string | null): string[] {
  const s = r.settings;
  const lines: string[] = [];
  lines.push('## Monthly cycle (PostgreSQL 15)');
  lines.push('');
  lines.push(
    `The daily cycle of ${s.month} (due date ${r.dueDate}) over generated members, run by the real job runner: \`runDueJobs\` (src/modules/jobs/run-due-jobs.ts) with its default handlers, recurring jobs and batch size (${f0(CYCLE_BATCH.size)} members a batch), in a Node process of its own (bench/cycle-worker.ts, the real composition root, pool size ${loadConfig({ NODE_ENV: 'development' }).databasePoolSize}) whose AdjustableClock is set to ${CYCLE_TIMES.join(' and ')} WIB of each day; at each it runs whatever is due until nothing is. Wall time is those calls only; the rows a day wrote come from every table's row count before and after it. PostgreSQL ${pgVersion ?? ''} as above (same cluster, durable commits).`,
  );
  lines.push('');
  const mix = CYCLE_MIX.map((c) => `${c.offset === 0 ? 'M' : c.offset > 0 ? `M+${c.offset}` : `M${c.offset}`} ${c.weight} %`).join(', ');
  lines.push(
    `- Members: seeded set-based in PostgreSQL by bench/cycle-seed.ts (generate_series; prices from priceContribution for each income, programs, sector and funding): population, completed registration, participant, a paid first bill and a paid renewal bill with their lines, payments, coverage months, ledger transfers, and the status changes already recorded before ${s.month} — within every constraint of the migrations. Covered through (M = ${s.month}): ${mix}; 1–6 months covered each; JKK+JKM 70 %, with JHT 30 %; incomes on the ladder from Rp1.000.000 (40 %) to Rp10.000.000; 45 % transport occupations; 5 % sponsor-funded; every member with an email address and a mobile number. The outbox starts empty; no auto-debit mandates or wallet balances are seeded, so auto-debit jobs, if the cycle schedules them, run over none (bench/collection-cycle.ts measures those).`,
  );
  lines.push(
    `- Days: the whole month was first run on ${f0(s.discoverySize)} members; measured are the days on which the cycle did more than the daily status check, and the first ordinary day: ${r.selected.map((d) => `${d.day} (${d.why})`).join('; ')}.`,
  );
  lines.push('- Run the cycle benchmark alone: `BENCH_ONLY=cycle npm run bench` (a partial run writes its report to BENCH_OUT, by default a file in the temp directory, not this page). Sizes: `BENCH_CYCLE_SIZES=100000,1000000`; runner settings: `BENCH_CYCLE_CONCURRENCY=1,2` (each value is both the runner\'s concurrency and its lanes); month: `BENCH_CYCLE_MONTH=YYYY-MM`; `BENCH_CYCLE=0` leaves it out of a full run.');
  for (const size of r.sizes) {
    lines.push('');
    lines.push(`### ${f0(size.members)} members`);
    lines.push('');
    lines.push(
      `Seeded in ${f1(size.seed.seconds)} s (${Object.entries(size.seed.rows).map(([k, v]) => `${k} ${f0(v)}`).join(', ')}); VACUUM ANALYZE and checkpoint ${f1(size.settleSeconds)} s${size.copySeconds > 0.05 ? `; database copied for the second runner setting in ${f1(size.copySeconds)} s` : ''}.`,
    );
    for (const run of size.runs) {
      lines.push('');
      lines.push(`${runnerSetting(run.concurrency)}${run.concurrency > 1 ? ` (the server's default on PostgreSQL: a day's jobs run side by side, and each job that walks the participants does so in ${run.concurrency} id ranges at once, each on its own connection)` : ' (one job at a time, one lane)'}:`);
      lines.push('');
      lines.push('| Day | Jobs run: job s | Wall s | Bills opened | Reminders queued | Status changes / messages | Other rows written | Runner RSS / peak MiB | Database MiB | CPU % of one core: runner / PostgreSQL / other processes |');
      lines.push('|---|---|---:|---:|---:|---:|---|---:|---:|---|');
      const w = worst(run);
      for (const d of run.days) {
        const c = d.cpu;
        const day = d === w ? `**${d.day}** (worst)` : d.day;
        lines.push(
          `| ${day} | ${jobsCell(d)} | ${f1(d.wallSec)} | ${bills(d.written)} | ${f0(remindersQueued(d.written))} | ${f0(statusChanges(d.written))} / ${f0(statusMessages(d.written))} | ${otherRows(d.written)} | ${f0(d.rssMiB)} / ${f0(d.hwmMiB)} | ${f0(d.dbSizeMiB)} | ${f0(Math.max(0, c.loadgen))} / ${f0(Math.max(0, c.postgres))} / ${f0(Math.max(0, c.others))} |`,
        );
      }
    }
  }
  return lines;
}

/** A run's runner setting: JOB_CONCURRENCY and JOB_LANES both `c`. */
function runnerSetting(c: number): string {
  return `Runner concurrency ${c}, ${c} lane${c === 1 ? '' : 's'}`;
}

export function cycleTargets(r: CycleResult): CycleTarget[] {
  const out: CycleTarget[] = [];
  const what = (c: number) => `Monthly cycle: worst day ≤ ${CYCLE_TARGET.secondsPerDay} s for ${f0(CYCLE_TARGET.members)} members (${runnerSetting(c).toLowerCase()})`;
  const full = r.sizes.filter((s) => s.members >= CYCLE_TARGET.members);
  const largest = r.sizes.reduce<CycleSize | undefined>((a, s) => (a === undefined || s.members > a.members ? s : a), undefined);
  for (const size of full.length > 0 ? full : largest ? [largest] : []) {
    for (const run of size.runs) {
      const w = worst(run);
      if (!w) {
        continue;
      }
      const failed = run.days.flatMap((d) => d.jobs.filter((j) => j.outcome !== 'done'));
      // The stricter reading of the goal: all of the month's cycle work (every measured day's wall time summed; the
      // ordinary days not measured each cost about what the first ordinary day does, and are left out).
      const monthSec = run.days.reduce((a, d) => a + d.wallSec, 0);
      if (size.members >= CYCLE_TARGET.members) {
        out.push({
          what: `Monthly cycle: the measured days summed ≤ ${CYCLE_TARGET.secondsPerDay} s for ${f0(CYCLE_TARGET.members)} members (${runnerSetting(run.concurrency).toLowerCase()})`,
          measured: `${f1(monthSec)} s over ${run.days.length} days at ${f0(size.members)} members`,
          ratio: `${(monthSec / CYCLE_TARGET.secondsPerDay).toFixed(2)} ×`,
          met: monthSec <= CYCLE_TARGET.secondsPerDay && failed.length === 0,
        });
      }
      if (size.members >= CYCLE_TARGET.members) {
        out.push({
          what: what(run.concurrency),
          measured: `${f1(w.wallSec)} s on ${w.day} at ${f0(size.members)} members${failed.length ? `; ${failed.length} job(s) not done` : ''}`,
          ratio: `${(w.wallSec / CYCLE_TARGET.secondsPerDay).toFixed(2)} ×`,
          met: w.wallSec <= CYCLE_TARGET.secondsPerDay && failed.length === 0,
        });
      } else {
        const scaled = (w.wallSec * CYCLE_TARGET.members) / size.members;
        out.push({
          what: what(run.concurrency),
          measured: `not run at ${f0(CYCLE_TARGET.members)}; ${f1(w.wallSec)} s on ${w.day} at ${f0(size.members)} members (× ${f0(CYCLE_TARGET.members / size.members)} linearly: ${f0(scaled)} s)`,
          ratio: '',
          met: null,
        });
      }
    }
  }
  return out;
}

/** A rough bound on the cycle benchmark's duration, for the run's watchdog. */
export function cycleBudgetMinutes(s: CycleSettings): number {
  const perMillion = 8 + 12 * s.concurrencies.length;
  return 3 + s.sizes.reduce((a, n) => a + 2 + (perMillion * n) / 1_000_000, 0);
}

/** The month after the current one (Jakarta). */
export function defaultCycleMonth(now: Date): Month {
  return addMonths(monthInJakarta(now), 1);
}
