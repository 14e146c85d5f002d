import { createRoute, z } from '@hono/zod-openapi';
import type { Context, MiddlewareHandler } from 'hono';
import { bodyLimit } from 'hono/body-limit';
import type { Deps } from '../../deps.js';
import { participantIdOf, requireParticipant, requireStaff, staffActorOf, type AuthEnv } from '../../http/auth.js';
import { AppError, errorResponse, localeOf } from '../../http/errors.js';
import { BEARER_AUTH, UNAUTHORIZED } from '../../http/guarded-app.js';
import { createOpenApiApp } from '../../http/openapi-app.js';
import { jsonResponse, ZError } from '../../http/schemas.js';
import { DOCUMENT_MAX_BYTES, documentStoreFromConfig, type DocumentStore } from '../documents/index.js';
import { listClaimDocuments, readClaimDocument, uploadClaimDocument, type DocumentCaller } from './claim-documents.js';
import { DOCUMENT_KINDS } from './domain/required-documents.js';

/** The multipart envelope around a document (boundaries, part headers, the `kind` field): far more than enough. */
export const DOCUMENT_UPLOAD_OVERHEAD_BYTES = 64 * 1024;

const UPLOAD_PATH = /^\/api\/v1\/(me|staff)\/claims\/[^/]+\/documents$/;

/**
 * The upload paths limit their own bodies (the app-wide 64 KiB limit skips them): 6 MB + the multipart envelope,
 * after the caller is authenticated, so an anonymous sender is refused before a byte of the body is read.
 */
export function isClaimDocumentUploadPath(path: string): boolean {
  return UPLOAD_PATH.test(path);
}

const ZDocument = z
  .object({
    id: z.string().openapi({ example: 'doc_00mibq3k0Zx1…' }),
    kind: z.string().openapi({ example: 'ktp' }),
    label: z.string().openapi({ example: 'KTP elektronik peserta', description: "The kind's name in the caller's language (Accept-Language)" }),
    contentType: z.enum(['image/jpeg', 'image/png', 'application/pdf']).openapi({ description: 'Decided from the bytes, never from the name or declared type' }),
    sizeBytes: z.number().int(),
    sha256: z.string(),
    fileName: z.string().nullable(),
    uploadedBy: z.string().openapi({ description: '`participant:KPJ`, or the staff username' }),
    uploadedAt: z.string().openapi({ example: '2026-12-07T05:00:00.000Z' }),
  })
  .openapi('ClaimDocument');

const ZDocuments = z
  .object({
    documents: z.array(ZDocument).openapi({ description: 'Oldest first' }),
    missing: z.array(z.object({ kind: z.enum(DOCUMENT_KINDS), label: z.string() })).openapi({ description: 'Required kinds not yet uploaded' }),
  })
  .openapi('ClaimDocuments');

const ZUpload = z.object({
  kind: z.enum(DOCUMENT_KINDS).openapi({ description: 'Which document this is (GET …/documents lists the missing kinds)' }),
  file: z
    .custom<File>((v) => v instanceof File, { message: 'a file part named `file`' })
    .openapi({ type: 'string', format: 'binary', description: 'JPG, PNG or PDF, 1 byte to 6 MB; the type is read from the bytes' }),
});

const params = z.object({ id: z.string().max(64) });
const docParams = z.object({ id: z.string().max(64), docId: z.string().max(64) });
const notFound = { 404: jsonResponse(ZError, 'not_found: no such claim or document, or another member’s') };
const FORBIDDEN = { 403: jsonResponse(ZError, 'forbidden') };

function uploadRoute(who: 'me' | 'staff') {
  return createRoute({
    method: 'post',
    path: `/${who}/claims/{id}/documents`,
    tags: [who === 'me' ? 'Peserta (participants)' : 'Staf (staff)'],
    security: BEARER_AUTH,
    summary:
      who === 'me'
        ? 'Upload a document of my claim (while submitted or returned); the same file again as the same kind answers 200 with the stored one'
        : 'Upload a document of a claim at the counter (audited); the same file again as the same kind answers 200 with the stored one',
    request: { params, body: { content: { 'multipart/form-data': { schema: ZUpload } }, required: true } },
    responses: {
      201: jsonResponse(ZDocument, 'Stored'),
      200: jsonResponse(ZDocument, 'The same file was already stored as this kind of this claim'),
      400: jsonResponse(ZError, 'invalid_request (no `file` part, an unknown `kind`)'),
      ...UNAUTHORIZED,
      ...(who === 'staff' ? FORBIDDEN : {}),
      ...notFound,
      409: jsonResponse(ZError, 'claim_documents_closed: the claim is past `submitted`/`returned`'),
      413: jsonResponse(ZError, `document_too_large (over ${DOCUMENT_MAX_BYTES} bytes)`),
      415: jsonResponse(ZError, 'document_type_not_allowed (the bytes are not JPG, PNG or PDF)'),
      422: jsonResponse(ZError, 'document_empty'),
    },
  });
}

function listRoute(who: 'me' | 'staff') {
  return createRoute({
    method: 'get',
    path: `/${who}/claims/{id}/documents`,
    tags: [who === 'me' ? 'Peserta (participants)' : 'Staf (staff)'],
    security: BEARER_AUTH,
    summary: "A claim's documents and the required kinds still missing",
    request: { params },
    responses: { 200: jsonResponse(ZDocuments, 'Documents'), ...UNAUTHORIZED, ...(who === 'staff' ? FORBIDDEN : {}), ...notFound },
  });
}

const BINARY = { schema: z.string().openapi({ format: 'binary' }) };

function downloadRoute(who: 'me' | 'staff') {
  return createRoute({
    method: 'get',
    path: `/${who}/claims/{id}/documents/{docId}`,
    tags: [who === 'me' ? 'Peserta (participants)' : 'Staf (staff)'],
    security: BEARER_AUTH,
    summary: 'The bytes of one document, with its stored content type, as an attachment',
    request: { params: docParams },
    responses: {
      200: { description: 'The file', content: { 'image/jpeg': BINARY, 'image/png': BINARY, 'application/pdf': BINARY } },
      ...UNAUTHORIZED,
      ...(who === 'staff' ? FORBIDDEN : {}),
      ...notFound,
    },
  });
}

const EXTENSION: Record<string, string> = { 'image/jpeg': 'jpg', 'image/png': 'png', 'application/pdf': 'pdf' };

async function sendFile(deps: Deps, store: DocumentStore, c: Context, ids: { claimId: string; documentId: string }, caller: DocumentCaller) {
  const file = await readClaimDocument(deps, store, ids, caller);
  if (!file) {
    throw new AppError('not_found', 'docId');
  }
  // The name is ours (the document id), never the uploader's: nothing of it reaches a header.
  return c.body(new Uint8Array(file.bytes), 200, {
    'Content-Type': file.contentType,
    'Content-Disposition': `attachment; filename="${ids.documentId}.${EXTENSION[file.contentType] ?? 'bin'}"`,
    'X-Content-Type-Options': 'nosniff',
    'Content-Security-Policy': "default-src 'none'; sandbox",
    'Cache-Control': 'private, no-store',
  });
}

/** 6 MB + the envelope; over it: 413 document_too_large, from the declared length or as the stream grows. */
function uploadLimit(): MiddlewareHandler {
  const limit = bodyLimit({ maxSize: DOCUMENT_MAX_BYTES + DOCUMENT_UPLOAD_OVERHEAD_BYTES, onError: (c) => errorResponse(c, 'document_too_large', 'file') });
  return (c, next) => (c.req.method === 'POST' ? limit(c, next) : next());
}

/**
 * Claim documents over HTTP (issue 15 item 4): the member's own (`/me/claims/{id}/documents…`) and staff's
 * (`/staff/claims/{id}/documents…`, roles per the staff policy table; uploads audited).
 */
export function claimDocumentRoutes(deps: Deps, store: DocumentStore = documentStoreFromConfig(deps.config)) {
  const app = createOpenApiApp<AuthEnv>();
  const member = requireParticipant(deps);
  const staff = requireStaff(deps);
  for (const path of ['/me/claims/:id/documents', '/me/claims/:id/documents/*']) {
    // /me/* is already authenticated by meRoutes when mounted before; authenticate here only when nothing did.
    app.use(path, async (c, next) => (c.get('principal') ? next() : member(c, next)));
  }
  for (const path of ['/staff/claims/:id/documents', '/staff/claims/:id/documents/*']) {
    app.use(path, staff);
  }
  app.use('/me/claims/:id/documents', uploadLimit());
  app.use('/staff/claims/:id/documents', uploadLimit());
  const me = (c: Context<AuthEnv>): DocumentCaller => ({ kind: 'participant', participantId: participantIdOf(c) });
  const officer = (c: Context<AuthEnv>): DocumentCaller => ({ kind: 'staff', actor: staffActorOf(c) });
  for (const [who, caller] of [['me', me], ['staff', officer]] as const) {
    app.openapi(uploadRoute(who), async (c) => {
      const form = c.req.valid('form');
      const upload = { bytes: new Uint8Array(await form.file.arrayBuffer()), fileName: form.file.name || undefined, declaredType: form.file.type || undefined };
      const { document, created } = await uploadClaimDocument(deps, store, { claimId: c.req.valid('param').id, kind: form.kind, upload }, caller(c), localeOf(c));
      return c.json(document, created ? 201 : 200);
    });
    app.openapi(listRoute(who), async (c) => {
      const view = await listClaimDocuments(deps, c.req.valid('param').id, caller(c), localeOf(c));
      if (!view) {
        throw new AppError('not_found', 'id');
      }
      return c.json(view, 200);
    });
    app.openapi(downloadRoute(who), async (c) => {
      const p = c.req.valid('param');
      return sendFile(deps, store, c, { claimId: p.id, documentId: p.docId }, caller(c));
    });
  }
  return app;
}
