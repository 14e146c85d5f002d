import { sql, type Kysely } from 'kysely';
import type { Database } from '../../db/database.js';

/** A partner as the staff console lists it (/staff/mitra). */
export interface PartnerListItem {
  id: string;
  name: string;
  funding: string;
  active: boolean;
  activeClients: number;
  batches: number;
  createdAt: Date;
}

export interface PartnerClientItem {
  clientId: string;
  scopes: string[];
  createdAt: Date;
  expiresAt: Date | null;
  revokedAt: Date | null;
}

export interface PartnerBatchItem {
  id: string;
  status: string;
  total: number;
  accepted: number;
  rejected: number;
  createdAt: Date;
  payerBillId: string | null;
}

export interface PartnerDetail extends PartnerListItem {
  clients: PartnerClientItem[];
  recentBatches: PartnerBatchItem[];
}

/** The partners for the staff console, newest first, with their usable clients and their batches counted (no secret). */
export async function listPartnersForStaff(db: Kysely<Database>, now: Date): Promise<PartnerListItem[]> {
  const rows = await db
    .selectFrom('partner as p')
    .select((eb) => [
      'p.id',
      'p.name',
      'p.funding',
      'p.active',
      'p.created_at',
      eb
        .selectFrom('partner_client as c')
        .select(sql<number>`count(*)`.as('n'))
        .whereRef('c.partner_id', '=', 'p.id')
        .where('c.revoked_at', 'is', null)
        .where((w) => w.or([w('c.expires_at', 'is', null), w('c.expires_at', '>', now)]))
        .as('active_clients'),
      eb.selectFrom('partner_batch as b').select(sql<number>`count(*)`.as('n')).whereRef('b.partner_id', '=', 'p.id').as('batch_count'),
    ])
    .orderBy('p.created_at', 'desc')
    .limit(500)
    .execute();
  return rows.map((r) => ({ id: r.id, name: r.name, funding: r.funding, active: r.active, activeClients: Number(r.active_clients ?? 0), batches: Number(r.batch_count ?? 0), createdAt: new Date(r.created_at) }));
}

/** One partner for the staff console: its clients (ids and scopes only) and its latest batches; null when unknown. */
export async function partnerForStaff(db: Kysely<Database>, id: string, now: Date): Promise<PartnerDetail | null> {
  const partner = (await listPartnersForStaff(db, now)).find((p) => p.id === id);
  if (!partner) {
    return null;
  }
  const clients = await db.selectFrom('partner_client').select(['client_id', 'scopes', 'created_at', 'expires_at', 'revoked_at']).where('partner_id', '=', id).orderBy('created_at', 'desc').execute();
  const batches = await db
    .selectFrom('partner_batch')
    .select(['id', 'status', 'total', 'accepted', 'rejected', 'created_at', 'payer_bill_id'])
    .where('partner_id', '=', id)
    .orderBy('created_at', 'desc')
    .limit(50)
    .execute();
  const date = (v: Date | string | null) => (v === null ? null : new Date(v));
  return {
    ...partner,
    clients: clients.map((c) => ({ clientId: c.client_id, scopes: c.scopes, createdAt: new Date(c.created_at), expiresAt: date(c.expires_at), revokedAt: date(c.revoked_at) })),
    recentBatches: batches.map((b) => ({ id: b.id, status: b.status, total: b.total, accepted: b.accepted, rejected: b.rejected, createdAt: new Date(b.created_at), payerBillId: b.payer_bill_id })),
  };
}
