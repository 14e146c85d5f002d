import { sql, type Kysely } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Database } from '../../src/db/database.js';
import { settleMany, type BillSettlement, type SettlementEngine, type SettlementResult } from '../../src/modules/payments/settlement.js';
import { Rng } from '../simulation/prng.js';
import { activeMember, makePerson, registerVerified } from '../support/factories.js';
import { createTestApp, type TestApp } from '../support/test-app.js';

/**
 * The two settlement engines of a group-commit batch (src/modules/payments/settlement.ts, SETTLEMENT_ENGINE):
 * `lindung_apply_payments` (one lindung_apply_payment call per payment) and `lindung_settle_batch` (multi-row
 * statements for the common case, lindung_apply_payment for the rest). The same batches, settled from the same
 * database state by each (in a transaction rolled back afterwards, the KPJ sequence put back), must answer the same and
 * leave the same rows in every table the settlement writes — the outbox's generated `seq` aside, but its order checked.
 */
let t: TestApp;

interface Pool {
  open: Bill[];
  settled: Bill[];
  cancelled: Bill[];
  stored: { externalId: string; fingerprint: string }[];
}

interface Bill {
  paymentCode: string;
  amount: number;
  kind: string;
  createdAt: Date;
  expiresAt: Date;
}

const TABLES = ['payment', 'participant', 'registration', 'bill', 'coverage_month', 'ledger_transfer', 'outbox_message'] as const;

beforeAll(async () => {
  t = await createTestApp();
  // Members (first bill paid), each with a renewal bill; some issue another (the first is then cancelled), or 3 months.
  for (let i = 0; i < 8; i++) {
    const m = await activeMember(t, { programs: i % 2 === 0 ? ['JKK', 'JKM'] : ['JKK', 'JKM', 'JHT'] });
    expect((await t.post('/api/v1/me/bills', { months: i % 3 === 1 ? 3 : 1 }, m.auth)).status).toBe(201);
    if (i % 3 === 0) {
      const again = await t.post('/api/v1/me/bills', { months: 1 }, m.auth);
      expect(again.status, JSON.stringify(again.body)).toBe(201);
    }
  }
  // Registrations with an open first bill; some submitted twice (the first bill cancelled).
  for (let i = 0; i < 12; i++) {
    const id = await registerVerified(t, makePerson());
    const submit = () => t.post(`/api/v1/registrations/${id}/submit`, { programs: ['JKK', 'JKM', 'JHT'], declaredIncome: 1_500_000, months: i % 3 === 1 ? 3 : 1 });
    expect((await submit()).status).toBe(201);
    if (i % 4 === 0) {
      expect((await submit()).status).toBe(201);
    }
  }
}, 120_000);
afterAll(async () => t?.close());

async function pool(): Promise<Pool> {
  const bills = (
    await sql<{ payment_code: string; amount: string; kind: string; status: string; created_at: Date; expires_at: Date }>`
      select payment_code, amount::text, kind, status, created_at, expires_at from bill order by payment_code`.execute(t.db)
  ).rows.map((b) => ({ paymentCode: b.payment_code, amount: Number(b.amount), kind: b.kind, status: b.status, createdAt: b.created_at, expiresAt: b.expires_at }));
  const stored = (await sql<{ external_id: string; fingerprint: string }>`select external_id, fingerprint from payment order by external_id`.execute(t.db)).rows;
  return {
    open: bills.filter((b) => b.status === 'open'),
    settled: bills.filter((b) => b.status === 'paid'),
    cancelled: bills.filter((b) => b.status === 'cancelled'),
    stored: stored.map((p) => ({ externalId: p.external_id, fingerprint: p.fingerprint })),
  };
}

/** A random batch: mostly exact payments of open bills, with repeats, duplicates, conflicts, short and over payments, expired, replaced, unknown. */
function randomBatch(rng: Rng, p: Pool, size: number, tag: string): BillSettlement[] {
  const now = t.clock.now();
  const batch: BillSettlement[] = [];
  for (let i = 0; i < size; i++) {
    const source = rng.weighted({ open: 70, settled: 8, cancelled: 8, unknown: 5 });
    const bill: Bill | undefined = source === 'unknown' ? undefined : rng.pick(source === 'open' ? p.open : source === 'settled' ? p.settled : p.cancelled);
    const base = bill?.amount ?? 50_000;
    const amount = rng.weighted({ exact: 75, short: 10, over: 15 });
    const when = rng.weighted({ now: 86, expired: 7, beforeIssue: 4, skew: 3 });
    const s: BillSettlement = {
      paymentId: `${tag}-pay-${i}`,
      externalId: `${tag}-ext-${i}`,
      fingerprint: `${tag}-fp-${i}`,
      paymentCode: bill?.paymentCode ?? `99${String(rng.int(0, 99_999_999)).padStart(14, '0')}`,
      amount: amount === 'exact' ? base : amount === 'short' ? base - 1_000 : base + rng.int(1, 20) * 1_000,
      channel: rng.pick(['va', 'qris', 'ewallet', 'retail']),
      paidAt:
        !bill || when === 'now'
          ? now
          : when === 'expired'
            ? new Date(bill.expiresAt.getTime() + 3_600_000)
            : when === 'beforeIssue'
              ? new Date(bill.createdAt.getTime() - 86_400_000)
              : new Date(bill.createdAt.getTime() - 200_000),
      now,
      newParticipantId: `${tag}-par-${i}`,
      messageId: `${tag}-msg-${i}`,
      prepayHorizonMonths: rng.chance(0.1) ? 0 : 12,
      clockSkewSeconds: 300,
    };
    const repeat = rng.weighted({ fresh: 80, again: 8, conflict: 4, stored: 8 });
    const earlier = batch.length > 0 ? rng.pick(batch) : undefined;
    if (repeat === 'again' && earlier) {
      batch.push({ ...earlier, paymentId: s.paymentId, newParticipantId: s.newParticipantId, messageId: s.messageId });
      continue;
    }
    if (repeat === 'conflict' && earlier) {
      s.externalId = earlier.externalId;
    } else if (repeat === 'stored' && p.stored.length > 0) {
      const old = rng.pick(p.stored);
      s.externalId = old.externalId;
      s.fingerprint = rng.chance(0.5) ? old.fingerprint : s.fingerprint;
    }
    batch.push(s);
  }
  return batch;
}

/** Every open bill paid exactly once, in a random order, with a few over and short payments in between. */
function mostlyCommonBatch(rng: Rng, p: Pool, tag: string): BillSettlement[] {
  return rng.shuffle(p.open).map((bill, i) => ({
    paymentId: `${tag}-pay-${i}`,
    externalId: `${tag}-ext-${i}`,
    fingerprint: `${tag}-fp-${i}`,
    paymentCode: bill.paymentCode,
    amount: i % 7 === 3 ? bill.amount + 2_000 : i % 11 === 5 ? bill.amount - 1 : bill.amount,
    channel: 'va',
    paidAt: t.clock.now(),
    now: t.clock.now(),
    newParticipantId: `${tag}-par-${i}`,
    messageId: `${tag}-msg-${i}`,
    prepayHorizonMonths: 12,
    clockSkewSeconds: 300,
  }));
}

/** Every row of the tables a settlement writes (the outbox's generated seq aside), the outbox ids in seq order, and the KPJ sequence. */
async function contents(db: Kysely<Database>): Promise<Record<string, unknown>> {
  const out: Record<string, unknown> = {};
  for (const table of TABLES) {
    const r = await sql<{ rows: unknown }>`select coalesce(jsonb_agg(to_jsonb(x) - 'seq' order by to_jsonb(x)::text), '[]'::jsonb) as rows
      from ${sql.table(table)} x`.execute(db);
    out[table] = r.rows[0]?.rows;
  }
  out['outbox order'] = (await sql<{ id: string }>`select id from outbox_message order by seq`.execute(db)).rows.map((r) => r.id);
  out['kpj_seq'] = (await sql<{ v: string }>`select last_value::text as v from kpj_seq`.execute(db)).rows[0]?.v;
  return out;
}

class Rollback extends Error {}

/** Settles the batch with one engine in a transaction that is rolled back, from the KPJ sequence's current state. */
async function settleAndRollBack(engine: SettlementEngine, batch: BillSettlement[]) {
  const seq = (await sql<{ last_value: string; is_called: boolean }>`select last_value::text, is_called from kpj_seq`.execute(t.db)).rows[0]!;
  let seen: { results: SettlementResult[]; tables: Record<string, unknown> } | undefined;
  await t.db
    .transaction()
    .execute(async (trx) => {
      const results = await settleMany(trx, engine, batch);
      seen = { results, tables: await contents(trx) };
      throw new Rollback();
    })
    .catch((err: unknown) => {
      if (!(err instanceof Rollback)) {
        throw err;
      }
    });
  await sql`select setval('kpj_seq', ${seq.last_value}::int8, ${seq.is_called})`.execute(t.db);
  return seen!;
}

function label(r: SettlementResult): string {
  return r.status === 'unmatched' ? `unmatched:${r.reason}` : r.status === 'applied' && r.walletCredit > 0 ? 'applied+wallet' : r.status;
}

describe('set-based and per-payment settlement of a batch decide and write the same', () => {
  it('randomized batches of mixed cases: identical answers and identical table contents', { timeout: 120_000 }, async () => {
    const p = await pool();
    expect(p.open.length).toBeGreaterThan(15);
    const seen = new Set<string>();
    for (let seed = 1; seed <= 12; seed++) {
      const rng = new Rng(seed * 7_919);
      const batch = seed <= 2 ? mostlyCommonBatch(rng, p, `s${seed}`) : randomBatch(rng, p, rng.int(2, 40), `s${seed}`);
      const before = await settleAndRollBack('per-payment', batch);
      const after = await settleAndRollBack('set-based', batch);
      expect(after.results, `seed ${seed}: answers`).toEqual(before.results);
      for (const key of Object.keys(before.tables)) {
        expect(after.tables[key], `seed ${seed}: ${key}`).toEqual(before.tables[key]);
      }
      before.results.forEach((r) => seen.add(label(r)));
    }
    // The batches did exercise every kind of answer.
    expect([...seen].sort()).toEqual(
      [
        'applied',
        'applied+wallet',
        'conflict',
        'duplicate',
        'invalid_paid_at',
        'unmatched:amount_mismatch',
        'unmatched:bill_already_paid',
        'unmatched:bill_expired',
        'unmatched:bill_replaced',
        'unmatched:prepay_limit',
        'unmatched:unknown_payment_code',
      ].sort(),
    );
  });

  it('a batch of first payments only: KPJ numbers in arrival order, as one call per payment gives them', async () => {
    const p = await pool();
    const batch = mostlyCommonBatch(new Rng(3), { ...p, open: p.open.filter((b) => b.kind === 'first') }, 'kpj').map((s) => ({ ...s, amount: p.open.find((b) => b.paymentCode === s.paymentCode)!.amount }));
    const before = await settleAndRollBack('per-payment', batch);
    const after = await settleAndRollBack('set-based', batch);
    expect(after.results.map(label)).toEqual(batch.map(() => 'applied'));
    expect(after.tables).toEqual(before.tables);
  });

  it.runIf(process.env['DATABASE_URL'])(
    'PostgreSQL: a payment another transaction records meanwhile is answered as alone (duplicate or conflict), its batch-mates settle',
    async () => {
      const p = await pool();
      const [a, b, c] = p.open.filter((x) => x.kind === 'first');
      const batch = mostlyCommonBatch(new Rng(5), { ...p, open: [a!, b!, c!] }, 'race').map((s, i) => ({ ...s, amount: [a!, b!, c!].find((x) => x.paymentCode === s.paymentCode)!.amount, fingerprint: `race-fp-${i}` }));
      const [first, second, third] = batch;
      // Another session inserts the second element's external id (with the same content as the batch's, so: duplicate)
      // and the third's (with other content: conflict), and commits only while the batch waits on them.
      let settled: Promise<SettlementResult[]> | undefined;
      await t.db.connection().execute(async (other) => {
        await sql`begin`.execute(other);
        for (const s of [second!, third!]) {
          await sql`insert into payment (id, external_id, fingerprint, payment_code, amount, channel, paid_at, received_at, outcome, unmatched_reason)
            values (${`${s.paymentId}-other`}, ${s.externalId}, ${s === second ? s.fingerprint : 'other content'}, '0000', 1, 'va', now(), now(), 'unmatched', 'unknown_payment_code')`.execute(other);
        }
        settled = t.db.transaction().execute((trx) => settleMany(trx, 'set-based', batch));
        await new Promise((resolve) => setTimeout(resolve, 300));
        await sql`commit`.execute(other);
      });
      const results = await settled!;
      expect(results.map(label)).toEqual(['applied', 'duplicate', 'conflict']);
      const bills = await t.db.selectFrom('bill').select(['payment_code', 'status']).where('payment_code', 'in', [first!.paymentCode, second!.paymentCode, third!.paymentCode]).execute();
      expect(Object.fromEntries(bills.map((x) => [x.payment_code, x.status]))).toEqual({ [first!.paymentCode]: 'paid', [second!.paymentCode]: 'open', [third!.paymentCode]: 'open' });
    },
  );
});
