import type { Deps } from '../../../deps.js';
import { AppError } from '../../../http/errors.js';
import { ok, reject, type Result } from '../../../shared/result.js';
import { applyPaymentNotification, PAYMENT_AMOUNT_MAX, type ApplyOutcome, type PaymentNotification } from '../apply-payment.js';

/**
 * The one payment event every provider adapter (Midtrans, Xendit) normalises its callback into. A provider message is
 * either money that arrived (`payment`: settled by applyPaymentNotification, the same code path as the generic signed
 * notification) or a status change that moves no money (`ignored`: acknowledged with 200 so the provider stops
 * retrying, and logged).
 */
export type Provider = 'midtrans' | 'xendit';

export type IgnoredReason =
  /** the provider's status says no money was received (pending, expired, failed, cancelled, denied, …) */
  | 'not_paid'
  /** money went back to the payer through the provider; the ledger is not reversed here (staff refund workflow) */
  | 'refunded'
  /** a status this adapter does not know; nothing is settled until a known status arrives */
  | 'unknown_status'
  /** money arrived through an instrument Lindung does not accept (e.g. a card); logged for staff, see README */
  | 'unsupported_payment_type'
  /** a callback type this endpoint does not act on (e.g. Xendit `ewallet.void`) */
  | 'unsupported_event';

export type ChannelEvent =
  | {
      kind: 'payment';
      provider: Provider;
      /** the provider's own field that identifies the event (named in a 409 external_id_conflict) */
      idField: string;
      /** the provider's own field the payment time was read from (named in a 422 invalid_paid_at) */
      paidAtField: string;
      notification: PaymentNotification;
    }
  | {
      kind: 'ignored';
      provider: Provider;
      reason: IgnoredReason;
      /** the provider's status or event name, echoed back and logged */
      providerStatus: string;
      providerEventId: string | undefined;
      orderRef: string | undefined;
    };

export type ChannelOutcome = ApplyOutcome | { status: 'ignored'; reason: IgnoredReason; providerStatus: string };

/** A field that failed validation: 400 invalid_request naming the provider's own field. */
export function invalid(field: string, detail: string): Result<never, 'invalid_request'> {
  return reject('invalid_request', field, detail);
}

/** The external id a provider event is recorded under: `<provider>:<the provider's id>`. */
export function externalIdOf(provider: Provider, providerId: string): string {
  return `${provider}:${providerId}`;
}

// ---------------------------------------------------------------------------------------------------------------
// Pure parsers shared by the adapters
// ---------------------------------------------------------------------------------------------------------------

const DECIMAL_RUPIAH = /^(0|[1-9]\d{0,14})(?:\.(\d{1,2}))?$/;

/**
 * A decimal amount string as Midtrans sends it ("66800.00") → whole rupiah (66800). Rupiah has no minor unit in use:
 * a non-zero fraction ("66800.50") is refused rather than rounded, as are signs, exponents, spaces, zero and amounts
 * above PAYMENT_AMOUNT_MAX.
 */
export function parseRupiahString(value: string): Result<number, 'invalid_request'> {
  const m = DECIMAL_RUPIAH.exec(value);
  if (!m) {
    return reject('invalid_request', undefined, `not a decimal rupiah amount: ${JSON.stringify(value)}`);
  }
  if (m[2] !== undefined && !/^0+$/.test(m[2])) {
    return reject('invalid_request', undefined, `rupiah amounts have no fraction: ${value}`);
  }
  return wholeRupiah(Number(m[1]));
}

/** A JSON number amount as Xendit sends it (20000) → whole rupiah; fractions, zero, negatives and huge values refused. */
export function parseRupiahNumber(value: unknown): Result<number, 'invalid_request'> {
  if (typeof value !== 'number' || !Number.isFinite(value)) {
    return reject('invalid_request', undefined, 'amount must be a number');
  }
  if (!Number.isInteger(value)) {
    return reject('invalid_request', undefined, `rupiah amounts have no fraction: ${value}`);
  }
  return wholeRupiah(value);
}

function wholeRupiah(n: number): Result<number, 'invalid_request'> {
  if (n <= 0) {
    return reject('invalid_request', undefined, 'amount must be positive');
  }
  if (n > PAYMENT_AMOUNT_MAX) {
    return reject('invalid_request', undefined, `amount above ${PAYMENT_AMOUNT_MAX}`);
  }
  return ok(n);
}

const JAKARTA_LOCAL = /^(\d{4})-(\d{2})-(\d{2}) (\d{2}):(\d{2}):(\d{2})$/;
/** WIB is UTC+7 all year (Indonesia has no daylight saving time). */
const WIB_OFFSET_MS = 7 * 3_600_000;

/**
 * A local Asia/Jakarta wall-clock time without an offset, as Midtrans writes `transaction_time` and `settlement_time`
 * ("2026-11-22 10:00:00") → the instant (2026-11-22T03:00:00Z). Impossible dates (2026-02-30, 24:00:00) are refused.
 */
export function parseJakartaLocalTime(value: string): Result<Date, 'invalid_request'> {
  const m = JAKARTA_LOCAL.exec(value);
  if (!m) {
    return reject('invalid_request', undefined, `expected "YYYY-MM-DD HH:mm:ss" (WIB): ${JSON.stringify(value)}`);
  }
  const [y, mo, d, h, mi, s] = m.slice(1).map(Number) as [number, number, number, number, number, number];
  const utc = Date.UTC(y, mo - 1, d, h, mi, s);
  const back = new Date(utc);
  if (back.getUTCFullYear() !== y || back.getUTCMonth() !== mo - 1 || back.getUTCDate() !== d || back.getUTCHours() !== h || back.getUTCMinutes() !== mi || back.getUTCSeconds() !== s) {
    return reject('invalid_request', undefined, `not a real date and time: ${value}`);
  }
  return ok(new Date(utc - WIB_OFFSET_MS));
}

const ISO_INSTANT = /^(\d{4})-(\d{2})-(\d{2})T(\d{2}):(\d{2}):(\d{2})(?:\.(\d{1,9}))?(Z|[+-]\d{2}:\d{2})$/;

/**
 * An ISO 8601 instant with an offset, as Xendit writes them ("2020-10-21T13:57:43.730483Z", nanoseconds included) →
 * the instant, truncated to milliseconds (what the database and Date keep). A time without an offset is refused.
 */
export function parseIsoInstant(value: string): Result<Date, 'invalid_request'> {
  const m = ISO_INSTANT.exec(value);
  if (!m) {
    return reject('invalid_request', undefined, `expected an ISO 8601 instant with an offset: ${JSON.stringify(value)}`);
  }
  const [y, mo, d, h, mi, s] = m.slice(1, 7).map(Number) as [number, number, number, number, number, number];
  const ms = Number((m[7] ?? '0').padEnd(3, '0').slice(0, 3));
  const zone = m[8] as string;
  const probe = new Date(Date.UTC(y, mo - 1, d, h, mi, s));
  if (probe.getUTCFullYear() !== y || probe.getUTCMonth() !== mo - 1 || probe.getUTCDate() !== d || probe.getUTCHours() !== h || probe.getUTCMinutes() !== mi) {
    return reject('invalid_request', undefined, `not a real date and time: ${value}`);
  }
  let offsetMs = 0;
  if (zone !== 'Z') {
    const sign = zone.startsWith('-') ? -1 : 1;
    const [oh, om] = zone.slice(1).split(':').map(Number) as [number, number];
    if (oh > 23 || om > 59) {
      return reject('invalid_request', undefined, `bad offset: ${value}`);
    }
    offsetMs = sign * (oh * 60 + om) * 60_000;
  }
  return ok(new Date(probe.getTime() + ms - offsetMs));
}

/** Identifiers and codes: printable, bounded, no control characters (PostgreSQL refuses NUL; logs should not carry them). */
export function isCleanText(value: unknown, max: number): value is string {
  return typeof value === 'string' && value.length > 0 && value.length <= max && !/[\u0000-\u001f\u007f]/.test(value);
}

// ---------------------------------------------------------------------------------------------------------------
// Settlement: the one path (applyPaymentNotification)
// ---------------------------------------------------------------------------------------------------------------

/**
 * Settles a normalised event. `payment` goes through applyPaymentNotification exactly like the generic signed
 * notification: idempotent by externalId, unmatched money kept for reconciliation. `ignored` touches nothing.
 *
 * One refinement for provider events: a provider may restate an event for the same transaction with a different
 * timestamp (e.g. a re-sent callback whose `updated` moved). The money is the same, so when the recorded payment under
 * that externalId has the same payment code, amount and channel, the repeat is a `duplicate` (the first recorded time
 * stands). Only a change in what moves money is a 409 external_id_conflict.
 */
export async function settleChannelEvent(deps: Deps, event: ChannelEvent): Promise<ChannelOutcome> {
  if (event.kind === 'ignored') {
    const fields = { provider: event.provider, providerStatus: event.providerStatus, providerEventId: event.providerEventId, orderRef: event.orderRef };
    if (event.reason === 'unsupported_payment_type') {
      // Money may have left a member's account through an instrument we do not accept: staff must follow it up in the
      // provider's dashboard (refund or assign), so this is an error, not a debug line.
      deps.logger.error('channel payment through an unsupported payment type: not recorded, follow up in the provider dashboard', fields);
    } else if (event.reason === 'refunded' || event.reason === 'unknown_status') {
      deps.logger.warn('channel event acknowledged without settlement: check it against the ledger', { ...fields, reason: event.reason });
    } else {
      deps.logger.info('channel event acknowledged without settlement', { ...fields, reason: event.reason });
    }
    return { status: 'ignored', reason: event.reason, providerStatus: event.providerStatus };
  }
  const n = event.notification;
  const result = await applyPaymentNotification(deps, n);
  if (result.ok) {
    return result.value;
  }
  if (result.code === 'invalid_paid_at') {
    deps.logger.warn('channel event refused: paid more than 5 minutes in the future or before its bill was issued', { provider: event.provider, externalId: n.externalId, paidAt: n.paidAt.toISOString() });
    throw new AppError('invalid_paid_at', event.paidAtField);
  }
  const recorded = await deps.db
    .selectFrom('payment')
    .select(['payment_code', 'amount', 'channel'])
    .where('external_id', '=', n.externalId)
    .executeTakeFirst();
  if (recorded && recorded.payment_code === n.paymentCode && Number(recorded.amount) === n.amount && recorded.channel === n.channel) {
    deps.logger.info('channel event restated with another time: treated as a duplicate', { provider: event.provider, externalId: n.externalId });
    return { status: 'duplicate' };
  }
  deps.logger.warn('channel event conflicts with the payment recorded under its id', { provider: event.provider, externalId: n.externalId });
  throw new AppError('external_id_conflict', event.idField, `${n.externalId} was recorded with a different payment code, amount or channel`);
}
