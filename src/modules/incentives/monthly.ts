import { sql, type Kysely, type Transaction } from 'kysely';
import type { Database } from '../../db/database.js';
import { AGENT_INCENTIVE_EXPENSE_ACCOUNT, incentivePayableAccount, postTransfer, type TransferDraft } from '../ledger/index.js';
import type { Program } from '../contributions/index.js';
import { addMonths, type Month } from '../../shared/month.js';
import {
  agentIncentive,
  incentivePayBy,
  kantorIncentive,
  type Acquisition,
  type AgentIncentive,
  type ContributionReceived,
  type IncentiveLine,
  type IncentiveRuleBook,
} from './domain/incentives.js';

/**
 * The monthly PERISAI incentives (issue 17 item 5): for a month and a Kantor Perisai, each agent's statement (the pure
 * rules of domain/incentives.ts over what the database says the agent acquired and what those members paid), the
 * Kantor's statement (10% on top), and the ledger transfers expense:agent_incentive → payable:<agent|kantor>:<code>.
 * One Kantor is one transaction: its statements and transfers commit together or not at all, and a Kantor whose
 * statement for the month exists is skipped — so the job (`agent-incentives:<month>`) may run any number of times and
 * posts one set of entries. Transfer ids `incentive:<holder code>:<month>:<kind>` are the second guard.
 *
 * Who the agent acquired: the participants created from a registration of channel 'agent' whose `registered_by` is
 * the agent's code (agent-core's enrol command). Acquired in the month = the participant created (the first bill
 * paid) in that calendar month, WIB. Contributions received = covered months settled in the month (coverage_month
 * .settled_at), the net of their bill lines.
 */
type Db = Kysely<Database> | Transaction<Database>;

/** The first instant of a month in WIB. */
export function monthStartWib(month: Month): Date {
  return new Date(`${month}-01T00:00:00+07:00`);
}

interface AgentRow {
  participant_id: string;
  agent_code: string;
  kantor_code: string;
}

/** The Kantor codes with an agent who was an agent during the month (started before its end, not ended before it). */
export async function kantorsWithAgents(db: Db, month: Month): Promise<string[]> {
  const start = monthStartWib(month);
  const end = monthStartWib(addMonths(month, 1));
  const r = await sql<{ kantor_code: string }>`
    select distinct kantor_code from agent
     where started_at < ${end} and (ended_at is null or ended_at >= ${start}) order by kantor_code`.execute(db);
  return r.rows.map((row) => row.kantor_code);
}

async function agentsOf(db: Db, kantorCode: string, month: Month): Promise<AgentRow[]> {
  const start = monthStartWib(month);
  const end = monthStartWib(addMonths(month, 1));
  const r = await sql<AgentRow>`
    select participant_id, agent_code, kantor_code from agent
     where kantor_code = ${kantorCode} and started_at < ${end} and (ended_at is null or ended_at >= ${start})
     order by agent_code`.execute(db);
  return r.rows;
}

async function acquisitionsOf(db: Db, agentCode: string, month: Month): Promise<Acquisition[]> {
  const start = monthStartWib(month);
  const end = monthStartWib(addMonths(month, 1));
  const r = await sql<{ id: string; programs: string[]; never_bpu_before: boolean }>`
    select p.id, coalesce(r.programs, p.programs) as programs,
           not exists (select 1 from participant e where e.nik_hash = p.nik_hash and e.id <> p.id and e.created_at < p.created_at) as never_bpu_before
      from registration r join participant p on p.registration_id = r.id
     where r.channel = 'agent' and r.registered_by = ${agentCode} and p.created_at >= ${start} and p.created_at < ${end}
     order by p.id`.execute(db);
  return r.rows.map((row) => ({ participantId: row.id, programs: row.programs as Program[], neverBpuBefore: row.never_bpu_before }));
}

async function contributionsOf(db: Db, agentCode: string, month: Month): Promise<ContributionReceived[]> {
  const start = monthStartWib(month);
  const end = monthStartWib(addMonths(month, 1));
  const r = await sql<{ participant_id: string; month: string; first_month: string; amount: string | number }>`
    select cm.participant_id, cm.month,
           (select min(f.month) from coverage_month f where f.participant_id = cm.participant_id) as first_month,
           (select coalesce(sum(l.net), 0) from bill_line l where l.bill_id = cm.bill_id and l.month = cm.month)::int8 as amount
      from registration r join participant p on p.registration_id = r.id
      join coverage_month cm on cm.participant_id = p.id
     where r.channel = 'agent' and r.registered_by = ${agentCode} and cm.settled_at >= ${start} and cm.settled_at < ${end}
     order by cm.participant_id, cm.month`.execute(db);
  return r.rows.map((row) => ({ participantId: row.participant_id, month: row.month, firstCoveredMonth: row.first_month, amount: Number(row.amount) }));
}

/** What the rules make of one agent's month (read-only; the job and the tests use it). */
export async function computeAgentMonth(db: Db, agentCode: string, month: Month, book: IncentiveRuleBook): Promise<AgentIncentive> {
  const [acquisitions, contributions] = await Promise.all([acquisitionsOf(db, agentCode, month), contributionsOf(db, agentCode, month)]);
  return agentIncentive({ month, acquisitions, contributions }, book);
}

export function statementId(holderKind: 'agent' | 'kantor', code: string, month: Month): string {
  return `${holderKind}:${code}:${month}`;
}

/** The ledger kind of a statement line: the transfers group lines by it. */
function transferKind(line: IncentiveLine): 'acquisition' | 'contribution' | 'kantor_share' {
  return line.kind === 'contribution_tier' ? 'contribution' : line.kind === 'kantor_share' ? 'kantor_share' : 'acquisition';
}

/** The transfers of a statement: one per kind of line, expense → the holder's payable account. */
export function incentiveTransfers(holderKind: 'agent' | 'kantor', code: string, month: Month, lines: readonly IncentiveLine[]): TransferDraft[] {
  const sums = new Map<string, number>();
  for (const line of lines) {
    sums.set(transferKind(line), (sums.get(transferKind(line)) ?? 0) + line.amount);
  }
  return [...sums].filter(([, amount]) => amount > 0).map(([kind, amount]) => ({
    id: `incentive:${code}:${month}:${kind}`,
    debitAccount: AGENT_INCENTIVE_EXPENSE_ACCOUNT,
    creditAccount: incentivePayableAccount(holderKind, code),
    amount,
    code: 'agent_incentive',
    ref: statementId(holderKind, code, month),
  }));
}

interface StatementDraft {
  holderKind: 'agent' | 'kantor';
  code: string;
  kantorCode: string;
  agentId: string | null;
  newCount: number;
  lines: readonly IncentiveLine[];
  total: number;
}

async function writeStatement(trx: Transaction<Database>, month: Month, s: StatementDraft, book: IncentiveRuleBook, now: Date): Promise<void> {
  await trx
    .insertInto('agent_incentive_statement')
    .values({
      id: statementId(s.holderKind, s.code, month),
      month,
      holder_kind: s.holderKind,
      holder_code: s.code,
      kantor_code: s.kantorCode,
      agent_id: s.agentId,
      lines: JSON.stringify(s.lines),
      new_count: s.newCount,
      total: s.total,
      pay_by: incentivePayBy(month, book),
      status: s.total > 0 ? 'due' : 'nothing_due',
      created_at: now,
    })
    .execute();
  for (const t of incentiveTransfers(s.holderKind, s.code, month, s.lines)) {
    await postTransfer(trx, t, now);
  }
}

export interface KantorMonthResult {
  kantorCode: string;
  /** False when the Kantor's month was already done (a re-run): nothing written. */
  written: boolean;
  agents: number;
  total: number;
}

/**
 * One Kantor's month in the caller's transaction: every agent's statement, the Kantor's, and their transfers — unless
 * the Kantor's statement for the month exists (then nothing). Locks the Kantor row so that two runs serialise.
 */
export async function computeKantorMonth(trx: Transaction<Database>, input: { kantorCode: string; month: Month; book: IncentiveRuleBook; now: Date }): Promise<KantorMonthResult> {
  const { kantorCode, month, book, now } = input;
  await sql`select code from kantor_perisai where code = ${kantorCode} for update`.execute(trx);
  const done = await trx.selectFrom('agent_incentive_statement').select('id').where('id', '=', statementId('kantor', kantorCode, month)).executeTakeFirst();
  if (done) {
    return { kantorCode, written: false, agents: 0, total: 0 };
  }
  const agents = await agentsOf(trx, kantorCode, month);
  const totals: number[] = [];
  let newCount = 0;
  for (const a of agents) {
    const r = await computeAgentMonth(trx, a.agent_code, month, book);
    totals.push(r.total);
    newCount += r.newCount;
    await writeStatement(trx, month, { holderKind: 'agent', code: a.agent_code, kantorCode, agentId: a.participant_id, newCount: r.newCount, lines: r.lines, total: r.total }, book, now);
  }
  const kantor = kantorIncentive(month, totals, book);
  await writeStatement(trx, month, { holderKind: 'kantor', code: kantorCode, kantorCode, agentId: null, newCount, lines: kantor.lines, total: kantor.total }, book, now);
  return { kantorCode, written: true, agents: agents.length, total: totals.reduce((s, t) => s + t, 0) + kantor.total };
}

/** Whether any agent was ever made (one probe): the daily cycle schedules the agents' monthly jobs only then. */
export async function anyAgent(db: Db): Promise<boolean> {
  const r = await sql<{ one: number }>`select 1 as one from agent limit 1`.execute(db);
  return r.rows.length > 0;
}
