import { sql, type Transaction } from 'kysely';
import type { Database } from '../../db/database.js';
import { enqueueMessage } from '../notifications/index.js';
import type { Month } from '../../shared/month.js';
import { inactivityCutoffMonth, incentiveRulesAt, type IncentiveRuleBook } from './domain/incentives.js';
import { monthStartWib } from './monthly.js';

/** ended_reason of an agent ended by the inactivity rule. */
export const INACTIVE_REASON = 'inactive_3_months';

/**
 * Ends, in the caller's transaction, every active agent with `inactiveMonthsToEnd` (3) whole calendar months (WIB)
 * without an acquisition or a transaction before `month`: its last activity (agent.last_activity_at, moved by every
 * accepted command — enrol or collect) or, when it never acted, its start is before the first day of the cut-off month
 * (domain/incentives.ts inactivityCutoffMonth). Each is told by SMS (the participant's phone). Idempotent: an ended
 * agent is not active any more; its later commands are refused `agent_ended` by the agents module.
 */
export async function endInactiveAgents(trx: Transaction<Database>, input: { month: Month; book: IncentiveRuleBook; now: Date }): Promise<string[]> {
  const cutoff = monthStartWib(inactivityCutoffMonth(input.month, input.book));
  const months = incentiveRulesAt(input.month, input.book).inactiveMonthsToEnd;
  const ended = await sql<{ agent_code: string; phone: string }>`
    update agent a set status = 'ended', ended_at = ${input.now}, ended_reason = ${INACTIVE_REASON}
      from participant p
     where p.id = a.participant_id and a.status = 'active' and coalesce(a.last_activity_at, a.started_at) < ${cutoff}
    returning a.agent_code, p.phone`.execute(trx);
  for (const row of ended.rows) {
    await enqueueMessage(trx, { channel: 'sms', to: row.phone, now: input.now, message: { template: 'agent_ended_sms', agentCode: row.agent_code, inactiveMonths: months } });
  }
  return ended.rows.map((r) => r.agent_code).sort();
}
