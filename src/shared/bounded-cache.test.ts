import { describe, expect, it } from 'vitest';
import { BoundedCache } from './bounded-cache.js';

describe('BoundedCache', () => {
  it('computes once per key and returns the same value after', () => {
    const cache = new BoundedCache<number>(10);
    let calls = 0;
    const f = () => ++calls;
    expect(cache.getOrCompute('a', f)).toBe(1);
    expect(cache.getOrCompute('a', f)).toBe(1);
    expect(calls).toBe(1);
  });

  it('never holds more than its bound, dropping the oldest entry first', () => {
    const cache = new BoundedCache<string>(3);
    for (const k of ['a', 'b', 'c', 'd']) {
      cache.getOrCompute(k, () => k.toUpperCase());
    }
    expect(cache.size).toBe(3);
    let recomputed = false;
    cache.getOrCompute('a', () => {
      recomputed = true;
      return 'A';
    });
    expect(recomputed).toBe(true);
  });
});
