import { createHash, createHmac, createSign } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { expect } from 'vitest';
import type { TestApp, TestResponse } from './test-app.js';

/**
 * A bank's BI-SNAP client, written from the standard — ASPI SNAP "Keamanan" (access token B2B, transaction headers and
 * signatures) and "Virtual Account" / "MPM" (bodies, response codes), as summarised in ../shared/notes/integrations.md
 * §2 — and NOT from the server's code: its own timestamp format, minification, string to sign and signing with
 * node:crypto and the development partner's private key (test/fixtures/snap-partner-dev-private.pem).
 * Shared by test/api/snap.test.ts and the money-path simulation (test/simulation).
 */

// ------------------------------------------------------------------------------------------------------------------
// The bank's SNAP client
// ------------------------------------------------------------------------------------------------------------------

/** What the bank was given during onboarding (README "BI-SNAP virtual accounts and QRIS": development defaults). */
export const CLIENT_ID = 'lindung-dev-bank';
export const CLIENT_SECRET = 'dev-snap-client-secret';
export const PARTNER_SERVICE_ID = '   88899';
export const PRIVATE_KEY = readFileSync(new URL('../fixtures/snap-partner-dev-private.pem', import.meta.url), 'utf8');

/** X-TIMESTAMP: yyyy-MM-ddTHH:mm:ssTZD, the bank's local time (WIB, +07:00). */
export function snapTimestamp(instant: Date): string {
  const wib = new Date(instant.getTime() + 7 * 3_600_000);
  const two = (n: number) => String(n).padStart(2, '0');
  return `${wib.getUTCFullYear()}-${two(wib.getUTCMonth() + 1)}-${two(wib.getUTCDate())}T${two(wib.getUTCHours())}:${two(wib.getUTCMinutes())}:${two(wib.getUTCSeconds())}+07:00`;
}

export interface CallOptions {
  externalId?: string;
  timestamp?: string;
  secret?: string;
  token?: string | null;
  /** Sent as is and signed as is (already minified); otherwise the body is sent pretty-printed and signed minified. */
  rawBody?: string;
  /** Send these headers instead of the computed ones (undefined removes one). */
  headers?: Record<string, string | undefined>;
  /** Sign this EndpointUrl instead of the path called. */
  signedPath?: string;
  /** Hash this as minify(body) instead of the body sent. */
  signedBody?: string;
}

export class SnapBankClient {
  token = '';
  #externalSeq = 0;

  constructor(private readonly t: TestApp) {}

  nextExternalId(): string {
    this.#externalSeq += 1;
    return `${Date.now()}${String(this.#externalSeq).padStart(6, '0')}`;
  }

  /** POST /v1.0/access-token/b2b — X-SIGNATURE = base64(SHA256withRSA(privateKey, clientId + "|" + X-TIMESTAMP)). */
  async accessToken(options: { timestamp?: string; clientKey?: string; signWith?: string; body?: string } = {}): Promise<TestResponse> {
    const timestamp = options.timestamp ?? snapTimestamp(this.t.clock.now());
    const clientKey = options.clientKey ?? CLIENT_ID;
    const signature = createSign('RSA-SHA256')
      .update(`${options.signWith ?? clientKey}|${timestamp}`)
      .sign(PRIVATE_KEY, 'base64');
    const body = options.body ?? JSON.stringify({ grantType: 'client_credentials', additionalInfo: {} });
    return this.t.request('POST', '/snap/v1.0/access-token/b2b', body, { 'X-TIMESTAMP': timestamp, 'X-CLIENT-KEY': clientKey, 'X-SIGNATURE': signature });
  }

  async login(): Promise<void> {
    const res = await this.accessToken();
    expect(res.body.responseCode, JSON.stringify(res.body)).toBe('2007300');
    this.token = res.body.accessToken as string;
    this.#tokenAt = this.t.clock.now().getTime();
  }

  #tokenAt = Number.NEGATIVE_INFINITY;

  /** Signs in again when the token is older than `maxAgeMs` on the app's clock (tokens live 900 seconds). */
  async ensureToken(maxAgeMs = 600_000): Promise<void> {
    const age = this.t.clock.now().getTime() - this.#tokenAt;
    if (!this.token || age > maxAgeMs || age < 0) {
      await this.login();
    }
  }

  /**
   * A transactional call: X-SIGNATURE = base64(HMAC_SHA512(clientSecret,
   *   METHOD + ":" + EndpointUrl + ":" + AccessToken + ":" + lowercase(hex(SHA-256(minify(body)))) + ":" + X-TIMESTAMP)),
   * EndpointUrl being the path the bank calls.
   */
  async call(path: string, body: unknown, options: CallOptions = {}): Promise<TestResponse> {
    const timestamp = options.timestamp ?? snapTimestamp(this.t.clock.now());
    const token = options.token === undefined ? this.token : options.token;
    const sent = options.rawBody ?? JSON.stringify(body, null, 2);
    const minified = options.signedBody ?? options.rawBody ?? JSON.stringify(body);
    const digest = createHash('sha256').update(minified, 'utf8').digest('hex').toLowerCase();
    const stringToSign = `POST:${options.signedPath ?? path}:${token ?? ''}:${digest}:${timestamp}`;
    const signature = createHmac('sha512', options.secret ?? CLIENT_SECRET)
      .update(stringToSign, 'utf8')
      .digest('base64');
    const headers: Record<string, string | undefined> = {
      ...(token !== null ? { Authorization: `Bearer ${token}` } : {}),
      'X-TIMESTAMP': timestamp,
      'X-SIGNATURE': signature,
      'X-PARTNER-ID': 'DEVBANK01',
      'X-EXTERNAL-ID': options.externalId ?? this.nextExternalId(),
      'CHANNEL-ID': '95221',
      ...options.headers,
    };
    const defined = Object.fromEntries(Object.entries(headers).filter((e): e is [string, string] => e[1] !== undefined));
    return this.t.request('POST', path, sent, defined);
  }

  inquiry(customerNo: string, options: CallOptions & { inquiryRequestId?: string; partnerServiceId?: string } = {}) {
    const psid = options.partnerServiceId ?? PARTNER_SERVICE_ID;
    return this.call(
      '/snap/v1.0/transfer-va/inquiry',
      {
        partnerServiceId: psid,
        customerNo,
        virtualAccountNo: psid + customerNo,
        trxDateInit: snapTimestamp(this.t.clock.now()),
        channelCode: 6011,
        language: 'ID',
        inquiryRequestId: options.inquiryRequestId ?? `INQ-${this.nextExternalId()}`,
        additionalInfo: {},
      },
      options,
    );
  }

  paymentBody(customerNo: string, paymentRequestId: string, amount: string, extra: Record<string, unknown> = {}) {
    return {
      partnerServiceId: PARTNER_SERVICE_ID,
      customerNo,
      virtualAccountNo: PARTNER_SERVICE_ID + customerNo,
      virtualAccountName: 'Pembayar',
      paymentRequestId,
      channelCode: 6011,
      paidAmount: { value: amount, currency: 'IDR' },
      totalAmount: { value: amount, currency: 'IDR' },
      trxDateTime: snapTimestamp(this.t.clock.now()),
      referenceNo: `REF${paymentRequestId}`.slice(0, 15),
      flagAdvise: 'N',
      additionalInfo: {},
      ...extra,
    };
  }

  payment(body: unknown, options: CallOptions = {}) {
    return this.call('/snap/v1.0/transfer-va/payment', body, options);
  }

  qrNotify(body: unknown, options: CallOptions = {}) {
    return this.call('/snap/v1.0/qr/qr-mpm-notify', body, options);
  }
}

/** A SNAP amount value: whole rupiah with two zero decimals ("16800.00"). */
export const amountText = (rupiah: number) => `${rupiah}.00`;

