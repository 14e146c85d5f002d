import { sql, type Kysely, type Transaction } from 'kysely';
import type { Database } from '../../db/database.js';
import { payerInForceSql } from '../../db/payer-in-force.js';

type Db = Kysely<Database> | Transaction<Database>;

export interface RosterMember {
  participantId: string;
  kpj: string;
  fullName: string;
  /** The last covered month (null: never covered). */
  coveredThrough: string | null;
  /** An open member bill already on a collective still payable or paid (an earlier invoice not yet settled). */
  onOpenInvoice: boolean;
}

/**
 * A member bill on a payer's collective that still stands: open, and its collective not expired unpaid (a paid
 * collective's member bills wait for the fan-out). An expired, unpaid invoice no longer holds the member's month.
 */
function standingInvoiceBill(participantId: ReturnType<typeof sql.ref>, now: Date) {
  return sql`select 1 from bill b join payer_bill pb on pb.id = b.payer_bill_id
              where b.participant_id = ${participantId} and b.status = 'open'
                and (pb.payment_id is not null or pb.expires_at > ${now})`;
}

/**
 * A payer's roster for `month`, in participant id order: candidates are the members any funding row or registration
 * names the payer for (index look-ups), kept when the funding in force for the month names it.
 */
export async function rosterMembers(db: Db, payerId: string, month: string, now: Date): Promise<RosterMember[]> {
  const { rows } = await sql<{ id: string; kpj: string; full_name: string; covered_through: string | null; on_invoice: boolean }>`
    select p.id, p.kpj, p.full_name,
           (select max(cm.month) from coverage_month cm where cm.participant_id = p.id) as covered_through,
           exists (${standingInvoiceBill(sql.ref('p.id'), now)}) as on_invoice
      from participant p
     where p.id in (select pf.participant_id from participant_funding pf where pf.payer_id = ${payerId}
                    union select r2.participant_id from registration r2 where r2.payer_id = ${payerId} and r2.participant_id is not null)
       and ${payerInForceSql(sql.ref('p.id'), sql.ref('p.funding'), sql.ref('p.registration_id'), month)} = ${payerId}
     order by p.id`.execute(db);
  return rows.map((r) => ({ participantId: r.id, kpj: r.kpj, fullName: r.full_name, coveredThrough: r.covered_through, onOpenInvoice: Boolean(r.on_invoice) }));
}

/** The payer paying `participantId`'s `month` ('' = the member). */
export async function payerOfMonth(db: Db, participantId: string, month: string): Promise<string> {
  const { rows } = await sql<{ payer: string }>`
    select ${payerInForceSql(sql.ref('p.id'), sql.ref('p.funding'), sql.ref('p.registration_id'), month)} as payer
      from participant p
     where p.id = ${participantId}`.execute(db);
  return rows[0]?.payer ?? '';
}

/** The last month on the member's standing invoice bills (see standingInvoiceBill); null: none. */
export async function lastInvoicedMonth(db: Db, participantId: string, now: Date): Promise<string | null> {
  const { rows } = await sql<{ month: string | null }>`
    select max(l.month) as month from bill_line l
     where l.bill_id in (select b.id from bill b join payer_bill pb on pb.id = b.payer_bill_id
                          where b.participant_id = ${participantId} and b.status = 'open'
                            and (pb.payment_id is not null or pb.expires_at > ${now}))`.execute(db);
  return rows[0]?.month ?? null;
}
