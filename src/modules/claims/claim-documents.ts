/**
 * The documents of a claim (issue 15 item 4): upload (the member's own claim, or staff at a counter), list with the
 * kinds still missing, and download. The bytes go through the documents module (type from the magic numbers, 6 MB,
 * sha256, content-addressed store); the row goes into `claim_document`. Documents can be added while the claim waits
 * for an officer (`submitted`) or is back with the claimant for a missing document (`returned`); after that the
 * file set the officers decided on is fixed (409 `claim_documents_closed`). The same bytes uploaded again as the same
 * kind of the same claim answer with the document already there (unique index `claim_document_once_idx`).
 */
import type { Kysely, Selectable, Transaction } from 'kysely';
import type { Database } from '../../db/database.js';
import type { Deps } from '../../deps.js';
import { AppError } from '../../http/errors.js';
import type { Lang } from '../../shared/i18n/catalogue.js';
import { newId } from '../../shared/ids.js';
import { recordStaffAction } from '../audit/index.js';
import { inspectDocument, type DocumentStore, type DocumentUpload } from '../documents/index.js';
import type { JhtReason } from './domain/eligibility.js';
import { documentKindLabel, isDocumentKind, missingDocuments, type ClaimDocumentFacts, type DocumentKind } from './domain/required-documents.js';

type Executor = Kysely<Database> | Transaction<Database>;

/** States in which a claim takes documents. */
export const DOCUMENT_OPEN_STATUSES = ['submitted', 'returned'] as const;

/**
 * Who asks: a member for their own claim (recorded as `participant:KPJ`), or staff (any claim; roles checked by the
 * route's policy entry; recorded by username or the staff key's id).
 */
export type DocumentCaller = { kind: 'participant'; participantId: string } | { kind: 'staff'; actor: string };

export interface ClaimDocument {
  id: string;
  kind: string;
  label: string;
  contentType: string;
  sizeBytes: number;
  sha256: string;
  fileName: string | null;
  uploadedBy: string;
  uploadedAt: string;
}

export interface ClaimDocumentsView {
  documents: ClaimDocument[];
  missing: { kind: DocumentKind; label: string }[];
}

interface ClaimRow {
  id: string;
  participant_id: string;
  kpj: string;
  type: string;
  status: string;
  reason: string | null;
  event: unknown;
  children: unknown;
  assessment: unknown;
  flags: string[];
}

/** The facts of a stored claim that decide its documents. */
export function documentFactsOf(claim: Pick<ClaimRow, 'type' | 'reason' | 'event' | 'children' | 'assessment' | 'flags'>): ClaimDocumentFacts {
  const event = (claim.event ?? null) as { kind?: 'death' | 'accident' | 'disability' } | null;
  const assessment = (claim.assessment ?? null) as { medicalCost?: number } | null;
  return {
    type: claim.type as ClaimDocumentFacts['type'],
    reason: (claim.reason as JhtReason | null) ?? null,
    eventKind: event?.kind ?? null,
    childCount: Array.isArray(claim.children) ? claim.children.length : 0,
    npwpRequired: claim.flags.includes('npwp_required'),
    medicalCostClaimed: (assessment?.medicalCost ?? 0) > 0,
  };
}

/** The claim, or null when there is none or it is not the calling member's (both answer 404: no probing); `null` caller: any. */
async function findClaim(db: Executor, claimId: string, caller: DocumentCaller | null, lock = false): Promise<ClaimRow | null> {
  let q = db
    .selectFrom('claim')
    .select(['id', 'participant_id', 'kpj', 'type', 'status', 'reason', 'event', 'children', 'assessment', 'flags'])
    .where('id', '=', claimId);
  if (caller?.kind === 'participant') {
    q = q.where('participant_id', '=', caller.participantId);
  }
  const row = await (lock ? q.forUpdate() : q).executeTakeFirst();
  return row ?? null;
}

function toDocument(r: Selectable<Database['claim_document']>, lang: Lang): ClaimDocument {
  return {
    id: r.id,
    kind: r.kind,
    label: isDocumentKind(r.kind) ? documentKindLabel(r.kind, lang) : r.kind,
    contentType: r.content_type,
    sizeBytes: Number(r.size_bytes),
    sha256: r.sha256,
    fileName: r.file_name,
    uploadedBy: r.uploaded_by,
    uploadedAt: new Date(r.uploaded_at).toISOString(),
  };
}

/** Every document of a claim (oldest first) and the required kinds not yet uploaded, labelled in `lang`. */
export async function claimDocumentsView(db: Executor, claimId: string, lang: Lang = 'id'): Promise<ClaimDocumentsView | null> {
  const claim = await findClaim(db, claimId, null);
  if (!claim) {
    return null;
  }
  return viewOf(db, claim, lang);
}

async function viewOf(db: Executor, claim: ClaimRow, lang: Lang): Promise<ClaimDocumentsView> {
  const rows = await db
    .selectFrom('claim_document')
    .selectAll()
    .where('participant_id', '=', claim.participant_id)
    .where('claim_id', '=', claim.id)
    .orderBy('uploaded_at')
    .orderBy('id')
    .execute();
  const missing = missingDocuments(documentFactsOf(claim), rows.map((r) => r.kind));
  return { documents: rows.map((r) => toDocument(r, lang)), missing: missing.map((kind) => ({ kind, label: documentKindLabel(kind, lang) })) };
}

/** The list a caller may see: the member's own claim, or any claim for staff; null = 404. */
export async function listClaimDocuments(deps: Deps, claimId: string, caller: DocumentCaller, lang: Lang): Promise<ClaimDocumentsView | null> {
  const claim = await findClaim(deps.db, claimId, caller);
  return claim ? viewOf(deps.db, claim, lang) : null;
}

function assertOpen(claim: ClaimRow): void {
  if (!(DOCUMENT_OPEN_STATUSES as readonly string[]).includes(claim.status)) {
    throw new AppError('claim_documents_closed', 'status', `the claim is ${claim.status}; documents are taken while it is submitted or returned`);
  }
}

export interface UploadInput {
  claimId: string;
  kind: string;
  upload: DocumentUpload;
}

/**
 * Checks and stores one document of a claim. Refusals (thrown AppError): 404 `not_found` (no such claim, or another
 * member's), 400 `invalid_request` (an unknown kind), 409 `claim_documents_closed`, and the documents module's
 * `document_empty` / `document_too_large` / `document_type_not_allowed`. The bytes are stored before the row (a
 * content-addressed put is harmless to repeat; a row never points at missing bytes); the claim row is locked while
 * the row is written, so a claim verified meanwhile takes no more documents. `created` is false when the same bytes
 * were already there as this kind of this claim.
 */
export async function uploadClaimDocument(
  deps: Deps,
  store: DocumentStore,
  input: UploadInput,
  caller: DocumentCaller,
  lang: Lang,
): Promise<{ document: ClaimDocument; created: boolean }> {
  const claim = await findClaim(deps.db, input.claimId, caller);
  if (!claim) {
    throw new AppError('not_found', 'id');
  }
  if (!isDocumentKind(input.kind)) {
    throw new AppError('invalid_request', 'kind', `unknown document kind; one of the kinds of GET …/documents`);
  }
  assertOpen(claim);
  const checked = inspectDocument(input.upload);
  if (!checked.ok) {
    throw new AppError(checked.code, 'file', checked.detail);
  }
  const file = checked.value;
  const { bytes } = input.upload;
  await store.put(file.key, Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength), file.type);
  return deps.db.transaction().execute(async (trx) => {
    const locked = await findClaim(trx, input.claimId, caller, true);
    if (!locked) {
      throw new AppError('not_found', 'id');
    }
    assertOpen(locked);
    const now = deps.clock.now();
    const inserted = await trx
      .insertInto('claim_document')
      .values({
        id: newId('doc'),
        claim_id: locked.id,
        participant_id: locked.participant_id,
        kind: input.kind,
        sha256: file.sha256,
        content_type: file.type,
        size_bytes: file.size,
        file_name: file.fileName?.slice(0, 255) ?? null,
        uploaded_by: caller.kind === 'staff' ? caller.actor : `participant:${locked.kpj}`,
        uploaded_at: now,
      })
      .onConflict((oc) => oc.columns(['participant_id', 'claim_id', 'kind', 'sha256']).doNothing())
      .returningAll()
      .executeTakeFirst();
    const row =
      inserted ??
      (await trx
        .selectFrom('claim_document')
        .selectAll()
        .where('participant_id', '=', locked.participant_id)
        .where('claim_id', '=', locked.id)
        .where('kind', '=', input.kind)
        .where('sha256', '=', file.sha256)
        .executeTakeFirstOrThrow());
    const document = toDocument(row, lang);
    if (inserted && caller.kind === 'staff') {
      await recordStaffAction(trx, {
        actor: caller.actor,
        action: 'claim_document.upload',
        subject: `claim:${locked.id}`,
        reason: null,
        detail: { documentId: document.id, kind: document.kind, contentType: document.contentType, sizeBytes: document.sizeBytes, sha256: document.sha256 },
        after: { documentId: document.id, kind: document.kind },
        at: now,
      });
    }
    return { document, created: inserted !== undefined };
  });
}

/** The bytes of one document of a claim the caller may see; null = 404 (no such claim or document, another's). */
export async function readClaimDocument(
  deps: Deps,
  store: DocumentStore,
  ids: { claimId: string; documentId: string },
  caller: DocumentCaller,
): Promise<{ bytes: Buffer; contentType: string; fileName: string | null; sha256: string } | null> {
  const claim = await findClaim(deps.db, ids.claimId, caller);
  if (!claim) {
    return null;
  }
  const row = await deps.db
    .selectFrom('claim_document')
    .select(['sha256', 'content_type', 'file_name'])
    .where('participant_id', '=', claim.participant_id)
    .where('claim_id', '=', claim.id)
    .where('id', '=', ids.documentId)
    .executeTakeFirst();
  if (!row) {
    return null;
  }
  const bytes = await store.get(row.sha256);
  if (!bytes) {
    throw new Error(`claim document ${ids.documentId}: bytes ${row.sha256} missing from the ${store.kind} store`);
  }
  return { bytes, contentType: row.content_type, fileName: row.file_name, sha256: row.sha256 };
}
