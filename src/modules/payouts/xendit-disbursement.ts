import { safeEqual } from '../../shared/crypto.js';
import { ok, reject, type Result } from '../../shared/result.js';
import { assertTransfer, type CallbackRefusal, type DisbursementProvider, type SendOutcome, type TransferEvent, type TransferStatus } from './provider.js';

export interface XenditDisbursementConfig {
  /** The account's secret API key (dashboard → Settings → API keys; needs the Money-out write permission). */
  secretKey: string;
  /** `https://api.xendit.co` (test and live keys share it). */
  apiUrl: string;
  /** The account's callback verification token (dashboard → Settings → Webhooks), sent as `x-callback-token`. */
  callbackToken: string;
}

/**
 * Xendit disbursements (xenDisburse, `POST /disbursements`). Every request authenticates with HTTP Basic auth = the
 * secret key as the username and an empty password; a create carries `X-IDEMPOTENCY-KEY` = our key, and `external_id`
 * = the same key, so the status can be looked up by it (`GET /disbursements?external_id=`). Xendit answers a create
 * with status `PENDING`, and later calls our callback URL with `COMPLETED` or `FAILED` (+ `failure_code`); the
 * callback is authenticated by `x-callback-token`, compared in constant time (as the payment callbacks are).
 *
 * Create answers: 200 → accepted; 400 `DUPLICATE_TRANSACTION_ERROR` (this key was used before) → the earlier transfer,
 * looked up by external_id (not visible yet → thrown, retry); any other 400/404/409/422 with an `error_code` → refused with that code
 * (`INSUFFICIENT_BALANCE`, `RECIPIENT_ACCOUNT_NUMBER_ERROR`, `BANK_CODE_NOT_SUPPORTED_ERROR`, …); 401/403 (our key
 * is wrong or lacks the permission), 5xx and transport failures are thrown — retry later with the same key.
 */
export function createXenditDisbursementProvider(cfg: XenditDisbursementConfig, deps: { fetchImpl?: typeof fetch } = {}): DisbursementProvider {
  const doFetch = deps.fetchImpl ?? fetch;
  const base = cfg.apiUrl.replace(/\/+$/, '');
  const auth = `Basic ${Buffer.from(`${cfg.secretKey}:`).toString('base64')}`;
  const request = (path: string, init: { method: 'GET' | 'POST'; headers?: Record<string, string>; body?: string }) =>
    doFetch(`${base}${path}`, { method: init.method, headers: { authorization: auth, accept: 'application/json', ...init.headers }, ...(init.body ? { body: init.body } : {}) });

  const status = async (idempotencyKey: string): Promise<TransferStatus | undefined> => {
    const res = await request(`/disbursements?external_id=${encodeURIComponent(idempotencyKey)}`, { method: 'GET' });
    if (res.status === 404) {
      await res.arrayBuffer();
      return undefined;
    }
    const body = await readJson(res, 'status');
    const first = Array.isArray(body) ? body[0] : body;
    return isRecord(first) ? statusOf(first) : undefined;
  };

  return {
    name: 'xendit',
    async send(transfer): Promise<SendOutcome> {
      assertTransfer(transfer);
      const res = await request('/disbursements', {
        method: 'POST',
        headers: { 'content-type': 'application/json', 'x-idempotency-key': transfer.idempotencyKey },
        body: JSON.stringify({
          external_id: transfer.idempotencyKey,
          amount: transfer.amount,
          bank_code: transfer.bankCode,
          account_holder_name: transfer.accountHolderName,
          account_number: transfer.accountNumber,
          description: transfer.description,
        }),
      });
      if (res.ok) {
        const body = await readJson(res, 'create');
        return { kind: 'accepted', providerRef: isRecord(body) && typeof body['id'] === 'string' ? body['id'] : transfer.idempotencyKey };
      }
      const errorCode = await errorCodeOf(res);
      if (errorCode === 'DUPLICATE_TRANSACTION_ERROR') {
        const earlier = await status(transfer.idempotencyKey);
        if (earlier) return { kind: 'accepted', providerRef: earlier.providerRef };
        // The key is known to Xendit but its transfer cannot be read yet: never a refusal (it may be paying) — retry.
        throw new Error('Xendit reports the idempotency key used, but no disbursement with that external_id is visible yet');
      }
      if ([400, 404, 409, 422].includes(res.status) && errorCode) {
        return { kind: 'refused', reason: errorCode };
      }
      throw new Error(`Xendit create disbursement failed: HTTP ${res.status} ${errorCode ?? ''}`.trim());
    },
    status,
    readCallback(headers, body) {
      const token = headers['x-callback-token'];
      if (typeof token !== 'string' || token.length === 0 || !safeEqual(cfg.callbackToken, token)) {
        return reject('invalid_signature');
      }
      return readXenditDisbursementCallback(body);
    },
  };
}

function isRecord(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

async function readJson(res: Response, what: string): Promise<unknown> {
  if (!res.ok) {
    throw new Error(`Xendit disbursement ${what} failed: HTTP ${res.status} ${(await errorCodeOf(res)) ?? ''}`.trim());
  }
  return res.json();
}

async function errorCodeOf(res: Response): Promise<string | undefined> {
  const text = await res.text();
  try {
    const body: unknown = JSON.parse(text);
    return isRecord(body) && typeof body['error_code'] === 'string' ? body['error_code'] : undefined;
  } catch {
    return undefined;
  }
}

/** A disbursement object's `status` → ours: COMPLETED → paid, FAILED → failed (failure_code), else pending. */
function statusOf(d: Record<string, unknown>): TransferStatus | undefined {
  const providerRef = typeof d['id'] === 'string' ? d['id'] : undefined;
  if (!providerRef) return undefined;
  if (d['status'] === 'COMPLETED') {
    const at = typeof d['updated'] === 'string' ? new Date(d['updated']) : new Date(Number.NaN);
    return Number.isNaN(at.getTime()) ? { kind: 'pending', providerRef } : { kind: 'paid', providerRef, at };
  }
  if (d['status'] === 'FAILED') {
    return { kind: 'failed', providerRef, reason: typeof d['failure_code'] === 'string' && d['failure_code'] ? d['failure_code'] : 'FAILED' };
  }
  return { kind: 'pending', providerRef };
}

/**
 * The disbursement callback body (`{ id, user_id, external_id, amount, bank_code, account_holder_name,
 * disbursement_description, status: "COMPLETED" | "FAILED", failure_code?, is_instant, created, updated }`) → one
 * final transfer event, or `invalid_request` (a callback that is not final, or lacks a field, records nothing).
 */
export function readXenditDisbursementCallback(body: unknown): Result<TransferEvent, CallbackRefusal> {
  if (!isRecord(body)) return reject('invalid_request', 'body');
  const key = body['external_id'];
  if (typeof key !== 'string' || !/^[A-Za-z0-9_:.-]{1,100}$/.test(key)) return reject('invalid_request', 'external_id');
  const amount = body['amount'];
  if (typeof amount !== 'number' || !Number.isSafeInteger(amount) || amount <= 0) return reject('invalid_request', 'amount');
  if (body['status'] !== 'COMPLETED' && body['status'] !== 'FAILED') return reject('invalid_request', 'status');
  const status = statusOf(body);
  if (!status) return reject('invalid_request', 'id');
  if (status.kind === 'pending') return reject('invalid_request', 'updated');
  return ok({ idempotencyKey: key, amount, status });
}
