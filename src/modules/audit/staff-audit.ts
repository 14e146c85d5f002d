import type { Kysely } from 'kysely';
import type { Database } from '../../db/database.js';
import { sha256Hex } from '../../shared/crypto.js';

/**
 * The actor of the configured staff key (STAFF_API_KEY, the bootstrap/ops key): the first 12 hex digits of its
 * SHA-256 — stable for a key, different after a rotation, and never the key itself. Staff with accounts act under
 * their username (src/modules/staff); issue 16's console retires the key.
 */
export function staffActor(staffApiKey: string): string {
  return `staff-key:${sha256Hex(staffApiKey).slice(0, 12)}`;
}

export interface StaffAction {
  /** A staff username, a `staff-key:…` id, `system`, or `participant:KPJ`. */
  actor: string;
  action:
    | 'reconciliation_run.create'
    | 'unmatched_payment.refund'
    | 'unmatched_payment.assign'
    | 'holiday_calendar.put'
    | 'jht_rate.put'
    | 'claim_document.upload'
    | 'staff_account.create'
    | 'staff_account.lock'
    | 'claim.file'
    | 'claim.verify'
    | 'claim.approve'
    | 'claim.reject'
    | 'claim.return'
    | 'heirs.put'
    | 'payout.retry'
    | 'queue_ticket.take'
    | 'queue_ticket.call'
    | 'queue_ticket.served'
    | 'queue_ticket.no_show'
    | 'staff_account.update'
    | 'staff_account.disable'
    | 'staff_account.enable'
    | 'staff_account.reset_totp'
    | 'service_point.put'
    | 'contact.card_resend'
    | 'contact.payment_code_resend'
    | 'contact.otp_unlock'
    | 'complaint.open'
    | 'complaint.resolve'
    | 'participant.update'
    | 'participant.phone_change'
    | 'participant.email_change'
    | 'registration.assist'
    | 'registration.assist_verify'
    | 'counter_payment.take'
    | 'occupation.put'
    | 'branch.put'
    // issue 17, PERISAI agents (src/modules/agents)
    | 'kantor_perisai.create'
    | 'agent.start'
    | 'agent.end'
    | 'agent.deposit'
    // issue 17, PERISAI incentives (src/modules/incentives)
    | 'incentive.approve'
    | 'incentive.paid'
    // issue 17, partners (src/modules/partners)
    | 'partner.create'
    | 'partner_client.issue'
    | 'partner_client.revoke';
  /** The entity, TYPE:ID. */
  subject: string;
  reason: string | null;
  detail: Record<string, unknown>;
  /** The entity's state before and after the change (null when it did not exist before, or is not kept). */
  before?: unknown;
  after?: unknown;
  at: Date;
}

const json = (v: unknown) => (v === undefined || v === null ? null : JSON.stringify(v));

/** Records a staff action in the append-only audit table, in the caller's transaction (with the change it describes). */
export async function recordStaffAction(db: Kysely<Database>, a: StaffAction): Promise<void> {
  await recordStaffActions(db, [a]);
}

/** Records many actions in one statement (recordStaffAction for a batch), in the caller's transaction. */
export async function recordStaffActions(db: Kysely<Database>, actions: readonly StaffAction[]): Promise<void> {
  if (actions.length === 0) {
    return;
  }
  await db
    .insertInto('staff_audit')
    .values(
      actions.map((a) => ({
        actor: a.actor,
        action: a.action,
        subject: a.subject,
        reason: a.reason,
        detail: JSON.stringify(a.detail),
        before: json(a.before),
        after: json(a.after),
        created_at: a.at,
      })),
    )
    .execute();
}

export interface AuditEvent {
  at: Date;
  actor: string;
  action: string;
  entity: string;
  reason: string | null;
}

/**
 * Entity types whose audit rows name the bare id (recorded before issue 15; reconciliation still records them so):
 * `payment:ID` and `reconciliation-run:ID` find those rows too.
 */
const BARE_ID_TYPES = ['payment', 'reconciliation-run'];

/** The audit trail of one entity (TYPE:ID), oldest first. */
export async function auditEventsOf(db: Kysely<Database>, entity: string): Promise<AuditEvent[]> {
  const [type = '', ...rest] = entity.split(':');
  const subjects = BARE_ID_TYPES.includes(type) ? [entity, rest.join(':')] : [entity];
  const rows = await db.selectFrom('staff_audit').select(['created_at', 'actor', 'action', 'subject', 'reason']).where('subject', 'in', subjects).orderBy('id').execute();
  return rows.map((r) => ({ at: new Date(r.created_at), actor: r.actor, action: r.action, entity, reason: r.reason }));
}
