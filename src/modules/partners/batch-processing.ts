import { sql, type Kysely, type Transaction } from 'kysely';
import type { Database, Funding } from '../../db/database.js';
import type { Deps } from '../../deps.js';
import { openNik } from '../identity/index.js';
import { openPayerBill } from '../payer-bills/index.js';
import { enrolMany, type EnrolManyRow, type EnrolmentRow, prepareEnrolment } from '../registration/index.js';

/**
 * Processing an enrolment batch, chunk by chunk (the `partner-batch:<id>` job, src/modules/jobs): each chunk is read,
 * checked (prepareEnrolment: pure checks, the registry and the existing members for the whole chunk, outside any
 * transaction), then written in ONE transaction with the job's progress (enrolMany's multi-row inserts and the rows'
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
  const rows = await db.selectFrom('partner_batch').select('id').where('status', '!=', 'done').orderBy('created_at').orderBy('id').limit(limit).execute();
  return rows.map((r) => r.id);
}

/**
 * One chunk after row `after`: returns the last row handled, or null when none was left (the batch is then finished).
 */
export async function processBatchChunk(deps: Deps, batchId: string, after: number, writer: ChunkWriter, size = BATCH_CHUNK): Promise<number | null> {
  const batch = await loadBatch(deps.db, batchId);
  if (!batch || batch.status === 'done') {
    return null;
  }
  const stored = (await deps.db
    .selectFrom('partner_batch_row')
    .select(['row', 'nik_sealed', 'nik_hash', 'duplicate', 'input'])
    .where('batch_id', '=', batchId)
    .where('row', '>', after)
    .orderBy('row')
    .limit(size)
    .execute()) as unknown as StoredRow[];
  if (stored.length === 0) {
    await finishBatch(deps, batchId, writer);
    return null;
  }
  const rows: EnrolManyRow[] = stored.map((s) => ({ ...s.input, nik: openNik(s.nik_sealed, deps.config.nik), ref: s.row, nikHash: s.nik_hash, nikSealed: s.nik_sealed, duplicate: s.duplicate }));
  const funding = batch.funding as Funding;
  const prepared = await prepareEnrolment(deps, rows, funding);
  const expiresAt = new Date(batch.created_at.getTime() + deps.rules.firstBillLifetimeMs);
  return writer.write(async (trx) => {
    const outcomes = await enrolMany(trx, deps, prepared, { channel: 'partner', funding, payerId: batch.partner_id, registeredBy: `partner:${batch.partner_id}`, expiresAt });
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
    return stored[stored.length - 1]?.row ?? after;
  });
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
