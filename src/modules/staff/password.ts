import { argon2id, argon2Verify } from 'hash-wasm';
import { randomBytes } from 'node:crypto';

/**
 * Staff passwords: argon2id with the OWASP parameters (m = 19 MiB, t = 2, p = 1), a 16-byte random salt and a 32-byte
 * hash, kept as one encoded string (`$argon2id$v=19$m=19456,t=2,p=1$…`) so that a later change of parameters still
 * verifies the old hashes. hash-wasm is pure WebAssembly: nothing to build natively.
 */
const PARAMS = { parallelism: 1, iterations: 2, memorySize: 19_456, hashLength: 32 } as const;

export async function hashPassword(password: string): Promise<string> {
  return argon2id({ ...PARAMS, password, salt: randomBytes(16), outputType: 'encoded' });
}

export async function verifyPassword(password: string, hash: string): Promise<boolean> {
  return argon2Verify({ password, hash });
}

let dummy: Promise<string> | null = null;

/** Verifies against a throw-away hash: an unknown username costs the same time as a wrong password. */
export async function burnPasswordCheck(password: string): Promise<void> {
  dummy ??= hashPassword('lindung-dummy-password');
  await verifyPassword(password, await dummy);
}
