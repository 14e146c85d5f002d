import { sql, type Kysely } from 'kysely';
import type { Database, Participant } from '../../db/database.js';
import type { Deps } from '../../deps.js';
import { localDateInJakarta, type Month } from '../../shared/month.js';
import { type FundingFrom, priceContribution, PROGRAMS, type RuleBook } from '../contributions/index.js';
import { fundingPlanOf } from './funding-history.js';
import { nikHash } from '../identity/index.js';
import { coveredAt, coverStartFor, type SettledMonth } from './domain/cover-start.js';
import { membershipStatus, nextDue, type MembershipStatus } from './domain/membership-status.js';

export { cardVerifyUrl } from '../cards/index.js';

export async function coveredThroughOf(db: Kysely<Database>, participantId: string): Promise<string | null> {
  const row = await db
    .selectFrom('coverage_month')
    .select(sql<string | null>`max(month)`.as('m'))
    .where('participant_id', '=', participantId)
    .executeTakeFirst();
  return row?.m ?? null;
}

/** The participant's covered months with the instant each was settled. */
export async function settledMonthsOf(db: Kysely<Database>, participantId: string): Promise<(SettledMonth & { billId: string })[]> {
  const rows = await db.selectFrom('coverage_month').select(['month', 'settled_at', 'bill_id']).where('participant_id', '=', participantId).execute();
  return rows.map((r) => ({ month: r.month as Month, settledAt: new Date(r.settled_at), billId: r.bill_id }));
}

/** The start of the participant's current unbroken cover (the run that ends at coveredThrough), as a WIB instant. */
export async function coveredFromOf(db: Kysely<Database>, participantId: string, coveredThrough: string): Promise<string | null> {
  const start = coverStartFor(await settledMonthsOf(db, participantId), coveredThrough as Month);
  // In WIB with the milliseconds: the exact instant (a claim at coveredFrom itself is covered).
  return start ? `${new Date(start.getTime() + 7 * 3_600_000).toISOString().slice(0, 23)}+07:00` : null;
}

/**
 * Was this participant covered at `at` (the question every claim asks): its WIB month is covered and `at` is at or
 * after the start of that unbroken cover. `programs`: what that month's bill paid for (none when not covered).
 */
export async function coverageAt(db: Kysely<Database>, participantId: string, at: Date): Promise<{ covered: boolean; programs: string[]; month: string }> {
  const months = await settledMonthsOf(db, participantId);
  const { covered, month } = coveredAt(months, at);
  if (!covered) {
    return { covered, programs: [], month };
  }
  const billId = months.find((m) => m.month === month)?.billId ?? '';
  const lines = await db.selectFrom('bill_line').select('program').distinct().where('bill_id', '=', billId).where('month', '=', month).execute();
  return { covered, programs: lines.map((l) => l.program).sort((a, b) => PROGRAMS.indexOf(a) - PROGRAMS.indexOf(b)), month };
}

export async function findParticipantById(db: Kysely<Database>, id: string) {
  return db.selectFrom('participant').selectAll().where('id', '=', id).executeTakeFirst();
}

export async function findParticipantByKpj(db: Kysely<Database>, kpj: string) {
  return db.selectFrom('participant').selectAll().where('kpj', '=', kpj).executeTakeFirst();
}

/** The participant of a NIK, found by its keyed hash (the NIK is not stored: docs/security.md). */
export async function findParticipantByNik(deps: Pick<Deps, 'db' | 'config'>, nik: string) {
  return findParticipantByNikHash(deps.db, nikHash(nik, deps.config.nik));
}

/** The participant whose NIK has this keyed hash (identity's nikHash), e.g. a registration's nik_hash. */
export async function findParticipantByNikHash(db: Kysely<Database>, hash: string) {
  return db.selectFrom('participant').selectAll().where('nik_hash', '=', hash).executeTakeFirst();
}

/** Every participant using this phone number, newest first (e.g. a husband and wife sharing one phone). */
export async function findParticipantsByPhone(db: Kysely<Database>, phone: string) {
  return db.selectFrom('participant').selectAll().where('phone', '=', phone).orderBy('created_at', 'desc').execute();
}

export interface MemberSummary {
  participant: Participant;
  status: MembershipStatus;
  coveredThrough: string;
  overdueMonths: string[];
  nextDue: { month: string; dueDate: string; amount: number };
}

/** Status is derived from the covered months and today's date in WIB; nothing stores it. */
function summarize(participant: Participant, coveredThrough: string, now: Date, rules: RuleBook, fundingFrom: readonly FundingFrom[]): MemberSummary {
  const today = localDateInJakarta(now);
  const status = membershipStatus({ coveredThrough, today }, rules);
  const due = nextDue({ coveredThrough, today }, rules);
  const quote = priceContribution(
    { declaredIncome: participant.declared_income, programs: participant.programs, months: 1, startMonth: due.month, sector: participant.sector, funding: participant.funding, fundingFrom },
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

/** A participant as of now: last covered month, status and next due. Null for one with no cover at all. */
export async function summarizeParticipant(deps: Deps, participant: Participant): Promise<MemberSummary | null> {
  const coveredThrough = await coveredThroughOf(deps.db, participant.id);
  if (coveredThrough === null) {
    return null;
  }
  const { fundingFrom } = await fundingPlanOf(deps.db, participant);
  return summarize(participant, coveredThrough, deps.clock.now(), deps.rules, fundingFrom);
}

export async function getMemberSummary(deps: Deps, participantId: string): Promise<MemberSummary | null> {
  const participant = await findParticipantById(deps.db, participantId);
  return participant ? summarizeParticipant(deps, participant) : null;
}

export interface ParticipantMatch {
  kpj: string;
  fullName: string;
  status: MembershipStatus;
  coveredThrough: string;
}

/** A name as the name search compares it: lower case, runs of white space as one space, trimmed. */
export function normalizeSearchName(name: string): string {
  return name.trim().replace(/\s+/g, ' ').toLowerCase();
}

export type ParticipantSearch = { nik: string } | { phone: string } | { kpj: string } | { name: string; birthDate: string };

/**
 * Staff search (counter, contact centre): participants by exactly one of NIK, phone (already normalised, +62…), KPJ,
 * or name + birth date (the name case- and space-insensitive, exact otherwise; served by the index
 * participant_name_birth of migration 2026-12-07T1420). The NIK is only ever an input: no match carries it, not even
 * masked (a member page shows it masked, maskNikLast4).
 */
export async function searchParticipants(deps: Deps, by: ParticipantSearch): Promise<ParticipantMatch[]> {
  let q = deps.db.selectFrom('participant').selectAll();
  if ('nik' in by) {
    q = q.where('nik_hash', '=', nikHash(by.nik, deps.config.nik));
  } else if ('phone' in by) {
    q = q.where('phone', '=', by.phone);
  } else if ('kpj' in by) {
    q = q.where('kpj', '=', by.kpj);
  } else {
    // The same expression as the index, so the planner uses it.
    q = q.where(sql<string>`lower(regexp_replace(full_name, '\\s+', ' ', 'g'))`, '=', normalizeSearchName(by.name)).where('birth_date', '=', by.birthDate);
  }
  const rows = await q.orderBy('created_at', 'desc').limit(50).execute();
  const matches: ParticipantMatch[] = [];
  for (const p of rows) {
    const s = await summarizeParticipant(deps, p);
    if (s) {
      matches.push({ kpj: p.kpj, fullName: p.full_name, status: s.status, coveredThrough: s.coveredThrough });
    }
  }
  return matches;
}
