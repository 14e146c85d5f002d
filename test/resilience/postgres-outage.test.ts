import { execFile } from 'node:child_process';
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openPostgres, type DatabaseHandle } from '../../src/db/connect.js';
import {
  call,
  deliver,
  freePort,
  killMidLoad,
  moneyProblems,
  notificationFor,
  openBills,
  sign,
  sleep,
  startServerProcess,
  type Answer,
  type Bill,
  type Delivery,
  type ServerProcess,
} from './server-process.js';

/**
 * Issue 13's acceptance for PostgreSQL outages: the real server (a child process) under a steady load of signed
 * payment notifications while its PostgreSQL — a throwaway cluster this file starts itself — loses every connection
 * (pg_terminate_backend), restarts (`pg_ctl restart -m fast`), crashes and stays down for a while (`-m immediate`),
 * and freezes (SIGSTOP). The server must stay alive, answer 503 with Retry-After (never 500, never hang past its
 * deadline) while the database is away, and once the channels' retries are through every bill is paid exactly once,
 * by its own notification, with a balanced ledger. Runs in CI's PostgreSQL pass (DATABASE_URL set) only.
 */
const run = promisify(execFile);
const hasPostgres = Boolean(process.env['DATABASE_URL']);
const PGBIN = '/usr/lib/postgresql/15/bin';
const REQUEST_TIMEOUT_MS = 3_000;
/** No request may take longer than its deadline plus this (a hang). */
const HANG_MS = REQUEST_TIMEOUT_MS + 2_000;

let dir = '';
let url = '';
let db: DatabaseHandle;
let server: ServerProcess;
let serverEnv: Record<string, string>;

/**
 * pg_ctl as the cluster's owner (the postgres user when the tests run as root, as in CI); the server's output goes to
 * its log file (a postmaster holding our pipes open would keep the call from returning).
 */
async function pgCtl(...args: string[]) {
  const cmd = [`${PGBIN}/pg_ctl`, '-D', join(dir, 'data'), '-l', join(dir, 'server.log'), '-w', ...args];
  await (process.getuid?.() === 0 ? run('runuser', ['-u', 'postgres', '--', ...cmd]) : run(cmd[0]!, cmd.slice(1)));
}

/** The postmaster and every process it started (backends, checkpointer, …). */
async function postgresPids(): Promise<number[]> {
  const postmaster = Number(readFileSync(join(dir, 'data', 'postmaster.pid'), 'utf8').split('\n')[0]);
  const { stdout } = await run('ps', ['-o', 'pid=', '--ppid', String(postmaster)]);
  return [postmaster, ...stdout.split('\n').map(Number).filter((n) => n > 0)];
}

/** `pg_ctl start` does not reuse the options of the last start (restart does): the ones scripts/pg-test-server.sh gives. */
const START_OPTIONS = () => `-c listen_addresses=127.0.0.1 -c port=${new URL(url).port} -c unix_socket_directories=${dir} -c max_connections=200`;

/** Sends a signal to each process that still exists (the postmaster first). */
function signal(pids: readonly number[], sig: NodeJS.Signals) {
  for (const pid of pids) {
    try {
      process.kill(pid, sig);
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code !== 'ESRCH') {
        throw err;
      }
    }
  }
}

async function terminateAppConnections(): Promise<number> {
  const c = new pg.Client({ connectionString: url });
  await c.connect();
  const r = await c.query<{ n: number }>(
    `select count(pg_terminate_backend(pid))::int as n from pg_stat_activity where pid <> pg_backend_pid() and backend_type = 'client backend'`,
  );
  await c.end();
  return r.rows[0]!.n;
}

beforeAll(async () => {
  if (!hasPostgres) {
    return;
  }
  dir = mkdtempSync(join(tmpdir(), 'lindung-outage-'));
  const { stdout } = await run('bash', ['scripts/pg-test-server.sh', 'start', dir, String(await freePort())]);
  url = stdout.trim();
  serverEnv = {
    DATABASE_URL: url,
    DATABASE_POOL_SIZE: '6',
    REQUEST_TIMEOUT_MS: String(REQUEST_TIMEOUT_MS),
    DATABASE_STATEMENT_TIMEOUT_MS: '1500',
    DATABASE_CONNECT_TIMEOUT_MS: '1000',
    READINESS_TIMEOUT_MS: '500',
  };
  server = await startServerProcess(serverEnv);
  db = await openPostgres(url, { poolSize: 2, onError: () => {} });
}, 120_000);

afterAll(async () => {
  if (!hasPostgres) {
    return;
  }
  server?.child.kill('SIGKILL');
  await db?.close().catch(() => {});
  await run('bash', ['scripts/pg-test-server.sh', 'stop', dir]).catch(() => {});
}, 60_000);

/** Sends one notification per bill, one every `everyMs` (a steady load), each retried until answered or `stopAt`. */
function steadyLoad(bills: readonly Bill[], everyMs: number, tag: string, stopAt: number) {
  return Promise.all(
    bills.map(async (bill, i) => {
      await sleep(i * everyMs);
      const externalId = `${tag}-${i}`;
      return deliver(() => server.origin, notificationFor(bill, externalId), externalId, { retryMs: 200, timeoutMs: HANG_MS + 5_000, until: () => Date.now() > stopAt });
    }),
  );
}

/**
 * Every answer that is not a final one must be 503 with Retry-After, in time: no 500, no other 5xx, no hang
 * (`refusedToo`: a refused or broken connection, status 0, is expected while the server itself is down).
 */
function badAnswers(deliveries: readonly Delivery[], refusedToo = false): string[] {
  const all: Answer[] = deliveries.flatMap((d) => [...d.attempts, ...(d.final ? [d.final] : [])]);
  return all
    .filter((a) => !(refusedToo && a.status === 0))
    .filter((a) => a.status !== 200 && !(a.status === 503 && a.retryAfter !== null && a.body?.error?.code === 'service_unavailable'))
    .concat(all.filter((a) => a.ms > HANG_MS))
    .map((a) => `${a.status} after ${a.ms} ms: ${JSON.stringify(a.body)}`);
}

/** One attempt of a notification, as a channel's first delivery. */
async function deliverOnce(raw: string): Promise<Answer> {
  return call(server.origin, 'POST', '/api/v1/payments/notifications', raw, { 'x-signature': sign(raw) }, HANG_MS + 5_000);
}

describe.skipIf(!hasPostgres)('the server rides out PostgreSQL going away', () => {
  it('connections terminated, restart -m fast, crash -m immediate with 2 s down: alive, 503 + Retry-After meanwhile, every bill paid exactly once', async () => {
    const bills = await openBills(server.origin, 120);
    const startedAt = Date.now();
    const load = steadyLoad(bills, 60, 'outage', startedAt + 60_000); // ~7 s of notifications

    await sleep(1_000);
    expect(await terminateAppConnections()).toBeGreaterThan(0);
    await sleep(1_200);
    expect(server.alive()).toBe(true);
    await pgCtl('restart', '-m', 'fast');
    await sleep(1_200);
    expect(server.alive()).toBe(true);

    await pgCtl('stop', '-m', 'immediate');
    const down = {
      healthz: await call(server.origin, 'GET', '/healthz'),
      readyz: await call(server.origin, 'GET', '/readyz'),
      bills: await call(server.origin, 'GET', `/api/v1/bills/${bills[0]!.paymentCode}`),
    };
    await sleep(2_000);
    expect(server.alive()).toBe(true);
    await pgCtl('start', '-o', START_OPTIONS());

    const deliveries = await load;
    expect(server.alive()).toBe(true);
    expect(down.healthz.status).toBe(200);
    expect(down.readyz.status).toBe(503);
    expect(down.readyz.body).toEqual({ status: 'unavailable' });
    expect(down.readyz.retryAfter).not.toBeNull();
    expect(down.bills.status).toBe(503);
    expect(down.bills.retryAfter).toBe('5');
    expect(down.bills.body.error).toMatchObject({ code: 'service_unavailable', message: expect.stringMatching(/tidak tersedia/) });
    expect(badAnswers(deliveries)).toEqual([]);
    // The outage was real: some notifications were answered 503 or found no server connection, and were sent again.
    expect(deliveries.filter((d) => d.attempts.length > 0).length).toBeGreaterThan(0);
    expect((await call(server.origin, 'GET', '/readyz')).status).toBe(200);
    expect(await moneyProblems(db.db, bills, deliveries)).toEqual([]);
  }, 90_000);

  it('frozen (SIGSTOP of every PostgreSQL process for 5 s): 503 within the deadline, /readyz unavailable, /healthz 200; all good after SIGCONT', async () => {
    const [probeBill, ...bills] = await openBills(server.origin, 31);
    const pids = await postgresPids();
    const probeRaw = notificationFor(probeBill!, 'frozen-probe');
    signal(pids, 'SIGSTOP');
    let frozen: { notification: Answer; readyz: Answer; healthz: Answer };
    let deliveries: Delivery[];
    try {
      const load = steadyLoad(bills, 100, 'frozen', Date.now() + 60_000); // 3 s of notifications into the freeze
      frozen = {
        notification: await deliverOnce(probeRaw),
        readyz: await call(server.origin, 'GET', '/readyz'),
        healthz: await call(server.origin, 'GET', '/healthz'),
      };
      await sleep(1_500);
      expect(server.alive()).toBe(true);
      signal(pids, 'SIGCONT');
      deliveries = await load;
    } finally {
      signal(pids, 'SIGCONT');
    }
    expect(frozen.notification.status).toBe(503);
    expect(frozen.notification.retryAfter).toBe('5');
    expect(frozen.notification.ms).toBeLessThan(HANG_MS);
    expect(frozen.readyz.status).toBe(503);
    expect(frozen.readyz.ms).toBeLessThan(2_500);
    expect(frozen.healthz.status).toBe(200);
    expect(frozen.healthz.ms).toBeLessThan(1_000);
    expect(badAnswers(deliveries)).toEqual([]);
    expect(deliveries.filter((d) => d.attempts.length > 0).length).toBeGreaterThan(0);
    expect((await call(server.origin, 'GET', '/readyz')).status).toBe(200);
    // The probe's outcome was unknown (503): the channel sends it again, and it is answered once the database is back.
    const again = await deliver(() => server.origin, probeRaw, 'frozen-probe', { retryMs: 200, timeoutMs: 30_000, until: () => false });
    const probe: Delivery = { ...again, attempts: [frozen.notification, ...again.attempts] };
    expect(await moneyProblems(db.db, [probeBill!, ...bills], [probe, ...deliveries])).toEqual([]);
  }, 90_000);

  it('kill -9 of the server mid-load, restarted on the same database, every unanswered notification resent: 0 lost, 0 doubled', async () => {
    const bills = await openBills(server.origin, 150);
    const { deliveries, restarted, killed, answeredBeforeKill } = await killMidLoad(server, bills, serverEnv, 'kill', 40);
    server = restarted;
    expect(killed.signal).toBe('SIGKILL');
    expect(answeredBeforeKill).toBeGreaterThanOrEqual(40);
    expect(answeredBeforeKill).toBeLessThan(bills.length);
    expect(badAnswers(deliveries, true)).toEqual([]);
    expect(deliveries.filter((d) => d.attempts.length > 0).length).toBeGreaterThan(0);
    expect(await moneyProblems(db.db, bills, deliveries)).toEqual([]);
    // And the restarted server shuts down cleanly on SIGTERM.
    server.child.kill('SIGTERM');
    expect(await server.exited).toEqual({ code: 0, signal: null });
  }, 90_000);

  it('a server started while PostgreSQL is down waits for it, then serves', async () => {
    await pgCtl('stop', '-m', 'fast');
    let late: ServerProcess | undefined;
    try {
      const output: string[] = [];
      const starting = startServerProcess(serverEnv, undefined, output);
      const until = Date.now() + 30_000;
      while (!output.some((line) => line.includes('database unavailable at start; waiting')) && Date.now() < until) {
        await sleep(50);
      }
      await sleep(1_000);
      await pgCtl('start', '-o', START_OPTIONS());
      late = await starting;
      expect(late.output.filter((line) => line.includes('database unavailable at start; waiting')).length).toBeGreaterThan(0);
      expect((await call(late.origin, 'GET', '/readyz')).status).toBe(200);
    } finally {
      late?.child.kill('SIGKILL');
    }
  }, 90_000);
});
