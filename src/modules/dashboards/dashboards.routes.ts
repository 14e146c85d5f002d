import { createRoute, z } from '@hono/zod-openapi';
import type { Deps } from '../../deps.js';
import { requireStaff } from '../../http/auth.js';
import { BEARER_AUTH, guardedApp } from '../../http/guarded-app.js';
import { jsonResponse, ZError, ZRupiah } from '../../http/schemas.js';
import { localDateInJakarta } from '../../shared/month.js';
import { claimsByAge, collections, figureCsv, FIGURES, membershipStatus, newMembers, payoutsByStatus, type Figure } from './dashboards.js';
import { NEW_MEMBER_WINDOWS, toCsv, type NewMemberWindow } from './figures.js';

const TAG = 'Staf (staff)';
const staffErrors = { 401: jsonResponse(ZError, 'unauthorized'), 403: jsonResponse(ZError, 'forbidden') } as const;
const ZDays = z.object({ days: z.enum(['30', '90']).default('30').openapi({ description: 'The window: the last 30 or 90 WIB days' }) });
const ZCount = z.number().int();

const ZNewMembers = z.object({
  from: z.string(),
  to: z.string(),
  days: ZCount,
  total: ZCount,
  channels: z.array(z.object({ channel: z.string(), count: ZCount })),
  branches: z.array(z.object({ branch: z.string(), count: ZCount })),
  byChannel: z.array(z.object({ day: z.string(), channel: z.string(), count: ZCount })),
  byBranch: z.array(z.object({ day: z.string(), branch: z.string(), count: ZCount })),
});
const ZStatus = z.object({ dates: z.array(z.object({ date: z.string(), active: ZCount, arrears: ZCount, inactive: ZCount })) });
const ZMoney = z.object({ months: z.array(z.object({ month: z.string(), billed: ZRupiah, collected: ZRupiah, gap: z.number().int() })) });
const ZClaims = z.object({
  asOf: z.string(),
  statuses: z.array(z.object({ status: z.string(), count: ZCount, amount: ZRupiah })),
  buckets: z.array(z.object({ status: z.string(), age: z.string(), count: ZCount, amount: ZRupiah })),
});
const ZPayouts = z.object({ count: ZCount, amount: ZRupiah, statuses: z.array(z.object({ status: z.string(), count: ZCount, amount: ZRupiah })) });

const SUMMARY: Record<Figure, string> = {
  'new-members': 'New members per WIB day by registration channel and by branch, the last 30 or 90 days',
  'membership-status': 'Members active / in arrears (tunggakan) / inactive at each month end (WIB) of the last 12 months, from the status changes',
  collections: 'Contributions billed (bills issued) vs collected (contribution transfers of the ledger) per WIB month, the last 12 months',
  claims: 'Claims by state and age bucket (days since filing), with the sum of their totals',
  payouts: 'Claim payouts by status, with their count and sum',
};
const SCHEMA = { 'new-members': ZNewMembers, 'membership-status': ZStatus, collections: ZMoney, claims: ZClaims, payouts: ZPayouts } as const;

function jsonRoute<F extends Figure>(figure: F) {
  return createRoute({
    method: 'get',
    path: `/staff/dashboards/${figure}`,
    tags: [TAG],
    security: BEARER_AUTH,
    summary: `Dashboard: ${SUMMARY[figure]}`,
    request: { query: ZDays },
    responses: { 200: jsonResponse(SCHEMA[figure] as (typeof SCHEMA)[F], 'The figure'), 400: jsonResponse(ZError, 'invalid_request'), ...staffErrors },
  });
}

function csvRoute(figure: Figure) {
  return createRoute({
    method: 'get',
    path: `/staff/dashboards/${figure}.csv`,
    tags: [TAG],
    security: BEARER_AUTH,
    summary: `Dashboard CSV export (UTF-8, header row with Indonesian column names, attachment): ${SUMMARY[figure]}`,
    request: { query: ZDays },
    responses: { 200: { description: 'The CSV', content: { 'text/csv': { schema: z.string() } } }, 400: jsonResponse(ZError, 'invalid_request'), ...staffErrors },
  });
}

/** The CSV response of a figure: `<name>-<date WIB>.csv` as an attachment. */
export async function csvResponse(deps: Deps, figure: Figure, days: NewMemberWindow): Promise<Response> {
  const now = deps.clock.now();
  const t = await figureCsv(deps.db, figure, now, days);
  return new Response(toCsv(t.header, t.rows), {
    status: 200,
    headers: {
      'content-type': 'text/csv; charset=utf-8',
      'content-disposition': `attachment; filename="${t.name}-${localDateInJakarta(now)}.csv"`,
      'cache-control': 'no-store',
    },
  });
}

const daysOf = (q: { days: string }) => Number(q.days) as NewMemberWindow;

/** Staff endpoints of the dashboards (README "Dashboards"): each figure as JSON and as CSV; supervisor and admin. */
export function dashboardRoutes(deps: Deps) {
  const app = guardedApp(requireStaff(deps), ['/staff/dashboards/*']);
  const now = () => deps.clock.now();
  app
    .openapi(jsonRoute('new-members'), async (c) => c.json(await newMembers(deps.db, now(), daysOf(c.req.valid('query'))), 200))
    .openapi(jsonRoute('membership-status'), async (c) => c.json(await membershipStatus(deps.db, now()), 200))
    .openapi(jsonRoute('collections'), async (c) => c.json(await collections(deps.db, now()), 200))
    .openapi(jsonRoute('claims'), async (c) => c.json(await claimsByAge(deps.db, now()), 200))
    .openapi(jsonRoute('payouts'), async (c) => c.json(await payoutsByStatus(deps.db), 200));
  for (const figure of FIGURES) {
    app.openapi(csvRoute(figure), (async (c: { req: { valid: (k: 'query') => { days: string } } }) => csvResponse(deps, figure, daysOf(c.req.valid('query')))) as never);
  }
  return app;
}

export { NEW_MEMBER_WINDOWS };
