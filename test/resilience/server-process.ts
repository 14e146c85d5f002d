import { spawn, type ChildProcess } from 'node:child_process';
import { createServer } from 'node:net';
import { sql, type Kysely } from 'kysely';
import type { Database } from '../../src/db/database.js';
import { getAllBalances } from '../../src/modules/ledger/ledger.js';
import { hmacSha256Hex } from '../../src/shared/crypto.js';
import { makePerson } from '../support/factories.js';
import { rowCheckViolations } from '../simulation/invariants.js';

/**
 * The real server as a separate process (`node --import tsx src/main.ts`, NODE_ENV=development), driven over HTTP the way a payment
 * channel drives it, for the outage and crash tests: it can be killed with SIGKILL and started again on the same
 * database.
 */
export interface ServerProcess {
  origin: string;
  child: ChildProcess;
  /** stdout + stderr lines (JSON logs). */
  output: string[];
  alive(): boolean;
  exited: Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
}

export async function freePort(): Promise<number> {
  return new Promise((ok, fail) => {
    const s = createServer();
    s.once('error', fail);
    s.listen(0, '127.0.0.1', () => {
      const { port } = s.address() as { port: number };
      s.close(() => ok(port));
    });
  });
}

/** Starts the server and waits for GET /healthz; `output` receives its log lines from the start on. */
export async function startServerProcess(env: Record<string, string>, port?: number, output: string[] = []): Promise<ServerProcess> {
  const p = port ?? (await freePort());
  // `node --import tsx`, not the tsx command: that one runs the server in a second process, which a SIGKILL of the
  // first would not reach.
  const child = spawn(process.execPath, ['--import', 'tsx', 'src/main.ts'], {
    env: { PATH: process.env['PATH'] ?? '', HOME: process.env['HOME'] ?? '/tmp', NODE_ENV: 'development', HOST: '127.0.0.1', PORT: String(p), LOG_LEVEL: 'warn',
      // Every request comes from 127.0.0.1 and the tests register hundreds of people: the traffic limits would refuse them.
      RATE_LIMITS: 'off', ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  const collect = (chunk: Buffer) => output.push(...chunk.toString().split('\n').filter(Boolean));
  child.stdout!.on('data', collect);
  child.stderr!.on('data', collect);
  let exitedWith: { code: number | null; signal: NodeJS.Signals | null } | null = null;
  const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((ok) =>
    child.once('exit', (code, signal) => {
      exitedWith = { code, signal };
      ok(exitedWith);
    }),
  );
  const server: ServerProcess = { origin: `http://127.0.0.1:${p}`, child, output, alive: () => exitedWith === null, exited };
  const until = Date.now() + 60_000;
  for (;;) {
    if (!server.alive()) {
      throw new Error(`server exited at start: ${output.slice(-20).join('\n')}`);
    }
    const res = await fetch(`${server.origin}/healthz`, { signal: AbortSignal.timeout(1_000) }).catch(() => null);
    if (res?.status === 200) {
      return server;
    }
    if (Date.now() > until) {
      child.kill('SIGKILL');
      throw new Error(`server did not start: ${output.slice(-20).join('\n')}`);
    }
    await sleep(100);
  }
}

export const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

export interface Answer {
  status: number;
  body: any;
  retryAfter: string | null;
  ms: number;
}

export async function call(origin: string, method: string, path: string, body?: unknown, headers: Record<string, string> = {}, timeoutMs = 30_000): Promise<Answer> {
  const startedAt = Date.now();
  const raw = body === undefined ? undefined : typeof body === 'string' ? body : JSON.stringify(body);
  const res = await fetch(`${origin}${path}`, {
    method,
    headers: raw === undefined ? headers : { 'content-type': 'application/json', ...headers },
    body: raw,
    signal: AbortSignal.timeout(timeoutMs),
  });
  const text = await res.text();
  let parsed: unknown = text;
  try {
    parsed = JSON.parse(text);
  } catch {
    // not JSON
  }
  return { status: res.status, body: parsed, retryAfter: res.headers.get('retry-after'), ms: Date.now() - startedAt };
}

async function ok(origin: string, method: string, path: string, body?: unknown): Promise<any> {
  const a = await call(origin, method, path, body);
  if (a.status >= 300) {
    throw new Error(`${method} ${path} → ${a.status} ${JSON.stringify(a.body)}`);
  }
  return a.body;
}

async function outboxData(origin: string, to: string, key: 'token' | 'otp'): Promise<string> {
  const out = await ok(origin, 'GET', `/dev/outbox?to=${encodeURIComponent(to)}`);
  const value = (out.messages as { data: Record<string, string> }[]).find((m) => m.data[key])?.data[key];
  if (!value) {
    throw new Error(`no ${key} sent to ${to}`);
  }
  return value;
}

export interface Bill {
  paymentCode: string;
  amount: number;
}

/** Opens `n` first bills through the public API (population, registration, both verifications, submit), a few at a time. */
export async function openBills(origin: string, n: number, parallel = 6): Promise<Bill[]> {
  const bills: Bill[] = [];
  const one = async (): Promise<Bill> => {
    const person = makePerson();
    await ok(origin, 'POST', '/dev/population', { nik: person.nik, fullName: person.fullName, birthDate: person.birthDate, gender: person.gender });
    const reg = await ok(origin, 'POST', '/api/v1/registrations', person);
    await ok(origin, 'POST', `/api/v1/registrations/${reg.id}/verify-email`, { token: await outboxData(origin, person.email, 'token') });
    await ok(origin, 'POST', `/api/v1/registrations/${reg.id}/verify-phone`, { code: await outboxData(origin, person.phone, 'otp') });
    const submitted = await ok(origin, 'POST', `/api/v1/registrations/${reg.id}/submit`, { programs: ['JKK', 'JKM'], declaredIncome: 1_000_000, months: 1 });
    return submitted.bill as Bill;
  };
  let next = 0;
  await Promise.all(
    Array.from({ length: parallel }, async () => {
      while (next < n) {
        next += 1;
        bills.push(await one());
      }
    }),
  );
  return bills;
}

/** A payment notification body for a bill, with the channel's own id; signed by `sign`. */
export function notificationFor(bill: Bill, externalId: string): string {
  return JSON.stringify({ externalId, paymentCode: bill.paymentCode, amount: bill.amount, channel: 'va', paidAt: new Date().toISOString() });
}

export const sign = (raw: string) => hmacSha256Hex('dev-webhook-secret', raw);

/** What one channel saw while delivering one notification until it had a final answer. */
export interface Delivery {
  externalId: string;
  final: Answer | null;
  /** Every answer before the final one, and network failures (status 0) / client timeouts (status -1). */
  attempts: Answer[];
}

/**
 * Delivers one notification the way a channel does: sends it, and on anything but a final answer (503 and other 5xx,
 * a refused or broken connection, no answer within `timeoutMs`) waits `retryMs` and sends the very same body again,
 * until `until()` says stop. A final answer is any 2xx or 4xx.
 */
export async function deliver(origin: () => string, raw: string, externalId: string, opts: { retryMs: number; timeoutMs: number; until: () => boolean }): Promise<Delivery> {
  const attempts: Answer[] = [];
  while (!opts.until()) {
    const startedAt = Date.now();
    let a: Answer;
    try {
      a = await call(origin(), 'POST', '/api/v1/payments/notifications', raw, { 'x-signature': sign(raw) }, opts.timeoutMs);
    } catch (err) {
      const timedOut = (err as Error).name === 'TimeoutError';
      a = { status: timedOut ? -1 : 0, body: String(err), retryAfter: null, ms: Date.now() - startedAt };
    }
    if (a.status >= 200 && a.status < 500) {
      return { externalId, final: a, attempts };
    }
    attempts.push(a);
    await sleep(opts.retryMs);
  }
  return { externalId, final: null, attempts };
}

/**
 * What must hold once every notification was delivered: each one answered `applied` — or `duplicate` when an earlier
 * attempt of it had no final answer (its outcome was unknown and it had in fact been recorded); each bill paid exactly
 * once by its own notification; no other payment; the ledger balanced (Σ balances 0) and every row check of the
 * money-path simulation holding.
 */
export async function moneyProblems(db: Kysely<Database>, bills: readonly Bill[], deliveries: readonly Delivery[]): Promise<string[]> {
  const problems: string[] = [];
  for (const d of deliveries) {
    const status = d.final?.body?.status as string | undefined;
    if (!d.final || d.final.status !== 200) {
      problems.push(`${d.externalId}: no final 200 answer (${d.final ? `${d.final.status} ${JSON.stringify(d.final.body)}` : 'none'})`);
    } else if (!(status === 'applied' || (status === 'duplicate' && d.attempts.length > 0))) {
      problems.push(`${d.externalId}: answered ${JSON.stringify(d.final.body)} after ${d.attempts.length} unanswered attempts`);
    }
  }
  const codes = bills.map((b) => b.paymentCode);
  const rows = await sql<{ payment_code: string; status: string; applied: number; payments: number; own: boolean }>`
    select b.payment_code, b.status,
      (select count(*) from payment p where p.bill_id = b.id and p.outcome = 'applied')::int as applied,
      (select count(*) from payment p where p.payment_code = b.payment_code)::int as payments,
      exists (select 1 from payment p where p.id = b.payment_id) as own
    from bill b where b.payment_code in (${sql.join(codes)})`.execute(db);
  if (rows.rows.length !== bills.length) {
    problems.push(`${rows.rows.length} of ${bills.length} bills found`);
  }
  for (const r of rows.rows) {
    if (r.status !== 'paid' || r.applied !== 1 || r.payments !== 1 || !r.own) {
      problems.push(`bill ${r.payment_code}: ${r.status}, ${r.applied} applied of ${r.payments} payments`);
    }
  }
  const ids = deliveries.map((d) => d.externalId);
  const external = await sql<{ n: number; distinct_ids: number }>`
    select count(*)::int as n, count(distinct external_id)::int as distinct_ids from payment where external_id in (${sql.join(ids)})`.execute(db);
  if (external.rows[0]!.n !== ids.length || external.rows[0]!.distinct_ids !== ids.length) {
    problems.push(`payments: ${external.rows[0]!.n} rows, ${external.rows[0]!.distinct_ids} external ids, ${ids.length} notifications sent`);
  }
  const balances = await getAllBalances(db);
  const sum = [...balances.values()].reduce((s, b) => s + b, 0);
  if (sum !== 0) {
    problems.push(`ledger: Σ balances ${sum}`);
  }
  problems.push(...(await rowCheckViolations(db)));
  return problems;
}

/**
 * The kill -9 test (the review's was 2,000 bills): notifications for every bill start at once, each retried until
 * answered; after `killAfterAnswers` of them were answered the server process is killed with SIGKILL mid-load and a
 * new one started on the same database and port. The channels resend every notification whose answer they did not
 * receive. Returns the deliveries and the restarted server.
 */
export async function killMidLoad(server: ServerProcess, bills: readonly Bill[], env: Record<string, string>, tag: string, killAfterAnswers: number) {
  let current = server;
  let answered = 0;
  const stopAt = Date.now() + 90_000;
  const load = Promise.all(
    bills.map(async (bill, i) => {
      await sleep(i * 5);
      const externalId = `${tag}-${i}`;
      const d = await deliver(() => current.origin, notificationFor(bill, externalId), externalId, { retryMs: 200, timeoutMs: 30_000, until: () => Date.now() > stopAt });
      answered += 1;
      return d;
    }),
  );
  while (answered < killAfterAnswers && Date.now() < stopAt) {
    await sleep(5);
  }
  const answeredBeforeKill = answered;
  server.child.kill('SIGKILL');
  const killed = await server.exited;
  current = await startServerProcess(env, Number(new URL(server.origin).port));
  const deliveries = await load;
  return { deliveries, restarted: current, killed, answeredBeforeKill };
}
