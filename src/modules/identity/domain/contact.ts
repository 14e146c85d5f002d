/**
 * Contact normalisation. Phones are stored in E.164 (+628…) and sent to SMS/WA gateways as 628… (notes:
 * integrations §4.2). Only Indonesian MOBILE numbers are accepted because the number receives OTPs by SMS.
 */
import { parsePhoneNumberFromString } from 'libphonenumber-js/max';
import { ok, reject } from '../../../shared/result.js';
import type { Result } from '../../../shared/result.js';

/** Digits with the usual visual separators; anything else (letters, text around the number) is rejected. */
const PHONE_SHAPE = /^\+?\d{6,15}$/;
const SEPARATORS = /[\s\-.()]/g;

export function normalizePhone(input: string): Result<string, 'invalid_phone'> {
  const compact = input.trim().replace(SEPARATORS, '');
  if (!PHONE_SHAPE.test(compact)) {
    return reject('invalid_phone', 'phone', 'not a phone number');
  }
  // "628…" without the plus is the common gateway/WhatsApp spelling; Indonesian national numbers start with 0,
  // so a leading 62 can only be the country code.
  const international = compact.startsWith('62') ? `+${compact}` : compact;
  const parsed = parsePhoneNumberFromString(international, 'ID');
  if (parsed === undefined || parsed.country !== 'ID' || !parsed.isValid()) {
    return reject('invalid_phone', 'phone', 'not a valid Indonesian number');
  }
  if (parsed.getType() !== 'MOBILE') {
    return reject('invalid_phone', 'phone', 'not a mobile number');
  }
  return ok(parsed.number);
}

const MAX_EMAIL_LENGTH = 254; // RFC 5321 path limit
const MAX_LOCAL_LENGTH = 64;
const DOMAIN_LABEL = /^[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?$/;
const TLD = /^[a-z]{2,63}$|^xn--[a-z0-9-]{1,59}$/;

/** Pragmatic check, not RFC 5322: the activation link proves the address; this only catches typos. */
export function normalizeEmail(input: string): Result<string, 'invalid_email'> {
  const email = input.trim().toLowerCase();
  const fail = (detail: string) => reject('invalid_email', 'email', detail);
  if (email.length === 0 || email.length > MAX_EMAIL_LENGTH) {
    return fail('length');
  }
  if (/\s/.test(email)) {
    return fail('contains whitespace');
  }
  const parts = email.split('@');
  if (parts.length !== 2) {
    return fail('must contain exactly one @');
  }
  const [local, domain] = parts as [string, string];
  const dotsMisplaced = local.startsWith('.') || local.endsWith('.') || local.includes('..');
  if (local.length === 0 || local.length > MAX_LOCAL_LENGTH || dotsMisplaced) {
    return fail('invalid local part');
  }
  const labels = domain.split('.');
  const tld = labels[labels.length - 1] ?? '';
  if (labels.length < 2 || !labels.every((l) => DOMAIN_LABEL.test(l)) || !TLD.test(tld)) {
    return fail('invalid domain');
  }
  return ok(email);
}

/** Key for case- and whitespace-insensitive name comparison (registration vs the population registry). */
export function normalizeName(s: string): string {
  return s.normalize('NFC').trim().replace(/\s+/g, ' ').toUpperCase();
}
