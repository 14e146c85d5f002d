/** Every time-dependent rule reads the injected clock, never Date.now(). */
export interface Clock {
  now(): Date;
}

export const systemClock: Clock = { now: () => new Date() };

/**
 * A clock that can be moved (development mode and tests). Set to an instant, it keeps running from there,
 * as a real server clock would; reset returns to real time.
 */
export class AdjustableClock implements Clock {
  #offsetMs = 0;

  constructor(private readonly base: Clock = systemClock) {}

  now(): Date {
    return new Date(this.base.now().getTime() + this.#offsetMs);
  }

  set(instant: Date | null): void {
    this.#offsetMs = instant === null ? 0 : instant.getTime() - this.base.now().getTime();
  }

  advance(ms: number): void {
    this.#offsetMs += ms;
  }
}
