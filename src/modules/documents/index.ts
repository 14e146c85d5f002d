/**
 * The documents module's facade: claim documents (JPG/PNG/PDF up to 6 MB, type decided from the bytes) kept in a
 * content-addressed store — the local filesystem under DATA_DIR, or an S3-compatible bucket (README, "Documents").
 */
import type { Config } from '../../config.js';
import { localDocumentStore } from './local-store.js';
import { s3DocumentStore } from './s3-store.js';
import type { DocumentStore } from './store.js';

export { DOCUMENT_MAX_BYTES, inspectDocument, storeDocument, type DocumentRefusal, type DocumentUpload, type StoredDocument } from './documents.js';
export { localDocumentStore } from './local-store.js';
export { s3DocumentStore, type S3StoreConfig } from './s3-store.js';
export { DOCUMENT_TYPES, sniffDocumentType, type DocumentType } from './sniff.js';
export type { DocumentStore } from './store.js';

/** The store the configuration asks for (DOCUMENT_STORE: `local`, the default, or `s3`). */
export function documentStoreFromConfig(config: Pick<Config, 'dataDir' | 'documents'>): DocumentStore {
  return config.documents.kind === 's3' ? s3DocumentStore(config.documents.s3) : localDocumentStore(config.dataDir);
}
