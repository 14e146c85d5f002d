import { sql, type Transaction } from 'kysely';
import type { Database } from '../../db/database.js';
import type { Deps } from '../../deps.js';
import { settleCollectiveShares } from '../payments/index.js';
import { memberShareExternalId } from './domain/payer-bill-rules.js';

/**
 * The fan-out of a paid collective bill: every member bill linked to it is settled through the settlement engine
 * (payments' settleCollectiveShares: channel 'payer', externalId '<collective payment id>:<member bill id>', paid at
 * the collective's paidAt), in chunks ordered by bill id, each chunk its own transaction. Resumable and idempotent: a
 * chunk takes only member bills with no share recorded yet (the externalId is unique), so a run cut off mid-way is
 * continued by the next and nothing is settled twice. When none is left the collective becomes 'paid'.
 */
export interface FanOutChunk {
  /** Member bills taken in this chunk. */
  taken: number;
  applied: number;
  unmatched: number;
  /** Not settled and nothing recorded (see CollectiveShareOutcome 'refused'): left pending, logged. */
  refused: number;
  /** The last member bill id taken (the cursor for the next chunk); null when none was taken. */
  lastBillId: string | null;
  /** No member bill left to take after this chunk (the collective was marked paid if none is pending). */
  finished: boolean;
}

/** Runs one chunk's step in a transaction: its own (default) or the job's fenced batch (jobs/payer-bill-jobs.ts). */
export type ChunkRunner = (step: (trx: Transaction<Database>) => Promise<FanOutChunk>) => Promise<FanOutChunk>;

export interface FanOutOptions {
  chunkSize: number;
  /** Start after this member bill id ('' from the first); the job keeps it as its cursor. */
  after?: string;
  /** Stop after this many chunks even if member bills are left (a test simulating a crash). */
  maxChunks?: number;
  inTransaction?: ChunkRunner;
}

export interface FanOutTotals {
  chunks: number;
  applied: number;
  unmatched: number;
  refused: number;
  finished: boolean;
}

/** Fans a paid collective bill out (or continues its fan-out). A collective not paid yet is left alone (finished: false, 0 chunks). */
export async function fanOutPayerBill(deps: Deps, payerBillId: string, options: FanOutOptions): Promise<FanOutTotals> {
  const run: ChunkRunner = options.inTransaction ?? ((step) => deps.db.transaction().execute(step));
  const totals: FanOutTotals = { chunks: 0, applied: 0, unmatched: 0, refused: 0, finished: false };
  let after = options.after ?? '';
  const maxChunks = options.maxChunks ?? Number.MAX_SAFE_INTEGER;
  while (totals.chunks < maxChunks) {
    const chunk = await run((trx) => fanOutChunk(trx, deps, payerBillId, after, options.chunkSize));
    totals.chunks += 1;
    totals.applied += chunk.applied;
    totals.unmatched += chunk.unmatched;
    totals.refused += chunk.refused;
    if (chunk.finished || chunk.lastBillId === null) {
      totals.finished = chunk.finished;
      break;
    }
    after = chunk.lastBillId;
  }
  return totals;
}

const NOTHING: FanOutChunk = { taken: 0, applied: 0, unmatched: 0, refused: 0, lastBillId: null, finished: false };

/** One chunk in `trx`: up to `limit` member bills after `after` whose share is not recorded yet. */
export async function fanOutChunk(trx: Transaction<Database>, deps: Deps, payerBillId: string, after: string, limit: number): Promise<FanOutChunk> {
  const pb = await trx
    .selectFrom('payer_bill')
    .select(['id', 'status', 'payment_id', 'paid_at'])
    .where('id', '=', payerBillId)
    .forUpdate()
    .executeTakeFirst();
  if (!pb || pb.status === 'paid') {
    return { ...NOTHING, finished: pb?.status === 'paid' };
  }
  if (pb.status !== 'settling' || pb.payment_id === null || pb.paid_at === null) {
    return NOTHING;
  }
  const paymentId = pb.payment_id;
  const { rows } = await sql<{ id: string; payment_code: string; amount: string | number }>`
    select b.id, b.payment_code, b.amount from bill b
     where b.payer_bill_id = ${payerBillId} and b.id > ${after}
       and not exists (select 1 from payment p where p.external_id = ${paymentId} || ':' || b.id)
     order by b.id
     limit ${limit}`.execute(trx);
  const outcomes = await settleCollectiveShares(trx, deps, {
    paidAt: pb.paid_at,
    shares: rows.map((r) => ({ externalId: memberShareExternalId(paymentId, r.id), paymentCode: r.payment_code, amount: Number(r.amount) })),
  });
  const count = (s: string): number => outcomes.filter((o) => o.status === s).length;
  const chunk: FanOutChunk = {
    taken: rows.length,
    applied: count('applied') + count('duplicate'),
    unmatched: count('unmatched'),
    refused: count('refused'),
    lastBillId: rows.at(-1)?.id ?? null,
    finished: rows.length < limit,
  };
  if (chunk.refused > 0) {
    deps.logger.error('collective bill: member shares refused by the settlement, left pending', { payerBillId, refused: chunk.refused });
  }
  if (chunk.finished) {
    await markPaidWhenNonePending(trx, deps, payerBillId, paymentId);
  }
  return chunk;
}

/** The collective becomes 'paid' once every member bill has its share recorded (settled or unmatched). */
async function markPaidWhenNonePending(trx: Transaction<Database>, deps: Deps, payerBillId: string, paymentId: string): Promise<void> {
  const { rows } = await sql<{ pending: string | number }>`
    select count(*) as pending from bill b
     where b.payer_bill_id = ${payerBillId}
       and not exists (select 1 from payment p where p.external_id = ${paymentId} || ':' || b.id)`.execute(trx);
  const pending = Number(rows[0]?.pending ?? 0);
  if (pending > 0) {
    deps.logger.error('collective bill: fan-out walked every member bill, some still pending', { payerBillId, pending });
    return;
  }
  await trx.updateTable('payer_bill').set({ status: 'paid', fanned_out_at: deps.clock.now() }).where('id', '=', payerBillId).where('status', '=', 'settling').execute();
}
