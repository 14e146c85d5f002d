import { createHash } from 'node:crypto';
import { safeEqual } from '../../../shared/crypto.js';
import { ok, type Result } from '../../../shared/result.js';
import type { PaymentChannel } from '../apply-payment.js';
import {
  externalIdOf,
  invalid,
  isCleanText,
  parseJakartaLocalTime,
  parseRupiahString,
  type ChannelEvent,
  type IgnoredReason,
} from './payment-event.js';

/**
 * Midtrans HTTP(S) notification (docs.midtrans.com/docs/https-notification-webhooks), normalised into one payment
 * event. We create every Midtrans order with `order_id` = the bill's 16-digit payment code and `gross_amount` = the
 * bill amount, so a notification names the bill directly. Pure functions only; the route is in channel.routes.ts.
 */

/** `signature_key` = lowercase hex SHA-512 of order_id + status_code + gross_amount + ServerKey (strings as received). */
export function midtransSignature(orderId: string, statusCode: string, grossAmount: string, serverKey: string): string {
  return createHash('sha512').update(`${orderId}${statusCode}${grossAmount}${serverKey}`, 'utf8').digest('hex');
}

/**
 * Checks `signature_key` of a parsed notification in constant time. Anything that is not the four strings the
 * signature covers fails (a forged or truncated body is refused with 401 whatever else it holds).
 */
export function isValidMidtransSignature(body: unknown, serverKey: string): boolean {
  if (typeof body !== 'object' || body === null || Array.isArray(body)) {
    return false;
  }
  const b = body as Record<string, unknown>;
  const { order_id: orderId, status_code: statusCode, gross_amount: grossAmount, signature_key: signature } = b;
  if (typeof orderId !== 'string' || typeof statusCode !== 'string' || typeof grossAmount !== 'string' || typeof signature !== 'string') {
    return false;
  }
  return safeEqual(midtransSignature(orderId, statusCode, grossAmount, serverKey), signature.trim().toLowerCase());
}

/**
 * `transaction_status` → what Lindung does with it. Only money actually taken settles a bill:
 *
 * | transaction_status | meaning (Midtrans)                                   | Lindung                                      |
 * |--------------------|------------------------------------------------------|----------------------------------------------|
 * | settlement         | funds received                                       | paid → settle                                |
 * | capture            | card captured (cards only)                           | paid → settle (card is unsupported, see types) |
 * | pending            | waiting for the customer to pay                      | acknowledged, nothing recorded               |
 * | authorize          | card pre-authorisation (funds reserved, not taken)   | acknowledged, nothing recorded               |
 * | deny               | refused by the bank or the fraud system              | acknowledged, nothing recorded               |
 * | cancel             | cancelled by the merchant                            | acknowledged, nothing recorded               |
 * | expire             | not paid in time                                     | acknowledged, nothing recorded               |
 * | failure            | unexpected processing error                          | acknowledged, nothing recorded               |
 * | refund             | refunded by the merchant                             | acknowledged (`refunded`), logged for staff  |
 * | partial_refund     | partly refunded by the merchant                      | acknowledged (`refunded`), logged for staff  |
 * | anything else      | —                                                    | acknowledged (`unknown_status`), logged      |
 *
 * A capture or settlement also needs `status_code` "200" and, when present, `fraud_status` "accept" (Midtrans:
 * "if fraud_status exists ensure the value is accept"); `challenge` waits for the merchant's review and a later
 * notification. Every acknowledgement is HTTP 200, so Midtrans does not retry it.
 */
export const MIDTRANS_TRANSACTION_STATUS: Readonly<Record<string, 'paid' | Exclude<IgnoredReason, 'unsupported_payment_type' | 'unsupported_event'>>> = {
  settlement: 'paid',
  capture: 'paid',
  pending: 'not_paid',
  authorize: 'not_paid',
  deny: 'not_paid',
  cancel: 'not_paid',
  expire: 'not_paid',
  failure: 'not_paid',
  refund: 'refunded',
  partial_refund: 'refunded',
};

/**
 * `payment_type` → our channel (the ledger's `clearing:<channel>`). Types we do not list (credit_card, direct debit
 * such as bca_klikpay/bri_epay/cimb_clicks, paylater such as akulaku/kredivo, …) are not enabled on our Midtrans
 * orders; a paid notification through one of them is acknowledged as `unsupported_payment_type` and logged as an
 * error for staff (README).
 */
export const MIDTRANS_PAYMENT_TYPES: Readonly<Record<string, PaymentChannel>> = {
  bank_transfer: 'va', // BCA, BNI, BRI, Permata, CIMB… virtual accounts (va_numbers / permata_va_number)
  echannel: 'va', // Mandiri Bill Payment (biller_code + bill_key)
  gopay: 'ewallet',
  shopeepay: 'ewallet',
  qris: 'qris', // QRIS paid from any issuer (issuer/acquirer fields)
  other_qris: 'qris',
  cstore: 'retail', // minimarket: store = indomaret | alfamart
};

export function midtransChannel(paymentType: string): PaymentChannel | undefined {
  return Object.hasOwn(MIDTRANS_PAYMENT_TYPES, paymentType) ? MIDTRANS_PAYMENT_TYPES[paymentType] : undefined;
}

/** What a notification's status fields mean for Lindung (the table above). */
export function midtransDecision(
  transactionStatus: string,
  statusCode: string,
  fraudStatus: string | undefined,
): 'paid' | Exclude<IgnoredReason, 'unsupported_payment_type' | 'unsupported_event'> {
  const decision = Object.hasOwn(MIDTRANS_TRANSACTION_STATUS, transactionStatus) ? MIDTRANS_TRANSACTION_STATUS[transactionStatus] : undefined;
  if (decision === undefined) {
    return 'unknown_status';
  }
  if (decision !== 'paid') {
    return decision;
  }
  if (statusCode !== '200') {
    return 'unknown_status';
  }
  return fraudStatus === undefined || fraudStatus === 'accept' ? 'paid' : 'not_paid';
}

function optionalText(body: Record<string, unknown>, field: string, max: number): Result<string | undefined, 'invalid_request'> {
  const v = body[field];
  if (v === undefined || v === null) {
    return ok(undefined);
  }
  return isCleanText(v, max) ? ok(v) : invalid(field, `must be a string of 1–${max} printable characters`);
}

function requiredText(body: Record<string, unknown>, field: string, max: number): Result<string, 'invalid_request'> {
  const v = body[field];
  return isCleanText(v, max) ? ok(v) : invalid(field, `required: a string of 1–${max} printable characters`);
}

/**
 * A notification whose signature has been verified → one payment event, or a 400 naming the bad field.
 * Idempotency key: `midtrans:<transaction_id>` (Midtrans re-sends notifications; a `pending` and the later
 * `settlement` of one transaction share the id, and only the settlement moves money). Paid at: `settlement_time`
 * when present, else `transaction_time` (both WIB wall-clock strings).
 */
export function normaliseMidtransNotification(body: Record<string, unknown>): Result<ChannelEvent, 'invalid_request'> {
  const transactionId = requiredText(body, 'transaction_id', 100);
  if (!transactionId.ok) return transactionId;
  const orderId = requiredText(body, 'order_id', 64);
  if (!orderId.ok) return orderId;
  const statusCode = body['status_code'];
  if (typeof statusCode !== 'string' || !/^\d{3}$/.test(statusCode)) {
    return invalid('status_code', 'required: three digits');
  }
  const transactionStatus = requiredText(body, 'transaction_status', 40);
  if (!transactionStatus.ok) return transactionStatus;
  const paymentType = requiredText(body, 'payment_type', 40);
  if (!paymentType.ok) return paymentType;
  const fraudStatus = optionalText(body, 'fraud_status', 40);
  if (!fraudStatus.ok) return fraudStatus;
  const currency = body['currency'];
  if (currency !== undefined && currency !== 'IDR') {
    return invalid('currency', 'only IDR is accepted');
  }
  const grossAmount = typeof body['gross_amount'] === 'string' ? parseRupiahString(body['gross_amount']) : invalid('gross_amount', 'required: a decimal string');
  if (!grossAmount.ok) return { ...grossAmount, field: 'gross_amount' };
  const transactionTime = typeof body['transaction_time'] === 'string' ? parseJakartaLocalTime(body['transaction_time']) : invalid('transaction_time', 'required: "YYYY-MM-DD HH:mm:ss" (WIB)');
  if (!transactionTime.ok) return { ...transactionTime, field: 'transaction_time' };
  let paidAt = transactionTime.value;
  let paidAtField = 'transaction_time';
  const settlement = body['settlement_time'];
  if (settlement !== undefined && settlement !== null) {
    const settlementTime = typeof settlement === 'string' ? parseJakartaLocalTime(settlement) : invalid('settlement_time', 'must be "YYYY-MM-DD HH:mm:ss" (WIB)');
    if (!settlementTime.ok) return { ...settlementTime, field: 'settlement_time' };
    paidAt = settlementTime.value;
    paidAtField = 'settlement_time';
  }

  const decision = midtransDecision(transactionStatus.value, statusCode, fraudStatus.value);
  const ignored = (reason: IgnoredReason): Result<ChannelEvent, 'invalid_request'> =>
    ok({ kind: 'ignored', provider: 'midtrans', reason, providerStatus: transactionStatus.value, providerEventId: transactionId.value, orderRef: orderId.value });
  if (decision !== 'paid') {
    return ignored(decision);
  }
  const channel = midtransChannel(paymentType.value);
  if (!channel) {
    return ignored('unsupported_payment_type');
  }
  return ok({
    kind: 'payment',
    provider: 'midtrans',
    idField: 'transaction_id',
    paidAtField,
    notification: {
      externalId: externalIdOf('midtrans', transactionId.value),
      paymentCode: orderId.value,
      amount: grossAmount.value,
      channel,
      paidAt,
    },
  });
}
