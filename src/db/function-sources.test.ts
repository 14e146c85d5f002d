import { mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openTestDatabase } from '../../test/support/test-app.js';
import { MIGRATION_LOCK_ID } from './advisory-lock.js';
import type { DatabaseHandle } from './connect.js';
import { applyFunctionSources, FUNCTIONS_DIR, readFunctionSources } from './function-sources.js';

const probe = (n: number) => `create or replace function lindung_probe() returns int language sql as $$ select ${n} $$;\n`;

describe('the database function files (src/db/functions, applied after the migrations when they change)', () => {
  let handle: DatabaseHandle;
  let dir: string;
  beforeAll(async () => {
    handle = await openTestDatabase();
    dir = mkdtempSync(join(tmpdir(), 'lindung-functions-'));
  });
  afterAll(async () => {
    await handle.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it('has one file per function, named after it, each idempotent (create or replace)', () => {
    const sources = readFunctionSources();
    expect(sources.map((s) => s.name)).toEqual(readdirSync(FUNCTIONS_DIR).filter((f) => f.endsWith('.sql')).map((f) => f.slice(0, -4)).sort());
    for (const s of sources) {
      expect(s.text).toMatch(new RegExp(`create or replace function ${s.name}\\(`));
    }
  });

  it('the migrated database records every shipped file: a start with nothing changed applies none', async () => {
    expect(await applyFunctionSources(handle.db)).toEqual([]);
    const recorded = await handle.db.selectFrom('db_function_source').select(['name', 'sha256']).orderBy('name').execute();
    expect(recorded).toEqual(readFunctionSources().map((s) => ({ name: s.name, sha256: s.sha256 })));
  });

  it('applies a new file, skips it while unchanged, and applies it again once changed', async () => {
    writeFileSync(join(dir, 'lindung_probe.sql'), probe(1));
    expect(await applyFunctionSources(handle.db, dir)).toEqual(['lindung_probe']);
    expect((await sql<{ v: number }>`select lindung_probe() as v`.execute(handle.db)).rows[0]?.v).toBe(1);
    expect(await applyFunctionSources(handle.db, dir)).toEqual([]);

    writeFileSync(join(dir, 'lindung_probe.sql'), probe(2));
    writeFileSync(join(dir, 'lindung_probe_b.sql'), probe(3).replace('lindung_probe()', 'lindung_probe_b()'));
    expect(await applyFunctionSources(handle.db, dir)).toEqual(['lindung_probe', 'lindung_probe_b']);
    expect((await sql<{ v: number }>`select lindung_probe() as v`.execute(handle.db)).rows[0]?.v).toBe(2);
    expect(await applyFunctionSources(handle.db, dir)).toEqual([]);
  });

  it('a file that fails changes nothing and records nothing, nor do the files changed with it: the next start tries again', async () => {
    // lindung_probe (valid) is applied first, then lindung_probe_b fails: both stay as they were.
    writeFileSync(join(dir, 'lindung_probe.sql'), probe(4));
    writeFileSync(join(dir, 'lindung_probe_b.sql'), `${probe(7).replace('lindung_probe()', 'lindung_probe_b()')}select no_such_column from db_function_source;\n`);
    await expect(applyFunctionSources(handle.db, dir)).rejects.toThrow(/no_such_column/);
    expect((await sql<{ v: number }>`select lindung_probe() as v`.execute(handle.db)).rows[0]?.v).toBe(2);
    expect((await sql<{ v: number }>`select lindung_probe_b() as v`.execute(handle.db)).rows[0]?.v).toBe(3);
    writeFileSync(join(dir, 'lindung_probe_b.sql'), probe(3).replace('lindung_probe()', 'lindung_probe_b()'));
    writeFileSync(join(dir, 'lindung_probe.sql'), probe(5));
    expect(await applyFunctionSources(handle.db, dir)).toEqual(['lindung_probe']);
    expect((await sql<{ v: number }>`select lindung_probe() as v`.execute(handle.db)).rows[0]?.v).toBe(5);
  });

  it('waits for the migrator: it takes the same advisory lock (PostgreSQL, where another session can hold it)', async (ctx) => {
    if (handle.kind !== 'postgres') {
      ctx.skip();
    }
    writeFileSync(join(dir, 'lindung_probe.sql'), probe(6));
    await handle.db.connection().execute(async (conn) => {
      // What Kysely's Migrator holds while migrations run (kysely/dist/dialect/postgres/postgres-adapter.js).
      await sql`select pg_advisory_lock(${sql.lit(MIGRATION_LOCK_ID)}::int8)`.execute(conn);
      let settled = false;
      const applying = applyFunctionSources(handle.db, dir).finally(() => (settled = true));
      await new Promise((resolve) => setTimeout(resolve, 300));
      expect(settled).toBe(false);
      await sql`select pg_advisory_unlock(${sql.lit(MIGRATION_LOCK_ID)}::int8)`.execute(conn);
      expect(await applying).toEqual(['lindung_probe']);
    });
  });
});
