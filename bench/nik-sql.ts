import { DEV_NIK_HASH_KEY, DEV_NIK_KEYS, nikHash, parseNikKeys, sealNik } from '../src/modules/identity/index.js';

/**
 * The NIK at rest for generated bench members (docs/security.md). Seeds write rows in SQL, so the keyed hash is
 * computed there: HMAC-SHA256 spelled out with PostgreSQL's sha256() (key padded to the 64-byte block, ipad 0x36,
 * opad 0x5c) under the development NIK_HASH_KEY the bench servers run with — the same value identity's nikHash gives.
 * Sealing needs AES-GCM, which SQL lacks: every generated member carries ONE sealed stand-in NIK (a benchmark never
 * shows a NIK, and a staff page would show this one masked).
 */
const parsed = parseNikKeys(DEV_NIK_KEYS, DEV_NIK_HASH_KEY);
if (!parsed.ok) {
  throw new Error(parsed.error);
}
const keys = parsed.value;

function pad(byte: number): string {
  const block = Buffer.alloc(64);
  keys.hash.copy(block);
  return Buffer.from(block.map((b) => b ^ byte)).toString('hex');
}
const IPAD = pad(0x36);
const OPAD = pad(0x5c);

/** SQL for nikHash(<expr>) with the development hash key (`expr` a text expression holding the NIK). */
export function nikHashSql(expr: string): string {
  return `encode(sha256('\\x${OPAD}'::bytea || sha256('\\x${IPAD}'::bytea || convert_to('nik:' || (${expr}), 'UTF8'))), 'hex')`;
}

/** The one sealed NIK every generated member carries (see above), and as an SQL literal. */
export const BENCH_NIK_SEALED = sealNik('3275010101900001', keys);
export const BENCH_NIK_SEALED_SQL = `'${BENCH_NIK_SEALED}'`;

/** nikHash with the development key, for rows made in Node. */
export function benchNikHash(nik: string): string {
  return nikHash(nik, keys);
}
