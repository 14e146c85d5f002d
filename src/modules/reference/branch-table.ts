import type { Kysely } from 'kysely';
import type { Database } from '../../db/database.js';
import { recordStaffAction } from '../audit/index.js';
import type { Branch } from './branches.js';
import { PROVINCES } from './provinces.js';

/** A branch office as the table `branch` holds it (admin-maintained; seeded from BRANCHES). */
export interface BranchRow extends Branch {
  active: boolean;
  updatedBy: string;
  updatedAt: Date;
}

/**
 * The branch offices at one moment, in one object: registration, data changes, staff accounts, service points, the
 * pages and GET /reference/branches read this, never the table itself.
 */
export interface BranchDirectory {
  /** The active branches by code (offered to new registrations and changes). */
  active: readonly Branch[];
  /** An active branch by its code; undefined for an unknown or deactivated one (refused: unknown_branch). */
  find(code: string): Branch | undefined;
  /** The name of any branch, deactivated ones included (members keep theirs); the code itself when unknown. */
  name(code: string): string;
}

/** How long a process keeps the directory before reading the table again (another process's change shows within it). */
export const BRANCH_CACHE_MS = 30_000;

const cache = new WeakMap<object, { readAt: number; directory: Promise<BranchDirectory> }>();

type Db = Kysely<Database>;

type TableRow = { code: string; name: string; city: string; province: string; address: string | null; phone: string | null };

const toRow = (r: TableRow & { active: boolean; updated_by: string; updated_at: Date | string }): BranchRow => ({
  code: r.code,
  name: r.name,
  city: r.city,
  province: r.province,
  address: r.address,
  phone: r.phone,
  active: r.active,
  updatedBy: r.updated_by,
  updatedAt: new Date(r.updated_at),
});

const branchOf = ({ code, name, city, province, address, phone }: Branch): Branch => ({ code, name, city, province, address: address ?? null, phone: phone ?? null });

/** A directory over rows (every branch, active or not): pure, for tests and for readDirectory. */
export function directoryOf(rows: readonly (Branch & { active: boolean })[]): BranchDirectory {
  const active = rows.filter((b) => b.active).map(branchOf);
  const byCode = new Map(active.map((b) => [b.code, b]));
  const names = new Map(rows.map((b) => [b.code, b.name]));
  return { active, find: (code) => byCode.get(code), name: (code) => names.get(code) ?? code };
}

/** Every branch, active or not, by code (the admin page and GET /staff/branches). */
export async function listBranches(db: Db): Promise<BranchRow[]> {
  return (await db.selectFrom('branch').selectAll().orderBy('code').execute()).map(toRow);
}

/** The branches (cached per database handle for BRANCH_CACHE_MS; a write through this module clears it). */
export function branchDirectory(db: Db, nowMs: number = Date.now()): Promise<BranchDirectory> {
  const hit = cache.get(db);
  if (hit && nowMs - hit.readAt < BRANCH_CACHE_MS) {
    return hit.directory;
  }
  const directory = listBranches(db).then(directoryOf);
  cache.set(db, { readAt: nowMs, directory });
  directory.catch(() => cache.delete(db));
  return directory;
}

/** The address and phone to store: undefined keeps what the row has (a client that does not know them), null clears. */
const keptOr = (given: string | null | undefined, before: string | null | undefined): string | null => (given === undefined ? (before ?? null) : given || null);

/**
 * Adds a branch or changes one (rename, move city/province, address/phone, deactivate or reactivate; never deleted:
 * codes are stored with participants). 'unknown_province' when the province is not one of reference/provinces.ts. Audited
 * `branch.put` with before/after and the reason, in the same transaction.
 */
export async function putBranch(db: Db, b: Branch & { active: boolean }, meta: { actor: string; reason: string; at: Date }): Promise<BranchRow | 'unknown_province'> {
  if (!PROVINCES.some((p) => p.name === b.province)) {
    return 'unknown_province';
  }
  const row = await db.transaction().execute(async (trx) => {
    const before = await trx.selectFrom('branch').select(['name', 'city', 'province', 'address', 'phone', 'active']).where('code', '=', b.code).forUpdate().executeTakeFirst();
    const contact = { address: keptOr(b.address, before?.address), phone: keptOr(b.phone, before?.phone) };
    const values = { name: b.name, city: b.city, province: b.province, ...contact, active: b.active, updated_by: meta.actor, updated_at: meta.at };
    await trx
      .insertInto('branch')
      .values({ code: b.code, ...values })
      .onConflict((oc) => oc.column('code').doUpdateSet(values))
      .execute();
    // The address and phone appear in the audit once recorded (a branch without them keeps the earlier audit shape).
    const state = (s: Omit<TableRow, 'code'> & { active: boolean }) => ({
      name: s.name,
      city: s.city,
      province: s.province,
      active: s.active,
      ...(s.address === null ? {} : { address: s.address }),
      ...(s.phone === null ? {} : { phone: s.phone }),
    });
    await recordStaffAction(trx, {
      actor: meta.actor,
      action: 'branch.put',
      subject: `branch:${b.code}`,
      reason: meta.reason,
      detail: {},
      before: before ? state(before) : null,
      after: state(values),
      at: meta.at,
    });
    return { ...branchOf({ ...b, ...contact }), active: b.active, updatedBy: meta.actor, updatedAt: meta.at };
  });
  cache.delete(db);
  return row;
}
