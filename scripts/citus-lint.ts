import { migrateToLatest, openPglite } from '../src/db/connect.js';
import { describeTables } from './citus/catalog.js';
import { CITUS_LAYOUT } from './citus/layout.js';
import { formatReport, lintCitus } from './citus/rules.js';

/**
 * `npm run lint:citus`: migrates a throwaway in-memory PGlite with every migration, reads its catalog and prints which
 * tables do not yet follow the Citus rules of docs/scaling.md. A report, not a gate: it exits 0 with findings (1 only
 * when it cannot run), unless `--strict` is given, which exits 1 on any finding — for the day a migration brings the
 * schema in line.
 */
const strict = process.argv.includes('--strict');
const handle = await openPglite();
try {
  await migrateToLatest(handle.db);
  const tables = await describeTables(handle.db);
  const findings = lintCitus(tables, CITUS_LAYOUT);
  console.log(formatReport(tables, CITUS_LAYOUT, findings));
  process.exitCode = strict && findings.length > 0 ? 1 : 0;
} finally {
  await handle.close();
}
