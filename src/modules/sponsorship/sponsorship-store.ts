import type { Kysely, Selectable, Transaction } from 'kysely';
import type { Database, SponsorshipTable } from '../../db/database.js';
import type { Deps } from '../../deps.js';
import { lockKey } from '../../db/advisory-lock.js';
import { billStatusAt, findLatestRegistrationBill, findOpenMemberBill } from '../contributions/index.js';
import { getMemberSummary } from '../membership/index.js';
import { getRegistration } from '../registration/index.js';
import type { EndedReason, SponsorshipStatus } from './domain/sponsorship-rules.js';

export type SponsorshipRow = Selectable<SponsorshipTable>;

/** A bill the sponsor can pay now (the open one of the worker's registration or membership). */
export interface PayableBill {
  paymentCode: string;
  amount: number;
  expiresAt: string;
}

/** One sponsored worker as the sponsor's page and GET /me/sponsorships show them. */
export interface SponsorshipView {
  id: string;
  workerName: string;
  kpj: string | null;
  status: SponsorshipStatus;
  endedReason: EndedReason | null;
  coveredThrough: string | null;
  nextDue: { month: string; dueDate: string; amount: number } | null;
  bill: PayableBill | null;
  createdAt: string;
}

export async function findSponsorship(db: Kysely<Database> | Transaction<Database>, id: string): Promise<SponsorshipRow | undefined> {
  return db.selectFrom('sponsorship').selectAll().where('id', '=', id).executeTakeFirst();
}

export async function findSponsorshipByToken(db: Kysely<Database>, tokenHash: string): Promise<SponsorshipRow | undefined> {
  return db.selectFrom('sponsorship').selectAll().where('consent_token_hash', '=', tokenHash).executeTakeFirst();
}

/**
 * The worker's open sponsorship (active, or awaiting a consent made after `cutoff`: an older request has expired), by
 * the NIK's keyed hash; under the worker's lock when in a transaction.
 */
export async function openSponsorshipOf(db: Kysely<Database> | Transaction<Database>, workerNikHash: string, cutoff: Date): Promise<SponsorshipRow | undefined> {
  return db
    .selectFrom('sponsorship')
    .selectAll()
    .where('worker_nik_hash', '=', workerNikHash)
    .where((eb) => eb.or([eb('status', '=', 'active'), eb.and([eb('status', '=', 'awaiting_consent'), eb('created_at', '>', cutoff)])]))
    .executeTakeFirst();
}

/** One sponsorship write per worker at a time: the open-sponsorship check and the insert or end run under it. */
export async function lockWorker(trx: Transaction<Database>, workerNikHash: string): Promise<void> {
  await lockKey(trx, `lindung:sponsorship:${workerNikHash}`);
}

/**
 * The worker's participant id: set at once for an existing member; for a new worker, once the first bill is paid (the
 * settlement creates the participant from the registration), then remembered on the row.
 */
export async function workerParticipantId(deps: Pick<Deps, 'db'>, row: SponsorshipRow): Promise<string | null> {
  if (row.participant_id !== null || row.registration_id === null) {
    return row.participant_id;
  }
  const participantId = (await getRegistration(deps, row.registration_id))?.participant_id ?? null;
  if (participantId !== null) {
    await deps.db.updateTable('sponsorship').set({ participant_id: participantId }).where('id', '=', row.id).where('participant_id', 'is', null).execute();
  }
  return participantId;
}

async function payableBill(deps: Deps, row: SponsorshipRow, participantId: string | null): Promise<PayableBill | null> {
  const now = deps.clock.now();
  if (participantId !== null) {
    const open = await findOpenMemberBill(deps.db, participantId, now);
    return open ? { paymentCode: open.payment_code, amount: Number(open.amount), expiresAt: open.expires_at.toISOString() } : null;
  }
  if (row.registration_id === null) {
    return null;
  }
  const first = await findLatestRegistrationBill(deps.db, row.registration_id);
  return first && billStatusAt(first, now) === 'open' ? { paymentCode: first.payment_code, amount: Number(first.amount), expiresAt: first.expires_at.toISOString() } : null;
}

/** The sponsor's view of one sponsorship: the worker, their cover and next due month once a member, the bill to pay. */
export async function sponsorshipView(deps: Deps, row: SponsorshipRow): Promise<SponsorshipView> {
  const participantId = await workerParticipantId(deps, row);
  const summary = participantId ? await getMemberSummary(deps, participantId) : null;
  const registration = !summary && row.registration_id ? await getRegistration(deps, row.registration_id) : undefined;
  return {
    id: row.id,
    workerName: summary?.participant.full_name ?? registration?.full_name ?? '',
    kpj: summary?.participant.kpj ?? null,
    status: row.status,
    endedReason: row.ended_reason,
    coveredThrough: summary?.coveredThrough ?? null,
    nextDue: summary && row.status !== 'ended' ? summary.nextDue : null,
    bill: row.status === 'ended' ? null : await payableBill(deps, row, participantId),
    createdAt: row.created_at.toISOString(),
  };
}

/** Every worker a member sponsors or sponsored, newest first. */
export async function listSponsorships(deps: Deps, sponsorId: string): Promise<SponsorshipView[]> {
  const rows = await deps.db.selectFrom('sponsorship').selectAll().where('sponsor_participant_id', '=', sponsorId).orderBy('created_at', 'desc').orderBy('id', 'desc').execute();
  const views: SponsorshipView[] = [];
  for (const row of rows) {
    views.push(await sponsorshipView(deps, row));
  }
  return views;
}
