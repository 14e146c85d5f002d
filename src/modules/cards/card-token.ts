import { createHash, createPrivateKey, createPublicKey, sign, verify } from 'node:crypto';
import type { KeyObject } from 'node:crypto';

/** What the card's QR code vouches for. Kept tiny so the QR stays a low version. */
export interface CardClaims {
  kpj: string;
  /** ISO 8601 instant, e.g. 2026-11-22T02:00:00.000Z. */
  issuedAt: string;
  v: 1;
}

export interface CardSigner {
  sign(claims: CardClaims): string;
  verify(token: string): CardClaims | null;
  /** SPKI PEM of the Ed25519 public key, published so anyone can verify cards offline. */
  readonly publicKeyPem: string;
}

// PKCS#8 DER header for a raw 32-byte Ed25519 private key (RFC 8410); node:crypto has no raw-seed import.
const ED25519_PKCS8_PREFIX = Buffer.from('302e020100300506032b657004220420', 'hex');
// Real tokens are ~175 chars; anything far longer is not ours and not worth decoding.
const MAX_TOKEN_LENGTH = 1024;
const BASE64URL_RE = /^[A-Za-z0-9_-]+$/;
// An instant needs a zone (Z or ±hh:mm); a bare local date-time would be ambiguous.
const ISO_INSTANT_RE = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2}(\.\d{1,9})?)?(Z|[+-]\d{2}:\d{2})$/;

export function createCardSigner(seed: string): CardSigner {
  if (seed.length === 0) {
    throw new RangeError('card signing seed must not be empty');
  }
  // Deterministic key from the configured secret: every instance signs with the same key.
  const rawSeed = createHash('sha256').update(seed, 'utf8').digest();
  const privateKey = createPrivateKey({
    key: Buffer.concat([ED25519_PKCS8_PREFIX, rawSeed]),
    format: 'der',
    type: 'pkcs8',
  });
  const publicKey = createPublicKey(privateKey);
  const publicKeyPem = publicKey.export({ type: 'spki', format: 'pem' }).toString();

  return {
    publicKeyPem,
    sign(claims) {
      const clean = toClaims(claims);
      if (!clean) {
        throw new RangeError('invalid card claims');
      }
      // Fixed key order so equal claims always give the same token (Ed25519 is deterministic too).
      const payload = Buffer.from(
        JSON.stringify({ v: clean.v, kpj: clean.kpj, issuedAt: clean.issuedAt }),
        'utf8',
      ).toString('base64url');
      const signature = sign(null, Buffer.from(payload, 'ascii'), privateKey);
      return `${payload}.${signature.toString('base64url')}`;
    },
    verify(token) {
      return verifyCardToken(token, publicKey);
    },
  };
}

/** Verifies with only the public key (KeyObject or SPKI PEM); null for anything not a valid card token. */
export function verifyCardToken(token: string, publicKey: KeyObject | string): CardClaims | null {
  try {
    if (typeof token !== 'string' || token.length > MAX_TOKEN_LENGTH) {
      return null;
    }
    const parts = token.split('.');
    if (parts.length !== 2) {
      return null;
    }
    const [payload, sig] = parts as [string, string];
    const payloadBytes = decodeCanonicalBase64url(payload);
    const signature = decodeCanonicalBase64url(sig);
    if (!payloadBytes || !signature || signature.length !== 64) {
      return null;
    }
    // The signature covers the payload text exactly as transmitted.
    if (!verify(null, Buffer.from(payload, 'ascii'), publicKey, signature)) {
      return null;
    }
    return toClaims(JSON.parse(payloadBytes.toString('utf8')));
  } catch {
    return null;
  }
}

/**
 * Buffer.from(…, 'base64url') silently skips junk and ignores the spare low bits of the last
 * character, so several strings decode to the same bytes. Requiring the canonical re-encoding
 * makes every single-character change to a token detectable.
 */
function decodeCanonicalBase64url(s: string): Buffer | null {
  if (!BASE64URL_RE.test(s)) {
    return null;
  }
  const bytes = Buffer.from(s, 'base64url');
  return bytes.toString('base64url') === s ? bytes : null;
}

/** Returns a fresh claims object with exactly the known fields, or null if the shape is wrong. */
function toClaims(value: unknown): CardClaims | null {
  if (typeof value !== 'object' || value === null) {
    return null;
  }
  const { kpj, issuedAt, v } = value as Record<string, unknown>;
  if (v !== 1 || typeof kpj !== 'string' || kpj.length === 0 || typeof issuedAt !== 'string') {
    return null;
  }
  if (!ISO_INSTANT_RE.test(issuedAt) || Number.isNaN(Date.parse(issuedAt))) {
    return null;
  }
  return { kpj, issuedAt, v };
}
