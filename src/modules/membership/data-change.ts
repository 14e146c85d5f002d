import type { Kysely, Transaction } from 'kysely';
import type { Database, Participant } from '../../db/database.js';
import type { Deps } from '../../deps.js';
import { localDateInJakarta } from '../../shared/month.js';
import { ok, reject, type Result } from '../../shared/result.js';
import { recordStaffAction } from '../audit/index.js';
import { branchDirectory, occupationDirectory } from '../reference/index.js';
import { cancelOpenBills, type FundingFrom, priceContribution } from '../contributions/index.js';
import { fundingPlanOf } from './funding-history.js';
import { incomeEffectiveMonth, planDataChange, termsInForce, type DataChangeError, type DataChangeInput, type DataChangePlan } from './domain/data-change.js';
import { coveredThroughOf } from './participants.js';

/**
 * Member data changes (issue 16 item 5): address, occupation (the sector follows it), branch, declared income and
 * programs — by the member (PATCH /me, /akun/profil; actor `participant:KPJ`) or at the counter (PATCH
 * /staff/participants/{kpj}; actor the officer). One transaction: the participant row, the effective-dated terms
 * (participant_income), the open bills cancelled when the price changes (the next bill is priced on the new terms)
 * and the audit row with before/after. Phone and e-mail changes are contact-change.ts.
 */

/** Who makes the change: the member themselves or a counter officer (username). */
export type ChangeActor = { kind: 'participant' } | { kind: 'staff'; username: string };

export const actorName = (actor: ChangeActor, kpj: string) => (actor.kind === 'participant' ? `participant:${kpj}` : actor.username);

/** The declared income and programs in force for `month` (the first month of a bill): the one function bills read. */
export async function termsForMonth(db: Kysely<Database>, p: Pick<Participant, 'id' | 'declared_income' | 'programs'>, month: string) {
  const rows = await db.selectFrom('participant_income').select(['from_month', 'amount', 'programs']).where('participant_id', '=', p.id).execute();
  const history = rows.map((r) => ({ fromMonth: r.from_month, amount: r.amount, programs: r.programs }));
  const t = termsInForce(history, { amount: p.declared_income, programs: p.programs }, month);
  return { declaredIncome: t.amount, programs: [...t.programs] };
}

/** The month a new income or program applies from: the member's next unpaid month (billableMonthsStart). */
export async function nextUnpaidMonth(deps: Deps, db: Kysely<Database>, participantId: string): Promise<string | null> {
  const coveredThrough = await coveredThroughOf(db, participantId);
  return coveredThrough === null ? null : incomeEffectiveMonth({ coveredThrough, today: localDateInJakarta(deps.clock.now()) }, deps.rules);
}

export interface DataChangeDone {
  changed: string[];
  /** The month the new income or programs apply from, when they changed. */
  effectiveFrom: string | null;
}

export type DataChangeRejection = DataChangeError | 'unknown_participant';

const viewOf = (p: Participant) => ({
  address: p.address,
  occupationCode: p.occupation_code,
  sector: p.sector,
  branchCode: p.branch_code,
  declaredIncome: p.declared_income,
  programs: p.programs,
});

/** Applies a data change to the participant `participantId` (see the file comment). */
export async function changeMemberData(deps: Deps, participantId: string, input: DataChangeInput, actor: ChangeActor): Promise<Result<DataChangeDone, DataChangeRejection>> {
  const now = deps.clock.now();
  // Read before the transaction: a cold directory read on deps.db inside it would wait for this very transaction's
  // connection on a one-connection database (PGlite).
  const occupations = await occupationDirectory(deps.db);
  const branches = await branchDirectory(deps.db);
  return deps.db.transaction().execute(async (trx) => {
    const p = await trx.selectFrom('participant').selectAll().where('id', '=', participantId).forUpdate().executeTakeFirst();
    const fromMonth = p ? await nextUnpaidMonth(deps, trx, participantId) : null;
    if (!p || fromMonth === null) {
      return reject('unknown_participant', 'kpj');
    }
    const plan = planDataChange(input, p, occupations, branches);
    if (!plan.ok) {
      return plan;
    }
    const priced = checkPrice(deps, p, plan.value, fromMonth, (await fundingPlanOf(trx, p)).fundingFrom);
    if (!priced.ok) {
      return priced;
    }
    const changed = Object.keys(plan.value.set);
    if (changed.length === 0) {
      return ok({ changed, effectiveFrom: null });
    }
    const effectiveFrom = plan.value.pricingChanged ? fromMonth : null;
    if (effectiveFrom !== null) {
      await recordTerms(trx, p, plan.value, effectiveFrom, actorName(actor, p.kpj), now);
      // An open bill was priced on the old terms: the next one (Bayar, or the next dues run) is priced on the new.
      await cancelOpenBills(trx, { participantId });
    }
    const after = await trx.updateTable('participant').set({ ...plan.value.set, updated_at: now }).where('id', '=', participantId).returningAll().executeTakeFirstOrThrow();
    await recordStaffAction(trx, {
      actor: actorName(actor, p.kpj),
      action: 'participant.update',
      subject: `participant:${p.kpj}`,
      reason: null,
      detail: { changed, effectiveFrom, channel: actor.kind === 'participant' ? 'self_service' : 'counter' },
      before: viewOf(p),
      after: viewOf(after),
      at: now,
    });
    return ok({ changed, effectiveFrom });
  });
}

/** The new terms must price (the income at least the lowest rung) from the month they apply. */
function checkPrice(deps: Deps, p: Participant, plan: DataChangePlan, fromMonth: string, fundingFrom: readonly FundingFrom[]): Result<void, DataChangeError> {
  if (!plan.pricingChanged) {
    return ok(undefined);
  }
  const quote = priceContribution(
    {
      declaredIncome: plan.set.declared_income ?? p.declared_income,
      programs: plan.set.programs ?? p.programs,
      months: 1,
      startMonth: fromMonth,
      sector: plan.set.sector ?? (p.sector as 'transport' | 'other'),
      funding: p.funding,
      fundingFrom,
    },
    deps.rules,
  );
  if (!quote.ok) {
    return quote.code === 'income_below_minimum' ? reject('income_below_minimum', 'declaredIncome') : reject('invalid_programs', 'addPrograms', quote.detail);
  }
  return ok(undefined);
}

/**
 * Writes the effective-dated terms: on the first change, the terms before it from the member's first covered month;
 * then the new terms from `fromMonth` (a second change in the same month replaces the first).
 */
async function recordTerms(trx: Transaction<Database>, p: Participant, plan: DataChangePlan, fromMonth: string, actor: string, now: Date) {
  const any = await trx.selectFrom('participant_income').select('from_month').where('participant_id', '=', p.id).limit(1).executeTakeFirst();
  if (!any) {
    const first = await trx.selectFrom('coverage_month').select((eb) => eb.fn.min<string>('month').as('m')).where('participant_id', '=', p.id).executeTakeFirst();
    const firstMonth = first?.m ?? fromMonth;
    if (firstMonth < fromMonth) {
      await trx.insertInto('participant_income').values({ participant_id: p.id, from_month: firstMonth, amount: p.declared_income, programs: p.programs, actor: 'system', created_at: now }).execute();
    }
  }
  const row = { amount: plan.set.declared_income ?? p.declared_income, programs: plan.set.programs ?? p.programs, actor, created_at: now };
  await trx
    .insertInto('participant_income')
    .values({ participant_id: p.id, from_month: fromMonth, ...row })
    .onConflict((oc) => oc.columns(['participant_id', 'from_month']).doUpdateSet(row))
    .execute();
}

/** The income history of a member, newest first (the profile page and the staff view). */
export async function incomeHistory(db: Kysely<Database>, participantId: string) {
  const rows = await db.selectFrom('participant_income').select(['from_month', 'amount', 'programs']).where('participant_id', '=', participantId).orderBy('from_month', 'desc').execute();
  return rows.map((r) => ({ fromMonth: r.from_month, amount: r.amount, programs: r.programs }));
}

/** What the profile page (/akun/profil) and the counter's page show and prefill: the member's changeable data. */
export async function memberProfile(deps: Deps, participantId: string) {
  const p = await deps.db.selectFrom('participant').selectAll().where('id', '=', participantId).executeTakeFirst();
  const fromMonth = p ? await nextUnpaidMonth(deps, deps.db, participantId) : null;
  if (!p || fromMonth === null) {
    return null;
  }
  const history = await incomeHistory(deps.db, participantId);
  const pendingPhone = await deps.db
    .selectFrom('contact_change')
    .select(['new_value', 'expires_at'])
    .where('participant_id', '=', participantId)
    .where('kind', '=', 'phone')
    .where('used_at', 'is', null)
    .where('expires_at', '>', deps.clock.now())
    .orderBy('created_at', 'desc')
    .limit(1)
    .executeTakeFirst();
  return {
    participantId,
    kpj: p.kpj,
    fullName: p.full_name,
    phone: p.phone,
    email: p.email,
    address: p.address,
    occupationCode: p.occupation_code,
    sector: p.sector,
    branchCode: p.branch_code,
    declaredIncome: p.declared_income,
    /** The month the current declared income applies from (null: since the member joined). */
    declaredIncomeFrom: history[0]?.fromMonth ?? null,
    programs: p.programs,
    /** Where a change of income or programs would apply from now. */
    nextUnpaidMonth: fromMonth,
    pendingPhone: pendingPhone?.new_value ?? null,
  };
}

export type MemberProfile = NonNullable<Awaited<ReturnType<typeof memberProfile>>>;
