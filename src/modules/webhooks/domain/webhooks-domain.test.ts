import { describe, expect, it } from 'vitest';
import { attemptOutcome, jitterFraction, nextWebhookAttemptAt, WEBHOOK_ATTEMPTS_MAX, WEBHOOK_RETRY_SCHEDULE_MS } from './backoff.js';
import { checkEndpointUrl } from './endpoint-url.js';
import { openWebhookSecret, sealWebhookSecret } from './secret-seal.js';
import { generateWebhookSecret, signWebhook, verifyWebhook } from './signature.js';

const now = new Date('2026-12-07T10:00:00Z');
const MIN = 60_000;
const HOUR = 60 * MIN;

describe('webhook backoff (pure)', () => {
  it.each([
    [1, 1 * MIN],
    [2, 5 * MIN],
    [3, 30 * MIN],
    [4, 2 * HOUR],
    [5, 6 * HOUR],
    [6, 12 * HOUR],
    [7, 24 * HOUR],
  ])('after failed attempt %i the next one comes %i ms later, plus at most 10 %% jitter', (failed, base) => {
    const at = nextWebhookAttemptAt('evt_1', failed, now);
    expect(at).not.toBeNull();
    const delay = at!.getTime() - now.getTime();
    expect(delay).toBeGreaterThanOrEqual(base);
    expect(delay).toBeLessThan(base * 1.1);
  });

  it('is used up after the 8th attempt: the delivery is then failed', () => {
    expect(WEBHOOK_ATTEMPTS_MAX).toBe(8);
    expect(nextWebhookAttemptAt('evt_1', WEBHOOK_RETRY_SCHEDULE_MS.length + 1, now)).toBeNull();
    expect(attemptOutcome('evt_1', 8, 500, now)).toEqual({ kind: 'failed' });
  });

  it('the jitter is deterministic per delivery and attempt, and spreads deliveries apart', () => {
    expect(nextWebhookAttemptAt('evt_a', 3, now)).toEqual(nextWebhookAttemptAt('evt_a', 3, now));
    const spread = new Set(Array.from({ length: 50 }, (_, i) => nextWebhookAttemptAt(`evt_${i}`, 3, now)!.getTime()));
    expect(spread.size).toBeGreaterThan(45);
    for (let i = 0; i < 200; i++) {
      const f = jitterFraction(`x${i}`, 1);
      expect(f).toBeGreaterThanOrEqual(0);
      expect(f).toBeLessThan(1);
    }
  });

  it.each([
    [200, 'delivered'],
    [204, 'delivered'],
    [299, 'delivered'],
    [410, 'endpoint_gone'],
    [301, 'retry'],
    [404, 'retry'],
    [500, 'retry'],
    [null, 'retry'],
  ])('status %s → %s', (code, kind) => {
    expect(attemptOutcome('evt_1', 1, code, now).kind).toBe(kind);
  });
});

describe('webhook signatures (Standard Webhooks)', () => {
  it('signs <id>.<timestamp>.<body> with the whsec_ key; the verifier accepts it and refuses any change', () => {
    const secret = generateWebhookSecret();
    expect(secret).toMatch(/^whsec_[A-Za-z0-9+/]{43}=$/);
    const body = '{"type":"member.activated","data":{"kpj":"12345678901"}}';
    const h = signWebhook(secret, 'evt_1', now, body);
    expect(h['webhook-timestamp']).toBe(String(now.getTime() / 1000));
    expect(h['webhook-signature']).toMatch(/^v1,[A-Za-z0-9+/]{43}=$/);
    expect(verifyWebhook(secret, h, body, now)).toBe(true);
    expect(verifyWebhook(secret, h, body.replace('1"', '2"'), now)).toBe(false);
    expect(verifyWebhook(secret, { ...h, 'webhook-id': 'evt_2' }, body, now)).toBe(false);
    expect(verifyWebhook(generateWebhookSecret(), h, body, now)).toBe(false);
    // Several signatures (rotation on the receiver's side): any v1 entry that matches is enough.
    expect(verifyWebhook(secret, { ...h, 'webhook-signature': `v1,AAAA ${h['webhook-signature']}` }, body, now)).toBe(true);
    // A replay more than 5 minutes old is refused.
    expect(verifyWebhook(secret, h, body, new Date(now.getTime() + 6 * MIN))).toBe(false);
  });

  it('a known vector: the HMAC key is the base64-decoded part after whsec_', () => {
    // Standard Webhooks' reference test vector (its libraries' tests).
    const secret = 'whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw';
    const h = signWebhook(secret, 'msg_p5jXN8AQM9LWM0D4loKWxJek', new Date(1614265330 * 1000), '{"test": 2432232314}');
    expect(h['webhook-signature']).toBe('v1,g0hM9SsE+OTPJTGt/tmIKtSyZlE3uFJELVlNIOLJ1OE=');
  });
});

describe('webhook secret at rest and endpoint URLs', () => {
  const keys = { seal: [{ id: 'k2', key: Buffer.alloc(32, 2) }, { id: 'k1', key: Buffer.alloc(32, 1) }] };
  it('seals under the current key, opens with any key of the ring, refuses an altered value', () => {
    const sealed = sealWebhookSecret('whsec_abc', keys);
    expect(sealed).toMatch(/^v1:k2:/);
    expect(sealed).not.toContain('abc');
    expect(openWebhookSecret(sealed, keys)).toBe('whsec_abc');
    expect(openWebhookSecret(sealWebhookSecret('whsec_old', { seal: [keys.seal[1]!] }), keys)).toBe('whsec_old');
    const altered = sealed.slice(0, -4) + (sealed.endsWith('AAA=') ? 'BBB=' : 'AAA=');
    expect(() => openWebhookSecret(altered, keys)).toThrow();
    expect(() => openWebhookSecret(sealed, { seal: [keys.seal[1]!] })).toThrow();
  });

  it.each([
    ['https://mitra.example/hook', false, true],
    ['http://mitra.example/hook', false, false],
    ['http://127.0.0.1:8080/hook', true, true],
    ['ftp://mitra.example/hook', true, false],
    ['https://user:pw@mitra.example/hook', false, false],
    ['https://mitra.example/hook#x', false, false],
    ['/relative', true, false],
  ])('%s (http allowed: %s) → %s', (url, allowHttp, ok) => {
    expect(checkEndpointUrl(url, allowHttp).ok).toBe(ok);
  });
});
