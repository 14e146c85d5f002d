import { readFileSync } from 'node:fs';
import pg from 'pg';
import { compose } from '../src/compose.js';
import { loadConfig } from '../src/config.js';
import { migrateToLatest, openPostgres } from '../src/db/connect.js';
import { splitAtYear, yearCredit, type JhtMovement } from '../src/modules/jht/domain/jht-return.js';
import { findJob, scheduleJob } from '../src/modules/jobs/job-queue.js';
import { CYCLE_BATCH, jhtReturnJobs } from '../src/modules/jobs/monthly-cycle.js';
import { runDueJobs } from '../src/modules/jobs/run-due-jobs.js';
import { AdjustableClock } from '../src/shared/clock.js';
import { createLogger } from '../src/shared/logger.js';
import { localDateInJakarta } from '../src/shared/month.js';
import { type CycleTarget, type DatabaseAdmin, migratedDatabase } from './cycle.js';
import { settleDatabase } from './cycle-seed.js';
import { seedJhtDatabase, type JhtSeedResult } from './jht-seed.js';
import { readMemory, startCpuProbe, type CpuUse } from './proc.js';

/**
 * The yearly JHT crediting benchmark (issue 15: the year's returns over 1,000,000 accounts on PostgreSQL in at most
 * 60 s), PostgreSQL only: a database seeded set-based (bench/jht-seed.ts: a year of ledger rows per account), VACUUM
 * ANALYZE and a checkpoint, the year's rate entered; then, in this process, the real job: the crediting job as the
 * daily cycle of 1 January of Y+1 schedules it (jhtReturnJobs), run by runDueJobs with the default batch size and
 * the PostgreSQL server's default lanes, to completion. Timed: the runDueJobs call. Then a sample of accounts is
 * read back and each credit compared with the pure rule (domain/jht-return.ts yearCredit).
 */
export const JHT_TARGET = { accounts: 1_000_000, seconds: 60 } as const;

export interface JhtSettings {
  accounts: number;
  year: number;
  rateBp: number;
  lanes: number;
  sample: number;
}

export interface JhtResult {
  settings: JhtSettings;
  seed: JhtSeedResult;
  settleSeconds: number;
  wallSec: number;
  outcome: string;
  progress: Record<string, unknown>;
  ledgerRowsRead: number;
  cpu: CpuUse;
  rssMiB: number;
  sample: { checked: number; withdrawals: number; mismatches: string[] };
}

/** The postmaster of a local server: the parent of this connection's backend (null if not on this machine). */
async function postmasterOf(client: pg.Client): Promise<number | null> {
  const pid = (await client.query<{ pid: number }>('select pg_backend_pid() as pid')).rows[0]?.pid;
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    return Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[1]);
  } catch {
    return null;
  }
}

async function withClient<T>(url: string, fn: (c: pg.Client) => Promise<T>): Promise<T> {
  const c = new pg.Client({ connectionString: url });
  await c.connect();
  try {
    return await fn(c);
  } finally {
    await c.end();
  }
}

/** Runs the crediting job of `year` to completion as the cycle of 1 January of year+1 schedules it; timed. */
async function runCrediting(url: string, s: JhtSettings, postmasterPid: number | null) {
  const config = loadConfig({ NODE_ENV: 'development', LOG_LEVEL: 'warn', DATABASE_URL: url });
  const handle = await openPostgres(url, config.databasePoolSize);
  const clock = new AdjustableClock();
  clock.set(new Date(`${s.year + 1}-01-01T07:01:00+07:00`));
  const { deps } = compose(config, handle, { clock, logger: createLogger('warn'), transports: { email: null, sms: null } });
  try {
    const now = clock.now();
    const jobs = await jhtReturnJobs(deps.db, `${s.year + 1}-01-01`, now);
    if (jobs.length !== 1) {
      throw new Error(`jht: expected one crediting job, the cycle schedules ${jobs.map((j) => j.id).join(', ') || 'none'}`);
    }
    const job = jobs[0]!;
    await scheduleJob(deps.db, job, now);
    const probe = startCpuProbe(postmasterPid ? { postgres: postmasterPid } : {});
    const t0 = performance.now();
    const ran = await runDueJobs(deps, { recurring: [], lanes: s.lanes, concurrency: 1 });
    const wallSec = (performance.now() - t0) / 1000;
    const cpu = probe();
    const row = await findJob(deps.db, job.id);
    const outcome = ran.jobs.find((j) => j.id === job.id)?.outcome ?? 'not run';
    return { wallSec, cpu, outcome, progress: (row?.progress ?? {}) as Record<string, unknown>, rssMiB: readMemory(process.pid).rssMiB };
  } finally {
    await handle.close();
  }
}

/** Reads a sample of accounts back and compares each credit with yearCredit over the same ledger rows. */
async function verifySample(client: pg.Client, s: JhtSettings): Promise<JhtResult['sample']> {
  const step = Math.max(1, Math.floor(s.accounts / s.sample));
  const picked = await client.query<{ kpj: string }>(
    `(select kpj from participant order by id limit $1)
     union
     (select substr(debit_account, 5) from ledger_transfer where code = 'claim_benefit' limit 200)
     union
     (select kpj from (select kpj, row_number() over (order by id) as n from participant) x where n % $2 = 0 limit $3)`,
    [20, step, s.sample],
  );
  const accounts = picked.rows.map((r) => `jht:${r.kpj}`);
  const { rows } = await client.query<{ account: string; signed: string; code: string; ref: string; created_at: Date; id: string }>(
    `select credit_account as account, amount as signed, code, ref, created_at, id from ledger_transfer where credit_account = any ($1::text[])
     union all
     select debit_account, -amount, code, ref, created_at, id from ledger_transfer where debit_account = any ($1::text[])`,
    [accounts],
  );
  const own = `jht-return:${s.year}`;
  const byAccount = new Map<string, { movements: JhtMovement[]; interim: number; credited: number }>(accounts.map((a) => [a, { movements: [], interim: 0, credited: 0 }]));
  for (const r of rows) {
    const a = byAccount.get(r.account)!;
    const amount = Number(r.signed);
    if (r.code === 'jht_return' && r.ref === own) {
      a.credited += amount;
      continue;
    }
    a.movements.push({ date: r.code === 'jht_return' ? `${r.ref.split(':')[1]}-12-31` : localDateInJakarta(r.created_at), amount });
    if (r.code === 'jht_interim_return' && r.ref === `jht-interim:${s.year}`) {
      a.interim += amount;
    }
  }
  const mismatches: string[] = [];
  let withdrawals = 0;
  for (const [account, a] of byAccount) {
    withdrawals += a.movements.some((m) => m.amount < 0) ? 1 : 0;
    const expected = yearCredit({ year: s.year, ...splitAtYear(s.year, a.movements), rateBp: s.rateBp, interimReturns: a.interim });
    if (expected !== a.credited) {
      mismatches.push(`${account}: credited ${a.credited}, the rule says ${expected}`);
    }
  }
  return { checked: byAccount.size, withdrawals, mismatches };
}

export async function benchJht(o: { settings: JhtSettings; admin: DatabaseAdmin; log: (m: string) => void; onCleanup: (name: string, fn: () => unknown) => void }): Promise<JhtResult> {
  const s = o.settings;
  const name = `lindung_jht_${process.pid}`;
  const url = await migratedDatabase(o.admin, name, o.onCleanup);
  o.log(`jht: seeding ${s.accounts.toLocaleString('en-US')} JHT accounts with a year (${s.year}) of ledger rows (set-based)`);
  const seed = await seedJhtDatabase(url, { accounts: s.accounts, year: s.year, log: o.log });
  o.log(`jht: seeded in ${seed.seconds.toFixed(1)} s (${Object.entries(seed.rows).map(([k, v]) => `${k} ${v.toLocaleString('en-US')}`).join(', ')}); VACUUM ANALYZE`);
  let t = performance.now();
  await settleDatabase(url);
  const settleSeconds = (performance.now() - t) / 1000;
  const postmasterPid = await withClient(url, async (c) => {
    await c.query(`insert into jht_rate (year, rate_bp, set_at, set_by) values ($1, $2, now(), 'bench')`, [s.year, s.rateBp]);
    return postmasterOf(c);
  });
  o.log(`jht: crediting ${s.year} at ${s.rateBp} bp (batch ${CYCLE_BATCH.size}, ${s.lanes} lane${s.lanes === 1 ? '' : 's'})`);
  t = performance.now();
  const run = await runCrediting(url, s, postmasterPid);
  o.log(`jht: ${run.outcome} in ${run.wallSec.toFixed(1)} s (${JSON.stringify(run.progress)})`);
  const sample = await withClient(url, (c) => verifySample(c, s));
  o.log(`jht: sample of ${sample.checked} accounts (${sample.withdrawals} with withdrawals): ${sample.mismatches.length} mismatches`);
  await o.admin.drop(name);
  return { settings: s, seed, settleSeconds, ledgerRowsRead: seed.rows['ledger_transfer'] ?? 0, ...run, sample };
}

// ---------------------------------------------------------------------------------------------------- report

const f0 = (n: number) => (Number.isFinite(n) ? Math.round(n).toLocaleString('en-US') : 'n/a');
const f1 = (n: number) => (Number.isFinite(n) ? n.toFixed(1) : 'n/a');

export function jhtSection(r: JhtResult, pgVersion: string | null): string[] {
  const s = r.settings;
  const p = r.progress;
  const c = r.cpu;
  return [
    '## Yearly JHT crediting (PostgreSQL 15)',
    '',
    `The crediting of ${s.year}'s JHT returns (hasil pengembangan) over ${f0(s.accounts)} accounts at ${s.rateBp} bp, by the real job: \`jht-returns:${s.year}\` as the daily cycle of ${s.year + 1}-01-01 schedules it (jhtReturnJobs), run by \`runDueJobs\` in the benchmark's process over the real composition root, batch ${f0(CYCLE_BATCH.size)} participants, ${s.lanes} lane${s.lanes === 1 ? '' : 's'} (the PostgreSQL default), to completion. Each batch is one set-based statement (src/modules/jht/jht-crediting.ts).${pgVersion ? ` PostgreSQL ${pgVersion}, as above.` : ''} Run it alone: \`BENCH_ONLY=jht npm run bench\`; \`BENCH_JHT_ACCOUNTS\` (default 1000000), \`BENCH_JHT_LANES\`, \`BENCH_JHT=0\` leaves it out.`,
    '',
    `- Data (bench/jht-seed.ts, set-based): per account an opening contribution in ${s.year - 1} and its ${s.year - 1} return, 12 contributions in ${s.year} on varied days and hours (some after 17:00 UTC: the WIB day), 3 % a partial withdrawal, 1 % a full withdrawal with its interim return; ${Object.entries(r.seed.rows).map(([k, v]) => `${k} ${f0(v)}`).join(', ')}, seeded in ${f1(r.seed.seconds)} s; VACUUM ANALYZE and checkpoint ${f1(r.settleSeconds)} s.`,
    `- Checked: ${f0(r.sample.checked)} accounts read back (${f0(r.sample.withdrawals)} with a withdrawal), each credit compared with the pure rule (yearCredit): ${r.sample.mismatches.length === 0 ? 'all equal' : `**${r.sample.mismatches.length} differ**: ${r.sample.mismatches.slice(0, 3).join('; ')}`}.`,
    '',
    '| Accounts | Job | Wall s | Accounts/s | Ledger rows read/s | Credited | Amount credited, Rp | Runner RSS MiB | CPU % of one core: runner / PostgreSQL / other processes |',
    '|---:|---|---:|---:|---:|---:|---:|---:|---|',
    `| ${f0(s.accounts)} | ${r.outcome} | ${f1(r.wallSec)} | ${f0(s.accounts / r.wallSec)} | ${f0(r.ledgerRowsRead / r.wallSec)} | ${f0(Number(p['credited']))} | ${f0(Number(p['amount']))} | ${f0(r.rssMiB)} | ${f0(Math.max(0, c.loadgen))} / ${f0(Math.max(0, c.postgres))} / ${f0(Math.max(0, c.others))} |`,
  ];
}

export function jhtTargets(r: JhtResult): CycleTarget[] {
  const full = r.settings.accounts >= JHT_TARGET.accounts;
  const ok = r.outcome === 'done' && r.sample.mismatches.length === 0;
  return [
    {
      what: `Yearly JHT crediting ≤ ${JHT_TARGET.seconds} s for ${f0(JHT_TARGET.accounts)} accounts (every credit of the sample equal to the pure rule)`,
      measured: `${f1(r.wallSec)} s at ${f0(r.settings.accounts)} accounts${full ? '' : ` (× ${f0(JHT_TARGET.accounts / r.settings.accounts)} linearly: ${f0((r.wallSec * JHT_TARGET.accounts) / r.settings.accounts)} s)`}; job ${r.outcome}; ${r.sample.mismatches.length} of ${f0(r.sample.checked)} sampled differ`,
      ratio: full ? `${(r.wallSec / JHT_TARGET.seconds).toFixed(2)} ×` : '',
      met: full ? r.wallSec <= JHT_TARGET.seconds && ok : ok ? null : false,
    },
  ];
}

/** A rough bound on this benchmark's duration, for the run's watchdog. */
export function jhtBudgetMinutes(s: JhtSettings): number {
  return 3 + (12 * s.accounts) / 1_000_000;
}
