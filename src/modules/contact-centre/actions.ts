import type { Deps } from '../../deps.js';
import type { Participant } from '../../db/database.js';
import { formatInstantWib } from '../../shared/month.js';
import { ok, reject, type Result } from '../../shared/result.js';
import { recordStaffAction } from '../audit/index.js';
import { unlockOtpPhone } from '../auth/index.js';
import { findOpenMemberBill } from '../contributions/index.js';
import { getCard } from '../membership/index.js';
import { enqueueMessage } from '../notifications/index.js';

/** Who acts and why: every contact-centre action is audited with its reason. */
export interface ActionBy {
  actor: string;
  reason: string;
}

type Member = Pick<Participant, 'id' | 'kpj' | 'full_name' | 'email' | 'phone'>;

/**
 * Resends the membership card: the same email the first payment queues (template card_issued, the card PDF attached
 * by the outbox worker, the signed verification link), to the member's email.
 */
export async function resendCard(deps: Deps, p: Member, by: ActionBy): Promise<Result<{ channel: 'email' }, 'unknown_participant'>> {
  const card = await getCard(deps, p.id);
  if (!card) {
    return reject('unknown_participant', 'kpj');
  }
  const now = deps.clock.now();
  await deps.db.transaction().execute(async (trx) => {
    await enqueueMessage(trx, {
      channel: 'email',
      to: p.email,
      now,
      message: { template: 'card_issued', fullName: card.fullName, kpj: card.kpj, coveredThrough: card.coveredThrough, verifyUrl: card.verifyUrl, participantId: p.id },
    });
    await recordStaffAction(trx, { actor: by.actor, action: 'contact.card_resend', subject: `participant:${p.kpj}`, reason: by.reason, detail: { channel: 'email' }, at: now });
  });
  return ok({ channel: 'email' as const });
}

/**
 * Resends the payment code of the member's open bill (the newest one not paid and not expired) by email (the
 * payment_code template) and by SMS (payment_code_sms). No open bill: no_open_bill (the member issues one in the portal, or the counter does).
 */
export async function resendPaymentCode(deps: Deps, p: Member, by: ActionBy): Promise<Result<{ paymentCode: string; channels: ['email', 'sms'] }, 'no_open_bill'>> {
  const now = deps.clock.now();
  const bill = await findOpenMemberBill(deps.db, p.id, now);
  if (!bill) {
    return reject('no_open_bill');
  }
  await deps.db.transaction().execute(async (trx) => {
    await enqueueMessage(trx, {
      channel: 'email',
      to: p.email,
      now,
      message: { template: 'payment_code', fullName: p.full_name, paymentCode: bill.payment_code, amount: bill.amount, expiresAt: formatInstantWib(bill.expires_at) },
    });
    await enqueueMessage(trx, {
      channel: 'sms',
      to: p.phone,
      now,
      message: { template: 'payment_code_sms', paymentCode: bill.payment_code, amount: bill.amount, expiresAt: formatInstantWib(bill.expires_at) },
    });
    await recordStaffAction(trx, {
      actor: by.actor,
      action: 'contact.payment_code_resend',
      subject: `participant:${p.kpj}`,
      reason: by.reason,
      detail: { paymentCode: bill.payment_code, channels: ['email', 'sms'] },
      at: now,
    });
  });
  return ok({ paymentCode: bill.payment_code, channels: ['email', 'sms'] as ['email', 'sms'] });
}

/** Lifts the OTP locks of the member's phone (today's wrong-code and code counts, a dead login challenge), audited. */
export async function unlockOtp(deps: Deps, p: Member, by: ActionBy) {
  const now = deps.clock.now();
  return deps.db.transaction().execute(async (trx) => {
    const before = await unlockOtpPhone(trx, { phone: p.phone, now });
    await recordStaffAction(trx, {
      actor: by.actor,
      action: 'contact.otp_unlock',
      subject: `participant:${p.kpj}`,
      reason: by.reason,
      detail: { challengeClosed: before.challengeClosed },
      before: { failedAttemptsToday: before.failedAttemptsToday, codesIssuedToday: before.codesIssuedToday },
      after: { failedAttemptsToday: 0, codesIssuedToday: 0 },
      at: now,
    });
    return before;
  });
}
