import { sql, type Kysely } from 'kysely';
import type { Database } from '../../db/database.js';
import { recordStaffAction } from '../audit/index.js';
import { randomToken, sha256Hex } from '../../shared/crypto.js';
import { normalizeUsername } from './accounts.js';
import { burnPasswordCheck, verifyPassword } from './password.js';
import { isStaffRole, type StaffRole } from './roles.js';
import { totpStep } from './totp.js';

/** A staff session lasts 8 hours from sign-in (one working shift); then the staff member signs in again. */
export const STAFF_SESSION_HOURS = 8;
/** 5 failed sign-ins within 15 minutes lock the account for 15 minutes (api-contract.md, "Staff"). */
export const LOCKOUT = { failures: 5, windowMinutes: 15, lockMinutes: 15 } as const;
/** Staff tokens carry this prefix: a participant token is never looked up as a staff token, nor the reverse. */
export const STAFF_TOKEN_PREFIX = 'stf_';

export type SignInResult =
  | { ok: true; token: string; roles: StaffRole[]; expiresAt: Date }
  | { ok: false; code: 'invalid_credentials' | 'too_many_attempts' };

export interface SignInRequest {
  username: string;
  password: string;
  totp?: string | undefined;
  /** true in production: the account must have a TOTP secret and the request a valid code. */
  totpRequired: boolean;
}

/** A TOTP step another sign-in used first (the transaction is rolled back; the answer is invalid_credentials). */
class TotpReplayed extends Error {}

const minutes = (at: Date, n: number) => new Date(at.getTime() + n * 60_000);

/** The TOTP check: true when no code is needed, the accepted step when one was, false when it failed (or was replayed). */
function totpCheck(req: SignInRequest, account: { username: string; totp_secret: string | null; totp_last_step: number | null }, now: Date): boolean | number {
  if (account.totp_secret === null) {
    return !req.totpRequired;
  }
  const step = req.totp === undefined ? null : totpStep(account.username, account.totp_secret, req.totp, now);
  return step !== null && (account.totp_last_step === null || step > account.totp_last_step) ? step : false;
}

/** Counts a failed sign-in; the fifth within the window locks the account (audited as `staff_account.lock`): attempts while locked get too_many_attempts. */
async function recordFailure(db: Kysely<Database>, account: { id: number; username: string }, now: Date): Promise<void> {
  return db.transaction().execute(async (trx) => {
    await trx.insertInto('staff_sign_in_failure').values({ account_id: account.id, at: now }).execute();
    const { n } = await trx
      .selectFrom('staff_sign_in_failure')
      .select(sql<string>`count(*)`.as('n'))
      .where('account_id', '=', account.id)
      .where('at', '>', minutes(now, -LOCKOUT.windowMinutes))
      .executeTakeFirstOrThrow();
    if (Number(n) < LOCKOUT.failures) {
      return;
    }
    const lockedUntil = minutes(now, LOCKOUT.lockMinutes);
    await trx.updateTable('staff_account').set({ locked_until: lockedUntil }).where('id', '=', account.id).execute();
    await trx.deleteFrom('staff_sign_in_failure').where('account_id', '=', account.id).execute();
    const subject = `staff-account:${account.username}`;
    await recordStaffAction(trx, { actor: 'system', action: 'staff_account.lock', subject, reason: `${LOCKOUT.failures} failed sign-ins`, detail: {}, after: { lockedUntil }, at: now });
  });
}

/**
 * Signs a staff member in: username (any case) and password, and the TOTP code when the account has a secret (always
 * in production). One answer for an unknown username and a wrong password, in the same time (a dummy hash is checked).
 */
export async function signInStaff(db: Kysely<Database>, req: SignInRequest, now: Date): Promise<SignInResult> {
  const account = await db
    .selectFrom('staff_account')
    .select(['id', 'username', 'password_hash', 'roles', 'disabled', 'totp_secret', 'totp_last_step', 'locked_until'])
    .where(sql<string>`lower(username)`, '=', normalizeUsername(req.username))
    .executeTakeFirst();
  if (!account) {
    await burnPasswordCheck(req.password);
    return { ok: false, code: 'invalid_credentials' };
  }
  if (account.locked_until && new Date(account.locked_until) > now) {
    return { ok: false, code: 'too_many_attempts' };
  }
  const passwordOk = await verifyPassword(req.password, account.password_hash);
  const totp = passwordOk ? totpCheck(req, account, now) : false;
  if (!passwordOk || account.disabled || totp === false) {
    await recordFailure(db, { id: account.id, username: account.username }, now);
    return { ok: false, code: 'invalid_credentials' };
  }
  const token = `${STAFF_TOKEN_PREFIX}${randomToken()}`;
  const expiresAt = minutes(now, STAFF_SESSION_HOURS * 60);
  const opened = await openSession(db, { accountId: account.id, token, totp, now, expiresAt });
  if (!opened) {
    return { ok: false, code: 'invalid_credentials' };
  }
  return { ok: true, token, roles: account.roles.filter(isStaffRole), expiresAt };
}

/** Stores the session and marks the TOTP step used, in one transaction; false when another sign-in used that step. */
async function openSession(db: Kysely<Database>, s: { accountId: number; token: string; totp: true | number; now: Date; expiresAt: Date }): Promise<boolean> {
  const { accountId, token, totp, now, expiresAt } = s;
  try {
    await db.transaction().execute(async (trx) => {
      await trx.insertInto('staff_session').values({ token_hash: sha256Hex(token), account_id: accountId, created_at: now, expires_at: expiresAt }).execute();
      await trx.deleteFrom('staff_sign_in_failure').where('account_id', '=', accountId).execute();
      if (typeof totp === 'number') {
        // Only a later step is accepted: of two sign-ins racing with one code, one wins.
        const used = await trx
          .updateTable('staff_account')
          .set({ totp_last_step: totp })
          .where('id', '=', accountId)
          .where((eb) => eb.or([eb('totp_last_step', 'is', null), eb('totp_last_step', '<', totp)]))
          .executeTakeFirst();
        if (used.numUpdatedRows === 0n) {
          throw new TotpReplayed();
        }
      }
    });
    return true;
  } catch (err) {
    if (err instanceof TotpReplayed) {
      return false;
    }
    throw err;
  }
}

/** The staff member a live session token opens (not expired, account not disabled), or null. */
export async function findStaffSession(db: Kysely<Database>, token: string, now: Date): Promise<{ username: string; roles: StaffRole[] } | null> {
  if (!token.startsWith(STAFF_TOKEN_PREFIX)) {
    return null;
  }
  const row = await db
    .selectFrom('staff_session')
    .innerJoin('staff_account', 'staff_account.id', 'staff_session.account_id')
    .select(['staff_account.username', 'staff_account.roles'])
    .where('staff_session.token_hash', '=', sha256Hex(token))
    .where('staff_session.expires_at', '>', now)
    .where('staff_account.disabled', '=', false)
    .executeTakeFirst();
  return row ? { username: row.username, roles: row.roles.filter(isStaffRole) } : null;
}

/** Signs a staff session out: its token stops working at once. */
export async function signOutStaff(db: Kysely<Database>, token: string): Promise<void> {
  await db.deleteFrom('staff_session').where('token_hash', '=', sha256Hex(token)).execute();
}
