import { spawn, spawnSync } from 'node:child_process';
import { chownSync, existsSync, mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pg from 'pg';
import { freePort, startCpuProbe, type CpuUse } from './proc.js';

/**
 * A throwaway PostgreSQL 15 cluster for one benchmark run: initdb into a temp dir, pg_ctl start on a free loopback
 * port, trust auth on 127.0.0.1 only. fsync and synchronous_commit keep their defaults (on): the numbers include real
 * WAL flushes. Settings mirror scripts/pg-test-server.sh (shared_buffers 256MB, max_connections 200).
 */
export const PGBIN = process.env['BENCH_PGBIN'] ?? '/usr/lib/postgresql/15/bin';

export interface PgCluster {
  url: (database: string) => string;
  port: number;
  dir: string;
  version: string;
  settings: Record<string, string>;
  /** The postmaster's pid (its children are the backends), for CPU accounting. */
  postmasterPid(): number | undefined;
  /** The same as stop(), as a shell line (for bench/reaper.ts). */
  shellStop: string;
  stop(): void;
}

const isRoot = typeof process.getuid === 'function' && process.getuid() === 0;

/** initdb, pg_ctl and postgres refuse to run as root; run them as the 'postgres' user then. */
function asPostgres(cmd: string, args: string[]): { cmd: string; args: string[] } {
  return isRoot ? { cmd: 'runuser', args: ['-u', 'postgres', '--', cmd, ...args] } : { cmd, args };
}

function run(cmd: string, args: string[], what: string, timeoutMs = 120_000): string {
  const c = asPostgres(cmd, args);
  const r = spawnSync(c.cmd, c.args, { encoding: 'utf8', timeout: timeoutMs });
  if (r.status !== 0) {
    throw new Error(`${what} failed (${r.status ?? r.signal}): ${(r.stderr || r.stdout || String(r.error ?? '')).slice(-2000)}`);
  }
  return r.stdout;
}

export function postgresAvailable(): boolean {
  return ['initdb', 'pg_ctl', 'postgres'].every((b) => existsSync(join(PGBIN, b)));
}

export function pgbenchPath(): string | null {
  const p = join(PGBIN, 'pgbench');
  return existsSync(p) ? p : null;
}

/** `extra`: more `-c name=value` server settings (bench/profile.ts loads pg_stat_statements; the benchmark adds none). */
export async function startCluster(extra: string[] = []): Promise<PgCluster> {
  const dir = mkdtempSync(join(tmpdir(), 'lindung-bench-pg-'));
  if (isRoot) {
    const uid = spawnSync('id', ['-u', 'postgres'], { encoding: 'utf8' });
    const gid = spawnSync('id', ['-g', 'postgres'], { encoding: 'utf8' });
    if (uid.status !== 0 || gid.status !== 0) {
      rmSync(dir, { recursive: true, force: true });
      throw new Error("running as root, but there is no 'postgres' user to run the server as");
    }
    chownSync(dir, Number(uid.stdout.trim()), Number(gid.stdout.trim()));
  }
  const data = join(dir, 'data');
  const port = await freePort();
  let started = false;
  const stop = () => {
    if (started) {
      const c = asPostgres(join(PGBIN, 'pg_ctl'), ['-D', data, '-m', 'fast', '-w', '-t', '30', 'stop']);
      spawnSync(c.cmd, c.args, { encoding: 'utf8', timeout: 40_000 });
      started = false;
    }
    rmSync(dir, { recursive: true, force: true });
  };
  try {
    try {
      run(join(PGBIN, 'initdb'), ['-D', data, '-U', 'postgres', '-A', 'trust', '-E', 'UTF8', '--locale=C.UTF-8'], 'initdb');
    } catch {
      rmSync(data, { recursive: true, force: true });
      run(join(PGBIN, 'initdb'), ['-D', data, '-U', 'postgres', '-A', 'trust', '-E', 'UTF8', '--locale=C'], 'initdb');
    }
    const opts = [
      `-c listen_addresses=127.0.0.1`,
      `-c port=${port}`,
      `-c unix_socket_directories=${dir}`,
      `-c max_connections=200`,
      `-c shared_buffers=256MB`,
      `-c fsync=on`,
      `-c synchronous_commit=on`,
      ...extra.map((e) => `-c ${e}`),
    ].join(' ');
    run(join(PGBIN, 'pg_ctl'), ['-D', data, '-l', join(dir, 'server.log'), '-w', '-t', '60', '-o', opts, 'start'], 'pg_ctl start', 90_000);
    started = true;
    const url = (database: string) => `postgres://postgres@127.0.0.1:${port}/${database}`;
    const admin = new pg.Client({ connectionString: url('postgres') });
    await admin.connect();
    try {
      await admin.query('create database lindung_bench');
      const version = (await admin.query<{ v: string }>("select current_setting('server_version') as v")).rows[0]?.v ?? '?';
      const settings: Record<string, string> = {};
      for (const name of ['fsync', 'synchronous_commit', 'shared_buffers', 'max_connections', 'wal_level']) {
        settings[name] = (await admin.query<{ v: string }>(`select current_setting('${name}') as v`)).rows[0]?.v ?? '?';
      }
      const postmasterPid = () => {
        try {
          return Number(readFileSync(join(data, 'postmaster.pid'), 'utf8').split('\n')[0]) || undefined;
        } catch {
          return undefined;
        }
      };
      const pgctl = asPostgres(join(PGBIN, 'pg_ctl'), ['-D', data, '-m', 'fast', '-w', '-t', '30', 'stop']);
      const shellStop = `${[pgctl.cmd, ...pgctl.args].map((a) => `'${a}'`).join(' ')}; rm -rf '${dir}'`;
      return { url, port, dir, version, settings, postmasterPid, shellStop, stop };
    } finally {
      await admin.end();
    }
  } catch (err) {
    stop();
    throw err;
  }
}

export interface PgbenchResult {
  tps: number;
  latencyAvgMs: number;
  p50Ms: number;
  p99Ms: number;
  transactions: number;
  command: string;
  /** CPU during the measured run, % of one core (load gen = pgbench). */
  cpu: CpuUse;
}

function runPgbench(bin: string, args: string[], timeoutMs: number): Promise<string> {
  return new Promise((resolve, reject) => {
    const child = spawn(bin, args, { stdio: ['ignore', 'pipe', 'pipe'], env: { ...process.env, PGPASSWORD: '' } });
    let out = '';
    child.stdout.on('data', (d: Buffer) => (out += d.toString()));
    child.stderr.on('data', (d: Buffer) => (out += d.toString()));
    const timer = setTimeout(() => child.kill('SIGKILL'), timeoutMs);
    child.on('close', (code) => {
      clearTimeout(timer);
      if (code === 0) {
        resolve(out);
      } else {
        reject(new Error(`pgbench ${args.join(' ')} exited ${code}: ${out.slice(-2000)}`));
      }
    });
  });
}

function percentile(sorted: readonly number[], p: number): number {
  if (sorted.length === 0) {
    return NaN;
  }
  return sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1))] ?? NaN;
}

/**
 * The yardstick: `pgbench -i -s 10`, a short warm-up, then the built-in tpcb-like script with the same client count
 * as the HTTP runs. Per-transaction logs (--log) give p50/p99, which pgbench 15 does not print itself.
 */
export async function pgbenchYardstick(url: string, clients: number, threads: number, seconds: number, logDir: string, postmasterPid?: number): Promise<PgbenchResult> {
  const bin = pgbenchPath();
  if (!bin) {
    throw new Error('pgbench not found');
  }
  await runPgbench(bin, ['-i', '-s', '10', '-q', url], 180_000);
  // As for the HTTP runs: a checkpoint after loading, so none lands in the measured window.
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    await client.query('checkpoint');
  } finally {
    await client.end();
  }
  await runPgbench(bin, ['-b', 'tpcb-like', '-c', String(clients), '-j', String(threads), '-T', '3', '-n', url], 30_000);
  try {
    const args = ['-b', 'tpcb-like', '-c', String(clients), '-j', String(threads), '-T', String(seconds), '-n', '--log', `--log-prefix=${join(logDir, 'tx')}`, url];
    const probe = startCpuProbe({ loadgenTree: true, ...(postmasterPid ? { postgres: postmasterPid } : {}) });
    const out = await runPgbench(bin, args, (seconds + 60) * 1000);
    const cpu = probe();
    const tps = Number(/tps = ([\d.]+) \(without initial connection time\)/.exec(out)?.[1] ?? NaN);
    const latencyAvgMs = Number(/latency average = ([\d.]+) ms/.exec(out)?.[1] ?? NaN);
    const transactions = Number(/number of transactions actually processed: (\d+)/.exec(out)?.[1] ?? NaN);
    const latencies: number[] = [];
    for (const f of readdirSync(logDir)) {
      for (const line of readFileSync(join(logDir, f), 'utf8').split('\n')) {
        const us = Number(line.split(' ')[2]);
        if (line && Number.isFinite(us)) {
          latencies.push(us / 1000);
        }
      }
    }
    latencies.sort((a, b) => a - b);
    if (!Number.isFinite(tps)) {
      throw new Error(`could not parse pgbench output:\n${out}`);
    }
    return {
      tps,
      latencyAvgMs,
      p50Ms: percentile(latencies, 50),
      p99Ms: percentile(latencies, 99),
      transactions,
      cpu,
      command: `pgbench -i -s 10; pgbench -b tpcb-like -c ${clients} -j ${threads} -T ${seconds} -n`,
    };
  } finally {
    rmSync(logDir, { recursive: true, force: true });
    // Drop the pgbench tables so they do not share the buffer cache with the app's data during the HTTP runs.
    await runPgbench(bin, ['-i', '-I', 'd', url], 60_000).catch(() => undefined);
  }
}
