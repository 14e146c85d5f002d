import type { Transaction } from 'kysely';
import type { Database, Participant } from '../../db/database.js';
import type { Deps } from '../../deps.js';
import { randomToken, sha256Hex } from '../../shared/crypto.js';
import { newId } from '../../shared/ids.js';
import { ok, reject, type Result } from '../../shared/result.js';
import { issueOtp } from '../auth/index.js';
import { maskName, priceContribution, type QuoteRejection } from '../contributions/index.js';
import { nikHash } from '../identity/index.js';
import { findParticipantByKpj, firstBillStartMonth, getMemberSummary } from '../membership/index.js';
import { enqueueMessage } from '../notifications/index.js';
import { occupationDirectory } from '../reference/index.js';
import { createRegistration, getRegistration, type RegistrationInput, type RegistrationRejection } from '../registration/index.js';
import { cutoffOf, expireConsentRequests } from './expiry.js';
import { findSponsorship, lockWorker, openSponsorshipOf, type SponsorshipView, sponsorshipView } from './sponsorship-store.js';

/** The worker as the sponsor types them (Formulir 1A without the consent box: the worker consents by OTP). */
export type WorkerForm = Omit<RegistrationInput, 'consent'>;

/** The plan the sponsor chooses: the programs and income of a new worker, and the months the first bill covers. */
export interface SponsorPlan {
  programs: string[];
  declaredIncome: number;
  months: number;
}

/** Exactly one of `worker` (a new worker) and `kpj` (an existing member). */
export type SponsorRequest = SponsorPlan & { worker?: WorkerForm | undefined; kpj?: string | undefined };

export type SponsorRejection = RegistrationRejection | QuoteRejection | 'unauthorized' | 'cannot_sponsor_self' | 'already_sponsored' | 'unknown_participant' | 'too_many_requests';

/** The link of the consent page the worker opens from the SMS. */
function consentLink(deps: Pick<Deps, 'config'>, token: string): string {
  return `${deps.config.publicBaseUrl}/sertakan/setuju/${token}`;
}

/**
 * A signed-in member sponsors a worker (Sertakan): a new worker is registered through the registration module (the
 * same formats, population-registry check and "already a member" rule as every channel; funding 'sponsor'; the
 * sponsor's email gets the messages when the worker has none); an existing member is named by KPJ. Either way the
 * worker gets an SMS with the consent link; nothing is billed before they consent with their OTP.
 */
export async function sponsorWorker(deps: Deps, sponsorId: string, input: SponsorRequest): Promise<Result<SponsorshipView, SponsorRejection>> {
  const sponsor = (await getMemberSummary(deps, sponsorId))?.participant;
  if (!sponsor) return reject('unauthorized');
  if (input.kpj !== undefined && input.worker === undefined) return sponsorMember(deps, sponsor, input.kpj, input.months);
  if (input.worker !== undefined && input.kpj === undefined) return sponsorNewWorker(deps, sponsor, input.worker, input);
  return reject('invalid_request', 'worker', 'give either worker or kpj');
}

async function sponsorNewWorker(deps: Deps, sponsor: Participant, worker: WorkerForm, plan: SponsorPlan): Promise<Result<SponsorshipView, SponsorRejection>> {
  const workerHash = nikHash(worker.nik.trim(), deps.config.nik);
  if (workerHash === sponsor.nik_hash) return reject('cannot_sponsor_self', 'nik');
  if (await openSponsorshipOf(deps.db, workerHash, cutoffOf(deps))) return reject('already_sponsored', 'nik');
  const occupation = (await occupationDirectory(deps.db)).find(worker.occupationCode);
  if (!occupation) return reject('unknown_occupation', 'occupationCode');
  // The plan is priced first (a wrong income or program is reported before any SMS), as the worker will be billed.
  const quote = priceContribution({ ...plan, startMonth: firstBillStartMonth(deps.clock.now()), sector: occupation.sector, funding: 'sponsor' }, deps.rules);
  if (!quote.ok) return quote;
  const email = worker.email.trim() === '' ? sponsor.email : worker.email;
  const made = await createRegistration(
    deps,
    { ...worker, email, consent: true },
    { channel: 'sertakan', servicePointCode: null, registeredBy: `participant:${sponsor.kpj}`, plan, funding: 'sponsor', payerId: sponsor.id },
  );
  if (!made.ok) return made;
  const registration = await getRegistration(deps, made.value.id);
  if (!registration) throw new Error(`registration ${made.value.id} vanished`);
  const created = await deps.db.transaction().execute(async (trx) => {
    await lockWorker(trx, workerHash);
    await expireConsentRequests(trx, deps, { workerNikHash: workerHash });
    if (await openSponsorshipOf(trx, workerHash, cutoffOf(deps))) return reject('already_sponsored', 'nik');
    const id = await insertSponsorship(trx, deps, { sponsor, workerHash, registrationId: registration.id, participantId: null, months: plan.months, phone: registration.phone, otp: null });
    return ok(id);
  });
  if (!created.ok) return created;
  return ok(await viewOf(deps, created.value));
}

async function sponsorMember(deps: Deps, sponsor: Participant, kpj: string, months: number): Promise<Result<SponsorshipView, SponsorRejection>> {
  const worker = await findParticipantByKpj(deps.db, kpj.trim());
  if (!worker) return reject('unknown_participant', 'kpj');
  if (worker.id === sponsor.id || worker.nik_hash === sponsor.nik_hash) return reject('cannot_sponsor_self', 'kpj');
  // Someone else already pays (another sponsor, a partner, the government): not for a second payer to take over.
  if (worker.funding !== 'self') return reject('already_sponsored', 'kpj');
  const now = deps.clock.now();
  // The months must be a choice the rules allow (1, 3, 6, 12): checked now, before the worker is asked.
  const quote = priceContribution({ declaredIncome: worker.declared_income, programs: worker.programs, months, startMonth: firstBillStartMonth(now), sector: worker.sector, funding: 'sponsor' }, deps.rules);
  if (!quote.ok && quote.code === 'invalid_months') return quote;
  const created = await deps.db.transaction().execute(async (trx) => {
    await lockWorker(trx, worker.nik_hash);
    await expireConsentRequests(trx, deps, { workerNikHash: worker.nik_hash });
    if (await openSponsorshipOf(trx, worker.nik_hash, cutoffOf(deps))) return reject('already_sponsored', 'kpj');
    const id = newId('spn');
    const otp = await issueOtp(trx, { purpose: 'sponsorship', subject: id, phone: worker.phone, now, secret: deps.config.otpSecret });
    if (!otp.ok) return reject(otp.code, 'kpj');
    await insertSponsorship(trx, deps, { id, sponsor, workerHash: worker.nik_hash, registrationId: null, participantId: worker.id, months, phone: worker.phone, otp: otp.value.code });
    return ok(id);
  });
  if (!created.ok) return created;
  return ok(await viewOf(deps, created.value));
}

/** The row and the worker's consent SMS, in the caller's transaction (the link's token: only its hash is stored). */
async function insertSponsorship(
  trx: Transaction<Database>,
  deps: Deps,
  input: { id?: string; sponsor: Participant; workerHash: string; registrationId: string | null; participantId: string | null; months: number; phone: string; otp: string | null },
): Promise<string> {
  const id = input.id ?? newId('spn');
  const token = randomToken(16);
  const now = deps.clock.now();
  await trx
    .insertInto('sponsorship')
    .values({
      id,
      sponsor_participant_id: input.sponsor.id,
      registration_id: input.registrationId,
      participant_id: input.participantId,
      worker_nik_hash: input.workerHash,
      status: 'awaiting_consent',
      consent_token_hash: sha256Hex(token),
      requested_months: input.months,
      created_at: now,
    })
    .execute();
  const message = { template: 'sponsorship_consent_sms' as const, sponsor: maskName(input.sponsor.full_name), link: consentLink(deps, token), otp: input.otp };
  await enqueueMessage(trx, { channel: 'sms', to: input.phone, now, message });
  return id;
}

async function viewOf(deps: Deps, id: string): Promise<SponsorshipView> {
  const row = await findSponsorship(deps.db, id);
  if (!row) throw new Error(`sponsorship ${id} vanished`);
  return sponsorshipView(deps, row);
}
