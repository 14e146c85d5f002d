import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { openPglite } from '../../src/db/connect.js';
import { killMidLoad, moneyProblems, openBills, startServerProcess, type ServerProcess } from './server-process.js';

/**
 * Issue 13's kill -9 acceptance on the embedded database (PGlite with DATA_DIR on disk): the server process is killed
 * with SIGKILL while payment notifications arrive, started again on the same data directory, and the channels resend
 * whatever was not answered — 0 lost, 0 doubled, ledger balanced. Runs in CI's embedded pass (no DATABASE_URL); the
 * PostgreSQL variant is in postgres-outage.test.ts.
 */
const embedded = !process.env['DATABASE_URL'];
let dataDir = '';
let server: ServerProcess | undefined;

afterAll(async () => {
  server?.child.kill('SIGKILL');
  if (dataDir) {
    rmSync(dataDir, { recursive: true, force: true });
  }
});

describe.skipIf(!embedded)('the embedded database after a kill -9 of the server', () => {
  it('every notification resent after the restart is settled exactly once, the ledger balanced', async () => {
    dataDir = mkdtempSync(join(tmpdir(), 'lindung-crash-'));
    const env = { DATA_DIR: dataDir };
    server = await startServerProcess(env);
    const bills = await openBills(server.origin, 60, 3);
    const run = await killMidLoad(server, bills, env, 'embedded-kill', 15);
    server = run.restarted;
    expect(run.killed.signal).toBe('SIGKILL');
    expect(run.answeredBeforeKill).toBeLessThan(bills.length);
    expect(run.deliveries.filter((d) => d.attempts.length > 0).length).toBeGreaterThan(0);
    // The data directory has one owner at a time: stop the server (SIGTERM drains and exits 0), then look inside.
    server.child.kill('SIGTERM');
    expect(await server.exited).toEqual({ code: 0, signal: null });
    server = undefined;
    const handle = await openPglite({ dataDir });
    try {
      expect(await moneyProblems(handle.db, bills, run.deliveries)).toEqual([]);
    } finally {
      await handle.close();
    }
  }, 120_000);
});
