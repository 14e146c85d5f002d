import { Hono, type Context } from 'hono';
import type { Deps } from '../../../deps.js';
import { AppError, errorResponse } from '../../../http/errors.js';
import { apiRefusal, jsonObject, readSignedJson } from '../../../http/signed-json.js';
import type { Result } from '../../../shared/result.js';
import { isValidMidtransSignature, normaliseMidtransNotification } from './midtrans.js';
import { settleChannelEvent, type ChannelEvent } from './payment-event.js';
import { isValidXenditToken, normaliseXenditEwallet, normaliseXenditFixedPaymentCode } from './xendit.js';

/**
 * Payment providers' callbacks (Midtrans, Xendit), each normalised into one payment event and settled by
 * applyPaymentNotification. Mounted at /api/v1/channels (README "Payment channels"):
 *
 * - POST /midtrans/notifications     Midtrans HTTP notification; `signature_key` checked (401 invalid_signature)
 * - POST /xendit/ewallet             Xendit e-wallet charge callback; `x-callback-token` checked (401)
 * - POST /xendit/retail-outlet       Xendit fixed payment code (Alfamart/Indomaret) paid callback; token checked (401)
 *
 * Every accepted callback gets 200 with `{ status: applied | duplicate | unmatched (+ reason) | ignored (+ reason,
 * providerStatus) }`: both providers retry anything else. Malformed bodies get 400 invalid_request, never a 5xx. A
 * provider whose credentials are not configured (production without MIDTRANS_SERVER_KEY / XENDIT_CALLBACK_TOKEN) does
 * not exist here: 404 not_found for every call.
 */
export function channelRoutes(deps: Deps) {
  const app = new Hono();

  app.post('/midtrans/notifications', async (c) => {
    const midtrans = deps.config.channels.midtrans;
    if (!midtrans) {
      return errorResponse(c, 'not_found', undefined, 'the Midtrans channel is not configured');
    }
    // The signature covers fields inside the body, so the body is parsed first: unparseable JSON is 400; anything
    // parseable is then refused with 401 unless its signature_key verifies, before any field is trusted.
    const body = await readSignedJson(c, {
      shape: jsonObject,
      verify: { body: (b) => isValidMidtransSignature(b, midtrans.serverKey) },
      refuse: apiRefusal('signature_key'),
    });
    return settle(c, deps, normaliseMidtransNotification(body));
  });

  const xendit = (normalise: (body: Record<string, unknown>) => Result<ChannelEvent, 'invalid_request'>) => async (c: Context) => {
    const channel = deps.config.channels.xendit;
    if (!channel) {
      return errorResponse(c, 'not_found', undefined, 'the Xendit channel is not configured');
    }
    // The token is a header: checked before the body is read, so a forged call is 401 whatever it carries.
    const body = await readSignedJson(c, {
      shape: jsonObject,
      verify: { request: () => isValidXenditToken(channel.callbackToken, c.req.header('x-callback-token')) },
      refuse: apiRefusal('x-callback-token'),
    });
    return settle(c, deps, normalise(body));
  };
  app.post('/xendit/ewallet', xendit(normaliseXenditEwallet));
  app.post('/xendit/retail-outlet', xendit(normaliseXenditFixedPaymentCode));

  return app;
}

async function settle(c: Context, deps: Deps, event: Result<ChannelEvent, 'invalid_request'>): Promise<Response> {
  if (!event.ok) {
    throw new AppError(event.code, event.field, event.detail);
  }
  return c.json(await settleChannelEvent(deps, event.value), 200);
}
