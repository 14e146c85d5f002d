import type { Context } from 'hono';
import { Hono } from 'hono';
import type { Deps } from '../../../deps.js';
import { jsonObject, readSignedJson, type IngressFault } from '../../../http/signed-json.js';
import { safeEqual } from '../../../shared/crypto.js';
import type { StoredResponse } from './external-ids.js';
import { optionalText, readAmount, requiredText, SnapFieldError, snapAmount, type JsonObject } from './fields.js';
import { readQrNotify } from './qris-notify.js';
import { SNAP_SERVICE, snapStatus } from './response-codes.js';
import { settleSnapPayment } from './settle.js';
import { checkSnapTimestamp, formatSnapTimestamp, parseSnapDateTime, verifyAccessTokenSignature } from './signature.js';
import {
  answering,
  NOT_CONFIGURED,
  sendSnap,
  snapAnswer,
  snapBodyLimit,
  snapEndpoint,
  SnapRefusal,
  transactional,
  type SnapConfig,
  type SnapEndpoint,
} from './snap-endpoint.js';
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

export { SNAP_BODY_MAX_BYTES } from './snap-endpoint.js';

const REJECTED: Bilingual = { english: 'Rejected', indonesia: 'Ditolak' };
const REQUEST_ID = /^[\x20-\x7e]{1,128}$/;

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

// --- Access token B2B (service 73) ---------------------------------------------------------------------------------
/** The headers of an access-token request, each present, fresh and from the configured client. */
function accessTokenHeaders(ep: SnapEndpoint, c: Context, snap: SnapConfig): { timestamp: string; signature: string } {
  const S = SNAP_SERVICE.accessTokenB2b;
  const timestamp = c.req.header('x-timestamp');
  const clientKey = c.req.header('x-client-key');
  const signature = c.req.header('x-signature');
  for (const [name, value] of [['X-TIMESTAMP', timestamp], ['X-CLIENT-KEY', clientKey], ['X-SIGNATURE', signature]] as const) {
    if (!value) {
      throw new SnapRefusal(snapAnswer(S, 'invalidMandatoryField', {}, name));
    }
  }
  if (!checkSnapTimestamp(timestamp as string, ep.deps.clock.now()).ok) {
    throw new SnapRefusal(snapAnswer(S, 'invalidFieldFormat', {}, 'X-TIMESTAMP'));
  }
  if (!safeEqual(clientKey as string, snap.clientId)) {
    throw new SnapRefusal(snapAnswer(S, 'unauthorized', {}, 'Unknown client'));
  }
  return { timestamp: timestamp as string, signature: signature as string };
}

/** Access token refusals: an asymmetric signature that does not verify is 401xx00, a body that is no JSON object 400xx00. */
function accessTokenRefusal(fault: IngressFault): SnapRefusal {
  const S = SNAP_SERVICE.accessTokenB2b;
  return new SnapRefusal(fault.kind === 'signature' ? snapAnswer(S, 'unauthorized', {}, 'Signature') : snapAnswer(S, 'badRequest'));
}

/** POST /v1.0/access-token/b2b: checks the client's asymmetric signature over its id and timestamp, issues a token. */
async function accessToken(ep: SnapEndpoint, c: Context): Promise<Response> {
  const S = SNAP_SERVICE.accessTokenB2b;
  const { snap, publicKey } = ep;
  if (!snap || !publicKey) {
    return sendSnap(ep.deps, c, snapAnswer(S, 'unauthorized', {}, NOT_CONFIGURED));
  }
  const h = accessTokenHeaders(ep, c, snap);
  const verified = () => {
    const ok = verifyAccessTokenSignature(publicKey, snap.clientId, h.timestamp, h.signature);
    if (!ok) {
      ep.deps.logger.warn('snap: access token signature refused');
    }
    return ok;
  };
  const body = await readSignedJson(c, { shape: jsonObject, verify: { request: verified }, refuse: accessTokenRefusal });
  try {
    if (requiredText(body, 'grantType', 64) !== 'client_credentials') {
      throw new SnapFieldError('invalidFieldFormat', 'grantType');
    }
  } catch (err) {
    if (err instanceof SnapFieldError) {
      return sendSnap(ep.deps, c, snapAnswer(S, err.kase, {}, err.field));
    }
    throw err;
  }
  const issued = ep.tokens.issue(snap.clientId);
  return sendSnap(
    ep.deps,
    c,
    snapAnswer(S, 'success', { accessToken: issued.accessToken, tokenType: 'Bearer', expiresIn: String(issued.expiresInSeconds), additionalInfo: {} }),
    { 'X-CLIENT-KEY': snap.clientId },
  );
}

// --- Virtual account inquiry (service 24) and payment (service 25) -------------------------------------------------
/** The virtualAccountData of a refused VA request: its status '01', reason Rejected, and the identifiers it carried. */
function vaRefused(statusField: string, reasonField: string, requestIdField: string) {
  return (body: JsonObject | undefined) => ({
    virtualAccountData: {
      [statusField]: '01',
      [reasonField]: REJECTED,
      ...echo(body, ['partnerServiceId', 'customerNo', 'virtualAccountNo', requestIdField]),
    },
  });
}

/** What a VA handler gets besides the body: the deps, our partnerServiceId and the VA number the request carries. */
type VaRequest = { deps: Deps; psid: string } & ReturnType<typeof readVaNumber>;

/** A VA request's number, read first (its partnerServiceId, customerNo and virtualAccountNo), then the handler. */
function vaRequest(ep: SnapEndpoint, handle: (body: JsonObject, va: VaRequest) => Promise<StoredResponse>) {
  return (body: JsonObject): Promise<StoredResponse> => {
    const psid = (ep.snap as SnapConfig).partnerServiceId;
    return handle(body, { deps: ep.deps, psid, ...readVaNumber(body, psid) });
  };
}

function vaInquiry(ep: SnapEndpoint) {
  return vaRequest(ep, async (body, { deps, psid, received, kpj }) => {
    const S = SNAP_SERVICE.vaInquiry;
    const inquiryRequestId = requiredText(body, 'inquiryRequestId', 128, REQUEST_ID);
    optionalText(body, 'language', 2);
    readAmount(body, 'amount', false);
    const result = await inquireMemberVa(deps, kpj);
    if (!result.ok) {
      const reason = result.reason === 'not_found' ? INQUIRY_REASONS.notFound : INQUIRY_REASONS.notBillable;
      return snapAnswer(
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
    return snapAnswer(S, 'success', {
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
  });
}

function vaPayment(ep: SnapEndpoint) {
  return vaRequest(ep, async (body, { deps, psid, received, kpj }) => {
    const S = SNAP_SERVICE.vaPayment;
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
    return snapAnswer(
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
  });
}

// --- QRIS payment notification (service 52) ------------------------------------------------------------------------
function qrMpmNotify(deps: Deps) {
  return async (body: JsonObject): Promise<StoredResponse> => {
    const S = SNAP_SERVICE.qrMpmNotify;
    const event = readQrNotify(body, deps.clock.now());
    if (event.kind === 'ignored') {
      const fields = { originalReferenceNo: event.originalReferenceNo, originalPartnerReferenceNo: event.originalPartnerReferenceNo, status: event.status };
      if (event.status === 'refunded') {
        deps.logger.warn('snap: QRIS refund notified: nothing reversed here (staff refund workflow)', fields);
      } else {
        deps.logger.info('snap: QRIS notification without money received: acknowledged, nothing settled', fields);
      }
      return snapAnswer(S, 'success', { additionalInfo: { settlement: 'ignored', transactionStatus: event.status } });
    }
    const n = event.notification;
    const settlement = await settleSnapPayment(deps, n, 'additionalInfo.paidTime');
    const fields = { externalId: n.externalId, paymentCode: n.paymentCode, amount: n.amount, settlement: settlement.status, paymentCodeFrom: event.paymentCodeFrom };
    if (settlement.status === 'inconsistent') {
      deps.logger.warn('snap: QRIS notification conflicts with the payment recorded under its reference', fields);
      return snapAnswer(S, 'inconsistentRequest', { additionalInfo: { settlement: 'inconsistent' } });
    }
    const reason = settlement.status === 'unmatched' ? settlement.reason : settlement.status === 'duplicate' ? (settlement.recorded.unmatchedReason ?? undefined) : undefined;
    if (reason) {
      deps.logger.warn('snap: QRIS payment not applied to a bill (kept for reconciliation)', { ...fields, reason });
    } else {
      deps.logger.info('snap: QRIS payment settled', fields);
    }
    // The acquirer has already taken the payer's money: the notification is acknowledged once recorded, whatever
    // the settlement; an unmatched payment waits in suspense for staff (reconciliation, refund).
    return snapAnswer(S, 'success', { additionalInfo: { settlement: settlement.status, ...(reason ? { reason } : {}) } });
  };
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
  const ep = snapEndpoint(deps);
  return new Hono()
    .post('/v1.0/access-token/b2b', snapBodyLimit(deps, SNAP_SERVICE.accessTokenB2b), (c) => answering(deps, c, () => accessToken(ep, c)))
    .post(
      '/v1.0/transfer-va/inquiry',
      snapBodyLimit(deps, SNAP_SERVICE.vaInquiry),
      transactional(ep, SNAP_SERVICE.vaInquiry, vaRefused('inquiryStatus', 'inquiryReason', 'inquiryRequestId'), vaInquiry(ep)),
    )
    .post(
      '/v1.0/transfer-va/payment',
      snapBodyLimit(deps, SNAP_SERVICE.vaPayment),
      transactional(ep, SNAP_SERVICE.vaPayment, vaRefused('paymentFlagStatus', 'paymentFlagReason', 'paymentRequestId'), vaPayment(ep)),
    )
    .post('/v1.0/qr/qr-mpm-notify', snapBodyLimit(deps, SNAP_SERVICE.qrMpmNotify), transactional(ep, SNAP_SERVICE.qrMpmNotify, () => ({}), qrMpmNotify(deps)));
}
