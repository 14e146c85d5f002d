import { sql, type Expression, type Kysely, type SqlBool, type Transaction } from 'kysely';
import type { Database } from '../../db/database.js';
import type { Lang } from '../../shared/i18n/catalogue.js';
import { newId } from '../../shared/ids.js';
import { renderTemplate, type Template } from './templates.js';

export type Channel = 'email' | 'sms';

/**
 * Queues a message in the same transaction as the change that causes it: if the change rolls back, no message
 * leaves; if it commits, the worker delivers it at least once. With `onlyIf`, the message is queued only when that
 * condition holds, decided inside the one insert statement: the same statement runs either way (the login OTP uses it
 * so that a registered and an unknown phone cost the same work and reveal nothing by their timing). `lang` is the
 * recipient's language when it is known (nothing stores a member's language yet, so callers leave it: Indonesian).
 */
export async function enqueueMessage(
  trx: Transaction<Database>,
  input: { channel: Channel; to: string; now: Date; onlyIf?: Expression<SqlBool>; lang?: Lang } & { message: Template },
): Promise<void> {
  const rendered = renderTemplate(input.message, input.lang);
  const row = {
    id: newId('msg'),
    channel: input.channel,
    recipient: input.to,
    subject: rendered.subject,
    body: rendered.body,
    template: input.message.template,
    data: JSON.stringify(rendered.data),
    next_attempt_at: input.now,
    created_at: input.now,
  };
  if (input.onlyIf === undefined) {
    await trx.insertInto('outbox_message').values(row).execute();
    return;
  }
  await sql`
    insert into outbox_message (id, channel, recipient, subject, body, template, data, next_attempt_at, created_at)
    select ${row.id}::text, ${row.channel}::text, ${row.recipient}::text, ${row.subject}::text, ${row.body}::text,
           ${row.template}::text, ${row.data}::jsonb, ${row.next_attempt_at}::timestamptz, ${row.created_at}::timestamptz
    where ${input.onlyIf}
  `.execute(trx);
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
