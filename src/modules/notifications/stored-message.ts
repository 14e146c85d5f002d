import { cardVerifyUrl, type CardSigner } from '../cards/index.js';
import { isLang, type Lang } from '../../shared/i18n/catalogue.js';
import { renderTemplate } from './templates.js';

export interface RenderContext {
  publicBaseUrl: string;
  cardSigner: CardSigner;
}

/**
 * Most messages are rendered when they are queued. The ones queued by set-based SQL — the settlement functions (the
 * card, the receipt, the wallet's receipt) and the monthly cycle's jobs (due reminders, status changes) — carry only
 * their template and data, and are rendered here when read or delivered; the card link is signed then
 * (deterministically: the same KPJ and issue time always give the same token). A row whose data names a language
 * (`lang: 'en'`) renders in it; every other row in Indonesian.
 */
export function renderStoredMessage(
  row: { subject: string; body: string; template: string; data: Record<string, unknown> },
  ctx: RenderContext,
): { subject: string; body: string } {
  if (row.body !== '') {
    return { subject: row.subject, body: row.body };
  }
  const d = row.data;
  const str = (k: string) => String(d[k] ?? '');
  const strOrNull = (k: string) => (typeof d[k] === 'string' && d[k] !== '' ? d[k] : null);
  const lang: Lang = typeof d['lang'] === 'string' && isLang(d['lang']) ? d['lang'] : 'id';
  switch (row.template) {
    case 'card_issued': {
      const kpj = str('kpj');
      const verifyUrl = cardVerifyUrl(ctx.publicBaseUrl, ctx.cardSigner, kpj, new Date(str('issuedAt')));
      return renderTemplate({ template: 'card_issued', fullName: str('fullName'), kpj, coveredThrough: str('coveredThrough'), verifyUrl, participantId: str('participantId') }, lang);
    }
    case 'payment_receipt':
      return renderTemplate({
        template: 'payment_receipt',
        fullName: str('fullName'),
        kpj: str('kpj'),
        amount: Number(d['amount'] ?? 0),
        months: str('months'),
        paymentCode: str('paymentCode'),
      }, lang);
    case 'due_reminder_email':
    case 'due_reminder_sms':
      return renderTemplate({
        template: row.template,
        fullName: str('fullName'),
        kpj: str('kpj'),
        kind: oneOf(d['kind'], ['h3', 'due', 'overdue'] as const, 'due'),
        month: str('month'),
        firstMonth: str('firstMonth') || str('month'),
        monthCount: Number(d['monthCount'] ?? 1),
        dueDate: str('dueDate'),
        amount: typeof d['amount'] === 'number' ? d['amount'] : null,
        payBy: strOrNull('payBy'),
      }, lang);
    case 'status_changed_email':
    case 'status_changed_sms':
      return renderTemplate({
        template: row.template,
        fullName: str('fullName'),
        kpj: str('kpj'),
        from: oneOf(d['from'], STATUSES, 'active'),
        to: oneOf(d['to'], STATUSES, 'active'),
        effectiveDate: str('effectiveDate'),
        reason: str('reason'),
        coveredThrough: str('coveredThrough'),
        firstUnpaid: strOrNull('firstUnpaid'),
        payBy: strOrNull('payBy'),
        arrearsWindowMonths: Number(d['arrearsWindowMonths'] ?? 3),
      }, lang);
    case 'wallet_credited':
      return renderTemplate({
        template: 'wallet_credited',
        fullName: str('fullName'),
        kpj: str('kpj'),
        kind: oneOf(d['kind'], ['topup', 'overpayment', 'manual_assignment'] as const, 'topup'),
        amount: Number(d['amount'] ?? 0),
        balance: Number(d['balance'] ?? 0),
        paymentCode: strOrNull('paymentCode'),
      }, lang);
    case 'wallet_contribution':
      return renderTemplate({
        template: 'wallet_contribution',
        fullName: str('fullName'),
        kpj: str('kpj'),
        amount: Number(d['amount'] ?? 0),
        firstMonth: str('firstMonth'),
        lastMonth: str('lastMonth'),
        balance: Number(d['balance'] ?? 0),
      }, lang);
    default:
      return { subject: row.subject, body: row.body };
  }
}

const STATUSES = ['active', 'arrears', 'inactive'] as const;

function oneOf<T extends string>(value: unknown, allowed: readonly T[], fallback: T): T {
  return typeof value === 'string' && (allowed as readonly string[]).includes(value) ? (value as T) : fallback;
}
