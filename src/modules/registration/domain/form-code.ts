/**
 * The Formulir 1A form code: 8 characters of Crockford base32 (0-9 and A-Z without I, L, O, U), 40 random bits,
 * printed big on the form and in its QR. The counter types or scans it to find the worker's web draft. Reading is
 * forgiving as Crockford intends: lower case, spaces and hyphens are ignored, I and L read as 1, O as 0.
 * PURE: the random bytes are passed in.
 */
export const CROCKFORD_ALPHABET = '0123456789ABCDEFGHJKMNPQRSTVWXYZ';
export const FORM_CODE_LENGTH = 8;
/** How long a printed form's code finds its draft: a worker has a month to bring the form to an office. */
export const FORM_CODE_LIFETIME_DAYS = 30;
export const FORM_CODE_LIFETIME_MS = FORM_CODE_LIFETIME_DAYS * 24 * 3_600_000;

const FORM_CODE_PATTERN = /^[0-9A-HJKMNP-TV-Z]{8}$/;

/** The code of 5 random bytes (40 bits, 8 symbols of 5 bits each). */
export function formCodeFromBytes(bytes: Uint8Array): string {
  if (bytes.length < 5) {
    throw new Error('a form code needs 5 random bytes');
  }
  let bits = 0n;
  for (let i = 0; i < 5; i++) {
    bits = (bits << 8n) | BigInt(bytes[i] as number);
  }
  let code = '';
  for (let i = FORM_CODE_LENGTH - 1; i >= 0; i--) {
    code += CROCKFORD_ALPHABET[Number((bits >> BigInt(i * 5)) & 31n)];
  }
  return code;
}

/** A typed or scanned code in its canonical form, or null when it cannot be a form code. */
export function normalizeFormCode(input: string): string | null {
  const code = input
    .toUpperCase()
    .replace(/[\s-]/g, '')
    .replace(/[IL]/g, '1')
    .replace(/O/g, '0');
  return FORM_CODE_PATTERN.test(code) ? code : null;
}

/** 'K3M9Q2TX' → 'K3M9-Q2TX': how the form prints it, easier to read aloud and type. */
export function formatFormCode(code: string): string {
  return `${code.slice(0, 4)}-${code.slice(4)}`;
}

/** Whether a code issued until `expiresAt` still finds its draft at `now`. */
export function formCodeLive(expiresAt: Date | null, now: Date): boolean {
  return expiresAt !== null && now.getTime() < expiresAt.getTime();
}
