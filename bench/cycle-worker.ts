/**
 * The monthly cycle's job runner in a process of its own, as a deployment runs it next to the server: the real
 * runDueJobs (src/modules/jobs/run-due-jobs.ts, default handlers, recurring jobs and batch size) over the real
 * composition root, with an AdjustableClock moved to each given day. Started by bench/cycle.ts; one JSON line per
 * day on stdout (prefixed `CYCLE `), so the memory it reports is the runner's own.
 *
 * Per day: the clock is set to CYCLE_TIMES of that day (WIB) in turn; at each, runDueJobs is called until it finds
 * nothing due (at most MAX_PASSES passes). Timed: those calls only. Then, untimed: every table's row count (to report
 * what the day wrote), the jobs' own durations (job.started_at → finished_at: the AdjustableClock runs in real time),
 * this process's RSS and the database size.
 *
 * Input: one JSON argument {url, days, concurrency, lanes, postmasterPid?}: the runner's JOB_CONCURRENCY and JOB_LANES.
 */
import { resolve } from 'node:path';
import { sql } from 'kysely';
import { compose } from '../src/compose.js';
import { loadConfig } from '../src/config.js';
import { openPostgres } from '../src/db/connect.js';
import { runDueJobs, type JobOutcome } from '../src/modules/jobs/run-due-jobs.js';
import { AdjustableClock } from '../src/shared/clock.js';
import { createLogger } from '../src/shared/logger.js';
import { readMemory, startCpuProbe, type CpuUse } from './proc.js';

/** When the runner looks for due jobs on each day (WIB): just after the daily cycle's 07:00, and late in the evening. */
export const CYCLE_TIMES = ['07:01', '23:30'] as const;
const MAX_PASSES = 20;

export interface CycleWorkerInput {
  url: string;
  days: string[];
  concurrency: number;
  lanes: number;
  postmasterPid?: number;
}

export interface CycleJobRun {
  id: string;
  kind: string;
  outcome: JobOutcome;
  /** From the job row: first claim to completion, seconds (null if it did not finish). */
  seconds: number | null;
  progress: Record<string, unknown>;
}

export interface CycleDayResult {
  day: string;
  wallSec: number;
  jobs: CycleJobRun[];
  /** Rows added per table (and per bill kind / outbox template) by the day, from counts before and after. */
  written: Record<string, number>;
  rssMiB: number;
  hwmMiB: number;
  dbSizeMiB: number;
  cpu: CpuUse;
}

async function main(): Promise<void> {
  const input = JSON.parse(process.argv[2] ?? '{}') as CycleWorkerInput;
  const config = loadConfig({ NODE_ENV: 'development', LOG_LEVEL: 'warn', DATABASE_URL: input.url });
  const handle = await openPostgres(input.url, config.databasePoolSize);
  const clock = new AdjustableClock();
  const { deps } = compose(config, handle, { clock, logger: createLogger('warn'), transports: { email: null, sms: null } });
  const db = handle.db;

  const tables = (
    await sql<{ t: string }>`select tablename as t from pg_tables where schemaname = 'public' and tablename not like 'kysely_%' order by 1`.execute(db)
  ).rows.map((r) => r.t);
  const counts = async (): Promise<Record<string, number>> => {
    const out: Record<string, number> = {};
    for (const t of tables) {
      const r = await sql<{ n: string }>`select count(*) as n from ${sql.table(t)}`.execute(db);
      out[t] = Number(r.rows[0]?.n ?? 0);
    }
    for (const r of (await sql<{ k: string; n: string }>`select kind as k, count(*) as n from bill group by kind`.execute(db)).rows) {
      out[`bill:${r.k}`] = Number(r.n);
    }
    for (const r of (await sql<{ k: string; n: string }>`select template as k, count(*) as n from outbox_message group by template`.execute(db)).rows) {
      out[`outbox:${r.k}`] = Number(r.n);
    }
    return out;
  };

  let before = await counts();
  try {
    for (const day of input.days) {
      const probe = startCpuProbe(input.postmasterPid ? { postgres: input.postmasterPid } : {});
      const t0 = performance.now();
      const ran: { id: string; kind: string; outcome: JobOutcome }[] = [];
      for (const time of CYCLE_TIMES) {
        clock.set(new Date(`${day}T${time}:00+07:00`));
        for (let pass = 0; pass < MAX_PASSES; pass++) {
          const { jobs } = await runDueJobs(deps, { concurrency: input.concurrency, lanes: input.lanes });
          ran.push(...jobs);
          if (jobs.length === 0) {
            break;
          }
        }
      }
      const wallSec = (performance.now() - t0) / 1000;
      const cpu = probe();
      const after = await counts();
      const written: Record<string, number> = {};
      for (const [k, v] of Object.entries(after)) {
        const d = v - (before[k] ?? 0);
        if (d !== 0) {
          written[k] = d;
        }
      }
      before = after;
      const rows = ran.length
        ? await db
            .selectFrom('job')
            .select(['id', 'started_at', 'finished_at', 'progress'])
            .where(
              'id',
              'in',
              ran.map((j) => j.id),
            )
            .execute()
        : [];
      const byId = new Map(rows.map((r) => [r.id, r]));
      const jobs: CycleJobRun[] = ran.map((j) => {
        const r = byId.get(j.id);
        const seconds = r?.started_at && r.finished_at ? (r.finished_at.getTime() - r.started_at.getTime()) / 1000 : null;
        return { ...j, seconds, progress: r?.progress ?? {} };
      });
      const size = await sql<{ n: string }>`select pg_database_size(current_database()) as n`.execute(db);
      const mem = readMemory(process.pid);
      const result: CycleDayResult = {
        day,
        wallSec,
        jobs,
        written,
        rssMiB: mem.rssMiB,
        hwmMiB: mem.hwmMiB,
        dbSizeMiB: Number(size.rows[0]?.n ?? 0) / 1024 ** 2,
        cpu,
      };
      process.stdout.write(`CYCLE ${JSON.stringify(result)}\n`);
    }
  } finally {
    await handle.close();
  }
}

// Run only as a program (bench/cycle.ts imports this file for its types and CYCLE_TIMES).
if (process.argv[1] !== undefined && resolve(process.argv[1]) === import.meta.filename) {
  try {
    await main();
    process.exit(0);
  } catch (err) {
    process.stderr.write(`cycle worker failed: ${err instanceof Error ? (err.stack ?? err.message) : String(err)}\n`);
    process.exit(1);
  }
}
