import { createCipheriv, createDecipheriv, createHmac, randomBytes } from 'node:crypto';
import { maskNikLast4 } from './nik.js';

/**
 * The NIK at rest (issue 16 item 6; docs/security.md). A NIK is never stored in plain text:
 * - `nikHash(nik)`: HMAC-SHA256 under NIK_HASH_KEY, hex — the equality look-up (duplicate registration, staff search,
 *   the settlement's per-person lock and `on conflict`) and the unique index;
 * - `sealNik(nik)`: AES-256-GCM under the current key of NIK_KEYS with a random 12-byte IV, stored as
 *   `v1:<keyId>:<base64(iv | ciphertext | tag)>`; `openNik` opens it with whichever key of the ring it names, so a new
 *   key is added first and rows are re-sealed afterwards (`npm run nik:reseal`).
 * A tampered or truncated value, or one sealed under a key the ring no longer has, fails to open (NikSealError).
 */
export interface NikKeys {
  /** The seal keys, the first one current (used for sealing); all are used for opening. */
  seal: readonly { id: string; key: Buffer }[];
  /** The HMAC key of nikHash. */
  hash: Buffer;
}

export class NikSealError extends Error {}

const VERSION = 'v1';
const IV_BYTES = 12;
const TAG_BYTES = 16;

/**
 * Development and test keys, published here and in the README, so they protect nothing: production refuses to start
 * without NIK_KEYS and NIK_HASH_KEY (config.ts).
 */
export const DEV_NIK_KEYS = 'dev1:bGluZHVuZy1kZXZlbG9wbWVudC1uaWsta2V5LTMyYnk=';
export const DEV_NIK_HASH_KEY = '6c696e64756e672d6465762d6e696b2d686173682d6b65792d33322d62797465';

/** `k2:<base64 32 bytes>,k1:<…>` (first = current) and a hex HMAC key of at least 32 bytes, or an error message. */
export function parseNikKeys(nikKeys: string, hashKeyHex: string): { ok: true; value: NikKeys } | { ok: false; error: string } {
  const seal: { id: string; key: Buffer }[] = [];
  for (const part of nikKeys.split(',').map((s) => s.trim()).filter((s) => s !== '')) {
    const at = part.indexOf(':');
    const id = part.slice(0, at);
    const key = Buffer.from(part.slice(at + 1), 'base64');
    if (at < 1 || !/^[A-Za-z0-9_-]{1,16}$/.test(id) || key.length !== 32) {
      return { ok: false, error: 'NIK_KEYS: each entry is <id>:<base64 of 32 bytes>, the id 1 to 16 letters, digits, - or _' };
    }
    if (seal.some((k) => k.id === id)) {
      return { ok: false, error: `NIK_KEYS: key id ${id} is given twice` };
    }
    seal.push({ id, key });
  }
  if (seal.length === 0) {
    return { ok: false, error: 'NIK_KEYS: at least one key' };
  }
  if (!/^([0-9a-fA-F]{2}){32,}$/.test(hashKeyHex)) {
    return { ok: false, error: 'NIK_HASH_KEY: hex of at least 32 bytes' };
  }
  return { ok: true, value: { seal, hash: Buffer.from(hashKeyHex, 'hex') } };
}

/** The keyed hash of a NIK (hex): equal NIKs, equal hashes; without the key it cannot be computed from a guess. */
export function nikHash(nik: string, keys: Pick<NikKeys, 'hash'>): string {
  return createHmac('sha256', keys.hash).update(`nik:${nik}`).digest('hex');
}

/** A NIK sealed under the current key: `v1:<keyId>:<base64(iv|ct|tag)>`, a fresh IV each time. */
export function sealNik(nik: string, keys: Pick<NikKeys, 'seal'>): string {
  const current = keys.seal[0];
  if (!current) {
    throw new NikSealError('no NIK key');
  }
  const iv = randomBytes(IV_BYTES);
  const cipher = createCipheriv('aes-256-gcm', current.key, iv);
  cipher.setAAD(Buffer.from(`${VERSION}:${current.id}`));
  const ct = Buffer.concat([cipher.update(nik, 'utf8'), cipher.final()]);
  return `${VERSION}:${current.id}:${Buffer.concat([iv, ct, cipher.getAuthTag()]).toString('base64')}`;
}

/** The key id a sealed value names (to find rows still sealed under an old key). */
export function sealedKeyId(sealed: string): string | null {
  const m = /^v1:([A-Za-z0-9_-]{1,16}):/.exec(sealed);
  return m ? (m[1] ?? null) : null;
}

/** Opens a sealed NIK with the ring's key it names; throws NikSealError when the key is unknown or the value altered. */
export function openNik(sealed: string, keys: Pick<NikKeys, 'seal'>): string {
  const [version, id, body] = sealed.split(':');
  if (version !== VERSION || id === undefined || body === undefined) {
    throw new NikSealError('not a sealed NIK');
  }
  const key = keys.seal.find((k) => k.id === id);
  if (!key) {
    throw new NikSealError(`NIK key ${id} is not in NIK_KEYS`);
  }
  const raw = Buffer.from(body, 'base64');
  if (raw.length < IV_BYTES + TAG_BYTES) {
    throw new NikSealError('sealed NIK too short');
  }
  try {
    const decipher = createDecipheriv('aes-256-gcm', key.key, raw.subarray(0, IV_BYTES));
    decipher.setAAD(Buffer.from(`${VERSION}:${id}`));
    decipher.setAuthTag(raw.subarray(raw.length - TAG_BYTES));
    return Buffer.concat([decipher.update(raw.subarray(IV_BYTES, raw.length - TAG_BYTES)), decipher.final()]).toString('utf8');
  } catch {
    throw new NikSealError('sealed NIK does not open (altered, or another key)');
  }
}

/** Both stored forms of a NIK, for an insert: `{ nik_hash, nik_sealed }`. */
export function protectNik(nik: string, keys: NikKeys): { nik_hash: string; nik_sealed: string } {
  return { nik_hash: nikHash(nik, keys), nik_sealed: sealNik(nik, keys) };
}

/** A sealed NIK as staff see it: its last 4 digits only (`************1234`), never the full value. */
export function sealedNikLast4(sealed: string, keys: Pick<NikKeys, 'seal'>): string {
  return maskNikLast4(openNik(sealed, keys));
}
