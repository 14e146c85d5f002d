import { Secret, TOTP } from 'otpauth';

/** TOTP (RFC 6238): SHA-1, 6 digits, 30 s — what every authenticator app reads from an otpauth:// URI. */
function totpOf(username: string, secret: string): TOTP {
  return new TOTP({ issuer: 'Lindung', label: username, algorithm: 'SHA1', digits: 6, period: 30, secret: Secret.fromBase32(secret) });
}

/** A new random secret (base32, 160 bits). */
export function newTotpSecret(): string {
  return new Secret({ size: 20 }).base32;
}

/** The otpauth:// URI an authenticator app enrols from (shown once, when the account is created). */
export function totpUri(username: string, secret: string): string {
  return totpOf(username, secret).toString();
}

/**
 * The 30-second step `code` belongs to when it is the account's code at `now` (one step of drift allowed either way),
 * or null. The caller refuses a step at or before the last one accepted, so a code is used once.
 */
export function totpStep(username: string, secret: string, code: string, now: Date): number | null {
  const delta = totpOf(username, secret).validate({ token: code, timestamp: now.getTime(), window: 1 });
  return delta === null ? null : Math.floor(now.getTime() / 30_000) + delta;
}

/** The code at `now` (tests and the development console). */
export function totpCodeAt(username: string, secret: string, now: Date): string {
  return totpOf(username, secret).generate({ timestamp: now.getTime() });
}
