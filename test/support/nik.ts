import { DEV_NIK_HASH_KEY, DEV_NIK_KEYS, nikHash, openNik, parseNikKeys } from '../../src/modules/identity/index.js';

/**
 * The NIK is stored only sealed and as a keyed hash (docs/security.md). Test apps outside production run with the
 * development keys, so a test finds a row by `nikHashOf(person.nik)` and reads a stored NIK back with `openedNik`.
 */
const parsed = parseNikKeys(DEV_NIK_KEYS, DEV_NIK_HASH_KEY);
if (!parsed.ok) {
  throw new Error(parsed.error);
}
export const DEV_KEYS = parsed.value;

export function nikHashOf(nik: string): string {
  return nikHash(nik, DEV_KEYS);
}

export function openedNik(sealed: string): string {
  return openNik(sealed, DEV_KEYS);
}
