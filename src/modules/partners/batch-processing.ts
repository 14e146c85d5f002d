import { sql, type Kysely, type Transaction } from 'kysely';
import type { Database, Funding } from '../../db/database.js';
import type { Deps } from '../../deps.js';
import { openNik } from '../identity/index.js';
import { openPayerBill } from '../payer-bills/index.js';
import { enrolMany, type EnrolManyRow, type EnrolmentRow, prepareEnrolment, type PreparedEnrolment } from '../registration/index.js';

/**
 * Processing an enrolment batch, chunk by chunk (the `partner-batch:<id>` job, src/modules/jobs): each chunk is read,
 * checked (prepareEnrolment: pure checks, the registry and the existing members for the whole chunk, outside any
 * transaction; the next chunk's while the current one is written), then written in ONE transaction with the job's progress (enrolMany's multi-row inserts and the rows'
 * outcomes), so a crash resumes after the last committed chunk and no row is enrolled twice. After the last chunk the
 * accepted rows' first bills are put on one collective bill (payer-bills openPayerBill, id `batch:<id>`).
 */
export const BATCH_CHUNK = 2_000;

export interface ChunkWriter {
  /** Runs the writes of one chunk in a transaction that also stores the job's progress (JobContext.batch). */
  write<T>(step: (trx: Transaction<Database>) => Promise<T>): Promise<T>;
}

interface StoredRow {
  row: number;
  nik_sealed: string;
  nik_hash: string;
  nik_valid: boolean;
  duplicate: boolean;
  input: Omit<EnrolmentRow, 'nik'>;
}

export async function loadBatch(db: Kysely<Database>, id: string) {
  return db
    .selectFrom('partner_batch')
    .innerJoin('partner', 'partner.id', 'partner_batch.partner_id')
    .select(['partner_batch.id', 'partner_batch.partner_id', 'partner_batch.status', 'partner_batch.total', 'partner_batch.created_at', 'partner.name', 'partner.funding'])
    .where('partner_batch.id', '=', id)
    .executeTakeFirst();
}

/** Batches waiting for their job (queued, or running when a runner died), oldest first. */
export async function unfinishedBatches(db: Kysely<Database>, limit = 10): Promise<string[]> {
  const rows = await db.selectFrom('partner_batch').select('id').where('status', '<>', 'done').orderBy('created_at').orderBy('id').limit(limit).execute();
  return rows.map((r) => r.id);
}

export interface PreparedChunk {
  batchId: string;
  partnerId: string;
  funding: Funding;
  expiresAt: Date;
  /** The last row of the chunk. */
  last: number;
  prepared: PreparedEnrolment;
}

/**
 * Reads and checks the chunk after row `after` (no writes, no transaction): null when no row is left. The job
 * prepares the next chunk while the previous one is being written (the two touch different rows).
 */
export async function prepareBatchChunk(deps: Deps, batchId: string, after: number, size = BATCH_CHUNK): Promise<PreparedChunk | null> {
  const batch = await loadBatch(deps.db, batchId);
  if (!batch || batch.status === 'done') {
    return null;
  }
  const stored = (await deps.db
    .selectFrom('partner_batch_row')
    .select(['row', 'nik_sealed', 'nik_hash', 'nik_valid', 'duplicate', 'input'])
    .where('batch_id', '=', batchId)
    .where('row', '>', after)
    .orderBy('row')
    .limit(size)
    .execute()) as unknown as StoredRow[];
  const last = stored[stored.length - 1]?.row;
  if (last === undefined) {
    return null;
  }
  // The NIK is opened only if something needs it in plain (an identity provider that looks up by the NIK itself).
  const keys = deps.config.nik;
  const rows: EnrolManyRow[] = stored.map((s) => ({
    ...s.input,
    get nik() {
      return openNik(s.nik_sealed, keys);
    },
    nikValid: s.nik_valid,
    ref: s.row,
    nikHash: s.nik_hash,
    nikSealed: s.nik_sealed,
    duplicate: s.duplicate,
  }));
  const funding = batch.funding as Funding;
  const prepared = await withoutOpenBatchRows(deps, batchId, await prepareEnrolment(deps, rows, funding));
  const expiresAt = new Date(batch.created_at.getTime() + deps.rules.firstBillLifetimeMs);
  return { batchId, partnerId: batch.partner_id, funding, expiresAt, last, prepared };
}

/** Writes a prepared chunk: registrations and bills (enrolMany), the rows' outcomes, the batch's counters. Returns its last row. */
export async function writeBatchChunk(deps: Deps, chunk: PreparedChunk, writer: ChunkWriter): Promise<number> {
  const { batchId, partnerId } = chunk;
  return writer.write(async (trx) => {
    const outcomes = await enrolMany(trx, deps, chunk.prepared, { channel: 'partner', funding: chunk.funding, payerId: partnerId, registeredBy: `partner:${partnerId}`, expiresAt: chunk.expiresAt });
    const results = outcomes.map((o) =>
      o.status === 'accepted' ? { r: o.ref, s: 'accepted', c: null, f: null, g: o.registrationId, b: o.billId } : { r: o.ref, s: 'rejected', c: o.code, f: o.field, g: null, b: null },
    );
    await sql`
      update partner_batch_row t set status = x.s, code = x.c, field = x.f, registration_id = x.g, bill_id = x.b
        from jsonb_to_recordset(${JSON.stringify(results)}::jsonb) as x (r int, s text, c text, f text, g text, b text)
       where t.batch_id = ${batchId} and t.row = x.r
    `.execute(trx);
    const accepted = outcomes.filter((o) => o.status === 'accepted').length;
    await trx
      .updateTable('partner_batch')
      .set((eb) => ({
        status: 'running',
        processed: eb('processed', '+', outcomes.length),
        accepted: eb('accepted', '+', accepted),
        rejected: eb('rejected', '+', outcomes.length - accepted),
      }))
      .where('id', '=', batchId)
      .execute();
    return chunk.last;
  });
}

/**
 * Processes the batch from row `after` to its end and finishes it: chunk N+1 is read and checked while chunk N is
 * written. `writer.write` commits each chunk with the caller's progress (the job's cursor = the last row written).
 */
export async function processBatch(deps: Deps, batchId: string, after: number, writer: ChunkWriter, size = BATCH_CHUNK): Promise<void> {
  let next = prepareBatchChunk(deps, batchId, after, size);
  for (;;) {
    const chunk = await next;
    if (!chunk) {
      await finishBatch(deps, batchId, writer);
      return;
    }
    next = prepareBatchChunk(deps, batchId, chunk.last, size);
    // A failed write ends this run (the job retries from its cursor); the read already started must not go unhandled.
    next.catch(() => undefined);
    await writeBatchChunk(deps, chunk, writer);
  }
}

/** The batch's one bill over every accepted row's first bill, then 'done' (a batch with none accepted gets no bill). */
async function finishBatch(deps: Deps, batchId: string, writer: ChunkWriter): Promise<void> {
  const batch = await loadBatch(deps.db, batchId);
  if (!batch) {
    return;
  }
  const billIds = (await deps.db.selectFrom('partner_batch_row').select('bill_id').where('batch_id', '=', batchId).where('status', '=', 'accepted').orderBy('row').execute())
    .map((r) => r.bill_id)
    .filter((b): b is string => b !== null);
  const now = deps.clock.now();
  await writer.write(async (trx) => {
    let bill: { id: string; paymentCode: string; amount: number } | null = null;
    if (billIds.length > 0) {
      bill = await openPayerBill(trx, deps, {
        id: `batch:${batchId}`,
        payerId: batch.partner_id,
        purpose: 'enrolment',
        label: `Pendaftaran batch ${batchId} — ${batch.name}`,
        memberBillIds: billIds,
        expiresAt: new Date(batch.created_at.getTime() + deps.rules.firstBillLifetimeMs),
      });
    }
    await trx
      .updateTable('partner_batch')
      .set({ status: 'done', finished_at: now, payer_bill_id: bill?.id ?? null, payment_code: bill?.paymentCode ?? null, amount: bill?.amount ?? null })
      .where('id', '=', batchId)
      .execute();
  });
}

/**
 * A row whose NIK already has an open registration from another batch (of ANY partner) whose bill is not paid yet —
 * two partners, or one partner twice, enrolling the same worker — is rejected `already_in_open_batch` (field nik),
 * so the worker is not registered and billed twice. One look-up for the chunk (`= any`, by registration.nik_hash,
 * then the batch row by its registration and the bill by its id: all indexed). Once that bill is paid the worker is
 * a member (already_registered); once it expires the NIK is free again.
 */
async function withoutOpenBatchRows(deps: Deps, batchId: string, prepared: PreparedEnrolment): Promise<PreparedEnrolment> {
  const hashes = prepared.accepted.map((a) => a.row.nikHash);
  if (hashes.length === 0) {
    return prepared;
  }
  const open = await deps.db
    .selectFrom('registration as r')
    .innerJoin('partner_batch_row as pr', 'pr.registration_id', 'r.id')
    .innerJoin('bill as b', 'b.id', 'pr.bill_id')
    .select('r.nik_hash')
    .where('r.nik_hash', '=', sql<string>`any(${hashes}::text[])`)
    .where('r.status', '=', 'submitted')
    .where('pr.batch_id', '<>', batchId)
    .where('b.status', '=', 'open')
    .where('b.expires_at', '>', deps.clock.now())
    .execute();
  if (open.length === 0) {
    return prepared;
  }
  const taken = new Set(open.map((o) => o.nik_hash));
  const rejected = prepared.accepted.filter((a) => taken.has(a.row.nikHash)).map((a) => ({ ref: a.row.ref, status: 'rejected' as const, code: 'already_in_open_batch' as const, field: 'nik' }));
  return { rejected: [...prepared.rejected, ...rejected], accepted: prepared.accepted.filter((a) => !taken.has(a.row.nikHash)) };
}
