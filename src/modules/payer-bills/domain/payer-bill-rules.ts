import { luhnCheckDigit, randomDigits } from '../../../shared/ids.js';

/**
 * Pure rules of collective bills (docs/architecture.md "Collective bills").
 *
 * A collective bill's payment code: 16 digits, '9', 14 random digits, a Luhn check digit — the same shape as a member
 * bill's code ('8…', contributions/bills.ts) and a top-up code ('7…', wallet/domain/top-up-code.ts), in a range of
 * its own, so the settlement tells the three apart by the first digit and no code can be two things.
 */
export function newPayerPaymentCode(): string {
  const body = `9${randomDigits(14)}`;
  return body + luhnCheckDigit(body);
}

const PAYER_CODE_RE = /^9\d{15}$/;

export function isPayerPaymentCode(code: string): boolean {
  return PAYER_CODE_RE.test(code) && luhnCheckDigit(code.slice(0, 15)) === code.slice(15);
}

/** The externalId a member bill's share of a collective payment is settled under: idempotent per member bill. */
export function memberShareExternalId(collectivePaymentId: string, memberBillId: string): string {
  return `${collectivePaymentId}:${memberBillId}`;
}

/** The deterministic id of the fan-out job of a collective payment (written by lindung_apply_payer_payment too). */
export function fanOutJobId(collectivePaymentId: string): string {
  return `payer-fanout:${collectivePaymentId}`;
}

export const FAN_OUT_JOB_KIND = 'payer_bill_fanout';

export type PayerBillStatusView = 'open' | 'paid' | 'settling' | 'expired' | 'cancelled';

/** What a collective bill is, seen at `now`: an open one past its expiry is expired (no payment can settle it). */
export function payerBillStatusAt(stored: 'open' | 'settling' | 'paid' | 'cancelled', expiresAt: Date, now: Date): PayerBillStatusView {
  return stored === 'open' && expiresAt.getTime() < now.getTime() ? 'expired' : stored;
}

/** The member bill ids of an open request, each once, in the given order; null when there is none. */
export function distinctMemberBillIds(ids: readonly string[]): string[] | null {
  const unique = [...new Set(ids)];
  return unique.length === 0 ? null : unique;
}
