import type { Selectable, Transaction } from 'kysely';
import type { Database } from '../../db/database.js';
import type { Deps } from '../../deps.js';
import { AppError } from '../../http/errors.js';
import { yearInJakarta } from './claim-view.js';
import { recordStaffAction, type StaffAction } from '../audit/index.js';
import { jhtInterimRef } from '../jht/index.js';
import { termsForMonth } from '../membership/index.js';
import { monthInJakarta } from '../../shared/month.js';
import { benefitAccount, JHT_INVESTMENT_ACCOUNT, jhtAccount, PAYOUT_CLEARING_ACCOUNT } from '../ledger/index.js';
import { jhtClaimLines, jhtWithdrawalKind, pooledClaimLines, writeLines, type VerificationNote } from './claim-lines.js';
import type { BenefitLine, ChildFacts, JkkAssessment } from './domain/benefit-lines.js';
import { transition, type ClaimAction, type ClaimStatus } from './domain/claim-state.js';
import { notifyClaimStatus, recordClaimEvent, type ClaimStatusName, type ClaimType } from './filing.js';
import { createPayout } from './payout-create.js';

/**
 * The officers' transitions (api-contract.md "Claims"): verify (lines computed), approve (the benefit posted to the
 * ledger and a payout created), reject, return, and the member's resubmit. Each in one transaction on the claim's row
 * locked FOR UPDATE: the pure state machine first (409 invalid_transition / same_officer), the database trigger
 * `claim_guard` behind it (its refusals map to the same 409s, never a 500); then the history row, the staff audit
 * (before/after) and the member's notification.
 */
type ClaimRow = Selectable<Database['claim']>;

async function lockClaim(trx: Transaction<Database>, id: string, participantId?: string): Promise<ClaimRow> {
  let q = trx.selectFrom('claim').selectAll().where('id', '=', id);
  if (participantId !== undefined) {
    q = q.where('participant_id', '=', participantId);
  }
  const row = await q.forUpdate().executeTakeFirst();
  if (!row) {
    throw new AppError('not_found', 'id');
  }
  return row;
}

/** The staff account acting (verify / approve record it); the bootstrap staff key has none. */
async function staffAccountId(trx: Transaction<Database>, username: string): Promise<number> {
  const row = await trx.selectFrom('staff_account').select('id').where('username', '=', username).executeTakeFirst();
  if (!row) {
    throw new AppError('forbidden', undefined, 'claim decisions need a staff account, not the staff key');
  }
  return Number(row.id);
}

function checkMove(row: ClaimRow, action: ClaimAction): void {
  const state = { status: row.status as ClaimStatus, verifiedBy: row.verified_by === null ? null : String(row.verified_by), approvedBy: null, reason: null };
  const moved = transition(state, action);
  if (!moved.ok) {
    if (moved.code === 'reason_required') {
      throw new AppError('invalid_request', 'reason', 'a reason is required');
    }
    throw new AppError(moved.code, undefined, moved.detail);
  }
}

/** A refusal of the claim_guard trigger or the four-eyes CHECK as the contract's 409, never a 500. */
export function guardRefusal(err: unknown): AppError | null {
  const e = err as { code?: string; constraint?: string; message?: string } | null;
  if (e?.code !== '23514') {
    return null;
  }
  const text = `${e.constraint ?? ''} ${e.message ?? ''}`;
  return text.includes('claim_four_eyes') ? new AppError('same_officer') : new AppError('invalid_transition', undefined, e.message);
}

function snapshot(row: Pick<ClaimRow, 'status' | 'total' | 'verified_by' | 'approved_by' | 'decision_reason'>) {
  return { status: row.status, total: row.total === null ? null : Number(row.total), verifiedBy: row.verified_by, approvedBy: row.approved_by, reason: row.decision_reason };
}

interface Move {
  row: ClaimRow;
  to: ClaimStatusName;
  actor: string;
  set: Partial<Pick<ClaimRow, 'verified_by' | 'approved_by' | 'total' | 'decision_reason' | 'assessment' | 'verification'>>;
  reason: string | null;
  audit: StaffAction['action'] | null;
  now: Date;
}

/** The update, its history row, the audit (staff) and the notification: the common tail of every transition. */
async function applyMove(trx: Transaction<Database>, m: Move): Promise<void> {
  try {
    await trx.updateTable('claim').set({ ...m.set, status: m.to, updated_at: m.now }).where('id', '=', m.row.id).execute();
  } catch (err) {
    throw guardRefusal(err) ?? err;
  }
  await recordClaimEvent(trx, { claimId: m.row.id, participantId: m.row.participant_id, at: m.now, status: m.to, actor: m.actor, reason: m.reason });
  if (m.audit !== null) {
    const after = snapshot({ ...m.row, ...m.set, status: m.to });
    await recordStaffAction(trx, { actor: m.actor, action: m.audit, subject: `claim:${m.row.id}`, reason: m.reason, detail: { type: m.row.type }, before: snapshot(m.row), after, at: m.now });
  }
  const total = m.set.total !== undefined ? m.set.total : m.row.total;
  await notifyClaimStatus(trx, { participantId: m.row.participant_id, claimId: m.row.id, type: m.row.type as ClaimType, status: m.to, total: total === null ? null : Number(total), reason: m.reason, now: m.now });
}

/** The declared income in force in the month of the event (member data changes keep it effective-dated). */
async function declaredIncomeOf(trx: Transaction<Database>, participantId: string, eventAt: Date): Promise<number> {
  const p = await trx.selectFrom('participant').select(['id', 'declared_income', 'programs']).where('id', '=', participantId).executeTakeFirstOrThrow();
  return Number((await termsForMonth(trx, p, monthInJakarta(eventAt))).declaredIncome);
}

function childrenOf(row: ClaimRow): ChildFacts[] {
  const raw = (typeof row.children === 'string' ? JSON.parse(row.children) : row.children) as ChildFacts[] | null;
  return raw ?? [];
}

/** The entitlement and what the verification found but does not pay (the scholarship refusals). */
async function linesFor(trx: Transaction<Database>, deps: Deps, row: ClaimRow, assessment: JkkAssessment | null, now: Date): Promise<{ lines: BenefitLine[]; notes: VerificationNote[] }> {
  if (row.type === 'JHT') {
    return { lines: await jhtClaimLines(trx, deps, { kpj: row.kpj, reason: row.reason, now }), notes: [] };
  }
  const eventAt = new Date(row.event_at ?? now);
  const facts = { participantId: row.participant_id, type: row.type as 'JKK' | 'JKM', eventAt, declaredIncome: await declaredIncomeOf(trx, row.participant_id, eventAt), children: childrenOf(row), assessment, now };
  return pooledClaimLines(trx, deps, facts);
}

export async function verifyClaim(deps: Deps, input: { id: string; actor: string; assessment: JkkAssessment | null }): Promise<void> {
  await deps.db.transaction().execute(async (trx) => {
    const now = deps.clock.now();
    const row = await lockClaim(trx, input.id);
    const officer = await staffAccountId(trx, input.actor);
    checkMove(row, { kind: 'verify', officer: String(officer) });
    const { lines, notes } = await linesFor(trx, deps, row, row.type === 'JKK' ? input.assessment : null, now);
    const total = await writeLines(trx, { claimId: row.id, participantId: row.participant_id, lines });
    const assessment = row.type === 'JKK' ? JSON.stringify(input.assessment) : row.assessment;
    const set = { verified_by: officer, total, assessment, verification: JSON.stringify(notes) };
    await applyMove(trx, { row, to: 'verified', actor: input.actor, set, reason: null, audit: 'claim.verify', now });
  });
}

/** The approval's money: the JHT interim return (full withdrawal), the benefit to payout_clearing, the payout. */
async function postApprovalMoney(trx: Transaction<Database>, row: ClaimRow, total: number, accrued: number, now: Date): Promise<void> {
  const transfers = [];
  const source = row.type === 'JHT' ? jhtAccount(row.kpj) : benefitAccount(row.type as 'JKK' | 'JKM');
  if (row.type === 'JHT' && jhtWithdrawalKind(row.reason) === 'full' && accrued > 0) {
    const ref = jhtInterimRef(yearInJakarta(now));
    transfers.push({ id: `jht-interim:${row.id}`, debit_account: JHT_INVESTMENT_ACCOUNT, credit_account: jhtAccount(row.kpj), amount: accrued, code: 'jht_interim_return', ref, created_at: now });
  }
  if (total > 0) {
    transfers.push({ id: `claim:${row.id}`, debit_account: source, credit_account: PAYOUT_CLEARING_ACCOUNT, amount: total, code: 'claim_benefit', ref: row.id, created_at: now });
  }
  if (transfers.length > 0) {
    await trx.insertInto('ledger_transfer').values(transfers).onConflict((oc) => oc.column('id').doNothing()).execute();
  }
  if (total > 0) {
    await createPayout(trx, { claimId: row.id, participantId: row.participant_id, amount: total, bankAccount: row.bank_account, now });
  }
}

export async function approveClaim(deps: Deps, input: { id: string; actor: string }): Promise<void> {
  await deps.db.transaction().execute(async (trx) => {
    const now = deps.clock.now();
    const row = await lockClaim(trx, input.id);
    const officer = await staffAccountId(trx, input.actor);
    checkMove(row, { kind: 'approve', officer: String(officer) });
    let total = Number(row.total ?? 0);
    let accrued = 0;
    if (row.type === 'JHT') {
      // The JHT entitlement is taken on the approval's day: the withdrawal empties (or takes its share of) the
      // account as it stands now, contributions and this year's accrual up to yesterday included.
      const lines = await jhtClaimLines(trx, deps, { kpj: row.kpj, reason: row.reason, now });
      accrued = lines.find((l) => l.benefit === 'jht_return')?.amount ?? 0;
      total = await writeLines(trx, { claimId: row.id, participantId: row.participant_id, lines });
    }
    await applyMove(trx, { row, to: 'approved', actor: input.actor, set: { approved_by: officer, total }, reason: null, audit: 'claim.approve', now });
    await postApprovalMoney(trx, row, total, accrued, now);
  });
}

export async function rejectClaim(deps: Deps, input: { id: string; actor: string; reason: string; kind: 'reject' | 'return' }): Promise<void> {
  await deps.db.transaction().execute(async (trx) => {
    const now = deps.clock.now();
    const row = await lockClaim(trx, input.id);
    checkMove(row, { kind: input.kind, officer: input.actor, reason: input.reason });
    const reason = input.reason.trim();
    const to = input.kind === 'reject' ? 'rejected' : 'returned';
    const audit = input.kind === 'reject' ? 'claim.reject' : 'claim.return';
    await applyMove(trx, { row, to, actor: input.actor, set: { decision_reason: reason }, reason, audit, now });
  });
}

/** The member resubmits a returned claim (own claims only: another's is 404). */
export async function resubmitClaim(deps: Deps, input: { id: string; participantId: string }): Promise<void> {
  await deps.db.transaction().execute(async (trx) => {
    const now = deps.clock.now();
    const row = await lockClaim(trx, input.id, input.participantId);
    checkMove(row, { kind: 'resubmit' });
    await applyMove(trx, { row, to: 'submitted', actor: `participant:${row.kpj}`, set: { verified_by: null, verification: null }, reason: null, audit: null, now });
  });
}
