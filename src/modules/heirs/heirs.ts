import type { Deps } from '../../deps.js';
import { newId } from '../../shared/ids.js';
import { localDateInJakarta } from '../../shared/month.js';
import { recordStaffAction } from '../audit/index.js';
import { maskNik, type NikKeys, openNik, protectNik } from '../identity/index.js';
import { validateHeirs, type HeirInput, type HeirRejection, type HeirRelationship, type ValidHeir } from './domain/heirs.js';

/**
 * A member's heirs (table `heir`): read them (the member, staff by KPJ) and replace the whole list (the member, from
 * the API or the portal), audited as `participant:<kpj>` in the transaction of the change. The NIK leaves this file
 * only masked.
 */
export interface HeirView {
  id: string;
  fullName: string;
  relationship: HeirRelationship;
  birthDate: string;
  phone: string | null;
  /** 3275********0001, or null when the member gave none. */
  nikMasked: string | null;
  priority: number;
}

type Db = Deps['db'];

async function heirsOf(db: Db, keys: NikKeys, participantId: string): Promise<HeirView[]> {
  const rows = await db
    .selectFrom('heir')
    .select(['id', 'full_name', 'relationship', 'birth_date', 'phone', 'nik_sealed', 'priority'])
    .where('participant_id', '=', participantId)
    .orderBy('priority')
    .execute();
  return rows.map((r) => ({
    id: r.id,
    fullName: r.full_name,
    relationship: r.relationship,
    birthDate: r.birth_date,
    phone: r.phone,
    nikMasked: r.nik_sealed === null ? null : maskNik(openNik(r.nik_sealed, keys)),
    priority: r.priority,
  }));
}

/** The member's heirs in priority order, or null for an unknown participant. */
export async function listHeirs(deps: Deps, participantId: string): Promise<HeirView[] | null> {
  const member = await deps.db.selectFrom('participant').select('id').where('id', '=', participantId).executeTakeFirst();
  return member ? heirsOf(deps.db, deps.config.nik, participantId) : null;
}

/** Staff: the heirs of the participant with this KPJ, or null when there is none. */
export async function listHeirsByKpj(deps: Deps, kpj: string): Promise<HeirView[] | null> {
  const member = await deps.db.selectFrom('participant').select('id').where('kpj', '=', kpj).executeTakeFirst();
  return member ? heirsOf(deps.db, deps.config.nik, member.id) : null;
}

/** A kept heir without a new NIK keeps its stored one (the member never sees it in full, so cannot resend it). */
function rowsFor(
  participantId: string,
  list: ValidHeir[],
  stored: Map<string, { nik_hash: string | null; nik_sealed: string | null; created_at: Date | string }>,
  keys: NikKeys,
  now: Date,
) {
  return list.map((h) => {
    const kept = h.id !== null ? stored.get(h.id) : undefined;
    return {
      id: kept ? (h.id as string) : newId('heir'),
      participant_id: participantId,
      full_name: h.fullName,
      relationship: h.relationship,
      birth_date: h.birthDate,
      phone: h.phone,
      ...(h.nik !== null ? protectNik(h.nik, keys) : { nik_hash: kept?.nik_hash ?? null, nik_sealed: kept?.nik_sealed ?? null }),
      priority: h.priority,
      created_at: kept ? new Date(kept.created_at) : now,
      updated_at: now,
    };
  });
}

export type ReplaceHeirsResult = { ok: true; value: HeirView[] } | HeirRejection | { ok: false; code: 'unauthorized' };

/**
 * PUT /me/heirs and the portal's forms: checks the whole list (domain/heirs.ts; its order is the priority), then
 * replaces the stored list in one transaction with the audit row. An `id` naming a stored heir keeps that heir's id,
 * created_at and (when no new one is sent) NIK; an unknown id is a new heir.
 */
export async function replaceHeirs(deps: Deps, participantId: string, inputs: readonly HeirInput[]): Promise<ReplaceHeirsResult> {
  const now = deps.clock.now();
  const checked = validateHeirs(inputs, localDateInJakarta(now));
  if (!checked.ok) {
    return checked;
  }
  const done = await deps.db.transaction().execute(async (trx) => {
    const member = await trx.selectFrom('participant').select('kpj').where('id', '=', participantId).forUpdate().executeTakeFirst();
    if (!member) {
      return false;
    }
    const before = await heirsOf(trx, deps.config.nik, participantId);
    const storedRows = await trx.selectFrom('heir').select(['id', 'nik_hash', 'nik_sealed', 'created_at']).where('participant_id', '=', participantId).execute();
    const stored = new Map(storedRows.map((r) => [r.id, r]));
    const rows = rowsFor(participantId, checked.value, stored, deps.config.nik, now);
    await trx.deleteFrom('heir').where('participant_id', '=', participantId).execute();
    if (rows.length > 0) {
      await trx.insertInto('heir').values(rows).execute();
    }
    const after = await heirsOf(trx, deps.config.nik, participantId);
    await recordStaffAction(trx, { actor: `participant:${member.kpj}`, action: 'heirs.put', subject: `participant:${member.kpj}`, reason: null, detail: { count: rows.length }, before, after, at: now });
    return true;
  });
  return done ? { ok: true, value: await heirsOf(deps.db, deps.config.nik, participantId) } : { ok: false, code: 'unauthorized' };
}
