import { createRoute, z } from '@hono/zod-openapi';
import type { Deps } from '../../deps.js';
import { requireStaff, staffActorOf, type AuthEnv } from '../../http/auth.js';
import { AppError } from '../../http/errors.js';
import { BEARER_AUTH, UNAUTHORIZED } from '../../http/guarded-app.js';
import { createOpenApiApp } from '../../http/openapi-app.js';
import { jsonBody, jsonResponse, ZError, ZMonth } from '../../http/schemas.js';
import { FUNDING_KINDS, memberFunding } from './funding-view.js';
import { FundingChangeError, setFunding } from './funding.js';
import { findParticipantByKpj } from './participants.js';

const ZFundingKind = z.enum(FUNDING_KINDS).openapi({ description: 'self (the member), sponsor, partner, apbn (state budget), apbd (regional budget)' });
const ZFundingRow = z
  .object({ fromMonth: ZMonth, funding: ZFundingKind, payerId: z.string().nullable(), payerName: z.string().nullable() })
  .openapi('FundingRow');
const ZMemberFunding = z
  .object({
    funding: ZFundingKind.openapi({ description: 'In force for the current month' }),
    payerId: z.string().nullable(),
    payerName: z.string().nullable(),
    history: z.array(ZFundingRow).openapi({ description: 'Effective-dated rows, oldest first (empty: funded as at activation)' }),
  })
  .openapi('MemberFunding');
const ZSetFunding = z
  .object({
    funding: ZFundingKind,
    payerId: z.string().trim().min(1).max(120).nullable().optional().openapi({ description: "A partner/payer id or a sponsor's participant id; ignored for self" }),
    payerName: z.string().trim().min(1).max(200).nullable().optional().openapi({ description: 'The payer as the member is told ("dibayar oleh mitra …")' }),
    fromMonth: ZMonth.optional().openapi({ description: "Default: the member's next unpaid month; never a paid month" }),
    reason: z.string().trim().min(3).max(500).openapi({ description: 'Why (kept in the audit trail)' }),
  })
  .openapi('SetFunding');

const params = z.object({ kpj: z.string().max(32) });
const getFunding = createRoute({
  method: 'get',
  path: '/staff/participants/{kpj}/funding',
  tags: ['Staf (staff)'],
  security: BEARER_AUTH,
  summary: "Who pays a member's contributions: the funding in force and its effective-dated history",
  request: { params },
  responses: { 200: jsonResponse(ZMemberFunding, 'Funding'), ...UNAUTHORIZED, 403: jsonResponse(ZError, 'forbidden'), 404: jsonResponse(ZError, 'unknown_participant') },
});
const putFunding = createRoute({
  method: 'put',
  path: '/staff/participants/{kpj}/funding',
  tags: ['Staf (staff)'],
  security: BEARER_AUTH,
  summary: "Set who pays a member's contributions from a month on (supervisor); open bills are cancelled when the price changes. Audited",
  request: { params, body: jsonBody(ZSetFunding) },
  responses: {
    200: jsonResponse(z.object({ fromMonth: ZMonth }).openapi('FundingSet'), 'Set'),
    ...UNAUTHORIZED,
    403: jsonResponse(ZError, 'forbidden'),
    404: jsonResponse(ZError, 'unknown_participant'),
    409: jsonResponse(ZError, 'funding_month_paid'),
  },
});

async function participantOf(deps: Deps, kpj: string) {
  const p = await findParticipantByKpj(deps.db, kpj);
  if (!p) {
    throw new AppError('unknown_participant', 'kpj');
  }
  return p;
}

/** GET and PUT /staff/participants/{kpj}/funding (roles per STAFF_POLICY). */
export function fundingStaffRoutes(deps: Deps) {
  const app = createOpenApiApp<AuthEnv>();
  app.use('/staff/participants/:kpj/funding', requireStaff(deps));
  return app
    .openapi(getFunding, async (c) => {
      const p = await participantOf(deps, c.req.valid('param').kpj);
      return c.json(await memberFunding(deps, p.id), 200);
    })
    .openapi(putFunding, async (c) => {
      const p = await participantOf(deps, c.req.valid('param').kpj);
      const body = c.req.valid('json');
      try {
        const done = await deps.db.transaction().execute((trx) =>
          setFunding(trx, deps, { participantId: p.id, funding: body.funding, payerId: body.payerId ?? null, payerName: body.payerName ?? null, fromMonth: body.fromMonth, actor: staffActorOf(c), reason: body.reason }),
        );
        return c.json(done, 200);
      } catch (err) {
        if (err instanceof FundingChangeError) {
          throw new AppError(err.code === 'funding_month_paid' ? 'funding_month_paid' : err.code === 'invalid_month' ? 'invalid_request' : 'unknown_participant', 'fromMonth');
        }
        throw err;
      }
    });
}
