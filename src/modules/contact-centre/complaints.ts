import type { Deps } from '../../deps.js';
import type { Complaint } from '../../db/database.js';
import { newId } from '../../shared/ids.js';
import { ok, reject, type Result } from '../../shared/result.js';
import { recordStaffAction } from '../audit/index.js';
import { isWorkingDay } from '../contributions/index.js';
import { slaDueAt, type ComplaintCategory } from './domain/sla.js';

export interface ComplaintView {
  id: string;
  kpj: string;
  category: string;
  description: string;
  status: 'open' | 'resolved';
  openedAt: string;
  slaDueAt: string;
  /** Open past its SLA due instant (now, as the caller's clock says). */
  overdue: boolean;
  openedBy: string;
  resolvedAt: string | null;
  resolvedBy: string | null;
  resolution: string | null;
}

function view(r: Complaint, kpj: string, now: Date): ComplaintView {
  return {
    id: r.id,
    kpj,
    category: r.category,
    description: r.description,
    status: r.status === 'resolved' ? 'resolved' : 'open',
    openedAt: r.opened_at.toISOString(),
    slaDueAt: r.sla_due_at.toISOString(),
    overdue: r.status === 'open' && r.sla_due_at.getTime() < now.getTime(),
    openedBy: r.opened_by,
    resolvedAt: r.resolved_at?.toISOString() ?? null,
    resolvedBy: r.resolved_by,
    resolution: r.resolution,
  };
}

/** Opens a complaint (pengaduan) for a member; due after the category's working days (the holiday calendar). Audited. */
export async function openComplaint(
  deps: Deps,
  p: { id: string; kpj: string },
  input: { category: ComplaintCategory; description: string; actor: string },
): Promise<ComplaintView> {
  const now = deps.clock.now();
  const row: Complaint = {
    id: newId('cmp'),
    participant_id: p.id,
    category: input.category,
    description: input.description,
    status: 'open',
    opened_at: now,
    sla_due_at: slaDueAt(now, input.category, (d) => isWorkingDay(d, deps.rules)),
    opened_by: input.actor,
    resolved_at: null,
    resolved_by: null,
    resolution: null,
  };
  await deps.db.transaction().execute(async (trx) => {
    await trx.insertInto('complaint').values(row).execute();
    await recordStaffAction(trx, {
      actor: input.actor,
      action: 'complaint.open',
      subject: `complaint:${row.id}`,
      reason: input.description,
      detail: { kpj: p.kpj, category: row.category, slaDueAt: row.sla_due_at.toISOString() },
      after: { status: 'open' },
      at: now,
    });
  });
  return view(row, p.kpj, now);
}

/** A member's complaints, newest first. */
export async function listComplaints(deps: Deps, p: { id: string; kpj: string }): Promise<ComplaintView[]> {
  const rows = await deps.db.selectFrom('complaint').selectAll().where('participant_id', '=', p.id).orderBy('opened_at', 'desc').limit(200).execute();
  const now = deps.clock.now();
  return rows.map((r) => view(r, p.kpj, now));
}

/** Resolves an open complaint with its resolution (the audit's reason); a resolved one answers complaint_resolved. */
export async function resolveComplaint(
  deps: Deps,
  id: string,
  input: { resolution: string; actor: string },
): Promise<Result<ComplaintView, 'unknown_complaint' | 'complaint_resolved'>> {
  const now = deps.clock.now();
  return deps.db.transaction().execute(async (trx) => {
    const found = await trx
      .selectFrom('complaint')
      .innerJoin('participant', 'participant.id', 'complaint.participant_id')
      .selectAll('complaint')
      .select('participant.kpj')
      .where('complaint.id', '=', id)
      .forUpdate()
      .executeTakeFirst();
    if (!found) {
      return reject('unknown_complaint', 'id');
    }
    if (found.status !== 'open') {
      return reject('complaint_resolved');
    }
    const { kpj, ...row } = found;
    const resolved: Complaint = { ...row, status: 'resolved', resolved_at: now, resolved_by: input.actor, resolution: input.resolution };
    await trx.updateTable('complaint').set({ status: 'resolved', resolved_at: now, resolved_by: input.actor, resolution: input.resolution }).where('participant_id', '=', row.participant_id).where('id', '=', id).execute();
    await recordStaffAction(trx, {
      actor: input.actor,
      action: 'complaint.resolve',
      subject: `complaint:${id}`,
      reason: input.resolution,
      detail: { kpj, category: row.category, withinSla: now.getTime() <= row.sla_due_at.getTime() },
      before: { status: 'open' },
      after: { status: 'resolved' },
      at: now,
    });
    return ok(view(resolved, kpj, now));
  });
}
