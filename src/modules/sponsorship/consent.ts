import type { Deps } from '../../deps.js';
import { sha256Hex } from '../../shared/crypto.js';
import { ok, reject, type Result } from '../../shared/result.js';
import { issueOtp, otpAttemptsLeft, verifyOtp } from '../auth/index.js';
import { enqueueMessage } from '../notifications/index.js';
import { maskName, type QuoteRejection } from '../contributions/index.js';
import { getMemberSummary, issueMemberBill } from '../membership/index.js';
import { getRegistration, resendRegistrationOtp, submitRegistration, type SubmitRejection, verifyRegistrationPhone } from '../registration/index.js';
import { actionAllowed, CONSENT_TEXT_VERSION } from './domain/sponsorship-rules.js';
import { cutoffOf, expireConsentRequests } from './expiry.js';
import { applyFunding } from './funding-port.js';
import { findSponsorship, findSponsorshipByToken, type PayableBill, type SponsorshipRow, sponsorshipView } from './sponsorship-store.js';

/** What the consent page shows the worker before they agree (the sponsor's name masked). */
export interface ConsentRequest {
  id: string;
  status: SponsorshipRow['status'];
  /** Why it ended ('expired': the worker did not answer within SPONSORSHIP_CONSENT_DAYS); null while open. */
  endedReason: SponsorshipRow['ended_reason'];
  sponsorName: string;
  workerName: string;
  /** A new worker is being registered; otherwise the worker is already a member (KPJ). */
  newWorker: boolean;
  programs: string[];
  months: number;
  textVersion: string;
}

/** The consent request behind an SMS link's token; null for an unknown token. */
export async function consentRequest(deps: Deps, token: string): Promise<ConsentRequest | null> {
  const found = await findSponsorshipByToken(deps.db, sha256Hex(token));
  if (!found) return null;
  const row = await unlessExpired(deps, found);
  const sponsor = await getMemberSummary(deps, row.sponsor_participant_id);
  const registration = row.registration_id ? await getRegistration(deps, row.registration_id) : undefined;
  const member = row.registration_id === null && row.participant_id ? await getMemberSummary(deps, row.participant_id) : null;
  return {
    id: row.id,
    status: row.status,
    endedReason: row.ended_reason,
    sponsorName: maskName(sponsor?.participant.full_name ?? ''),
    workerName: registration?.full_name ?? member?.participant.full_name ?? '',
    newWorker: row.registration_id !== null,
    programs: registration?.programs ?? member?.participant.programs ?? [],
    months: row.requested_months,
    textVersion: CONSENT_TEXT_VERSION,
  };
}

/** The row as it stands once an unanswered request past its days has been expired (lazily, here). */
async function unlessExpired(deps: Deps, row: SponsorshipRow): Promise<SponsorshipRow> {
  if (row.status !== 'awaiting_consent' || row.created_at > cutoffOf(deps)) return row;
  await deps.db.transaction().execute((trx) => expireConsentRequests(trx, deps, { id: row.id }));
  return (await findSponsorship(deps.db, row.id)) ?? row;
}

export type ConsentRejection = 'unknown_sponsorship' | 'sponsorship_not_active' | 'invalid_otp' | 'too_many_attempts' | 'unknown_registration' | 'prepay_limit' | 'unauthorized' | SubmitRejection | QuoteRejection;

/** The answer to a consent: the sponsorship is active and the first bill (the sponsor pays it) is issued. */
export interface Consented {
  id: string;
  status: 'active';
  bill: PayableBill | null;
}

/** A wrong code: the refusal says how many tries the code has left (`detail`), for the page to show. */
function withAttemptsLeft<C extends string>(code: C, left: number | null) {
  return reject(code, 'code', left === null ? undefined : `attempts left: ${left}`);
}

/**
 * The worker consents with their OTP (UU 27/2022: the versioned text they were shown is recorded). A new worker's
 * code is the registration's own (their phone is verified by it), then the registration is submitted: the first bill
 * from the sponsor's plan. An existing member's code is the sponsorship's; the sponsor pays from their next unpaid
 * month (funding 'sponsor', payer the sponsor) and a bill for the chosen months is issued. Again after success: the
 * same answer.
 */
export async function giveConsent(deps: Deps, id: string, code: string): Promise<Result<Consented, ConsentRejection>> {
  const found = await findSponsorship(deps.db, id);
  if (!found) return reject('unknown_sponsorship');
  const row = await unlessExpired(deps, found);
  if (row.status === 'active') return ok({ id, status: 'active', bill: await currentBill(deps, row) });
  if (!actionAllowed(row.status, 'consent')) return reject('sponsorship_not_active');
  return row.registration_id !== null ? consentAsNewWorker(deps, row, row.registration_id, code) : consentAsMember(deps, row, code);
}

async function markConsented(deps: Deps, id: string): Promise<void> {
  await deps.db.updateTable('sponsorship').set({ status: 'active', consent_at: deps.clock.now(), consent_text_version: CONSENT_TEXT_VERSION }).where('id', '=', id).where('status', '=', 'awaiting_consent').execute();
}

async function consentAsNewWorker(deps: Deps, row: SponsorshipRow, registrationId: string, code: string): Promise<Result<Consented, ConsentRejection>> {
  const verified = await verifyRegistrationPhone(deps, registrationId, code);
  if (!verified.ok) {
    return verified.code === 'unknown_registration' ? verified : withAttemptsLeft(verified.code, await otpAttemptsLeft(deps.db, { purpose: 'registration', subject: registrationId }));
  }
  await markConsented(deps, row.id);
  const reg = await getRegistration(deps, registrationId);
  const submitted = await submitRegistration(deps, registrationId, { programs: reg?.programs ?? [], declaredIncome: reg?.declared_income ?? 0, months: row.requested_months });
  if (!submitted.ok) return submitted;
  const bill = submitted.value.bill;
  return ok({ id: row.id, status: 'active', bill: { paymentCode: bill.paymentCode, amount: bill.amount, expiresAt: bill.expiresAt } });
}

async function consentAsMember(deps: Deps, row: SponsorshipRow, code: string): Promise<Result<Consented, ConsentRejection>> {
  const summary = row.participant_id ? await getMemberSummary(deps, row.participant_id) : null;
  if (!summary) return reject('unknown_sponsorship');
  const worker = summary.participant;
  const sponsor = await getMemberSummary(deps, row.sponsor_participant_id);
  const payerName = sponsor ? maskName(sponsor.participant.full_name) : null; // as the consent page shows it
  const now = deps.clock.now();
  const done = await deps.db.transaction().execute(async (trx) => {
    const checked = await verifyOtp(trx, { purpose: 'sponsorship', subject: row.id, phone: worker.phone, code, now, secret: deps.config.otpSecret });
    if (!checked.ok) return checked;
    const updated = await trx
      .updateTable('sponsorship')
      .set({ status: 'active', consent_at: now, consent_text_version: CONSENT_TEXT_VERSION })
      .where('id', '=', row.id)
      .where('status', '=', 'awaiting_consent')
      .executeTakeFirst();
    if (Number(updated.numUpdatedRows) === 1) {
      await applyFunding(trx, deps, { participantId: worker.id, funding: 'sponsor', payerId: row.sponsor_participant_id, payerName, actor: `participant:${worker.kpj}` });
    }
    return ok(undefined);
  });
  if (!done.ok) return withAttemptsLeft(done.code, await otpAttemptsLeft(deps.db, { purpose: 'sponsorship', subject: row.id }));
  const billed = await issueMemberBill(deps, worker.id, row.requested_months);
  if (!billed.ok) return billed;
  const bill = billed.value.bill;
  return ok({ id: row.id, status: 'active', bill: { paymentCode: bill.paymentCode, amount: bill.amount, expiresAt: bill.expiresAt } });
}

async function currentBill(deps: Deps, row: SponsorshipRow): Promise<PayableBill | null> {
  return (await sponsorshipView(deps, row)).bill;
}

/**
 * A new consent code for the worker (the first one lives 5 minutes; the SMS link may be opened later): a new worker's
 * registration code (resendRegistrationOtp), or a new sponsorship code for an existing member — the same 60-second
 * and 5-a-day limits either way.
 */
export async function resendConsentCode(deps: Deps, id: string): Promise<Result<{ sent: true }, 'unknown_sponsorship' | 'sponsorship_not_active' | 'unknown_registration' | 'too_many_requests' | 'sms_limit_reached'>> {
  const found = await findSponsorship(deps.db, id);
  if (!found) return reject('unknown_sponsorship');
  const row = await unlessExpired(deps, found);
  if (!actionAllowed(row.status, 'consent')) return reject('sponsorship_not_active');
  if (row.registration_id !== null) return resendRegistrationOtp(deps, row.registration_id);
  const worker = row.participant_id ? await getMemberSummary(deps, row.participant_id) : null;
  if (!worker) return reject('unknown_sponsorship');
  const sponsor = await getMemberSummary(deps, row.sponsor_participant_id);
  const now = deps.clock.now();
  return deps.db.transaction().execute(async (trx) => {
    const otp = await issueOtp(trx, { purpose: 'sponsorship', subject: row.id, phone: worker.participant.phone, now, secret: deps.config.otpSecret });
    if (!otp.ok) return otp;
    const message = { template: 'sponsorship_consent_sms' as const, sponsor: maskName(sponsor?.participant.full_name ?? ''), link: null, otp: otp.value.code };
    await enqueueMessage(trx, { channel: 'sms', to: worker.participant.phone, now, message });
    return ok({ sent: true as const });
  });
}
