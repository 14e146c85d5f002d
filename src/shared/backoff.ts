/**
 * Sleeping between the passes of a background loop (outbox worker, job runner): the normal interval after a pass, and
 * after consecutive failures (a database that went away) an exponentially longer wait, capped, so a long outage is
 * neither hammered nor logged every second. `wake()` ends a sleep at once (stopping the loop).
 */
export function createLoopSleep(intervalMs: number, maxBackoffMs = 30_000) {
  let failures = 0;
  let wake: (() => void) | null = null;
  return {
    /** The wait after the current pass: `intervalMs`, doubled per consecutive failure, at most `maxBackoffMs`. */
    get nextMs(): number {
      return failures === 0 ? intervalMs : Math.min(maxBackoffMs, Math.max(intervalMs, 1_000) * 2 ** (failures - 1));
    },
    succeeded(): void {
      failures = 0;
    },
    failed(): void {
      failures += 1;
    },
    sleep(): Promise<void> {
      const ms = this.nextMs;
      return new Promise<void>((resolve) => {
        const timer = setTimeout(done, ms);
        function done() {
          clearTimeout(timer);
          wake = null;
          resolve();
        }
        wake = done;
      });
    },
    wake(): void {
      wake?.();
    },
  };
}
