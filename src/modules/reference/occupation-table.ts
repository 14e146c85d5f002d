import type { Kysely } from 'kysely';
import type { Database } from '../../db/database.js';
import { recordStaffAction } from '../audit/index.js';
import type { Occupation } from './occupations.js';

/** An occupation as the table `occupation` holds it (admin-maintained; seeded from OCCUPATIONS). */
export interface OccupationRow extends Occupation {
  active: boolean;
  updatedBy: string;
  updatedAt: Date;
}

/**
 * The active occupations at one moment, in one object: registration, quotes, the simulator and
 * GET /reference/occupations read this, never the table itself. `version` names the codes and sectors it holds (what
 * a quote depends on): equal content, equal version, so what is memoised from it (the quote responder) keys on it.
 */
export interface OccupationDirectory {
  version: number;
  active: readonly Occupation[];
  /** An active occupation by its code; undefined for an unknown or deactivated one. */
  find(code: string): Occupation | undefined;
}

/** How long a process keeps the directory before reading the table again (another process's change shows within it). */
export const OCCUPATION_CACHE_MS = 30_000;

const cache = new WeakMap<object, { readAt: number; directory: Promise<OccupationDirectory> }>();
/** Versions by content (code:sector list): a few per process lifetime. */
const versions = new Map<string, number>();

type Db = Kysely<Database>;

const toRow = (r: { code: string; name: string; name_en: string; sector: string; active: boolean; updated_by: string; updated_at: Date | string }): OccupationRow => ({
  code: r.code,
  name: r.name,
  nameEn: r.name_en,
  sector: r.sector === 'transport' ? 'transport' : 'other',
  active: r.active,
  updatedBy: r.updated_by,
  updatedAt: new Date(r.updated_at),
});

async function readDirectory(db: Db): Promise<OccupationDirectory> {
  const rows = await db.selectFrom('occupation').selectAll().where('active', '=', true).orderBy('code').execute();
  const active = rows.map((r) => {
    const { code, name, nameEn, sector } = toRow(r);
    return { code, name, nameEn, sector };
  });
  const byCode = new Map(active.map((o) => [o.code, o]));
  const content = active.map((o) => `${o.code}:${o.sector}`).join(',');
  const version = versions.get(content) ?? versions.size + 1;
  versions.set(content, version);
  return { version, active, find: (code) => byCode.get(code) };
}

/** The active occupations (cached per database handle for OCCUPATION_CACHE_MS; a write through this module clears it). */
export function occupationDirectory(db: Db, nowMs: number = Date.now()): Promise<OccupationDirectory> {
  const hit = cache.get(db);
  if (hit && nowMs - hit.readAt < OCCUPATION_CACHE_MS) {
    return hit.directory;
  }
  const directory = readDirectory(db);
  cache.set(db, { readAt: nowMs, directory });
  directory.catch(() => cache.delete(db));
  return directory;
}

/** Every occupation, active or not, by code (the admin page and GET /staff/occupations). */
export async function listOccupations(db: Db): Promise<OccupationRow[]> {
  return (await db.selectFrom('occupation').selectAll().orderBy('code').execute()).map(toRow);
}

/**
 * Adds an occupation or changes one (rename, sector, deactivate or reactivate; never deleted: codes are stored with
 * participants). Audited `occupation.put` with before/after and the reason, in the same transaction.
 */
export async function putOccupation(db: Db, o: Occupation & { active: boolean }, meta: { actor: string; reason: string; at: Date }): Promise<OccupationRow> {
  const row = await db.transaction().execute(async (trx) => {
    const before = await trx.selectFrom('occupation').select(['name', 'name_en', 'sector', 'active']).where('code', '=', o.code).forUpdate().executeTakeFirst();
    const values = { name: o.name, name_en: o.nameEn, sector: o.sector, active: o.active, updated_by: meta.actor, updated_at: meta.at };
    await trx
      .insertInto('occupation')
      .values({ code: o.code, ...values })
      .onConflict((oc) => oc.column('code').doUpdateSet(values))
      .execute();
    const state = (s: { name: string; name_en: string; sector: string; active: boolean }) => ({ name: s.name, nameEn: s.name_en, sector: s.sector, active: s.active });
    await recordStaffAction(trx, {
      actor: meta.actor,
      action: 'occupation.put',
      subject: `occupation:${o.code}`,
      reason: meta.reason,
      detail: {},
      before: before ? state(before) : null,
      after: state(values),
      at: meta.at,
    });
    return { ...o, updatedBy: meta.actor, updatedAt: meta.at };
  });
  cache.delete(db);
  return row;
}
