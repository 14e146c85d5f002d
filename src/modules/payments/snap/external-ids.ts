import { localDateInJakarta } from '../../../shared/month.js';
import type { Clock } from '../../../shared/clock.js';
import { evictStaleAndOldest } from '../../../shared/bounded-cache.js';

/** Remembered requests at most (a day of a busy bank's inquiries and payments); the oldest go first. */
export const EXTERNAL_ID_STORE_MAX = 100_000;

export interface StoredResponse {
  status: number;
  body: unknown;
}

export type ExternalIdOutcome = { kind: 'answer'; response: StoredResponse } | { kind: 'conflict' };

/**
 * X-EXTERNAL-ID: "Reference number that should be unique in the same day" (ASPI Keamanan), per partner. Within one WIB
 * day:
 * - the same id with the same request (method, path and minified body) is a retransmission: it gets the first answer
 *   again, without running twice — also while the first is still being processed;
 * - the same id with a different request is `409xx00 Conflict` ("Cannot use same X-EXTERNAL-ID in same day").
 *
 * This guards requests, not money: a payment's idempotency is its paymentRequestId in the payment table (a bank's
 * retry of a payment comes with a new X-EXTERNAL-ID). So this registry can live in memory — after a restart a
 * retransmission is simply processed again, and the payment table still refuses to credit twice. Answers with a
 * server error are forgotten so that a retransmission is processed again.
 */
export class ExternalIdRegistry {
  readonly #entries = new Map<string, { fingerprint: string; day: string; response: Promise<StoredResponse> }>();

  constructor(
    private readonly clock: Clock,
    private readonly max: number = EXTERNAL_ID_STORE_MAX,
  ) {}

  async run(partnerId: string, externalId: string, fingerprint: string, handle: () => Promise<StoredResponse>): Promise<ExternalIdOutcome> {
    const day = localDateInJakarta(this.clock.now());
    const key = `${day}\u0000${partnerId}\u0000${externalId}`;
    const existing = this.#entries.get(key);
    if (existing) {
      return existing.fingerprint === fingerprint ? { kind: 'answer', response: await existing.response } : { kind: 'conflict' };
    }
    this.#evict(day);
    const response = handle();
    this.#entries.set(key, { fingerprint, day, response });
    try {
      const answered = await response;
      if (answered.status >= 500) {
        this.#entries.delete(key);
      }
      return { kind: 'answer', response: answered };
    } catch (err) {
      this.#entries.delete(key);
      throw err;
    }
  }

  get size(): number {
    return this.#entries.size;
  }

  #evict(today: string): void {
    evictStaleAndOldest(this.#entries, (entry) => entry.day < today, this.max);
  }
}
