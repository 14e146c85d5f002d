/**
 * The notifications module's facade: the outbox (enqueue in the caller's transaction), templates, due reminders, the delivery worker and transports.
 * Other modules, src/web, the composition root and the jobs import this module only through this file; everything
 * else under this folder is internal (the boundary rule in .dependency-cruiser.cjs; tests may import deeper).
 */
export { startOutboxWorker, type Transports } from './deliver-outbox.js';
export { type AudienceRow, type PriceRow, queueRemindersBatch, readReminderBatch, type ReminderCombo } from './due-reminders.js';
export { enqueueMessage, listMessagesTo } from './outbox.js';
export { renderStoredMessage } from './stored-message.js';
export { renderTemplate } from './templates.js';
export { createSmtpEmailSender } from './transports/email-sender.js';
export { createHttpSmsSender } from './transports/sms-sender.js';
