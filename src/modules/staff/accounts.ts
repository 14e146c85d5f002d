import { sql, type Kysely } from 'kysely';
import type { Database } from '../../db/database.js';
import { recordStaffAction } from '../audit/index.js';
import { hashPassword } from './password.js';
import type { StaffRole } from './roles.js';
import { newTotpSecret, totpUri } from './totp.js';

export interface NewStaffAccount {
  username: string;
  password: string;
  roles: readonly StaffRole[];
  branchCode?: string | null;
  /** The service point (service_point.code) an officer works at: an SPO officer registers with channel 'spo'. */
  servicePointCode?: string | null;
  /** true: the account gets a TOTP secret (always in production; the CLI always asks for one). */
  withTotp: boolean;
}

/** Usernames are compared case-insensitively: they are kept in lower case. */
export function normalizeUsername(username: string): string {
  return username.trim().toLowerCase();
}

/**
 * Creates a staff account (audited as `staff_account.create` by `actor`, in the same transaction). Returns the
 * otpauth:// URI when a TOTP secret was made — shown once, never stored anywhere else. null: the username is taken.
 */
export async function createStaffAccount(
  db: Kysely<Database>,
  input: NewStaffAccount,
  meta: { actor: string; at: Date; reason?: string | null },
): Promise<{ username: string; roles: StaffRole[]; branchCode: string | null; otpauthUri: string | null } | null> {
  const username = normalizeUsername(input.username);
  const passwordHash = await hashPassword(input.password);
  const secret = input.withTotp ? newTotpSecret() : null;
  const roles = [...new Set(input.roles)];
  return db.transaction().execute(async (trx) => {
    const row = await trx
      .insertInto('staff_account')
      .values({ username, password_hash: passwordHash, roles, branch_code: input.branchCode ?? null, service_point_code: input.servicePointCode ?? null, totp_secret: secret, created_at: meta.at })
      .onConflict((oc) => oc.expression(sql`lower(username)`).doNothing())
      .returning('id')
      .executeTakeFirst();
    if (!row) {
      return null;
    }
    const after = { username, roles, branchCode: input.branchCode ?? null, ...(input.servicePointCode ? { servicePointCode: input.servicePointCode } : {}), totp: secret !== null, disabled: false };
    await recordStaffAction(trx, { actor: meta.actor, action: 'staff_account.create', subject: `staff-account:${username}`, reason: meta.reason ?? null, detail: {}, after, at: meta.at });
    return { username, roles, branchCode: input.branchCode ?? null, otpauthUri: secret ? totpUri(username, secret) : null };
  });
}
