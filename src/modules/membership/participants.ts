import { sql, type Kysely, type Transaction } from 'kysely';
import type { Bill, BillLine, Database, Participant } from '../../db/database.js';
import type { Deps } from '../../deps.js';
import { luhnCheckDigit, newId } from '../../shared/ids.js';
import { localDateInJakarta } from '../../shared/month.js';
import type { CardSigner } from '../cards/card-token.js';
import { priceContribution } from '../contributions/domain/price-contribution.js';
import type { RuleBook } from '../contributions/domain/rule-book.js';
import { findOccupation } from '../reference/occupations.js';
import { membershipStatus, nextDue, type MembershipStatus } from './domain/membership-status.js';

/** What the payment flow needs to tell the member after settling a bill. */
export interface SettledMember {
  participantId: string;
  kpj: string;
  email: string;
  fullName: string;
  coveredThrough: string;
  verifyUrl: string;
}

/** KPJ: 10 digits from kpj_seq plus a Luhn check digit = 11 digits, issued once, never reused. */
export async function nextKpj(trx: Transaction<Database>): Promise<string> {
  const row = await sql<{ n: number }>`select nextval('kpj_seq') as n`.execute(trx);
  const base = String(row.rows[0]?.n);
  return base + luhnCheckDigit(base);
}

export function cardVerifyUrl(publicBaseUrl: string, signer: CardSigner, kpj: string, issuedAt: Date): string {
  const token = signer.sign({ v: 1, kpj, issuedAt: issuedAt.toISOString() });
  return `${publicBaseUrl}/api/v1/cards/verify?token=${encodeURIComponent(token)}`;
}

function distinctMonths(lines: readonly BillLine[]): string[] {
  return [...new Set(lines.map((l) => l.month))].sort();
}

/**
 * The first settled bill of a registration creates the participant (or, for a NIK whose membership had become
 * inactive, reactivates the same participant with the same KPJ, so JHT savings and contribution history continue).
 */
export async function activateFirstBill(deps: Deps, trx: Transaction<Database>, bill: Bill, lines: readonly BillLine[], now: Date): Promise<SettledMember> {
  const reg = await trx.selectFrom('registration').selectAll().where('id', '=', bill.registration_id ?? '').executeTakeFirstOrThrow();
  const kpj = await nextKpj(trx);
  const sector = findOccupation(reg.occupation_code)?.sector ?? 'other';
  const person = {
    full_name: reg.full_name,
    birth_date: reg.birth_date,
    gender: reg.gender,
    phone: reg.phone,
    email: reg.email,
    address: reg.address,
    occupation_code: reg.occupation_code,
    sector,
    branch_code: reg.branch_code,
    programs: reg.programs ?? ['JKK', 'JKM'],
    declared_income: reg.declared_income ?? 0,
    funding: reg.funding,
    registration_id: reg.id,
    updated_at: now,
  };
  const participant = await trx
    .insertInto('participant')
    .values({ id: newId('ptc'), kpj, nik: reg.nik, created_at: now, ...person })
    .onConflict((oc) => oc.column('nik').doUpdateSet(person))
    .returning(['id', 'kpj', 'created_at'])
    .executeTakeFirstOrThrow();
  const months = distinctMonths(lines);
  await trx
    .insertInto('coverage_month')
    .values(months.map((month) => ({ participant_id: participant.id, month, bill_id: bill.id })))
    .execute();
  await trx.updateTable('registration').set({ status: 'completed', participant_id: participant.id, updated_at: now }).where('id', '=', reg.id).execute();
  await trx.updateTable('bill').set({ participant_id: participant.id }).where('id', '=', bill.id).execute();
  return {
    participantId: participant.id,
    kpj: participant.kpj,
    email: reg.email,
    fullName: reg.full_name,
    coveredThrough: await coveredThroughOf(trx, participant.id) ?? months[months.length - 1] ?? '',
    verifyUrl: cardVerifyUrl(deps.config.publicBaseUrl, deps.cardSigner, participant.kpj, participant.created_at),
  };
}

/** A renewal bill adds exactly its months to the member's cover. */
export async function extendCoverage(trx: Transaction<Database>, bill: Bill, lines: readonly BillLine[]): Promise<SettledMember> {
  const participantId = bill.participant_id ?? '';
  await trx
    .insertInto('coverage_month')
    .values(distinctMonths(lines).map((month) => ({ participant_id: participantId, month, bill_id: bill.id })))
    .execute();
  const p = await trx.selectFrom('participant').select(['id', 'kpj', 'email', 'full_name']).where('id', '=', participantId).executeTakeFirstOrThrow();
  return { participantId: p.id, kpj: p.kpj, email: p.email, fullName: p.full_name, coveredThrough: (await coveredThroughOf(trx, p.id)) ?? '', verifyUrl: '' };
}

export async function coveredThroughOf(db: Kysely<Database>, participantId: string): Promise<string | null> {
  const row = await db
    .selectFrom('coverage_month')
    .select(sql<string | null>`max(month)`.as('m'))
    .where('participant_id', '=', participantId)
    .executeTakeFirst();
  return row?.m ?? null;
}

/** The participant that a first bill would activate, if that NIK is already a participant. */
export async function participantIdForRegistration(db: Kysely<Database>, registrationId: string): Promise<string | null> {
  const row = await db
    .selectFrom('registration')
    .innerJoin('participant', 'participant.nik', 'registration.nik')
    .select('participant.id')
    .where('registration.id', '=', registrationId)
    .executeTakeFirst();
  return row?.id ?? null;
}

export async function findParticipantById(db: Kysely<Database>, id: string) {
  return db.selectFrom('participant').selectAll().where('id', '=', id).executeTakeFirst();
}

export async function findParticipantByKpj(db: Kysely<Database>, kpj: string) {
  return db.selectFrom('participant').selectAll().where('kpj', '=', kpj).executeTakeFirst();
}

export async function findParticipantByNik(db: Kysely<Database>, nik: string) {
  return db.selectFrom('participant').selectAll().where('nik', '=', nik).executeTakeFirst();
}

/** The most recently joined participant using this phone number (a phone may change hands). */
export async function findParticipantByPhone(db: Kysely<Database>, phone: string) {
  return db.selectFrom('participant').selectAll().where('phone', '=', phone).orderBy('created_at', 'desc').limit(1).executeTakeFirst();
}

export interface MemberSummary {
  participant: Participant;
  status: MembershipStatus;
  coveredThrough: string;
  overdueMonths: string[];
  nextDue: { month: string; dueDate: string; amount: number };
}

/** Status is derived from the covered months and today's date in WIB; nothing stores it. */
export function summarize(participant: Participant, coveredThrough: string, now: Date, rules: RuleBook): MemberSummary {
  const today = localDateInJakarta(now);
  const status = membershipStatus({ coveredThrough, today }, rules);
  const due = nextDue({ coveredThrough, today }, rules);
  const quote = priceContribution(
    { declaredIncome: participant.declared_income, programs: participant.programs, months: 1, startMonth: due.month, sector: participant.sector, funding: participant.funding },
    rules,
  );
  return {
    participant,
    status: status.status,
    coveredThrough,
    overdueMonths: status.overdueMonths,
    nextDue: { month: due.month, dueDate: due.dueDate, amount: quote.ok ? quote.value.total : 0 },
  };
}

export async function getMemberSummary(deps: Deps, participantId: string): Promise<MemberSummary | null> {
  const participant = await findParticipantById(deps.db, participantId);
  if (!participant) {
    return null;
  }
  const coveredThrough = (await coveredThroughOf(deps.db, participant.id)) ?? '';
  return summarize(participant, coveredThrough, deps.clock.now(), deps.rules);
}
