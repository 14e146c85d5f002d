import type { Kysely, Transaction } from 'kysely';
import type { Database } from '../../db/database.js';
import { newId } from '../../shared/ids.js';
import { renderTemplate, type Template } from './templates.js';

export type Channel = 'email' | 'sms';

/**
 * Queues a message in the same transaction as the change that causes it: if the change rolls back, no message
 * leaves; if it commits, the worker delivers it at least once.
 */
export async function enqueueMessage(
  trx: Transaction<Database>,
  input: { channel: Channel; to: string; now: Date } & { message: Template },
): Promise<void> {
  const rendered = renderTemplate(input.message);
  await trx
    .insertInto('outbox_message')
    .values({
      id: newId('msg'),
      channel: input.channel,
      recipient: input.to,
      subject: rendered.subject,
      body: rendered.body,
      template: input.message.template,
      data: JSON.stringify(rendered.data),
      next_attempt_at: input.now,
      created_at: input.now,
    })
    .execute();
}

export async function listMessagesTo(db: Kysely<Database>, recipients: readonly string[], limit = 200) {
  return db
    .selectFrom('outbox_message')
    .select(['recipient', 'channel', 'subject', 'body', 'created_at', 'data', 'status', 'template'])
    .where('recipient', 'in', recipients)
    .orderBy('created_at', 'desc')
    .orderBy('seq', 'desc')
    .limit(limit)
    .execute();
}
