import type { Kysely, Selectable } from 'kysely';
import type { Database } from '../../db/database.js';

/** An agent as the agent API and the staff pages use it. */
export interface Agent {
  participantId: string;
  agentCode: string;
  kantorCode: string;
  branchCode: string;
  cashLimit: number;
  status: 'active' | 'ended';
  startedAt: Date;
  endedAt: Date | null;
  endedReason: string | null;
  lastActivityAt: Date | null;
}

function toAgent(row: Selectable<Database['agent']>): Agent {
  return {
    participantId: row.participant_id,
    agentCode: row.agent_code,
    kantorCode: row.kantor_code,
    branchCode: row.branch_code,
    cashLimit: Number(row.cash_limit),
    status: row.status === 'ended' ? 'ended' : 'active',
    startedAt: new Date(row.started_at),
    endedAt: row.ended_at ? new Date(row.ended_at) : null,
    endedReason: row.ended_reason ?? null,
    lastActivityAt: row.last_activity_at ? new Date(row.last_activity_at) : null,
  };
}

/** The agent row of a participant (active or ended), or null when the participant is not (and never was) an agent. */
export async function findAgentByParticipant(db: Kysely<Database>, participantId: string): Promise<Agent | null> {
  const row = await db.selectFrom('agent').selectAll().where('participant_id', '=', participantId).executeTakeFirst();
  return row ? toAgent(row) : null;
}

export async function findAgentByCode(db: Kysely<Database>, agentCode: string): Promise<Agent | null> {
  const row = await db.selectFrom('agent').selectAll().where('agent_code', '=', agentCode).executeTakeFirst();
  return row ? toAgent(row) : null;
}
