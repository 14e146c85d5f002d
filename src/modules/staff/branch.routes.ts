import { createRoute, z } from '@hono/zod-openapi';
import type { Deps } from '../../deps.js';
import { requireStaff, staffActorOf } from '../../http/auth.js';
import { AppError } from '../../http/errors.js';
import { BEARER_AUTH, guardedApp, UNAUTHORIZED } from '../../http/guarded-app.js';
import { jsonBody, jsonResponse, ZError } from '../../http/schemas.js';
import { formatInstantWib } from '../../shared/month.js';
import { listBranches, PROVINCES, putBranch, type BranchRow } from '../reference/index.js';

const TAGS = ['Staf (staff)'];
/** A branch code: capital letters and digits in words joined by hyphens (as the seed list's codes), 2–40 characters. */
export const BRANCH_CODE = /^(?=.{2,40}$)[A-Z0-9]+(-[A-Z0-9]+)*$/;
const PROVINCE_NAMES = PROVINCES.map((p) => p.name) as [string, ...string[]];
const ZBranchRow = z
  .object({
    code: z.string(),
    name: z.string(),
    city: z.string(),
    province: z.string(),
    address: z.string().nullable().optional().openapi({ description: 'Street address; null while not recorded' }),
    phone: z.string().nullable().optional().openapi({ description: 'Office phone; null while not recorded' }),
    active: z.boolean(),
    updatedBy: z.string(),
    updatedAt: z.string(),
  })
  .openapi('BranchRow');
const errors = { 400: jsonResponse(ZError, 'invalid_request'), ...UNAUTHORIZED, 403: jsonResponse(ZError, 'forbidden') } as const;

const json = (b: BranchRow) => ({ ...b, updatedAt: formatInstantWib(b.updatedAt) });

const listRoute = createRoute({
  method: 'get',
  path: '/staff/branches',
  tags: TAGS,
  security: BEARER_AUTH,
  summary: 'Every branch office, active or deactivated, by code (admin, supervisor)',
  responses: { 200: jsonResponse(z.object({ branches: z.array(ZBranchRow) }), 'Branch offices'), ...errors },
});

const putRoute = createRoute({
  method: 'put',
  path: '/staff/branches/{code}',
  tags: TAGS,
  security: BEARER_AUTH,
  summary: 'Add a branch office, or rename, move (city, province), deactivate (active=false) or reactivate one; never deleted (admin, audited)',
  description:
    'Codes are never renamed or reused. New registrations, data changes, staff accounts and service points accept active branches only (unknown_branch otherwise); members keep the branch they have, and pages still show its name.',
  request: {
    params: z.object({ code: z.string().regex(BRANCH_CODE).openapi({ example: 'DEPOK' }) }),
    body: jsonBody(
      z.object({
        name: z.string().trim().min(1).max(120).openapi({ example: 'Kantor Cabang Depok' }),
        city: z.string().trim().min(1).max(80).openapi({ example: 'Depok' }),
        province: z.enum(PROVINCE_NAMES).openapi({ description: 'A province name of reference/provinces.ts', example: 'Jawa Barat' }),
        address: z.string().trim().max(200).nullable().optional().openapi({ description: 'Street address (≤ 200); omitted keeps it, null or empty clears it', example: 'Jl. Margonda Raya No. 1, Depok' }),
        phone: z.string().trim().regex(/^([0-9+() -]{3,30})?$/).nullable().optional().openapi({ description: 'Office phone; omitted keeps it, null clears it', example: '(021) 7777 1234' }),
        active: z.boolean().default(true),
        reason: z.string().trim().min(3).max(500),
      }),
    ),
  },
  responses: { 200: jsonResponse(ZBranchRow, 'The branch office'), ...errors },
});

/** Staff endpoints of the branch offices (roles per the staff policy table). */
export function branchRoutes(deps: Deps) {
  return guardedApp(requireStaff(deps), ['/staff/branches', '/staff/branches/*'])
    .openapi(listRoute, async (c) => c.json({ branches: (await listBranches(deps.db)).map(json) }, 200))
    .openapi(putRoute, async (c) => {
      const { reason, ...body } = c.req.valid('json');
      const put = await putBranch(deps.db, { code: c.req.valid('param').code, ...body }, { actor: staffActorOf(c), reason, at: deps.clock.now() });
      if (put === 'unknown_province') {
        throw new AppError('invalid_request', 'province');
      }
      return c.json(json(put), 200);
    });
}
