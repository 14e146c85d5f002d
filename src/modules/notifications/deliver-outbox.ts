import { sql } from 'kysely';
import type { Deps } from '../../deps.js';
import { startBackgroundLoop } from '../../shared/backoff.js';
import type { OutboxMessage } from '../../db/database.js';
import { renderCardPdf } from '../cards/index.js';
import { enqueueMemberActivated } from '../webhooks/index.js';
import { renderStoredMessage } from './stored-message.js';
import type { EmailSender } from './transports/email-sender.js';
import type { SmsSender } from './transports/sms-sender.js';

export interface Transports {
  email: EmailSender | null;
  sms: SmsSender | null;
}

class NoTransportError extends Error {}

export const DELIVERY_POLICY = { batchSizeMax: 20, attemptsMax: 8, leaseMs: 5 * 60_000, backoffBaseMs: 30_000 } as const;

/**
 * Delivers due messages at least once. Rows are claimed by pushing their next attempt past a lease inside a short
 * transaction (FOR UPDATE SKIP LOCKED, so several workers never take the same row); the sending itself happens
 * outside any transaction. Without a configured transport, a message counts as delivered to the development outbox.
 */
export async function deliverDueMessages(deps: Deps, transports: Transports): Promise<number> {
  const now = deps.clock.now();
  const claimed = await deps.db.transaction().execute(async (trx) => {
    const rows = await trx
      .selectFrom('outbox_message')
      .selectAll()
      .where('status', '=', 'pending')
      .where('next_attempt_at', '<=', now)
      .orderBy('next_attempt_at')
      .limit(DELIVERY_POLICY.batchSizeMax)
      .forUpdate()
      .skipLocked()
      .execute();
    if (rows.length > 0) {
      await trx
        .updateTable('outbox_message')
        .set({ next_attempt_at: new Date(now.getTime() + DELIVERY_POLICY.leaseMs), attempts: sql`attempts + 1` })
        .where('id', 'in', rows.map((r) => r.id))
        .execute();
      await relayActivations(trx, rows, now);
    }
    return rows;
  });
  for (const msg of claimed) {
    await deliverOne(deps, transports, msg);
  }
  return claimed.length;
}

/**
 * A card message is written by the settlement that made the member active (a first bill paid): claiming it queues the
 * `member.activated` webhook of a partner-paid member in the same transaction (src/modules/webhooks; idempotent by the
 * message id, so a message claimed again queues nothing new).
 */
async function relayActivations(trx: Parameters<typeof enqueueMemberActivated>[0], rows: readonly OutboxMessage[], now: Date): Promise<void> {
  const activations = rows
    .filter((r) => r.template === 'card_issued' && typeof r.data['participantId'] === 'string')
    .map((r) => ({
      participantId: String(r.data['participantId']),
      sourceId: r.id,
      coveredThrough: typeof r.data['coveredThrough'] === 'string' ? r.data['coveredThrough'] : null,
      at: r.created_at,
    }));
  await enqueueMemberActivated(trx, activations, now);
}

async function deliverOne(deps: Deps, transports: Transports, msg: OutboxMessage): Promise<void> {
  if (msg.channel === 'email' && msg.recipient === '') {
    // A worker registered at a counter without an email address: the settlement still queues its card/receipt email
    // (to the member's empty address); the counter sent the card link by SMS instead. Nothing to deliver, no retry.
    await deps.db.updateTable('outbox_message').set({ status: 'failed', last_error: 'no email address (registered at a counter without one; informed by SMS)' }).where('id', '=', msg.id).execute();
    return;
  }
  try {
    const { subject, body } = renderStoredMessage(msg, { publicBaseUrl: deps.config.publicBaseUrl, cardSigner: deps.cardSigner });
    if (msg.channel === 'email' && transports.email) {
      const attachments = msg.data['attachCard'] === true ? await cardAttachment(deps, String(msg.data['participantId'])) : [];
      await transports.email.send({ to: msg.recipient, subject, text: body, attachments, messageId: `<${msg.id}@lindung>` });
    } else if (msg.channel === 'sms' && transports.sms) {
      await transports.sms.send({ to: msg.recipient, text: body, idempotencyKey: msg.id });
    } else if (!deps.config.isDevelopment) {
      // In development the outbox itself is the delivery (GET /dev/outbox); in production a message with no
      // configured transport has not reached anyone, and must not be recorded as sent.
      throw new NoTransportError(`no ${msg.channel} transport configured (set ${msg.channel === 'email' ? 'SMTP_URL' : 'SMS_GATEWAY_URL'})`);
    }
    await deps.db.updateTable('outbox_message').set({ status: 'sent', sent_at: deps.clock.now(), last_error: null }).where('id', '=', msg.id).execute();
  } catch (err) {
    const attempts = msg.attempts + 1;
    const failed = attempts >= DELIVERY_POLICY.attemptsMax || err instanceof NoTransportError;
    deps.logger.warn('message delivery failed', { messageId: msg.id, channel: msg.channel, attempts, error: String(err) });
    await deps.db
      .updateTable('outbox_message')
      .set({
        status: failed ? 'failed' : 'pending',
        last_error: String(err).slice(0, 500),
        next_attempt_at: new Date(deps.clock.now().getTime() + DELIVERY_POLICY.backoffBaseMs * 2 ** (attempts - 1)),
      })
      .where('id', '=', msg.id)
      .execute();
  }
}

async function cardAttachment(deps: Deps, participantId: string) {
  const card = await deps.memberCard(deps, participantId);
  if (!card) {
    return [];
  }
  return [{ filename: `kartu-bpjs-${card.kpj}.pdf`, content: await renderCardPdf(card), contentType: 'application/pdf' }];
}

/**
 * Polls the outbox until stopped; one loop per process. A failed pass (the database away) is logged and the loop
 * backs off (src/shared/backoff.ts) instead of dying; stop() wakes it from its sleep.
 */
export function startOutboxWorker(deps: Deps, transports: Transports, intervalMs = 1000): { stop(): Promise<void> } {
  return startBackgroundLoop(async () => (await deliverDueMessages(deps, transports)) > 0, { intervalMs, logger: deps.logger, errorMessage: 'outbox worker error' });
}
