import { createRoute, z } from '@hono/zod-openapi';
import { bodyLimit } from 'hono/body-limit';
import type { Deps } from '../../deps.js';
import { type AuthEnv, partnerIdOf, requirePartner, requireStaff } from '../../http/auth.js';
import { AppError, errorBody, localeOf, unwrap } from '../../http/errors.js';
import { sha256Hex } from '../../shared/crypto.js';
import { BEARER_AUTH, guardedApp, UNAUTHORIZED } from '../../http/guarded-app.js';
import { createOpenApiApp } from '../../http/openapi-app.js';
import { jsonBody, jsonResponse, ZError, ZMonth } from '../../http/schemas.js';
import { invoiceMembersCsv } from './domain/roster-rules.js';
import { invoiceView, payerInvoices } from './invoices.js';
import { leaveRoster } from './leave.js';
import { parseCsv } from '../reconciliation/index.js';
import { ROSTER_COLUMNS, ROSTER_ROWS_MAX, rosterUploadFromCsv } from './domain/roster-upload.js';
import { rosterUploadView, submitRosterUpload } from './upload.js';

const TAG = 'Mitra (partners)';
export const ROSTERS_PATH = '/api/v1/partner/rosters';
/** 100,000 rows of nik,kpj,action are about 3.5 MB. */
const ROSTER_BODY_MAX_BYTES = 8 * 1024 * 1024;
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

const ZRosterRow = z.object({ row: z.number().int(), status: z.enum(['accepted', 'rejected']), code: z.string().optional(), field: z.string().optional(), kpj: z.string().optional() });
const ZRosterUpload = z
  .object({
    id: z.string(),
    period: z.string(),
    status: z.enum(['queued', 'running', 'done']),
    total: z.number().int(),
    processed: z.number().int(),
    accepted: z.number().int(),
    rejected: z.number().int(),
    rows: z.array(ZRosterRow).openapi({ description: 'Per-row results so far (row counts data rows from 1)' }),
  })
  .openapi('RosterUpload');

const uploadRoute = createRoute({
  method: 'post',
  path: '/partner/rosters',
  tags: [TAG],
  security: BEARER_AUTH,
  summary: "A government payer's roster upload for EXISTING members (CSV; scope enrolment; funding apbn/apbd only)",
  description:
    `CSV (text/csv) with the header \`${ROSTER_COLUMNS.join(',')}\`, one of nik/kpj per row, action \`join\` (default) or \`leave\`; at most ${ROSTER_ROWS_MAX} rows ` +
    '(more: 413 roster_too_large). Answered 202 at once and applied by a job in chunks (each row idempotent): follow GET /partner/rosters/{id}. ' +
    'Header Idempotency-Key (1–100 characters, optional): the same key with the same body is the same upload, another body 409; without it the period and ' +
    'body are the key. Per-row codes: invalid_nik, duplicate_in_batch, invalid_request, unknown_participant, funded_by_other_payer, ' +
    'funding_month_paid, not_on_roster. New workers come in through enrolment batches (POST /partner/enrolment-batches).',
  request: {
    query: z.object({ period: ZMonth.openapi({ description: "The first month the payer pays, 'YYYY-MM'" }) }),
    body: { content: { 'text/csv': { schema: z.string() } }, required: false },
  },
  responses: {
    202: jsonResponse(z.object({ id: z.string(), status: z.enum(['queued', 'running', 'done']), period: z.string(), total: z.number().int() }), 'Queued (or the same upload again)'),
    400: jsonResponse(ZError, 'invalid_request (header, rows, period)'),
    ...partnerErrors,
    409: jsonResponse(ZError, 'idempotency_key_reused'),
    413: jsonResponse(ZError, 'roster_too_large (more than 100,000 rows), payload_too_large'),
  },
});

const uploadViewRoute = createRoute({
  method: 'get',
  path: '/partner/rosters/{id}',
  tags: [TAG],
  security: BEARER_AUTH,
  summary: 'A roster upload: progress and per-row results (scope enrolment)',
  request: { params: z.object({ id: z.string().max(64) }) },
  responses: { 200: jsonResponse(ZRosterUpload, 'The upload'), ...partnerErrors, 404: jsonResponse(ZError, 'unknown_roster_upload') },
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
  app.use('/partner/rosters', requirePartner(deps, 'enrolment'));
  app.use('/partner/rosters/*', requirePartner(deps, 'enrolment'));
  app.use('/partner/rosters', bodyLimit({ maxSize: ROSTER_BODY_MAX_BYTES, onError: (c) => c.json(errorBody('payload_too_large', localeOf(c), 'rows'), 413) }));
  return app
    .openapi(uploadRoute, async (c) => {
      const raw = await c.req.text();
      const csv = parseCsv(raw);
      if (!csv.ok) {
        throw new AppError('invalid_request', `line ${csv.error.line}`, csv.error.code);
      }
      const input = rosterUploadFromCsv(csv.records);
      if (!input.ok) {
        throw new AppError(input.code, input.field, input.detail);
      }
      const period = c.req.valid('query').period;
      const key = (c.req.header('idempotency-key') ?? '').trim() || `period:${period}:${sha256Hex(raw)}`;
      if (key.length > 100) {
        throw new AppError('idempotency_key_required', 'Idempotency-Key');
      }
      const out = unwrap(await submitRosterUpload(deps, partnerIdOf(c), { period, idempotencyKey: key, bodyHash: sha256Hex(`${period}\n${raw}`), rows: input.rows, rejected: input.rejected }));
      const view = await rosterUploadView(deps.db, partnerIdOf(c), out.id);
      return c.json({ id: out.id, status: view?.status ?? out.status, period, total: view?.total ?? 0 }, 202);
    })
    .openapi(uploadViewRoute, async (c) => {
      const view = await rosterUploadView(deps.db, partnerIdOf(c), c.req.valid('param').id);
      if (!view) {
        throw new AppError('unknown_roster_upload', 'id');
      }
      return c.json(view, 200);
    })
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
