import { createRoute, z } from '@hono/zod-openapi';
import { bodyLimit } from 'hono/body-limit';
import type { Deps } from '../../deps.js';
import { type AuthEnv, partnerIdOf, requirePartner, requireStaff, staffActorOf } from '../../http/auth.js';
import { AppError, errorBody, localeOf, unwrap } from '../../http/errors.js';
import { BEARER_AUTH, guardedApp, UNAUTHORIZED } from '../../http/guarded-app.js';
import { createOpenApiApp } from '../../http/openapi-app.js';
import { jsonBody, jsonResponse, ZError, ZMonth } from '../../http/schemas.js';
import { sha256Hex } from '../../shared/crypto.js';
import { parseCsv } from '../reconciliation/index.js';
import { batchView, submitBatch } from './batches.js';
import { createPartnerByStaff, issueClientByStaff, issueToken, revokeClientByStaff } from './clients.js';
import { batchFromCsv, batchFromJson, BATCH_COLUMNS, type BatchInput } from './domain/batch-input.js';
import { clientCredentials, PARTNER_FUNDINGS, PARTNER_SCOPES, parseScopes } from './domain/credentials.js';
import { partnerParticipants } from './participants.js';

const TAG = 'Mitra (partners)';
/** A batch of 100,000 rows is about 15 MB of CSV; JSON is larger. */
export const BATCH_BODY_MAX_BYTES = 48 * 1024 * 1024;
export const BATCHES_PATH = '/api/v1/partner/enrolment-batches';

const ZToken = z.object({ access_token: z.string(), token_type: z.literal('Bearer'), expires_in: z.number().int(), scope: z.string() }).openapi('PartnerToken');
const tokenRoute = createRoute({
  method: 'post',
  path: '/oauth/token',
  tags: [TAG],
  summary: 'OAuth2 client credentials (RFC 6749 §4.4): a 1-hour partner bearer token',
  description:
    'Form `grant_type=client_credentials`; the client by HTTP Basic (clientId:clientSecret) or `client_id`/`client_secret` in the form (§2.3.1), not both. ' +
    'Wrong, revoked or expired credentials: 401 `invalid_client` (in the contract error shape). Rate-limited per client IP.',
  request: {
    body: {
      content: { 'application/x-www-form-urlencoded': { schema: z.object({ grant_type: z.string().optional(), client_id: z.string().optional(), client_secret: z.string().optional(), scope: z.string().optional() }) } },
      required: true,
    },
  },
  responses: {
    200: jsonResponse(ZToken, 'A bearer token for the partner API'),
    400: jsonResponse(ZError, 'invalid_request, unsupported_grant_type'),
    401: jsonResponse(ZError, 'invalid_client'),
    429: jsonResponse(ZError, 'rate_limited'),
  },
});

/** POST /oauth/token. */
export function partnerTokenRoutes(deps: Deps) {
  return createOpenApiApp().openapi(tokenRoute, async (c) => {
    const form = c.req.valid('form');
    if (form.grant_type === undefined || form.grant_type === '') {
      throw new AppError('invalid_request', 'grant_type');
    }
    if (form.grant_type !== 'client_credentials') {
      throw new AppError('unsupported_grant_type', 'grant_type');
    }
    const client = clientCredentials(c.req.header('authorization'), form);
    if (!client) {
      c.header('www-authenticate', 'Basic realm="lindung"');
      throw new AppError('invalid_client');
    }
    const token = await issueToken(deps, client.clientId, client.clientSecret);
    if (!token.ok) {
      c.header('www-authenticate', 'Basic realm="lindung"');
    }
    return c.json(unwrap(token), 200);
  });
}

const ZBatchRow = z.object({
  row: z.number().int().openapi({ description: 'The data row, from 1 (the CSV header is not counted)' }),
  status: z.enum(['accepted', 'rejected']),
  code: z.string().optional().openapi({ description: 'The registration error code (or duplicate_in_batch, already_in_open_batch)' }),
  field: z.string().optional().openapi({ description: 'The column' }),
  kpj: z.string().optional().openapi({ description: 'Once the batch bill is paid' }),
});
const ZBatch = z
  .object({
    id: z.string(),
    status: z.enum(['queued', 'running', 'done']),
    total: z.number().int(),
    processed: z.number().int(),
    accepted: z.number().int(),
    rejected: z.number().int(),
    createdAt: z.string(),
    rows: z.array(ZBatchRow),
    bill: z.object({ paymentCode: z.string(), amount: z.number().int() }).optional().openapi({ description: 'The one bill of the batch (all accepted rows); paying it activates them all' }),
  })
  .openapi('EnrolmentBatch');
const ZRow = z.object({
  nik: z.string(), fullName: z.string(), birthDate: z.string(), gender: z.string(), phone: z.string(), email: z.string(), address: z.string(),
  occupationCode: z.string(), branchCode: z.string(), programs: z.array(z.string()), declaredIncome: z.number(), months: z.number(),
}).partial();
const batchErrors = {
  400: jsonResponse(ZError, 'invalid_request, idempotency_key_required'),
  ...UNAUTHORIZED,
  403: jsonResponse(ZError, 'forbidden (the token lacks the scope)'),
  409: jsonResponse(ZError, 'idempotency_key_reused (another body under the same Idempotency-Key)'),
  413: jsonResponse(ZError, 'payload_too_large'),
} as const;

const submitRoute = createRoute({
  method: 'post',
  path: '/partner/enrolment-batches',
  tags: [TAG],
  security: BEARER_AUTH,
  summary: 'Upload an enrolment batch (CSV or JSON, scope enrolment)',
  description:
    `CSV (text/csv, RFC 4180) with the header row \`${BATCH_COLUMNS.join(',')}\`, programs as \`JKK;JKM;JHT\`, or JSON { rows: [ … ] }; at most 100,000 rows. ` +
    'Header Idempotency-Key (1–100 characters) required: the same key with the same body is the same batch; another body 409. Processed by a job.',
  request: {
    headers: z.object({ 'idempotency-key': z.string().optional().openapi({ description: 'Required' }) }),
    // Not required for the validator: a CSV body must not be validated as JSON (the handler reads both kinds).
    body: { content: { 'text/csv': { schema: z.string() }, 'application/json': { schema: z.object({ rows: z.array(ZRow) }) } }, required: false },
  },
  responses: { 202: jsonResponse(z.object({ id: z.string(), status: z.enum(['queued', 'running', 'done']) }), 'Queued (or the batch this key made)'), ...batchErrors },
});

const viewRoute = createRoute({
  method: 'get',
  path: '/partner/enrolment-batches/{id}',
  tags: [TAG],
  security: BEARER_AUTH,
  summary: "A batch's progress, per-row results and its one bill (scope enrolment; only the partner's own)",
  request: { params: z.object({ id: z.string().max(64) }) },
  responses: { 200: jsonResponse(ZBatch, 'The batch'), ...UNAUTHORIZED, 403: jsonResponse(ZError, 'forbidden'), 404: jsonResponse(ZError, 'unknown_batch') },
});

const participantsRoute = createRoute({
  method: 'get',
  path: '/partner/participants',
  tags: [TAG],
  security: BEARER_AUTH,
  summary: 'The participants this partner enrolled (scope members), newest first',
  request: { query: z.object({ limit: z.coerce.number().int().min(1).max(1000).default(100), offset: z.coerce.number().int().min(0).default(0) }) },
  responses: {
    200: jsonResponse(z.object({ participants: z.array(z.object({ kpj: z.string(), fullName: z.string(), status: z.enum(['active', 'arrears', 'inactive']), coveredThrough: ZMonth.nullable() })) }), 'Participants'),
    ...UNAUTHORIZED,
    403: jsonResponse(ZError, 'forbidden'),
  },
});

async function readBatch(contentType: string, raw: string): Promise<BatchInput> {
  if (contentType.startsWith('text/csv')) {
    const csv = parseCsv(raw);
    return csv.ok ? batchFromCsv(csv.records) : { ok: false, error: { code: 'invalid_request', field: `line ${csv.error.line}`, detail: csv.error.code } };
  }
  let body: unknown;
  try {
    body = JSON.parse(raw);
  } catch {
    return { ok: false, error: { code: 'invalid_request', field: 'rows', detail: 'malformed JSON' } };
  }
  return batchFromJson(body);
}

/** The partner API: enrolment batches (scope enrolment) and the partner's participants (scope members). */
export function partnerRoutes(deps: Deps) {
  const app = createOpenApiApp<AuthEnv>();
  app.use('/partner/enrolment-batches', requirePartner(deps, 'enrolment'));
  app.use('/partner/enrolment-batches/*', requirePartner(deps, 'enrolment'));
  app.use('/partner/participants', requirePartner(deps, 'members'));
  app.use(
    '/partner/enrolment-batches',
    bodyLimit({ maxSize: BATCH_BODY_MAX_BYTES, onError: (c) => c.json(errorBody('payload_too_large', localeOf(c), 'rows'), 413) }),
  );
  return app
    .openapi(
      submitRoute,
      async (c) => {
        const key = (c.req.header('idempotency-key') ?? '').trim();
        if (key === '' || key.length > 100) {
          throw new AppError('idempotency_key_required', 'Idempotency-Key');
        }
        const contentType = (c.req.header('content-type') ?? '').toLowerCase();
        const raw = await c.req.text();
        const input = await readBatch(contentType, raw);
        if (!input.ok) {
          throw new AppError(input.error.code, input.error.field, input.error.detail);
        }
        const out = unwrap(await submitBatch(deps, partnerIdOf(c), { idempotencyKey: key, bodyHash: sha256Hex(`${contentType.split(';')[0]}\n${raw}`), rows: input.rows }));
        return c.json({ id: out.id, status: out.status }, 202);
      },
    )
    .openapi(viewRoute, async (c) => {
      const view = await batchView(deps.db, partnerIdOf(c), c.req.valid('param').id);
      if (!view) {
        throw new AppError('unknown_batch', 'id');
      }
      return c.json(view, 200);
    })
    .openapi(participantsRoute, async (c) => c.json({ participants: await partnerParticipants(deps, partnerIdOf(c), c.req.valid('query')) }, 200));
}

const ZNewPartner = z
  .object({ name: z.string().min(1).max(200), funding: z.enum(PARTNER_FUNDINGS), scopes: z.array(z.enum(PARTNER_SCOPES)).optional() })
  .openapi('NewPartner');
const ZIssued = z.object({ clientId: z.string(), clientSecret: z.string().openapi({ description: 'Shown once; only its hash is kept' }), scopes: z.array(z.string()) });
const staffErrors = { 400: jsonResponse(ZError, 'invalid_request'), ...UNAUTHORIZED, 403: jsonResponse(ZError, 'forbidden'), 404: jsonResponse(ZError, 'unknown_partner, unknown_partner_client') } as const;

function scopesOf(given: string[] | undefined) {
  const scopes = parseScopes(given);
  if (!scopes) {
    throw new AppError('invalid_request', 'scopes');
  }
  return scopes;
}

/** Staff (admin) administration of partners and their client secrets; audited. */
export function partnerStaffRoutes(deps: Deps) {
  return guardedApp(requireStaff(deps), ['/staff/partners', '/staff/partners/*'])
    .openapi(
      createRoute({
        method: 'post', path: '/staff/partners', tags: ['Staf (staff)'], security: BEARER_AUTH, summary: 'Create a partner and its first client (admin)',
        request: { body: jsonBody(ZNewPartner) },
        responses: { 201: jsonResponse(ZIssued.extend({ id: z.string(), name: z.string(), funding: z.string() }), 'The partner and its first client'), ...staffErrors },
      }),
      async (c) => {
        const b = c.req.valid('json');
        return c.json(await createPartnerByStaff(deps, { name: b.name, funding: b.funding, scopes: scopesOf(b.scopes) }, staffActorOf(c)), 201);
      },
    )
    .openapi(
      createRoute({
        method: 'post', path: '/staff/partners/{id}/clients', tags: ['Staf (staff)'], security: BEARER_AUTH, summary: 'Issue another client secret (rotation; admin)',
        request: { params: z.object({ id: z.string().max(64) }), body: jsonBody(z.object({ scopes: z.array(z.enum(PARTNER_SCOPES)).optional(), expiresAt: z.iso.datetime({ offset: true }).optional() })) },
        responses: { 201: jsonResponse(ZIssued.extend({ partnerId: z.string(), expiresAt: z.string().nullable() }), 'The new client'), ...staffErrors },
      }),
      async (c) => {
        const b = c.req.valid('json');
        const expiresAt = b.expiresAt ? new Date(b.expiresAt) : null;
        return c.json(unwrap(await issueClientByStaff(deps, c.req.valid('param').id, { scopes: scopesOf(b.scopes), expiresAt }, staffActorOf(c))), 201);
      },
    )
    .openapi(
      createRoute({
        method: 'delete', path: '/staff/partners/{id}/clients/{clientId}', tags: ['Staf (staff)'], security: BEARER_AUTH, summary: 'Revoke a client secret and its tokens (admin)',
        request: { params: z.object({ id: z.string().max(64), clientId: z.string().max(64) }) },
        responses: { 200: jsonResponse(z.object({ clientId: z.string(), revokedAt: z.string() }), 'Revoked'), ...staffErrors },
      }),
      async (c) => {
        const p = c.req.valid('param');
        return c.json(unwrap(await revokeClientByStaff(deps, p.id, p.clientId, staffActorOf(c))), 200);
      },
    );
}
