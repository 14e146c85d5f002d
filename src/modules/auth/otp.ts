import { randomInt } from 'node:crypto';
import type { Transaction } from 'kysely';
import type { Database } from '../../db/database.js';
import { hmacSha256Hex, safeEqual } from '../../shared/crypto.js';
import { newId } from '../../shared/ids.js';
import { ok, reject, type Result } from '../../shared/result.js';

/**
 * One-time codes for phone verification and login. The SNAP convention (6 digits, valid 5 minutes) plus a lock after
 * 5 wrong tries and one resend per 60 s. Only an HMAC of the code is stored.
 */
export const OTP_POLICY = { digits: 6, ttlMs: 5 * 60_000, attemptsMax: 5, resendCooldownMs: 60_000 } as const;

export type OtpPurpose = 'registration' | 'login';

function hashOtp(secret: string, purpose: OtpPurpose, subject: string, code: string): string {
  return hmacSha256Hex(secret, `${purpose}:${subject}:${code}`);
}

export function generateOtpCode(): string {
  return String(randomInt(0, 10 ** OTP_POLICY.digits)).padStart(OTP_POLICY.digits, '0');
}

/** Issues a new code unless one was issued for the same subject less than the cooldown ago. */
export async function issueOtp(
  trx: Transaction<Database>,
  input: { purpose: OtpPurpose; subject: string; now: Date; secret: string },
): Promise<Result<{ code: string }, 'too_many_requests'>> {
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
 * included, until a new code is issued.
 */
export async function verifyOtp(
  trx: Transaction<Database>,
  input: { purpose: OtpPurpose; subject: string; code: string; now: Date; secret: string },
): Promise<Result<void, 'invalid_otp' | 'too_many_attempts'>> {
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
    return reject('invalid_otp', 'code');
  }
  await trx.updateTable('otp_challenge').set({ consumed_at: input.now }).where('id', '=', challenge.id).execute();
  return ok(undefined);
}
