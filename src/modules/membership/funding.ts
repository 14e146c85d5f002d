import type { Kysely, Transaction } from 'kysely';
import type { Database, Funding } from '../../db/database.js';
import type { Deps } from '../../deps.js';
import { addMonths, isMonth, monthInJakarta } from '../../shared/month.js';
import { recordStaffAction } from '../audit/index.js';
import { cancelOpenBills, fundingInForce, type FundingFrom, priceContribution, type RuleBook } from '../contributions/index.js';
import { nextUnpaidMonth } from './data-change.js';
import { fundingHistory, type FundingRow } from './funding-history.js';

/**
 * A member's funding, effective-dated (issue 17 item 1): who pays — the member (self), a sponsor, a partner, the
 * state (APBN) or a region (APBD) — from a month on. participant_funding holds the history; participant.funding is
 * the funding in force now (a cache); a member without rows is funded as participant.funding and the registration's
 * payer_id say. Every bill prices each month with the funding in force for that month (fundingPlanOf here; the
 * set-based paths through the funding key, src/db/funding-key.ts): a government-funded month is never discounted.
 */

export interface FundingInMonth {
  funding: Funding;
  /** Who pays: a partner/payer id or a sponsor's participant id; null = the member. */
  payerId: string | null;
  /** The payer's name as recorded with the change (null when none was given). */
  payerName: string | null;
}

/** Why setFunding refused: an unknown member, or a start month already paid (paid months never change). */
export class FundingChangeError extends Error {
  constructor(readonly code: 'unknown_participant' | 'funding_month_paid' | 'invalid_month') {
    super(`funding change refused: ${code}`);
  }
}

/** The funding and payer in force for `month` (null: no such member). */
export async function fundingForMonth(db: Kysely<Database>, participantId: string, month: string): Promise<FundingInMonth | null> {
  const p = await db
    .selectFrom('participant')
    .leftJoin('registration', 'registration.id', 'participant.registration_id')
    .select(['participant.funding', 'registration.payer_id'])
    .where('participant.id', '=', participantId)
    .executeTakeFirst();
  if (!p) {
    return null;
  }
  const rows = await fundingHistory(db, participantId);
  const funding = fundingInForce(rows, p.funding, month);
  const row = rowInForce(rows, month);
  return row ? { funding, payerId: row.payerId, payerName: row.payerName } : { funding, payerId: p.payer_id ?? null, payerName: null };
}

/** The row in force for `month` (the same rule as fundingInForce: before the first row, the first row). */
function rowInForce(rows: readonly FundingRow[], month: string): FundingRow | undefined {
  const before = rows.filter((r) => r.fromMonth <= month);
  return before[before.length - 1] ?? rows[0];
}

export interface SetFundingInput {
  participantId: string;
  funding: Funding;
  /** Who pays (null = the member; always null for 'self'). */
  payerId: string | null;
  /** The payer's name as the member is told it ("dibayar oleh mitra …"); optional. */
  payerName?: string | null;
  /** Default: the member's next unpaid month. Never a month already paid. */
  fromMonth?: string;
  /** Who made the change: a staff username, 'partner:<id>', 'participant:<kpj>', 'system'. */
  actor: string;
  reason?: string | null;
  now?: Date;
}

/**
 * Sets a member's funding from `fromMonth` on (see the file comment), in the caller's transaction: the history row
 * (on the first change, the funding before it too, from the member's first covered month), participant.funding (the
 * funding in force now), the member's open bills cancelled when the price changes (the next bill is priced on the new
 * funding) except those on a payer's collective (an invoice stays payable as issued), and the audit row. Throws FundingChangeError.
 */
export async function setFunding(trx: Transaction<Database>, deps: Deps, input: SetFundingInput): Promise<{ fromMonth: string }> {
  const now = input.now ?? deps.clock.now();
  const p = await trx
    .selectFrom('participant')
    .leftJoin('registration', 'registration.id', 'participant.registration_id')
    .select(['participant.id', 'participant.kpj', 'participant.funding', 'participant.declared_income', 'participant.programs', 'participant.sector', 'registration.payer_id'])
    .where('participant.id', '=', input.participantId)
    .forUpdate('participant')
    .executeTakeFirst();
  const nextUnpaid = p ? await nextUnpaidMonth(deps, trx, input.participantId) : null;
  if (!p || nextUnpaid === null) {
    throw new FundingChangeError('unknown_participant');
  }
  const fromMonth = input.fromMonth ?? nextUnpaid;
  if (!isMonth(fromMonth)) {
    throw new FundingChangeError('invalid_month');
  }
  if (fromMonth < nextUnpaid) {
    throw new FundingChangeError('funding_month_paid');
  }
  const payerId = input.funding === 'self' ? null : input.payerId;
  const payerName = input.funding === 'self' ? null : (input.payerName ?? null);
  const before = await fundingHistory(trx, p.id);
  if (before.length === 0) {
    await recordFundingBefore(trx, { id: p.id, funding: p.funding, payerId: p.payer_id ?? null }, fromMonth, now);
  }
  const row = { funding: input.funding, payer_id: payerId, payer_name: payerName, actor: input.actor, created_at: now };
  await trx
    .insertInto('participant_funding')
    .values({ participant_id: p.id, from_month: fromMonth, ...row })
    .onConflict((oc) => oc.columns(['participant_id', 'from_month']).doUpdateSet(row))
    .execute();
  const after = await fundingHistory(trx, p.id);
  const plan = (rows: readonly FundingRow[]) => rows.map((r) => ({ fromMonth: r.fromMonth, funding: r.funding }));
  if (priceChanges(deps.rules, p, plan(before), plan(after), fromMonth)) {
    await cancelOpenBills(trx, { participantId: p.id }, { keepCollective: true });
  }
  const nowFunding = fundingInForce(plan(after), p.funding, monthInJakarta(now));
  await trx.updateTable('participant').set({ funding: nowFunding, updated_at: now }).where('id', '=', p.id).execute();
  await recordStaffAction(trx, {
    actor: input.actor,
    action: 'participant.update',
    subject: `participant:${p.kpj}`,
    reason: input.reason ?? null,
    detail: { changed: ['funding'], effectiveFrom: fromMonth },
    before: { funding: fundingInForce(plan(before), p.funding, fromMonth) },
    after: { funding: input.funding, payerId, payerName },
    at: now,
  });
  return { fromMonth };
}

/** On the first change, the funding before it, from the member's first covered month (as recordTerms does). */
async function recordFundingBefore(trx: Transaction<Database>, p: { id: string; funding: Funding; payerId: string | null }, fromMonth: string, now: Date) {
  const first = await trx.selectFrom('coverage_month').select((eb) => eb.fn.min<string>('month').as('m')).where('participant_id', '=', p.id).executeTakeFirst();
  const firstMonth = first?.m ?? fromMonth;
  if (firstMonth < fromMonth) {
    await trx
      .insertInto('participant_funding')
      .values({ participant_id: p.id, from_month: firstMonth, funding: p.funding, payer_id: p.payerId, payer_name: null, actor: 'system', created_at: now })
      .execute();
  }
}

/** Whether any month a bill may hold from `fromMonth` (the prepayment horizon) is priced differently after. */
export function priceChanges(
  rules: RuleBook,
  p: { funding: Funding; declared_income: number; programs: string[]; sector: string },
  before: FundingFrom[],
  after: FundingFrom[],
  fromMonth: string,
): boolean {
  const horizon = Math.max(...rules.prepaymentOptions);
  const base = { declaredIncome: p.declared_income, programs: p.programs, months: 1, sector: p.sector as 'transport' | 'other', funding: p.funding };
  for (let i = 0; i < horizon; i++) {
    const startMonth = addMonths(fromMonth, i);
    const a = priceContribution({ ...base, startMonth, fundingFrom: before }, rules);
    const b = priceContribution({ ...base, startMonth, fundingFrom: after }, rules);
    if (a.ok !== b.ok || (a.ok && b.ok && a.value.total !== b.value.total)) {
      return true;
    }
  }
  return false;
}
