import { createHash, createPublicKey, type KeyObject } from 'node:crypto';
import { Hono, type Context } from 'hono';
import { bodyLimit } from 'hono/body-limit';
import type { Deps } from '../../../deps.js';
import { safeEqual } from '../../../shared/crypto.js';
import { AccessTokenStore } from './access-token.js';
import { ExternalIdRegistry, type StoredResponse } from './external-ids.js';
import { isObject, optionalText, readAmount, requiredText, SnapFieldError, snapAmount, type JsonObject } from './fields.js';
import { readQrNotify } from './qris-notify.js';
import { SNAP_SERVICE, snapStatus, type SnapCase, type SnapService } from './response-codes.js';
import { settleSnapPayment } from './settle.js';
import {
  checkSnapTimestamp,
  formatSnapTimestamp,
  minifyJson,
  parseSnapDateTime,
  transactionStringToSign,
  verifyAccessTokenSignature,
  verifyTransactionSignature,
} from './signature.js';
import {
  billDetails,
  freeTexts,
  INQUIRY_REASONS,
  inquireMemberVa,
  memberVirtualAccount,
  readVaNumber,
  resolveVaPayment,
  vaExternalId,
  vaPaymentAnswer,
  type Bilingual,
} from './virtual-account.js';

/** SNAP bodies are small JSON documents; anything larger is refused before it is read in full. */
export const SNAP_BODY_MAX_BYTES = 64 * 1024;

const NOT_CONFIGURED = 'SNAP channel not configured';
const REJECTED: Bilingual = { english: 'Rejected', indonesia: 'Ditolak' };
/** X-PARTNER-ID String(36), X-EXTERNAL-ID String(36) "numeric" (letters and '-' tolerated), CHANNEL-ID String(5). */
const PARTNER_ID = /^[\x21-\x7e]{1,36}$/;
const EXTERNAL_ID = /^[A-Za-z0-9-]{1,36}$/;
const CHANNEL_ID = /^[\x21-\x7e]{1,5}$/;
const REQUEST_ID = /^[\x20-\x7e]{1,128}$/;

class BadRequest extends Error {}

function parseJsonObject(raw: string): JsonObject {
  let json: unknown;
  try {
    json = JSON.parse(raw);
  } catch {
    throw new BadRequest('malformed JSON');
  }
  if (!isObject(json)) {
    throw new BadRequest('the body must be a JSON object');
  }
  return json;
}

function loadPublicKey(pem: string, deps: Deps): KeyObject | null {
  try {
    return createPublicKey(pem);
  } catch (err) {
    deps.logger.error('SNAP_PARTNER_PUBLIC_KEY is not a usable public key: the SNAP endpoints refuse every call', { error: String(err) });
    return null;
  }
}

/** The path from the API version on (`/v1.0/transfer-va/inquiry`), i.e. without the mount prefix (`/snap`). */
function versionRelative(path: string): string {
  const i = path.search(/\/v\d+\.\d+\//);
  return i > 0 ? path.slice(i) : path;
}

/** Best-effort echo of the request's identifiers in an error answer (strings only, bounded). */
function echo(body: JsonObject | undefined, fields: readonly string[]): Record<string, string> {
  const out: Record<string, string> = {};
  for (const f of fields) {
    const v = body?.[f];
    if (typeof v === 'string' && v.length <= 128) {
      out[f] = v;
    }
  }
  return out;
}

/**
 * The answer to an access-token request over the rate limit (mounted in app.ts, before the route): SNAP-shaped
 * 429 Too Many Requests (4297300), with X-TIMESTAMP and Retry-After.
 */
export function snapAccessTokenRateLimited(deps: Pick<Deps, 'clock'>) {
  return (c: Context, refusal: { retryAfter: number }): Response => {
    const s = snapStatus(SNAP_SERVICE.accessTokenB2b, 'tooManyRequests');
    c.header('X-TIMESTAMP', formatSnapTimestamp(deps.clock.now()));
    c.header('Retry-After', String(refusal.retryAfter));
    return c.json({ responseCode: s.responseCode, responseMessage: s.responseMessage }, 429);
  };
}

interface Authenticated {
  raw: string;
  partnerId: string;
  externalId: string;
  channelId: string;
}

/**
 * BI-SNAP endpoints a bank or acquirer calls, mounted at /snap:
 * - POST /v1.0/access-token/b2b (service 73) — asymmetric signature, issues a 900-second bearer token;
 * - POST /v1.0/transfer-va/inquiry (24) and /v1.0/transfer-va/payment (25) — a member's stable VA (KPJ);
 * - POST /v1.0/qr/qr-mpm-notify (52) — the QRIS acquirer's payment notification.
 *
 * Transactional requests carry `Authorization: Bearer <token>`, X-TIMESTAMP, X-SIGNATURE (HMAC-SHA512, signature.ts),
 * X-PARTNER-ID, X-EXTERNAL-ID and CHANNEL-ID. EndpointUrl in the string to sign is the path as the partner calls it,
 * mount prefix included (`/snap/v1.0/transfer-va/inquiry`, plus any query string): ASPI asks for the full relative
 * path. A partner whose gateway signs the path relative to the base URL we registered with it
 * (`/v1.0/transfer-va/inquiry`) is accepted too — both name the same endpoint. Every answer is SNAP-shaped
 * (responseCode = HTTP + service + case, response-codes.ts) and carries X-TIMESTAMP; no input yields a 5xx except a
 * server fault (500xx01).
 */
export function snapRoutes(deps: Deps) {
  const app = new Hono();
  const snap = deps.config.channels.snap;
  const publicKey = snap ? loadPublicKey(snap.partnerPublicKeyPem, deps) : null;
  const tokens = new AccessTokenStore(deps.clock);
  const externalIds = new ExternalIdRegistry(deps.clock);

  function answer(service: SnapService, kase: SnapCase, extra: Record<string, unknown> = {}, detail?: string): StoredResponse {
    const s = snapStatus(service, kase, detail);
    return { status: s.httpStatus, body: { responseCode: s.responseCode, responseMessage: s.responseMessage, ...extra } };
  }

  function send(c: Context, stored: StoredResponse, headers: Record<string, string> = {}): Response {
    c.header('X-TIMESTAMP', formatSnapTimestamp(deps.clock.now()));
    for (const [k, v] of Object.entries(headers)) {
      c.header(k, v);
    }
    return c.json(stored.body as object, stored.status as 200);
  }

  const limit = (service: SnapService) =>
    bodyLimit({ maxSize: SNAP_BODY_MAX_BYTES, onError: (c) => send(c, answer(service, 'badRequest', {}, 'body too large')) });

  /** Header checks shared by the transactional endpoints; on failure, the answer to send. */
  async function authenticate(c: Context, service: SnapService): Promise<Authenticated | StoredResponse> {
    if (!snap || !publicKey) {
      return answer(service, 'unauthorized', {}, NOT_CONFIGURED);
    }
    const timestamp = c.req.header('x-timestamp');
    const signature = c.req.header('x-signature');
    if (!timestamp) {
      return answer(service, 'invalidMandatoryField', {}, 'X-TIMESTAMP');
    }
    if (!signature) {
      return answer(service, 'invalidMandatoryField', {}, 'X-SIGNATURE');
    }
    const bearer = /^Bearer +(\S+)$/i.exec(c.req.header('authorization') ?? '');
    const token = bearer?.[1];
    if (!token || !tokens.verify(token)) {
      return answer(service, 'invalidToken');
    }
    const ts = checkSnapTimestamp(timestamp, deps.clock.now());
    if (!ts.ok) {
      return answer(service, 'invalidFieldFormat', {}, 'X-TIMESTAMP');
    }
    const raw = await c.req.text();
    const url = new URL(c.req.url);
    const paths = [...new Set([url.pathname + url.search, versionRelative(url.pathname) + url.search])];
    const minifiers: ((s: string) => string)[] = [minifyJson];
    try {
      // A partner that minifies by re-serialising (JSON.stringify(JSON.parse(body))) hashes the same content spelled
      // differently when the body has escapes or integer-like keys: accepted as the same request.
      const reserialised = JSON.stringify(JSON.parse(raw));
      if (reserialised !== minifyJson(raw)) {
        minifiers.push(() => reserialised);
      }
    } catch {
      // not JSON: only the raw minification can match; the body is refused after authentication
    }
    const candidates = paths.flatMap((endpointUrl) =>
      minifiers.map((minify) => transactionStringToSign({ method: c.req.method, endpointUrl, accessToken: token, body: raw, timestamp }, minify)),
    );
    if (!verifyTransactionSignature(snap.clientSecret, candidates, signature)) {
      deps.logger.warn('snap: transaction signature refused', { path: url.pathname });
      return answer(service, 'unauthorized', {}, 'Signature');
    }
    const headers = [
      ['X-PARTNER-ID', PARTNER_ID],
      ['X-EXTERNAL-ID', EXTERNAL_ID],
      ['CHANNEL-ID', CHANNEL_ID],
    ] as const;
    const values: string[] = [];
    for (const [name, pattern] of headers) {
      const v = c.req.header(name);
      if (!v) {
        return answer(service, 'invalidMandatoryField', {}, name);
      }
      if (!pattern.test(v)) {
        return answer(service, 'invalidFieldFormat', {}, name);
      }
      values.push(v);
    }
    const [partnerId, externalId, channelId] = values as [string, string, string];
    return { raw, partnerId, externalId, channelId };
  }

  /**
   * Authenticates, then runs the handler once per X-EXTERNAL-ID and request (a retransmission gets the first answer;
   * the same id with another request is 409xx00). Field errors and malformed JSON become SNAP 400 answers; a server
   * fault is logged and answered 500xx01 (and forgotten, so a retransmission is processed again).
   */
  function transactional(
    service: SnapService,
    onError: (body: JsonObject | undefined) => Record<string, unknown>,
    handle: (body: JsonObject, auth: Authenticated) => Promise<StoredResponse>,
  ) {
    return async (c: Context) => {
      const auth = await authenticate(c, service);
      if (!('raw' in auth)) {
        return send(c, auth);
      }
      const fingerprint = createHash('sha256').update(`${c.req.method} ${new URL(c.req.url).pathname} ${minifyJson(auth.raw)}`).digest('hex');
      const outcome = await externalIds.run(auth.partnerId, auth.externalId, fingerprint, async () => {
        let body: JsonObject | undefined;
        try {
          body = parseJsonObject(auth.raw);
          return await handle(body, auth);
        } catch (err) {
          if (err instanceof BadRequest) {
            return answer(service, 'badRequest', onError(undefined));
          }
          if (err instanceof SnapFieldError) {
            return answer(service, err.kase, onError(body), err.field);
          }
          deps.logger.error('snap: request failed', { service, error: err instanceof Error ? (err.stack ?? err.message) : String(err) });
          return answer(service, 'internalServerError', onError(body));
        }
      });
      if (outcome.kind === 'conflict') {
        return send(c, answer(service, 'conflict', onError(undefined), 'Cannot use same X-EXTERNAL-ID in same day'));
      }
      return send(c, outcome.response);
    };
  }

  // --- Access token B2B (service 73) -------------------------------------------------------------------------------
  app.post('/v1.0/access-token/b2b', limit(SNAP_SERVICE.accessTokenB2b), async (c) => {
    const S = SNAP_SERVICE.accessTokenB2b;
    if (!snap || !publicKey) {
      return send(c, answer(S, 'unauthorized', {}, NOT_CONFIGURED));
    }
    const timestamp = c.req.header('x-timestamp');
    const clientKey = c.req.header('x-client-key');
    const signature = c.req.header('x-signature');
    for (const [name, value] of [['X-TIMESTAMP', timestamp], ['X-CLIENT-KEY', clientKey], ['X-SIGNATURE', signature]] as const) {
      if (!value) {
        return send(c, answer(S, 'invalidMandatoryField', {}, name));
      }
    }
    if (!checkSnapTimestamp(timestamp as string, deps.clock.now()).ok) {
      return send(c, answer(S, 'invalidFieldFormat', {}, 'X-TIMESTAMP'));
    }
    if (!safeEqual(clientKey as string, snap.clientId)) {
      return send(c, answer(S, 'unauthorized', {}, 'Unknown client'));
    }
    if (!verifyAccessTokenSignature(publicKey, snap.clientId, timestamp as string, signature as string)) {
      deps.logger.warn('snap: access token signature refused');
      return send(c, answer(S, 'unauthorized', {}, 'Signature'));
    }
    try {
      const body = parseJsonObject(await c.req.text());
      if (requiredText(body, 'grantType', 64) !== 'client_credentials') {
        throw new SnapFieldError('invalidFieldFormat', 'grantType');
      }
    } catch (err) {
      if (err instanceof BadRequest) {
        return send(c, answer(S, 'badRequest'));
      }
      if (err instanceof SnapFieldError) {
        return send(c, answer(S, err.kase, {}, err.field));
      }
      throw err;
    }
    const issued = tokens.issue(snap.clientId);
    return send(
      c,
      answer(S, 'success', { accessToken: issued.accessToken, tokenType: 'Bearer', expiresIn: String(issued.expiresInSeconds), additionalInfo: {} }),
      { 'X-CLIENT-KEY': snap.clientId },
    );
  });

  // --- Virtual account inquiry (service 24) ------------------------------------------------------------------------
  const inquiryError = (body: JsonObject | undefined) => ({
    virtualAccountData: {
      inquiryStatus: '01',
      inquiryReason: REJECTED,
      ...echo(body, ['partnerServiceId', 'customerNo', 'virtualAccountNo', 'inquiryRequestId']),
    },
  });
  app.post(
    '/v1.0/transfer-va/inquiry',
    limit(SNAP_SERVICE.vaInquiry),
    transactional(SNAP_SERVICE.vaInquiry, inquiryError, async (body) => {
      const S = SNAP_SERVICE.vaInquiry;
      const psid = (snap as NonNullable<typeof snap>).partnerServiceId;
      const { received, kpj } = readVaNumber(body, psid);
      const inquiryRequestId = requiredText(body, 'inquiryRequestId', 128, REQUEST_ID);
      optionalText(body, 'language', 2);
      readAmount(body, 'amount', false);
      const result = await inquireMemberVa(deps, kpj);
      if (!result.ok) {
        const reason = result.reason === 'not_found' ? INQUIRY_REASONS.notFound : INQUIRY_REASONS.notBillable;
        return answer(
          S,
          'billNotFound',
          {
            virtualAccountData: {
              inquiryStatus: '01',
              inquiryReason: reason,
              ...received,
              virtualAccountName: result.member?.nameMasked ?? '',
              inquiryRequestId,
            },
          },
          result.reason === 'not_found' ? 'Not Found' : 'Not Billable',
        );
      }
      const va = memberVirtualAccount(psid, received.customerNo);
      deps.logger.info('snap: VA inquiry answered', { kpj, paymentCode: result.bill.paymentCode, amount: result.bill.amount, issued: result.issued });
      return answer(S, 'success', {
        virtualAccountData: {
          inquiryStatus: '00',
          inquiryReason: INQUIRY_REASONS.success,
          ...va,
          virtualAccountName: result.member.nameMasked,
          inquiryRequestId,
          totalAmount: snapAmount(result.bill.amount),
          billDetails: billDetails(result.bill),
          freeTexts: freeTexts(result.bill),
          virtualAccountTrxType: 'C',
          additionalInfo: { paymentCode: result.bill.paymentCode, months: result.bill.months, expiresAt: formatSnapTimestamp(result.bill.expiresAt) },
        },
      });
    }),
  );

  // --- Virtual account payment (service 25) ------------------------------------------------------------------------
  const paymentError = (body: JsonObject | undefined) => ({
    virtualAccountData: {
      paymentFlagStatus: '01',
      paymentFlagReason: REJECTED,
      ...echo(body, ['partnerServiceId', 'customerNo', 'virtualAccountNo', 'paymentRequestId']),
    },
  });
  app.post(
    '/v1.0/transfer-va/payment',
    limit(SNAP_SERVICE.vaPayment),
    transactional(SNAP_SERVICE.vaPayment, paymentError, async (body) => {
      const S = SNAP_SERVICE.vaPayment;
      const psid = (snap as NonNullable<typeof snap>).partnerServiceId;
      const { received, kpj } = readVaNumber(body, psid);
      const paymentRequestId = requiredText(body, 'paymentRequestId', 128, REQUEST_ID);
      const paidAmount = readAmount(body, 'paidAmount', true) as number;
      const totalAmount = readAmount(body, 'totalAmount', false);
      const trxDateTime = optionalText(body, 'trxDateTime', 35);
      const paidAt = trxDateTime === undefined ? deps.clock.now() : parseSnapDateTime(trxDateTime);
      if (!paidAt) {
        throw new SnapFieldError('invalidFieldFormat', 'trxDateTime');
      }
      const flagAdvise = optionalText(body, 'flagAdvise', 1, /^[YN]$/);
      const referenceNo = optionalText(body, 'referenceNo', 64);

      const externalId = vaExternalId(psid, paymentRequestId);
      const target = await resolveVaPayment(deps, { kpj, va: received, externalId });
      const settlement = await settleSnapPayment(deps, { externalId, paymentCode: target.paymentCode, amount: paidAmount, channel: 'va', paidAt }, 'trxDateTime');
      const a = vaPaymentAnswer(settlement);
      const fields = { kpj, externalId, paymentCode: target.paymentCode, amount: paidAmount, settlement: settlement.status, flagAdvise };
      if (a.kase === 'success') {
        deps.logger.info('snap: VA payment settled', fields);
      } else {
        deps.logger.warn('snap: VA payment not applied to a bill (kept for reconciliation)', { ...fields, responseCase: a.kase });
      }
      const va = target.member ? memberVirtualAccount(psid, received.customerNo) : received;
      const recordedAmount = settlement.status === 'inconsistent' ? settlement.recorded.amount : paidAmount;
      return answer(
        S,
        a.kase,
        {
          virtualAccountData: {
            paymentFlagReason: a.reason,
            ...va,
            virtualAccountName: target.member?.nameMasked ?? '',
            paymentRequestId,
            paidAmount: snapAmount(recordedAmount),
            totalAmount: snapAmount(target.bill?.amount ?? totalAmount ?? paidAmount),
            ...(trxDateTime !== undefined ? { trxDateTime } : {}),
            ...(referenceNo !== undefined ? { referenceNo } : {}),
            ...(flagAdvise !== undefined ? { flagAdvise } : {}),
            paymentFlagStatus: a.flag,
            billDetails: target.bill ? billDetails(target.bill) : [],
          },
          additionalInfo: {},
        },
        a.detail,
      );
    }),
  );

  // --- QRIS payment notification (service 52) ----------------------------------------------------------------------
  app.post(
    '/v1.0/qr/qr-mpm-notify',
    limit(SNAP_SERVICE.qrMpmNotify),
    transactional(
      SNAP_SERVICE.qrMpmNotify,
      () => ({}),
      async (body) => {
        const S = SNAP_SERVICE.qrMpmNotify;
        const event = readQrNotify(body, deps.clock.now());
        if (event.kind === 'ignored') {
          const fields = { originalReferenceNo: event.originalReferenceNo, originalPartnerReferenceNo: event.originalPartnerReferenceNo, status: event.status };
          if (event.status === 'refunded') {
            deps.logger.warn('snap: QRIS refund notified: nothing reversed here (staff refund workflow)', fields);
          } else {
            deps.logger.info('snap: QRIS notification without money received: acknowledged, nothing settled', fields);
          }
          return answer(S, 'success', { additionalInfo: { settlement: 'ignored', transactionStatus: event.status } });
        }
        const n = event.notification;
        const settlement = await settleSnapPayment(deps, n, 'additionalInfo.paidTime');
        const fields = { externalId: n.externalId, paymentCode: n.paymentCode, amount: n.amount, settlement: settlement.status, paymentCodeFrom: event.paymentCodeFrom };
        if (settlement.status === 'inconsistent') {
          deps.logger.warn('snap: QRIS notification conflicts with the payment recorded under its reference', fields);
          return answer(S, 'inconsistentRequest', { additionalInfo: { settlement: 'inconsistent' } });
        }
        const reason = settlement.status === 'unmatched' ? settlement.reason : settlement.status === 'duplicate' ? (settlement.recorded.unmatchedReason ?? undefined) : undefined;
        if (reason) {
          deps.logger.warn('snap: QRIS payment not applied to a bill (kept for reconciliation)', { ...fields, reason });
        } else {
          deps.logger.info('snap: QRIS payment settled', fields);
        }
        // The acquirer has already taken the payer's money: the notification is acknowledged once recorded, whatever
        // the settlement; an unmatched payment waits in suspense for staff (reconciliation, refund).
        return answer(S, 'success', { additionalInfo: { settlement: settlement.status, ...(reason ? { reason } : {}) } });
      },
    ),
  );

  return app;
}
