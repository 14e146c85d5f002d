import type { Deps } from '../../deps.js';
import { isMonth, monthOfDate, type LocalDate } from '../../shared/month.js';
import { anyAgent, computeKantorMonth, defaultIncentiveRuleBook, endInactiveAgents, incentiveMonthFor, kantorsWithAgents } from '../incentives/index.js';
import type { JobContext, JobHandlers, ScheduledJob } from './job-queue.js';

/**
 * The PERISAI agents' monthly jobs (issue 17 item 5; src/modules/incentives), scheduled by the daily cycle once any
 * agent exists (one probe), with ids fixed per month so each runs once:
 *
 * - `agent-incentives:<month>` (kind 'agent_incentives'): the previous month's incentives — each Kantor Perisai in
 *   its own fenced batch (its agents' statements, its own, the ledger entries; a Kantor already done is skipped), so
 *   a retried or resumed job posts nothing twice. Scheduled from the 1st (a day the runner missed is caught up by the
 *   next day's cycle: the id is the same all month), in time to pay by the 5th.
 * - `agent-ending:<month>` (kind 'agent_ending'): ends the agents with 3 whole calendar months without an acquisition
 *   or a transaction before the month, and tells them by SMS.
 */
export const AGENT_JOB_KINDS = { incentives: 'agent_incentives', ending: 'agent_ending' } as const;

export async function agentMonthJobs(db: Deps['db'], date: LocalDate, now: Date): Promise<ScheduledJob[]> {
  if (!(await anyAgent(db))) {
    return [];
  }
  const month = incentiveMonthFor(date);
  return [
    { id: `agent-incentives:${month}`, kind: AGENT_JOB_KINDS.incentives, payload: { month }, runAt: now },
    { id: `agent-ending:${monthOfDate(date)}`, kind: AGENT_JOB_KINDS.ending, payload: { month: monthOfDate(date) }, runAt: now },
  ];
}

function payloadMonth(ctx: JobContext): string {
  const month = ctx.job.payload['month'];
  if (typeof month !== 'string' || !isMonth(month)) {
    throw new Error(`job payload has no valid month: ${JSON.stringify(ctx.job.payload)}`);
  }
  return month;
}

async function runAgentIncentives(ctx: JobContext): Promise<void> {
  const month = payloadMonth(ctx);
  const kantors = await kantorsWithAgents(ctx.deps.db, month);
  let written = 0;
  for (const [i, kantorCode] of kantors.entries()) {
    const r = await ctx.batch(async (trx, progress) => {
      const result = await computeKantorMonth(trx, { kantorCode, month, book: defaultIncentiveRuleBook, now: ctx.deps.clock.now() });
      return { progress: { ...progress, done: i + 1, total: kantors.length, cursor: kantorCode }, result };
    });
    written += r.written ? 1 : 0;
  }
  ctx.deps.logger.info('agent incentives computed', { jobId: ctx.job.id, month, kantors: kantors.length, written });
}

async function runAgentEnding(ctx: JobContext): Promise<void> {
  const month = payloadMonth(ctx);
  const ended = await ctx.batch(async (trx, progress) => {
    const codes = await endInactiveAgents(trx, { month, book: defaultIncentiveRuleBook, now: ctx.deps.clock.now() });
    return { progress: { ...progress, done: codes.length, total: codes.length, cursor: null }, result: codes };
  });
  ctx.deps.logger.info('inactive agents ended', { jobId: ctx.job.id, month, ended });
}

export const agentHandlers: JobHandlers = { [AGENT_JOB_KINDS.incentives]: runAgentIncentives, [AGENT_JOB_KINDS.ending]: runAgentEnding };
