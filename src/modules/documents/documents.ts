import { createHash } from 'node:crypto';
import { ok, reject, type Result } from '../../shared/result.js';
import { sniffDocumentType, type DocumentType } from './sniff.js';
import type { DocumentStore } from './store.js';

/** The largest document accepted: 6 MB (6 × 1024 × 1024 bytes). */
export const DOCUMENT_MAX_BYTES = 6 * 1024 * 1024;

export type DocumentRefusal = 'document_empty' | 'document_too_large' | 'document_type_not_allowed';

/** An upload as it arrives: the bytes, and what the sender claims (kept for display, never trusted for the type). */
export interface DocumentUpload {
  bytes: Uint8Array;
  fileName?: string;
  declaredType?: string;
}

export interface StoredDocument {
  /** The storage key: the sha256 of the bytes (lowercase hex). */
  key: string;
  sha256: string;
  /** Decided from the bytes. */
  type: DocumentType;
  size: number;
  fileName: string | undefined;
}

/** Pure check of an upload: size (1 byte … 6 MB) and type from the magic numbers; sha256 of the bytes. */
export function inspectDocument(upload: DocumentUpload): Result<StoredDocument, DocumentRefusal> {
  const size = upload.bytes.byteLength;
  if (size === 0) return reject('document_empty');
  if (size > DOCUMENT_MAX_BYTES) return reject('document_too_large', undefined, `${size} bytes; at most ${DOCUMENT_MAX_BYTES}`);
  const type = sniffDocumentType(upload.bytes);
  if (!type) return reject('document_type_not_allowed', undefined, 'only JPG, PNG and PDF files are accepted');
  const sha256 = createHash('sha256').update(upload.bytes).digest('hex');
  return ok({ key: sha256, sha256, type, size, fileName: upload.fileName });
}

/** Checks an upload and stores it under its sha256 (the same file twice is stored once). */
export async function storeDocument(store: DocumentStore, upload: DocumentUpload): Promise<Result<StoredDocument, DocumentRefusal>> {
  const checked = inspectDocument(upload);
  if (!checked.ok) return checked;
  await store.put(checked.value.key, Buffer.from(upload.bytes.buffer, upload.bytes.byteOffset, upload.bytes.byteLength), checked.value.type);
  return checked;
}
