import { sql, type Kysely, type Transaction } from 'kysely';
import type { Database, PayerBillPurpose } from '../../db/database.js';
import type { Deps } from '../../deps.js';
import { AppError } from '../../http/errors.js';
import { distinctMemberBillIds, newPayerPaymentCode, payerBillStatusAt, type PayerBillStatusView } from './domain/payer-bill-rules.js';

/**
 * Collective bills (issue 17): one payment code over many open member bills — a partner's enrolment batch, a payer's
 * monthly roster, a government invoice. Opening one links the member bills (`bill.payer_bill_id`, the collective's
 * expiry); paying its code settles ONE payment through the settlement engine (lindung_apply_payment →
 * lindung_apply_payer_payment) and schedules the fan-out job (./fan-out.ts) that settles every member bill.
 */
export interface OpenPayerBillInput {
  /** Chosen by the caller before the call, e.g. 'batch:<batchId>' / 'roster:<payer>:<YYYY-MM>'; idempotent: same id → same bill. */
  id: string;
  /** The partner/payer id (text). */
  payerId: string;
  purpose: PayerBillPurpose;
  /** Shown on slips/pages, e.g. 'Pendaftaran batch 12 — PT Ojol'. */
  label: string;
  /** Open member bills (first bills of registrations or participants' bills); may be 100,000. */
  memberBillIds: string[];
  expiresAt: Date;
}

export interface OpenedPayerBill {
  id: string;
  paymentCode: string;
  amount: number;
  status: PayerBillStatusView;
}

export interface PayerBillView extends OpenedPayerBill {
  payerId: string;
  purpose: PayerBillPurpose;
  label: string;
  expiresAt: Date;
  createdAt: Date;
  paidAt: Date | null;
  /** The collective payment (null until paid). */
  paymentId: string | null;
  members: {
    total: number;
    /** Member bills settled by the fan-out. */
    settled: number;
    /** Member bills the fan-out could not settle (their share went to suspense, e.g. the NIK became a member meanwhile). */
    unmatched: number;
    /** Not yet reached by the fan-out (total − settled − unmatched). */
    pending: number;
  };
}

/** Member bill ids per UPDATE (one array parameter each). */
const LINK_CHUNK = 10_000;
const PAYMENT_CODE_ATTEMPTS_MAX = 5;

/**
 * Opens (or, for an id already used, returns) a collective bill over `memberBillIds`, in the caller's transaction.
 * Every member bill must be open (its own expiry does not matter: the collective's replaces it — a batch may take longer
 * than a first bill's lifetime to be written), a first or renewal bill and in no other collective: otherwise nothing is
 * linked (AppError `payer_bill_member_unavailable`, the caller's transaction should roll back); none at all →
 * `payer_bill_empty`. The amount is the sum of the member bills (priced by their creator with the member's funding).
 */
export async function openPayerBill(trx: Transaction<Database>, deps: Deps, input: OpenPayerBillInput): Promise<OpenedPayerBill> {
  const now = deps.clock.now();
  const existing = await findStored(trx, input.id);
  if (existing) {
    return opened(existing, now);
  }
  const ids = distinctMemberBillIds(input.memberBillIds);
  if (!ids) {
    throw new AppError('payer_bill_empty', 'memberBillIds');
  }
  const created = await insertPayerBill(trx, input, now);
  if (created === 'exists') {
    return opened((await findStored(trx, input.id))!, now);
  }
  let count = 0;
  let amount = 0;
  for (let i = 0; i < ids.length; i += LINK_CHUNK) {
    const linked = await linkMemberBills(trx, input.id, ids.slice(i, i + LINK_CHUNK), input.expiresAt);
    count += linked.count;
    amount += linked.amount;
  }
  if (count !== ids.length) {
    throw new AppError('payer_bill_member_unavailable', 'memberBillIds', `${ids.length - count} of ${ids.length} member bills cannot be joined`);
  }
  await trx.updateTable('payer_bill').set({ amount, member_count: count }).where('id', '=', input.id).execute();
  return { id: input.id, paymentCode: created.paymentCode, amount, status: payerBillStatusAt('open', input.expiresAt, now) };
}

type StoredPayerBill = NonNullable<Awaited<ReturnType<typeof findStored>>>;

function findStored(db: Kysely<Database>, id: string) {
  return db.selectFrom('payer_bill').selectAll().where('id', '=', id).executeTakeFirst();
}

function opened(row: StoredPayerBill, now: Date): OpenedPayerBill {
  return { id: row.id, paymentCode: row.payment_code, amount: Number(row.amount), status: payerBillStatusAt(row.status, row.expires_at, now) };
}

/** Inserts the collective with a fresh code ('exists' when the id was taken meanwhile: idempotent by id). */
async function insertPayerBill(trx: Transaction<Database>, input: OpenPayerBillInput, now: Date): Promise<{ paymentCode: string } | 'exists'> {
  for (let attempt = 0; attempt < PAYMENT_CODE_ATTEMPTS_MAX; attempt++) {
    const paymentCode = newPayerPaymentCode();
    const row = await trx
      .insertInto('payer_bill')
      .values({
        id: input.id,
        payer_id: input.payerId,
        purpose: input.purpose,
        label: input.label,
        payment_code: paymentCode,
        amount: 0,
        member_count: 0,
        status: 'open',
        expires_at: input.expiresAt,
        created_at: now,
      })
      .onConflict((oc) => oc.doNothing())
      .returning('id')
      .executeTakeFirst();
    if (row) {
      return { paymentCode };
    }
    if (await findStored(trx, input.id)) {
      return 'exists';
    }
  }
  throw new Error(`payer bill ${input.id}: no free payment code after ${PAYMENT_CODE_ATTEMPTS_MAX} attempts`);
}

/** Links the open member bills among `ids` (set-based): their collective, its expiry (replacing theirs). Counts and sums those linked. */
async function linkMemberBills(trx: Transaction<Database>, payerBillId: string, ids: string[], expiresAt: Date): Promise<{ count: number; amount: number }> {
  const { rows } = await sql<{ count: string | number; amount: string | number }>`
    with linked as (
      update bill set payer_bill_id = ${payerBillId}, expires_at = ${expiresAt}
       where id = any (${ids}::text[]) and status = 'open' and payer_bill_id is null and kind in ('first', 'renewal')
      returning amount)
    select count(*) as count, coalesce(sum(amount), 0) as amount from linked`.execute(trx);
  return { count: Number(rows[0]?.count ?? 0), amount: Number(rows[0]?.amount ?? 0) };
}

/** The collective bill as pages and callers show it, at `now` (default: the wall clock). */
export async function payerBillView(db: Kysely<Database>, id: string, now: Date): Promise<PayerBillView | null> {
  const row = await findStored(db, id);
  if (!row) {
    return null;
  }
  const counts = await memberCounts(db, row.id, row.payment_id);
  return {
    ...opened(row, now),
    payerId: row.payer_id,
    purpose: row.purpose,
    label: row.label,
    expiresAt: row.expires_at,
    createdAt: row.created_at,
    paidAt: row.paid_at,
    paymentId: row.payment_id,
    members: { ...counts, pending: counts.total - counts.settled - counts.unmatched },
  };
}

async function memberCounts(db: Kysely<Database>, payerBillId: string, paymentId: string | null): Promise<{ total: number; settled: number; unmatched: number }> {
  const { rows } = await sql<{ total: string | number; settled: string | number; unmatched: string | number }>`
    select count(*) as total,
           count(p.id) filter (where p.outcome = 'applied') as settled,
           count(p.id) filter (where p.outcome = 'unmatched') as unmatched
      from bill b
      left join payment p on p.external_id = ${paymentId ?? ''} || ':' || b.id
     where b.payer_bill_id = ${payerBillId}`.execute(db);
  const r = rows[0];
  return { total: Number(r?.total ?? 0), settled: Number(r?.settled ?? 0), unmatched: Number(r?.unmatched ?? 0) };
}
