import { sql, type Kysely } from 'kysely';
import type { Database } from '../../db/database.js';
import type { Deps } from '../../deps.js';
import { localDateInJakarta } from '../../shared/month.js';
import { billableMonthsStart, issueMemberBill } from '../membership/index.js';
import { openPayerBill, type OpenedPayerBill, payerBillView } from '../payer-bills/index.js';
import { billsForPeriod, invoiceExpiresAt, invoiceId, invoicePurpose, type InvoiceMemberLine } from './domain/roster-rules.js';
import { rosterMembers } from './roster.js';

/**
 * A payer's invoice for a period (issue 17 items 2 and 3): ONE collective bill (payer-bills, id
 * `roster:<payer>:<period>`, idempotent) over one member bill per roster member — a one-month renewal bill from the
 * member's next unpaid month, issued by membership's issueMemberBill, so priced with the member's terms and funding
 * in force (APBN/APBD never discounted; a partner's roster discounted as the member would be). Members already paid
 * past the period, and members whose open bill sits on an earlier unpaid invoice, are left out (counted).
 */
export interface RosterInvoiceOutcome {
  bill: OpenedPayerBill | null;
  billed: number;
  skipped: { paidAhead: number; onOpenInvoice: number; unpriced: number };
}

export async function openRosterInvoice(deps: Deps, payerId: string, period: string): Promise<RosterInvoiceOutcome> {
  const id = invoiceId(payerId, period);
  const skipped = { paidAhead: 0, onOpenInvoice: 0, unpriced: 0 };
  const existing = await payerBillView(deps.db, id, deps.clock.now());
  if (existing) {
    return { bill: { id, paymentCode: existing.paymentCode, amount: existing.amount, status: existing.status }, billed: existing.members.total, skipped };
  }
  const payer = await deps.db.selectFrom('partner').select(['name', 'funding']).where('id', '=', payerId).executeTakeFirst();
  if (!payer) {
    return { bill: null, billed: 0, skipped };
  }
  const today = localDateInJakarta(deps.clock.now());
  const billIds: string[] = [];
  for (const m of await rosterMembers(deps.db, payerId, period, deps.clock.now())) {
    const next = m.coveredThrough === null ? period : billableMonthsStart({ coveredThrough: m.coveredThrough, today }, deps.rules);
    if (m.onOpenInvoice) {
      skipped.onOpenInvoice += 1;
    } else if (!billsForPeriod(next, period)) {
      skipped.paidAhead += 1;
    } else {
      const issued = await issueMemberBill(deps, m.participantId, 1);
      if (issued.ok) {
        billIds.push(issued.value.bill.id);
      } else {
        skipped.unpriced += 1;
        deps.logger.warn('roster member could not be billed', { payerId, period, kpj: m.kpj, code: issued.code });
      }
    }
  }
  if (billIds.length === 0) {
    return { bill: null, billed: 0, skipped };
  }
  const bill = await deps.db.transaction().execute((trx) =>
    openPayerBill(trx, deps, {
      id,
      payerId,
      purpose: invoicePurpose(payer.funding),
      label: `Tagihan ${period} — ${payer.name}`,
      memberBillIds: billIds,
      expiresAt: invoiceExpiresAt(period, deps.clock.now()),
    }),
  );
  return { bill, billed: billIds.length, skipped };
}

export interface InvoiceView {
  period: string;
  paymentCode: string;
  amount: number;
  status: string;
  expiresAt: string;
  members: InvoiceMemberLine[];
}

/** The payer's invoice for a period with the members it covers (null: none opened). */
export async function invoiceView(db: Kysely<Database>, payerId: string, period: string, now: Date): Promise<InvoiceView | null> {
  const view = await payerBillView(db, invoiceId(payerId, period), now);
  if (!view || view.payerId !== payerId) {
    return null;
  }
  const { rows } = await sql<{ kpj: string; full_name: string; amount: number | string; status: string; months: string[] | string }>`
    select p.kpj, p.full_name, b.amount, b.status,
           array(select distinct l.month from bill_line l where l.bill_id = b.id order by l.month) as months
      from bill b join participant p on p.id = b.participant_id
     where b.payer_bill_id = ${view.id}
     order by p.kpj`.execute(db);
  const members = rows.map((r) => ({
    kpj: r.kpj,
    fullName: r.full_name,
    months: Array.isArray(r.months) ? r.months : String(r.months).replace(/[{}]/g, '').split(',').filter(Boolean),
    amount: Number(r.amount),
    status: r.status,
  }));
  return { period, paymentCode: view.paymentCode, amount: view.amount, status: view.status, expiresAt: view.expiresAt.toISOString(), members };
}

export interface InvoiceSummary {
  period: string;
  paymentCode: string;
  amount: number;
  memberCount: number;
  status: string;
  createdAt: string;
  paidAt: string | null;
}

/** A payer's invoices, newest period first (the staff view). */
export async function payerInvoices(db: Kysely<Database>, payerId: string, now: Date, limit = 120): Promise<InvoiceSummary[]> {
  const rows = await db
    .selectFrom('payer_bill')
    .select(['id', 'payment_code', 'amount', 'member_count', 'status', 'expires_at', 'created_at', 'paid_at'])
    .where('payer_id', '=', payerId)
    .where('id', 'like', `roster:${payerId}:%`)
    .orderBy('id', 'desc')
    .limit(limit)
    .execute();
  return rows.map((r) => ({
    period: r.id.slice(`roster:${payerId}:`.length),
    paymentCode: r.payment_code,
    amount: Number(r.amount),
    memberCount: Number(r.member_count),
    status: r.status === 'open' && r.expires_at.getTime() <= now.getTime() ? 'expired' : r.status,
    createdAt: r.created_at.toISOString(),
    paidAt: r.paid_at ? r.paid_at.toISOString() : null,
  }));
}
