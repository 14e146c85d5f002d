import { createRoute, z } from '@hono/zod-openapi';
import type { Deps } from '../../deps.js';
import { participantIdOf, requireParticipant, requireStaff, type AuthEnv } from '../../http/auth.js';
import { AppError } from '../../http/errors.js';
import { BEARER_AUTH, UNAUTHORIZED } from '../../http/guarded-app.js';
import { createOpenApiApp } from '../../http/openapi-app.js';
import { jsonBody, jsonResponse, ZDate, ZError } from '../../http/schemas.js';
import { HEIR_RELATIONSHIPS, MAX_HEIRS } from './domain/heirs.js';
import { listHeirs, listHeirsByKpj, replaceHeirs } from './heirs.js';

const ZHeir = z
  .object({
    id: z.string(),
    fullName: z.string().openapi({ example: 'Siti Aminah' }),
    relationship: z.enum(HEIR_RELATIONSHIPS),
    birthDate: ZDate,
    phone: z.string().nullable().openapi({ example: '+6281234567891' }),
    nikMasked: z.string().nullable().openapi({ example: '3275********0002', description: 'Only the first and last four digits; null when none was given' }),
    priority: z.number().int().openapi({ description: '1 = first; the order of the list the member sent' }),
  })
  .openapi('Heir');

const ZHeirs = z.object({ heirs: z.array(ZHeir) }).openapi('Heirs');

// Loose types on purpose: the heirs rule answers each wrong value with its own 422 code and field (heirs[i].birthDate).
const ZHeirInput = z
  .object({
    id: z.string().max(64).optional().openapi({ description: 'A stored heir being kept (its id, created date and NIK stay); omit for a new heir' }),
    fullName: z.string().max(200),
    relationship: z.string().max(32).openapi({ example: 'spouse', description: HEIR_RELATIONSHIPS.join(' | ') }),
    birthDate: z.string().max(32).openapi({ example: '1992-03-04' }),
    phone: z.string().max(32).nullable().optional(),
    nik: z.string().max(32).nullable().optional().openapi({ description: '16 digits; stored only when given, never shown in full; omitted on a kept heir keeps the stored one' }),
  })
  .openapi('HeirInput');

const HEIR_ERRORS = '422: too_many_heirs, invalid_heir_name, invalid_relationship, invalid_birth_date, invalid_phone, invalid_nik (field heirs[i].<name>)';

const getRoute = createRoute({
  method: 'get',
  path: '/me/heirs',
  tags: ['Peserta (participants)'],
  security: BEARER_AUTH,
  summary: 'The heirs (ahli waris) the member declared, in priority order',
  responses: { 200: jsonResponse(ZHeirs, 'Heirs'), ...UNAUTHORIZED },
});

const putRoute = createRoute({
  method: 'put',
  path: '/me/heirs',
  tags: ['Peserta (participants)'],
  security: BEARER_AUTH,
  summary: `Replace the list of heirs (at most ${MAX_HEIRS}; the list's order is the priority); audited`,
  request: { body: jsonBody(z.object({ heirs: z.array(ZHeirInput).max(100) })) },
  responses: {
    200: jsonResponse(ZHeirs, 'The stored list'),
    400: jsonResponse(ZError, 'invalid_request'),
    ...UNAUTHORIZED,
    422: jsonResponse(ZError, HEIR_ERRORS),
  },
});

const staffRoute = createRoute({
  method: 'get',
  path: '/staff/participants/{kpj}/heirs',
  tags: ['Staf (staff)'],
  security: BEARER_AUTH,
  summary: "A participant's declared heirs (for an heir's claim)",
  request: { params: z.object({ kpj: z.string().max(32) }) },
  responses: {
    200: jsonResponse(ZHeirs, 'Heirs'),
    ...UNAUTHORIZED,
    403: jsonResponse(ZError, 'forbidden'),
    404: jsonResponse(ZError, 'unknown_participant'),
  },
});

/** GET and PUT /api/v1/me/heirs (the member's session, like /me). */
export function heirRoutes(deps: Deps) {
  const app = createOpenApiApp<AuthEnv>();
  const auth = requireParticipant(deps);
  // /me/* routes already authenticate the member (meRoutes); authenticate here only when nothing did.
  app.use('/me/heirs', async (c, next) => (c.get('principal') ? next() : auth(c, next)));
  return app
    .openapi(getRoute, async (c) => {
      const heirs = await listHeirs(deps, participantIdOf(c));
      if (!heirs) {
        throw new AppError('unauthorized');
      }
      c.header('Cache-Control', 'private, no-store');
      return c.json({ heirs }, 200);
    })
    .openapi(putRoute, async (c) => {
      const done = await replaceHeirs(deps, participantIdOf(c), c.req.valid('json').heirs);
      if (!done.ok) {
        throw done.code === 'unauthorized' ? new AppError('unauthorized') : new AppError(done.code, done.field);
      }
      c.header('Cache-Control', 'private, no-store');
      return c.json({ heirs: done.value }, 200);
    });
}

/**
 * GET /api/v1/staff/participants/{kpj}/heirs (roles per the staff policy table). membership's staffRoutes guards
 * /staff/participants/* already; guard here only when nothing did (one staff check per request).
 */
export function heirStaffRoutes(deps: Deps) {
  const app = createOpenApiApp<AuthEnv>();
  const guard = requireStaff(deps);
  app.use('/staff/participants/:kpj/heirs', async (c, next) => (c.get('principal')?.kind === 'staff' ? next() : guard(c, next)));
  return app.openapi(staffRoute, async (c) => {
    const heirs = await listHeirsByKpj(deps, c.req.valid('param').kpj);
    if (!heirs) {
      throw new AppError('unknown_participant', 'kpj');
    }
    return c.json({ heirs }, 200);
  });
}
