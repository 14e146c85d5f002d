import type { Kysely, Transaction } from 'kysely';
import type { Database } from '../../db/database.js';
import { recordStaffAction } from '../audit/index.js';
import { normalizeUsername } from './accounts.js';
import { isStaffRole, type StaffRole } from './roles.js';
import { newTotpSecret, totpUri } from './totp.js';

/** One staff account as the administration sees it (never the password hash nor the TOTP secret). */
export interface StaffAccountView {
  username: string;
  roles: StaffRole[];
  branchCode: string | null;
  /** The service point the officer works at (an SPO officer registers with channel 'spo'); null: the branch itself. */
  servicePointCode?: string | null;
  disabled: boolean;
  totp: boolean;
  lockedUntil: Date | null;
  createdAt: Date;
}

/** What an admin may change on an account: its roles, its branch, disabled or enabled. */
export interface StaffAccountChange {
  roles?: readonly StaffRole[] | undefined;
  branchCode?: string | null | undefined;
  servicePointCode?: string | null | undefined;
  disabled?: boolean | undefined;
}

export interface AdminMeta {
  actor: string;
  reason: string;
  at: Date;
}

/** Why a change was refused: no such account, or the admin would take admin away from themselves. */
export type AdminRefusal = 'not_found' | 'own_admin_role';

const COLUMNS = ['username', 'roles', 'branch_code', 'service_point_code', 'disabled', 'totp_secret', 'locked_until', 'created_at'] as const;

type Row = { username: string; roles: string[]; branch_code: string | null; service_point_code: string | null; disabled: boolean; totp_secret: string | null; locked_until: Date | null; created_at: Date };

function viewOf(r: Row): StaffAccountView {
  return {
    username: r.username,
    roles: r.roles.filter(isStaffRole),
    branchCode: r.branch_code,
    servicePointCode: r.service_point_code,
    disabled: r.disabled,
    totp: r.totp_secret !== null,
    lockedUntil: r.locked_until ? new Date(r.locked_until) : null,
    createdAt: new Date(r.created_at),
  };
}

/** The audited state of an account (before/after of the staff audit): no secret, no hash. */
function auditState(v: StaffAccountView) {
  return { username: v.username, roles: v.roles, branchCode: v.branchCode, ...(v.servicePointCode ? { servicePointCode: v.servicePointCode } : {}), totp: v.totp, disabled: v.disabled };
}

/** Every staff account, by username. */
export async function listStaffAccounts(db: Kysely<Database>): Promise<StaffAccountView[]> {
  const rows = await db.selectFrom('staff_account').select(COLUMNS).orderBy('username').execute();
  return rows.map((r) => viewOf(r as Row));
}

/** One staff account, or null. */
export async function findStaffAccount(db: Kysely<Database>, username: string): Promise<StaffAccountView | null> {
  const row = await db.selectFrom('staff_account').select(COLUMNS).where('username', '=', normalizeUsername(username)).executeTakeFirst();
  return row ? viewOf(row as Row) : null;
}

async function lockAccount(trx: Transaction<Database>, username: string) {
  const row = await trx.selectFrom('staff_account').select(['id', ...COLUMNS]).where('username', '=', normalizeUsername(username)).forUpdate().executeTakeFirst();
  return row ? { id: row.id, view: viewOf(row as Row) } : null;
}

/**
 * PURE: whether `change` by `actor` to the account `target` would leave the actor without admin (disabling their own
 * account or dropping their own admin role) — refused, so the system always keeps the admin who made the change.
 */
export function removesOwnAdmin(actor: string, target: StaffAccountView, change: StaffAccountChange): boolean {
  if (normalizeUsername(actor) !== target.username || !target.roles.includes('admin')) {
    return false;
  }
  return change.disabled === true || (change.roles !== undefined && !change.roles.includes('admin'));
}

/**
 * Changes an account's roles, branch or disabled flag (audited `staff_account.update` with before/after and the
 * reason, in the same transaction). Disabling ends every session of the account at once.
 */
export async function updateStaffAccount(db: Kysely<Database>, username: string, change: StaffAccountChange, meta: AdminMeta): Promise<StaffAccountView | AdminRefusal> {
  return db.transaction().execute(async (trx) => {
    const found = await lockAccount(trx, username);
    if (!found) {
      return 'not_found' as const;
    }
    if (removesOwnAdmin(meta.actor, found.view, change)) {
      return 'own_admin_role' as const;
    }
    const before = found.view;
    const after: StaffAccountView = {
      ...before,
      roles: change.roles ? [...new Set(change.roles)] : before.roles,
      branchCode: change.branchCode === undefined ? before.branchCode : change.branchCode,
      servicePointCode: change.servicePointCode === undefined ? before.servicePointCode : change.servicePointCode,
      disabled: change.disabled ?? before.disabled,
    };
    await trx.updateTable('staff_account').set({ roles: after.roles, branch_code: after.branchCode, service_point_code: after.servicePointCode, disabled: after.disabled }).where('id', '=', found.id).execute();
    if (after.disabled) {
      await trx.deleteFrom('staff_session').where('account_id', '=', found.id).execute();
    }
    const action = before.disabled !== after.disabled ? (after.disabled ? 'staff_account.disable' : 'staff_account.enable') : 'staff_account.update';
    await recordStaffAction(trx, { actor: meta.actor, action, subject: `staff-account:${before.username}`, reason: meta.reason, detail: {}, before: auditState(before), after: auditState(after), at: meta.at });
    return after;
  });
}

/**
 * Gives the account a new TOTP secret (the old authenticator stops working) and ends its sessions; the next sign-in
 * needs a code from the new secret. Returns the otpauth:// URI — shown once, never stored elsewhere nor audited.
 */
export async function resetStaffTotp(db: Kysely<Database>, username: string, meta: AdminMeta): Promise<{ username: string; otpauthUri: string } | 'not_found'> {
  const secret = newTotpSecret();
  return db.transaction().execute(async (trx) => {
    const found = await lockAccount(trx, username);
    if (!found) {
      return 'not_found' as const;
    }
    await trx.updateTable('staff_account').set({ totp_secret: secret, totp_last_step: null }).where('id', '=', found.id).execute();
    await trx.deleteFrom('staff_session').where('account_id', '=', found.id).execute();
    const subject = `staff-account:${found.view.username}`;
    await recordStaffAction(trx, { actor: meta.actor, action: 'staff_account.reset_totp', subject, reason: meta.reason, detail: {}, before: auditState(found.view), after: auditState({ ...found.view, totp: true }), at: meta.at });
    return { username: found.view.username, otpauthUri: totpUri(found.view.username, secret) };
  });
}
