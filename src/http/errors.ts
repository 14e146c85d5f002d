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
  already_registered: 409,
  verification_incomplete: 409,
  registration_completed: 409,
  external_id_conflict: 409,
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
  invalid_token: 422,
  invalid_otp: 422,
  too_many_attempts: 429,
  too_many_requests: 429,
  internal_error: 500,
  identity_unavailable: 503,
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
  return /^en\b/i.test(lang.trim()) ? 'en' : 'id';
}

export function errorBody(code: ErrorCode, locale: Locale, field?: string, detail?: string) {
  const message = detail ? `${errorMessage(code, locale)} ${detail}` : errorMessage(code, locale);
  return { error: { code, message, ...(field ? { field } : {}) } };
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
    if (err instanceof HTTPException && err.status === 400) {
      return errorResponse(c, 'invalid_request', undefined, err.message ? `(${err.message})` : undefined);
    }
    if (err instanceof HTTPException && err.status < 500) {
      return c.json({ error: { code: 'invalid_request', message: err.message } }, err.status);
    }
    logger.error('unhandled error', { path: c.req.path, method: c.req.method, error: err.stack ?? String(err) });
    return errorResponse(c, 'internal_error');
  };
}
