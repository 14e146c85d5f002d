import { createRoute, z } from '@hono/zod-openapi';
import type { Context } from 'hono';
import type { Deps } from '../../deps.js';
import { participantIdOf, requireParticipant, requireStaff, staffActorOf, type AuthEnv } from '../../http/auth.js';
import { AppError, localeOf } from '../../http/errors.js';
import { BEARER_AUTH, guardedApp, UNAUTHORIZED } from '../../http/guarded-app.js';
import { errorMessage } from '../../http/messages.js';
import { createOpenApiApp } from '../../http/openapi-app.js';
import { jsonBody, jsonResponse, ZDate, ZError, ZRupiah } from '../../http/schemas.js';
import { findParticipantByKpj } from '../membership/index.js';
import { claimQueue, memberClaims, memberClaimView, staffClaimView } from './claim-view.js';
import { JKK_OUTCOMES } from './domain/benefit-lines.js';
import { SCHOOL_LEVELS } from './domain/claims-rule-book.js';
import { ClaimRefusal, fileClaim, type FileClaimInput } from './filing.js';
import { fileOwnClaim } from './member-claims.js';
import { approveClaim, rejectClaim, resubmitClaim, verifyClaim } from './review.js';

const ZBankAccount = z
  .object({
    bankCode: z.string().min(2).max(20).openapi({ example: 'BCA' }),
    accountNumber: z.string().regex(/^\d{6,20}$/).openapi({ example: '1234567890' }),
    accountName: z.string().min(1).max(100).openapi({ example: 'Budi Santoso' }),
  })
  .openapi('BankAccount');
const ZInstant = z.string().datetime({ offset: true }).openapi({ example: '2026-11-20T08:30:00+07:00' });
const ZNpwp = z
  .string()
  .regex(/^(\d{15}|\d{16})$/)
  .optional()
  .openapi({
    description:
      'The tax number (NPWP), 15 or 16 digits without dots or dashes. A JHT claim needs it when the balance is above Rp50.000.000 or after an earlier partial claim (else 422 not_eligible, rule npwpRequired); then the NPWP card is a required document. Other claims ignore it.',
    example: '012345678901000',
  });
const MEMBER_REASONS = ['stopped_working', 'age_56', 'leaving_indonesia', 'total_disability', 'partial_10', 'partial_30'] as const;

const ZMemberClaim = z
  .object({
    type: z.enum(['JHT', 'JKK']),
    reason: z.enum(MEMBER_REASONS).optional(),
    reasonDate: ZDate.optional(),
    event: z.object({ at: ZInstant, description: z.string().max(2000).optional(), place: z.string().max(500).optional() }).optional(),
    npwp: ZNpwp,
    bankAccount: ZBankAccount,
  })
  .openapi('MemberClaimRequest');

const ZStaffClaim = z
  .object({
    kpj: z.string().regex(/^\d{11}$/),
    type: z.enum(['JHT', 'JKK', 'JKM']),
    reason: z.enum([...MEMBER_REASONS, 'death']).optional(),
    reasonDate: ZDate.optional(),
    event: z
      .object({ at: ZInstant, kind: z.enum(['death', 'accident', 'disability']).optional(), description: z.string().max(2000).optional(), place: z.string().max(500).optional() })
      .optional(),
    claimant: z
      .object({ nik: z.string().regex(/^\d{16}$/), fullName: z.string().min(1).max(100), relationship: z.enum(['spouse', 'child', 'parent', 'sibling', 'other']), phone: z.string().min(8).max(20) })
      .optional(),
    npwp: ZNpwp,
    bankAccount: ZBankAccount,
    children: z.array(z.object({ fullName: z.string().min(1).max(100), birthDate: ZDate, schoolLevel: z.enum(SCHOOL_LEVELS) })).max(10).optional(),
  })
  .openapi('StaffClaimRequest');

const ZFiled = z.object({ id: z.string(), status: z.enum(['submitted', 'verified']), type: z.enum(['JHT', 'JKK', 'JKM']) }).openapi('ClaimFiled');

const ZClaim = z
  .object({
    id: z.string(),
    type: z.enum(['JHT', 'JKK', 'JKM']),
    status: z.enum(['submitted', 'verified', 'approved', 'paid', 'rejected', 'returned']),
    kpj: z.string(),
    lines: z.array(z.object({ benefit: z.string(), amount: ZRupiah, child: z.string().optional() })).openapi({ description: 'The entitlement, once verified' }),
    total: z.number().int().nullable(),
    flags: z.array(z.string()).openapi({ description: 'e.g. late_report (a JKK report after 2×24 hours)' }),
    history: z.array(z.object({ at: z.string(), status: z.string(), actor: z.string(), reason: z.string().nullable() })),
    payout: z.object({ status: z.enum(['pending', 'paid', 'failed']), amount: ZRupiah }).optional(),
    npwp: z.string().nullable().optional().openapi({ description: 'Staff only: the NPWP given with a JHT claim, masked (last 4 digits)', example: '***********1000' }),
    claimant: z
      .unknown()
      .optional()
      .openapi({ description: 'Staff only: the heir who filed (JKK/JKM death) — { fullName, relationship, phone, nikMasked }; the NIK only as its last 4 digits (it is stored sealed)' }),
    eligibility: z
      .object({
        flags: z.array(z.object({ rule: z.string(), message: z.string(), todo: z.string() })),
        coverageAtEvent: z.object({ covered: z.boolean(), programs: z.array(z.string()), month: z.string() }).nullable(),
        failures: z
          .array(z.object({ code: z.string(), rule: z.string(), message: z.string(), todo: z.string() }))
          .openapi({ description: 'What the verification found but does not pay (e.g. a child beyond the scholarship cap or too old), in the caller’s language, with what to do' }),
      })
      .optional()
      .openapi({ description: 'Staff only: the flags explained, the cover at the event (JKK/JKM), the verification’s failures' }),
  })
  .passthrough()
  .openapi('Claim');

const idParam = z.object({ id: z.string().min(1).max(64) });
const MEMBER = ['Peserta (participants)'];
const STAFF = ['Staf (staff)'];
const REFUSALS = { 422: jsonResponse(ZError, 'Every failed rule (`message` names them all and what to do; `error.failures` lists them): not_eligible, online_limit_exceeded, partial_already_used, membership_too_short, waiting_period, not_covered_at_event, claim_in_progress') };
const MOVE_ERRORS = { 401: jsonResponse(ZError, 'unauthorized'), 403: jsonResponse(ZError, 'forbidden'), 404: jsonResponse(ZError, 'not_found'), 409: jsonResponse(ZError, 'invalid_transition or same_officer') };

/** The filing, or its refusal (ClaimRefusal); any other error is thrown on. */
async function refusing<T>(run: () => Promise<T>): Promise<{ ok: true; value: T } | { ok: false; refusal: ClaimRefusal }> {
  try {
    return { ok: true, value: await run() };
  } catch (err) {
    if (!(err instanceof ClaimRefusal)) {
      throw err;
    }
    return { ok: false, refusal: err };
  }
}

/** A refusal's body: every failed rule, in the caller's language (Accept-Language), the code the first failure's (all 422). */
function refusalBody(c: Context, err: ClaimRefusal) {
  const lang = localeOf(c);
  const texts = err.failures.map((f) => `${f.message} ${f.todo}`).join(' ');
  const failures = err.failures.map((f) => ({ code: f.code, rule: f.rule, message: f.message, todo: f.todo }));
  return { error: { code: err.code, message: `${errorMessage(err.code, lang)} ${texts}`, ...(err.detail ? { detail: err.detail } : {}), failures } };
}

const r = {
  fileMember: createRoute({ method: 'post', path: '/me/claims', tags: MEMBER, security: BEARER_AUTH, summary: 'File a JHT or JKK claim', request: { body: jsonBody(ZMemberClaim) }, responses: { 201: jsonResponse(ZFiled, 'Filed'), ...REFUSALS, ...UNAUTHORIZED } }),
  listMember: createRoute({ method: 'get', path: '/me/claims', tags: MEMBER, security: BEARER_AUTH, summary: "The member's claims, newest first", responses: { 200: jsonResponse(z.object({ claims: z.array(ZClaim) }), 'Claims'), ...UNAUTHORIZED } }),
  getMember: createRoute({ method: 'get', path: '/me/claims/{id}', tags: MEMBER, security: BEARER_AUTH, summary: 'One own claim (another member’s: 404)', request: { params: idParam }, responses: { 200: jsonResponse(ZClaim, 'Claim'), 404: jsonResponse(ZError, 'not_found'), ...UNAUTHORIZED } }),
  resubmit: createRoute({ method: 'post', path: '/me/claims/{id}/resubmit', tags: MEMBER, security: BEARER_AUTH, summary: 'Resubmit a returned claim', request: { params: idParam }, responses: { 200: jsonResponse(ZClaim, 'Submitted again'), ...MOVE_ERRORS } }),
  fileStaff: createRoute({ method: 'post', path: '/staff/claims', tags: STAFF, security: BEARER_AUTH, summary: 'File a claim at a branch (any type; heirs for a death)', request: { body: jsonBody(ZStaffClaim) }, responses: { 201: jsonResponse(ZFiled, 'Filed'), ...REFUSALS, ...MOVE_ERRORS } }),
  queue: createRoute({
    method: 'get',
    path: '/staff/claims',
    tags: STAFF,
    security: BEARER_AUTH,
    summary: 'The claims queue, oldest first',
    request: { query: z.object({ status: z.enum(['submitted', 'verified', 'approved', 'paid', 'rejected', 'returned']).optional(), type: z.enum(['JHT', 'JKK', 'JKM']).optional(), limit: z.coerce.number().int().min(1).max(200).default(50), cursor: z.string().max(200).optional() }) },
    responses: { 200: jsonResponse(z.object({ claims: z.array(z.object({ id: z.string(), type: z.string(), status: z.string(), kpj: z.string() }).passthrough()), nextCursor: z.string().nullable() }), 'A page of the queue'), ...MOVE_ERRORS },
  }),
  getStaff: createRoute({ method: 'get', path: '/staff/claims/{id}', tags: STAFF, security: BEARER_AUTH, summary: 'A claim with its history, flags and eligibility explanations', request: { params: idParam }, responses: { 200: jsonResponse(ZClaim, 'Claim'), ...MOVE_ERRORS } }),
  verify: createRoute({
    method: 'post',
    path: '/staff/claims/{id}/verify',
    tags: STAFF,
    security: BEARER_AUTH,
    summary: 'Verify: the entitlement computed (JKK: the assessed facts)',
    request: { params: idParam, body: { content: { 'application/json': { schema: z.object({ assessment: z.object({ outcome: z.enum(JKK_OUTCOMES), stmbDays: z.number().int().min(0).max(3650).optional(), medicalCost: z.number().int().min(0).optional(), disabilityPercent: z.number().int().min(1).max(100).optional() }).optional() }) } }, required: false } },
    responses: { 200: jsonResponse(ZClaim, 'Verified'), ...MOVE_ERRORS },
  }),
  approve: createRoute({ method: 'post', path: '/staff/claims/{id}/approve', tags: STAFF, security: BEARER_AUTH, summary: 'Approve (another officer than the verifier): benefit posted, payout created', request: { params: idParam }, responses: { 200: jsonResponse(ZClaim, 'Approved'), ...MOVE_ERRORS } }),
  reject: createRoute({ method: 'post', path: '/staff/claims/{id}/reject', tags: STAFF, security: BEARER_AUTH, summary: 'Reject with a reason', request: { params: idParam, body: jsonBody(z.object({ reason: z.string().trim().min(1).max(1000) })) }, responses: { 200: jsonResponse(ZClaim, 'Rejected'), ...MOVE_ERRORS } }),
  return: createRoute({ method: 'post', path: '/staff/claims/{id}/return', tags: STAFF, security: BEARER_AUTH, summary: 'Return to the claimant (a missing document) with a reason', request: { params: idParam, body: jsonBody(z.object({ reason: z.string().trim().min(1).max(1000) })) }, responses: { 200: jsonResponse(ZClaim, 'Returned'), ...MOVE_ERRORS } }),
};

/** The member's claims: /me/claims… (the member's session, like /me). */
export function memberClaimRoutes(deps: Deps) {
  const app = createOpenApiApp<AuthEnv>();
  const auth = requireParticipant(deps);
  app.use('/me/claims', async (c, next) => (c.get('principal') ? next() : auth(c, next)));
  app.use('/me/claims/*', async (c, next) => (c.get('principal') ? next() : auth(c, next)));
  return app
    .openapi(r.fileMember, async (c) => {
      const body = c.req.valid('json');
      const input = { type: body.type, reason: body.reason, reasonDate: body.reasonDate, event: body.event, npwp: body.npwp, bankAccount: body.bankAccount, lang: localeOf(c) };
      const out = await refusing(() => fileOwnClaim(deps, participantIdOf(c), input));
      return out.ok ? c.json(out.value, 201) : c.json(refusalBody(c, out.refusal), 422);
    })
    .openapi(r.listMember, async (c) => c.json({ claims: await memberClaims(deps, participantIdOf(c)) }, 200))
    .openapi(r.getMember, async (c) => c.json(await memberClaimView(deps, participantIdOf(c), c.req.valid('param').id), 200))
    .openapi(r.resubmit, async (c) => {
      const participantId = participantIdOf(c);
      await resubmitClaim(deps, { id: c.req.valid('param').id, participantId });
      return c.json(await memberClaimView(deps, participantId, c.req.valid('param').id), 200);
    });
}

/** The staff side: filing at a branch, the queue, a claim, and the officers' transitions (roles: STAFF_POLICY). */
export function staffClaimRoutes(deps: Deps) {
  const app = guardedApp(requireStaff(deps), ['/staff/claims', '/staff/claims/*']);
  const view = async (c: Context<AuthEnv>, id: string) => c.json(await staffClaimView(deps, id, localeOf(c)), 200);
  return app
    .openapi(r.fileStaff, async (c) => {
      const body = c.req.valid('json');
      const p = await findParticipantByKpj(deps.db, body.kpj);
      if (!p) {
        throw new AppError('unknown_participant', 'kpj');
      }
      const { kpj: _kpj, ...rest } = body;
      const input: FileClaimInput = { ...rest, participantId: p.id, channel: 'staff', actor: staffActorOf(c), lang: localeOf(c) };
      const out = await refusing(() => fileClaim(deps, input));
      return out.ok ? c.json(out.value, 201) : c.json(refusalBody(c, out.refusal), 422);
    })
    .openapi(r.queue, async (c) => c.json(await claimQueue(deps, c.req.valid('query')), 200))
    .openapi(r.getStaff, async (c) => view(c, c.req.valid('param').id))
    .openapi(r.verify, async (c) => {
      const { id } = c.req.valid('param');
      const body = c.req.valid('json') ?? {};
      await verifyClaim(deps, { id, actor: staffActorOf(c), assessment: body.assessment ?? null });
      return view(c, id);
    })
    .openapi(r.approve, async (c) => {
      await approveClaim(deps, { id: c.req.valid('param').id, actor: staffActorOf(c) });
      return view(c, c.req.valid('param').id);
    })
    .openapi(r.reject, async (c) => {
      await rejectClaim(deps, { id: c.req.valid('param').id, actor: staffActorOf(c), reason: c.req.valid('json').reason, kind: 'reject' });
      return view(c, c.req.valid('param').id);
    })
    .openapi(r.return, async (c) => {
      await rejectClaim(deps, { id: c.req.valid('param').id, actor: staffActorOf(c), reason: c.req.valid('json').reason, kind: 'return' });
      return view(c, c.req.valid('param').id);
    });
}
