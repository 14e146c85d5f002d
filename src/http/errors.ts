import type { Context } from 'hono';
import { HTTPException } from 'hono/http-exception';
import type { Logger } from '../shared/logger.js';
import type { Rejected, Result } from '../shared/result.js';
import { errorMessage, type Locale } from './messages.js';

/** The closed set of error codes the API returns, and the one table that maps them to HTTP statuses. */
export const STATUS_BY_CODE = {
  invalid_request: 400,
  unauthorized: 401,
  invalid_signature: 401,
  forbidden: 403,
  not_found: 404,
  unknown_payment_code: 404,
  unknown_registration: 404,
  unknown_participant: 404,
  unknown_mandate: 404,
  unknown_payment: 404,
  unknown_reconciliation_run: 404,
  already_registered: 409,
  verification_incomplete: 409,
  registration_completed: 409,
  external_id_conflict: 409,
  mandate_exists: 409,
  payment_not_unmatched: 409,
  payment_already_resolved: 409,
  income_below_minimum: 422,
  invalid_programs: 422,
  invalid_months: 422,
  unknown_occupation: 422,
  unknown_branch: 422,
  invalid_nik: 422,
  invalid_phone: 422,
  invalid_email: 422,
  consent_required: 422,
  identity_mismatch: 422,
  unknown_debit_provider: 422,
  invalid_account_number: 422,
  invalid_settlement_file: 422,
  invalid_token: 422,
  invalid_otp: 422,
  too_many_attempts: 429,
  too_many_requests: 429,
  internal_error: 500,
  identity_unavailable: 503,
  autodebit_unavailable: 503,
  prepay_limit: 422,
  invalid_paid_at: 422,
} as const;

export type ErrorCode = keyof typeof STATUS_BY_CODE;

export class AppError extends Error {
  constructor(
    readonly code: ErrorCode,
    readonly field?: string,
    readonly detail?: string,
  ) {
    super(code);
  }
}

/** Turns a rejected Result into a thrown AppError; routes stay free of business branching. */
export function unwrap<T, C extends ErrorCode>(result: Result<T, C>): T {
  if (!result.ok) {
    const r = result as Rejected<C>;
    throw new AppError(r.code, r.field, r.detail);
  }
  return result.value;
}

export function localeOf(c: Context): Locale {
  const lang = c.req.header('accept-language') ?? '';
  return /^en(?:$|[-_,;])/i.test(lang.trim()) ? 'en' : 'id';
}

/**
 * `message` is for people, wholly in their language; `detail` (technical, English, optional) is for developers and
 * is kept out of the message so an Indonesian message never carries English fragments.
 */
export function errorBody(code: ErrorCode, locale: Locale, field?: string, detail?: string) {
  return { error: { code, message: errorMessage(code, locale), ...(field ? { field } : {}), ...(detail ? { detail } : {}) } };
}

export function errorResponse(c: Context, code: ErrorCode, field?: string, detail?: string): Response {
  return c.json(errorBody(code, localeOf(c), field, detail), STATUS_BY_CODE[code]);
}

/** One onError: known rejections map through STATUS_BY_CODE; anything else is logged and shown as a generic 500. */
export function createErrorHandler(logger: Logger) {
  return (err: Error, c: Context): Response => {
    if (err instanceof AppError) {
      return errorResponse(c, err.code, err.field, err.detail);
    }
    // PostgreSQL refuses a NUL character in text (SQLSTATE 22021 character_not_in_repertoire): that only ever comes
    // from a client's string (a path parameter or a JSON field), so it is bad input, not a server fault.
    if ((err as { code?: unknown }).code === '22021') {
      return errorResponse(c, 'invalid_request', undefined, 'text must not contain NUL characters');
    }
    if (err instanceof HTTPException && err.status === 400) {
      return errorResponse(c, 'invalid_request', undefined, err.message || undefined);
    }
    if (err instanceof HTTPException && err.status < 500) {
      // e.g. 415 for a body that is not declared as JSON: same error shape and language as every other error.
      return c.json(errorBody('invalid_request', localeOf(c), undefined, err.message || undefined), err.status);
    }
    logger.error('unhandled error', { path: c.req.path, method: c.req.method, error: err.stack ?? String(err) });
    return errorResponse(c, 'internal_error');
  };
}
