import type { Kysely } from 'kysely';
import type { Database, Participant } from '../../db/database.js';

export type TimelineKind =
  | 'bill_issued'
  | 'bill_paid'
  | 'bill_expired'
  | 'payment'
  | 'status_change'
  | 'message'
  | 'claim'
  | 'complaint_opened'
  | 'complaint_resolved';

/**
 * One line of a member's timeline. `detail` holds only what the contact centre may read out: for a message its
 * channel, template and delivery status — never its body or data (a login OTP's code lives there).
 */
export interface TimelineEvent {
  at: Date;
  kind: TimelineKind;
  /** The entity: a bill's payment code, a payment id, a claim id, a complaint id, a message's template. */
  ref: string;
  detail: Record<string, string | number | null>;
}

export interface TimelinePage {
  events: TimelineEvent[];
  page: number;
  pageSize: number;
  hasMore: boolean;
}

type Db = Kysely<Database>;
type Who = Pick<Participant, 'id' | 'registration_id' | 'email' | 'phone'>;

async function billEvents(db: Db, p: Who, limit: number, now: Date): Promise<TimelineEvent[]> {
  const bills = await db
    .selectFrom('bill')
    .select(['id', 'payment_code', 'amount', 'kind', 'status', 'first_month', 'month_count', 'created_at', 'paid_at', 'expires_at'])
    .where((eb) => eb.or([eb('participant_id', '=', p.id), eb('registration_id', '=', p.registration_id)]))
    .orderBy('created_at', 'desc')
    .limit(limit)
    .execute();
  return bills.flatMap((b) => {
    const detail = { amount: b.amount, kind: b.kind, firstMonth: b.first_month, months: b.month_count };
    const out: TimelineEvent[] = [{ at: b.created_at, kind: 'bill_issued', ref: b.payment_code, detail }];
    if (b.paid_at) {
      out.push({ at: b.paid_at, kind: 'bill_paid', ref: b.payment_code, detail });
    } else if (b.status === 'open' && b.expires_at.getTime() <= now.getTime()) {
      out.push({ at: b.expires_at, kind: 'bill_expired', ref: b.payment_code, detail });
    }
    return out;
  });
}

async function paymentEvents(db: Db, p: Who, limit: number): Promise<TimelineEvent[]> {
  const rows = await db
    .selectFrom('payment')
    .innerJoin('bill', 'bill.id', 'payment.bill_id')
    .select(['payment.id', 'payment.amount', 'payment.channel', 'payment.outcome', 'payment.paid_at', 'payment.payment_code'])
    .where((eb) => eb.or([eb('bill.participant_id', '=', p.id), eb('bill.registration_id', '=', p.registration_id)]))
    .orderBy('payment.paid_at', 'desc')
    .limit(limit)
    .execute();
  return rows.map((r) => ({ at: r.paid_at, kind: 'payment', ref: r.id, detail: { amount: r.amount, channel: r.channel, outcome: r.outcome, paymentCode: r.payment_code } }));
}

async function statusEvents(db: Db, p: Who, limit: number): Promise<TimelineEvent[]> {
  const rows = await db
    .selectFrom('membership_status_change')
    .select(['id', 'from_status', 'to_status', 'reason', 'effective_date', 'recorded_at'])
    .where('participant_id', '=', p.id)
    .orderBy('recorded_at', 'desc')
    .limit(limit)
    .execute();
  return rows.map((r) => ({ at: r.recorded_at, kind: 'status_change', ref: String(r.id), detail: { from: r.from_status, to: r.to_status, reason: r.reason, effectiveDate: r.effective_date } }));
}

/** The member's messages: channel, template, when, status. The body and data are never selected. */
async function messageEvents(db: Db, p: Who, limit: number): Promise<TimelineEvent[]> {
  const rows = await db
    .selectFrom('outbox_message')
    .select(['channel', 'template', 'status', 'created_at', 'sent_at', 'seq'])
    .where('recipient', 'in', [p.email, p.phone])
    .orderBy('created_at', 'desc')
    .orderBy('seq', 'desc')
    .limit(limit)
    .execute();
  return rows.map((r) => ({ at: r.created_at, kind: 'message', ref: r.template, detail: { channel: r.channel, template: r.template, status: r.status, sentAt: r.sent_at?.toISOString() ?? null } }));
}

async function claimEvents(db: Db, p: Who, limit: number): Promise<TimelineEvent[]> {
  const rows = await db
    .selectFrom('claim_event')
    .innerJoin('claim', 'claim.id', 'claim_event.claim_id')
    .select(['claim_event.claim_id', 'claim_event.status', 'claim_event.at', 'claim_event.reason', 'claim.type'])
    .where('claim_event.participant_id', '=', p.id)
    .orderBy('claim_event.at', 'desc')
    .limit(limit)
    .execute();
  return rows.map((r) => ({ at: r.at, kind: 'claim', ref: r.claim_id, detail: { type: r.type, status: r.status, reason: r.reason } }));
}

async function complaintEvents(db: Db, p: Who, limit: number): Promise<TimelineEvent[]> {
  const rows = await db.selectFrom('complaint').selectAll().where('participant_id', '=', p.id).orderBy('opened_at', 'desc').limit(limit).execute();
  return rows.flatMap((r) => {
    const out: TimelineEvent[] = [{ at: r.opened_at, kind: 'complaint_opened', ref: r.id, detail: { category: r.category, status: r.status, slaDueAt: r.sla_due_at.toISOString(), by: r.opened_by } }];
    if (r.resolved_at) {
      out.push({ at: r.resolved_at, kind: 'complaint_resolved', ref: r.id, detail: { category: r.category, resolution: r.resolution, by: r.resolved_by } });
    }
    return out;
  });
}

/**
 * A member's timeline, newest first, one page at a time: each source reads at most the rows the page can need
 * (page × size + size), and the merge is cut to the page. Ties on the instant keep a fixed order by kind.
 */
export async function memberTimeline(db: Db, p: Who, input: { page: number; pageSize: number; now: Date }): Promise<TimelinePage> {
  const need = (input.page + 1) * input.pageSize + 1;
  const sources = await Promise.all([
    billEvents(db, p, need, input.now),
    paymentEvents(db, p, need),
    statusEvents(db, p, need),
    messageEvents(db, p, need),
    claimEvents(db, p, need),
    complaintEvents(db, p, need),
  ]);
  const all = sources.flat().sort((a, b) => b.at.getTime() - a.at.getTime() || a.kind.localeCompare(b.kind));
  const start = input.page * input.pageSize;
  return { events: all.slice(start, start + input.pageSize), page: input.page, pageSize: input.pageSize, hasMore: all.length > start + input.pageSize };
}
