import { createRoute, z } from '@hono/zod-openapi';
import { Hono } from 'hono';
import type { Deps } from '../../deps.js';
import { requireStaff, staffActorOf } from '../../http/auth.js';
import { AppError, errorResponse, unwrap } from '../../http/errors.js';
import { BEARER_AUTH, guardedApp } from '../../http/guarded-app.js';
import { jsonBody, jsonResponse, ZDate, ZError, ZRupiah } from '../../http/schemas.js';
import { isLocalDate } from '../../shared/month.js';
import { DISBURSEMENT_DIFFERENCE_KINDS } from '../reconciliation/index.js';
import { apiRefusal, jsonObject, readSignedJson } from '../../http/signed-json.js';
import { applyTransferEvent } from './payout-callbacks.js';
import { reconcileDisbursementReport } from './payout-reconciliation.js';
import { getPayout, listPayouts, PAYOUT_STATUSES, retryPayout } from './payout-staff.js';

const ZBankAccount = z
  .object({
    bankCode: z.string().trim().regex(/^[A-Z0-9_]{2,20}$/).openapi({ example: 'BCA' }),
    accountNumber: z.string().trim().regex(/^\d{6,20}$/).openapi({ example: '1234567890' }),
    accountName: z.string().trim().min(2).max(100).openapi({ example: 'Siti Aminah' }),
  })
  .openapi('BankAccount');
const ZPayout = z
  .object({
    id: z.string(),
    claimId: z.string(),
    claimType: z.string(),
    kpj: z.string(),
    amount: ZRupiah,
    status: z.enum(PAYOUT_STATUSES),
    bankAccount: ZBankAccount,
    attempts: z.number().int().openapi({ description: 'Transfers tried since the payout was (re-)issued' }),
    nextAttemptAt: z.string().nullable(),
    failureReason: z.string().nullable(),
    createdAt: z.string(),
    updatedAt: z.string(),
    paidAt: z.string().nullable(),
  })
  .openapi('Payout');
const ZReason = z.string().trim().min(3).max(500).openapi({ example: 'Rekening diperbaiki sesuai buku tabungan (tiket #1234)' });

const TAG = 'Staf (staff)';
const staffErrors = { 401: jsonResponse(ZError, 'unauthorized'), 403: jsonResponse(ZError, 'forbidden') } as const;

const listRoute = createRoute({
  method: 'get',
  path: '/staff/payouts',
  tags: [TAG],
  security: BEARER_AUTH,
  summary: 'Claim payouts by status (pending, paid, failed), oldest first, with their count and sum',
  request: { query: z.object({ status: z.enum(PAYOUT_STATUSES).optional(), limit: z.coerce.number().int().min(1).max(500).default(100) }) },
  responses: {
    200: jsonResponse(z.object({ count: z.number().int(), amount: ZRupiah, payouts: z.array(ZPayout) }), 'Payouts'),
    400: jsonResponse(ZError, 'invalid_request'),
    ...staffErrors,
  },
});

const getRoute = createRoute({
  method: 'get',
  path: '/staff/payouts/{id}',
  tags: [TAG],
  security: BEARER_AUTH,
  summary: 'One claim payout',
  request: { params: z.object({ id: z.string().max(64) }) },
  responses: { 200: jsonResponse(ZPayout, 'Payout'), ...staffErrors, 404: jsonResponse(ZError, 'unknown_payout') },
});

const retryRoute = createRoute({
  method: 'post',
  path: '/staff/payouts/{id}/retry',
  tags: [TAG],
  security: BEARER_AUTH,
  summary: 'Re-issue a failed payout (optionally to another bank account): pending again, sent by the next payout job run; audited',
  request: { params: z.object({ id: z.string().max(64) }), body: jsonBody(z.object({ bankAccount: ZBankAccount.optional(), reason: ZReason })) },
  responses: {
    200: jsonResponse(ZPayout, 'Re-issued'),
    400: jsonResponse(ZError, 'invalid_request'),
    ...staffErrors,
    404: jsonResponse(ZError, 'unknown_payout'),
    409: jsonResponse(ZError, 'payout_not_failed'),
  },
});

const ZDisbursementDifference = z
  .object({
    kind: z.enum(DISBURSEMENT_DIFFERENCE_KINDS),
    reference: z.string(),
    line: z.number().int().nullable(),
    reportAmount: ZRupiah.nullable(),
    reportStatus: z.enum(['paid', 'failed', 'pending']).nullable(),
    recordedAmount: ZRupiah.nullable(),
    recordedStatus: z.string().nullable(),
  })
  .openapi('DisbursementDifference');

const reconcileRoute = createRoute({
  method: 'post',
  path: '/staff/payout-reconciliations',
  tags: [TAG],
  security: BEARER_AUTH,
  summary: "Reconcile a disbursement provider's report (CSV reference,amount,status) against the payout attempts; lists the differences, records nothing",
  request: {
    body: jsonBody(
      z.object({
        date: ZDate.refine(isLocalDate, 'not a calendar date').openapi({ description: 'The report day (WIB): attempts Lindung recorded paid that day must be in it' }),
        csv: z.string().max(60_000).openapi({ description: 'reference,amount,status (header required); reference = the payout attempt id. Within the API body limit (64 KiB): a larger report is sent in parts' }),
      }),
    ),
  },
  responses: {
    200: jsonResponse(
      z.object({ date: ZDate, reportRows: z.number().int(), recordedPaid: z.object({ count: z.number().int(), amount: ZRupiah }), matched: z.number().int(), differences: z.array(ZDisbursementDifference) }),
      'The comparison',
    ),
    400: jsonResponse(ZError, 'invalid_request'),
    ...staffErrors,
    422: jsonResponse(ZError, 'invalid_settlement_file (the detail names the line)'),
  },
});

/** Staff endpoints of claim payouts (README "Payouts"): the list, one payout, the re-issue of a failed one, the disbursement report. */
export function payoutStaffRoutes(deps: Deps) {
  const app = guardedApp(requireStaff(deps), ['/staff/payouts', '/staff/payouts/*', '/staff/payout-reconciliations']);
  return app
    .openapi(listRoute, async (c) => c.json(await listPayouts(deps, c.req.valid('query')), 200))
    .openapi(getRoute, async (c) => {
      const payout = await getPayout(deps, c.req.valid('param').id);
      if (!payout) {
        throw new AppError('unknown_payout', 'id');
      }
      return c.json(payout, 200);
    })
    .openapi(retryRoute, async (c) => {
      const body = c.req.valid('json');
      return c.json(unwrap(await retryPayout(deps, c.req.valid('param').id, { bankAccount: body.bankAccount, reason: body.reason, actor: staffActorOf(c) })), 200);
    })
    .openapi(reconcileRoute, async (c) => c.json(unwrap(await reconcileDisbursementReport(deps, c.req.valid('json'))), 200));
}

/**
 * The disbursement provider's callback, mounted at /api/v1/payouts (README "Payouts"): POST /callbacks/xendit. The
 * `x-callback-token` is checked before the body is read (401 invalid_signature, nothing recorded); a body that is not
 * a final disbursement status is 400 invalid_request. Accepted: 200 `{ status: applied | duplicate | ignored }`
 * (payout-callbacks.ts), so Xendit stops retrying. Without Xendit configured as the payout provider: 404.
 */
export function payoutCallbackRoutes(deps: Deps) {
  const app = new Hono();
  app.post('/callbacks/xendit', async (c) => {
    const provider = deps.disbursement;
    if (!provider || provider.name !== 'xendit') {
      return errorResponse(c, 'not_found', undefined, 'Xendit is not the payout provider');
    }
    const headers = { 'x-callback-token': c.req.header('x-callback-token') };
    // The adapter checks the token before anything in the body: asked with no body, a wrong token is the only
    // `invalid_signature` it can answer.
    const tokenOk = () => {
      const probe = provider.readCallback(headers, null);
      return probe.ok || probe.code !== 'invalid_signature';
    };
    const body = await readSignedJson(c, { shape: jsonObject, verify: { request: tokenOk }, refuse: apiRefusal('x-callback-token') });
    const event = provider.readCallback(headers, body);
    if (!event.ok) {
      throw new AppError(event.code, event.field, event.detail);
    }
    return c.json(await applyTransferEvent(deps, event.value), 200);
  });
  return app;
}
