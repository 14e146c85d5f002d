import { cardVerifyUrl } from '../cards/verify-url.js';
import type { CardSigner } from '../cards/card-token.js';
import { renderTemplate } from './templates.js';

export interface RenderContext {
  publicBaseUrl: string;
  cardSigner: CardSigner;
}

/**
 * Most messages are rendered when they are queued. The ones the settlement function queues inside the database (the
 * card and the receipt) carry only their template and data, and are rendered here when read or delivered; the card
 * link is signed then (deterministically: the same KPJ and issue time always give the same token).
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
  switch (row.template) {
    case 'card_issued': {
      const kpj = str('kpj');
      const verifyUrl = cardVerifyUrl(ctx.publicBaseUrl, ctx.cardSigner, kpj, new Date(str('issuedAt')));
      return renderTemplate({ template: 'card_issued', fullName: str('fullName'), kpj, coveredThrough: str('coveredThrough'), verifyUrl, participantId: str('participantId') });
    }
    case 'payment_receipt':
      return renderTemplate({
        template: 'payment_receipt',
        fullName: str('fullName'),
        kpj: str('kpj'),
        amount: Number(d['amount'] ?? 0),
        months: str('months'),
        paymentCode: str('paymentCode'),
      });
    default:
      return { subject: row.subject, body: row.body };
  }
}
