import type { Participant } from '../../db/database.js';
import type { Deps } from '../../deps.js';
import { randomToken, safeEqual, sha256Hex } from '../../shared/crypto.js';
import { newId } from '../../shared/ids.js';
import { ok, reject, type Result } from '../../shared/result.js';
import { recordStaffAction } from '../audit/index.js';
import { issueOtp, otpAttemptsLeft, verifyOtp } from '../auth/index.js';
import { type NikKeys, normalizeEmail, normalizePhone, openNik } from '../identity/index.js';
import { enqueueMessage } from '../notifications/index.js';
import { actorName, type ChangeActor } from './data-change.js';

/**
 * Phone and e-mail changes of a member (issue 16 item 5). A new phone gets an OTP (purpose 'phone_change'); the change
 * applies when the code comes back with an identity check — the member re-types their birth date and the last 6
 * digits of their NIK (verifyIdentity), or a counter officer declares they checked the KTP in person. A new e-mail
 * gets a link (the token's SHA-256 stored, 24 hours); the change applies when it is opened. Audited with before/after.
 * Phones are not unique among participants (a couple may share one), so a new phone is not checked against others.
 */

export const EMAIL_CHANGE_TTL_MS = 24 * 3_600_000;
const PHONE_CHANGE_TTL_MS = 10 * 60_000;

/** What proves the member is who they say: typed by the member, or checked on the KTP by a counter officer. */
export type IdentityProof = { birthDate: string; nikLast6: string } | { identityChecked: true };

/**
 * The one place a member's identity answers are compared: the birth date and the last 6 digits of the NIK opened
 * from its sealed value (docs/security.md). Constant time on the NIK digits.
 */
export function verifyIdentity(participant: Pick<Participant, 'birth_date' | 'nik_sealed'>, answer: { birthDate: string; nikLast6: string }, keys: NikKeys): boolean {
  const nikOk = safeEqual(openNik(participant.nik_sealed, keys).slice(-6), answer.nikLast6.trim());
  return nikOk && participant.birth_date === answer.birthDate.trim();
}

const phoneSubject = (participantId: string) => `phone_change:${participantId}`;

/** Starts a phone change: an OTP to the new number (the member's or the officer's request alike). */
export async function startPhoneChange(deps: Deps, participantId: string, rawPhone: string, actor: ChangeActor): Promise<Result<{ expiresAt: Date }, 'invalid_phone' | 'unknown_participant' | 'too_many_requests' | 'sms_limit_reached'>> {
  const phone = normalizePhone(rawPhone);
  if (!phone.ok) {
    return reject('invalid_phone', 'phone');
  }
  const now = deps.clock.now();
  return deps.db.transaction().execute(async (trx) => {
    const p = await trx.selectFrom('participant').select(['id', 'kpj']).where('id', '=', participantId).executeTakeFirst();
    if (!p) {
      return reject('unknown_participant', 'kpj');
    }
    const otp = await issueOtp(trx, { purpose: 'phone_change', subject: phoneSubject(participantId), phone: phone.value, now, secret: deps.config.otpSecret });
    if (!otp.ok) {
      return otp;
    }
    const expiresAt = new Date(now.getTime() + PHONE_CHANGE_TTL_MS);
    await trx.insertInto('contact_change').values({ participant_id: participantId, id: newId('chg'), kind: 'phone', new_value: phone.value, token_hash: null, actor: actorName(actor, p.kpj), expires_at: expiresAt, created_at: now, used_at: null }).execute();
    await enqueueMessage(trx, { channel: 'sms', to: phone.value, now, message: { template: 'phone_change_otp', otp: otp.value.code } });
    return ok({ expiresAt });
  });
}

export type PhoneConfirmRejection = 'invalid_otp' | 'too_many_attempts' | 'identity_check_failed' | 'unknown_participant';

/**
 * Confirms a phone change: the latest pending one, its OTP, then the identity. A wrong identity answer spends the code
 * (a new code is needed), so the birth date and NIK digits cannot be guessed faster than codes are issued.
 */
export async function confirmPhoneChange(deps: Deps, participantId: string, code: string, proof: IdentityProof, actor: ChangeActor): Promise<Result<{ phone: string }, PhoneConfirmRejection>> {
  const now = deps.clock.now();
  return deps.db.transaction().execute(async (trx) => {
    const p = await trx.selectFrom('participant').selectAll().where('id', '=', participantId).forUpdate().executeTakeFirst();
    if (!p) {
      return reject('unknown_participant', 'kpj');
    }
    const pending = await trx.selectFrom('contact_change').selectAll().where('participant_id', '=', participantId).where('kind', '=', 'phone').orderBy('created_at', 'desc').limit(1).executeTakeFirst();
    if (!pending || pending.used_at !== null || pending.expires_at.getTime() <= now.getTime()) {
      return reject('invalid_otp', 'code');
    }
    const checked = await verifyOtp(trx, { purpose: 'phone_change', subject: phoneSubject(participantId), phone: pending.new_value, code, now, secret: deps.config.otpSecret });
    if (!checked.ok) {
      return checked;
    }
    await trx.updateTable('contact_change').set({ used_at: now }).where('participant_id', '=', participantId).where('id', '=', pending.id).execute();
    if (!('identityChecked' in proof) && !verifyIdentity(p, proof, deps.config.nik)) {
      return reject('identity_check_failed', 'nikLast6');
    }
    await trx.updateTable('participant').set({ phone: pending.new_value, updated_at: now }).where('id', '=', participantId).execute();
    await recordStaffAction(trx, {
      actor: actorName(actor, p.kpj),
      action: 'participant.phone_change',
      subject: `participant:${p.kpj}`,
      reason: null,
      detail: { identity: 'identityChecked' in proof ? 'ktp_at_counter' : 'birth_date_nik_last6' },
      before: { phone: p.phone },
      after: { phone: pending.new_value },
      at: now,
    });
    return ok({ phone: pending.new_value });
  });
}

/** Starts an e-mail change: a link with a fresh token to the new address (the token names the participant). */
export async function startEmailChange(deps: Deps, participantId: string, rawEmail: string, actor: ChangeActor): Promise<Result<{ expiresAt: Date }, 'invalid_email' | 'unknown_participant'>> {
  const email = normalizeEmail(rawEmail);
  if (!email.ok) {
    return reject('invalid_email', 'email');
  }
  const now = deps.clock.now();
  return deps.db.transaction().execute(async (trx) => {
    const p = await trx.selectFrom('participant').select(['id', 'kpj', 'full_name']).where('id', '=', participantId).executeTakeFirst();
    if (!p) {
      return reject('unknown_participant', 'kpj');
    }
    const token = `${participantId}.${randomToken(24)}`;
    const expiresAt = new Date(now.getTime() + EMAIL_CHANGE_TTL_MS);
    await trx.insertInto('contact_change').values({ participant_id: participantId, id: newId('chg'), kind: 'email', new_value: email.value, token_hash: sha256Hex(token), actor: actorName(actor, p.kpj), expires_at: expiresAt, created_at: now, used_at: null }).execute();
    const link = `${deps.config.publicBaseUrl}/akun/profil/email?token=${encodeURIComponent(token)}`;
    await enqueueMessage(trx, { channel: 'email', to: email.value, now, message: { template: 'email_change_link', fullName: p.full_name, link } });
    return ok({ expiresAt });
  });
}

/** Applies the e-mail change a link's token names (once; not after 24 hours). Anyone holding the link may open it. */
export async function confirmEmailChange(deps: Deps, token: string): Promise<Result<{ kpj: string; email: string }, 'invalid_token'>> {
  const participantId = token.split('.')[0] ?? '';
  const now = deps.clock.now();
  return deps.db.transaction().execute(async (trx) => {
    const pending = await trx
      .selectFrom('contact_change')
      .selectAll()
      .where('participant_id', '=', participantId)
      .where('token_hash', '=', sha256Hex(token))
      .where('kind', '=', 'email')
      .forUpdate()
      .executeTakeFirst();
    if (!pending || pending.used_at !== null || pending.expires_at.getTime() <= now.getTime()) {
      return reject('invalid_token', 'token');
    }
    const p = await trx.selectFrom('participant').select(['kpj', 'email']).where('id', '=', participantId).forUpdate().executeTakeFirstOrThrow();
    await trx.updateTable('contact_change').set({ used_at: now }).where('participant_id', '=', participantId).where('id', '=', pending.id).execute();
    await trx.updateTable('participant').set({ email: pending.new_value, updated_at: now }).where('id', '=', participantId).execute();
    await recordStaffAction(trx, {
      actor: pending.actor,
      action: 'participant.email_change',
      subject: `participant:${p.kpj}`,
      reason: null,
      detail: { confirmedBy: 'email_link' },
      before: { email: p.email },
      after: { email: pending.new_value },
      at: now,
    });
    return ok({ kpj: p.kpj, email: pending.new_value });
  });
}

/** The tries left on the pending phone change's code, for the wrong-code message; null without a live code. */
export function phoneChangeTriesLeft(deps: Pick<Deps, 'db'>, participantId: string): Promise<number | null> {
  return otpAttemptsLeft(deps.db, { purpose: 'phone_change', subject: phoneSubject(participantId) });
}
