import { randomBytes, randomInt } from 'node:crypto';

/**
 * Ids with a readable prefix (reg_…, bil_…, pay_…): 9 characters of the creation time in milliseconds (base 36, so
 * ids sort by creation until the year 5188), then 16 unguessable random characters. Time-ordered keys append to the
 * right edge of a B-tree instead of touching a random page per insert, which keeps the write path's WAL and cache
 * footprint small (docs/benchmarks.md). The time here only orders ids; no rule reads it.
 */
export function newId(prefix: string): string {
  return `${prefix}_${Date.now().toString(36).padStart(9, '0')}${randomChars12()}`;
}

/**
 * 12 random bytes as 16 base64url characters, cut from a block of the CSPRNG's bytes drawn 4 KiB at a time: a payment
 * notification takes three ids, and one `randomBytes(12)` call each cost more than the rest of making them. Each byte
 * is handed out once.
 */
const RANDOM_BLOCK = 4096 - (4096 % 12);
let randomBlock = Buffer.alloc(0);
let randomOffset = 0;
function randomChars12(): string {
  if (randomOffset + 12 > randomBlock.length) {
    randomBlock = randomBytes(RANDOM_BLOCK);
    randomOffset = 0;
  }
  const chars = randomBlock.toString('base64url', randomOffset, randomOffset + 12);
  randomOffset += 12;
  return chars;
}

/** Luhn check digit over a string of digits, so a mistyped number is caught before it reaches the database. */
export function luhnCheckDigit(digits: string): string {
  let sum = 0;
  for (let i = 0; i < digits.length; i++) {
    let d = Number(digits[digits.length - 1 - i]);
    if (i % 2 === 0) {
      d *= 2;
      if (d > 9) {
        d -= 9;
      }
    }
    sum += d;
  }
  return String((10 - (sum % 10)) % 10);
}

export function isLuhnValid(digits: string): boolean {
  return /^\d{2,}$/.test(digits) && luhnCheckDigit(digits.slice(0, -1)) === digits.slice(-1);
}

/** A numeric string of `length` random digits (leading zeros allowed). */
export function randomDigits(length: number): string {
  let out = '';
  for (let i = 0; i < length; i++) {
    out += String(randomInt(0, 10));
  }
  return out;
}
