import { createRoute, z } from '@hono/zod-openapi';
import type { Deps } from '../../deps.js';
import { requireStaff, staffActorOf, type AuthEnv } from '../../http/auth.js';
import { AppError, unwrap } from '../../http/errors.js';
import { BEARER_AUTH, UNAUTHORIZED } from '../../http/guarded-app.js';
import { createOpenApiApp } from '../../http/openapi-app.js';
import { errorResponses, jsonBody, jsonResponse, ZError } from '../../http/schemas.js';
import { findParticipantByKpj } from '../membership/index.js';
import { resendCard, resendPaymentCode, unlockOtp } from './actions.js';
import { listComplaints, openComplaint, resolveComplaint } from './complaints.js';
import { COMPLAINT_CATEGORIES } from './domain/sla.js';
import { memberTimeline } from './timeline.js';

const TAGS = ['Layanan pelanggan (contact centre)'];
const ZKpj = z.object({ kpj: z.string().max(32) });
const ZReason = z.object({ reason: z.string().trim().min(3).max(500).openapi({ description: 'Why (kept in the staff audit)' }) });
const STAFF_ERRORS = { ...UNAUTHORIZED, 403: jsonResponse(ZError, 'forbidden'), 404: jsonResponse(ZError, 'unknown_participant') } as const;

const ZTimeline = z
  .object({
    events: z.array(
      z.object({
        at: z.string(),
        kind: z.enum(['bill_issued', 'bill_paid', 'bill_expired', 'payment', 'status_change', 'message', 'claim', 'complaint_opened', 'complaint_resolved']),
        ref: z.string(),
        detail: z.record(z.string(), z.union([z.string(), z.number(), z.null()])),
      }),
    ),
    page: z.number().int(),
    pageSize: z.number().int(),
    hasMore: z.boolean(),
  })
  .openapi('MemberTimeline');
const ZComplaint = z
  .object({
    id: z.string(),
    kpj: z.string(),
    category: z.string(),
    description: z.string(),
    status: z.enum(['open', 'resolved']),
    openedAt: z.string(),
    slaDueAt: z.string(),
    overdue: z.boolean(),
    openedBy: z.string(),
    resolvedAt: z.string().nullable(),
    resolvedBy: z.string().nullable(),
    resolution: z.string().nullable(),
  })
  .openapi('Complaint');

const post = (path: string, summary: string, body: z.ZodType, ok: z.ZodType, extra: Record<number, ReturnType<typeof jsonResponse>> = {}) =>
  createRoute({
    method: 'post',
    path,
    tags: TAGS,
    security: BEARER_AUTH,
    summary,
    request: { params: ZKpj, body: jsonBody(body) },
    responses: { 200: jsonResponse(ok, 'Done'), ...errorResponses, ...STAFF_ERRORS, ...extra },
  });

const timelineRoute = createRoute({
  method: 'get',
  path: '/staff/participants/{kpj}/timeline',
  tags: TAGS,
  security: BEARER_AUTH,
  summary: "A member's timeline, newest first and paged: bills, payments, status changes, messages (channel, template, status — never the body: no OTP code), claims, complaints",
  request: { params: ZKpj, query: z.object({ page: z.coerce.number().int().min(0).max(1000).default(0), pageSize: z.coerce.number().int().min(1).max(100).default(25) }) },
  responses: { 200: jsonResponse(ZTimeline, 'Timeline'), ...errorResponses, ...STAFF_ERRORS },
});
const cardRoute = post('/staff/participants/{kpj}/card-resend', 'Resend the membership card email (card_issued, the PDF attached)', ZReason, z.object({ channel: z.literal('email') }));
const codeRoute = post('/staff/participants/{kpj}/payment-code-resend', "Resend the open bill's payment code by email and SMS", ZReason, z.object({ paymentCode: z.string(), channels: z.tuple([z.literal('email'), z.literal('sms')]) }), {
  409: jsonResponse(ZError, 'no_open_bill'),
});
const unlockRoute = post('/staff/participants/{kpj}/otp-unlock', "Lift the OTP locks of the member's phone (today's counts, a login code killed by 5 wrong tries)", ZReason, z.object({ failedAttemptsToday: z.number().int(), codesIssuedToday: z.number().int(), challengeClosed: z.boolean() }));
const openRoute = createRoute({
  method: 'post',
  path: '/staff/participants/{kpj}/complaints',
  tags: TAGS,
  security: BEARER_AUTH,
  summary: 'Open a complaint (pengaduan); slaDueAt = opened + the category’s working days (holiday calendar)',
  request: { params: ZKpj, body: jsonBody(z.object({ category: z.enum(COMPLAINT_CATEGORIES), description: z.string().trim().min(3).max(2000) })) },
  responses: { 201: jsonResponse(ZComplaint, 'Opened'), ...errorResponses, ...STAFF_ERRORS },
});
const listRoute = createRoute({
  method: 'get',
  path: '/staff/participants/{kpj}/complaints',
  tags: TAGS,
  security: BEARER_AUTH,
  summary: "A member's complaints, newest first",
  request: { params: ZKpj },
  responses: { 200: jsonResponse(z.object({ complaints: z.array(ZComplaint) }), 'Complaints'), ...STAFF_ERRORS },
});
const resolveRoute = createRoute({
  method: 'post',
  path: '/staff/complaints/{id}/resolve',
  tags: TAGS,
  security: BEARER_AUTH,
  summary: 'Resolve an open complaint with its resolution',
  request: { params: z.object({ id: z.string().max(64) }), body: jsonBody(z.object({ resolution: z.string().trim().min(3).max(2000) })) },
  responses: { 200: jsonResponse(ZComplaint, 'Resolved'), ...errorResponses, ...UNAUTHORIZED, 403: jsonResponse(ZError, 'forbidden'), 404: jsonResponse(ZError, 'unknown_complaint'), 409: jsonResponse(ZError, 'complaint_resolved') },
});

async function member(deps: Deps, kpj: string) {
  const p = await findParticipantByKpj(deps.db, kpj);
  if (!p) {
    throw new AppError('unknown_participant', 'kpj');
  }
  return p;
}

/**
 * The contact centre's API (roles per the staff policy). membership's staffRoutes guards /staff/participants/*
 * already; guard here only when nothing did (one staff check per request), like heirs.
 */
export function contactCentreRoutes(deps: Deps) {
  const app = createOpenApiApp<AuthEnv>();
  const guard = requireStaff(deps);
  const once = async (c: Parameters<typeof guard>[0], next: Parameters<typeof guard>[1]) => (c.get('principal')?.kind === 'staff' ? next() : guard(c, next));
  app.use('/staff/participants/:kpj/*', once);
  app.use('/staff/complaints/*', once);
  return app
    .openapi(timelineRoute, async (c) => {
      const q = c.req.valid('query');
      const page = await memberTimeline(deps.db, await member(deps, c.req.valid('param').kpj), { page: q.page, pageSize: q.pageSize, now: deps.clock.now() });
      return c.json({ ...page, events: page.events.map((e) => ({ ...e, at: e.at.toISOString() })) }, 200);
    })
    .openapi(cardRoute, async (c) => {
      const by = { actor: staffActorOf(c), reason: (c.req.valid('json') as { reason: string }).reason };
      return c.json(unwrap(await resendCard(deps, await member(deps, c.req.valid('param').kpj), by)), 200);
    })
    .openapi(codeRoute, async (c) => {
      const by = { actor: staffActorOf(c), reason: (c.req.valid('json') as { reason: string }).reason };
      return c.json(unwrap(await resendPaymentCode(deps, await member(deps, c.req.valid('param').kpj), by)), 200);
    })
    .openapi(unlockRoute, async (c) => {
      const by = { actor: staffActorOf(c), reason: (c.req.valid('json') as { reason: string }).reason };
      return c.json(await unlockOtp(deps, await member(deps, c.req.valid('param').kpj), by), 200);
    })
    .openapi(openRoute, async (c) => {
      const body = c.req.valid('json');
      const p = await member(deps, c.req.valid('param').kpj);
      return c.json(await openComplaint(deps, p, { category: body.category, description: body.description, actor: staffActorOf(c) }), 201);
    })
    .openapi(listRoute, async (c) => c.json({ complaints: await listComplaints(deps, await member(deps, c.req.valid('param').kpj)) }, 200))
    .openapi(resolveRoute, async (c) => {
      const body = c.req.valid('json');
      return c.json(unwrap(await resolveComplaint(deps, c.req.valid('param').id, { resolution: body.resolution, actor: staffActorOf(c) })), 200);
    });
}
