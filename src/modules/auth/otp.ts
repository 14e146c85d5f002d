import { randomInt } from 'node:crypto';
import { type Kysely, sql, type Transaction } from 'kysely';
import type { Database } from '../../db/database.js';
import { hmacSha256Hex, safeEqual } from '../../shared/crypto.js';
import { newId } from '../../shared/ids.js';
import { localDateInJakarta } from '../../shared/month.js';
import { ok, reject, type Result } from '../../shared/result.js';
import { lockKey } from '../../db/advisory-lock.js';

/**
 * One-time codes for phone verification and login. The SNAP convention (6 digits, valid 5 minutes) plus a lock after
 * 5 wrong tries and one resend per 60 s. Only an HMAC of the code is stored.
 *
 * Bounds per phone and day (WIB), whatever the code, the registration or the purpose — resends do not reset them:
 * at most `dailyWrongCodesMax` wrong codes (then every try is refused until 00:00 WIB), and at most `dailyCodesMax`
 * codes issued (each one an SMS; then no code and no SMS until 00:00 WIB).
 */
export const OTP_POLICY = {
  digits: 6,
  ttlMs: 5 * 60_000,
  attemptsMax: 5,
  resendCooldownMs: 60_000,
  dailyWrongCodesMax: 10,
  dailyCodesMax: 5,
} as const;

/** The `detail` of a too_many_attempts that comes from the daily bound rather than the code's own 5 tries. */
export const DAILY_LOCK_DETAIL = 'too many wrong codes today for this phone: locked until 00:00 WIB';

export type OtpPurpose = 'registration' | 'login' | 'phone_change' | 'sponsorship' | 'registration_resume';

function hashOtp(secret: string, purpose: OtpPurpose, subject: string, code: string): string {
  return hmacSha256Hex(secret, `${purpose}:${subject}:${code}`);
}

export function generateOtpCode(): string {
  return String(randomInt(0, 10 ** OTP_POLICY.digits)).padStart(OTP_POLICY.digits, '0');
}

/**
 * Every issue and every check of a code for one phone runs under one lock, taken first (the same order everywhere:
 * a registration row, when there is one, is locked before it): the cooldown and the daily counts are read and
 * written by one transaction at a time, so concurrent requests cannot all pass the cooldown.
 */
async function lockPhone(trx: Transaction<Database>, phone: string): Promise<void> {
  await lockKey(trx, `lindung:otp-phone:${phone}`);
}

/**
 * Issues a new code for a subject (a registration id, or the phone for login) sent to `phone`, unless one was issued
 * for the same subject less than the cooldown ago, or the phone has had its codes for today.
 */
export async function issueOtp(
  trx: Transaction<Database>,
  input: { purpose: OtpPurpose; subject: string; phone: string; now: Date; secret: string },
): Promise<Result<{ code: string }, 'too_many_requests' | 'sms_limit_reached'>> {
  await lockPhone(trx, input.phone);
  const last = await trx
    .selectFrom('otp_challenge')
    .select('created_at')
    .where('purpose', '=', input.purpose)
    .where('subject', '=', input.subject)
    .orderBy('created_at', 'desc')
    .limit(1)
    .executeTakeFirst();
  if (last && input.now.getTime() - last.created_at.getTime() < OTP_POLICY.resendCooldownMs) {
    return reject('too_many_requests');
  }
  const day = localDateInJakarta(input.now);
  // Earlier days' counts of this phone are no longer needed: the table holds about one row per phone in use.
  await trx.deleteFrom('otp_phone_day').where('phone', '=', input.phone).where('day', '<', day).execute();
  const counted = await trx
    .insertInto('otp_phone_day')
    .values({ phone: input.phone, day, codes_issued: 1 })
    .onConflict((oc) =>
      oc
        .columns(['phone', 'day'])
        .doUpdateSet({ codes_issued: sql<number>`otp_phone_day.codes_issued + 1` })
        .where('otp_phone_day.codes_issued', '<', OTP_POLICY.dailyCodesMax),
    )
    .returning('codes_issued')
    .executeTakeFirst();
  if (!counted) {
    return reject('sms_limit_reached', 'phone');
  }
  const code = generateOtpCode();
  await trx
    .insertInto('otp_challenge')
    .values({
      id: newId('otp'),
      purpose: input.purpose,
      subject: input.subject,
      code_hash: hashOtp(input.secret, input.purpose, input.subject, code),
      expires_at: new Date(input.now.getTime() + OTP_POLICY.ttlMs),
      created_at: input.now,
    })
    .execute();
  return ok({ code });
}

/**
 * Checks a code against the newest challenge. A wrong code is counted even though the call is rejected (the caller
 * must commit), and after `attemptsMax` wrong codes the challenge is dead: every try is refused, the right code
 * included, until a new code is issued. Wrong codes are also counted for the phone and day: after
 * `dailyWrongCodesMax` every try for that phone is refused until 00:00 WIB, new codes included.
 */
export async function verifyOtp(
  trx: Transaction<Database>,
  input: { purpose: OtpPurpose; subject: string; phone: string; code: string; now: Date; secret: string },
): Promise<Result<void, 'invalid_otp' | 'too_many_attempts'>> {
  await lockPhone(trx, input.phone);
  const day = localDateInJakarta(input.now);
  const today = await trx.selectFrom('otp_phone_day').select('failed_attempts').where('phone', '=', input.phone).where('day', '=', day).executeTakeFirst();
  if ((today?.failed_attempts ?? 0) >= OTP_POLICY.dailyWrongCodesMax) {
    return reject('too_many_attempts', 'code', DAILY_LOCK_DETAIL);
  }
  const challenge = await trx
    .selectFrom('otp_challenge')
    .selectAll()
    .where('purpose', '=', input.purpose)
    .where('subject', '=', input.subject)
    .orderBy('created_at', 'desc')
    .limit(1)
    .forUpdate()
    .executeTakeFirst();
  if (!challenge || challenge.consumed_at) {
    return reject('invalid_otp', 'code');
  }
  if (challenge.failed_attempts >= OTP_POLICY.attemptsMax) {
    return reject('too_many_attempts', 'code');
  }
  if (challenge.expires_at.getTime() <= input.now.getTime()) {
    return reject('invalid_otp', 'code');
  }
  const expected = hashOtp(input.secret, input.purpose, input.subject, input.code);
  if (!safeEqual(expected, challenge.code_hash)) {
    await trx.updateTable('otp_challenge').set({ failed_attempts: challenge.failed_attempts + 1 }).where('id', '=', challenge.id).execute();
    await trx
      .insertInto('otp_phone_day')
      .values({ phone: input.phone, day, failed_attempts: 1 })
      .onConflict((oc) => oc.columns(['phone', 'day']).doUpdateSet({ failed_attempts: sql<number>`otp_phone_day.failed_attempts + 1` }))
      .execute();
    return reject('invalid_otp', 'code');
  }
  await trx.updateTable('otp_challenge').set({ consumed_at: input.now }).where('id', '=', challenge.id).execute();
  return ok(undefined);
}

/**
 * A staff unlock of a phone's OTP locks (the contact centre, issue 16, audited by the caller): today's counts of the
 * phone are cleared (the wrong codes and the codes issued, so the member may ask for a new code at once) and a login
 * challenge that its own 5 wrong tries killed is closed, so that the next code starts fresh. Under the phone's lock,
 * like every issue and check. Returns today's counts and whether a dead challenge was closed (for the audit).
 */
export async function unlockOtpPhone(
  trx: Transaction<Database>,
  input: { phone: string; now: Date },
): Promise<{ failedAttemptsToday: number; codesIssuedToday: number; challengeClosed: boolean }> {
  await lockPhone(trx, input.phone);
  const day = localDateInJakarta(input.now);
  const today = await trx.selectFrom('otp_phone_day').select(['failed_attempts', 'codes_issued']).where('phone', '=', input.phone).where('day', '=', day).executeTakeFirst();
  await trx.deleteFrom('otp_phone_day').where('phone', '=', input.phone).execute();
  const closed = await trx
    .updateTable('otp_challenge')
    .set({ consumed_at: input.now })
    .where('purpose', '=', 'login')
    .where('subject', '=', input.phone)
    .where('consumed_at', 'is', null)
    .where('failed_attempts', '>=', OTP_POLICY.attemptsMax)
    .executeTakeFirst();
  return { failedAttemptsToday: today?.failed_attempts ?? 0, codesIssuedToday: today?.codes_issued ?? 0, challengeClosed: Number(closed.numUpdatedRows) > 0 };
}

/**
 * The tries the latest code of a subject has left (OTP_POLICY.attemptsMax minus its wrong tries), for a page that
 * says "N tries left" after a wrong code; null when the subject has no open code.
 */
export async function otpAttemptsLeft(db: Kysely<Database>, input: { purpose: OtpPurpose; subject: string }): Promise<number | null> {
  const challenge = await db
    .selectFrom('otp_challenge')
    .select(['failed_attempts', 'consumed_at'])
    .where('purpose', '=', input.purpose)
    .where('subject', '=', input.subject)
    .orderBy('created_at', 'desc')
    .limit(1)
    .executeTakeFirst();
  return !challenge || challenge.consumed_at ? null : Math.max(0, OTP_POLICY.attemptsMax - challenge.failed_attempts);
}
