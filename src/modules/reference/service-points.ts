import type { Kysely } from 'kysely';
import type { Database } from '../../db/database.js';
import { recordStaffAction } from '../audit/index.js';
import { branchDirectory } from './branch-table.js';

/** Where members are served: a bank's SPO desk or a branch office counter. */
export const SERVICE_POINT_KINDS = ['spo', 'branch_counter'] as const;
export type ServicePointKind = (typeof SERVICE_POINT_KINDS)[number];

export interface ServicePoint {
  code: string;
  branchCode: string;
  kind: ServicePointKind;
  name: string;
  active: boolean;
  updatedBy: string;
  updatedAt: Date;
}

/**
 * Service points live in the table service_point (admin-maintained); a point names its branch (the table `branch`)
 * by code, checked on write. Ordered by branch, then code.
 */
export async function listServicePoints(db: Kysely<Database>): Promise<ServicePoint[]> {
  const rows = await db.selectFrom('service_point').selectAll().orderBy('branch_code').orderBy('code').execute();
  return rows.map((r) => ({
    code: r.code,
    branchCode: r.branch_code,
    kind: r.kind as ServicePointKind,
    name: r.name,
    active: r.active,
    updatedBy: r.updated_by,
    updatedAt: new Date(r.updated_at),
  }));
}

/**
 * Creates or replaces a service point (audited `service_point.put` with before/after and the reason, in the same
 * transaction). 'unknown_branch' when the branch code names no active branch (a point already at a since
 * deactivated branch may still be changed, e.g. deactivated itself).
 */
export async function putServicePoint(
  db: Kysely<Database>,
  p: { code: string; branchCode: string; kind: ServicePointKind; name: string; active: boolean },
  meta: { actor: string; reason: string; at: Date },
): Promise<ServicePoint | 'unknown_branch'> {
  if (!(await branchDirectory(db)).find(p.branchCode)) {
    const current = await db.selectFrom('service_point').select('branch_code').where('code', '=', p.code).executeTakeFirst();
    if (current?.branch_code !== p.branchCode) {
      return 'unknown_branch';
    }
  }
  return db.transaction().execute(async (trx) => {
    const before = await trx.selectFrom('service_point').select(['branch_code', 'kind', 'name', 'active']).where('code', '=', p.code).forUpdate().executeTakeFirst();
    const row = { code: p.code, branch_code: p.branchCode, kind: p.kind, name: p.name, active: p.active, updated_by: meta.actor, updated_at: meta.at };
    await trx
      .insertInto('service_point')
      .values(row)
      .onConflict((oc) => oc.column('code').doUpdateSet({ branch_code: p.branchCode, kind: p.kind, name: p.name, active: p.active, updated_by: meta.actor, updated_at: meta.at }))
      .execute();
    const after = { branchCode: p.branchCode, kind: p.kind, name: p.name, active: p.active };
    const beforeState = before ? { branchCode: before.branch_code, kind: before.kind, name: before.name, active: before.active } : null;
    await recordStaffAction(trx, { actor: meta.actor, action: 'service_point.put', subject: `service-point:${p.code}`, reason: meta.reason, detail: {}, before: beforeState, after, at: meta.at });
    return { ...p, updatedBy: meta.actor, updatedAt: meta.at };
  });
}
