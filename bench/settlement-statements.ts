/**
 * Where PostgreSQL spends a settlement (`npx tsx bench/settlement-statements.ts`; not part of `npm run bench`): a
 * throwaway cluster with pg_stat_statements tracking statements nested in lindung_apply_payment, 2,000 first-bill
 * notifications from 8 callers after a warm-up, then the server-side time and WAL per notification of each statement.
 */
import { sql } from 'kysely';
import { compose } from '../src/compose.js';
import { loadConfig } from '../src/config.js';
import { migrateToLatest, openPostgres } from '../src/db/connect.js';
import { defaultRuleBook } from '../src/modules/contributions/domain/rule-book.js';
import { applyPaymentNotification } from '../src/modules/payments/apply-payment.js';
import { createLogger } from '../src/shared/logger.js';
import { startCluster } from './pg-cluster.js';
import { analyze, seedDatabase } from './seed.js';

const cluster = await startCluster(['shared_preload_libraries=pg_stat_statements', 'pg_stat_statements.track=all', 'track_functions=all']);
try {
  const h = await openPostgres(cluster.url('postgres'), 10);
  await migrateToLatest(h.db);
  const config = loadConfig({ NODE_ENV: 'development', LOG_LEVEL: 'silent' });
  const seeded = await seedDatabase(h.db, { now: new Date(), members: 5000, openBills: 6000, rules: defaultRuleBook, otpSecret: config.otpSecret, publicBaseUrl: config.publicBaseUrl, firstBillTtlMs: 86_400_000 });
  await analyze(h.db);
  await sql`create extension if not exists pg_stat_statements`.execute(h.db);
  const { deps } = compose(config, h, { logger: createLogger('silent'), transports: { email: null, sms: null } });
  const bills = seeded.bills;
  let i = 0;
  const N = 4000;
  const worker = async () => { while (i < N) { const b = bills[i++]!; await applyPaymentNotification(deps, { externalId: `x${i}`, paymentCode: b.paymentCode, amount: b.amount, channel: 'va', paidAt: new Date() }); } };
  await Promise.all(Array.from({ length: 8 }, worker)).then(() => undefined);
  i = 0;
  await sql`select pg_stat_statements_reset()`.execute(h.db);
  const t0 = Date.now();
  const bills2 = bills.slice(N);
  let j = 0;
  const worker2 = async () => { while (j < 2000) { const b = bills2[j++]!; await applyPaymentNotification(deps, { externalId: `y${j}`, paymentCode: b.paymentCode, amount: b.amount, channel: 'va', paidAt: new Date() }); } };
  await Promise.all(Array.from({ length: 8 }, worker2));
  console.log('2000 in', Date.now() - t0, 'ms');
  const r = await sql<{ q: string; calls: string; ms: number; wal: string }>`select left(regexp_replace(query, '\\s+', ' ', 'g'), 110) as q, calls::text, round((total_exec_time + total_plan_time)::numeric / 2000, 4)::float8 as ms, (wal_bytes / 2000)::text as wal from pg_stat_statements order by total_exec_time desc limit 25`.execute(h.db);
  for (const row of r.rows) console.log(row.ms.toFixed(4), 'ms/notif', row.calls.padStart(6), 'calls', row.wal.padStart(6), 'B', row.q);
  await h.close();
} finally {
  cluster.stop();
}
