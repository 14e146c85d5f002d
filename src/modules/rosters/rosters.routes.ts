import { createRoute, z } from '@hono/zod-openapi';
import type { Deps } from '../../deps.js';
import { type AuthEnv, partnerIdOf, requirePartner, requireStaff } from '../../http/auth.js';
import { AppError } from '../../http/errors.js';
import { BEARER_AUTH, guardedApp, UNAUTHORIZED } from '../../http/guarded-app.js';
import { createOpenApiApp } from '../../http/openapi-app.js';
import { jsonBody, jsonResponse, ZError, ZMonth } from '../../http/schemas.js';
import { invoiceMembersCsv } from './domain/roster-rules.js';
import { invoiceView, payerInvoices } from './invoices.js';
import { leaveRoster } from './leave.js';

const TAG = 'Mitra (partners)';
const ZPeriod = z.object({ period: ZMonth.openapi({ description: "The period, a calendar month 'YYYY-MM'" }) });
const ZInvoiceMember = z.object({
  kpj: z.string(),
  fullName: z.string(),
  months: z.array(z.string()).openapi({ description: 'The contribution months the member bill covers' }),
  amount: z.number().int(),
  status: z.string().openapi({ description: 'The member bill: open, paid, cancelled' }),
});
const ZInvoice = z
  .object({
    period: z.string(),
    paymentCode: z.string().openapi({ description: 'ONE code for the whole roster (a 9… collective code)' }),
    amount: z.number().int().openapi({ description: 'The sum of the member bills (government payers: never discounted)' }),
    status: z.string().openapi({ description: 'open, settling, paid, expired, cancelled' }),
    expiresAt: z.string(),
    members: z.array(ZInvoiceMember),
  })
  .openapi('PayerInvoice');
const partnerErrors = { ...UNAUTHORIZED, 403: jsonResponse(ZError, 'forbidden (the token lacks the scope)') } as const;

const invoiceRoute = createRoute({
  method: 'get',
  path: '/partner/invoices/{period}',
  tags: [TAG],
  security: BEARER_AUTH,
  summary: "The payer's invoice for a period: one payment code over its roster, the members it covers (scope members)",
  description: 'Opened by the monthly job `roster-bills:<YYYY-MM>` on the 1st of the month (docs/government-payer-guide.md); 404 before.',
  request: { params: ZPeriod },
  responses: { 200: jsonResponse(ZInvoice, 'The invoice'), 400: jsonResponse(ZError, 'invalid_request'), ...partnerErrors, 404: jsonResponse(ZError, 'unknown_invoice') },
});

const invoiceCsvRoute = createRoute({
  method: 'get',
  path: '/partner/invoices/{period}/members.csv',
  tags: [TAG],
  security: BEARER_AUTH,
  summary: 'The members an invoice covers, as CSV (kpj,fullName,months,amount,status; scope members)',
  request: { params: ZPeriod },
  responses: { 200: { description: 'The CSV', content: { 'text/csv': { schema: z.string() } } }, 400: jsonResponse(ZError, 'invalid_request'), ...partnerErrors, 404: jsonResponse(ZError, 'unknown_invoice') },
});

const leaveRoute = createRoute({
  method: 'delete',
  path: '/partner/roster/{kpj}',
  tags: [TAG],
  security: BEARER_AUTH,
  summary: "A member leaves the payer's roster: self-paying from their next unpaid month, told by SMS/email (scope members)",
  description: 'Audited (actor partner:<id>); the webhook event member.left_roster is queued. A member the payer does not pay for: 404 not_on_roster.',
  request: { params: z.object({ kpj: z.string().max(32) }), body: { ...jsonBody(z.object({ reason: z.string().max(300).optional() })), required: false } },
  responses: {
    200: jsonResponse(z.object({ kpj: z.string(), selfFrom: ZMonth.openapi({ description: 'The first month the member pays themself' }) }), 'Left the roster'),
    ...partnerErrors,
    404: jsonResponse(ZError, 'not_on_roster'),
  },
});

async function viewOr404(deps: Deps, payerId: string, period: string) {
  const view = await invoiceView(deps.db, payerId, period, deps.clock.now());
  if (!view) {
    throw new AppError('unknown_invoice', 'period');
  }
  return view;
}

/** The payer API of rosters: the period invoice (+ CSV) and leaving the roster. */
export function rosterPartnerRoutes(deps: Deps) {
  const app = createOpenApiApp<AuthEnv>();
  app.use('/partner/invoices/*', requirePartner(deps, 'members'));
  app.use('/partner/roster/*', requirePartner(deps, 'members'));
  return app
    .openapi(invoiceRoute, async (c) => c.json(await viewOr404(deps, partnerIdOf(c), c.req.valid('param').period), 200))
    .openapi(invoiceCsvRoute, async (c) => {
      const period = c.req.valid('param').period;
      const view = await viewOr404(deps, partnerIdOf(c), period);
      return new Response(invoiceMembersCsv(view.members), {
        status: 200,
        headers: { 'content-type': 'text/csv; charset=utf-8', 'content-disposition': `attachment; filename="tagihan-${period}.csv"`, 'cache-control': 'no-store' },
      }) as never;
    })
    .openapi(leaveRoute, async (c) => {
      let reason: string | null = null;
      if ((c.req.header('content-type') ?? '').includes('json')) {
        const body = (await c.req.json().catch(() => ({}))) as { reason?: unknown };
        reason = typeof body.reason === 'string' && body.reason.length <= 300 ? body.reason : null;
      }
      return c.json(await leaveRoster(deps, partnerIdOf(c), c.req.valid('param').kpj, reason), 200);
    });
}

const ZInvoiceSummary = z.object({
  period: z.string(),
  paymentCode: z.string(),
  amount: z.number().int(),
  memberCount: z.number().int(),
  status: z.string(),
  createdAt: z.string(),
  paidAt: z.string().nullable(),
});

/** Staff (finance, supervisor): a payer's period invoices, read-only. */
export function rosterStaffRoutes(deps: Deps) {
  return guardedApp(requireStaff(deps), ['/staff/partners/*/invoices']).openapi(
    createRoute({
      method: 'get',
      path: '/staff/partners/{id}/invoices',
      tags: ['Staf (staff)'],
      security: BEARER_AUTH,
      summary: "A payer's period invoices, newest first (finance, supervisor; read-only)",
      request: { params: z.object({ id: z.string().max(64) }) },
      responses: { 200: jsonResponse(z.object({ invoices: z.array(ZInvoiceSummary) }), 'Invoices'), ...UNAUTHORIZED, 403: jsonResponse(ZError, 'forbidden') },
    }),
    async (c) => c.json({ invoices: await payerInvoices(deps.db, c.req.valid('param').id, deps.clock.now()) }, 200),
  );
}
