import { describe, expect, it } from 'vitest';
import { loadConfig } from '../config.js';
import { addressKey, clientAddress, parseRateLimits, RATE_LIMIT_BUCKETS, retryAfterSeconds, windowOf } from './rate-limits.js';

describe('RATE_LIMITS', () => {
  it('unset or "on" = the defaults; "off" = none; overrides replace single buckets', () => {
    expect(parseRateLimits(undefined)).toEqual({ ok: true, value: RATE_LIMIT_BUCKETS });
    expect(parseRateLimits('on')).toEqual({ ok: true, value: RATE_LIMIT_BUCKETS });
    expect(parseRateLimits('off')).toEqual({ ok: true, value: null });
    const parsed = parseRateLimits('signin-ip=5/30, quote-ip = 1000/60');
    expect(parsed.ok && parsed.value).toEqual({ ...RATE_LIMIT_BUCKETS, 'signin-ip': { limit: 5, windowSeconds: 30 }, 'quote-ip': { limit: 1000, windowSeconds: 60 } });
  });

  it('a value it cannot read stops the server at start, naming the problem', () => {
    expect(() => loadConfig({ NODE_ENV: 'development', RATE_LIMITS: 'login=5/60' })).toThrow(/unknown bucket "login"/);
    expect(() => loadConfig({ NODE_ENV: 'development', RATE_LIMITS: 'signin-ip=5' })).toThrow(/bucket=LIMIT\/SECONDS/);
    expect(() => loadConfig({ NODE_ENV: 'development', RATE_LIMITS: 'signin-ip=0/60' })).toThrow(/at least 1/);
  });
});

describe('fixed windows', () => {
  it('are aligned to multiples of their length; Retry-After counts whole seconds to the end, at least 1', () => {
    const now = Date.parse('2026-11-22T03:10:42.300Z');
    expect(windowOf(now, 60)).toEqual({ start: new Date('2026-11-22T03:10:00Z'), end: new Date('2026-11-22T03:11:00Z') });
    expect(windowOf(now, 900).start).toEqual(new Date('2026-11-22T03:00:00Z'));
    expect(retryAfterSeconds(now, windowOf(now, 60).end)).toBe(18);
    expect(retryAfterSeconds(Date.parse('2026-11-22T03:10:59.999Z'), windowOf(now, 60).end)).toBe(1);
  });
});

describe('client address', () => {
  it('is the socket address unless TRUST_PROXY trusts that many X-Forwarded-For hops from the right', () => {
    expect(clientAddress('10.0.0.1', '1.1.1.1', 0)).toBe('10.0.0.1');
    expect(clientAddress('10.0.0.1', '1.1.1.1, 203.0.113.5', 1)).toBe('203.0.113.5');
    expect(clientAddress('10.0.0.1', '1.1.1.1, 203.0.113.5, 10.0.0.2', 2)).toBe('203.0.113.5');
    expect(clientAddress('10.0.0.1', undefined, 1)).toBe('10.0.0.1');
    expect(clientAddress('10.0.0.1', '203.0.113.5', 5)).toBe('203.0.113.5'); // fewer hops than trusted: the leftmost
    expect(clientAddress(undefined, undefined, 0)).toBe('unknown');
  });

  it('IPv4-mapped addresses count as IPv4; IPv6 addresses count by their /64', () => {
    expect(addressKey('::ffff:192.0.2.7')).toBe('192.0.2.7');
    expect(addressKey('2001:db8:1:2:aaaa::1')).toBe('2001:db8:1:2::/64');
    expect(addressKey('2001:0db8:0001:0002:ffff:ffff:ffff:ffff')).toBe('2001:db8:1:2::/64');
    expect(addressKey('2001:db8::1')).toBe('2001:db8:0:0::/64');
    expect(addressKey('::1')).toBe('0:0:0:0::/64');
    expect(addressKey('not-an-address')).toBe('not-an-address');
  });
});
