import type { Kysely } from 'kysely';
import type { Database } from '../../db/database.js';
import type { Deps } from '../../deps.js';
import { ok, reject, type Result } from '../../shared/result.js';
import { recordStaffAction } from '../audit/index.js';
import { clearingAccount, incentivePayableAccount, postTransfer } from '../ledger/index.js';
import type { IncentiveLine } from './domain/incentives.js';

/**
 * Incentive statements (agent_incentive_statement) as the API shows them, and their payment.
 *
 * Payment decision (issue 17 item 5, "paid by the 5th"): not through the payouts module's disbursement provider —
 * that one sends a claim's benefit to the claimant's verified bank account, and Lindung holds no bank account for an
 * agent or a Kantor Perisai (the rulebook pays "via a partner bank to the wadah"). Finance pays the month's statements
 * by bank transfer and records it here, four eyes: one finance officer approves a `due` statement, ANOTHER marks it
 * paid with the bank reference (`incentive_same_officer` otherwise; the database checks it too). Marking it paid posts
 * payable:<agent|kantor>:<code> → clearing:disbursement (id `incentive-paid:<statementId>`), which the bank statement
 * reconciles. Both steps are audited.
 */
export const STATEMENT_STATUSES = ['due', 'approved', 'paid', 'nothing_due'] as const;
export type StatementStatus = (typeof STATEMENT_STATUSES)[number];

/** Where paid incentives go out: the bank transfers finance makes. */
export const INCENTIVE_DISBURSEMENT_CHANNEL = 'disbursement';

export interface StatementView {
  id: string;
  month: string;
  holderKind: 'agent' | 'kantor';
  holderCode: string;
  kantorCode: string;
  newCount: number;
  lines: IncentiveLine[];
  total: number;
  payBy: string;
  status: StatementStatus;
  approvedAt: string | null;
  paidAt: string | null;
  paymentReference: string | null;
}

const COLUMNS = ['id', 'month', 'holder_kind', 'holder_code', 'kantor_code', 'new_count', 'lines', 'total', 'pay_by', 'status', 'approved_at', 'paid_at', 'payment_reference'] as const;

function selectStatements(db: Kysely<Database>) {
  return db.selectFrom('agent_incentive_statement').select(COLUMNS);
}

type Row = Awaited<ReturnType<ReturnType<typeof selectStatements>['executeTakeFirstOrThrow']>>;

function iso(v: Date | string | null): string | null {
  return v === null ? null : new Date(v).toISOString();
}

function view(r: Row): StatementView {
  return {
    id: r.id,
    month: r.month,
    holderKind: r.holder_kind as 'agent' | 'kantor',
    holderCode: r.holder_code,
    kantorCode: r.kantor_code,
    newCount: r.new_count,
    lines: (typeof r.lines === 'string' ? JSON.parse(r.lines) : r.lines) as IncentiveLine[],
    total: Number(r.total),
    payBy: r.pay_by, // a `date` column is read as its 'YYYY-MM-DD' text (src/db/connect.ts)
    status: r.status as StatementStatus,
    approvedAt: iso(r.approved_at),
    paidAt: iso(r.paid_at),
    paymentReference: r.payment_reference,
  };
}

/** An agent's (or a Kantor's) statements, newest month first; one month when given. */
export async function listStatements(db: Kysely<Database>, holder: { kind: 'agent' | 'kantor'; code: string }, month?: string): Promise<StatementView[]> {
  let q = selectStatements(db)
    .where('holder_kind', '=', holder.kind)
    .where('holder_code', '=', holder.code);
  if (month !== undefined) {
    q = q.where('month', '=', month);
  }
  return (await q.orderBy('month', 'desc').limit(120).execute()).map(view);
}

export async function getStatement(db: Kysely<Database>, id: string): Promise<StatementView | undefined> {
  const r = await selectStatements(db).where('id', '=', id).executeTakeFirst();
  return r ? view(r) : undefined;
}

type PayError = 'not_found' | 'incentive_statement_not_due' | 'incentive_statement_not_approved' | 'incentive_same_officer';

/** Finance approves a `due` statement for payment (the first pair of eyes); audited. */
export async function approveStatement(deps: Deps, id: string, actor: string): Promise<Result<StatementView, PayError>> {
  const now = deps.clock.now();
  const done = await deps.db.transaction().execute(async (trx): Promise<Result<null, PayError>> => {
    const s = await trx.selectFrom('agent_incentive_statement').select(['status', 'total']).where('id', '=', id).forUpdate().executeTakeFirst();
    if (!s) return reject('not_found', 'id');
    if (s.status !== 'due') return reject('incentive_statement_not_due', 'id');
    await trx.updateTable('agent_incentive_statement').set({ status: 'approved', approved_by: actor, approved_at: now }).where('id', '=', id).execute();
    await recordStaffAction(trx, { actor, action: 'incentive.approve', subject: `incentive-statement:${id}`, reason: null, detail: { total: Number(s.total) }, before: { status: 'due' }, after: { status: 'approved' }, at: now });
    return ok(null);
  });
  return done.ok ? ok((await getStatement(deps.db, id)) as StatementView) : done;
}

/**
 * Another finance officer records the bank transfer of an `approved` statement (the second pair of eyes): paid, and
 * the ledger moves the amount from the holder's payable account to clearing:disbursement; audited.
 */
export async function markStatementPaid(deps: Deps, id: string, input: { reference: string; actor: string }): Promise<Result<StatementView, PayError>> {
  const now = deps.clock.now();
  const done = await deps.db.transaction().execute(async (trx): Promise<Result<null, PayError>> => {
    const s = await trx.selectFrom('agent_incentive_statement').select(['status', 'total', 'holder_kind', 'holder_code', 'approved_by']).where('id', '=', id).forUpdate().executeTakeFirst();
    if (!s) return reject('not_found', 'id');
    if (s.status !== 'approved') return reject('incentive_statement_not_approved', 'id');
    if (s.approved_by === input.actor) return reject('incentive_same_officer', 'id');
    await trx.updateTable('agent_incentive_statement').set({ status: 'paid', paid_by: input.actor, paid_at: now, payment_reference: input.reference }).where('id', '=', id).execute();
    const payable = incentivePayableAccount(s.holder_kind as 'agent' | 'kantor', s.holder_code);
    await postTransfer(trx, { id: `incentive-paid:${id}`, debitAccount: payable, creditAccount: clearingAccount(INCENTIVE_DISBURSEMENT_CHANNEL), amount: Number(s.total), code: 'agent_incentive_payout', ref: id }, now);
    await recordStaffAction(trx, { actor: input.actor, action: 'incentive.paid', subject: `incentive-statement:${id}`, reason: null, detail: { total: Number(s.total), reference: input.reference }, before: { status: 'approved' }, after: { status: 'paid' }, at: now });
    return ok(null);
  });
  return done.ok ? ok((await getStatement(deps.db, id)) as StatementView) : done;
}

/** The agent's statements for its page (/agen/insentif): null when the participant is not, and never was, an agent. */
export async function agentStatementsView(deps: Deps, participantId: string): Promise<{ agentCode: string; ended: boolean; statements: StatementView[] } | null> {
  const agent = await deps.db.selectFrom('agent').select(['agent_code', 'status']).where('participant_id', '=', participantId).executeTakeFirst();
  if (!agent) {
    return null;
  }
  return { agentCode: agent.agent_code, ended: agent.status === 'ended', statements: await listStatements(deps.db, { kind: 'agent', code: agent.agent_code }) };
}

/** Who approved each of these statements (the staff console says why that officer may not also record the payment). */
export async function statementApprovers(db: Kysely<Database>, ids: readonly string[]): Promise<Map<string, string>> {
  if (ids.length === 0) {
    return new Map();
  }
  const rows = await db.selectFrom('agent_incentive_statement').select(['id', 'approved_by']).where('id', 'in', [...ids]).execute();
  return new Map(rows.flatMap((r) => (r.approved_by ? [[r.id, r.approved_by] as const] : [])));
}
