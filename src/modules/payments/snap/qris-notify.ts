/**
 * QRIS payment notification from the acquirer: BI-SNAP "API Payment Notification", service 52,
 * `POST /{version}/qr/qr-mpm-notify` (ASPI SNAP "MPM", mirrored in mseptiaan/snap-aspi-go aspi/mpm.md;
 * integrations.md §1.4), signed like every SNAP transaction (access token + HMAC-SHA512).
 *
 * Field mapping into the one payment event (PaymentNotification, settled by applyPaymentNotification):
 *
 * | SNAP field (M/O in the standard)            | Payment event                                                        |
 * |---------------------------------------------|----------------------------------------------------------------------|
 * | originalReferenceNo (M, ≤64)                | externalId `qris:<originalReferenceNo>` — the acquirer's transaction id, so its retries are idempotent |
 * | originalPartnerReferenceNo (O, ≤64)         | paymentCode: the partnerReferenceNo we gave qr-mpm-generate (service 47), which is the bill's payment code — the same value our dynamic QRIS carries as bill number (tag 62.01) |
 * | additionalInfo.qrContent (extension)        | paymentCode fallback: the QR string, when an acquirer echoes it, parsed (CRC checked) for tag 62.01 |
 * | latestTransactionStatus (M): "00" Success   | settle; every other status (01 Initiated, 02 Paying, 03 Pending, 04 Refunded, 05 Canceled, 06 Failed, 07 Not found) moves no money: acknowledged and logged |
 * | amount.value / amount.currency (O)          | amount (whole rupiah; IDR only) — required by us for status 00       |
 * | additionalInfo.paidTime (extension)         | paidAt when present (ISO 8601, as qr-mpm-query's paidTime); else the time we received it |
 * | —                                           | channel `qris`                                                       |
 *
 * A successful notification whose reference matches no bill is still recorded (unknown payment code, money in
 * suspense for reconciliation): the payer's money has already moved at the acquirer.
 */
import type { PaymentNotification } from '../apply-payment.js';
import { parseQris } from '../qris/qris.js';
import { isObject, optionalText, readAmount, requiredText, SnapFieldError, type JsonObject } from './fields.js';
import { parseSnapDateTime } from './signature.js';

export const QR_TRANSACTION_STATUS = {
  '00': 'success',
  '01': 'initiated',
  '02': 'paying',
  '03': 'pending',
  '04': 'refunded',
  '05': 'canceled',
  '06': 'failed',
  '07': 'not_found',
} as const;
export type QrTransactionStatus = (typeof QR_TRANSACTION_STATUS)[keyof typeof QR_TRANSACTION_STATUS];

export type QrNotifyEvent =
  | { kind: 'payment'; originalReferenceNo: string; notification: PaymentNotification; paymentCodeFrom: 'partner_reference' | 'qr_content' | 'none' }
  | { kind: 'ignored'; originalReferenceNo: string; status: Exclude<QrTransactionStatus, 'success'>; originalPartnerReferenceNo: string | undefined };

export function qrisExternalId(originalReferenceNo: string): string {
  return `qris:${originalReferenceNo}`;
}

const REFERENCE = /^[\x21-\x7e]{1,64}$/;

function billNumberOf(additionalInfo: JsonObject | undefined): string | undefined {
  const qr = additionalInfo?.['qrContent'];
  if (typeof qr !== 'string' || qr.length > 512) {
    return undefined;
  }
  const parsed = parseQris(qr);
  return parsed.ok ? parsed.value.billNumber : undefined;
}

/** Reads a qr-mpm-notify body; throws SnapFieldError for a missing or malformed field. `now` is the receipt time. */
export function readQrNotify(body: JsonObject, now: Date): QrNotifyEvent {
  const originalReferenceNo = requiredText(body, 'originalReferenceNo', 64, REFERENCE);
  const originalPartnerReferenceNo = optionalText(body, 'originalPartnerReferenceNo', 64, REFERENCE);
  const statusCode = requiredText(body, 'latestTransactionStatus', 2);
  const status = (QR_TRANSACTION_STATUS as Record<string, QrTransactionStatus>)[statusCode];
  if (!status) {
    throw new SnapFieldError('invalidFieldFormat', 'latestTransactionStatus');
  }
  const additionalInfo = body['additionalInfo'];
  if (additionalInfo !== undefined && additionalInfo !== null && !isObject(additionalInfo)) {
    throw new SnapFieldError('invalidFieldFormat', 'additionalInfo');
  }
  const info = isObject(additionalInfo) ? additionalInfo : undefined;
  if (status !== 'success') {
    readAmount(body, 'amount', false);
    return { kind: 'ignored', originalReferenceNo, status, originalPartnerReferenceNo };
  }
  const amount = readAmount(body, 'amount', true) as number;
  const paidTimeText = info ? optionalText(info, 'paidTime', 35, undefined, 'additionalInfo.') : undefined;
  const paidAt = paidTimeText === undefined ? now : parseSnapDateTime(paidTimeText);
  if (!paidAt) {
    throw new SnapFieldError('invalidFieldFormat', 'additionalInfo.paidTime');
  }
  const fromQr = originalPartnerReferenceNo === undefined ? billNumberOf(info) : undefined;
  const paymentCode = originalPartnerReferenceNo ?? fromQr ?? `QRIS:${originalReferenceNo}`;
  return {
    kind: 'payment',
    originalReferenceNo,
    paymentCodeFrom: originalPartnerReferenceNo !== undefined ? 'partner_reference' : fromQr !== undefined ? 'qr_content' : 'none',
    notification: { externalId: qrisExternalId(originalReferenceNo), paymentCode, amount, channel: 'qris', paidAt },
  };
}
