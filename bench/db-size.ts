/**
 * How big the database is per member (docs/scaling.md): seeds N members set-based (bench/cycle-seed.ts) into a fresh
 * database of the PostgreSQL server at DATABASE_URL (a throwaway cluster: scripts/pg-test-server.sh), VACUUM ANALYZE
 * and checkpoint, reads every table's size; then runs the whole cycle month over them with the real job runner
 * (bench/cycle-worker.ts: dues, reminders, status changes; nobody pays) and reads the sizes again. Prints markdown
 * tables (rows, heap with TOAST, indexes, bytes per member) and drops the database.
 *
 *   DATABASE_URL=postgres://postgres@127.0.0.1:55520/postgres SIZE_MEMBERS=100000 npx tsx bench/db-size.ts
 *
 * SIZE_CYCLE=0 skips the month's cycle. The month is BENCH_CYCLE_MONTH (default 2027-01, as the benchmark).
 */
import { spawnSync } from 'node:child_process';
import { join } from 'node:path';
import pg from 'pg';
import { migrateToLatest, openPostgres } from '../src/db/connect.js';
import { defaultRuleBook } from '../src/modules/contributions/domain/rule-book.js';
import type { Month } from '../src/shared/month.js';
import { daysOf } from './cycle.js';
import { seedCycleDatabase, settleDatabase } from './cycle-seed.js';

interface TableSize {
  table: string;
  rows: number;
  heapBytes: number;
  indexBytes: number;
}

const MiB = 1024 * 1024;

function withDatabase(url: string, name: string): string {
  const u = new URL(url);
  u.pathname = `/${name}`;
  return u.toString();
}

async function sizes(url: string): Promise<{ database: number; tables: TableSize[] }> {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    const db = await client.query<{ n: string }>('select pg_database_size(current_database()) as n');
    const tables = await client.query<{ table: string; heap: string; idx: string }>(
      `select c.relname as table, pg_table_size(c.oid) as heap, pg_indexes_size(c.oid) as idx
         from pg_class c join pg_namespace n on n.oid = c.relnamespace
        where n.nspname = 'public' and c.relkind = 'r' order by pg_total_relation_size(c.oid) desc`,
    );
    const out: TableSize[] = [];
    for (const t of tables.rows) {
      const rows = await client.query<{ n: string }>(`select count(*) as n from ${pg.escapeIdentifier(t.table)}`);
      out.push({ table: t.table, rows: Number(rows.rows[0]?.n), heapBytes: Number(t.heap), indexBytes: Number(t.idx) });
    }
    return { database: Number(db.rows[0]?.n), tables: out };
  } finally {
    await client.end();
  }
}

function report(title: string, members: number, s: { database: number; tables: TableSize[] }): string {
  const mib = (b: number) => (b / MiB).toFixed(1);
  const lines = [
    `### ${title}`,
    '',
    `Database ${mib(s.database)} MiB (pg_database_size), ${Math.round(s.database / members).toLocaleString('en-US')} bytes per member.`,
    '',
    '| Table | Rows | Rows per member | Heap + TOAST MiB | Indexes MiB | Total MiB | Bytes per member |',
    '|---|---:|---:|---:|---:|---:|---:|',
  ];
  for (const t of s.tables.filter((x) => x.rows > 0)) {
    const total = t.heapBytes + t.indexBytes;
    lines.push(
      `| ${t.table} | ${t.rows.toLocaleString('en-US')} | ${(t.rows / members).toFixed(2)} | ${mib(t.heapBytes)} | ${mib(t.indexBytes)} | ${mib(total)} | ${Math.round(total / members).toLocaleString('en-US')} |`,
    );
  }
  return lines.join('\n');
}

async function main(): Promise<void> {
  const admin = process.env['DATABASE_URL'];
  if (!admin) {
    throw new Error('DATABASE_URL (a throwaway PostgreSQL server) is required');
  }
  const members = Number(process.env['SIZE_MEMBERS'] ?? 100_000);
  const month = (process.env['BENCH_CYCLE_MONTH'] ?? '2027-01') as Month;
  const name = `lindung_size_${process.pid}`;
  const adminClient = new pg.Client({ connectionString: admin });
  await adminClient.connect();
  await adminClient.query(`create database ${name}`);
  const url = withDatabase(admin, name);
  try {
    const handle = await openPostgres(url, 2);
    await migrateToLatest(handle.db);
    await handle.close();
    const seeded = await seedCycleDatabase(url, { members, month, rules: defaultRuleBook });
    await settleDatabase(url);
    console.error(`seeded ${members} members in ${seeded.seconds.toFixed(1)} s`);
    const out = [report(`${members.toLocaleString('en-US')} members as seeded (before ${month})`, members, await sizes(url))];
    if (process.env['SIZE_CYCLE'] !== '0') {
      const repo = join(import.meta.dirname, '..');
      const input = { url, days: daysOf(month), concurrency: 2, lanes: 2 };
      const started = performance.now();
      const r = spawnSync(process.execPath, [join(repo, 'node_modules', 'tsx', 'dist', 'cli.mjs'), join(repo, 'bench', 'cycle-worker.ts'), JSON.stringify(input)], {
        cwd: repo,
        encoding: 'utf8',
        maxBuffer: 64 * MiB,
      });
      if (r.status !== 0) {
        throw new Error(`cycle worker failed (${r.status ?? r.signal}): ${r.stderr.slice(-4000)}`);
      }
      console.error(`cycle ${month} in ${((performance.now() - started) / 1000).toFixed(1)} s`);
      await settleDatabase(url);
      out.push(report(`After the cycle of ${month} (every day; dues, reminders and status changes; nobody pays)`, members, await sizes(url)));
    }
    console.log(out.join('\n\n'));
  } finally {
    await adminClient.query(`drop database if exists ${name} with (force)`);
    await adminClient.end();
  }
}

await main();
