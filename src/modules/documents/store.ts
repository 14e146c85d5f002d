/**
 * Where document bytes live: one small interface (put/get/delete by key) with a local-filesystem adapter (development,
 * single-server installs) and an S3-compatible adapter (production). Keys are content addresses: the lowercase hex
 * sha256 of the bytes, so a put is idempotent and the same file uploaded twice is stored once.
 */
export interface DocumentStore {
  readonly kind: 'local' | 's3';
  /** Stores `bytes` under `key`; storing the same key again is harmless (same content). */
  put(key: string, bytes: Buffer, contentType: string): Promise<void>;
  /** The bytes under `key`, or undefined when there are none. */
  get(key: string): Promise<Buffer | undefined>;
  /** Removes `key`; removing a missing key is not an error. */
  delete(key: string): Promise<void>;
}

const KEY = /^[0-9a-f]{64}$/;

/** Keys are sha256 hex: anything else (a path, `..`) is a programming error, thrown before any I/O. */
export function assertDocumentKey(key: string): void {
  if (!KEY.test(key)) {
    throw new Error(`invalid document key ${JSON.stringify(key)}: expected a lowercase hex sha256`);
  }
}
