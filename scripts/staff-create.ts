/**
 * Creates a staff account from the command line — the production bootstrap (there is no /dev/staff in production):
 *
 *   npm run staff:create -- --username siti --roles admin[,supervisor…] [--branch JKT01]
 *
 * Uses the server's database settings (DATABASE_URL, else the PGlite DATA_DIR) and runs the migrations first. The
 * password is read from STAFF_PASSWORD when set, else a random one is made; the account always gets a TOTP secret.
 * Prints the password (when made here) and the otpauth:// URI ONCE: enrol it in an authenticator app (or show it as a
 * QR code) and keep neither in shell history. Audited as `staff_account.create` by `system`.
 */
import { randomBytes } from 'node:crypto';
import { parseArgs } from 'node:util';
import { loadConfig } from '../src/config.js';
import { migrateToLatest, openPglite, openPostgres } from '../src/db/connect.js';
import { createStaffAccount, isStaffRole, type StaffRole } from '../src/modules/staff/index.js';

function fail(message: string): never {
  process.stderr.write(`${message}\n`);
  process.exit(2);
}

async function main(): Promise<void> {
  const { values } = parseArgs({ options: { username: { type: 'string' }, roles: { type: 'string' }, branch: { type: 'string' } } });
  const username = values.username ?? fail('--username is required');
  const roles = (values.roles ?? fail('--roles is required (comma-separated)')).split(',').map((r) => r.trim());
  const unknown = roles.filter((r) => !isStaffRole(r));
  if (unknown.length > 0) {
    fail(`unknown role(s): ${unknown.join(', ')}`);
  }
  const made = process.env['STAFF_PASSWORD'] ? null : randomBytes(15).toString('base64url');
  const password = process.env['STAFF_PASSWORD'] ?? made ?? '';
  if (password.length < 12) {
    fail('STAFF_PASSWORD must be at least 12 characters');
  }
  const config = loadConfig();
  const handle = config.databaseUrl ? await openPostgres(config.databaseUrl, { poolSize: 1 }) : await openPglite({ dataDir: config.dataDir });
  try {
    await migrateToLatest(handle.db);
    const account = await createStaffAccount(
      handle.db,
      { username, password, roles: roles as StaffRole[], branchCode: values.branch ?? null, withTotp: true },
      { actor: 'system', at: new Date() },
    );
    if (!account) {
      fail(`username ${username} is taken`);
    }
    process.stdout.write(`created staff account ${account.username} (${account.roles.join(', ')})\n`);
    if (made) {
      process.stdout.write(`password (shown once): ${made}\n`);
    }
    process.stdout.write(`TOTP (shown once; enrol it in an authenticator app): ${account.otpauthUri ?? ''}\n`);
  } finally {
    await handle.close();
  }
}

await main();
