import type { Context } from 'hono';
import { HTTPException } from 'hono/http-exception';
import { isDatabaseUnavailable } from '../db/unavailable.js';
import { negotiateLanguage } from '../shared/i18n/language.js';
import type { Logger } from '../shared/logger.js';
import type { Rejected, Result } from '../shared/result.js';
import { errorMessage, type ErrorMessageKey, type Locale } from './messages.js';

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
  // issue 13, rule fidelity (names, holidays, simulator)
  invalid_start_month: 422,
  invalid_holiday_calendar: 422,
  service_unavailable: 503,
  payload_too_large: 413,
  rate_limited: 429,
  sms_limit_reached: 429,
  prepay_limit: 422,
  invalid_paid_at: 422,
  // issue 15, staff accounts
  invalid_credentials: 401,
  // issue 15, claim documents
  document_empty: 422,
  document_too_large: 413,
  document_type_not_allowed: 415,
  claim_documents_closed: 409,
  // issue 15, JHT returns
  rate_already_applied: 409,
  // issue 15, claims
  not_eligible: 422,
  online_limit_exceeded: 422,
  partial_already_used: 422,
  membership_too_short: 422,
  waiting_period: 422,
  not_covered_at_event: 422,
  claim_in_progress: 422,
  invalid_transition: 409,
  same_officer: 409,
  // issue 15, heirs (ahli waris)
  too_many_heirs: 422,
  invalid_heir_name: 422,
  invalid_relationship: 422,
  invalid_birth_date: 422,
  // issue 15, payouts
  unknown_payout: 404,
  payout_not_failed: 409,
  // issue 16, counter queue (antrean loket)
  staff_without_branch: 400,
  unknown_ticket: 404,
  ticket_not_called: 409,
  // issue 16, staff administration
  unknown_staff_account: 404,
  username_taken: 409,
  own_admin_role: 409,
  // issue 16, contact centre
  no_open_bill: 409,
  unknown_complaint: 404,
  complaint_resolved: 409,
  // issue 16, assisted registration at the counter / SPO, counter payments, e-survey
  bill_not_payable: 409,
  amount_not_bill: 422,
  approval_code_required: 422,
  idempotency_key_reused: 409,
  unknown_survey: 404,
  survey_answered: 409,
  unknown_service_point: 422,
  draft_nik_mismatch: 422,
  // issue 16, Formulir 1A
  draft_not_found: 404,
  // issue 16, member data changes
  invalid_address: 422,
  program_required: 422,
  program_removal_unsupported: 422,
  identity_check_required: 422,
  identity_check_failed: 422,
  // issue 17, funding (who pays)
  funding_month_paid: 409,
  // issue 17, partners (OAuth2 client credentials, enrolment batches)
  invalid_client: 401,
  unsupported_grant_type: 400,
  idempotency_key_required: 400,
  unknown_partner: 404,
  unknown_partner_client: 404,
  unknown_batch: 404,
  not_on_roster: 404,
  unknown_invoice: 404,
  roster_too_large: 413,
  unknown_roster_upload: 404,
  // issue 17, collective bills (src/modules/payer-bills)
  payer_bill_member_unavailable: 409,
  payer_bill_empty: 422,
  // issue 17, PERISAI agents (per-command reasons of POST /agent/commands use these codes and messages too)
  agent_ended: 403,
  unknown_agent: 404,
  unknown_kantor_perisai: 422,
  kantor_perisai_exists: 409,
  participant_not_active: 409,
  already_agent: 409,
  command_conflict: 409,
  command_pending: 409,
  amount_mismatch: 422,
  cash_limit_exceeded: 422,
  unknown_enrolment: 422,
  // issue 17, PERISAI incentives
  incentive_statement_not_due: 409,
  incentive_statement_not_approved: 409,
  incentive_same_officer: 409,
  // issue 17, webhooks
  invalid_webhook_url: 422,
  unknown_webhook_delivery: 404,
  // issue 17, Sertakan (sponsorship)
  cannot_sponsor_self: 422,
  already_sponsored: 409,
  unknown_sponsorship: 404,
  sponsorship_not_active: 409,
  not_sponsored: 409,
  // issue 17 wave 2, partner batches (a row's code)
  already_in_open_batch: 409,
} as const;

/** Seconds a client is told to wait (Retry-After) before sending a request again that was answered `service_unavailable`. */
export const RETRY_AFTER_SECONDS = 5;

export type ErrorCode = keyof typeof STATUS_BY_CODE;

export class AppError extends Error {
  constructor(
    readonly code: ErrorCode,
    readonly field?: string,
    readonly detail?: string,
    /** A text other than the code's own for this caller (messages.ts ERROR_MESSAGE_VARIANTS); the code stays. */
    readonly messageKey?: ErrorMessageKey,
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

/** The language of an API answer: Accept-Language by q-value, Indonesian by default (the one negotiator, shared/i18n). */
export function localeOf(c: Context): Locale {
  return negotiateLanguage({ acceptLanguage: c.req.header('accept-language') });
}

/**
 * `message` is for people, wholly in their language; `detail` (technical, English, optional) is for developers and
 * is kept out of the message so an Indonesian message never carries English fragments.
 */
export function errorBody(code: ErrorCode, locale: Locale, field?: string, detail?: string, messageKey?: ErrorMessageKey) {
  return { error: { code, message: errorMessage(code, locale, messageKey), ...(field ? { field } : {}), ...(detail ? { detail } : {}) } };
}

export function errorResponse(c: Context, code: ErrorCode, field?: string, detail?: string, messageKey?: ErrorMessageKey): Response {
  if (code === 'service_unavailable') {
    c.header('retry-after', String(RETRY_AFTER_SECONDS));
  }
  return c.json(errorBody(code, localeOf(c), field, detail, messageKey), STATUS_BY_CODE[code]);
}

/**
 * A database error that only a client's input can cause, as the developer detail of a 400; null for anything else.
 * PostgreSQL refuses a NUL character in text (SQLSTATE 22021 character_not_in_repertoire): that only ever comes from
 * a client's string (a path parameter, a JSON or form field), so it is bad input, not a server fault.
 */
export function clientCausedDatabaseError(err: unknown): string | null {
  return (err as { code?: unknown } | null)?.code === '22021' ? 'text must not contain NUL characters' : null;
}

/**
 * One onError: known rejections map through STATUS_BY_CODE; a database that cannot be reached or did not answer in
 * time is 503 `service_unavailable` with Retry-After (the request's outcome may be unknown: the client sends it again,
 * and every money-moving request is idempotent); anything else is logged and shown as a generic 500.
 */
export function createErrorHandler(logger: Logger) {
  return (err: Error, c: Context): Response => {
    if (err instanceof AppError) {
      return errorResponse(c, err.code, err.field, err.detail, err.messageKey);
    }
    const clientCaused = clientCausedDatabaseError(err);
    if (clientCaused) {
      return errorResponse(c, 'invalid_request', undefined, clientCaused);
    }
    if (err instanceof HTTPException && err.status === 400) {
      return errorResponse(c, 'invalid_request', undefined, err.message || undefined);
    }
    if (err instanceof HTTPException && err.status < 500) {
      // e.g. 415 for a body that is not declared as JSON: same error shape and language as every other error.
      return c.json(errorBody('invalid_request', localeOf(c), undefined, err.message || undefined), err.status);
    }
    if (isDatabaseUnavailable(err)) {
      logger.warn('database unavailable', { path: c.req.path, method: c.req.method, error: String(err) });
      return errorResponse(c, 'service_unavailable', undefined, 'database unavailable');
    }
    logger.error('unhandled error', { path: c.req.path, method: c.req.method, error: err.stack ?? String(err) });
    return errorResponse(c, 'internal_error');
  };
}
