import { createRoute, z } from '@hono/zod-openapi';
import type { Context, Next } from 'hono';
import type { Deps } from '../../deps.js';
import { participantIdOf, requireParticipant, requireStaff, staffActorOf, type AuthEnv } from '../../http/auth.js';
import { AppError, unwrap } from '../../http/errors.js';
import { BEARER_AUTH, UNAUTHORIZED } from '../../http/guarded-app.js';
import { createOpenApiApp } from '../../http/openapi-app.js';
import { jsonBody, jsonResponse, ZDate, ZError, ZMonth } from '../../http/schemas.js';
import { confirmEmailChange, confirmPhoneChange, startEmailChange, startPhoneChange } from './contact-change.js';
import { changeMemberData, type ChangeActor } from './data-change.js';
import { findParticipantByKpj } from './participants.js';
import { normalizeEmail, normalizePhone } from '../identity/index.js';

/** PATCH /me and the phone and e-mail changes of the member; PATCH /staff/participants/{kpj} for the counter. */

const ZDataChange = z
  .object({
    address: z.string().max(400).optional(),
    occupationCode: z.string().max(64).optional().openapi({ description: 'GET /reference/occupations; the sector follows the occupation' }),
    branchCode: z.string().max(16).optional().openapi({ description: 'GET /reference/branches' }),
    declaredIncome: z.number().int().optional().openapi({ example: 3_000_000, description: 'Applies from the next unpaid month (effectiveFrom); paid months never change' }),
    addPrograms: z.array(z.string().max(8)).max(3).optional().openapi({ example: ['JHT'], description: 'Applies from the next unpaid month' }),
    removePrograms: z.array(z.string().max(8)).max(3).optional().openapi({ description: 'JKK and JKM: 422 program_required; JHT: 422 program_removal_unsupported (v1)' }),
  })
  .openapi('DataChange');
const ZDataChanged = z
  .object({
    changed: z.array(z.string()).openapi({ example: ['declared_income'] }),
    effectiveFrom: ZMonth.nullable().openapi({ description: 'The month a new income or program applies from (null when neither changed)' }),
  })
  .openapi('DataChanged');
const ZPending = z.object({ status: z.literal('pending'), expiresAt: z.string() }).openapi('ContactChangePending');
const DATA_ERRORS = '422: invalid_address, unknown_occupation, unknown_branch, income_below_minimum, invalid_programs, program_required, program_removal_unsupported';
const TAGS = ['Peserta (participants)'];

const patchMe = createRoute({
  method: 'patch',
  path: '/me',
  tags: TAGS,
  security: BEARER_AUTH,
  summary: 'Change address, occupation, branch, declared income or programs (audited; income and programs from the next unpaid month)',
  request: { body: jsonBody(ZDataChange) },
  responses: { 200: jsonResponse(ZDataChanged, 'Changed'), 400: jsonResponse(ZError, 'invalid_request'), ...UNAUTHORIZED, 422: jsonResponse(ZError, DATA_ERRORS) },
});
const startPhone = createRoute({
  method: 'post',
  path: '/me/phone',
  tags: TAGS,
  security: BEARER_AUTH,
  summary: 'Start a phone change: an OTP by SMS to the NEW number',
  request: { body: jsonBody(z.object({ phone: z.string().max(32) })) },
  responses: { 202: jsonResponse(ZPending, 'OTP sent'), ...UNAUTHORIZED, 422: jsonResponse(ZError, 'invalid_phone'), 429: jsonResponse(ZError, 'too_many_requests, sms_limit_reached') },
});
const confirmPhone = createRoute({
  method: 'post',
  path: '/me/phone/confirm',
  tags: TAGS,
  security: BEARER_AUTH,
  summary: 'Confirm a phone change: the OTP plus the birth date and the last 6 digits of the NIK (a wrong identity answer spends the code)',
  request: { body: jsonBody(z.object({ code: z.string().max(20), birthDate: ZDate, nikLast6: z.string().regex(/^\d{6}$/) })) },
  responses: { 200: jsonResponse(z.object({ phone: z.string() }), 'Changed'), ...UNAUTHORIZED, 422: jsonResponse(ZError, 'invalid_otp, identity_check_failed'), 429: jsonResponse(ZError, 'too_many_attempts') },
});
const startEmail = createRoute({
  method: 'post',
  path: '/me/email',
  tags: TAGS,
  security: BEARER_AUTH,
  summary: 'Start an e-mail change: a confirmation link (24 hours) to the NEW address; the change applies when it is opened',
  request: { body: jsonBody(z.object({ email: z.string().max(254) })) },
  responses: { 202: jsonResponse(ZPending, 'Link sent'), ...UNAUTHORIZED, 422: jsonResponse(ZError, 'invalid_email') },
});
const confirmEmail = createRoute({
  method: 'get',
  path: '/me/email/confirm',
  tags: TAGS,
  security: BEARER_AUTH,
  summary: "Apply an e-mail change from its link's token (the e-mailed link opens the portal page /akun/profil/email, which does the same)",
  request: { query: z.object({ token: z.string().max(200) }) },
  responses: { 200: jsonResponse(z.object({ email: z.string() }), 'Changed'), ...UNAUTHORIZED, 422: jsonResponse(ZError, 'invalid_token') },
});

const memberAuth = (deps: Deps) => {
  const auth = requireParticipant(deps);
  // /me and /me/* are authenticated by meRoutes already; authenticate here only when nothing did.
  return async (c: Context<AuthEnv>, next: Next) => (c.get('principal') ? next() : auth(c, next));
};
const SELF: ChangeActor = { kind: 'participant' };

/** PATCH /me, POST /me/phone, /me/phone/confirm, /me/email and GET /me/email/confirm. */
export function dataChangeRoutes(deps: Deps) {
  const app = createOpenApiApp<AuthEnv>();
  app.use('/me', memberAuth(deps));
  app.use('/me/*', memberAuth(deps));
  return app
    .openapi(patchMe, async (c) => c.json(unwrap(await changeMemberData(deps, participantIdOf(c), c.req.valid('json'), SELF)), 200))
    .openapi(startPhone, async (c) => {
      const done = unwrap(await startPhoneChange(deps, participantIdOf(c), c.req.valid('json').phone, SELF));
      return c.json({ status: 'pending' as const, expiresAt: done.expiresAt.toISOString() }, 202);
    })
    .openapi(confirmPhone, async (c) => {
      const { code, birthDate, nikLast6 } = c.req.valid('json');
      return c.json(unwrap(await confirmPhoneChange(deps, participantIdOf(c), code, { birthDate, nikLast6 }, SELF)), 200);
    })
    .openapi(startEmail, async (c) => {
      const done = unwrap(await startEmailChange(deps, participantIdOf(c), c.req.valid('json').email, SELF));
      return c.json({ status: 'pending' as const, expiresAt: done.expiresAt.toISOString() }, 202);
    })
    .openapi(confirmEmail, async (c) => {
      const token = c.req.valid('query').token;
      if (!token.startsWith(`${participantIdOf(c)}.`)) {
        throw new AppError('invalid_token', 'token');
      }
      return c.json({ email: unwrap(await confirmEmailChange(deps, token)).email }, 200);
    });
}

const ZStaffChange = ZDataChange.extend({
  phone: z.string().max(32).optional().openapi({ description: 'Starts a phone change: an OTP to the new number; confirm with POST …/phone/confirm' }),
  email: z.string().max(254).optional().openapi({ description: 'Starts an e-mail change: a confirmation link to the new address' }),
  identityChecked: z.boolean().openapi({ description: 'The officer checked the KTP in person: must be true (else 422 identity_check_required)' }),
}).openapi('StaffDataChange');

const patchStaff = createRoute({
  method: 'patch',
  path: '/staff/participants/{kpj}',
  tags: ['Staf (staff)'],
  security: BEARER_AUTH,
  summary: "Change a member's data at the counter (the KTP checked in person); a new phone or e-mail is confirmed by OTP or link as in self-service",
  request: { params: z.object({ kpj: z.string().max(32) }), body: jsonBody(ZStaffChange) },
  responses: {
    200: jsonResponse(ZDataChanged.extend({ phoneOtpSent: z.boolean(), emailLinkSent: z.boolean() }).openapi('StaffDataChanged'), 'Changed'),
    ...UNAUTHORIZED,
    403: jsonResponse(ZError, 'forbidden'),
    404: jsonResponse(ZError, 'unknown_participant'),
    422: jsonResponse(ZError, `${DATA_ERRORS}, identity_check_required, invalid_phone, invalid_email`),
  },
});
const confirmStaffPhone = createRoute({
  method: 'post',
  path: '/staff/participants/{kpj}/phone/confirm',
  tags: ['Staf (staff)'],
  security: BEARER_AUTH,
  summary: 'Confirm a phone change at the counter: the OTP the member received on the new phone (the KTP checked in person)',
  request: { params: z.object({ kpj: z.string().max(32) }), body: jsonBody(z.object({ code: z.string().max(20), identityChecked: z.boolean() })) },
  responses: { 200: jsonResponse(z.object({ phone: z.string() }), 'Changed'), ...UNAUTHORIZED, 403: jsonResponse(ZError, 'forbidden'), 404: jsonResponse(ZError, 'unknown_participant'), 422: jsonResponse(ZError, 'invalid_otp, identity_check_required') },
});

const phoneValid = (phone: string | undefined) => (phone === undefined ? null : normalizePhone(phone).ok);

async function participantIdByKpj(deps: Deps, kpj: string): Promise<string> {
  const p = await findParticipantByKpj(deps.db, kpj);
  if (!p) {
    throw new AppError('unknown_participant', 'kpj');
  }
  return p.id;
}

/** The counter's change of a member's data; its phone and e-mail parts start the same confirmations as self-service. */
async function counterDataChange(deps: Deps, kpj: string, body: z.infer<typeof ZStaffChange>, username: string) {
  if (body.identityChecked !== true) {
    throw new AppError('identity_check_required', 'identityChecked');
  }
  if (phoneValid(body.phone) === false) throw new AppError('invalid_phone', 'phone');
  if (body.email !== undefined && !normalizeEmail(body.email).ok) throw new AppError('invalid_email', 'email');
  const id = await participantIdByKpj(deps, kpj);
  const actor: ChangeActor = { kind: 'staff', username };
  const { phone, email, identityChecked: _checked, ...fields } = body;
  const done = unwrap(await changeMemberData(deps, id, fields, actor));
  if (phone !== undefined) unwrap(await startPhoneChange(deps, id, phone, actor));
  if (email !== undefined) unwrap(await startEmailChange(deps, id, email, actor));
  return { ...done, phoneOtpSent: phone !== undefined, emailLinkSent: email !== undefined };
}

/** PATCH /staff/participants/{kpj} and POST /staff/participants/{kpj}/phone/confirm (roles per STAFF_POLICY). */
export function dataChangeStaffRoutes(deps: Deps) {
  const app = createOpenApiApp<AuthEnv>();
  const guard = requireStaff(deps);
  app.use('/staff/participants/*', async (c, next) => (c.get('principal')?.kind === 'staff' ? next() : guard(c, next)));
  return app
    .openapi(patchStaff, async (c) => c.json(await counterDataChange(deps, c.req.valid('param').kpj, c.req.valid('json'), staffActorOf(c)), 200))
    .openapi(confirmStaffPhone, async (c) => {
      const body = c.req.valid('json');
      if (body.identityChecked !== true) {
        throw new AppError('identity_check_required', 'identityChecked');
      }
      const id = await participantIdByKpj(deps, c.req.valid('param').kpj);
      return c.json(unwrap(await confirmPhoneChange(deps, id, body.code, { identityChecked: true }, { kind: 'staff', username: staffActorOf(c) })), 200);
    });
}
