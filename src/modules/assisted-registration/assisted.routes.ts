import { createRoute, z } from '@hono/zod-openapi';
import type { Deps } from '../../deps.js';
import { requireStaff, staffActorOf } from '../../http/auth.js';
import { unwrap } from '../../http/errors.js';
import { BEARER_AUTH, guardedApp } from '../../http/guarded-app.js';
import { jsonBody, jsonResponse, ZBill, ZDate, ZError, ZPrograms } from '../../http/schemas.js';
import { registerAtCounter, resendAtCounter, verifyAtCounter } from './assisted.js';
import { payAtCounter } from './counter-payment.js';
import { COUNTER_PAYMENT_METHODS } from './domain/counter-rules.js';
import { surveySummary } from './survey.js';

const TAG = 'Staf (staff)';
const ZForm = z
  .object({
    nik: z.string().max(32).openapi({ example: '3275011705900001' }),
    fullName: z.string().max(200).openapi({ description: 'As on the KTP; stored as the population registry spells it' }),
    birthDate: ZDate,
    gender: z.enum(['M', 'F']),
    phone: z.string().max(32).openapi({ example: '081234567890', description: "The WORKER's phone: the OTP goes there" }),
    email: z.string().max(320).default('').openapi({ description: "Optional: '' or absent — then everything goes by SMS and on the printed slip" }),
    address: z.string().max(500),
    occupationCode: z.string().max(40),
    declaredIncome: z.number().int(),
    programs: ZPrograms,
    months: z.number().int(),
    consent: z.boolean(),
  })
  .openapi('CounterRegistrationRequest');
const ZState = z
  .object({
    registrationId: z.string(),
    status: z.string(),
    channel: z.enum(['counter', 'spo']),
    branchCode: z.string(),
    servicePointCode: z.string().nullable(),
    paymentCode: z.string().nullable().openapi({ description: 'null until the phone is verified' }),
    bill: ZBill.nullable(),
    warnings: z.array(z.string()),
  })
  .openapi('CounterRegistration');
const ZPayment = z
  .object({
    paymentCode: z.string().max(20),
    amount: z.number().int(),
    method: z.enum(COUNTER_PAYMENT_METHODS),
    approvalCode: z.string().max(6).optional().openapi({ description: "EDC only: the terminal's 6-character approval code" }),
    idempotencyKey: z.string().max(36).openapi({ description: 'A UUID chosen when the payment form was rendered: the same key is the same payment' }),
  })
  .openapi('CounterPaymentRequest');
const ZPaymentOutcome = z
  .object({ status: z.enum(['applied', 'duplicate', 'unmatched']), reason: z.string().optional(), paymentCode: z.string(), amount: z.number().int(), method: z.enum(COUNTER_PAYMENT_METHODS), kpj: z.string().nullable() })
  .openapi('CounterPaymentOutcome');
const errors = {
  400: jsonResponse(ZError, 'invalid_request, staff_without_branch'),
  401: jsonResponse(ZError, 'unauthorized'),
  403: jsonResponse(ZError, 'forbidden'),
  404: jsonResponse(ZError, 'unknown_registration, unknown_payment_code'),
  409: jsonResponse(ZError, 'already_registered, registration_completed, bill_not_payable, idempotency_key_reused'),
  422: jsonResponse(ZError, 'invalid_nik, identity_mismatch, invalid_otp, amount_not_bill, approval_code_required, …'),
  429: jsonResponse(ZError, 'too_many_attempts, too_many_requests, sms_limit_reached'),
} as const;
const idParams = z.object({ id: z.string().max(64) });

const registerRoute = createRoute({
  method: 'post', path: '/staff/registrations', tags: [TAG], security: BEARER_AUTH,
  summary: "Formulir 1A typed at a counter or SPO desk: the same checks as the web (population registry, already a member); the OTP goes to the worker's phone; channel 'counter' or 'spo' from the officer's post; audited",
  request: { body: jsonBody(ZForm) },
  responses: { 201: jsonResponse(ZState, 'Registration created, OTP sent'), ...errors },
});
const otpRoute = createRoute({
  method: 'post', path: '/staff/registrations/{id}/otp', tags: [TAG], security: BEARER_AUTH,
  summary: "Send a new OTP to the worker's phone (the web's limits)",
  request: { params: idParams },
  responses: { 202: jsonResponse(z.object({ status: z.literal('sent') }), 'Sent'), ...errors },
});
const verifyRoute = createRoute({
  method: 'post', path: '/staff/registrations/{id}/verify', tags: [TAG], security: BEARER_AUTH,
  summary: 'The OTP the worker reads out: verifies the phone and issues the first bill from the form (again: the open bill); audited',
  request: { params: idParams, body: jsonBody(z.object({ code: z.string().max(20) })) },
  responses: { 200: jsonResponse(ZState, 'Verified; the first bill'), ...errors },
});
const payRoute = createRoute({
  method: 'post', path: '/staff/payments', tags: [TAG], security: BEARER_AUTH,
  summary: "Cash or EDC taken at the counter, settled like every channel's payment (channel counter, externalId counter:<idempotencyKey>); a repeat is a duplicate; audited",
  request: { body: jsonBody(ZPayment) },
  responses: { 200: jsonResponse(ZPaymentOutcome, 'Settled (or the duplicate of a settled payment)'), ...errors },
});
const surveyRoute = createRoute({
  method: 'get', path: '/staff/surveys/summary', tags: [TAG], security: BEARER_AUTH,
  summary: 'The e-survey after counter registrations: sent, answered, average stars (the last 30 days, optionally one branch)',
  request: { query: z.object({ branchCode: z.string().max(16).optional() }) },
  responses: { 200: jsonResponse(z.object({ sent: z.number().int(), answered: z.number().int(), average: z.number().nullable(), byRating: z.array(z.number().int()) }).openapi('SurveySummary'), 'Summary'), ...errors },
});

/** The assisted registration's staff endpoints (README "Registration at the counter"), each in STAFF_POLICY. */
export function assistedRegistrationRoutes(deps: Deps) {
  const app = guardedApp(requireStaff(deps), ['/staff/registrations', '/staff/registrations/*', '/staff/payments', '/staff/surveys/*']);
  return app
    .openapi(registerRoute, async (c) => c.json(unwrap(await registerAtCounter(deps, staffActorOf(c), c.req.valid('json'))), 201))
    .openapi(otpRoute, async (c) => {
      unwrap(await resendAtCounter(deps, staffActorOf(c), c.req.valid('param').id));
      return c.json({ status: 'sent' as const }, 202);
    })
    .openapi(verifyRoute, async (c) => c.json(unwrap(await verifyAtCounter(deps, staffActorOf(c), c.req.valid('param').id, c.req.valid('json').code)), 200))
    .openapi(payRoute, async (c) => c.json(unwrap(await payAtCounter(deps, staffActorOf(c), c.req.valid('json'))), 200))
    .openapi(surveyRoute, async (c) => c.json(await surveySummary(deps.db, { since: new Date(deps.clock.now().getTime() - 30 * 86_400_000), branchCode: c.req.valid('query').branchCode }), 200));
}
