import { sql, type Kysely, type Transaction } from 'kysely';
import type { Bill, BillLine, Database, Participant } from '../../db/database.js';
import { newId, luhnCheckDigit, randomDigits } from '../../shared/ids.js';
import { formatInstantWib } from '../../shared/month.js';
import type { Quote, QuoteMonth } from './domain/price-contribution.js';

/**
 * Bills (tagihan): one payment code for one or more contribution months, priced month by month at issue time and
 * frozen in bill_line rows, so a later rate change never alters what a payment code asks for.
 */
export type BillStatusView = 'open' | 'paid' | 'expired' | 'cancelled';

export interface BillView {
  id: string;
  paymentCode: string;
  amount: number;
  status: BillStatusView;
  expiresAt: string;
  months: QuoteMonth[];
}

/** An open bill whose code has passed its expiry is shown as expired; nothing needs to run to expire it. */
export function billStatusAt(bill: Pick<Bill, 'status' | 'expires_at'>, now: Date): BillStatusView {
  if (bill.status === 'open' && bill.expires_at.getTime() <= now.getTime()) {
    return 'expired';
  }
  return bill.status;
}

/** 16 digits: '8', 14 random digits, a Luhn check digit — fits VA, minimarket and counter input fields. */
export function newPaymentCode(): string {
  const body = `8${randomDigits(14)}`;
  return body + luhnCheckDigit(body);
}

const PAYMENT_CODE_ATTEMPTS_MAX = 5;

export async function insertBill(
  trx: Transaction<Database>,
  input: {
    kind: 'first' | 'renewal';
    registrationId: string | null;
    participantId: string | null;
    quote: Quote;
    now: Date;
    expiresAt: Date;
    /** The step-4 form's idempotency token (a first bill from the portal), else none. */
    submitToken?: string;
  },
): Promise<Bill & { lines: BillLine[] }> {
  const id = newId('bil');
  const firstMonth = input.quote.months[0]?.month;
  if (!firstMonth) {
    throw new Error('a bill needs at least one month');
  }
  // A code collision is astronomically rare (10^14 codes), but the unique constraint decides, not a prior read.
  for (let attempt = 0; attempt < PAYMENT_CODE_ATTEMPTS_MAX; attempt++) {
    const inserted = await trx
      .insertInto('bill')
      .values({
        id,
        payment_code: newPaymentCode(),
        kind: input.kind,
        registration_id: input.registrationId,
        participant_id: input.participantId,
        amount: input.quote.total,
        status: 'open',
        first_month: firstMonth,
        month_count: input.quote.months.length,
        expires_at: input.expiresAt,
        created_at: input.now,
        paid_at: null,
        ...(input.submitToken ? { submit_token: input.submitToken } : {}),
      })
      .onConflict((oc) => oc.column('payment_code').doNothing())
      .returningAll()
      .executeTakeFirst();
    if (inserted) {
      const lines = input.quote.months.flatMap((m) =>
        m.lines.map((l) => ({ bill_id: id, month: m.month, program: l.program, amount: l.amount, discount: l.discount, net: l.net })),
      );
      await trx.insertInto('bill_line').values(lines).execute();
      return { ...inserted, lines };
    }
  }
  throw new Error('could not allocate a unique payment code');
}

/**
 * Cancels every open bill of a registration or participant (a new bill replaces them); `keepCollective` leaves the
 * member bills on a payer's collective (a roster invoice) open — a funding change keeps what the payer was invoiced.
 * Returns the cancelled bills' codes and expiry (a code still payable until now is one the person must be told no
 * longer works).
 */
export async function cancelOpenBills(
  trx: Transaction<Database>,
  owner: { registrationId: string } | { participantId: string } | { participantIds: readonly string[] },
  options: { keepCollective?: boolean } = {},
): Promise<{ payment_code: string; expires_at: Date }[]> {
  let q = trx.updateTable('bill').set({ status: 'cancelled' }).where('status', '=', 'open');
  q =
    'registrationId' in owner
      ? q.where('registration_id', '=', owner.registrationId)
      : 'participantIds' in owner
        ? q.where('participant_id', 'in', owner.participantIds)
        : q.where('participant_id', '=', owner.participantId);
  if (options.keepCollective) {
    // A member bill on a payer's collective (a roster invoice) stays payable: the payer pays it as invoiced.
    q = q.where('payer_bill_id', 'is', null);
  }
  return q.returning(['payment_code', 'expires_at']).execute();
}

/** The first bill a step-4 submission with this idempotency token already issued, with its lines; undefined if none. */
export async function findSubmittedBill(trx: Transaction<Database>, registrationId: string, submitToken: string) {
  const bill = await trx.selectFrom('bill').selectAll().where('registration_id', '=', registrationId).where('submit_token', '=', submitToken).executeTakeFirst();
  return bill ? { ...bill, lines: await findBillLines(trx, bill.id) } : undefined;
}

export function groupLines(lines: readonly BillLine[]): QuoteMonth[] {
  const byMonth = new Map<string, QuoteMonth>();
  const order = { JKK: 0, JKM: 1, JHT: 2 } as const;
  for (const l of [...lines].sort((a, b) => a.month.localeCompare(b.month) || order[a.program] - order[b.program])) {
    const m = byMonth.get(l.month) ?? { month: l.month, total: 0, lines: [] };
    m.lines.push({ program: l.program, amount: l.amount, discount: l.discount, net: l.net });
    m.total += l.net;
    byMonth.set(l.month, m);
  }
  return [...byMonth.values()];
}

export function toBillView(bill: Bill, lines: readonly BillLine[], now: Date): BillView {
  return {
    id: bill.id,
    paymentCode: bill.payment_code,
    amount: bill.amount,
    status: billStatusAt(bill, now),
    expiresAt: formatInstantWib(bill.expires_at),
    months: groupLines(lines),
  };
}

export async function findBillByCode(db: Kysely<Database>, paymentCode: string) {
  return db.selectFrom('bill').selectAll().where('payment_code', '=', paymentCode).executeTakeFirst();
}

export async function findBillLines(db: Kysely<Database>, billId: string) {
  return db.selectFrom('bill_line').selectAll().where('bill_id', '=', billId).execute();
}

/** "Budi Santoso" → "B*** S******": what a bank shows before the customer pays. */
export function maskName(fullName: string): string {
  return fullName
    .trim()
    .split(/\s+/)
    .map((w) => (w.length <= 1 ? w : w[0] + '*'.repeat(w.length - 1)))
    .join(' ');
}

/** The public bill inquiry: a bank or minimarket asks what a payment code is for. */
export async function inquireBill(db: Kysely<Database>, paymentCode: string, now: Date) {
  const row = await db
    .selectFrom('bill')
    .leftJoin('registration', 'registration.id', 'bill.registration_id')
    .leftJoin('participant', 'participant.id', 'bill.participant_id')
    .select(['bill.payment_code', 'bill.status', 'bill.amount', 'bill.expires_at', 'registration.full_name as reg_name', 'participant.full_name as part_name'])
    .where('bill.payment_code', '=', paymentCode)
    .executeTakeFirst();
  if (!row) {
    return null;
  }
  return {
    paymentCode: row.payment_code,
    status: billStatusAt(row, now),
    amount: row.amount,
    expiresAt: formatInstantWib(row.expires_at),
    customerName: maskName(row.part_name ?? row.reg_name ?? ''),
  };
}

/** The newest bill of a registration (its first bill, or the one that replaced it), with its lines. */
export async function findLatestRegistrationBill(db: Kysely<Database>, registrationId: string) {
  const bill = await db.selectFrom('bill').selectAll().where('registration_id', '=', registrationId).orderBy('created_at', 'desc').orderBy('id', 'desc').limit(1).executeTakeFirst();
  return bill ?? null;
}

export interface PaidBillRow {
  id: string;
  amount: number;
  first_month: string;
  month_count: number;
  paid_at: Date | null;
  channel: string | null;
  /** `wallet` for a month the member's contribution wallet paid (no payment, so no channel). */
  kind: Bill['kind'];
}

/**
 * Paid bills of a participant, newest first: renewals carry the participant's id, and the first bill (issued to the
 * registration before the participant existed) is found through the participant's registration as well.
 */
export async function findPaidBills(db: Kysely<Database>, participant: Pick<Participant, 'id' | 'registration_id'>): Promise<PaidBillRow[]> {
  return db
    .selectFrom('bill')
    .leftJoin('payment', 'payment.id', 'bill.payment_id')
    .select(['bill.id', 'bill.amount', 'bill.first_month', 'bill.month_count', 'bill.paid_at', 'payment.channel', 'bill.kind'])
    .where('bill.status', '=', 'paid')
    .where((eb) => eb.or([eb('bill.participant_id', '=', participant.id), eb('bill.registration_id', '=', participant.registration_id)]))
    .orderBy('bill.paid_at', 'desc')
    .orderBy('bill.first_month', 'desc')
    .limit(60)
    .execute();
}

/**
 * What a BI-SNAP VA payment pays, in one round trip (the payment route's hot path; snap/virtual-account.ts
 * resolveVaPayment): the member the KPJ names; the code the payment's external id was already recorded under (a
 * repeat pays what the first one paid), else the member's newest open bill if it is still payable (as
 * findOpenMemberBill), else the member's newest bill of any status (so paying it answers paid/expired); and that bill
 * with its months.
 */
export async function findVaPaymentTarget(db: Kysely<Database>, input: { kpj: string | null; externalId: string; now: Date }) {
  const { rows } = await sql<{
    participant_id: string | null;
    full_name: string | null;
    payment_code: string | null;
    bill_code: string | null;
    bill_amount: number | null;
    bill_expires_at: Date | null;
    bill_months: string[] | null;
  }>`/* prepared:lindung_va_payment_target */
    with p as (select id, full_name from participant where kpj = ${input.kpj}::text),
    newest_open as (
      select b.payment_code, b.expires_at from bill b, p
       where b.participant_id = p.id and b.status = 'open'
       order by b.created_at desc, b.id desc limit 1
    ),
    code as (
      select coalesce(
        (select payment_code from payment where external_id = ${input.externalId}::text),
        (select payment_code from newest_open where expires_at > ${input.now}::timestamptz),
        (select b.payment_code from bill b, p where b.participant_id = p.id order by b.created_at desc, b.id desc limit 1)
      ) as payment_code
    )
    select p.id as participant_id, p.full_name, code.payment_code,
           b.payment_code as bill_code, b.amount as bill_amount, b.expires_at as bill_expires_at,
           array(select distinct l.month from bill_line l where l.bill_id = b.id order by l.month) as bill_months
      from code
      left join p on true
      left join bill b on b.payment_code = code.payment_code`.execute(db);
  const row = rows[0];
  return {
    participant: row?.participant_id ? { id: row.participant_id, fullName: row.full_name ?? '' } : null,
    paymentCode: row?.payment_code ?? null,
    bill:
      row?.bill_code && row.bill_amount !== null && row.bill_expires_at
        ? { paymentCode: row.bill_code, amount: Number(row.bill_amount), months: row.bill_months ?? [], expiresAt: new Date(row.bill_expires_at) }
        : null,
  };
}

/**
 * The member's newest bill that can still be paid — a renewal they asked for or the month's dues the cycle opened
 * (kind 'dues') — so a forgotten payment code is never lost; the BI-SNAP VA inquiry quotes it too.
 */
export async function findOpenMemberBill(db: Kysely<Database>, participantId: string, now: Date) {
  const bill = await db
    .selectFrom('bill')
    .select(['payment_code', 'amount', 'status', 'expires_at'])
    .where('participant_id', '=', participantId)
    .where('status', '=', 'open')
    .orderBy('created_at', 'desc')
    .limit(1)
    .executeTakeFirst();
  return bill && billStatusAt(bill, now) === 'open' ? bill : null;
}
