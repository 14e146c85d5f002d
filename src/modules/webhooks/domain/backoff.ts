import { createHash } from 'node:crypto';

/**
 * When a failed webhook delivery is tried again (issue 17 item 2): after the n-th failed attempt, the n-th delay of
 * the schedule (1 min, 5 min, 30 min, 2 h, 6 h, 12 h, 24 h), stretched by a jitter of 0–10 % so that the deliveries
 * of one outage do not all come back at the same second; after the last one the delivery is failed. The jitter is
 * drawn from the delivery id and the attempt (a hash), so the same delivery always gets the same times: a pure
 * function, testable, and the same on every runner.
 */
export const WEBHOOK_RETRY_SCHEDULE_MS: readonly number[] = [60_000, 5 * 60_000, 30 * 60_000, 2 * 3_600_000, 6 * 3_600_000, 12 * 3_600_000, 24 * 3_600_000];
export const WEBHOOK_JITTER_SHARE = 0.1;
/** Attempts a delivery gets in all: the first and one per delay of the schedule. */
export const WEBHOOK_ATTEMPTS_MAX = WEBHOOK_RETRY_SCHEDULE_MS.length + 1;

/** A number in [0, 1) from the delivery id and the attempt. */
export function jitterFraction(deliveryId: string, attempt: number): number {
  const digest = createHash('sha256').update(`${deliveryId}#${attempt}`).digest();
  return digest.readUInt32BE(0) / 2 ** 32;
}

/**
 * The time of the next attempt after `failedAttempts` attempts failed (1-based, the last one at `now`), or null when
 * the schedule is used up (the delivery is then failed).
 */
export function nextWebhookAttemptAt(deliveryId: string, failedAttempts: number, now: Date): Date | null {
  const base = WEBHOOK_RETRY_SCHEDULE_MS[failedAttempts - 1];
  if (base === undefined) {
    return null;
  }
  const jitter = Math.floor(base * WEBHOOK_JITTER_SHARE * jitterFraction(deliveryId, failedAttempts));
  return new Date(now.getTime() + base + jitter);
}

export type AttemptOutcome = { kind: 'delivered' } | { kind: 'endpoint_gone' } | { kind: 'retry'; at: Date } | { kind: 'failed' };

/**
 * What an attempt's answer means: any 2xx delivered; 410 Gone disables the endpoint (the receiver says it is gone for
 * good) and fails the delivery; anything else (another status, a timeout, a refused connection: statusCode null) is
 * retried on the schedule until it is used up.
 */
export function attemptOutcome(deliveryId: string, attempt: number, statusCode: number | null, now: Date): AttemptOutcome {
  if (statusCode !== null && statusCode >= 200 && statusCode < 300) {
    return { kind: 'delivered' };
  }
  if (statusCode === 410) {
    return { kind: 'endpoint_gone' };
  }
  const at = nextWebhookAttemptAt(deliveryId, attempt, now);
  return at ? { kind: 'retry', at } : { kind: 'failed' };
}
