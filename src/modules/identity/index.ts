/**
 * The identity module's facade: NIK, phone and e-mail rules and the identity providers (development registry, Dukcapil-style HTTP).
 * Other modules, src/web, the composition root and the jobs import this module only through this file; everything
 * else under this folder is internal (the boundary rule in .dependency-cruiser.cjs; tests may import deeper).
 */
export { normalizeEmail, normalizePhone } from './domain/contact.js';
export { maskNik, maskNikLast4, validateNik } from './domain/nik.js';
export { DEV_NIK_HASH_KEY, DEV_NIK_KEYS, nikHash, type NikKeys, NikSealError, openNik, parseNikKeys, protectNik, sealedKeyId, sealedNikLast4, sealNik } from './domain/nik-vault.js';
export { resealNiks, type ResealCounts } from './reseal.js';
export { addResident, createDevIdentityProvider } from './providers/dev-identity-provider.js';
export { createHttpIdentityProvider, IdentityUnavailableError } from './providers/http-identity-provider.js';
export { type IdentityProvider } from './providers/identity-provider.js';
