import { firstBillStartMonth, findParticipantByNikHash, summarizeParticipant } from '../membership/index.js';
import type { Deps } from '../../deps.js';
import type { Transaction } from 'kysely';
import type { Database, Funding, Registration } from '../../db/database.js';
import { randomToken, safeEqual, sha256Hex } from '../../shared/crypto.js';
import { newId } from '../../shared/ids.js';
import { formatInstantWib, isLocalDate, localDateInJakarta } from '../../shared/month.js';
import { ok, reject, type Result } from '../../shared/result.js';
import { issueOtp, verifyOtp } from '../auth/index.js';
import { cancelOpenBills, findSubmittedBill, insertBill, toBillView, type BillView, priceContribution, type QuoteRejection } from '../contributions/index.js';
import { nikHash, normalizeEmail, normalizePhone, protectNik, validateNik, IdentityUnavailableError } from '../identity/index.js';
import { enqueueMessage } from '../notifications/index.js';
import { findRegistration, insertRegistration, lockRegistration, updateRegistration } from './registration.repository.js';
import { branchDirectory, occupationDirectory } from '../reference/index.js';
import { lockKey } from '../../db/advisory-lock.js';

export interface RegistrationInput {
  nik: string;
  fullName: string;
  birthDate: string;
  gender: 'M' | 'F';
  phone: string;
  email: string;
  address: string;
  occupationCode: string;
  branchCode: string;
  consent: boolean;
}

export type RegistrationRejection =
  | 'invalid_request'
  | 'invalid_nik'
  | 'invalid_phone'
  | 'invalid_email'
  | 'unknown_occupation'
  | 'unknown_branch'
  | 'consent_required'
  | 'identity_mismatch'
  | 'identity_unavailable'
  | 'already_registered'
  | 'sms_limit_reached';

/** A NIK (by its keyed hash) may register again only when it has no participant, or its participant has become inactive. */
async function isActiveParticipant(deps: Deps, hash: string): Promise<boolean> {
  const existing = await findParticipantByNikHash(deps.db, hash);
  const summary = existing ? await summarizeParticipant(deps, existing) : null;
  return summary !== null && summary.status !== 'inactive';
}

export type ApplicantInput = Pick<RegistrationInput, 'nik' | 'fullName' | 'birthDate' | 'gender' | 'phone' | 'email'>;

/**
 * Where a registration was made: the web portal, a branch office counter, a bank's SPO desk, a PERISAI agent, or a
 * member sponsoring a worker (Sertakan, src/modules/sponsorship) (dashboards count by it).
 */
export type RegistrationChannel = 'web' | 'counter' | 'spo' | 'agent' | 'sertakan';

/**
 * An assisted registration (Formulir 1A typed by a counter or SPO officer): the same rules and registry check as the
 * web, except that the email is optional and never blocks — a worker without email gets the OTP, the payment code and
 * the card link by SMS (and the printed slip); with an email the usual verification link is still sent.
 */
export interface AssistedBy {
  channel: Exclude<RegistrationChannel, 'web'>;
  servicePointCode: string | null;
  registeredBy: string;
  /** What the worker chose on the form: the first bill is issued from it once the phone is verified. */
  plan: { programs: string[]; declaredIncome: number; months: number };
  /** Who pays, when not the worker (Sertakan: 'sponsor'); the participant inherits it at the first payment. */
  funding?: Funding;
  /** registration.payer_id: who pays (Sertakan: the sponsor's participant id). */
  payerId?: string;
}

/**
 * A PERISAI agent's enrolment (channel 'agent', src/modules/agents) is made offline and replayed later: no OTP can be
 * read back. The agent saw the worker and the KTP and typed the worker's phone, so the phone counts as verified by
 * that attestation (phone_verified_at = the replay's instant, status 'verified'); no OTP is sent, and the worker
 * learns of the registration by the SMS (or email) that carries the payment code, then the receipt SMS.
 */
function attestedByAgent(assisted: AssistedBy | undefined): boolean {
  return assisted?.channel === 'agent';
}

/** Verification is complete once the phone is verified and, for the web channel only, the email too. */
export function verificationComplete(reg: Pick<Registration, 'channel' | 'email_verified_at' | 'phone_verified_at'>): boolean {
  return reg.phone_verified_at !== null && (reg.email_verified_at !== null || reg.channel !== 'web');
}

export interface CheckedApplicant {
  fullName: string;
  phone: string;
  email: string;
  warnings: string[];
}

/**
 * The person part of step 1: formats, then the population registry, then whether the NIK already has an active
 * membership. The web portal calls it on its first page so a NIK mismatch is reported before anything else is asked;
 * createRegistration calls it again with the whole form.
 */
export async function checkApplicant(deps: Deps, input: ApplicantInput, opts: { emailOptional?: boolean } = {}): Promise<Result<CheckedApplicant, RegistrationRejection>> {
  if (!isLocalDate(input.birthDate) || input.birthDate > localDateInJakarta(deps.clock.now())) {
    return reject('invalid_request', 'birthDate');
  }
  const typedName = input.fullName.trim().replace(/\s+/g, ' ');
  if (typedName.length === 0 || typedName.length > 100) {
    return reject('invalid_request', 'fullName');
  }
  const nik = validateNik(input.nik, { birthDate: input.birthDate, gender: input.gender });
  if (!nik.ok) {
    return reject('invalid_nik', 'nik');
  }
  const phone = normalizePhone(input.phone);
  if (!phone.ok) {
    return reject('invalid_phone', 'phone');
  }
  const email = opts.emailOptional === true && input.email.trim() === '' ? { ok: true as const, value: '' } : normalizeEmail(input.email);
  if (!email.ok) {
    return reject('invalid_email', 'email');
  }
  // The name is stored and shown as the population registry spells it, not as typed (rulebook "Names").
  let fullName: string;
  try {
    const check = await deps.identity.check({ nik: input.nik, fullName: typedName, birthDate: input.birthDate, gender: input.gender });
    if (check.outcome !== 'match') {
      return reject('identity_mismatch', 'nik');
    }
    fullName = check.registryName;
  } catch (err) {
    if (err instanceof IdentityUnavailableError) {
      deps.logger.warn('identity provider unavailable', { error: err.message });
      return reject('identity_unavailable');
    }
    throw err;
  }
  if (await isActiveParticipant(deps, nikHash(input.nik, deps.config.nik))) {
    return reject('already_registered', 'nik');
  }
  return ok({ fullName, phone: phone.value, email: email.value, warnings: nik.value.warnings });
}

/**
 * Step 1: check the person (format, then the population registry), then in one transaction store the registration
 * and queue the email token and the SMS OTP.
 */
export async function createRegistration(
  deps: Deps,
  input: RegistrationInput,
  assisted?: AssistedBy,
): Promise<Result<{ id: string; status: 'pending_verification' | 'verified'; warnings: string[] }, RegistrationRejection>> {
  const occupation = (await occupationDirectory(deps.db)).find(input.occupationCode);
  if (!occupation) {
    return reject('unknown_occupation', 'occupationCode');
  }
  if (!(await branchDirectory(deps.db)).find(input.branchCode)) {
    return reject('unknown_branch', 'branchCode');
  }
  if (input.consent !== true) {
    return reject('consent_required', 'consent');
  }
  const applicant = await checkApplicant(deps, input, { emailOptional: assisted !== undefined });
  if (!applicant.ok) {
    return applicant;
  }
  const { fullName, warnings } = applicant.value;
  const phone = { value: applicant.value.phone };
  const email = { value: applicant.value.email };

  const now = deps.clock.now();
  const id = newId('reg');
  const token = randomToken(16);
  const created = await deps.db.transaction().execute(async (trx) => {
    // The code first: a phone that has had its codes for today gets no SMS, and nothing is stored.
    const otp = attestedByAgent(assisted) ? null : await issueOtp(trx, { purpose: 'registration', subject: id, phone: phone.value, now, secret: deps.config.otpSecret });
    if (otp && !otp.ok) {
      if (otp.code === 'too_many_requests') {
        throw new Error('a fresh registration cannot be in its OTP cooldown');
      }
      return reject(otp.code, 'phone');
    }
    await insertRegistration(trx, {
        id,
        // The NIK is stored sealed and hashed only (docs/security.md); the registry above had the typed one.
        ...protectNik(input.nik, deps.config.nik),
        full_name: fullName,
        birth_date: input.birthDate,
        gender: input.gender,
        phone: phone.value,
        email: email.value,
        address: input.address.trim(),
        occupation_code: input.occupationCode,
        sector: occupation.sector,
        branch_code: input.branchCode,
        status: attestedByAgent(assisted) ? 'verified' : 'pending_verification',
        ...(attestedByAgent(assisted) ? { phone_verified_at: now } : {}),
        email_token_hash: sha256Hex(token),
        channel: assisted?.channel ?? 'web',
        service_point_code: assisted?.servicePointCode ?? null,
        registered_by: assisted?.registeredBy ?? null,
        ...(assisted ? { programs: assisted.plan.programs, declared_income: assisted.plan.declaredIncome, requested_months: assisted.plan.months } : {}),
        ...(assisted?.funding ? { funding: assisted.funding } : {}),
        ...(assisted?.payerId ? { payer_id: assisted.payerId } : {}),
        created_at: now,
        updated_at: now,
    });
    if (email.value !== '') {
      const link = `${deps.config.publicBaseUrl}/daftar/${id}/verifikasi-email?token=${token}`;
      await enqueueMessage(trx, { channel: 'email', to: email.value, now, message: { template: 'registration_email_token', fullName, token, link } });
    }
    if (otp) {
      await enqueueMessage(trx, { channel: 'sms', to: phone.value, now, message: { template: 'registration_otp', otp: otp.value.code } });
    }
    return ok(undefined);
  });
  if (!created.ok) {
    return created;
  }
  deps.logger.info('registration created', { registrationId: id });
  // Warnings (e.g. the NIK's encoded birth date differs) do not block: the population registry already matched.
  return ok({ id, status: attestedByAgent(assisted) ? ('verified' as const) : ('pending_verification' as const), warnings });
}

function statusAfterVerification(reg: Pick<Registration, 'status' | 'channel' | 'email_verified_at' | 'phone_verified_at'>): Registration['status'] {
  if (reg.status !== 'pending_verification') {
    return reg.status;
  }
  return verificationComplete(reg) ? 'verified' : 'pending_verification';
}

export async function verifyRegistrationEmail(deps: Deps, id: string, token: string): Promise<Result<{ id: string; status: string }, 'unknown_registration' | 'invalid_token'>> {
  const reg = await findRegistration(deps.db, id);
  if (!reg) {
    return reject('unknown_registration');
  }
  if (!safeEqual(sha256Hex(token), reg.email_token_hash)) {
    return reject('invalid_token', 'token');
  }
  const now = deps.clock.now();
  const emailVerifiedAt = reg.email_verified_at ?? now;
  const status = statusAfterVerification({ ...reg, email_verified_at: emailVerifiedAt });
  await updateRegistration(deps.db, id, { email_verified_at: emailVerifiedAt, status, updated_at: now });
  return ok({ id, status });
}

export async function verifyRegistrationPhone(
  deps: Deps,
  id: string,
  code: string,
): Promise<Result<{ id: string; status: string }, 'unknown_registration' | 'invalid_otp' | 'too_many_attempts'>> {
  const now = deps.clock.now();
  return deps.db.transaction().execute(async (trx) => {
    const reg = await lockRegistration(trx, id);
    if (!reg) {
      return reject('unknown_registration');
    }
    if (reg.phone_verified_at) {
      return ok({ id, status: reg.status });
    }
    const checked = await verifyOtp(trx, { purpose: 'registration', subject: id, phone: reg.phone, code, now, secret: deps.config.otpSecret });
    if (!checked.ok) {
      return checked;
    }
    const status = statusAfterVerification({ ...reg, phone_verified_at: now });
    await updateRegistration(trx, id, { phone_verified_at: now, status, updated_at: now });
    return ok({ id, status });
  });
}

export async function resendRegistrationOtp(deps: Deps, id: string): Promise<Result<{ sent: true }, 'unknown_registration' | 'too_many_requests' | 'sms_limit_reached'>> {
  const now = deps.clock.now();
  return deps.db.transaction().execute(async (trx) => {
    const reg = await lockRegistration(trx, id);
    if (!reg) {
      return reject('unknown_registration');
    }
    const otp = await issueOtp(trx, { purpose: 'registration', subject: id, phone: reg.phone, now, secret: deps.config.otpSecret });
    if (!otp.ok) {
      return otp;
    }
    await enqueueMessage(trx, { channel: 'sms', to: reg.phone, now, message: { template: 'registration_otp', otp: otp.value.code } });
    return ok({ sent: true as const });
  });
}

export type SubmitRejection = QuoteRejection | 'unknown_registration' | 'verification_incomplete' | 'registration_completed' | 'already_registered';

/**
 * Final step: price the chosen programs, income and months from the current month, and issue the first bill with
 * a payment code valid for the first-bill lifetime. Submitting again replaces an unpaid bill (e.g. after it expired);
 * the new code's message then says which code it replaces when that one was still payable. With `submitToken` (the
 * step-4 form's idempotency token) a repeat of the same submission answers with the bill it issued: no new code, no
 * new message (three quick taps without JavaScript make one code).
 */
export async function submitRegistration(
  deps: Deps,
  id: string,
  input: { programs: string[]; declaredIncome: number; months: number },
  options: { submitToken?: string } = {},
): Promise<Result<{ bill: BillView }, SubmitRejection>> {
  const reg = await findRegistration(deps.db, id);
  if (!reg) {
    return reject('unknown_registration');
  }
  if (reg.status === 'completed') {
    return reject('registration_completed');
  }
  if (reg.status === 'cancelled') {
    return reject('unknown_registration'); // closed (cancelRegistration): the worker registers afresh
  }
  if (!verificationComplete(reg)) {
    return reject('verification_incomplete');
  }
  const now = deps.clock.now();
  const quote = priceContribution(
    { declaredIncome: input.declaredIncome, programs: input.programs, months: input.months, startMonth: firstBillStartMonth(now), sector: reg.sector, funding: reg.funding },
    deps.rules,
  );
  if (!quote.ok) {
    return quote;
  }
  if (await isActiveParticipant(deps, reg.nik_hash)) {
    return reject('already_registered', 'nik');
  }
  const expiresAt = new Date(now.getTime() + deps.rules.firstBillLifetimeMs);
  const programs = quote.value.months[0]?.lines.map((l) => l.program) ?? [];
  const bill = await deps.db.transaction().execute(async (trx) => {
    // Submits of one registration run one at a time (a lock only submits take, so a payment in flight never waits on
    // it): each cancels what the previous one issued, and exactly one first bill stays open.
    await lockKey(trx, `lindung:submit:${id}`);
    const same = options.submitToken ? await findSubmittedBill(trx, id, options.submitToken) : undefined;
    if (same) {
      return same;
    }
    const replaced = (await cancelOpenBills(trx, { registrationId: id })).find((b) => b.expires_at.getTime() > now.getTime());
    // Checked again once cancelOpenBills has waited for a payment of the open first bill already in flight: if that
    // payment completed the registration, no new bill is issued and 'completed' is not overwritten.
    const current = await lockRegistration(trx, id);
    if (current?.status === 'completed') {
      return null;
    }
    const created = await insertBill(trx, { kind: 'first', registrationId: id, participantId: null, quote: quote.value, now, expiresAt, ...(options.submitToken ? { submitToken: options.submitToken } : {}) });
    await updateRegistration(trx, id, { status: 'submitted', programs, declared_income: input.declaredIncome, updated_at: now });
    const message = { paymentCode: created.payment_code, amount: created.amount, expiresAt: formatInstantWib(expiresAt), ...(replaced ? { replacesCode: replaced.payment_code } : {}) };
    await sendPaymentCode(trx, reg, message, now);
    return created;
  });
  if (!bill) {
    return reject('registration_completed');
  }
  return ok({ bill: toBillView(bill, bill.lines, now) });
}

/**
 * The payment code goes by SMS to the verified phone (many workers read SMS, not email: issue 18 item 3), and by
 * email too when the registration has an address (a worker registered at a counter may have none).
 */
async function sendPaymentCode(
  trx: Transaction<Database>,
  reg: Registration,
  bill: { paymentCode: string; amount: number; expiresAt: string; replacesCode?: string },
  now: Date,
): Promise<void> {
  await enqueueMessage(trx, { channel: 'sms', to: reg.phone, now, message: { template: 'payment_code_sms', ...bill } });
  if (reg.email !== '') {
    await enqueueMessage(trx, { channel: 'email', to: reg.email, now, message: { template: 'payment_code', fullName: reg.full_name, ...bill } });
  }
}

/**
 * Closes a registration that will not be paid (Sertakan: the sponsor stopped, or the worker never consented): its
 * unpaid first bill is cancelled and the status becomes 'cancelled' — no longer resumable (submitRegistration answers
 * unknown_registration), so the worker registers afresh, alone. In the caller's transaction; a completed registration
 * (the worker is a member) is left as it is. Returns whether it was closed.
 */
export async function cancelRegistration(trx: Transaction<Database>, id: string, now: Date): Promise<boolean> {
  await cancelOpenBills(trx, { registrationId: id });
  const closed = await trx.updateTable('registration').set({ status: 'cancelled', updated_at: now }).where('id', '=', id).where('status', '<>', 'completed').executeTakeFirst();
  return Number(closed.numUpdatedRows) === 1;
}
