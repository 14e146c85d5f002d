import { jsonPoster, type HttpClientOptions } from '../../../shared/http-client.js';

export interface SmsSender {
  send(msg: { to: string; text: string; idempotencyKey: string }): Promise<{ providerMessageId: string }>;
}

/**
 * Client for a generic Indonesian HTTP SMS gateway (most local aggregators share this shape):
 *   POST <url>  Authorization: Bearer <token>, Idempotency-Key: <key>
 *   { sender_id?, recipient_number: "628…", message_body, reference_id: <key> }
 *   → 2xx { success: true, msg_id: "…" }
 * Anything else (non-2xx, success:false, bad JSON, network error, timeout) throws so the worker retries;
 * the idempotency key is sent both as header and reference_id so a retry after a lost response is not
 * delivered twice by gateways that honour either.
 */
export function createHttpSmsSender(opts: {
  url: string;
  token: string;
  senderId?: string;
} & HttpClientOptions): SmsSender {
  const post = jsonPoster(opts);
  return {
    async send(msg) {
      const res = await post(
        opts.url,
        JSON.stringify({
          sender_id: opts.senderId,
          recipient_number: toMsisdn(msg.to),
          message_body: msg.text,
          reference_id: msg.idempotencyKey,
        }),
        { authorization: `Bearer ${opts.token}`, 'idempotency-key': msg.idempotencyKey },
      );
      const body = await res.text();
      if (!res.ok) throw new Error(`sms gateway HTTP ${res.status}: ${body.slice(0, 500)}`);
      let parsed: unknown;
      try {
        parsed = JSON.parse(body);
      } catch {
        throw new Error(`sms gateway HTTP ${res.status}: unparseable body: ${body.slice(0, 500)}`);
      }
      const r = parsed as { success?: unknown; msg_id?: unknown } | null;
      if (r?.success !== true || (typeof r.msg_id !== 'string' && typeof r.msg_id !== 'number')) {
        throw new Error(`sms gateway rejected (HTTP ${res.status}): ${body.slice(0, 500)}`);
      }
      return { providerMessageId: String(r.msg_id) };
    },
  };
}

/** '+62812…' → '62812…' (gateways want the MSISDN without '+'). Callers must already hold E.164. */
export function toMsisdn(e164: string): string {
  if (!/^\+[1-9]\d{7,14}$/.test(e164)) throw new RangeError(`not an E.164 number: ${e164}`);
  return e164.slice(1);
}
