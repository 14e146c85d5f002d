import type { Kysely } from 'kysely';
import type { Database } from '../../db/database.js';
import type { Agent } from './agents.js';
import { type CashPosition, reconcileCash } from './domain/cash.js';

/** An agent's cash: every collection and deposit, reconciled oldest first (domain/cash.ts). */
export async function cashPosition(db: Kysely<Database>, agent: Pick<Agent, 'participantId'>): Promise<CashPosition> {
  const collections = await db.selectFrom('agent_collection').select(['id', 'amount', 'received_at', 'receipt_no']).where('agent_id', '=', agent.participantId).execute();
  const deposits = await db.selectFrom('agent_deposit').select(['id', 'amount', 'deposited_at']).where('agent_id', '=', agent.participantId).execute();
  return reconcileCash(
    collections.map((c) => ({ id: c.id, amount: Number(c.amount), receivedAt: new Date(c.received_at), receiptNo: c.receipt_no })),
    deposits.map((d) => ({ id: d.id, amount: Number(d.amount), depositedAt: new Date(d.deposited_at) })),
  );
}
