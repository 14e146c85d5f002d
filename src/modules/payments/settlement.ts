import { sql, type Kysely } from 'kysely';
import { z } from 'zod';
import { UNMATCHED_REASONS, type Database } from '../../db/database.js';
import { resultOf } from '../../db/function-result.js';
import { isDatabaseUnavailable } from '../../db/unavailable.js';
import type { Deps } from '../../deps.js';
import { withoutLogFields, type Logger } from '../../shared/logger.js';
import type { Metrics } from '../../shared/metrics.js';

/*
 * The calls into the database's settlement functions (the migrations that write them are named below): bill payments,
 * with group commit, and top-ups. apply-payment.ts decides which and answers the channel.
 */

const duplicate = z.object({ status: z.literal('duplicate') });
const conflict = z.object({ status: z.literal('conflict') });
const unmatched = z.object({ status: z.literal('unmatched'), reason: z.enum(UNMATCHED_REASONS) });
const credited = { participantId: z.string().min(1), walletCredit: z.number().int().nonnegative() };

/**
 * What `lindung_apply_payment` answers for one notification (src/db/functions/lindung_apply_payment.sql), parsed from
 * its jsonb: a shape the function does not answer is an error, not a cast.
 */
export const settlementResultSchema = z.discriminatedUnion('status', [
  duplicate,
  conflict,
  z.object({ status: z.literal('applied'), ...credited }),
  unmatched,
  /** paidAt more than the clock skew before the bill was issued: nothing recorded */
  z.object({ status: z.literal('invalid_paid_at') }),
  /** a collective bill's code (src/db/functions/lindung_apply_payer_payment.sql): paid, its fan-out job scheduled */
  z.object({ status: z.literal('payer'), payerBillId: z.string().min(1), walletCredit: z.literal(0) }),
]);

/** What `lindung_apply_topup` answers (src/db/functions/lindung_apply_topup.sql). */
export const topUpResultSchema = z.discriminatedUnion('status', [duplicate, conflict, z.object({ status: z.literal('topup'), ...credited }), unmatched]);

export type SettlementResult = z.infer<typeof settlementResultSchema> | z.infer<typeof topUpResultSchema>;

/** One bill payment to settle, every id chosen by the caller before the call. */
export interface BillSettlement {
  paymentId: string;
  externalId: string;
  fingerprint: string;
  paymentCode: string;
  amount: number;
  channel: string;
  paidAt: Date;
  now: Date;
  newParticipantId: string;
  messageId: string;
  /** The rule book's prepayment horizon (prepayHorizonMonths): a bill reaching further is unmatched `prepay_limit`. */
  prepayHorizonMonths: number;
  /** How far before the bill's issue a paidAt may be (clock skew); earlier is `invalid_paid_at`. */
  clockSkewSeconds: number;
}

/**
 * Settles one bill payment in `lindung_apply_payment`.
 *
 * Group commit: on the root connection pool, notifications that arrive while a settlement transaction is running wait
 * for it and then go together, up to `config.settlementBatchSize` of them, in ONE transaction
 * (`lindung_settle_batch`, src/db/functions/lindung_settle_batch.sql, or with SETTLEMENT_ENGINE=per-payment
 * `lindung_apply_payments`, src/db/functions/lindung_apply_payments.sql) — one commit, one WAL flush
 * and one round trip instead of one each. At most `config.settlementBatchConcurrency` batches run at once; when none is
 * running a notification starts at once, alone, so a quiet server adds no waiting. Either function decides the
 * batch's notifications as one after another in arrival order, so a batch decides exactly what the same notifications
 * would decide one by one (two payments of one bill: the first settles it, the second is `bill_already_paid`); the
 * set-based one writes the common case with multi-row statements and settles every other notification with
 * `lindung_apply_payment` at its place in the order.
 *
 * If the batch fails as a whole (e.g. a deadlock with another writer), nothing of it was written: each of its
 * notifications is then settled again on its own, in its own transaction, in arrival order — one notification's
 * failure never becomes another's. A batch that failed because the database is unreachable or did not answer
 * (src/db/unavailable.ts) is different: its outcome is unknown (the commit may have happened) and settling again one by
 * one would only queue each notification behind the timeouts, so every notification of it fails at once — 503, the
 * channel sends it again and idempotency on externalId answers it. Inside a caller's transaction
 * (`deps.db.isTransaction`) there is no batching: the settlement joins that transaction.
 */
export function settleBillPayment(deps: Deps, s: BillSettlement): Promise<SettlementResult> {
  const { settlementBatchSize: size, settlementBatchConcurrency: concurrency } = deps.config;
  if (deps.db.isTransaction) {
    return settleOne(deps.db, s);
  }
  if (size <= 1) {
    deps.metrics.settlementBatchSize.observe(1);
    return settleOne(deps.db, s);
  }
  let batcher = batchers.get(deps.db);
  if (!batcher) {
    batcher = new SettlementBatcher(deps.db, deps.logger, deps.metrics, size, concurrency, deps.config.settlementEngine);
    batchers.set(deps.db, batcher);
  }
  return batcher.settle(s);
}

/** One batcher per root connection pool (the composition root makes one; a test may make several). */
const batchers = new WeakMap<Kysely<Database>, SettlementBatcher>();

/** Resolves when no bill payment of this pool waits or settles (the shutdown waits for it before closing the pool). */
export function settlementsIdle(db: Kysely<Database>): Promise<void> {
  return batchers.get(db)?.idle() ?? Promise.resolve();
}

async function settleOne(db: Kysely<Database>, s: BillSettlement): Promise<SettlementResult> {
  const r = await sql<{ result: unknown }>`/* prepared:lindung_apply_payment */
    select lindung_apply_payment(${s.paymentId}, ${s.externalId}, ${s.fingerprint}, ${s.paymentCode}, ${s.amount},
      ${s.channel}, ${s.paidAt}, ${s.now}, ${s.newParticipantId}, ${s.messageId}, ${s.prepayHorizonMonths}::int,
      ${s.clockSkewSeconds}::int) as result`.execute(db);
  return resultOf(r.rows, 'lindung_apply_payment', settlementResultSchema);
}

/**
 * Records money paid with a member's top-up code in `lindung_apply_topup` (src/db/functions/lindung_apply_topup.sql;
 * `kpj` is the member the code names). Each top-up in its own transaction: no group commit.
 */
export async function settleTopUp(db: Kysely<Database>, s: Omit<BillSettlement, 'newParticipantId' | 'prepayHorizonMonths' | 'clockSkewSeconds'> & { kpj: string }): Promise<SettlementResult> {
  const r = await sql<{ result: unknown }>`/* prepared:lindung_apply_topup */
    select lindung_apply_topup(${s.paymentId}, ${s.externalId}, ${s.fingerprint}, ${s.paymentCode}, ${s.kpj}, ${s.amount},
      ${s.channel}, ${s.paidAt}, ${s.now}, ${s.messageId}) as result`.execute(db);
  return resultOf(r.rows, 'lindung_apply_topup', topUpResultSchema);
}

/**
 * The database function that settles a batch (config.settlementEngine): `lindung_settle_batch`
 * (src/db/functions/lindung_settle_batch.sql) settles the common case with multi-row statements and every
 * other payment with `lindung_apply_payment`, at its place in the order; `lindung_apply_payments` calls
 * `lindung_apply_payment` once per payment. Same arguments, same answers.
 */
export type SettlementEngine = Deps['config']['settlementEngine'];

const BATCH_FUNCTION = { 'set-based': 'lindung_settle_batch', 'per-payment': 'lindung_apply_payments' } as const;

/**
 * Settles a batch in one transaction (or in the caller's); the results come back in the batch's order. Exported for the
 * engines' equivalence test (test/api/settlement-engines.test.ts).
 */
export async function settleMany(db: Kysely<Database>, engine: SettlementEngine, batch: readonly BillSettlement[]): Promise<SettlementResult[]> {
  const fn = sql.raw(BATCH_FUNCTION[engine]);
  const col = <T>(f: (s: BillSettlement) => T): T[] => batch.map(f);
  const r = await sql<{ result: unknown }>`/* prepared:${fn} */
    select ${fn}(${col((s) => s.paymentId)}::text[], ${col((s) => s.externalId)}::text[],
      ${col((s) => s.fingerprint)}::text[], ${col((s) => s.paymentCode)}::text[], ${col((s) => String(s.amount))}::int8[],
      ${col((s) => s.channel)}::text[], ${col((s) => s.paidAt.toISOString())}::timestamptz[],
      ${col((s) => s.now.toISOString())}::timestamptz[], ${col((s) => s.newParticipantId)}::text[],
      ${col((s) => s.messageId)}::text[], ${col((s) => s.prepayHorizonMonths)}::int[],
      ${col((s) => s.clockSkewSeconds)}::int[]) as result`.execute(db);
  const results = resultOf(r.rows, BATCH_FUNCTION[engine], z.array(settlementResultSchema));
  if (results.length !== batch.length) {
    throw new Error(`${BATCH_FUNCTION[engine]} answered ${results.length} results for ${batch.length}`);
  }
  return results;
}

interface Waiting {
  settlement: BillSettlement;
  resolve: (r: SettlementResult) => void;
  reject: (e: unknown) => void;
}

class SettlementBatcher {
  private readonly queue: Waiting[] = [];
  private running = 0;
  private idleWaiters: (() => void)[] = [];

  constructor(
    private readonly db: Kysely<Database>,
    private readonly logger: Logger,
    private readonly metrics: Metrics,
    private readonly size: number,
    private readonly concurrency: number,
    private readonly engine: SettlementEngine,
  ) {}

  settle(settlement: BillSettlement): Promise<SettlementResult> {
    return new Promise((resolve, reject) => {
      this.queue.push({ settlement, resolve, reject });
      this.pump();
    });
  }

  idle(): Promise<void> {
    if (this.running === 0 && this.queue.length === 0) {
      return Promise.resolve();
    }
    return new Promise((resolve) => this.idleWaiters.push(resolve));
  }

  private pump(): void {
    if (this.running === 0 && this.queue.length === 0) {
      this.idleWaiters.splice(0).forEach((resolve) => resolve());
    }
    while (this.running < this.concurrency && this.queue.length > 0) {
      const batch = this.queue.splice(0, this.size);
      this.running++;
      this.metrics.settlementBatchSize.observe(batch.length);
      // A batch settles other requests' payments too: its log lines carry no one request's id.
      void withoutLogFields(() => this.run(batch)).finally(() => {
        this.running--;
        this.pump();
      });
    }
  }

  private async run(batch: Waiting[]): Promise<void> {
    if (batch.length === 1) {
      await settleOne(this.db, batch[0]!.settlement).then(batch[0]!.resolve, batch[0]!.reject);
      return;
    }
    let results: SettlementResult[];
    try {
      results = await settleMany(this.db, this.engine, batch.map((w) => w.settlement));
    } catch (err) {
      if (isDatabaseUnavailable(err)) {
        this.logger.warn('payment batch failed: database unavailable, outcome unknown', { size: batch.length, error: String(err) });
        batch.forEach((w) => w.reject(err));
        return;
      }
      this.logger.warn('payment batch failed; settling its notifications one by one', { size: batch.length, error: String(err) });
      for (const w of batch) {
        this.metrics.settlementBatchSize.observe(1);
        await settleOne(this.db, w.settlement).then(w.resolve, w.reject);
      }
      return;
    }
    batch.forEach((w, i) => w.resolve(results[i]!));
  }
}
