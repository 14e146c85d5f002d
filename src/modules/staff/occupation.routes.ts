import { createRoute, z } from '@hono/zod-openapi';
import type { Deps } from '../../deps.js';
import { requireStaff, staffActorOf } from '../../http/auth.js';
import { BEARER_AUTH, guardedApp, UNAUTHORIZED } from '../../http/guarded-app.js';
import { jsonBody, jsonResponse, ZError } from '../../http/schemas.js';
import { formatInstantWib } from '../../shared/month.js';
import { listOccupations, putOccupation, type OccupationRow } from '../reference/index.js';

const TAGS = ['Staf (staff)'];
/** An occupation code: capital letters and digits in words joined by underscores (as the seed list's codes). */
export const OCCUPATION_CODE = /^[A-Z0-9]+(_[A-Z0-9]+)*$/;
const ZSector = z.enum(['transport', 'other']).openapi({ description: 'transport: PP 50/2025 transport sector (discounts); other: every other sector' });
const ZOccupationRow = z
  .object({ code: z.string(), name: z.string(), nameEn: z.string(), sector: ZSector, active: z.boolean(), updatedBy: z.string(), updatedAt: z.string() })
  .openapi('OccupationRow');
const errors = { 400: jsonResponse(ZError, 'invalid_request'), ...UNAUTHORIZED, 403: jsonResponse(ZError, 'forbidden') } as const;

const json = (o: OccupationRow) => ({ ...o, updatedAt: formatInstantWib(o.updatedAt) });

const listRoute = createRoute({
  method: 'get',
  path: '/staff/occupations',
  tags: TAGS,
  security: BEARER_AUTH,
  summary: 'Every occupation, active or deactivated, by code (admin, supervisor)',
  responses: { 200: jsonResponse(z.object({ occupations: z.array(ZOccupationRow) }), 'Occupations'), ...errors },
});

const putRoute = createRoute({
  method: 'put',
  path: '/staff/occupations/{code}',
  tags: TAGS,
  security: BEARER_AUTH,
  summary: 'Add an occupation, or rename, re-sector, deactivate (active=false) or reactivate one; never deleted (admin, audited)',
  description: 'Registration and quotes accept active occupations only (unknown_occupation otherwise); participants keep the code they registered with.',
  request: {
    params: z.object({ code: z.string().max(40).regex(OCCUPATION_CODE).openapi({ example: 'PENGEMUDI_AMBULANS' }) }),
    body: jsonBody(
      z.object({
        name: z.string().trim().min(1).max(120).openapi({ description: 'Indonesian', example: 'Pengemudi Ambulans Desa' }),
        nameEn: z.string().trim().min(1).max(120).openapi({ example: 'Village ambulance driver' }),
        sector: ZSector,
        active: z.boolean().default(true),
        reason: z.string().trim().min(3).max(500),
      }),
    ),
  },
  responses: { 200: jsonResponse(ZOccupationRow, 'The occupation'), ...errors },
});

/** Staff endpoints of the occupations (roles per the staff policy table). */
export function occupationRoutes(deps: Deps) {
  return guardedApp(requireStaff(deps), ['/staff/occupations', '/staff/occupations/*'])
    .openapi(listRoute, async (c) => c.json({ occupations: (await listOccupations(deps.db)).map(json) }, 200))
    .openapi(putRoute, async (c) => {
      const { reason, ...body } = c.req.valid('json');
      const put = await putOccupation(deps.db, { code: c.req.valid('param').code, ...body }, { actor: staffActorOf(c), reason, at: deps.clock.now() });
      return c.json(json(put), 200);
    });
}
