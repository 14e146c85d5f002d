import { createRoute, z } from '@hono/zod-openapi';
import type { Deps } from '../../deps.js';
import { requireStaff, staffActorOf } from '../../http/auth.js';
import { AppError } from '../../http/errors.js';
import { BEARER_AUTH, guardedApp, UNAUTHORIZED } from '../../http/guarded-app.js';
import { jsonBody, jsonResponse, ZError } from '../../http/schemas.js';
import { formatInstantWib } from '../../shared/month.js';
import { listServicePoints, putServicePoint, SERVICE_POINT_KINDS, type ServicePoint } from '../reference/index.js';

const TAGS = ['Staf (staff)'];
const ZServicePoint = z
  .object({
    code: z.string(),
    branchCode: z.string(),
    kind: z.enum(SERVICE_POINT_KINDS).openapi({ description: 'spo (a bank desk) or branch_counter (a branch office counter)' }),
    name: z.string(),
    active: z.boolean(),
    updatedBy: z.string(),
    updatedAt: z.string(),
  })
  .openapi('ServicePoint');
const errors = { 400: jsonResponse(ZError, 'invalid_request'), ...UNAUTHORIZED, 403: jsonResponse(ZError, 'forbidden') } as const;

const json = (p: ServicePoint) => ({ ...p, updatedAt: formatInstantWib(p.updatedAt) });

const listRoute = createRoute({
  method: 'get',
  path: '/staff/service-points',
  tags: TAGS,
  security: BEARER_AUTH,
  summary: 'The service points (bank SPO desks, branch counters), by branch (admin, supervisor)',
  responses: { 200: jsonResponse(z.object({ servicePoints: z.array(ZServicePoint) }), 'Service points'), ...errors },
});

const putRoute = createRoute({
  method: 'put',
  path: '/staff/service-points/{code}',
  tags: TAGS,
  security: BEARER_AUTH,
  summary: 'Create or replace a service point of a branch; deactivate with active=false (admin, audited)',
  request: {
    params: z.object({ code: z.string().regex(/^[A-Z0-9][A-Z0-9-]{1,39}$/).openapi({ example: 'JKT-SALEMBA-LOKET' }) }),
    body: jsonBody(
      z.object({
        branchCode: z.string().min(1).max(40),
        kind: z.enum(SERVICE_POINT_KINDS),
        name: z.string().trim().min(1).max(200),
        active: z.boolean().default(true),
        reason: z.string().trim().min(3).max(500),
      }),
    ),
  },
  responses: { 200: jsonResponse(ZServicePoint, 'The service point'), ...errors, 422: jsonResponse(ZError, 'unknown_branch') },
});

/** Staff endpoints of the service points (roles per the staff policy table). */
export function servicePointRoutes(deps: Deps) {
  return guardedApp(requireStaff(deps), ['/staff/service-points', '/staff/service-points/*'])
    .openapi(listRoute, async (c) => c.json({ servicePoints: (await listServicePoints(deps.db)).map(json) }, 200))
    .openapi(putRoute, async (c) => {
      const { reason, ...body } = c.req.valid('json');
      const put = await putServicePoint(deps.db, { code: c.req.valid('param').code, ...body }, { actor: staffActorOf(c), reason, at: deps.clock.now() });
      if (put === 'unknown_branch') {
        throw new AppError('unknown_branch', 'branchCode');
      }
      return c.json(json(put), 200);
    });
}
