import { createRoute, z } from '@hono/zod-openapi';
import { bodyLimit } from 'hono/body-limit';
import { UNMATCHED_REASONS } from '../../db/database.js';
import type { Deps } from '../../deps.js';
import { requireStaff, staffActorOf } from '../../http/auth.js';
import { AppError, errorBody, localeOf, unwrap } from '../../http/errors.js';
import { BEARER_AUTH, guardedApp } from '../../http/guarded-app.js';
import { jsonBody, jsonResponse, ZDate, ZError, ZRupiah } from '../../http/schemas.js';
import { isLocalDate } from '../../shared/month.js';
import { PAYMENT_CHANNELS } from '../payments/index.js';
import { createReconciliationRun, getReconciliationRun } from './reconciliation.js';
import { SETTLEMENT_FILE_LIMITS, SETTLEMENT_SOURCES } from './settlement-file.js';
import { lineErrorView } from './settlement-messages.js';
import { assignUnmatchedPayment, listUnmatchedPayments, refundUnmatchedPayment } from './unmatched-payments.js';

const ZChannel = z.enum(PAYMENT_CHANNELS);
const ZDifference = z
  .object({
    kind: z.enum(['missing_payment', 'not_in_file', 'amount_differs']),
    externalId: z.string(),
    paymentCode: z.string(),
    line: z.number().int().nullable(),
    reference: z.string().nullable(),
    fileAmount: ZRupiah.nullable(),
    transactionTime: z.string().nullable(),
    paymentId: z.string().nullable(),
    recordedAmount: ZRupiah.nullable(),
    paidAt: z.string().nullable(),
    outcome: z.string().nullable(),
    recordedChannel: z.string().nullable(),
  })
  .openapi('ReconciliationDifference');
const ZRun = z
  .object({
    id: z.string(),
    channel: ZChannel,
    source: z.enum(SETTLEMENT_SOURCES),
    settlementDate: ZDate,
    fileSha256: z.string(),
    createdAt: z.string(),
    createdBy: z.string(),
    totals: z.object({
      fileRows: z.number().int(),
      fileAmount: ZRupiah,
      recordedCount: z.number().int(),
      recordedAmount: ZRupiah,
      matchedCount: z.number().int(),
      matchedAmount: ZRupiah,
      missingPayment: z.object({ count: z.number().int(), fileAmount: ZRupiah }),
      amountDiffers: z.object({ count: z.number().int(), fileAmount: ZRupiah, recordedAmount: ZRupiah }),
      notInFile: z.object({ count: z.number().int(), recordedAmount: ZRupiah }),
    }),
    differences: z.array(ZDifference),
  })
  .openapi('ReconciliationRun');
const ZUnmatched = z
  .object({
    paymentId: z.string(),
    externalId: z.string(),
    paymentCode: z.string(),
    channel: z.string(),
    amount: ZRupiah,
    reason: z.enum(UNMATCHED_REASONS),
    paidAt: z.string(),
    receivedAt: z.string(),
    ageDays: z.number().int(),
    suggestedKpj: z.string().nullable(),
  })
  .openapi('UnmatchedPayment');
const ZResolution = z
  .object({
    paymentId: z.string(),
    resolution: z.enum(['refunded', 'assigned']),
    amount: ZRupiah,
    channel: z.string(),
    reason: z.string(),
    resolvedBy: z.string(),
    resolvedAt: z.string(),
    kpj: z.string().optional(),
    refundRequest: z.object({ id: z.string(), status: z.literal('requested') }).optional(),
  })
  .openapi('PaymentResolution');
const ZReason = z.string().trim().min(3).max(500).openapi({ example: 'Dana dikembalikan: pembayar salah memasukkan kode bayar (tiket #1234)' });

const TAG = 'Staf (staff)';
const staffErrors = {
  401: jsonResponse(ZError, 'unauthorized'),
  403: jsonResponse(ZError, 'forbidden (not the staff key)'),
} as const;
const resolveErrors = {
  ...staffErrors,
  400: jsonResponse(ZError, 'invalid_request'),
  404: jsonResponse(ZError, 'unknown_payment (or unknown_participant for assign)'),
  409: jsonResponse(ZError, 'payment_already_resolved, payment_not_unmatched'),
} as const;

const createRunRoute = createRoute({
  method: 'post',
  path: '/staff/reconciliation-runs',
  tags: [TAG],
  security: BEARER_AUTH,
  summary: 'Reconcile a settlement file (CSV in the JSON body) against recorded payments; the same file again returns the same run',
  request: {
    body: jsonBody(
      z.object({
        channel: ZChannel,
        source: z.enum(SETTLEMENT_SOURCES).optional().openapi({ description: "Who sent the file; default the channel's usual sender (va, qris: snap; ewallet, retail: xendit; counter, autodebit: api)" }),
        settlementDate: ZDate.refine(isLocalDate, 'not a calendar date'),
        csv: z.string().max(SETTLEMENT_FILE_LIMITS.maxChars).openapi({ description: 'The settlement file, CSV (RFC 4180) in the channel format of docs/reconciliation.md' }),
      }),
    ),
  },
  responses: {
    201: jsonResponse(ZRun, 'Run created'),
    200: jsonResponse(ZRun, 'The same file was reconciled before: that run'),
    400: jsonResponse(ZError, 'invalid_request'),
    ...staffErrors,
    422: jsonResponse(
      ZError,
      'invalid_settlement_file: besides code and message, error.lines lists the bad lines ({ line, code, column?, expected?, message }, at most 100) and error.lineErrorCount counts them all',
    ),
  },
});

const runRoute = createRoute({
  method: 'get',
  path: '/staff/reconciliation-runs/{id}',
  tags: [TAG],
  security: BEARER_AUTH,
  summary: 'A reconciliation run with its differences',
  request: { params: z.object({ id: z.string().max(64) }) },
  responses: { 200: jsonResponse(ZRun, 'Run'), ...staffErrors, 404: jsonResponse(ZError, 'unknown_reconciliation_run') },
});

const unmatchedRoute = createRoute({
  method: 'get',
  path: '/staff/unmatched-payments',
  tags: [TAG],
  security: BEARER_AUTH,
  summary: 'Open unmatched payments (money in suspense), oldest first, with their count and sum',
  request: {
    query: z.object({
      channel: ZChannel.optional(),
      limit: z.coerce.number().int().min(1).max(500).default(100),
    }),
  },
  responses: {
    200: jsonResponse(z.object({ count: z.number().int(), amount: ZRupiah, payments: z.array(ZUnmatched) }), 'Open unmatched payments'),
    400: jsonResponse(ZError, 'invalid_request'),
    ...staffErrors,
  },
});

const refundRoute = createRoute({
  method: 'post',
  path: '/staff/unmatched-payments/{paymentId}/refund',
  tags: [TAG],
  security: BEARER_AUTH,
  summary: 'Refund an unmatched payment: suspense → clearing:<channel>, and a refund request for the channel (once)',
  request: { params: z.object({ paymentId: z.string().max(64) }), body: jsonBody(z.object({ reason: ZReason })) },
  responses: { 201: jsonResponse(ZResolution, 'Refunded'), ...resolveErrors },
});

const assignRoute = createRoute({
  method: 'post',
  path: '/staff/unmatched-payments/{paymentId}/assign',
  tags: [TAG],
  security: BEARER_AUTH,
  summary: "Assign an unmatched payment to a member: suspense → the member's contribution wallet, then the wallet settles the next month(s) (once)",
  request: {
    params: z.object({ paymentId: z.string().max(64) }),
    body: jsonBody(z.object({ kpj: z.string().regex(/^\d{11}$/).openapi({ example: '10000000017' }), reason: ZReason })),
  },
  responses: { 201: jsonResponse(ZResolution, 'Assigned'), ...resolveErrors },
});

/**
 * Staff endpoints of reconciliation (docs/reconciliation.md): settlement-file runs and the unmatched-payment
 * workflow. Roles per the staff policy table; the actor recorded in the audit is the caller's username or the staff key's id.
 */
export function reconciliationRoutes(deps: Deps) {
  const app = guardedApp(requireStaff(deps), ['/staff/reconciliation-runs', '/staff/reconciliation-runs/*', '/staff/unmatched-payments', '/staff/unmatched-payments/*']);
  app.use(
    '/staff/reconciliation-runs',
    bodyLimit({
      // the CSV's characters may be up to 3 bytes each in UTF-8, plus the JSON around it
      maxSize: SETTLEMENT_FILE_LIMITS.maxChars * 3 + 4096,
      onError: (c) => c.json(errorBody('payload_too_large', localeOf(c), 'csv', 'body too large'), 413),
    }),
  );
  return app
    .openapi(createRunRoute, async (c) => {
      const outcome = unwrap(await createReconciliationRun(deps, c.req.valid('json'), staffActorOf(c)));
      if (outcome.kind === 'invalid_file') {
        const locale = localeOf(c);
        const base = errorBody('invalid_settlement_file', locale, 'csv');
        return c.json(
          { error: { code: 'invalid_settlement_file' as const, message: base.error.message, field: 'csv', lineErrorCount: outcome.errorCount, lines: outcome.errors.map((e) => lineErrorView(e, locale)) } },
          422,
        );
      }
      return c.json(outcome.report, outcome.kind === 'created' ? 201 : 200);
    })
    .openapi(runRoute, async (c) => {
      const run = await getReconciliationRun(deps, c.req.valid('param').id);
      if (!run) {
        throw new AppError('unknown_reconciliation_run', 'id');
      }
      return c.json(run, 200);
    })
    .openapi(unmatchedRoute, async (c) => c.json(await listUnmatchedPayments(deps, c.req.valid('query')), 200))
    .openapi(refundRoute, async (c) => {
      const result = await refundUnmatchedPayment(deps, c.req.valid('param').paymentId, { reason: c.req.valid('json').reason, actor: staffActorOf(c) });
      return c.json(unwrap(result), 201);
    })
    .openapi(assignRoute, async (c) => {
      const body = c.req.valid('json');
      const result = await assignUnmatchedPayment(deps, c.req.valid('param').paymentId, { kpj: body.kpj, reason: body.reason, actor: staffActorOf(c) });
      return c.json(unwrap(result), 201);
    });
}
