import { randomInt } from 'node:crypto';

/**
 * A small seeded PRNG (mulberry32) and the few draws the simulation needs. Same seed, same sequence of draws:
 * a failing run is replayed with SIM_SEED=<seed>.
 */
export class Rng {
  #state: number;

  constructor(readonly seed: number) {
    this.#state = seed >>> 0;
  }

  /** Uniform in [0, 1). */
  next(): number {
    this.#state = (this.#state + 0x6d2b79f5) >>> 0;
    let t = this.#state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4_294_967_296;
  }

  /** Integer in [min, max]. */
  int(min: number, max: number): number {
    return min + Math.floor(this.next() * (max - min + 1));
  }

  chance(p: number): boolean {
    return this.next() < p;
  }

  pick<T>(items: readonly T[]): T {
    if (items.length === 0) {
      throw new Error('rng.pick from an empty list');
    }
    return items[Math.floor(this.next() * items.length)] as T;
  }

  /** Picks a key by weight. */
  weighted<K extends string>(weights: Readonly<Record<K, number>>): K {
    const entries = Object.entries(weights) as [K, number][];
    const total = entries.reduce((s, [, w]) => s + w, 0);
    let r = this.next() * total;
    for (const [k, w] of entries) {
      r -= w;
      if (r < 0) {
        return k;
      }
    }
    return (entries[entries.length - 1] as [K, number])[0];
  }

  /** Fisher–Yates on a copy. */
  shuffle<T>(items: readonly T[]): T[] {
    const out = [...items];
    for (let i = out.length - 1; i > 0; i--) {
      const j = Math.floor(this.next() * (i + 1));
      [out[i], out[j]] = [out[j] as T, out[i] as T];
    }
    return out;
  }
}

/** SIM_SEED (decimal or 0x-hex) when set, else a fresh random seed. */
export function seedFromEnv(env: Record<string, string | undefined> = process.env): number {
  const raw = env['SIM_SEED']?.trim();
  if (raw) {
    const n = Number(raw);
    if (!Number.isSafeInteger(n) || n < 0) {
      throw new Error(`SIM_SEED must be a non-negative integer, got ${raw}`);
    }
    return n >>> 0;
  }
  return randomInt(0, 2 ** 31);
}

/** A positive integer from the environment variable `name`, else `fallback`. */
export function positiveIntFromEnv(name: string, fallback: number, env: Record<string, string | undefined> = process.env): number {
  const raw = env[name]?.trim();
  if (!raw) {
    return fallback;
  }
  const n = Number(raw);
  if (!Number.isSafeInteger(n) || n < 1) {
    throw new Error(`${name} must be a positive integer, got ${raw}`);
  }
  return n;
}

/** SIM_STEPS, else `fallback`. */
export function stepsFromEnv(fallback: number, env: Record<string, string | undefined> = process.env): number {
  return positiveIntFromEnv('SIM_STEPS', fallback, env);
}
