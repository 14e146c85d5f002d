import { createRoute, z } from '@hono/zod-openapi';
import type { Deps } from '../../deps.js';
import { requireStaff } from '../../http/auth.js';
import { AppError } from '../../http/errors.js';
import { BEARER_AUTH, guardedApp } from '../../http/guarded-app.js';
import { jsonResponse, ZDate, ZError } from '../../http/schemas.js';
import type { FormOneADraft } from './form-1a-pdf.js';
import { findDraftByFormCode } from './form-1a.js';

const ZDraft = z
  .object({
    registrationId: z.string(),
    formCode: z.string().openapi({ example: 'K3M9Q2TX', description: '8 Crockford base32 characters, as printed (without the hyphen)' }),
    formCodeExpiresAt: z.string(),
    status: z.string().openapi({ description: 'pending_verification, verified or submitted (a completed registration is no draft)' }),
    nik: z.string().openapi({ example: '************0001', description: 'Masked to its last 4 digits; the officer reads the whole NIK from the KTP' }),
    nikLast4: z.string(),
    fullName: z.string(),
    birthDate: ZDate,
    gender: z.enum(['M', 'F']),
    address: z.string(),
    phone: z.string(),
    email: z.string(),
    occupationCode: z.string(),
    occupationName: z.string(),
    sector: z.string(),
    branchCode: z.string(),
    branchName: z.string(),
    programs: z.array(z.string()).nullable(),
    declaredIncome: z.number().int().nullable(),
    months: z.number().int().nullable(),
  })
  .openapi('RegistrationDraft');

const draftRoute = createRoute({
  method: 'get',
  path: '/staff/registration-drafts/{formCode}',
  tags: ['Staf (staff)'],
  security: BEARER_AUTH,
  summary: "A worker's web registration draft by the form code printed on its Formulir 1A (typed or scanned; case, spaces and hyphens ignored), to prefill the counter's registration",
  request: { params: z.object({ formCode: z.string().max(40) }) },
  responses: {
    200: jsonResponse(ZDraft, 'The draft, the NIK masked to its last 4 digits'),
    401: jsonResponse(ZError, 'unauthorized'),
    403: jsonResponse(ZError, 'forbidden'),
    404: jsonResponse(ZError, 'draft_not_found: unknown or expired code, or the registration is already paid'),
  },
});

/** The staff view of a draft: the NIK only masked (`nikMasked` renamed `nik`, as staff answers name it). */
function staffView(d: FormOneADraft) {
  const { nikMasked, ...rest } = d;
  return { ...rest, nik: nikMasked };
}

/** The counter's look-up of a web draft by its form code (README "Formulir 1A"), in STAFF_POLICY. */
export function registrationDraftRoutes(deps: Deps) {
  return guardedApp(requireStaff(deps), ['/staff/registration-drafts/*']).openapi(draftRoute, async (c) => {
    const draft = await findDraftByFormCode(deps.db, c.req.valid('param').formCode, deps.clock.now());
    if (!draft) {
      throw new AppError('draft_not_found', 'formCode');
    }
    return c.json(staffView(draft), 200);
  });
}
