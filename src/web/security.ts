import { createCipheriv, createDecipheriv, createHash, createHmac, randomBytes } from 'node:crypto';
import { safeEqual } from '../shared/crypto.js';

/**
 * Small cryptographic helpers for the portal's cookies, keyed from COOKIE_SECRET.
 *
 * - `seal`/`unseal`: AES-256-GCM, so a cookie's content (a half-typed registration carries a NIK) is neither
 *   readable nor changeable by the browser; the expiry is inside the sealed text.
 * - CSRF: a random per-browser cookie, and in every form a token that is the HMAC of that cookie (the synchroniser
 *   pattern without server state). A cross-site page can neither read the cookie nor compute the token.
 */
export interface CookieCrypto {
  seal(purpose: string, value: unknown, expiresAt: Date): string;
  unseal<T>(purpose: string, sealed: string | undefined, now: Date): T | null;
  csrfToken(browserId: string): string;
  checkCsrf(browserId: string | undefined, token: string | undefined): boolean;
}

export function createCookieCrypto(secret: string): CookieCrypto {
  const key = createHash('sha256').update(`lindung:cookie-seal:${secret}`).digest();
  const macKey = createHash('sha256').update(`lindung:csrf:${secret}`).digest();
  const csrfToken = (browserId: string) => createHmac('sha256', macKey).update(browserId).digest('base64url');
  return {
    seal(purpose, value, expiresAt) {
      const iv = randomBytes(12);
      const cipher = createCipheriv('aes-256-gcm', key, iv);
      cipher.setAAD(Buffer.from(purpose));
      const body = Buffer.concat([cipher.update(JSON.stringify({ v: value, exp: expiresAt.getTime() }), 'utf8'), cipher.final()]);
      return Buffer.concat([iv, cipher.getAuthTag(), body]).toString('base64url');
    },
    unseal<T>(purpose: string, sealed: string | undefined, now: Date): T | null {
      if (!sealed || sealed.length > 8192) {
        return null;
      }
      try {
        const raw = Buffer.from(sealed, 'base64url');
        const decipher = createDecipheriv('aes-256-gcm', key, raw.subarray(0, 12));
        decipher.setAAD(Buffer.from(purpose));
        decipher.setAuthTag(raw.subarray(12, 28));
        const text = Buffer.concat([decipher.update(raw.subarray(28)), decipher.final()]).toString('utf8');
        const parsed = JSON.parse(text) as { v: T; exp: number };
        return parsed.exp > now.getTime() ? parsed.v : null;
      } catch {
        return null;
      }
    },
    csrfToken,
    checkCsrf(browserId, token) {
      return !!browserId && !!token && safeEqual(csrfToken(browserId), token);
    },
  };
}

export function newBrowserId(): string {
  return randomBytes(18).toString('base64url');
}

/**
 * Content-Security-Policy for every portal page: nothing from anywhere but this origin, no inline script or style
 * except the exact texts whose hashes are given (the participant pages' stylesheet and script, inlined in <head> so a
 * slow link does not wait a round trip for them: src/web/assets.ts), images may be data: URLs (the QR codes). This is
 * also what keeps the "no third-party requests" promise.
 */
export function portalCsp(inline: { style: string[]; script: string[] }): string {
  return [
    "default-src 'none'",
    ["script-src 'self'", ...inline.script].join(' '),
    ["style-src 'self'", ...inline.style].join(' '),
    "img-src 'self' data:",
    "connect-src 'self'",
    "manifest-src 'self'",
    "form-action 'self'",
    "frame-ancestors 'none'",
    "base-uri 'none'",
  ].join('; ');
}
