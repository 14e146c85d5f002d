import type { Deps } from '../../deps.js';
import { localDateInJakarta, monthInJakarta } from '../../shared/month.js';
import { ok, reject, type Result } from '../../shared/result.js';
import type { QuoteRejection } from '../contributions/index.js';
import { billableMonthsStart, getMemberSummary, issueMemberBill, type MemberSummary } from '../membership/index.js';
import { enqueueMessage } from '../notifications/index.js';
import { cancelRegistration, getRegistration, submitRegistration, type SubmitRejection } from '../registration/index.js';
import { actionAllowed, type EndedReason } from './domain/sponsorship-rules.js';
import { applyFunding } from './funding-port.js';
import { findSponsorship, type PayableBill, type SponsorshipRow, type SponsorshipView, sponsorshipView, workerParticipantId } from './sponsorship-store.js';

/** A sponsorship of this sponsor (another member's is unknown to them). */
async function ownSponsorship(deps: Deps, sponsorId: string, id: string): Promise<Result<SponsorshipRow, 'unknown_sponsorship'>> {
  const row = await findSponsorship(deps.db, id);
  return row && row.sponsor_participant_id === sponsorId ? ok(row) : reject('unknown_sponsorship');
}

export type SponsorBillRejection = 'unknown_sponsorship' | 'sponsorship_not_active' | 'unauthorized' | 'prepay_limit' | QuoteRejection | SubmitRejection;

/**
 * The sponsor pays the worker's next months: THE member bill path (issueMemberBill: from the month after the cover,
 * priced with the worker's funding in force, replacing an unpaid bill), so the worker's own portal shows the same bill.
 * Before the first payment the worker is not a member yet: the registration's first bill is issued again for the
 * months chosen (submitRegistration replaces the unpaid one).
 */
export async function sponsorBill(deps: Deps, sponsorId: string, id: string, months: number): Promise<Result<PayableBill, SponsorBillRejection>> {
  const own = await ownSponsorship(deps, sponsorId, id);
  if (!own.ok) return own;
  const row = own.value;
  if (!actionAllowed(row.status, 'bill')) return reject('sponsorship_not_active');
  const participantId = await workerParticipantId(deps, row);
  if (participantId === null && row.registration_id !== null) {
    const reg = await getRegistration(deps, row.registration_id);
    const submitted = await submitRegistration(deps, row.registration_id, { programs: reg?.programs ?? [], declaredIncome: reg?.declared_income ?? 0, months });
    if (!submitted.ok) return submitted;
    return ok(payable(submitted.value.bill));
  }
  if (participantId === null) return reject('sponsorship_not_active');
  const billed = await issueMemberBill(deps, participantId, months);
  if (!billed.ok) return billed;
  return ok(payable(billed.value.bill));
}

function payable(bill: { paymentCode: string; amount: number; expiresAt: string }): PayableBill {
  return { paymentCode: bill.paymentCode, amount: bill.amount, expiresAt: bill.expiresAt };
}

/** The sponsor stops paying: the worker is told by SMS and pays themself from their next unpaid month. */
export async function stopSponsorship(deps: Deps, sponsorId: string, id: string): Promise<Result<SponsorshipView, 'unknown_sponsorship' | 'sponsorship_not_active'>> {
  const own = await ownSponsorship(deps, sponsorId, id);
  if (!own.ok) return own;
  if (!actionAllowed(own.value.status, 'stop')) return reject('sponsorship_not_active');
  return endSponsorship(deps, own.value, 'sponsor_stopped');
}

/** The worker (signed in) takes over their own payments from the next unpaid month; the sponsor is told by SMS. */
export async function takeOver(deps: Deps, workerId: string): Promise<Result<SponsorshipView, 'not_sponsored' | 'sponsorship_not_active'>> {
  const row = await activeSponsorshipOfWorker(deps, workerId);
  if (!row) return reject('not_sponsored');
  return endSponsorship(deps, row, 'taken_over');
}

/** The worker's active sponsorship: by their participant id, or (first bill just paid) through their registration. */
export async function activeSponsorshipOfWorker(deps: Deps, workerId: string): Promise<SponsorshipRow | undefined> {
  const summary = await getMemberSummary(deps, workerId);
  if (!summary) return undefined;
  const registrationId = summary.participant.registration_id;
  return deps.db
    .selectFrom('sponsorship')
    .selectAll()
    .where('status', '=', 'active')
    .where((eb) => (registrationId ? eb.or([eb('participant_id', '=', workerId), eb('registration_id', '=', registrationId)]) : eb('participant_id', '=', workerId)))
    .executeTakeFirst();
}

/**
 * Ends a sponsorship once (under the row's lock): a worker who is a member pays themself from their next unpaid month
 * (the funding change is recorded only when the sponsor was paying, i.e. after consent); a worker who is not a member
 * yet has their unpaid first bill cancelled. The other party is told by SMS.
 */
async function endSponsorship(deps: Deps, given: SponsorshipRow, reason: Exclude<EndedReason, 'expired'>): Promise<Result<SponsorshipView, 'sponsorship_not_active'>> {
  const now = deps.clock.now();
  const participantId = await workerParticipantId(deps, given);
  const summary = participantId ? await getMemberSummary(deps, participantId) : null;
  const fromMonth = summary ? billableMonthsStart({ coveredThrough: summary.coveredThrough, today: localDateInJakarta(now) }, deps.rules) : monthInJakarta(now);
  const sponsor = await getMemberSummary(deps, given.sponsor_participant_id);
  const notice = await endNotice(deps, given, { worker: summary, sponsor }, reason);
  const ended = await deps.db.transaction().execute(async (trx) => {
    const row = await trx.selectFrom('sponsorship').selectAll().where('id', '=', given.id).forUpdate().executeTakeFirst();
    if (!row || row.status === 'ended') return false;
    await trx.updateTable('sponsorship').set({ status: 'ended', ended_at: now, ended_reason: reason }).where('id', '=', row.id).execute();
    let month = fromMonth;
    if (summary && row.status === 'active') {
      const actor = `participant:${reason === 'taken_over' ? summary.participant.kpj : (sponsor?.participant.kpj ?? row.sponsor_participant_id)}`;
      month = await applyFunding(trx, deps, { participantId: summary.participant.id, funding: 'self', payerId: null, actor });
    }
    // Not a member yet: the registration made for the sponsor is closed, so the worker can register alone.
    if (!summary && row.registration_id !== null) await cancelRegistration(trx, row.registration_id, now);
    if (notice) await enqueueMessage(trx, { channel: 'sms', to: notice.to, now, message: { template: 'sponsorship_ended_sms', reason, name: notice.name, month } });
    return true;
  });
  if (!ended) return reject('sponsorship_not_active');
  const row = await findSponsorship(deps.db, given.id);
  if (!row) throw new Error(`sponsorship ${given.id} vanished`);
  return ok(await sponsorshipView(deps, row));
}

/** Who is told of the end: the sponsor when the worker took over; the worker when the sponsor stopped. */
async function endNotice(
  deps: Deps,
  row: SponsorshipRow,
  { worker, sponsor }: { worker: MemberSummary | null; sponsor: MemberSummary | null },
  reason: Exclude<EndedReason, 'expired'>,
): Promise<{ to: string; name: string } | null> {
  const registration = !worker && row.registration_id ? await getRegistration(deps, row.registration_id) : undefined;
  const workerName = worker?.participant.full_name ?? registration?.full_name ?? '';
  if (reason === 'taken_over') {
    return sponsor ? { to: sponsor.participant.phone, name: workerName } : null;
  }
  const phone = worker?.participant.phone ?? registration?.phone;
  return phone ? { to: phone, name: workerName } : null;
}
