import type { Logger } from './logger.js';

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

/**
 * A background loop (outbox worker, job runner) until stop(): a pass that did work (`pass` returns true) is followed
 * at once by the next, an idle one by the interval's sleep; a pass that throws is logged as `errorMessage` and the
 * loop backs off (createLoopSleep) instead of dying. stop() wakes it from its sleep and waits for the pass under way.
 */
export function startBackgroundLoop(
  pass: () => Promise<boolean>,
  options: { intervalMs: number; logger: Pick<Logger, 'error'>; errorMessage: string },
): { stop(): Promise<void> } {
  const pause = createLoopSleep(options.intervalMs);
  let stopped = false;
  const loop = async () => {
    while (!stopped) {
      try {
        const busy = await pass();
        pause.succeeded();
        if (busy) {
          continue;
        }
      } catch (err) {
        pause.failed();
        options.logger.error(options.errorMessage, { error: String(err), retryInMs: pause.nextMs });
      }
      if (!stopped) {
        await pause.sleep();
      }
    }
  };
  const running = loop();
  return {
    async stop() {
      stopped = true;
      pause.wake();
      await running;
    },
  };
}

/**
 * The wait before the next try after `failures` consecutive failures (1-based): `baseMs` doubled per further failure,
 * at most `maxMs` (payout retries, src/modules/claims/payout-job.ts). Pure.
 */
export function backoffMs(failures: number, policy: { baseMs: number; maxMs: number }): number {
  return Math.min(policy.maxMs, policy.baseMs * 2 ** Math.max(0, failures - 1));
}
