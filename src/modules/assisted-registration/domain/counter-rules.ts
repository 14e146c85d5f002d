/**
 * The pure rules of assisted registration and counter payments (no I/O, time passed in).
 */
export type CounterChannel = 'counter' | 'spo';
export const COUNTER_PAYMENT_METHODS = ['cash', 'edc'] as const;
export type CounterPaymentMethod = (typeof COUNTER_PAYMENT_METHODS)[number];

/** An officer of a service point of kind 'spo' registers with channel 'spo'; every other counter officer 'counter'. */
export function channelOf(servicePointKind: string | null): CounterChannel {
  return servicePointKind === 'spo' ? 'spo' : 'counter';
}

/** The key the page generates when the payment form is rendered: a UUID (lower-case). */
export function isIdempotencyKey(key: string): boolean {
  return /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/.test(key);
}

/** The approval code an EDC terminal prints on its slip: 6 letters or digits (ISO 8583 field 38). */
export function isApprovalCode(code: string): boolean {
  return /^[A-Z0-9]{6}$/.test(code);
}

/** The externalId of a counter payment in the payments table: `counter:` + the page's idempotency key. */
export function counterExternalId(idempotencyKey: string): string {
  return `counter:${idempotencyKey}`;
}

/** The average of the e-survey ratings to one decimal, null with none. */
export function averageRating(ratings: readonly number[]): number | null {
  if (ratings.length === 0) return null;
  return Math.round((ratings.reduce((a, b) => a + b, 0) / ratings.length) * 10) / 10;
}
