import type { Kysely } from 'kysely';
import type { Database } from '../../db/database.js';
import { cashPosition } from './cash.js';

/** A Kantor Perisai as the staff console lists it (/staff/agen). */
export interface KantorPerisaiItem {
  code: string;
  name: string;
  branchCode: string;
  active: boolean;
  agents: number;
}

/** An agent as the staff console lists it: no NIK, the KPJ and name of the participant, the cash they hold. */
export interface AgentListItem {
  agentCode: string;
  kpj: string;
  name: string;
  kantorCode: string;
  status: 'active' | 'ended';
  lastActivityAt: Date | null;
  outstanding: number;
  cashLimit: number;
}

export async function listKantorPerisai(db: Kysely<Database>): Promise<KantorPerisaiItem[]> {
  const rows = await db
    .selectFrom('kantor_perisai as k')
    .select((eb) => ['k.code', 'k.name', 'k.branch_code', 'k.active', eb.selectFrom('agent as a').select(eb.fn.countAll<number>().as('n')).whereRef('a.kantor_code', '=', 'k.code').where('a.status', '=', 'active').as('agents')])
    .orderBy('k.code')
    .limit(500)
    .execute();
  return rows.map((r) => ({ code: r.code, name: r.name, branchCode: r.branch_code, active: r.active, agents: Number(r.agents ?? 0) }));
}

/** The agents (active first, then by code), each with the cash not yet deposited (reconciled oldest first). */
export async function listAgentsForStaff(db: Kysely<Database>): Promise<AgentListItem[]> {
  const rows = await db
    .selectFrom('agent as a')
    .innerJoin('participant as p', 'p.id', 'a.participant_id')
    .select(['a.agent_code', 'a.participant_id', 'a.kantor_code', 'a.status', 'a.last_activity_at', 'a.cash_limit', 'p.kpj', 'p.full_name as name'])
    .orderBy('a.status')
    .orderBy('a.agent_code')
    .limit(500)
    .execute();
  const items: AgentListItem[] = [];
  for (const r of rows) {
    const cash = await cashPosition(db, { participantId: r.participant_id });
    items.push({
      agentCode: r.agent_code,
      kpj: r.kpj,
      name: r.name,
      kantorCode: r.kantor_code,
      status: r.status === 'ended' ? 'ended' : 'active',
      lastActivityAt: r.last_activity_at ? new Date(r.last_activity_at) : null,
      outstanding: cash.outstanding,
      cashLimit: Number(r.cash_limit),
    });
  }
  return items;
}
