import { z } from '@hono/zod-openapi';
import { UNMATCHED_REASONS } from '../../db/database.js';
import type { Deps } from '../../deps.js';
import { unwrap } from '../../http/errors.js';
import { createOpenApiApp } from '../../http/openapi-app.js';
import { jsonResponse, ZError } from '../../http/schemas.js';
import { apiRefusal, readSignedJson, zodShape } from '../../http/signed-json.js';
import { hmacSha256Hex, safeEqual } from '../../shared/crypto.js';
import { applyPaymentNotification, fingerprint, genericExternalId, PAYMENT_AMOUNT_MAX, PAYMENT_CHANNELS } from './apply-payment.js';

const ZNotification = z
  .object({
    externalId: z.string().min(1).max(128),
    paymentCode: z.string().min(1).max(64),
    // Rp100 billion per notification: far above any contribution bill (at most Rp627.800 × 12) yet small enough that
    // ledger sums over all money the scheme could ever hold stay exact JavaScript integers.
    amount: z.number().int().positive().max(PAYMENT_AMOUNT_MAX),
    channel: z.enum(PAYMENT_CHANNELS),
    paidAt: z.iso.datetime({ offset: true }),
  })
  .openapi('PaymentNotification');
const notificationShape = zodShape(ZNotification);

const ZNotificationResult = z
  .object({
    status: z.enum(['applied', 'duplicate', 'unmatched']),
    reason: z.enum(UNMATCHED_REASONS).optional(),
    walletCredit: z
      .number()
      .int()
      .positive()
      .optional()
      .openapi({ description: "Rupiah credited to the member's contribution wallet: the excess of a payment larger than its bill, or the whole amount of a top-up. Absent for an exact payment." }),
    topUp: z
      .literal(true)
      .optional()
      .openapi({ description: "The payment code was a member's top-up code ('7' + KPJ + check digit): the money went to their contribution wallet, not to a bill." }),
  })
  .openapi('PaymentNotificationResult');

/** HMAC-SHA256 of the raw body with the shared secret, compared in constant time. */
export function isValidSignature(secret: string, rawBody: string, signature: string | undefined): boolean {
  if (!signature) {
    return false;
  }
  return safeEqual(hmacSha256Hex(secret, rawBody), signature.trim().toLowerCase());
}

/**
 * A generic id that is now escaped (genericExternalId) may have been recorded as given before the escape existed, or
 * be the very payment its channel recorded under that id: the same content there is the same money, answered as a
 * duplicate rather than recorded a second time under the escaped id.
 */
async function isRecordedUnescaped(deps: Deps, externalId: string, fp: string): Promise<boolean> {
  const row = await deps.db.selectFrom('payment').select('fingerprint').where('external_id', '=', externalId).executeTakeFirst();
  return row?.fingerprint === fp;
}

export function paymentRoutes(deps: Deps) {
  const app = createOpenApiApp();
  // Documented through the registry but handled by hand: the signature must be checked over the raw bytes before
  // anything parses them, so a forged request is refused with 401 whatever its body.
  app.openAPIRegistry.registerPath({
    method: 'post',
    path: '/payments/notifications',
    tags: ['Pembayaran (payments)'],
    summary: 'Payment channel notification (signed: X-Signature = hex HMAC-SHA256 of the raw body)',
    request: {
      headers: z.object({ 'X-Signature': z.string() }),
      body: { content: { 'application/json': { schema: ZNotification } }, required: true },
    },
    responses: {
      200: jsonResponse(ZNotificationResult, 'applied (a bill, or a top-up / overpayment excess to the member wallet: walletCredit), duplicate, or unmatched (kept for reconciliation)'),
      400: jsonResponse(ZError, 'invalid_request'),
      401: jsonResponse(ZError, 'invalid_signature'),
      409: jsonResponse(ZError, 'external_id_conflict'),
      422: jsonResponse(ZError, 'invalid_paid_at: paidAt more than 5 minutes ahead of the server clock, or before the bill was issued; nothing recorded'),
    },
  });
  app.post('/payments/notifications', async (c) => {
    const data = await readSignedJson(c, {
      verify: { raw: (raw) => isValidSignature(deps.config.paymentWebhookSecret, raw, c.req.header('x-signature')) },
      shape: notificationShape,
      refuse: apiRefusal(),
    });
    const n = { ...data, externalId: genericExternalId(data.externalId), paidAt: new Date(data.paidAt) };
    if (n.externalId !== data.externalId && (await isRecordedUnescaped(deps, data.externalId, fingerprint(n)))) {
      return c.json({ status: 'duplicate' as const }, 200);
    }
    const outcome = unwrap(await applyPaymentNotification(deps, n));
    return c.json(outcome, 200);
  });
  return app;
}
