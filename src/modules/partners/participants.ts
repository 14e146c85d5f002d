import type { Kysely } from 'kysely';
import type { Database } from '../../db/database.js';
import type { Deps } from '../../deps.js';
import { summarizeParticipant } from '../membership/index.js';

export interface PartnerParticipant {
  kpj: string;
  fullName: string;
  status: 'active' | 'arrears' | 'inactive';
  coveredThrough: string | null;
}

/** The participants a partner enrolled (registrations it paid for that became participants), newest first, a page at a time. */
export async function partnerParticipants(deps: Deps, partnerId: string, page: { limit: number; offset: number }): Promise<PartnerParticipant[]> {
  const rows = await deps.db
    .selectFrom('registration as g')
    .innerJoin('participant as p', 'p.id', 'g.participant_id')
    .selectAll('p')
    .where('g.payer_id', '=', partnerId)
    .where('g.channel', '=', 'partner')
    .orderBy('g.created_at', 'desc')
    .orderBy('g.id')
    .limit(page.limit)
    .offset(page.offset)
    .execute();
  const out: PartnerParticipant[] = [];
  for (const p of rows) {
    const s = await summarizeParticipant(deps, p);
    out.push({ kpj: p.kpj, fullName: p.full_name, status: s?.status ?? 'inactive', coveredThrough: s?.coveredThrough ?? null });
  }
  return out;
}

/** Whether the participant with this KPJ was enrolled by this partner (GET /participants/{kpj} for a partner token). */
export async function enrolledByPartner(db: Kysely<Database>, partnerId: string, kpj: string): Promise<boolean> {
  const row = await db
    .selectFrom('participant as p')
    .innerJoin('registration as g', 'g.id', 'p.registration_id')
    .select('p.id')
    .where('p.kpj', '=', kpj)
    .where('g.payer_id', '=', partnerId)
    .where('g.channel', '=', 'partner')
    .executeTakeFirst();
  return row !== undefined;
}
