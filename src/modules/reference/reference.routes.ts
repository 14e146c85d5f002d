import { createRoute, z } from '@hono/zod-openapi';
import { createOpenApiApp } from '../../http/openapi-app.js';
import { jsonResponse } from '../../http/schemas.js';
import { BRANCHES } from './branches.js';
import { OCCUPATIONS } from './occupations.js';

const ZOccupations = z.object({
  occupations: z.array(z.object({ code: z.string(), name: z.string(), nameEn: z.string(), sector: z.enum(['transport', 'other']) })),
});
const ZBranches = z.object({ branches: z.array(z.object({ code: z.string(), name: z.string(), city: z.string(), province: z.string() })) });

const occupationsBody = { occupations: OCCUPATIONS.map((o) => ({ code: o.code, name: o.name, nameEn: o.nameEn, sector: o.sector })) };
const branchesBody = { branches: BRANCHES.map((b) => ({ code: b.code, name: b.name, city: b.city, province: b.province })) };

export function referenceRoutes() {
  return createOpenApiApp()
    .openapi(
      createRoute({
        method: 'get',
        path: '/reference/occupations',
        tags: ['Referensi (reference data)'],
        summary: 'Occupations, with the transport-sector flag that decides PP 50/2025 discounts',
        responses: { 200: jsonResponse(ZOccupations, 'Occupations') },
      }),
      (c) => {
        c.header('Cache-Control', 'public, max-age=3600');
        return c.json(occupationsBody, 200);
      },
    )
    .openapi(
      createRoute({
        method: 'get',
        path: '/reference/branches',
        tags: ['Referensi (reference data)'],
        summary: 'BPJS Ketenagakerjaan branch offices (kantor cabang)',
        responses: { 200: jsonResponse(ZBranches, 'Branch offices') },
      }),
      (c) => {
        c.header('Cache-Control', 'public, max-age=3600');
        return c.json(branchesBody, 200);
      },
    );
}
