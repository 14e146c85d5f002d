import { describe, expect, it } from 'vitest';
import { AdjustableClock } from '../../../shared/clock.js';
import { ACCESS_TOKEN_TTL_SECONDS, AccessTokenStore } from './access-token.js';

function clockAt(iso: string): AdjustableClock {
  const clock = new AdjustableClock();
  clock.set(new Date(iso));
  return clock;
}

describe('AccessTokenStore', () => {
  it('issues random opaque tokens valid for 900 seconds', () => {
    const clock = clockAt('2026-11-22T03:00:00Z');
    const store = new AccessTokenStore(clock);
    const a = store.issue('bank');
    const b = store.issue('bank');
    expect(a.expiresInSeconds).toBe(ACCESS_TOKEN_TTL_SECONDS);
    expect(ACCESS_TOKEN_TTL_SECONDS).toBe(900);
    expect(a.accessToken).toMatch(/^[A-Za-z0-9_-]{43}$/);
    expect(a.accessToken).not.toBe(b.accessToken);
    expect(store.verify(a.accessToken)).toEqual({ clientId: 'bank' });
    clock.advance(899_000);
    expect(store.verify(a.accessToken)).toEqual({ clientId: 'bank' });
    clock.advance(1_000);
    expect(store.verify(a.accessToken)).toBeNull();
  });

  it('knows nothing of other strings', () => {
    const store = new AccessTokenStore(clockAt('2026-11-22T03:00:00Z'));
    const { accessToken } = store.issue('bank');
    expect(store.verify(`${accessToken}x`)).toBeNull();
    expect(store.verify('')).toBeNull();
    expect(store.verify('x'.repeat(5000))).toBeNull();
  });

  it('is bounded: expired tokens go first, then the oldest live one', () => {
    const clock = clockAt('2026-11-22T03:00:00Z');
    const store = new AccessTokenStore(clock, 3);
    const a = store.issue('bank');
    clock.advance(500_000);
    const b = store.issue('bank');
    const c = store.issue('bank');
    expect(store.size).toBe(3);
    clock.advance(401_000); // a has expired, b and c live
    const d = store.issue('bank');
    expect(store.size).toBe(3);
    expect(store.verify(a.accessToken)).toBeNull();
    expect([b, c, d].every((t) => store.verify(t.accessToken))).toBe(true);
    const e = store.issue('bank'); // full of live tokens: the oldest (b) goes
    expect(store.size).toBe(3);
    expect(store.verify(b.accessToken)).toBeNull();
    expect([c, d, e].every((t) => store.verify(t.accessToken))).toBe(true);
  });
});
