import { sql, type Kysely, type Transaction } from 'kysely';
import type { Database } from '../../db/database.js';
import type { Deps } from '../../deps.js';
import { ok, reject, type Result } from '../../shared/result.js';
import { issueOtp, otpAttemptsLeft, verifyOtp } from '../auth/index.js';
import { normalizeEmail, normalizePhone } from '../identity/index.js';
import { enqueueMessage } from '../notifications/index.js';

/**
 * Coming back to an unfinished registration (issue 18 item 3): a person who registered but did not pay (or did not
 * finish verifying) types their phone number (or e-mail) on "Masuk"; a code goes by SMS to the registration's phone
 * (OTP purpose 'registration_resume', subject the phone), and the right code opens the registration again
 * (/daftar/{id}, which sends them to the unpaid code or the step they stopped at).
 *
 * Only a registration still open (verifying, verified or awaiting its first payment), started in the last
 * RESUME_WINDOW_DAYS and not by a sponsor (Sertakan consents through its own link), and only when no member has
 * that phone (a member signs in instead).
 */
export const RESUME_WINDOW_DAYS = 30;

type Db = Kysely<Database> | Transaction<Database>;

/** The newest open registration of this phone or e-mail (already normalised), or undefined. */
async function findOpen(db: Db, by: { phone: string } | { email: string }, now: Date): Promise<{ id: string; phone: string; full_name: string } | undefined> {
  const since = new Date(now.getTime() - RESUME_WINDOW_DAYS * 86_400_000);
  let q = db
    .selectFrom('registration')
    .select(['id', 'phone', 'full_name'])
    .where('status', 'in', ['pending_verification', 'verified', 'submitted'])
    .where('channel', '<>', 'sertakan')
    .where('created_at', '>=', since)
    .where(({ not, exists, selectFrom }) => not(exists(selectFrom('participant').select(sql<number>`1`.as('one')).whereRef('participant.phone', '=', 'registration.phone'))));
  q = 'phone' in by ? q.where('phone', '=', by.phone) : q.where(sql<string>`lower(email)`, '=', by.email.toLowerCase());
  return q.orderBy('created_at', 'desc').limit(1).executeTakeFirst();
}

/** What "Masuk" was given: a phone number, or an e-mail address (anything with an @). */
function parseContact(raw: string): { phone: string } | { email: string } | null {
  if (raw.includes('@')) {
    const email = normalizeEmail(raw);
    return email.ok ? { email: email.value } : null;
  }
  const phone = normalizePhone(raw);
  return phone.ok ? { phone: phone.value } : null;
}

export type ResumeRequest = { sent: 'resume'; phone: string } | { sent: 'none' } | { sent: 'sms_limit_reached'; phone: string };

/**
 * Sends a resume code when the phone or e-mail has an open registration (and no member has that phone); `none`
 * otherwise (the caller then goes on as a member's sign-in, which answers every phone alike). Within the cooldown the
 * code already sent stands (still `resume`).
 */
export async function requestResumeOtp(deps: Deps, raw: string): Promise<ResumeRequest> {
  const contact = parseContact(raw);
  if (!contact) {
    return { sent: 'none' };
  }
  const now = deps.clock.now();
  return deps.db.transaction().execute(async (trx) => {
    const open = await findOpen(trx, contact, now);
    if (!open) {
      return { sent: 'none' as const };
    }
    const otp = await issueOtp(trx, { purpose: 'registration_resume', subject: open.phone, phone: open.phone, now, secret: deps.config.otpSecret });
    if (!otp.ok) {
      return otp.code === 'sms_limit_reached' ? { sent: 'sms_limit_reached' as const, phone: open.phone } : { sent: 'resume' as const, phone: open.phone };
    }
    // Asked by e-mail: the code goes to that address (the person may have lost the phone); by phone: an SMS.
    if ('email' in contact) {
      await enqueueMessage(trx, { channel: 'email', to: contact.email, now, message: { template: 'resume_code_email', fullName: open.full_name, otp: otp.value.code } });
    } else {
      await enqueueMessage(trx, { channel: 'sms', to: open.phone, now, message: { template: 'login_otp', otp: otp.value.code } });
    }
    return { sent: 'resume' as const, phone: open.phone };
  });
}

/** The code from the SMS → the open registration to continue (its id), or why not. */
export async function verifyResumeOtp(deps: Deps, phone: string, code: string): Promise<Result<{ registrationId: string }, 'invalid_otp' | 'too_many_attempts'>> {
  const now = deps.clock.now();
  return deps.db.transaction().execute(async (trx) => {
    const checked = await verifyOtp(trx, { purpose: 'registration_resume', subject: phone, phone, code, now, secret: deps.config.otpSecret });
    if (!checked.ok) {
      return checked;
    }
    const open = await findOpen(trx, { phone }, now);
    return open ? ok({ registrationId: open.id }) : reject('invalid_otp', 'code');
  });
}

/** The tries left on a registration's phone code (step 3), for the wrong-code message; null without a live code. */
export function registrationOtpTriesLeft(deps: Pick<Deps, 'db'>, registrationId: string): Promise<number | null> {
  return otpAttemptsLeft(deps.db, { purpose: 'registration', subject: registrationId });
}
