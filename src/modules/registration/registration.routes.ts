import { createRoute, z } from '@hono/zod-openapi';
import type { Deps } from '../../deps.js';
import { unwrap } from '../../http/errors.js';
import { createOpenApiApp } from '../../http/openapi-app.js';
import { errorResponses, jsonBody, jsonResponse, ZBillEnvelope, ZDate, ZError, ZPrograms } from '../../http/schemas.js';
import { formOneAPdf } from './form-1a.js';
import { createRegistration, resendRegistrationOtp, submitRegistration, verifyRegistrationEmail, verifyRegistrationPhone } from './registration.js';

const tags = ['Pendaftaran (registration)'];

const ZRegistrationRequest = z
  .object({
    nik: z.string().openapi({ example: '3275011705900001' }),
    fullName: z.string().max(200),
    birthDate: ZDate,
    gender: z.enum(['M', 'F']),
    phone: z.string().max(32).openapi({ example: '081234567890' }),
    email: z.string().max(320),
    address: z.string().max(500),
    occupationCode: z.string(),
    branchCode: z.string(),
    consent: z.boolean(),
  })
  .openapi('RegistrationRequest');

const ZRegistrationState = z.object({ id: z.string(), status: z.string(), warnings: z.array(z.string()).optional() });
const ZId = z.object({ id: z.string().max(64) });
const conflict = { 409: { description: 'State conflict', content: { 'application/json': { schema: ZError } } } } as const;
const notFound = { 404: { description: 'unknown_registration', content: { 'application/json': { schema: ZError } } } } as const;
const PDF = { description: 'A4 PDF', content: { 'application/pdf': { schema: z.string().openapi({ format: 'binary' }) } } };
const tooMany = { 429: { description: 'Locked or rate limited', content: { 'application/json': { schema: ZError } } } } as const;

export function registrationRoutes(deps: Deps) {
  return createOpenApiApp()
    .openapi(
      createRoute({
        method: 'post',
        path: '/registrations',
        tags,
        summary:
          'Start a self-service registration (NIK checked against the population registry; email token and SMS OTP sent). 429 sms_limit_reached when the phone has had its 5 codes today: nothing is stored',
        request: { body: jsonBody(ZRegistrationRequest) },
        responses: { 201: jsonResponse(ZRegistrationState, 'Registration created'), ...errorResponses, ...conflict, ...tooMany },
      }),
      async (c) => c.json(unwrap(await createRegistration(deps, c.req.valid('json'))), 201),
    )
    .openapi(
      createRoute({
        method: 'post',
        path: '/registrations/{id}/verify-email',
        tags,
        summary: 'Verify the email address with the token sent by email',
        request: { params: ZId, body: jsonBody(z.object({ token: z.string().max(200) })) },
        responses: { 200: jsonResponse(ZRegistrationState, 'Email verified'), ...errorResponses, ...notFound },
      }),
      async (c) => c.json(unwrap(await verifyRegistrationEmail(deps, c.req.valid('param').id, c.req.valid('json').token)), 200),
    )
    .openapi(
      createRoute({
        method: 'post',
        path: '/registrations/{id}/verify-phone',
        tags,
        summary: 'Verify the phone with the 6-digit SMS OTP (5 minutes; locked after 5 wrong codes, and after 10 wrong codes a day for the phone until 00:00 WIB)',
        request: { params: ZId, body: jsonBody(z.object({ code: z.string().max(20) })) },
        responses: { 200: jsonResponse(ZRegistrationState, 'Phone verified'), ...errorResponses, ...notFound, ...tooMany },
      }),
      async (c) => c.json(unwrap(await verifyRegistrationPhone(deps, c.req.valid('param').id, c.req.valid('json').code)), 200),
    )
    .openapi(
      createRoute({
        method: 'post',
        path: '/registrations/{id}/otp',
        tags,
        summary: 'Send a new SMS OTP (at most one per 60 seconds: 429 too_many_requests; at most 5 codes a day per phone: 429 sms_limit_reached)',
        request: { params: ZId },
        responses: { 202: jsonResponse(z.object({ status: z.literal('sent') }), 'A new OTP was sent'), ...notFound, ...tooMany },
      }),
      async (c) => {
        unwrap(await resendRegistrationOtp(deps, c.req.valid('param').id));
        return c.json({ status: 'sent' as const }, 202);
      },
    )
    .openapi(
      createRoute({
        method: 'post',
        path: '/registrations/{id}/submit',
        tags,
        summary: 'Choose programs, declared income and months; issues the first bill (payment code valid 24 hours)',
        request: {
          params: ZId,
          body: jsonBody(z.object({ programs: ZPrograms, declaredIncome: z.number().int(), months: z.number().int() }).openapi('SubmitRequest')),
        },
        responses: { 201: jsonResponse(ZBillEnvelope, 'First bill issued'), ...errorResponses, ...notFound, ...conflict },
      }),
      async (c) => c.json(unwrap(await submitRegistration(deps, c.req.valid('param').id, c.req.valid('json'))), 201),
    )
    .openapi(
      createRoute({
        method: 'get',
        path: '/registrations/{id}/form-1a.pdf',
        tags,
        summary:
          'The printable Formulir 1A of a registration not yet paid (A4 PDF, Indonesian): its data prefilled, the NIK masked to the last 4 digits, and a form code (8 characters, big and as a QR, valid 30 days from the first print) by which a branch counter or SPO finds the draft',
        request: { params: ZId },
        responses: { 200: PDF, ...notFound, ...conflict },
      }),
      async (c) => {
        const file = unwrap(await formOneAPdf(deps, c.req.valid('param').id));
        return c.body(new Uint8Array(file.pdf), 200, { 'Content-Type': 'application/pdf', 'Content-Disposition': `attachment; filename="${file.fileName}"`, 'Cache-Control': 'private, no-store' }) as never;
      },
    );
}
