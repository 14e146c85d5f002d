import type { Deps } from '../../deps.js';
import { ok, reject, type Result } from '../../shared/result.js';
import { recordStaffAction } from '../audit/index.js';
import { findAgentByCode } from './agents.js';
import { cashPosition } from './cash.js';
import type { UnreconciledCollection } from './domain/cash.js';

export interface DepositInput {
  /** Chosen before the call (the finance form's id): the same id is the same deposit. */
  id: string;
  amount: number;
  reference: string;
  depositedAt: string;
}

export interface DepositView {
  id: string;
  agentCode: string;
  amount: number;
  reference: string;
  depositedAt: string;
  recordedBy: string;
}

/** Cash an agent paid in at the branch, recorded by finance; idempotent by id (other content: idempotency_key_reused). Audited. */
export async function recordDeposit(deps: Deps, actor: string, agentCode: string, input: DepositInput): Promise<Result<DepositView, 'unknown_agent' | 'invalid_request' | 'idempotency_key_reused'>> {
  if (!/^[A-Za-z0-9_-]{8,64}$/.test(input.id)) return reject('invalid_request', 'id');
  if (!Number.isInteger(input.amount) || input.amount <= 0 || input.amount > 1_000_000_000) return reject('invalid_request', 'amount');
  const reference = input.reference.trim();
  if (reference.length < 1 || reference.length > 120) return reject('invalid_request', 'reference');
  const depositedAt = new Date(input.depositedAt);
  if (Number.isNaN(depositedAt.getTime()) || depositedAt.getTime() > deps.clock.now().getTime() + 5 * 60_000) return reject('invalid_request', 'depositedAt');
  const agent = await findAgentByCode(deps.db, agentCode);
  if (!agent) return reject('unknown_agent');
  const now = deps.clock.now();
  await deps.db.transaction().execute(async (trx) => {
    const row = await trx
      .insertInto('agent_deposit')
      .values({ id: input.id, agent_id: agent.participantId, amount: input.amount, reference, deposited_at: depositedAt, recorded_by: actor, created_at: now })
      .onConflict((oc) => oc.column('id').doNothing())
      .returning('id')
      .executeTakeFirst();
    if (row) await recordStaffAction(trx, { actor, action: 'agent.deposit', subject: `agent:${agentCode}`, reason: null, detail: { depositId: input.id, amount: input.amount, reference }, at: now });
  });
  const stored = await deps.db.selectFrom('agent_deposit').selectAll().where('id', '=', input.id).executeTakeFirstOrThrow();
  if (stored.agent_id !== agent.participantId || Number(stored.amount) !== input.amount || stored.reference !== reference || new Date(stored.deposited_at).getTime() !== depositedAt.getTime()) {
    return reject('idempotency_key_reused', 'id');
  }
  return ok({ id: stored.id, agentCode, amount: Number(stored.amount), reference: stored.reference, depositedAt: new Date(stored.deposited_at).toISOString(), recordedBy: stored.recorded_by });
}

export interface AgentCashView {
  agentCode: string;
  status: 'active' | 'ended';
  collected: number;
  deposited: number;
  outstanding: number;
  limit: number;
  collections: { receiptNo: string; amount: number; open: number; receivedAt: string }[];
}

/** An agent's cash for finance: totals, the limit and the collections deposits have not yet covered (oldest first). */
export async function agentCash(deps: Deps, agentCode: string): Promise<Result<AgentCashView, 'unknown_agent'>> {
  const agent = await findAgentByCode(deps.db, agentCode);
  if (!agent) return reject('unknown_agent');
  const cash = await cashPosition(deps.db, agent);
  const view = (c: UnreconciledCollection) => ({ receiptNo: c.receiptNo, amount: c.amount, open: c.open, receivedAt: c.receivedAt.toISOString() });
  return ok({ agentCode, status: agent.status, collected: cash.collected, deposited: cash.deposited, outstanding: cash.outstanding, limit: agent.cashLimit, collections: cash.collections.map(view) });
}
