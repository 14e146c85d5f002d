import { describe, expect, it } from 'vitest';
import { withinMs } from './deadline.js';

describe('withinMs', () => {
  it('gives what the work settles to when it is in time, its error included', async () => {
    expect(await withinMs(Promise.resolve(7), 1_000, () => 0)).toBe(7);
    await expect(withinMs(Promise.reject(new Error('boom')), 1_000, () => 0)).rejects.toThrow('boom');
  });

  it('gives what late() returns, or throws, when the work does not settle in time', async () => {
    const never = new Promise<number>(() => {});
    expect(await withinMs(never, 5, () => -1)).toBe(-1);
    await expect(
      withinMs(never, 5, () => {
        throw new Error('late');
      }),
    ).rejects.toThrow('late');
  });
});
