import { createRoute, z } from '@hono/zod-openapi';
import type { Deps } from '../../deps.js';
import { participantIdOf, requireParticipant, requireStaff, staffActorOf, type AuthEnv } from '../../http/auth.js';
import { AppError } from '../../http/errors.js';
import { BEARER_AUTH, guardedApp } from '../../http/guarded-app.js';
import { createOpenApiApp } from '../../http/openapi-app.js';
import { jsonBody, jsonResponse, ZDate, ZError, ZRupiah } from '../../http/schemas.js';
import { getJhtView } from './jht-account.js';
import { putJhtRate } from './jht-rates.js';

const ZJhtEntry = z
  .object({
    date: ZDate.openapi({ description: 'WIB date: the settlement day of a contribution, 31 December of its year for a return, the posting day of an interim return (paid with a full withdrawal)' }),
    kind: z.enum(['contribution', 'return', 'withdrawal']),
    amount: ZRupiah,
    year: z.number().int().optional().openapi({ description: 'The year of a return (hasil pengembangan), interim or credited at year end' }),
  })
  .openapi('JhtEntry');

const ZJht = z
  .object({
    balance: z.number().int().openapi({ description: 'Contributions + credited returns − withdrawals (rupiah)', example: 1_077_575 }),
    accrued: z.number().int().openapi({ description: "This year's return to the end of yesterday (WIB) at the last announced rate, not yet credited" }),
    entries: z.array(ZJhtEntry).openapi({ description: 'Newest first' }),
  })
  .openapi('JhtAccount');

const meJhtRoute = createRoute({
  method: 'get',
  path: '/me/jht',
  tags: ['Peserta (participants)'],
  security: BEARER_AUTH,
  summary: 'JHT account: balance, the return accrued this year, and its entries (contributions, returns, withdrawals)',
  responses: { 200: jsonResponse(ZJht, 'JHT account'), 401: jsonResponse(ZError, 'unauthorized') },
});

const putRateRoute = createRoute({
  method: 'put',
  path: '/staff/jht-rates/{year}',
  tags: ['Staf (staff)'],
  security: BEARER_AUTH,
  summary: "Enter a year's JHT return rate (basis points, as BPJS announces it); frozen once any account was credited",
  request: {
    params: z.object({ year: z.string().regex(/^\d{4}$/).openapi({ example: '2027' }) }),
    body: jsonBody(z.object({ rateBp: z.number().int().min(0).max(10_000).openapi({ example: 725, description: '725 = 7.25% a year' }) })),
  },
  responses: {
    200: jsonResponse(z.object({ year: z.number().int(), rateBp: z.number().int(), setBy: z.string(), setAt: z.string() }).openapi('JhtRate'), 'The rate as entered'),
    400: jsonResponse(ZError, 'invalid_request'),
    401: jsonResponse(ZError, 'unauthorized'),
    403: jsonResponse(ZError, 'forbidden'),
    409: jsonResponse(ZError, 'rate_already_applied (the year was credited at its rate)'),
  },
});

/** GET /api/v1/me/jht (the member's session, like /me). */
export function jhtRoutes(deps: Deps) {
  const app = createOpenApiApp<AuthEnv>();
  const auth = requireParticipant(deps);
  // /me/* routes already authenticate the member (meRoutes); authenticate here only when nothing did.
  app.use('/me/jht', async (c, next) => (c.get('principal') ? next() : auth(c, next)));
  return app.openapi(meJhtRoute, async (c) => {
    const view = await getJhtView(deps, participantIdOf(c));
    if (!view) {
      throw new AppError('unauthorized');
    }
    c.header('Cache-Control', 'private, no-store');
    return c.json(view, 200);
  });
}

/** PUT /api/v1/staff/jht-rates/{year} (roles per the staff policy table; audited). */
export function jhtRateRoutes(deps: Deps) {
  const app = guardedApp(requireStaff(deps), ['/staff/jht-rates/*']);
  return app.openapi(putRateRoute, async (c) => {
    const year = Number(c.req.valid('param').year);
    if (year < 2000 || year > 2999) {
      throw new AppError('invalid_request', 'year', 'a year from 2000 to 2999');
    }
    const rate = await putJhtRate(deps, { year, rateBp: c.req.valid('json').rateBp, actor: staffActorOf(c) });
    return c.json({ year: rate.year, rateBp: rate.rateBp, setBy: rate.setBy, setAt: rate.setAt.toISOString() }, 200);
  });
}
