/**
 * BI-SNAP signatures (ASPI SNAP "Keamanan", mirrored in mseptiaan/snap-aspi-go aspi/keamanan.md; integrations.md §2.1–2.3):
 *
 * - Access token B2B (asymmetric): `X-SIGNATURE = base64(SHA256withRSA(partnerPrivateKey, clientId + "|" + X-TIMESTAMP))`,
 *   verified here with the partner's public key.
 * - Transactions (symmetric): `X-SIGNATURE = base64(HMAC_SHA512(clientSecret, stringToSign))` with
 *   `stringToSign = METHOD + ":" + EndpointUrl + ":" + AccessToken + ":" + Lowercase(HexEncode(SHA-256(minify(body)))) + ":" + X-TIMESTAMP`.
 *
 * Pure functions over node:crypto; the routes decide which EndpointUrl variants to accept (snap.routes.ts).
 */
import { createHash, createHmac, createVerify, timingSafeEqual, type KeyObject } from 'node:crypto';
import { formatInstantWib } from '../../../shared/month.js';

/**
 * How far X-TIMESTAMP may be from the server clock, either way. SNAP fixes the format but not a window; five minutes
 * (as the SNAP OTP lifetime, and what banks' SNAP gateways commonly allow) covers clock drift and a retry, while a
 * captured request cannot be replayed later.
 */
export const SNAP_TIMESTAMP_TOLERANCE_MS = 5 * 60_000;

const JSON_WHITESPACE = new Set([' ', '\t', '\n', '\r']);

/**
 * minify(RequestBody): the raw body with JSON whitespace removed outside string literals — everything else byte for
 * byte (key order, escapes, number spelling, nulls). Re-serialising (`JSON.stringify(JSON.parse(raw))`) would change
 * escapes and move integer-like keys first, so the hash would differ from the sender's (integrations.md §2.3).
 * Not a validator: a malformed body minifies to something, and is refused later when parsed.
 */
export function minifyJson(raw: string): string {
  let out = '';
  let start = 0;
  let inString = false;
  for (let i = 0; i < raw.length; i++) {
    const ch = raw[i] as string;
    if (inString) {
      if (ch === '\\') {
        i++; // whatever follows a backslash belongs to the string, including a quote
      } else if (ch === '"') {
        inString = false;
      }
    } else if (ch === '"') {
      inString = true;
    } else if (JSON_WHITESPACE.has(ch)) {
      out += raw.slice(start, i);
      start = i + 1;
    }
  }
  return out + raw.slice(start);
}

/** Lowercase(HexEncode(SHA-256(minified body))); an empty body hashes the empty string ("digunakan string kosong"). */
export function bodyDigestHex(minifiedBody: string): string {
  return createHash('sha256').update(minifiedBody, 'utf8').digest('hex');
}

export interface TransactionSigningInput {
  method: string;
  /** The relative path as called, with its query string if any (ASPI: "Endpoint URL lengkap … (Relative path)"). */
  endpointUrl: string;
  accessToken: string;
  /** The body as sent; it is minified here. */
  body: string;
  timestamp: string;
}

export function transactionStringToSign(input: TransactionSigningInput, minify: (raw: string) => string = minifyJson): string {
  return [input.method.toUpperCase(), input.endpointUrl, input.accessToken, bodyDigestHex(minify(input.body)), input.timestamp].join(':');
}

export function accessTokenStringToSign(clientId: string, timestamp: string): string {
  return `${clientId}|${timestamp}`;
}

/** HMAC-SHA512 of the string to sign, Base64 — what a SNAP partner puts in X-SIGNATURE (integrations.md §2.3). */
export function signTransaction(clientSecret: string, stringToSign: string): string {
  return hmacSha512(clientSecret, stringToSign).toString('base64');
}

function hmacSha512(secret: string, data: string): Buffer {
  return createHmac('sha512', secret).update(data, 'utf8').digest();
}

const HEX_512 = /^[0-9a-fA-F]{128}$/;
const BASE64 = /^[A-Za-z0-9+/]+={0,2}$|^[A-Za-z0-9_-]+$/;

/**
 * X-SIGNATURE as bytes: Base64 (the standard's encoding in every partner document), or — tolerated — the 128-digit hex
 * some gateways send. Anything else decodes to nothing and fails verification.
 */
function decodeSignature(signature: string): Buffer | null {
  const s = signature.trim();
  if (HEX_512.test(s)) {
    return Buffer.from(s, 'hex');
  }
  if (s.length > 0 && s.length <= 1024 && BASE64.test(s)) {
    return Buffer.from(s, s.includes('-') || s.includes('_') ? 'base64url' : 'base64');
  }
  return null;
}

/**
 * True when X-SIGNATURE is the HMAC-SHA512 of any of the candidate strings to sign (constant-time per candidate). The
 * candidates differ only in how the same request is spelled (EndpointUrl with or without the mount prefix, minify by
 * stripping or by re-serialising), never in what it asks for.
 */
export function verifyTransactionSignature(clientSecret: string, candidates: readonly string[], signature: string): boolean {
  const given = decodeSignature(signature);
  if (!given) {
    return false;
  }
  let valid = false;
  for (const candidate of candidates) {
    const expected = hmacSha512(clientSecret, candidate);
    // No early exit: every candidate is computed and compared whatever the outcome.
    valid = (expected.length === given.length && timingSafeEqual(expected, given)) || valid;
  }
  return valid;
}

/** SHA256withRSA over `clientId|X-TIMESTAMP`, X-SIGNATURE in Base64, checked with the partner's public key. */
export function verifyAccessTokenSignature(publicKey: KeyObject, clientId: string, timestamp: string, signature: string): boolean {
  const given = decodeSignature(signature);
  if (!given) {
    return false;
  }
  try {
    return createVerify('RSA-SHA256').update(accessTokenStringToSign(clientId, timestamp), 'utf8').verify(publicKey, given);
  } catch {
    return false;
  }
}

const SNAP_TIMESTAMP = /^(\d{4})-(\d{2})-(\d{2})T(\d{2}):(\d{2}):(\d{2})(?:\.(\d{1,9}))?(Z|[+-]\d{2}:\d{2})$/;

/**
 * X-TIMESTAMP: `yyyy-MM-ddTHH:mm:ssTZD` (ASPI), e.g. `2020-12-17T10:55:00+07:00`. Also accepted: fractional seconds
 * and `Z` (DOKU sends UTC with `Z`). Refused: no zone, impossible dates, offsets beyond ±14:00. Returns the instant.
 */
export function parseSnapTimestamp(value: string): Date | null {
  const m = SNAP_TIMESTAMP.exec(value);
  if (!m) {
    return null;
  }
  const [y, mo, d, h, mi, s] = m.slice(1, 7).map(Number) as [number, number, number, number, number, number];
  const ms = Number((m[7] ?? '0').padEnd(3, '0').slice(0, 3));
  const zone = m[8] as string;
  const local = Date.UTC(y, mo - 1, d, h, mi, s);
  const probe = new Date(local);
  if (probe.getUTCFullYear() !== y || probe.getUTCMonth() !== mo - 1 || probe.getUTCDate() !== d || probe.getUTCHours() !== h || probe.getUTCMinutes() !== mi || probe.getUTCSeconds() !== s) {
    return null;
  }
  let offsetMinutes = 0;
  if (zone !== 'Z') {
    const [oh, om] = zone.slice(1).split(':').map(Number) as [number, number];
    if (oh > 14 || om > 59) {
      return null;
    }
    offsetMinutes = (zone.startsWith('-') ? -1 : 1) * (oh * 60 + om);
  }
  return new Date(local + ms - offsetMinutes * 60_000);
}

/**
 * A date-time in a request body (trxDateTime, paidTime): ISO 8601 as X-TIMESTAMP, but the zone may be missing — the
 * standard's own samples write `"trxDateTime":"2020-10-20T17:56:57"` — and is then read as WIB (+07:00), the zone of
 * Indonesian bank systems.
 */
export function parseSnapDateTime(value: string): Date | null {
  return parseSnapTimestamp(/(Z|[+-]\d{2}:\d{2})$/.test(value) ? value : `${value}+07:00`);
}

export type TimestampCheck = { ok: true; instant: Date } | { ok: false; reason: 'format' | 'outside_window' };

/** Parses X-TIMESTAMP and checks it lies within ±tolerance of `now` (the server clock). */
export function checkSnapTimestamp(value: string, now: Date, toleranceMs: number = SNAP_TIMESTAMP_TOLERANCE_MS): TimestampCheck {
  const instant = parseSnapTimestamp(value);
  if (!instant) {
    return { ok: false, reason: 'format' };
  }
  return Math.abs(instant.getTime() - now.getTime()) <= toleranceMs ? { ok: true, instant } : { ok: false, reason: 'outside_window' };
}

/** Our own X-TIMESTAMP on responses: WIB, no milliseconds, e.g. 2026-11-22T10:00:00+07:00. */
export function formatSnapTimestamp(instant: Date): string {
  return formatInstantWib(instant);
}
