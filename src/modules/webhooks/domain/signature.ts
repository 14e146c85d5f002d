import { createHmac, randomBytes, timingSafeEqual } from 'node:crypto';

/**
 * Webhook signatures as the Standard Webhooks spec (https://www.standardwebhooks.com) defines them, so that any of its
 * verifiers (the npm package `standardwebhooks`, Svix's libraries) accepts ours:
 * - the secret is shown once as `whsec_<base64 of 32 random bytes>`; the HMAC key is the decoded bytes;
 * - the signed content is `<webhook-id>.<webhook-timestamp>.<body>` (the timestamp in whole seconds since the epoch,
 *   the body exactly as sent);
 * - `webhook-signature` is `v1,<base64 HMAC-SHA256>` (a space-separated list; a receiver accepts any matching one).
 */
export const SECRET_PREFIX = 'whsec_';
const SECRET_BYTES = 32;

/** A fresh signing secret, `whsec_<base64>`. */
export function generateWebhookSecret(): string {
  return `${SECRET_PREFIX}${randomBytes(SECRET_BYTES).toString('base64')}`;
}

function secretKey(secret: string): Buffer {
  const key = Buffer.from(secret.startsWith(SECRET_PREFIX) ? secret.slice(SECRET_PREFIX.length) : secret, 'base64');
  if (key.length === 0) {
    throw new Error('empty webhook secret');
  }
  return key;
}

export interface SignedHeaders {
  'webhook-id': string;
  'webhook-timestamp': string;
  'webhook-signature': string;
}

/** The three headers of a message `id` with `body` sent at `at`. */
export function signWebhook(secret: string, id: string, at: Date, body: string): SignedHeaders {
  const timestamp = String(Math.floor(at.getTime() / 1000));
  const mac = createHmac('sha256', secretKey(secret)).update(`${id}.${timestamp}.${body}`).digest('base64');
  return { 'webhook-id': id, 'webhook-timestamp': timestamp, 'webhook-signature': `v1,${mac}` };
}

/** Tolerance of a receiver's clock check (the spec's 5 minutes), against replays of an old message. */
export const TIMESTAMP_TOLERANCE_SECONDS = 5 * 60;

/**
 * What a receiver does (docs/webhooks.md shows the same in a few lines): recompute the signature over the raw body,
 * compare in constant time with every `v1,` entry, and refuse a timestamp more than 5 minutes from its own clock.
 */
export function verifyWebhook(secret: string, headers: Partial<SignedHeaders>, body: string, now: Date): boolean {
  const id = headers['webhook-id'];
  const timestamp = headers['webhook-timestamp'];
  const signatures = headers['webhook-signature'];
  if (!id || !timestamp || !signatures || !/^\d+$/.test(timestamp)) {
    return false;
  }
  if (Math.abs(now.getTime() / 1000 - Number(timestamp)) > TIMESTAMP_TOLERANCE_SECONDS) {
    return false;
  }
  const expected = Buffer.from(createHmac('sha256', secretKey(secret)).update(`${id}.${timestamp}.${body}`).digest('base64'));
  return signatures.split(' ').some((entry) => {
    const [version, mac] = entry.split(',');
    const given = Buffer.from(mac ?? '');
    return version === 'v1' && given.length === expected.length && timingSafeEqual(given, expected);
  });
}
