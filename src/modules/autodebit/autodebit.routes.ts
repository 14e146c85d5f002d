import { createRoute, z } from '@hono/zod-openapi';
import type { Deps } from '../../deps.js';
import { participantIdOf, requireParticipant } from '../../http/auth.js';
import { unwrap } from '../../http/errors.js';
import { BEARER_AUTH, guardedApp, UNAUTHORIZED } from '../../http/guarded-app.js';
import { errorResponses, jsonBody, jsonResponse, ZError } from '../../http/schemas.js';
import { DEBIT_PROVIDERS } from './debit-provider.js';
import { listMandates, registerMandate, revokeMandate } from './mandates.js';

const ZMandate = z
  .object({
    id: z.string().openapi({ example: 'mdt_0mhx2k3l9AbCdEfGhIjKlMnOp' }),
    providerKind: z.enum(['bank', 'ewallet']),
    providerName: z.string().openapi({ example: 'BCA' }),
    accountMasked: z.string().openapi({ example: '****7890' }),
    status: z.enum(['active', 'revoked']),
    createdAt: z.string().openapi({ example: '2026-11-22T10:00:00+07:00' }),
    revokedAt: z.string().nullable(),
  })
  .openapi('AutodebitMandate');

const ZProviders = z.object({ bank: z.array(z.string()), ewallet: z.array(z.string()) });

const tags = ['Autodebet (auto-debit)'];

/**
 * The member's auto-debit mandates (session auth like /me). POST registers one (at most one active: 409
 * mandate_exists), DELETE revokes it. Without a debit provider (production until one is wired) POST answers 503
 * autodebit_unavailable and `available` is false.
 */
export function autodebitRoutes(deps: Deps) {
  return guardedApp(requireParticipant(deps), ['/me/autodebit-mandates', '/me/autodebit-mandates/*'])
    .openapi(
      createRoute({
        method: 'get',
        path: '/me/autodebit-mandates',
        tags,
        security: BEARER_AUTH,
        summary: "The member's auto-debit mandates, newest first, and the banks and e-wallets available",
        responses: {
          200: jsonResponse(z.object({ available: z.boolean(), providers: ZProviders, mandates: z.array(ZMandate) }), 'Mandates'),
          ...UNAUTHORIZED,
        },
      }),
      async (c) => {
        c.header('Cache-Control', 'no-store');
        return c.json({ available: deps.debit !== null, providers: { bank: [...DEBIT_PROVIDERS.bank], ewallet: [...DEBIT_PROVIDERS.ewallet] }, mandates: await listMandates(deps, participantIdOf(c)) }, 200);
      },
    )
    .openapi(
      createRoute({
        method: 'post',
        path: '/me/autodebit-mandates',
        tags,
        security: BEARER_AUTH,
        summary: 'Register an auto-debit mandate: dues are then debited on each due date (retried per the rule book)',
        request: {
          body: jsonBody(
            z.object({
              providerKind: z.enum(['bank', 'ewallet']),
              providerName: z.string().max(64).openapi({ example: 'BCA' }),
              accountNumber: z.string().max(64).openapi({ example: '1234567890', description: 'Bank account number, or the phone number of the e-wallet' }),
            }),
          ),
        },
        responses: {
          201: jsonResponse(z.object({ mandate: ZMandate }), 'Mandate registered'),
          ...errorResponses,
          ...UNAUTHORIZED,
          409: jsonResponse(ZError, 'mandate_exists'),
          503: jsonResponse(ZError, 'autodebit_unavailable'),
        },
      }),
      async (c) => c.json({ mandate: unwrap(await registerMandate(deps, participantIdOf(c), c.req.valid('json'))) }, 201),
    )
    .openapi(
      createRoute({
        method: 'delete',
        path: '/me/autodebit-mandates/{id}',
        tags,
        security: BEARER_AUTH,
        summary: 'Revoke an auto-debit mandate (idempotent); it is never charged again',
        request: { params: z.object({ id: z.string().max(64) }) },
        responses: { 200: jsonResponse(z.object({ mandate: ZMandate }), 'Mandate revoked'), ...UNAUTHORIZED, 404: jsonResponse(ZError, 'unknown_mandate') },
      }),
      async (c) => c.json({ mandate: unwrap(await revokeMandate(deps, participantIdOf(c), c.req.valid('param').id)) }, 200),
    );
}
