import { createRoute, z } from '@hono/zod-openapi';
import type { Deps } from '../../deps.js';
import { type AuthEnv, participantIdOf, requireParticipant } from '../../http/auth.js';
import { unwrap } from '../../http/errors.js';
import { BEARER_AUTH } from '../../http/guarded-app.js';
import { createOpenApiApp } from '../../http/openapi-app.js';
import { jsonBody, jsonResponse, ZDate, ZError, ZMonth, ZPrograms, ZRupiah } from '../../http/schemas.js';
import { giveConsent, resendConsentCode } from './consent.js';
import { sponsorBill, stopSponsorship, takeOver } from './manage.js';
import { listSponsorships, type SponsorshipView } from './sponsorship-store.js';
import { sponsorWorker } from './start.js';

const TAG = 'Sertakan (sponsorship)';
const ZWorker = z
  .object({
    nik: z.string().max(32).openapi({ example: '3275011705900001' }),
    fullName: z.string().max(200),
    birthDate: ZDate,
    gender: z.enum(['M', 'F']),
    phone: z.string().max(32).openapi({ description: "The WORKER's phone: the consent link and the OTP go there" }),
    email: z.string().max(320).default('').openapi({ description: "Optional: '' or absent — the sponsor's own email then gets the registration's messages" }),
    address: z.string().max(500),
    occupationCode: z.string().max(40),
    branchCode: z.string().max(40),
  })
  .openapi('SponsoredWorker');
const ZSponsorRequest = z
  .object({
    worker: ZWorker.optional().openapi({ description: 'A new worker, registered through the registration rules (funding sponsor)' }),
    kpj: z.string().max(20).optional().openapi({ description: 'Instead of worker: an existing member (self-paying) to sponsor' }),
    programs: ZPrograms.default(['JKK', 'JKM']),
    declaredIncome: z.number().int().default(0).openapi({ description: 'New worker: the income the contribution is priced from' }),
    months: z.number().int().openapi({ description: 'The months the first bill covers once the worker consents (1–12)' }),
  })
  .openapi('SponsorshipRequest');
const ZPayable = z.object({ paymentCode: z.string(), amount: ZRupiah, expiresAt: z.string() }).openapi('SponsorshipBill');
const ZSponsorship = z
  .object({
    id: z.string(),
    workerName: z.string(),
    kpj: z.string().optional(),
    status: z.enum(['awaiting_consent', 'active', 'ended']),
    endedReason: z.enum(['taken_over', 'sponsor_stopped', 'expired']).optional(),
    coveredThrough: ZMonth.optional(),
    nextDue: z.object({ month: ZMonth, dueDate: ZDate, amount: ZRupiah }).optional(),
    bill: ZPayable.optional().openapi({ description: 'The open bill the sponsor can pay now (pay it through the normal channels)' }),
  })
  .openapi('Sponsorship');
const ZConsented = z.object({ id: z.string(), status: z.literal('active'), bill: ZPayable.nullable() }).openapi('SponsorshipConsented');
const errors = {
  401: jsonResponse(ZError, 'unauthorized'),
  404: jsonResponse(ZError, 'unknown_sponsorship, unknown_participant'),
  409: jsonResponse(ZError, 'already_sponsored, already_registered, sponsorship_not_active, not_sponsored, registration_completed'),
  422: jsonResponse(ZError, "cannot_sponsor_self, the registration's codes (invalid_nik, identity_mismatch, …), invalid_otp (detail: attempts left), invalid_months, prepay_limit, …"),
  429: jsonResponse(ZError, 'too_many_attempts, too_many_requests, sms_limit_reached'),
} as const;
const idParams = z.object({ id: z.string().max(64) });

/** The API shape of a sponsorship: absent instead of null. */
export function sponsorshipJson(v: SponsorshipView): z.infer<typeof ZSponsorship> {
  return {
    id: v.id,
    workerName: v.workerName,
    status: v.status,
    ...(v.kpj ? { kpj: v.kpj } : {}),
    ...(v.endedReason ? { endedReason: v.endedReason } : {}),
    ...(v.coveredThrough ? { coveredThrough: v.coveredThrough } : {}),
    ...(v.nextDue ? { nextDue: v.nextDue } : {}),
    ...(v.bill ? { bill: v.bill } : {}),
  };
}

const createRouteDef = createRoute({
  method: 'post', path: '/me/sponsorships', tags: [TAG], security: BEARER_AUTH,
  summary: "Sertakan: sponsor a worker — a new one (registered with the registration's checks, funding sponsor) or an existing member by KPJ; the worker gets an SMS with the consent link and must consent by OTP before anything is billed",
  request: { body: jsonBody(ZSponsorRequest) },
  responses: { 201: jsonResponse(ZSponsorship, 'Awaiting the worker’s consent'), ...errors },
});
const listRoute = createRoute({
  method: 'get', path: '/me/sponsorships', tags: [TAG], security: BEARER_AUTH,
  summary: 'The workers the member sponsors (newest first): status, cover, next due month, the open bill to pay',
  responses: { 200: jsonResponse(z.array(ZSponsorship), 'Sponsorships'), ...errors },
});
const billRoute = createRoute({
  method: 'post', path: '/me/sponsorships/{id}/bills', tags: [TAG], security: BEARER_AUTH,
  summary: "The sponsor pays the worker's next months: the member bill path (from the month after the cover, the worker's funding in force); replaces an unpaid bill",
  request: { params: idParams, body: jsonBody(z.object({ months: z.number().int() })) },
  responses: { 201: jsonResponse(ZPayable, 'The bill to pay'), ...errors },
});
const stopRoute = createRoute({
  method: 'post', path: '/me/sponsorships/{id}/stop', tags: [TAG], security: BEARER_AUTH,
  summary: 'The sponsor stops: the worker is told by SMS and pays themself from their next unpaid month',
  request: { params: idParams },
  responses: { 200: jsonResponse(ZSponsorship, 'Ended'), ...errors },
});
const takeOverRoute = createRoute({
  method: 'post', path: '/me/sponsorship/take-over', tags: [TAG], security: BEARER_AUTH,
  summary: 'The sponsored worker pays themself from their next unpaid month; the sponsor is told by SMS',
  responses: { 200: jsonResponse(ZSponsorship, 'Ended (taken over)'), ...errors },
});
const consentRoute = createRoute({
  method: 'post', path: '/sponsorships/{id}/consent', tags: [TAG],
  summary: "The worker consents with the OTP sent to their phone (UU 27/2022 consent text, versioned): a new worker's registration is submitted (the first bill); an existing member is billed for the sponsor's months. Again: the same answer",
  request: { params: idParams, body: jsonBody(z.object({ code: z.string().max(20) })) },
  responses: { 200: jsonResponse(ZConsented, 'Consented; the bill the sponsor pays'), ...errors },
});
const otpRoute = createRoute({
  method: 'post', path: '/sponsorships/{id}/otp', tags: [TAG],
  summary: "A new consent code to the worker's phone (60-second and 5-a-day limits)",
  request: { params: idParams },
  responses: { 202: jsonResponse(z.object({ status: z.literal('sent') }), 'Sent'), ...errors },
});

/** Sertakan's endpoints (README "Sertakan"): the sponsor's under /me (a participant session), the worker's consent public. */
export function sponsorshipRoutes(deps: Deps) {
  const app = createOpenApiApp<AuthEnv>();
  const auth = requireParticipant(deps);
  // /me/* routes already authenticate the member (meRoutes); authenticate here only when nothing did.
  for (const path of ['/me/sponsorships', '/me/sponsorships/*', '/me/sponsorship/*']) {
    app.use(path, async (c, next) => (c.get('principal') ? next() : auth(c, next)));
  }
  return app
    .openapi(createRouteDef, async (c) => c.json(sponsorshipJson(unwrap(await sponsorWorker(deps, participantIdOf(c), c.req.valid('json')))), 201))
    .openapi(listRoute, async (c) => {
      c.header('Cache-Control', 'private, no-store');
      return c.json((await listSponsorships(deps, participantIdOf(c))).map(sponsorshipJson), 200);
    })
    .openapi(billRoute, async (c) => c.json(unwrap(await sponsorBill(deps, participantIdOf(c), c.req.valid('param').id, c.req.valid('json').months)), 201))
    .openapi(stopRoute, async (c) => c.json(sponsorshipJson(unwrap(await stopSponsorship(deps, participantIdOf(c), c.req.valid('param').id))), 200))
    .openapi(takeOverRoute, async (c) => c.json(sponsorshipJson(unwrap(await takeOver(deps, participantIdOf(c)))), 200))
    .openapi(consentRoute, async (c) => c.json(unwrap(await giveConsent(deps, c.req.valid('param').id, c.req.valid('json').code)), 200))
    .openapi(otpRoute, async (c) => {
      unwrap(await resendConsentCode(deps, c.req.valid('param').id));
      return c.json({ status: 'sent' as const }, 202);
    });
}
