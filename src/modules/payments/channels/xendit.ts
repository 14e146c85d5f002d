import { safeEqual } from '../../../shared/crypto.js';
import { ok, type Result } from '../../../shared/result.js';
import {
  externalIdOf,
  invalid,
  isCleanText,
  parseIsoInstant,
  parseRupiahNumber,
  type ChannelEvent,
  type IgnoredReason,
} from './payment-event.js';

/**
 * Xendit callbacks, normalised into one payment event. Xendit authenticates a callback with the `x-callback-token`
 * header: the account's verification token from the dashboard (Settings → Webhooks), compared here in constant time.
 * Two callback kinds are handled, each at its own URL (README):
 *
 * - e-wallet charge (`/ewallets/charges`, event `ewallet.capture`): `data.reference_id` = our payment code,
 *   `data.capture_amount` (else `charge_amount`), `data.id` (`ewc_…`) → channel `ewallet`;
 * - fixed payment code paid at a retail outlet (Alfamart / Indomaret, `ro_fpc_paid`): `external_id` = our payment
 *   code, `amount`, `transaction_timestamp`, `fixed_payment_code_payment_id` → channel `retail`.
 *
 * We create the e-wallet charge with reference_id = payment code and the fixed payment code with external_id =
 * payment code, expected_amount = bill amount, is_single_use = true, expiration = the bill's expiry.
 */

/** Constant-time check of the `x-callback-token` header against the configured verification token. */
export function isValidXenditToken(expected: string, received: string | undefined): boolean {
  return typeof received === 'string' && received.length > 0 && safeEqual(expected, received);
}

type Decision = 'paid' | Exclude<IgnoredReason, 'unsupported_payment_type' | 'unsupported_event'>;

/**
 * e-wallet charge `data.status` → what Lindung does:
 *
 * | data.status | meaning (Xendit)                          | Lindung                                     |
 * |-------------|-------------------------------------------|---------------------------------------------|
 * | SUCCEEDED   | the customer paid                         | paid → settle                               |
 * | PENDING     | waiting for the customer                  | acknowledged, nothing recorded              |
 * | FAILED      | payment failed (failure_code says why)    | acknowledged, nothing recorded              |
 * | VOIDED      | charge voided                             | acknowledged, nothing recorded              |
 * | REFUNDED    | refunded                                  | acknowledged (`refunded`), logged for staff |
 * | other       | —                                         | acknowledged (`unknown_status`), logged     |
 *
 * Only the `ewallet.capture` event carries a payment; `ewallet.refund` is acknowledged as `refunded`, any other event
 * as `unsupported_event`.
 */
export const XENDIT_EWALLET_STATUS: Readonly<Record<string, Decision>> = {
  SUCCEEDED: 'paid',
  PENDING: 'not_paid',
  FAILED: 'not_paid',
  VOIDED: 'not_paid',
  REFUNDED: 'refunded',
};

/**
 * Fixed payment code callback `status`: Xendit sends this callback when a code has been paid (`COMPLETED`). A payload
 * without a status (older integrations reproduce the callback without one) is a payment too, and so is `SETTLING`
 * (paid, funds settling into the balance); any other status is acknowledged as `unknown_status`.
 */
export const XENDIT_FPC_PAID_STATUSES: readonly string[] = ['COMPLETED', 'SETTLING'];

export function xenditEwalletDecision(status: string): Decision {
  return Object.hasOwn(XENDIT_EWALLET_STATUS, status) ? (XENDIT_EWALLET_STATUS[status] as Decision) : 'unknown_status';
}

export function xenditFpcDecision(status: string | undefined): Decision {
  return status === undefined || XENDIT_FPC_PAID_STATUSES.includes(status) ? 'paid' : 'unknown_status';
}

function isRecord(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

function text(obj: Record<string, unknown>, key: string, path: string, max: number): Result<string, 'invalid_request'> {
  const v = obj[key];
  return isCleanText(v, max) ? ok(v) : invalid(path, `required: a string of 1–${max} printable characters`);
}

function instant(obj: Record<string, unknown>, key: string, path: string): Result<Date, 'invalid_request'> | undefined {
  const v = obj[key];
  if (v === undefined || v === null) {
    return undefined;
  }
  if (typeof v !== 'string') {
    return invalid(path, 'must be an ISO 8601 instant');
  }
  const r = parseIsoInstant(v);
  return r.ok ? r : { ...r, field: path };
}

function currencyOk(obj: Record<string, unknown>, path: string): Result<true, 'invalid_request'> {
  const c = obj['currency'];
  return c === undefined || c === null || c === 'IDR' ? ok(true) : invalid(path, 'only IDR is accepted');
}

/**
 * An e-wallet callback (`{ event, business_id, created, data: { id, status, reference_id, charge_amount,
 * capture_amount, currency, channel_code, created, updated, … } }`) → one payment event, or a 400 naming the field.
 * Idempotency key `xendit:<data.id>`; paid at `data.updated` (when the charge became SUCCEEDED), else the envelope's
 * `created`.
 */
export function normaliseXenditEwallet(body: Record<string, unknown>): Result<ChannelEvent, 'invalid_request'> {
  const event = text(body, 'event', 'event', 60);
  if (!event.ok) return event;
  const data = body['data'];
  if (!isRecord(data)) {
    return invalid('data', 'required: an object');
  }
  if (event.value !== 'ewallet.capture') {
    // Nothing is settled from other events, so their payload is not held to the capture's shape.
    const eventId = isCleanText(data['id'], 100) ? data['id'] : undefined;
    const ref = isCleanText(data['reference_id'], 64) ? data['reference_id'] : undefined;
    const reason = event.value === 'ewallet.refund' ? 'refunded' : 'unsupported_event';
    return ok({ kind: 'ignored', provider: 'xendit', reason, providerStatus: event.value, providerEventId: eventId, orderRef: ref });
  }
  const id = text(data, 'id', 'data.id', 100);
  if (!id.ok) return id;
  const status = text(data, 'status', 'data.status', 40);
  if (!status.ok) return status;
  const referenceId = text(data, 'reference_id', 'data.reference_id', 64);
  if (!referenceId.ok) return referenceId;
  const ignored = (reason: IgnoredReason, providerStatus: string): Result<ChannelEvent, 'invalid_request'> =>
    ok({ kind: 'ignored', provider: 'xendit', reason, providerStatus, providerEventId: id.value, orderRef: referenceId.value });
  const currency = currencyOk(data, 'data.currency');
  if (!currency.ok) return currency;
  const rawAmount = data['capture_amount'] ?? data['charge_amount'];
  const amountField = data['capture_amount'] === undefined || data['capture_amount'] === null ? 'data.charge_amount' : 'data.capture_amount';
  const amount = parseRupiahNumber(rawAmount);
  if (!amount.ok) return { ...amount, field: amountField };
  const updated = instant(data, 'updated', 'data.updated');
  if (updated && !updated.ok) return updated;
  const created = instant(body, 'created', 'created');
  if (created && !created.ok) return created;
  const paidAt = updated?.ok ? updated.value : created?.ok ? created.value : undefined;
  if (!paidAt) {
    return invalid('data.updated', 'required: data.updated or created (ISO 8601 instant)');
  }

  const decision = xenditEwalletDecision(status.value);
  if (decision !== 'paid') {
    return ignored(decision, status.value);
  }
  return ok({
    kind: 'payment',
    provider: 'xendit',
    idField: 'data.id',
    paidAtField: updated?.ok ? 'data.updated' : 'created',
    notification: { externalId: externalIdOf('xendit', id.value), paymentCode: referenceId.value, amount: amount.value, channel: 'ewallet', paidAt },
  });
}

/**
 * A fixed payment code paid callback (flat: `{ fixed_payment_code_payment_id, fixed_payment_code_id, payment_id,
 * external_id, payment_code, prefix, retail_outlet_name, amount, name, transaction_timestamp, owner_id, … }`) → one
 * payment event, or a 400 naming the field. Idempotency key `xendit:<fixed_payment_code_payment_id>` (the payment's
 * id; `id` when that field is absent); paid at `transaction_timestamp`.
 */
export function normaliseXenditFixedPaymentCode(body: Record<string, unknown>): Result<ChannelEvent, 'invalid_request'> {
  const idKey = body['fixed_payment_code_payment_id'] !== undefined && body['fixed_payment_code_payment_id'] !== null ? 'fixed_payment_code_payment_id' : 'id';
  const id = text(body, idKey, idKey === 'id' ? 'fixed_payment_code_payment_id' : idKey, 100);
  if (!id.ok) return id;
  const externalId = text(body, 'external_id', 'external_id', 64);
  if (!externalId.ok) return externalId;
  const outlet = text(body, 'retail_outlet_name', 'retail_outlet_name', 40);
  if (!outlet.ok) return outlet;
  const currency = currencyOk(body, 'currency');
  if (!currency.ok) return currency;
  const amount = parseRupiahNumber(body['amount']);
  if (!amount.ok) return { ...amount, field: 'amount' };
  const timestamp = instant(body, 'transaction_timestamp', 'transaction_timestamp');
  if (!timestamp) return invalid('transaction_timestamp', 'required: an ISO 8601 instant');
  if (!timestamp.ok) return timestamp;
  const rawStatus = body['status'];
  if (rawStatus !== undefined && rawStatus !== null && !isCleanText(rawStatus, 40)) {
    return invalid('status', 'must be a string');
  }
  const status = typeof rawStatus === 'string' ? rawStatus : undefined;

  const decision = xenditFpcDecision(status);
  if (decision !== 'paid') {
    return ok({ kind: 'ignored', provider: 'xendit', reason: decision, providerStatus: status ?? '', providerEventId: id.value, orderRef: externalId.value });
  }
  return ok({
    kind: 'payment',
    provider: 'xendit',
    idField: idKey === 'id' ? 'id' : 'fixed_payment_code_payment_id',
    paidAtField: 'transaction_timestamp',
    notification: { externalId: externalIdOf('xendit', id.value), paymentCode: externalId.value, amount: amount.value, channel: 'retail', paidAt: timestamp.value },
  });
}
