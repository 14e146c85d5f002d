import type { Kysely } from 'kysely';
import type { Database } from '../../db/database.js';
import { sha256Hex } from '../../shared/crypto.js';

/**
 * Who did a staff action. Staff authenticate with the one configured key (src/http/auth.ts), so the actor is that
 * key's id: the first 12 hex digits of its SHA-256 — stable for a key, different after a rotation, and never the key
 * itself. When staff get individual accounts, this is the one place that names them.
 */
export function staffActor(staffApiKey: string): string {
  return `staff-key:${sha256Hex(staffApiKey).slice(0, 12)}`;
}

export interface StaffAction {
  actor: string;
  action: 'reconciliation_run.create' | 'unmatched_payment.refund' | 'unmatched_payment.assign' | 'holiday_calendar.put';
  subject: string;
  reason: string | null;
  detail: Record<string, unknown>;
  at: Date;
}

/** Records a staff action in the append-only audit table, in the caller's transaction (with the change it describes). */
export async function recordStaffAction(db: Kysely<Database>, a: StaffAction): Promise<void> {
  await db
    .insertInto('staff_audit')
    .values({ actor: a.actor, action: a.action, subject: a.subject, reason: a.reason, detail: JSON.stringify(a.detail), created_at: a.at })
    .execute();
}
