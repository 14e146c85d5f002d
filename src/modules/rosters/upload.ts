import { sql, type Kysely, type Transaction } from 'kysely';
import type { Database, Funding } from '../../db/database.js';
import { payerInForceSql } from '../../db/payer-in-force.js';
import type { Deps } from '../../deps.js';
import { AppError } from '../../http/errors.js';
import { newId } from '../../shared/ids.js';
import { ok, reject, type Result } from '../../shared/result.js';
import { nikHash } from '../identity/index.js';
import { setFundingMany } from '../membership/index.js';
import type { RosterRowResult, RosterUploadRow } from './domain/roster-upload.js';
import { leaveRoster } from './leave.js';

export type RosterUploadStatus = 'queued' | 'running' | 'done';

export interface RosterUploadView {
  id: string;
  period: string;
  status: RosterUploadStatus;
  total: number;
  processed: number;
  accepted: number;
  rejected: number;
  rows: RosterRowResult[];
}

const INSERT_CHUNK = 5_000;
/** Rows applied per chunk of the job (each chunk's outcomes and the cursor commit together). */
export const ROSTER_UPLOAD_CHUNK = 500;

interface Payer {
  id: string;
  name: string;
  funding: Funding;
}

async function governmentPayer(db: Kysely<Database>, payerId: string): Promise<Payer> {
  const payer = await db.selectFrom('partner').select(['id', 'name', 'funding']).where('id', '=', payerId).executeTakeFirst();
  if (!payer || (payer.funding !== 'apbn' && payer.funding !== 'apbd')) {
    throw new AppError('forbidden', undefined, 'roster uploads are for government payers (funding apbn or apbd)');
  }
  return payer as Payer;
}

/**
 * A government payer's roster upload for `period` (issue 17 item 3), stored and answered at once (202): every row
 * with its NIK as the keyed hash (never plain) or its KPJ, the rows the format checks rejected with their outcome
 * already; the job `roster-upload:<id>` (jobs/roster-jobs.ts) applies the others in chunks (processRosterUpload). The
 * same Idempotency-Key with the same body is the same upload; another body under it: idempotency_key_reused.
 */
export async function submitRosterUpload(
  deps: Deps,
  payerId: string,
  input: { period: string; idempotencyKey: string; bodyHash: string; rows: readonly RosterUploadRow[]; rejected: readonly RosterRowResult[] },
): Promise<Result<{ id: string; status: RosterUploadStatus; created: boolean }, 'idempotency_key_reused'>> {
  await governmentPayer(deps.db, payerId);
  const find = () => deps.db.selectFrom('roster_upload').select(['id', 'status', 'body_hash']).where('payer_id', '=', payerId).where('idempotency_key', '=', input.idempotencyKey).executeTakeFirst();
  const existing = await find();
  if (existing) {
    return existing.body_hash === input.bodyHash ? ok({ id: existing.id, status: existing.status as RosterUploadStatus, created: false }) : reject('idempotency_key_reused', 'Idempotency-Key');
  }
  const id = newId('rup');
  const now = deps.clock.now();
  const stored = [
    ...input.rows.map((r) => ({ r: r.row, h: r.nik !== null ? nikHash(r.nik, deps.config.nik) : null, k: r.kpj, a: r.action, s: null, c: null, f: null })),
    ...input.rejected.map((r) => ({ r: r.row, h: null, k: null, a: 'join', s: 'rejected', c: r.code ?? null, f: r.field ?? null })),
  ].sort((a, b) => a.r - b.r);
  const created = await deps.db.transaction().execute(async (trx) => {
    const inserted = await trx
      .insertInto('roster_upload')
      .values({ id, payer_id: payerId, period: input.period, idempotency_key: input.idempotencyKey, body_hash: input.bodyHash, status: 'queued', total: stored.length, processed: input.rejected.length, accepted: 0, created_at: now })
      .onConflict((oc) => oc.columns(['payer_id', 'idempotency_key']).doNothing())
      .returning('id')
      .executeTakeFirst();
    if (!inserted) {
      return false;
    }
    for (let i = 0; i < stored.length; i += INSERT_CHUNK) {
      await sql`
        insert into roster_upload_row (upload_id, row, nik_hash, kpj, action, status, code, field)
        select ${id}, x.r, x.h, x.k, x.a, x.s, x.c, x.f
          from jsonb_to_recordset(${JSON.stringify(stored.slice(i, i + INSERT_CHUNK))}::jsonb) as x (r int, h text, k text, a text, s text, c text, f text)`.execute(trx);
    }
    return true;
  });
  if (!created) {
    return submitRosterUpload(deps, payerId, input); // another request with this key won the race
  }
  deps.logger.info('roster upload queued', { uploadId: id, payerId, period: input.period, rows: stored.length });
  return ok({ id, status: 'queued', created: true });
}

/** The upload as its payer sees it: progress and the per-row outcomes so far (null: not this payer's). */
export async function rosterUploadView(db: Kysely<Database>, payerId: string, id: string): Promise<RosterUploadView | null> {
  const u = await db.selectFrom('roster_upload').selectAll().where('id', '=', id).where('payer_id', '=', payerId).executeTakeFirst();
  if (!u) {
    return null;
  }
  const rows = await db
    .selectFrom('roster_upload_row')
    .select(['row', 'status', 'code', 'field', 'member_kpj'])
    .where('upload_id', '=', id)
    .where('status', 'is not', null)
    .orderBy('row')
    .execute();
  const results = rows.map((r): RosterRowResult =>
    r.status === 'accepted' ? { row: r.row, status: 'accepted', kpj: r.member_kpj ?? undefined } : { row: r.row, status: 'rejected', code: r.code ?? undefined, field: r.field ?? undefined },
  );
  return { id: u.id, period: u.period, status: u.status as RosterUploadStatus, total: u.total, processed: u.processed, accepted: u.accepted, rejected: u.processed - u.accepted, rows: results };
}

/** Uploads not done yet, oldest first (the job runner's recurring probe). */
export async function unfinishedRosterUploads(db: Kysely<Database>, limit: number): Promise<string[]> {
  const rows = await db.selectFrom('roster_upload').select('id').where('status', '<>', 'done').orderBy('created_at').limit(limit).execute();
  return rows.map((r) => r.id);
}

interface PendingRow {
  row: number;
  action: 'join' | 'leave';
  field: 'nik' | 'kpj';
  pid: string | null;
  pkpj: string | null;
  payer: string | null;
  dup: boolean;
}

/**
 * The next chunk's rows with their member (by NIK hash or KPJ), the payer in force for the period, and whether a row
 * already handled names the same member (only handled rows carry participant_id: every one before the chunk). That
 * look-up is one hashed set per chunk, not a probe per row over the upload's earlier rows (which made 100,000 rows
 * quadratic: bench/roster-upload.ts).
 */
async function pendingRows(db: Kysely<Database>, uploadId: string, period: string, after: number): Promise<PendingRow[]> {
  const { rows } = await sql<{ row: number; action: 'join' | 'leave'; nik_hash: string | null; pid: string | null; pkpj: string | null; payer: string | null; dup: boolean | null }>`
    with c as (
      select r.row, r.action, r.nik_hash, p.id as pid, p.kpj as pkpj, p.funding, p.registration_id
        from roster_upload_row r
        left join participant p on p.id = coalesce((select pn.id from participant pn where pn.nik_hash = r.nik_hash),
                                                   (select pk.id from participant pk where pk.kpj = r.kpj))
       where r.upload_id = ${uploadId} and r.status is null and r.row > ${after}
       order by r.row
       limit ${ROSTER_UPLOAD_CHUNK})
    select c.row, c.action, c.nik_hash, c.pid, c.pkpj,
           case when c.pid is null then null else ${payerInForceSql(sql.ref('c.pid'), sql.ref('c.funding'), sql.ref('c.registration_id'), period)} end as payer,
           c.pid in (select e.participant_id from roster_upload_row e where e.upload_id = ${uploadId} and e.participant_id is not null) as dup
      from c
     order by c.row`.execute(db);
  return rows.map((r) => ({ row: r.row, action: r.action, field: r.nik_hash !== null ? 'nik' : 'kpj', pid: r.pid, pkpj: r.pkpj, payer: r.payer, dup: Boolean(r.dup) }));
}

/** Writes one chunk's outcomes in the caller's (the job's fenced) transaction, in one statement, and the progress. */
async function writeChunk(trx: Transaction<Database>, uploadId: string, results: readonly { row: number; result: RosterRowResult; pid: string | null }[]): Promise<void> {
  const data = results.map(({ row, result, pid }) => ({ r: row, s: result.status, c: result.code ?? null, f: result.field ?? null, k: result.kpj ?? null, p: pid }));
  await sql`
    update roster_upload_row u set status = x.s, code = x.c, field = x.f, member_kpj = x.k, participant_id = x.p
      from jsonb_to_recordset(${JSON.stringify(data)}::jsonb) as x (r int, s text, c text, f text, k text, p text)
     where u.upload_id = ${uploadId} and u.row = x.r`.execute(trx);
  const accepted = results.filter((r) => r.result.status === 'accepted').length;
  await sql`update roster_upload set status = 'running', processed = processed + ${results.length}, accepted = accepted + ${accepted} where id = ${uploadId}`.execute(trx);
}

/** Runs one chunk's write in a transaction: the job's fenced batch (jobs/roster-jobs.ts). */
export type RosterChunkWriter = (step: (trx: Transaction<Database>) => Promise<number>) => Promise<number>;

type ChunkResult = { row: number; result: RosterRowResult; pid: string | null };
/** A join the chunk's transaction applies (setFundingMany), or a row's outcome known before it. */
type Planned = { kind: 'done'; result: RosterRowResult } | { kind: 'join'; row: PendingRow };

/**
 * Applies an upload from row `after` on, chunk by chunk: each chunk's leave rows one by one (leaveRoster, its own
 * transaction), then its join rows' funding changes set-based (membership setFundingMany), its outcomes and the cursor
 * in ONE transaction, `write` (a re-run chunk gives the same results: nothing of it committed, or all of it and the
 * cursor past it); marks the upload done when no row is left.
 */
export async function processRosterUpload(deps: Deps, uploadId: string, after: number, write: RosterChunkWriter): Promise<void> {
  const u = await deps.db.selectFrom('roster_upload').select(['payer_id', 'period', 'status']).where('id', '=', uploadId).executeTakeFirst();
  if (!u || u.status === 'done') {
    return;
  }
  const payer = await governmentPayer(deps.db, u.payer_id);
  let cursor = after;
  for (;;) {
    const rows = await pendingRows(deps.db, uploadId, u.period, cursor);
    if (rows.length === 0) {
      break;
    }
    const seen = new Set<string>();
    const planned: { row: PendingRow; plan: Planned; pid: string | null }[] = [];
    for (const r of rows) {
      const duplicate = r.pid !== null && (r.dup || seen.has(r.pid));
      planned.push({ row: r, plan: await planRow(deps, payer, r, duplicate), pid: duplicate ? null : r.pid });
      if (r.pid !== null) {
        seen.add(r.pid);
      }
    }
    const last = rows[rows.length - 1]!.row;
    cursor = await write(async (trx) => {
      await writeChunk(trx, uploadId, await applyJoins(trx, deps, payer, u.period, planned));
      return last;
    });
  }
  await write(async (trx) => {
    await trx.updateTable('roster_upload').set({ status: 'done', finished_at: deps.clock.now() }).where('id', '=', uploadId).execute();
    return cursor;
  });
  deps.logger.info('roster upload done', { uploadId });
}

/**
 * The chunk's joins (issue 17 item 3): every member moved under the payer's funding from the period in the chunk's
 * transaction (setFundingMany, audited as partner:<id>); a refusal is the row's outcome (funding_month_paid: the
 * period is already paid).
 */
async function applyJoins(trx: Transaction<Database>, deps: Deps, payer: Payer, period: string, planned: readonly { row: PendingRow; plan: Planned; pid: string | null }[]): Promise<ChunkResult[]> {
  const joins = planned.flatMap((x) => (x.plan.kind === 'join' ? [x.plan.row] : []));
  const outcomes = await setFundingMany(
    trx,
    deps,
    joins.map((r) => ({ participantId: r.pid ?? '', funding: payer.funding, payerId: payer.id, payerName: payer.name, fromMonth: period, actor: `partner:${payer.id}`, reason: `Daftar peserta ${payer.name} mulai ${period}` })),
  );
  const byRow = new Map(joins.map((r, i) => [r.row, outcomes[i]!]));
  return planned.map(({ row, plan, pid }): ChunkResult => {
    if (plan.kind === 'done') {
      return { row: row.row, result: plan.result, pid };
    }
    const o = byRow.get(row.row)!;
    const result: RosterRowResult = o.ok
      ? { row: row.row, status: 'accepted', kpj: row.pkpj ?? undefined }
      : { row: row.row, status: 'rejected', code: o.code === 'funding_month_paid' ? 'funding_month_paid' : 'unknown_participant', field: o.code === 'funding_month_paid' ? 'period' : row.field };
    return { row: row.row, result, pid };
  });
}

/**
 * One row before the chunk's transaction (issue 17 item 3): `join` of a member already on this payer's roster:
 * accepted, nothing changes; of a member another payer or a sponsor pays the month for: funded_by_other_payer;
 * otherwise a join for applyJoins. `leave` is leaveRoster. Codes: unknown_participant, duplicate_in_batch,
 * funded_by_other_payer, funding_month_paid (applyJoins), not_on_roster (leave).
 */
async function planRow(deps: Deps, payer: Payer, row: PendingRow, duplicate: boolean): Promise<Planned> {
  const field = row.field;
  const done = (result: RosterRowResult): Planned => ({ kind: 'done', result });
  const reject = (code: string, f: string = field): Planned => done({ row: row.row, status: 'rejected', code, field: f });
  if (row.pid === null || row.pkpj === null) {
    return reject('unknown_participant');
  }
  if (duplicate) {
    return reject('duplicate_in_batch');
  }
  const accepted = done({ row: row.row, status: 'accepted', kpj: row.pkpj });
  if (row.action === 'leave') {
    try {
      await leaveRoster(deps, payer.id, row.pkpj, null);
      return accepted;
    } catch (err) {
      if (err instanceof AppError) {
        return reject(err.code);
      }
      throw err;
    }
  }
  const current = row.payer ?? '';
  if (current === payer.id) {
    return accepted;
  }
  return current !== '' ? reject('funded_by_other_payer') : { kind: 'join', row };
}
