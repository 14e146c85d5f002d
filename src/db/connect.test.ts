import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { sql } from 'kysely';
import { describe, expect, it } from 'vitest';
import { openPglite } from './connect.js';

describe('the embedded database (openPglite, as src/main.ts opens it)', () => {
  it('keeps a 64MB buffer pool, not PostgreSQL\'s 128MB default, in the server\'s memory (issue 13, RSS)', async () => {
    const dataDir = mkdtempSync(join(tmpdir(), 'lindung-pglite-settings-'));
    try {
      // A new data directory (initdb), then the same directory opened again, as on every later start.
      for (let start = 0; start < 2; start++) {
        const handle = await openPglite({ dataDir });
        try {
          const shown = await sql<{ shared_buffers: string }>`show shared_buffers`.execute(handle.db);
          expect(shown.rows[0]?.shared_buffers).toBe('64MB');
        } finally {
          await handle.close();
        }
      }
    } finally {
      rmSync(dataDir, { recursive: true, force: true });
    }
  });
});
