import { sql } from 'kysely';
import type { Deps } from '../../deps.js';
import { startBackgroundLoop } from '../../shared/backoff.js';
import { attemptOutcome } from './domain/backoff.js';
import { openWebhookSecret } from './domain/secret-seal.js';
import { signWebhook } from './domain/signature.js';

/**
 * Delivery of queued webhook events (the outbox worker's pattern): due rows are claimed in a short transaction (FOR
 * UPDATE SKIP LOCKED; their next attempt pushed past a lease, the attempt counted), then POSTed outside any
 * transaction, a few at a time, each cut off after `timeoutMs`; each answer is logged in webhook_attempt and decides
 * the delivery (domain/backoff.ts: 2xx delivered, 410 disables the endpoint, anything else retried on the schedule).
 */
export const WEBHOOK_DELIVERY_POLICY = { batchSizeMax: 20, concurrency: 4, timeoutMs: 10_000, leaseMs: 5 * 60_000, errorLengthMax: 500 } as const;

export interface DeliverOptions {
  /** The fetch to use (default: the global one). */
  fetch?: typeof fetch;
  /** Milliseconds for one attempt, the whole exchange (default 10 s). */
  timeoutMs?: number;
  concurrency?: number;
}

interface Claimed {
  id: string;
  participantId: string;
  endpointId: string;
  payload: unknown;
  attempt: number;
}

async function claimDue(deps: Deps): Promise<Claimed[]> {
  const now = deps.clock.now();
  return deps.db.transaction().execute(async (trx) => {
    const rows = await trx
      .selectFrom('webhook_delivery')
      .select(['id', 'participant_id', 'endpoint_id', 'payload', 'attempts'])
      .where('status', '=', 'pending')
      .where('next_attempt_at', '<=', now)
      .orderBy('next_attempt_at')
      .limit(WEBHOOK_DELIVERY_POLICY.batchSizeMax)
      .forUpdate()
      .skipLocked()
      .execute();
    for (const r of rows) {
      await trx
        .updateTable('webhook_delivery')
        .set({ next_attempt_at: new Date(now.getTime() + WEBHOOK_DELIVERY_POLICY.leaseMs), attempts: sql`attempts + 1` })
        .where('participant_id', '=', r.participant_id)
        .where('id', '=', r.id)
        .execute();
    }
    return rows.map((r) => ({ id: r.id, participantId: r.participant_id, endpointId: r.endpoint_id, payload: r.payload, attempt: r.attempts + 1 }));
  });
}

/** One pass: claims and sends what is due by deps.clock; returns how many deliveries were attempted. */
export async function deliverDueWebhooks(deps: Deps, options: DeliverOptions = {}): Promise<number> {
  const claimed = await claimDue(deps);
  const queue = [...claimed];
  const lanes = Math.max(1, Math.min(options.concurrency ?? WEBHOOK_DELIVERY_POLICY.concurrency, queue.length));
  await Promise.all(
    Array.from({ length: lanes }, async () => {
      for (let next = queue.shift(); next; next = queue.shift()) {
        await deliverOne(deps, next, options);
      }
    }),
  );
  return claimed.length;
}

type Sent = { statusCode: number | null; error: string | null; ms: number };

async function post(url: string, body: string, headers: Record<string, string>, options: DeliverOptions): Promise<Sent> {
  const timeoutMs = options.timeoutMs ?? WEBHOOK_DELIVERY_POLICY.timeoutMs;
  const started = performance.now();
  try {
    const res = await (options.fetch ?? globalThis.fetch)(url, {
      method: 'POST',
      headers: { 'content-type': 'application/json', 'user-agent': 'Lindung-Webhooks/1', ...headers },
      body,
      redirect: 'manual',
      signal: AbortSignal.timeout(timeoutMs),
    });
    await res.body?.cancel().catch(() => undefined);
    return { statusCode: res.status, error: res.ok ? null : `HTTP ${res.status}`, ms: Math.round(performance.now() - started) };
  } catch (err) {
    const timedOut = err instanceof Error && (err.name === 'TimeoutError' || err.name === 'AbortError');
    const error = timedOut ? `timeout after ${timeoutMs} ms` : String(err instanceof Error && err.cause ? err.cause : err);
    return { statusCode: null, error: error.slice(0, WEBHOOK_DELIVERY_POLICY.errorLengthMax), ms: Math.round(performance.now() - started) };
  }
}

async function deliverOne(deps: Deps, d: Claimed, options: DeliverOptions): Promise<void> {
  const endpoint = await deps.db.selectFrom('webhook_endpoint').selectAll().where('id', '=', d.endpointId).executeTakeFirstOrThrow();
  const where = { participant_id: d.participantId, id: d.id };
  if (!endpoint.active) {
    await deps.db.updateTable('webhook_delivery').set({ status: 'failed', last_error: `endpoint disabled: ${endpoint.disabled_reason ?? ''}`.trim() }).where('participant_id', '=', where.participant_id).where('id', '=', where.id).execute();
    return;
  }
  const body = JSON.stringify(d.payload);
  const secret = openSecret(endpoint.secret_sealed, deps);
  // A secret that no longer opens (its key left NIK_KEYS) counts as a failed attempt: nothing unsigned is ever sent.
  const sent = secret === null ? { statusCode: null, error: 'the endpoint secret does not open (set the endpoint again)', ms: 0 } : await post(endpoint.url, body, { ...signWebhook(secret, d.id, deps.clock.now(), body) }, options);
  const now = deps.clock.now();
  const outcome = attemptOutcome(d.id, d.attempt, sent.statusCode, now);
  await deps.db.transaction().execute(async (trx) => {
    await trx
      .insertInto('webhook_attempt')
      .values({ participant_id: d.participantId, delivery_id: d.id, attempt: d.attempt, at: now, status_code: sent.statusCode, duration_ms: sent.ms, error: sent.error })
      .onConflict((oc) => oc.columns(['participant_id', 'delivery_id', 'attempt']).doNothing())
      .execute();
    const base = { last_status_code: sent.statusCode, last_error: sent.error };
    const set =
      outcome.kind === 'delivered'
        ? { ...base, status: 'delivered', delivered_at: now }
        : outcome.kind === 'retry'
          ? { ...base, status: 'pending', next_attempt_at: outcome.at }
          : { ...base, status: 'failed', last_error: outcome.kind === 'endpoint_gone' ? 'HTTP 410: endpoint disabled' : sent.error };
    await trx.updateTable('webhook_delivery').set(set).where('participant_id', '=', d.participantId).where('id', '=', d.id).execute();
    if (outcome.kind === 'endpoint_gone') {
      await trx.updateTable('webhook_endpoint').set({ active: false, disabled_reason: `HTTP 410 at ${now.toISOString()}`, updated_at: now }).where('id', '=', endpoint.id).execute();
    }
  });
  if (outcome.kind !== 'delivered') {
    deps.logger.warn('webhook attempt failed', { deliveryId: d.id, attempt: d.attempt, statusCode: sent.statusCode, error: sent.error, outcome: outcome.kind });
  }
}

function openSecret(sealed: string, deps: Deps): string | null {
  try {
    return openWebhookSecret(sealed, deps.config.nik);
  } catch (err) {
    deps.logger.error('webhook secret does not open', { error: String(err) });
    return null;
  }
}

/** Sends due webhooks until stopped (one loop per process, next to the outbox worker); backs off while the database is away. */
export function startWebhookWorker(deps: Deps, options: DeliverOptions & { intervalMs?: number } = {}): { stop(): Promise<void> } {
  return startBackgroundLoop(async () => (await deliverDueWebhooks(deps, options)) > 0, { intervalMs: options.intervalMs ?? 1000, logger: deps.logger, errorMessage: 'webhook worker error' });
}
