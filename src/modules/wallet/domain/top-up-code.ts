/**
 * A member's top-up payment code (kode isi saldo): one stable 16-digit code per member, paid any number of times,
 * for any amount, through any channel that takes a payment code (VA, QRIS, e-wallet, minimarket, counter). The money
 * goes to the member's contribution wallet (dompet iuran), not to a bill.
 *
 *   code = '7' + the KPJ left-padded with zeros to 14 digits + a Luhn check digit over those 15 digits
 *   e.g. KPJ 10000000017 → '7' + '00010000000017' + Luhn '7' → '7000100000000177'
 *
 * Why this shape:
 * - 16 digits, like a bill's code, so it fits the same VA, minimarket and counter input fields;
 * - it can never be a bill's code: bill codes start with '8' (src/modules/contributions/bills.ts newPaymentCode);
 * - it is derived, not stored: the code names the member by itself (no lookup table, nothing to allocate), and the
 *   member's KPJ is already public on the card and in the member's virtual account number (partnerServiceId + KPJ),
 *   so the code reveals nothing new; paying into someone's wallet only ever gives them money;
 * - the Luhn digit catches a single mistyped digit and most swaps, and the KPJ inside has its own Luhn digit, so a
 *   typo almost never lands in another member's wallet (it becomes `unknown_payment_code`, kept in suspense).
 */
import { isLuhnValid, luhnCheckDigit } from '../../../shared/ids.js';

export const TOP_UP_CODE_PREFIX = '7';
const KPJ_FIELD_DIGITS = 14;
const TOP_UP_CODE_RE = /^7\d{15}$/;
const KPJ_RE = /^\d{11}$/;

/** The member's top-up code. Throws for something that is not an 11-digit KPJ (a programming error, not input). */
export function topUpCode(kpj: string): string {
  if (!KPJ_RE.test(kpj)) {
    throw new RangeError(`not a KPJ: ${kpj}`);
  }
  const body = TOP_UP_CODE_PREFIX + kpj.padStart(KPJ_FIELD_DIGITS, '0');
  return body + luhnCheckDigit(body);
}

/**
 * The KPJ a top-up code names, or null when the string is not a top-up code: not 16 digits starting with '7', a
 * wrong check digit, or a KPJ field that is not a well-formed KPJ (11 digits after the zero padding, its own Luhn
 * digit valid). Whether a member with that KPJ exists is for the database to say.
 */
export function kpjFromTopUpCode(code: string): string | null {
  if (!TOP_UP_CODE_RE.test(code) || !isLuhnValid(code)) {
    return null;
  }
  const kpj = code.slice(1, 1 + KPJ_FIELD_DIGITS).replace(/^0+/, '');
  return KPJ_RE.test(kpj) && isLuhnValid(kpj) ? kpj : null;
}

export function isTopUpCode(code: string): boolean {
  return kpjFromTopUpCode(code) !== null;
}
