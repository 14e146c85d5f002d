import { createRoute, z } from '@hono/zod-openapi';
import type { Context } from 'hono';
import type { Deps } from '../../deps.js';
import { bearerToken, participantIdOf, requireParticipant, requireStaff, requireStaffOrPartner } from '../../http/auth.js';
import { AppError, unwrap } from '../../http/errors.js';
import { BEARER_AUTH, guardedApp, UNAUTHORIZED } from '../../http/guarded-app.js';
import { errorResponses, jsonBody, jsonResponse, ZBillEnvelope, ZError, ZMonth, ZRupiah } from '../../http/schemas.js';
import { renderCardPdf } from '../cards/index.js';
import { walletBalance } from '../ledger/index.js';
import { coverageAt, findParticipantByKpj, getMemberSummary, type ParticipantSearch, searchParticipants } from './participants.js';
import { normalizePhone } from '../identity/index.js';
import { deleteSession } from '../auth/index.js';
import { getCard, getParticipantForStaff, issueMemberBill, memberView, requestLoginOtp, switchParticipant, verifyLoginOtp, verifyCardToken, type SignIn } from './member.js';

const ZStatus = z.enum(['active', 'arrears', 'inactive']);
const ZMe = z
  .object({
    kpj: z.string().openapi({ example: '10000000017' }),
    fullName: z.string(),
    status: ZStatus,
    programs: z.array(z.string()),
    declaredIncome: ZRupiah,
    declaredIncomeFrom: ZMonth.nullable().openapi({ description: 'The month the declared income applies from after a change (PATCH /me); null when unchanged since joining' }),
    coveredThrough: ZMonth,
    coveredFrom: z.string().openapi({
      example: '2026-11-22T10:00:05.123+07:00',
      description: 'The start of the current unbroken cover: the instant the payment that began it settled (never back-dated to the 1st), or the start of its first month when that was paid in advance. A reactivation after inactive starts a new cover.',
    }),
    nextDue: z.object({ month: ZMonth, dueDate: z.string(), amount: ZRupiah }),
    overdueMonths: z.array(ZMonth),
    occupationCode: z.string(),
    branchCode: z.string(),
    wallet: z
      .object({ balance: ZRupiah })
      .optional()
      .openapi({ description: 'The contribution wallet (GET /me/wallet has the top-up code and the movements)' }),
  })
  .openapi('Me');
const ZCard = z
  .object({ kpj: z.string(), fullName: z.string(), programs: z.array(z.string()), coveredThrough: ZMonth, verifyUrl: z.string(), status: ZStatus })
  .openapi('Card');
const ZVerify = z
  .object({ valid: z.boolean(), kpj: z.string().optional(), nameMasked: z.string().optional(), status: ZStatus.optional(), coveredThrough: ZMonth.optional() })
  .openapi('CardVerification');
const ZSignIn = z
  .object({
    token: z.string(),
    expiresAt: z.string(),
    participants: z
      .array(z.object({ kpj: z.string(), nameMasked: z.string() }))
      .openapi({
        description:
          'Every participant using the verified phone, newest first (e.g. a couple sharing one phone); the token opens the first. With more than one, POST /auth/switch { kpj } re-issues the session for another.',
      }),
  })
  .openapi('SignIn');
/** A sign-in's answer; a bearer token is never cached. */
function signInBody(c: Context, s: SignIn) {
  c.header('Cache-Control', 'no-store');
  return { token: s.token, expiresAt: s.expiresAt.toISOString(), participants: s.participants };
}

/** Switch the session to another participant sharing its phone. */
const switchRoute = createRoute({
  method: 'post',
  path: '/auth/switch',
  tags: ['Peserta (participants)'],
  security: BEARER_AUTH,
  summary: 'Re-issue the session for another participant sharing the phone it was signed in with (the old token stops working)',
  request: { body: jsonBody(z.object({ kpj: z.string().max(32) })) },
  responses: { 200: jsonResponse(ZSignIn, 'Switched'), ...errorResponses, ...UNAUTHORIZED, 404: jsonResponse(ZError, 'unknown_participant') },
});
/** Sign out. */
const logoutRoute = createRoute({
  method: 'post',
  path: '/auth/logout',
  tags: ['Peserta (participants)'],
  security: BEARER_AUTH,
  summary: 'Sign out: the bearer token is revoked at once (then 401 everywhere)',
  responses: { 204: { description: 'Signed out' }, ...UNAUTHORIZED },
});

export function authRoutes(deps: Deps) {
  return guardedApp(requireParticipant(deps), ['/auth/logout', '/auth/switch'])
    .openapi(
      createRoute({
        method: 'post',
        path: '/auth/otp',
        tags: ['Peserta (participants)'],
        summary: 'Request a login OTP by SMS (always 202: whether the phone is registered is not revealed)',
        request: { body: jsonBody(z.object({ phone: z.string().max(32) })) },
        responses: { 202: jsonResponse(z.object({ status: z.literal('accepted') }), 'Accepted'), 400: errorResponses[400] },
      }),
      async (c) => {
        await requestLoginOtp(deps, c.req.valid('json').phone);
        return c.json({ status: 'accepted' as const }, 202);
      },
    )
    .openapi(
      createRoute({
        method: 'post',
        path: '/auth/verify',
        tags: ['Peserta (participants)'],
        summary:
          'Exchange the login OTP for a bearer token (429 too_many_attempts after 5 wrong codes for the code, or 10 wrong codes a day for the phone until 00:00 WIB)',
        request: { body: jsonBody(z.object({ phone: z.string().max(32), code: z.string().max(20) })) },
        responses: {
          200: jsonResponse(ZSignIn, 'Signed in'),
          ...errorResponses,
          429: jsonResponse(ZError, 'too_many_attempts'),
        },
      }),
      async (c) => {
        const body = c.req.valid('json');
        return c.json(signInBody(c, unwrap(await verifyLoginOtp(deps, body.phone, body.code))), 200);
      },
    )
    .openapi(switchRoute, async (c) => c.json(signInBody(c, unwrap(await switchParticipant(deps, bearerToken(c) ?? '', c.req.valid('json').kpj))), 200))
    .openapi(logoutRoute, async (c) => {
      await deleteSession(deps.db, bearerToken(c) ?? '');
      return c.body(null, 204);
    })
    .openapi(
      createRoute({
        method: 'get',
        path: '/cards/verify',
        tags: ['Kartu (card)'],
        summary: 'Public card verification (the card QR code points here)',
        // No length limit here: an over-long (altered) token is answered {valid:false} like any other forgery.
        request: { query: z.object({ token: z.string().optional() }) },
        responses: { 200: jsonResponse(ZVerify, 'Verification result') },
      }),
      async (c) => {
        const token = c.req.valid('query').token ?? '';
        c.header('Cache-Control', 'no-store');
        return c.json(await verifyCardToken(deps, token), 200);
      },
    );
}

export function meRoutes(deps: Deps) {
  const app = guardedApp(requireParticipant(deps), ['/me', '/me/*']);
  app.openAPIRegistry.registerComponent('securitySchemes', 'bearerAuth', { type: 'http', scheme: 'bearer' });
  return app
    .openapi(
      createRoute({ method: 'get', path: '/me', tags: ['Peserta (participants)'], security: BEARER_AUTH, summary: 'Membership status, cover and next due', responses: { 200: jsonResponse(ZMe, 'Me'), ...UNAUTHORIZED } }),
      async (c) => {
        const summary = await getMemberSummary(deps, participantIdOf(c));
        if (!summary) {
          throw new AppError('unauthorized');
        }
        return c.json({ ...(await memberView(deps, summary)), wallet: { balance: await walletBalance(deps.db, summary.participant.kpj) } }, 200);
      },
    )
    .openapi(
      createRoute({
        method: 'post',
        path: '/me/bills',
        tags: ['Peserta (participants)'],
        security: BEARER_AUTH,
        summary: 'A bill for the next 1/3/6/12 months (after coveredThrough, or from the current month when inactive)',
        request: { body: jsonBody(z.object({ months: z.number().int() })) },
        responses: { 201: jsonResponse(ZBillEnvelope, 'Bill issued'), ...errorResponses, ...UNAUTHORIZED },
      }),
      async (c) => c.json(unwrap(await issueMemberBill(deps, participantIdOf(c), c.req.valid('json').months)), 201),
    )
    .openapi(
      createRoute({ method: 'get', path: '/me/card', tags: ['Kartu (card)'], security: BEARER_AUTH, summary: 'Digital membership card', responses: { 200: jsonResponse(ZCard, 'Card'), ...UNAUTHORIZED } }),
      async (c) => {
        const card = await getCard(deps, participantIdOf(c));
        if (!card) {
          throw new AppError('unauthorized');
        }
        return c.json({ kpj: card.kpj, fullName: card.fullName, programs: card.programs, coveredThrough: card.coveredThrough, verifyUrl: card.verifyUrl, status: card.status }, 200);
      },
    )
    .openapi(
      createRoute({
        method: 'get',
        path: '/me/card.pdf',
        tags: ['Kartu (card)'],
        security: BEARER_AUTH,
        summary: 'Digital membership card as PDF, with a QR code to the verification URL',
        responses: { 200: { description: 'PDF', content: { 'application/pdf': { schema: z.string().openapi({ format: 'binary' }) } } }, ...UNAUTHORIZED },
      }),
      async (c) => {
        const card = await getCard(deps, participantIdOf(c));
        if (!card) {
          throw new AppError('unauthorized');
        }
        const pdf = await renderCardPdf(card);
        return c.body(new Uint8Array(pdf), 200, {
          'Content-Type': 'application/pdf',
          'Content-Disposition': `inline; filename="kartu-bpjs-${card.kpj}.pdf"`,
          'Cache-Control': 'private, no-store',
        });
      },
    );
}

const searchRoute = createRoute({
  method: 'get',
  path: '/staff/participants',
  tags: ['Staf (staff)'],
  security: BEARER_AUTH,
  summary: 'Find participants by exactly one of NIK, phone, KPJ, or name + birth date (counter, contact centre, supervisor); the NIK is never returned',
  description: 'name + birthDate: the name matches case- and space-insensitively (otherwise exactly), the birth date exactly; both are required together.',
  request: {
    query: z.object({
      nik: z.string().regex(/^\d{16}$/).optional(),
      phone: z.string().max(32).optional(),
      kpj: z.string().max(32).optional(),
      name: z.string().min(1).max(100).optional(),
      birthDate: z.iso.date().optional().openapi({ example: '1990-05-17' }),
    }),
  },
  responses: {
    200: jsonResponse(
      z.object({ participants: z.array(z.object({ kpj: z.string(), fullName: z.string(), status: z.string(), coveredThrough: ZMonth })) }).openapi('ParticipantMatches'),
      'Matches, newest first (at most 50)',
    ),
    400: jsonResponse(ZError, 'invalid_request (none or more than one of nik, phone, kpj, name + birthDate; or name without birthDate)'),
    ...UNAUTHORIZED,
    403: jsonResponse(ZError, 'forbidden'),
    422: jsonResponse(ZError, 'invalid_phone'),
  },
});

/** The search criterion of GET /staff/participants: exactly one of nik, phone (normalised), kpj, or name + birthDate. */
function searchCriterion(q: { nik?: string | undefined; phone?: string | undefined; kpj?: string | undefined; name?: string | undefined; birthDate?: string | undefined }): ParticipantSearch {
  const given = (['nik', 'phone', 'kpj', 'name'] as const).filter((k) => q[k] !== undefined);
  if (given.length !== 1) {
    throw new AppError('invalid_request', given[1] ?? 'kpj', 'give exactly one of nik, phone, kpj, name + birthDate');
  }
  if ((q.name === undefined) !== (q.birthDate === undefined)) {
    throw new AppError('invalid_request', q.name === undefined ? 'name' : 'birthDate', 'name and birthDate go together');
  }
  if (q.phone !== undefined) {
    const phone = normalizePhone(q.phone);
    if (!phone.ok) {
      throw new AppError('invalid_phone', 'phone');
    }
    return { phone: phone.value };
  }
  if (q.name !== undefined && q.birthDate !== undefined) {
    return { name: q.name, birthDate: q.birthDate };
  }
  return q.nik !== undefined ? { nik: q.nik } : { kpj: q.kpj ?? '' };
}

export function staffRoutes(deps: Deps) {
  // GET /participants/{kpj} is for staff and partners (a partner token with scope members, for whom it enrolled).
  const app = guardedApp(requireStaff(deps), ['/staff/participants', '/staff/participants/*']);
  app.use('/participants/*', requireStaffOrPartner(deps, 'members'));
  return app
    .openapi(searchRoute, async (c) => c.json({ participants: await searchParticipants(deps, searchCriterion(c.req.valid('query'))) }, 200))
    .openapi(
    createRoute({
      method: 'get',
      path: '/participants/{kpj}',
      tags: ['Staf (staff)'],
      security: BEARER_AUTH,
      summary: 'Participant detail for staff and partners (participant tokens get 403)',
      description: 'A partner token (scope members) reads only the participants its partner enrolled; any other KPJ is 404 unknown_participant.',
      request: { params: z.object({ kpj: z.string().max(32) }) },
      responses: {
        200: jsonResponse(ZMe.extend({ nikMasked: z.string(), phone: z.string(), email: z.string(), sector: z.string(), funding: z.string(), joinedAt: z.string(), currentMonth: ZMonth, holidayCalendarMissing: z.boolean().openapi({ description: "true: no holiday calendar is entered for the next due date's year; that due date skips weekends only" }) }), 'Participant'),
        ...UNAUTHORIZED,
        403: jsonResponse(ZError, 'forbidden'),
        404: jsonResponse(ZError, 'unknown_participant'),
      },
    }),
    async (c) => {
      const kpj = c.req.valid('param').kpj;
      const principal = c.get('principal');
      if (principal.kind === 'partner' && !(await deps.partners?.enrolled(deps.db, principal.partnerId, kpj))) {
        throw new AppError('unknown_participant', 'kpj');
      }
      const p = await getParticipantForStaff(deps, kpj);
      if (!p) {
        throw new AppError('unknown_participant', 'kpj');
      }
      return c.json(p, 200);
    },
  ).openapi(
    createRoute({
      method: 'get',
      path: '/staff/participants/{kpj}/coverage',
      tags: ['Staf (staff)'],
      security: BEARER_AUTH,
      summary: 'Was this participant covered at an instant (the question every claim asks)',
      description:
        'covered iff the WIB month of `at` is a covered month AND `at` is at or after the start of that unbroken cover (the instant the payment that began it settled). `programs`: what that month was paid for (empty when not covered). `at` defaults to now.',
      request: {
        params: z.object({ kpj: z.string().max(32) }),
        query: z.object({ at: z.iso.datetime({ offset: true }).optional().openapi({ example: '2026-12-03T14:30:00+07:00' }) }),
      },
      responses: {
        200: jsonResponse(z.object({ covered: z.boolean(), programs: z.array(z.string()), month: ZMonth }).openapi('CoverageAt'), 'Coverage at the instant'),
        400: jsonResponse(ZError, 'invalid_request'),
        ...UNAUTHORIZED,
        403: jsonResponse(ZError, 'forbidden'),
        404: jsonResponse(ZError, 'unknown_participant'),
      },
    }),
    async (c) => {
      const p = await findParticipantByKpj(deps.db, c.req.valid('param').kpj);
      if (!p) {
        throw new AppError('unknown_participant', 'kpj');
      }
      const at = c.req.valid('query').at;
      return c.json(await coverageAt(deps.db, p.id, at ? new Date(at) : deps.clock.now()), 200);
    },
  );
}
