/**
 * The two settlement engines side by side, in-process, no HTTP (`BENCH_DATABASE_URL=postgres://…/empty_db npx tsx
 * bench/settle-engines.ts`; not part of `npm run bench`): a seeded throwaway database (bench/seed.ts), then batches of
 * first-bill payments settled with settleMany (src/modules/payments/settlement.ts) by each engine in turn, one batch
 * at a time on one connection, with synchronous_commit off so that the numbers are the statements' cost, not the WAL
 * flush's. Prints the wall time per payment by engine and batch size (the database's CPU and round trips; the other
 * processes on the machine move both engines alike, so compare within one run).
 */
import { readFileSync } from 'node:fs';
import { sql } from 'kysely';
import { loadConfig } from '../src/config.js';
import { migrateToLatest, openPostgres } from '../src/db/connect.js';
import { defaultRuleBook } from '../src/modules/contributions/domain/rule-book.js';
import { settleMany, type BillSettlement, type SettlementEngine } from '../src/modules/payments/settlement.js';
import { analyze, seedDatabase } from './seed.js';

const url = process.env['BENCH_DATABASE_URL'];
if (!url) {
  throw new Error('BENCH_DATABASE_URL: an empty, throwaway PostgreSQL database');
}
const SIZES = (process.env['BENCH_SIZES'] ?? '1,8,32,64').split(',').map(Number);
const PAYMENTS_PER_STEP = Number(process.env['BENCH_PAYMENTS'] ?? 1_536);
const config = loadConfig({ NODE_ENV: 'development', LOG_LEVEL: 'silent' });
const handle = await openPostgres(url, 1);
try {
  await migrateToLatest(handle.db);
  const now = new Date();
  // BENCH_REUSE=1: pay the open first bills a previous run left (no new seed).
  const bills =
    process.env['BENCH_REUSE'] === '1'
      ? (await sql<{ paymentCode: string; amount: number }>`select payment_code as "paymentCode", amount from bill where status = 'open' and kind = 'first' and expires_at > now()`.execute(handle.db)).rows
      : (
          await seedDatabase(handle.db, {
            openBills: PAYMENTS_PER_STEP * SIZES.length * 2 + 5_000,
            members: 1_000,
            now,
            rules: defaultRuleBook,
            otpSecret: config.otpSecret,
            publicBaseUrl: config.publicBaseUrl,
            firstBillTtlMs: defaultRuleBook.firstBillLifetimeMs,
          })
        ).bills;
  if (process.env['BENCH_REUSE'] !== '1') {
    await analyze(handle.db);
  }
  const run = Date.now().toString(36);
  let next = 0;
  const settlement = (i: number): BillSettlement => {
    const b = bills[next++];
    if (!b) {
      throw new Error('out of bills');
    }
    return {
      paymentId: `pay_se_${run}_${next}`,
      externalId: `se-${run}-${next}`,
      fingerprint: `fp-${i}`,
      paymentCode: b.paymentCode,
      amount: b.amount,
      channel: 'va',
      paidAt: new Date(),
      now: new Date(),
      newParticipantId: `ptc_se_${run}_${next}`,
      messageId: `msg_se_${run}_${next}`,
      prepayHorizonMonths: 12,
      clockSkewSeconds: 300,
    };
  };
  const lines: string[] = [];
  /** CPU time (user + system, ms) the process has used so far: from /proc, 100 ticks a second. */
  const cpuMs = (pid: number) => {
    const fields = readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1]?.split(' ') ?? [];
    return (Number(fields[11]) + Number(fields[12])) * 10;
  };
  await handle.db.connection().execute(async (db) => {
    await sql`set synchronous_commit = off`.execute(db);
    const backend = (await sql<{ pid: number }>`select pg_backend_pid() as pid`.execute(db)).rows[0]?.pid ?? 0;
    for (const size of SIZES) {
      for (const engine of ['per-payment', 'set-based'] as SettlementEngine[]) {
        // A few batches first: plans cached, caches warm.
        for (let w = 0; w < 5; w++) {
          await settleMany(db, engine, Array.from({ length: size }, (_, i) => settlement(i)));
        }
        const started = performance.now();
        const cpu0 = cpuMs(backend);
        const node0 = process.cpuUsage();
        let done = 0;
        for (; done < PAYMENTS_PER_STEP - 5 * size; done += size) {
          const results = await settleMany(db, engine, Array.from({ length: size }, (_, i) => settlement(i)));
          if (results.some((r) => r.status !== 'applied')) {
            throw new Error(JSON.stringify(results));
          }
        }
        const ms = (performance.now() - started) / done;
        const pgCpu = (cpuMs(backend) - cpu0) / done;
        const node = process.cpuUsage(node0);
        const nodeCpu = (node.user + node.system) / 1000 / done;
        lines.push(`batch ${String(size).padStart(2)}  ${engine.padEnd(11)}  ${ms.toFixed(3)} ms per payment; CPU ms per payment: PostgreSQL backend ${pgCpu.toFixed(3)}, Node ${nodeCpu.toFixed(3)}`);
        process.stdout.write(`${lines[lines.length - 1]}\n`);
      }
    }
  });
} finally {
  await handle.close();
}
