import { buildDynamicQris, DEV_QRIS_MERCHANT } from '../../src/modules/payments/qris/qris.js';
import { ewalletFor, fpcFor, midtransFor, midtransWallTime, postMidtrans, postXendit, XENDIT_EWALLET, XENDIT_RETAIL } from '../support/channel-clients.js';
import { amountText, PARTNER_SERVICE_ID, type SnapBankClient, snapTimestamp } from '../support/snap-client.js';
import type { TestApp, TestResponse } from '../support/test-app.js';
import type { Notification, Protocol } from './model.js';

/**
 * How the simulation delivers a notification through each channel's real endpoint, with the protocol clients shared
 * with the API tests (test/support/snap-client.ts, test/support/channel-clients.ts), and how it reads each answer.
 */

/** Midtrans documented samples the simulation sends, and the channel each payment_type is booked on (README). */
export const MIDTRANS_SAMPLE_CHANNEL = {
  gopay: 'ewallet',
  shopeepay: 'ewallet',
  qris: 'qris',
  permataVa: 'va',
  bcaVa: 'va',
  bniVa: 'va',
  briVa: 'va',
  mandiriBill: 'va',
  indomaret: 'retail',
  alfamart: 'retail',
} as const;
export type MidtransSample = keyof typeof MIDTRANS_SAMPLE_CHANNEL;
export const MIDTRANS_SAMPLES = Object.keys(MIDTRANS_SAMPLE_CHANNEL) as MidtransSample[];

/** What a protocol needs beside the notification itself to write its request. */
export type Wire =
  | { kind: 'generic'; /** a re-serialisation of the same content (other key order, +07:00) */ raw?: string }
  | { kind: 'midtrans'; sample: MidtransSample; transactionId: string }
  | { kind: 'xendit-ewallet'; id: string }
  | { kind: 'xendit-retail'; id: string; outlet: 'ALFAMART' | 'INDOMARET' }
  /** partner: originalPartnerReferenceNo = code; qr: the code only inside the echoed QR string; none: no code at all */
  | { kind: 'snap-qris'; reference: string; mode: 'partner' | 'qr' | 'none' }
  | { kind: 'snap-va'; customerNo: string; paymentRequestId: string; advise: boolean };

export interface Sendable {
  n: Notification;
  wire: Wire;
  /** SNAP: send with this X-EXTERNAL-ID (a retransmission); otherwise a fresh one per delivery. */
  snapExternalId?: string;
}

export interface Delivered {
  res: TestResponse;
  /** SNAP: the X-EXTERNAL-ID the request carried. */
  snapExternalId?: string;
}

const HOUR = 3_600_000;

/** Midtrans' WIB wall-clock time ("YYYY-MM-DD HH:mm:ss"). */
export const midtransTime = midtransWallTime;

/** The same instant written with the +07:00 offset (WIB), as some channels do. */
export function inWib(iso: string): string {
  return new Date(Date.parse(iso) + 7 * HOUR).toISOString().replace('Z', '+07:00');
}

/** The generic notification's body (the contract's five fields). */
export function genericBody(n: Notification): string {
  return JSON.stringify({ externalId: n.externalId, paymentCode: n.paymentCode, amount: n.amount, channel: n.channel, paidAt: n.paidAt });
}

/** The QRIS notify body for a notification (status 00) or, with `status`, a status that moves no money. */
export function qrisBody(n: Notification, wire: Extract<Wire, { kind: 'snap-qris' }>, status = '00'): Record<string, unknown> {
  const additionalInfo: Record<string, unknown> = { paidTime: snapTimestamp(new Date(n.paidAt)) };
  if (wire.mode === 'qr') {
    const qr = buildDynamicQris({ merchant: DEV_QRIS_MERCHANT, amount: n.amount, billNumber: n.paymentCode });
    if (!qr.ok) {
      throw new Error(`cannot build a QRIS string for ${n.paymentCode} Rp${n.amount}: ${qr.code}`);
    }
    additionalInfo['qrContent'] = qr.value;
  }
  return {
    originalReferenceNo: wire.reference,
    ...(wire.mode === 'partner' ? { originalPartnerReferenceNo: n.paymentCode } : {}),
    latestTransactionStatus: status,
    transactionStatusDesc: status === '00' ? 'success' : 'not paid',
    amount: { value: amountText(n.amount), currency: 'IDR' },
    additionalInfo,
  };
}

export function midtransBody(n: Notification, wire: Extract<Wire, { kind: 'midtrans' }>, overrides: Record<string, unknown> = {}): Record<string, unknown> {
  const paidAt = Date.parse(n.paidAt);
  return midtransFor(
    wire.sample,
    { paymentCode: n.paymentCode, amount: n.amount },
    { transaction_id: wire.transactionId, transaction_time: midtransTime(paidAt - 60_000), settlement_time: midtransTime(paidAt), ...overrides },
  );
}

export function ewalletBody(n: Notification, wire: Extract<Wire, { kind: 'xendit-ewallet' }>, data: Record<string, unknown> = {}) {
  return ewalletFor({ paymentCode: n.paymentCode, amount: n.amount }, { id: wire.id, updated: n.paidAt, ...data });
}

export function retailBody(n: Notification, wire: Extract<Wire, { kind: 'xendit-retail' }>, overrides: Record<string, unknown> = {}) {
  return fpcFor(
    { paymentCode: n.paymentCode, amount: n.amount },
    { fixed_payment_code_payment_id: wire.id, transaction_timestamp: n.paidAt, retail_outlet_name: wire.outlet, ...overrides },
  );
}

/** Sends one notification through its channel's endpoint (the SNAP client's token must be fresh: ensureToken). */
export async function deliver(t: TestApp, bank: SnapBankClient, s: Sendable): Promise<Delivered> {
  const { n, wire } = s;
  switch (wire.kind) {
    case 'generic':
      return { res: await t.notify(wire.raw ?? genericBody(n)) };
    case 'midtrans':
      return { res: await postMidtrans(t, midtransBody(n, wire)) };
    case 'xendit-ewallet':
      return { res: await postXendit(t, XENDIT_EWALLET, ewalletBody(n, wire)) };
    case 'xendit-retail':
      return { res: await postXendit(t, XENDIT_RETAIL, retailBody(n, wire)) };
    case 'snap-qris': {
      const snapExternalId = s.snapExternalId ?? bank.nextExternalId();
      return { res: await bank.qrNotify(qrisBody(n, wire), { externalId: snapExternalId }), snapExternalId };
    }
    case 'snap-va': {
      const snapExternalId = s.snapExternalId ?? bank.nextExternalId();
      const body = bank.paymentBody(wire.customerNo, wire.paymentRequestId, amountText(n.amount), {
        trxDateTime: snapTimestamp(new Date(n.paidAt)),
        flagAdvise: wire.advise ? 'Y' : 'N',
      });
      return { res: await bank.payment(body, { externalId: snapExternalId }), snapExternalId };
    }
  }
}

/**
 * A response read into the form of expectedAnswer (model.ts), or null when it is no answer a channel may get.
 * SNAP answers must also carry a response code whose first three digits are the HTTP status.
 */
export function answerKey(protocol: Protocol, res: TestResponse): string | null {
  const body = res.body;
  if (protocol === 'snap-va' || protocol === 'snap-qris') {
    const code = body?.responseCode;
    if (typeof code !== 'string' || Number(code.slice(0, 3)) !== res.status) {
      return null;
    }
    if (protocol === 'snap-va') {
      return `${code}/${body.virtualAccountData?.paymentFlagStatus}`;
    }
    const info = body.additionalInfo ?? {};
    return `${code}/${info.settlement}${info.reason ? `:${info.reason}` : ''}`;
  }
  if (res.status === 200) {
    const s = body?.status;
    if (s === 'applied') {
      return `applied${body.walletCredit !== undefined ? `+wallet:${body.walletCredit}` : ''}${body.topUp === true ? '+topup' : ''}`;
    }
    if (s === 'duplicate') {
      return s;
    }
    if (s === 'unmatched' && ['amount_mismatch', 'bill_expired', 'bill_already_paid', 'unknown_payment_code', 'bill_replaced', 'prepay_limit'].includes(body.reason)) {
      return `unmatched:${body.reason}`;
    }
  }
  if (res.status === 409 && body?.error?.code === 'external_id_conflict') {
    return 'conflict';
  }
  return null;
}

/** The code an unknown VA number's payment is recorded under. */
export function unknownVaCode(customerNo: string): string {
  return `VA:${PARTNER_SERVICE_ID.trim()}${customerNo}`;
}
