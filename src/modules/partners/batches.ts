import { sql, type Kysely } from 'kysely';
import type { Database } from '../../db/database.js';
import type { Deps } from '../../deps.js';
import { newId } from '../../shared/ids.js';
import { ok, reject, type Result } from '../../shared/result.js';
import { nikHash, sealNik } from '../identity/index.js';
import { duplicatesInBatch, type EnrolmentRow } from '../registration/index.js';

/**
 * Enrolment batches (api-contract "Partners, sponsors and government payers"): stored on upload — every row with its
 * NIK hashed and sealed (never plain), the duplicates within the batch marked — and answered 202 queued; a job
 * (batch-processing.ts) then checks and enrols them in chunks. The same Idempotency-Key with the same body is the
 * same batch; with another body it is refused (idempotency_key_reused).
 */
export type BatchStatus = 'queued' | 'running' | 'done';

const INSERT_CHUNK = 2_000;

export async function submitBatch(
  deps: Deps,
  partnerId: string,
  input: { idempotencyKey: string; bodyHash: string; rows: EnrolmentRow[] },
): Promise<Result<{ id: string; status: BatchStatus; created: boolean }, 'idempotency_key_reused'>> {
  const existing = await findByKey(deps.db, partnerId, input.idempotencyKey);
  if (existing) {
    return existing.body_hash === input.bodyHash ? ok({ id: existing.id, status: existing.status as BatchStatus, created: false }) : reject('idempotency_key_reused', 'Idempotency-Key');
  }
  const now = deps.clock.now();
  const id = newId('pbt');
  const hashes = input.rows.map((r) => nikHash(r.nik, deps.config.nik));
  const dup = duplicatesInBatch(hashes);
  const created = await deps.db.transaction().execute(async (trx) => {
    const inserted = await trx
      .insertInto('partner_batch')
      .values({
        id, partner_id: partnerId, idempotency_key: input.idempotencyKey, body_hash: input.bodyHash, status: 'queued', total: input.rows.length,
        bill_expires_at: null, created_at: now,
      })
      .onConflict((oc) => oc.columns(['partner_id', 'idempotency_key']).doNothing())
      .returning('id')
      .executeTakeFirst();
    if (!inserted) {
      return false;
    }
    for (let start = 0; start < input.rows.length; start += INSERT_CHUNK) {
      const chunk = input.rows.slice(start, start + INSERT_CHUNK).map((r, i) => {
        const { nik, ...rest } = r;
        return { r: start + i + 1, h: hashes[start + i], s: sealNik(nik, deps.config.nik), d: dup[start + i], i: rest };
      });
      await sql`
        insert into partner_batch_row (batch_id, row, nik_hash, nik_sealed, duplicate, input)
        select ${id}, x.r, x.h, x.s, x.d, x.i from jsonb_to_recordset(${JSON.stringify(chunk)}::jsonb) as x (r int, h text, s text, d boolean, i jsonb)
      `.execute(trx);
    }
    return true;
  });
  if (!created) {
    // Another request with this key won the race: answer as a repeat of it.
    return submitBatch(deps, partnerId, input);
  }
  deps.logger.info('enrolment batch queued', { batchId: id, partnerId, rows: input.rows.length });
  return ok({ id, status: 'queued' as const, created: true });
}

async function findByKey(db: Kysely<Database>, partnerId: string, key: string) {
  return db.selectFrom('partner_batch').select(['id', 'status', 'body_hash']).where('partner_id', '=', partnerId).where('idempotency_key', '=', key).executeTakeFirst();
}

export interface BatchRowView {
  row: number;
  status: 'accepted' | 'rejected';
  code?: string;
  field?: string;
  kpj?: string;
}

export interface BatchView {
  id: string;
  status: BatchStatus;
  total: number;
  processed: number;
  accepted: number;
  rejected: number;
  createdAt: string;
  rows: BatchRowView[];
  bill?: { paymentCode: string; amount: number };
}

/** A partner's own batch with its per-row outcomes (rows not yet processed are not listed); null for another's. */
export async function batchView(db: Kysely<Database>, partnerId: string, id: string): Promise<BatchView | null> {
  const b = await db.selectFrom('partner_batch').selectAll().where('id', '=', id).where('partner_id', '=', partnerId).executeTakeFirst();
  if (!b) {
    return null;
  }
  const rows = await db
    .selectFrom('partner_batch_row as r')
    .leftJoin('registration as g', 'g.id', 'r.registration_id')
    .leftJoin('participant as p', 'p.id', 'g.participant_id')
    .select(['r.row', 'r.status', 'r.code', 'r.field', 'p.kpj'])
    .where('r.batch_id', '=', id)
    .where('r.status', 'is not', null)
    .orderBy('r.row')
    .execute();
  return {
    id: b.id,
    status: b.status as BatchStatus,
    total: b.total,
    processed: b.processed,
    accepted: b.accepted,
    rejected: b.rejected,
    createdAt: b.created_at.toISOString(),
    rows: rows.map((r) => ({
      row: r.row,
      status: r.status as 'accepted' | 'rejected',
      ...(r.code ? { code: r.code } : {}),
      ...(r.field ? { field: r.field } : {}),
      ...(r.kpj ? { kpj: r.kpj } : {}),
    })),
    ...(b.payment_code !== null && b.amount !== null ? { bill: { paymentCode: b.payment_code, amount: Number(b.amount) } } : {}),
  };
}
