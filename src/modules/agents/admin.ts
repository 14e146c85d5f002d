import { sql } from 'kysely';
import type { Deps } from '../../deps.js';
import { ok, reject, type Result } from '../../shared/result.js';
import { recordStaffAction } from '../audit/index.js';
import { findParticipantByKpj, summarizeParticipant } from '../membership/index.js';
import { branchDirectory } from '../reference/index.js';
import { type Agent, findAgentByCode, findAgentByParticipant } from './agents.js';
import { DEFAULT_CASH_LIMIT } from './domain/cash.js';
import { formatAgentCode } from './domain/receipt.js';

export interface KantorPerisaiInput {
  code: string;
  name: string;
  branchCode: string;
}

/** A Kantor Perisai (the wadah with a PKS with the branch); a code is never reused. Audited. */
export async function createKantorPerisai(deps: Deps, actor: string, input: KantorPerisaiInput): Promise<Result<KantorPerisaiInput & { active: boolean }, 'invalid_request' | 'unknown_branch' | 'kantor_perisai_exists'>> {
  const code = input.code.trim().toUpperCase();
  if (!/^[A-Z0-9]+(-[A-Z0-9]+)*$/.test(code) || code.length > 40) return reject('invalid_request', 'code');
  const name = input.name.trim();
  if (name.length < 1 || name.length > 120) return reject('invalid_request', 'name');
  if (!(await branchDirectory(deps.db)).find(input.branchCode)) return reject('unknown_branch', 'branchCode');
  const now = deps.clock.now();
  const created = await deps.db.transaction().execute(async (trx) => {
    const row = await trx.insertInto('kantor_perisai').values({ code, name, branch_code: input.branchCode, active: true, created_at: now }).onConflict((oc) => oc.column('code').doNothing()).returning('code').executeTakeFirst();
    if (row) await recordStaffAction(trx, { actor, action: 'kantor_perisai.create', subject: `kantor_perisai:${code}`, reason: null, detail: { name, branchCode: input.branchCode }, at: now });
    return row !== undefined;
  });
  if (!created) return reject('kantor_perisai_exists', 'code');
  return ok({ code, name, branchCode: input.branchCode, active: true });
}

type MakeAgentRefusal = 'unknown_participant' | 'participant_not_active' | 'unknown_kantor_perisai' | 'already_agent' | 'invalid_request';

/**
 * Makes an active participant an agent of a Kantor Perisai (its branch): a new agent code AG + 6 digits; an ended
 * agent is taken on again with their old code. Refused: no such KPJ, an inactive member, an unknown or inactive
 * kantor, an agent already active. Audited.
 */
export async function makeAgent(deps: Deps, actor: string, input: { kpj: string; kantorCode: string; cashLimit?: number | undefined }): Promise<Result<Agent, MakeAgentRefusal>> {
  const cashLimit = input.cashLimit ?? DEFAULT_CASH_LIMIT;
  if (!Number.isInteger(cashLimit) || cashLimit < 0 || cashLimit > 1_000_000_000) return reject('invalid_request', 'cashLimit');
  const participant = await findParticipantByKpj(deps.db, input.kpj);
  if (!participant) return reject('unknown_participant', 'kpj');
  const summary = await summarizeParticipant(deps, participant);
  if (!summary || summary.status === 'inactive') return reject('participant_not_active', 'kpj');
  const kantor = await deps.db.selectFrom('kantor_perisai').selectAll().where('code', '=', input.kantorCode).where('active', '=', true).executeTakeFirst();
  if (!kantor) return reject('unknown_kantor_perisai', 'kantorCode');
  const existing = await findAgentByParticipant(deps.db, participant.id);
  if (existing?.status === 'active') return reject('already_agent', 'kpj');
  const now = deps.clock.now();
  await deps.db.transaction().execute(async (trx) => {
    const values = { kantor_code: kantor.code, branch_code: kantor.branch_code, cash_limit: cashLimit, status: 'active', started_at: now, ended_at: null, ended_reason: null };
    if (existing) {
      await trx.updateTable('agent').set(values).where('participant_id', '=', participant.id).where('status', '=', 'ended').execute();
    } else {
      const seq = await sql<{ seq: string }>`select nextval('agent_code_seq') as seq`.execute(trx);
      const agentCode = formatAgentCode(Number(seq.rows[0]?.seq));
      await trx.insertInto('agent').values({ participant_id: participant.id, agent_code: agentCode, ...values }).execute();
    }
    await recordStaffAction(trx, { actor, action: 'agent.start', subject: `participant:${participant.kpj}`, reason: null, detail: { kantorCode: kantor.code, branchCode: kantor.branch_code, cashLimit }, at: now });
  });
  const agent = await findAgentByParticipant(deps.db, participant.id);
  if (!agent) throw new Error('agent row missing after insert');
  return ok(agent);
}

/** Ends an agency (their commands are then rejected agent_ended); again on an ended agent: the same answer. Audited. */
export async function endAgent(deps: Deps, actor: string, agentCode: string, reason: string): Promise<Result<Agent, 'unknown_agent' | 'invalid_request'>> {
  const text = reason.trim();
  if (text.length < 1 || text.length > 500) return reject('invalid_request', 'reason');
  const agent = await findAgentByCode(deps.db, agentCode);
  if (!agent) return reject('unknown_agent');
  if (agent.status === 'ended') return ok(agent);
  const now = deps.clock.now();
  await deps.db.transaction().execute(async (trx) => {
    const ended = await trx.updateTable('agent').set({ status: 'ended', ended_at: now, ended_reason: text }).where('participant_id', '=', agent.participantId).where('status', '=', 'active').returning('agent_code').executeTakeFirst();
    if (ended) await recordStaffAction(trx, { actor, action: 'agent.end', subject: `agent:${agentCode}`, reason: text, detail: {}, at: now });
  });
  return ok((await findAgentByCode(deps.db, agentCode)) ?? agent);
}

/** An agent as the staff API answers it: the agent row with its member's KPJ. */
export async function agentView(deps: Deps, a: Agent) {
  const p = await deps.db.selectFrom('participant').select('kpj').where('id', '=', a.participantId).executeTakeFirstOrThrow();
  return { agentCode: a.agentCode, kpj: p.kpj, kantorCode: a.kantorCode, branchCode: a.branchCode, cashLimit: a.cashLimit, status: a.status, startedAt: a.startedAt.toISOString(), endedAt: a.endedAt?.toISOString() ?? null, endedReason: a.endedReason };
}
