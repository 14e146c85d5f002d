/**
 * Key rotation of the NIK at rest (docs/security.md "Rotating the NIK keys"):
 *
 *   npm run nik:reseal                      re-seals every stored NIK not sealed under the current key (first of NIK_KEYS)
 *   NIK_HASH_KEY_NEXT=<hex> npm run nik:reseal   also recomputes every nik_hash under the next hash key (server stopped)
 *
 * Uses the server's configuration (NIK_KEYS, NIK_HASH_KEY, DATABASE_URL, else the PGlite DATA_DIR) and runs the
 * migrations first. Rows are rewritten one at a time in batches of 500 read in primary-key order, so it can run beside
 * a serving server for a seal-key rotation; a second run rewrites nothing. Prints the count per table.
 */
import { loadConfig } from '../src/config.js';
import { migrateToLatest, openPglite, openPostgres } from '../src/db/connect.js';
import { resealNiks } from '../src/modules/identity/index.js';

async function main(): Promise<void> {
  const config = loadConfig();
  const next = process.env['NIK_HASH_KEY_NEXT'];
  if (next !== undefined && !/^([0-9a-fA-F]{2}){32,}$/.test(next)) {
    throw new Error('NIK_HASH_KEY_NEXT: hex of at least 32 bytes');
  }
  const nextHashKey = next ? Buffer.from(next, 'hex') : undefined;
  const handle = config.databaseUrl ? await openPostgres(config.databaseUrl, { poolSize: 1 }) : await openPglite({ dataDir: config.dataDir });
  try {
    await migrateToLatest(handle.db);
    const counts = await resealNiks(handle.db, config.nik, nextHashKey ? { nextHashKey } : {});
    process.stdout.write(`${JSON.stringify({ resealedUnder: config.nik.seal[0]?.id, hashRotated: Boolean(nextHashKey), rows: counts })}\n`);
    if (nextHashKey) {
      process.stdout.write('Now set NIK_HASH_KEY to the value of NIK_HASH_KEY_NEXT and start the server.\n');
    }
  } finally {
    await handle.close();
  }
}

main().catch((err: unknown) => {
  process.stderr.write(`${err instanceof Error ? err.message : String(err)}\n`);
  process.exit(1);
});
