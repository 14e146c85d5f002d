import { createHash, createHmac, createSign } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { loadConfig } from '../src/config.js';
import { formatInstantWib } from '../src/shared/month.js';
import { measuredRun, toPhase, type LoadSettings, type PhaseResult } from './load.js';

/**
 * BI-SNAP VA payments (POST /snap/v1.0/transfer-va/payment), each paying a different member's open renewal bill
 * through their stable VA (partnerServiceId + KPJ), as a bank sends them. The client is written here from the
 * standard, like test/api/snap.test.ts's (not from the server's signature.ts):
 *
 * - a B2B access token first: X-SIGNATURE = base64(SHA256withRSA(partner private key, clientId + "|" + X-TIMESTAMP)),
 *   with the development partner key (test/fixtures/snap-partner-dev-private.pem) and the development client id;
 * - each payment: X-SIGNATURE = base64(HMAC-SHA512(clientSecret, "POST:" + path + ":" + token + ":" +
 *   hex(SHA-256(minified body)) + ":" + X-TIMESTAMP)), with X-PARTNER-ID, a unique X-EXTERNAL-ID and CHANNEL-ID.
 *
 * Every request (body and headers) is built and signed before the timed run (`prepare`), so the load generator only
 * hands them out; all carry one X-TIMESTAMP, taken when they are signed, which the server accepts for five minutes.
 */
export const SNAP_PAYMENT_PATH = '/snap/v1.0/transfer-va/payment';
const TOKEN_PATH = '/snap/v1.0/access-token/b2b';
const PRIVATE_KEY_PATH = join(import.meta.dirname, '..', 'test', 'fixtures', 'snap-partner-dev-private.pem');
/** What the server accepts around its clock (signature.ts SNAP_TIMESTAMP_TOLERANCE_MS), with a margin. */
export const SNAP_PREPARED_LIFETIME_SEC = 240;

export interface SnapTarget {
  kpj: string;
  amount: number;
}

/** The development SNAP channel the server runs with under NODE_ENV=development (README, config.ts). */
function devChannel() {
  const snap = loadConfig({ NODE_ENV: 'development' }).channels.snap;
  if (!snap) {
    throw new Error('SNAP is not configured in development mode');
  }
  return snap;
}

export async function snapAccessToken(baseUrl: string): Promise<string> {
  const { clientId } = devChannel();
  const timestamp = formatInstantWib(new Date());
  const signature = createSign('RSA-SHA256').update(`${clientId}|${timestamp}`).sign(readFileSync(PRIVATE_KEY_PATH, 'utf8'), 'base64');
  const res = await fetch(`${baseUrl}${TOKEN_PATH}`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', 'X-TIMESTAMP': timestamp, 'X-CLIENT-KEY': clientId, 'X-SIGNATURE': signature },
    body: JSON.stringify({ grantType: 'client_credentials', additionalInfo: {} }),
  });
  const body = (await res.json()) as { responseCode?: string; accessToken?: string };
  if (body.responseCode !== '2007300' || !body.accessToken) {
    throw new Error(`SNAP access token refused: ${res.status} ${JSON.stringify(body)}`);
  }
  return body.accessToken;
}

interface Prepared {
  body: string;
  headers: Record<string, string>;
}

export class SnapPaymentLoad {
  #next = 0;
  #prepared: Prepared[] = [];
  readonly runId = String(Date.now() % 1_000_000_000).padStart(9, '0');

  constructor(private readonly targets: readonly SnapTarget[]) {}

  /** The paymentRequestId prefix, for finding these payments in the database afterwards. */
  get requestIdPrefix(): string {
    return `bench${this.runId}-`;
  }

  /** Builds and signs one request per target with the token (untimed). */
  prepare(token: string): void {
    const { clientSecret, partnerServiceId } = devChannel();
    const psid = partnerServiceId.trim().padStart(8, ' ');
    const timestamp = formatInstantWib(new Date());
    this.#prepared = this.targets.map((t, i) => {
      const paymentRequestId = `${this.requestIdPrefix}${i}`;
      const body = JSON.stringify({
        partnerServiceId: psid,
        customerNo: t.kpj,
        virtualAccountNo: psid + t.kpj,
        virtualAccountName: 'Pembayar',
        paymentRequestId,
        channelCode: 6011,
        paidAmount: { value: `${t.amount}.00`, currency: 'IDR' },
        totalAmount: { value: `${t.amount}.00`, currency: 'IDR' },
        trxDateTime: timestamp,
        referenceNo: `R${this.runId}${i}`.slice(0, 15),
        flagAdvise: 'N',
        additionalInfo: {},
      });
      const digest = createHash('sha256').update(body, 'utf8').digest('hex');
      const signature = createHmac('sha512', clientSecret).update(`POST:${SNAP_PAYMENT_PATH}:${token}:${digest}:${timestamp}`, 'utf8').digest('base64');
      return {
        body,
        headers: {
          'content-type': 'application/json',
          authorization: `Bearer ${token}`,
          'x-timestamp': timestamp,
          'x-signature': signature,
          'x-partner-id': 'BENCHBANK',
          'x-external-id': `${this.runId}${String(i).padStart(9, '0')}`,
          'channel-id': '95221',
        },
      };
    });
    this.#next = 0;
  }

  async measure(s: LoadSettings, name: string, seconds: number): Promise<PhaseResult> {
    let notApplied = 0;
    let appliedCount = 0;
    const samples: string[] = [];
    const left = this.#prepared.length - this.#next - 2 * s.connections;
    if (left < s.connections * 10) {
      throw new Error(`too few prepared SNAP payments left (${left}); raise BENCH_SNAP_MEMBERS`);
    }
    const { result, cpu } = await measuredRun(s, {
      url: `${s.baseUrl}${SNAP_PAYMENT_PATH}`,
      connections: s.connections,
      duration: seconds,
      maxOverallRequests: left,
      requests: [
        {
          method: 'POST',
          path: SNAP_PAYMENT_PATH,
          setupRequest: (req) => {
            const p = this.#prepared[Math.min(this.#next++, this.#prepared.length - 1)];
            if (!p) {
              throw new Error('no prepared SNAP payment');
            }
            return { ...req, body: p.body, headers: p.headers };
          },
          onResponse: (status, body) => {
            let applied = false;
            try {
              const b = JSON.parse(body) as { responseCode?: unknown; virtualAccountData?: { paymentFlagStatus?: unknown } };
              applied = status === 200 && b.responseCode === '2002500' && b.virtualAccountData?.paymentFlagStatus === '00';
            } catch {
              // not JSON: counted below
            }
            if (applied) {
              appliedCount += 1;
            } else {
              notApplied += 1;
              if (samples.length < 5) {
                samples.push(`${status} ${body.slice(0, 200)}`);
              }
            }
          },
        },
      ],
    });
    return { ...toPhase(name, result, cpu), applied: appliedCount, notApplied, notAppliedSamples: samples };
  }
}
