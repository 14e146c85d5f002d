import { createRoute, z } from '@hono/zod-openapi';
import { createOpenApiApp } from '../../http/openapi-app.js';
import { jsonResponse } from '../../http/schemas.js';
import type { Kysely } from 'kysely';
import type { Database } from '../../db/database.js';
import { branchDirectory } from './branch-table.js';
import { occupationDirectory } from './occupation-table.js';

const ZOccupations = z.object({
  occupations: z.array(z.object({ code: z.string(), name: z.string(), nameEn: z.string(), sector: z.enum(['transport', 'other']) })),
});
const ZBranches = z.object({ branches: z.array(z.object({ code: z.string(), name: z.string(), city: z.string(), province: z.string() })) });

/** The public reference data; occupations and branches are the active rows of the tables `occupation` and `branch` (admin-maintained). */
export function referenceRoutes(deps: { db: Kysely<Database> }) {
  return createOpenApiApp()
    .openapi(
      createRoute({
        method: 'get',
        path: '/reference/occupations',
        tags: ['Referensi (reference data)'],
        summary: 'The active occupations, with the transport-sector flag that decides PP 50/2025 discounts',
        description: 'Administrators add, rename and deactivate occupations (GET/PUT /staff/occupations); a deactivated one is not listed and registration and quotes refuse it (unknown_occupation).',
        responses: { 200: jsonResponse(ZOccupations, 'Occupations') },
      }),
      async (c) => {
        const { active } = await occupationDirectory(deps.db);
        // An hour, like every reference list: a browser holding a just-deactivated occupation gets unknown_occupation on submit.
        c.header('Cache-Control', 'public, max-age=3600');
        return c.json({ occupations: active.map((o) => ({ code: o.code, name: o.name, nameEn: o.nameEn, sector: o.sector })) }, 200);
      },
    )
    .openapi(
      createRoute({
        method: 'get',
        path: '/reference/branches',
        tags: ['Referensi (reference data)'],
        summary: 'BPJS Ketenagakerjaan branch offices (kantor cabang), the active ones',
        description: 'Administrators add, rename, move and deactivate branches (GET/PUT /staff/branches); a deactivated one is not listed and new registrations and data changes refuse it (unknown_branch).',
        responses: { 200: jsonResponse(ZBranches, 'Branch offices') },
      }),
      async (c) => {
        const { active } = await branchDirectory(deps.db);
        c.header('Cache-Control', 'public, max-age=3600');
        return c.json({ branches: active.map((b) => ({ code: b.code, name: b.name, city: b.city, province: b.province })) }, 200);
      },
    );
}
