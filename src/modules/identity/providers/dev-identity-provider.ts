import { sql, type Kysely } from 'kysely';
import type { Database } from '../../../db/database.js';
import { nikHash, type NikKeys } from '../domain/nik-vault.js';
import { compareResident, type IdentityProvider, type PersonClaim } from './identity-provider.js';

/**
 * The stand-in for Dukcapil in development: answers from the local population table fed by POST /dev/population.
 * Its rows are keyed by the NIK's keyed hash (docs/security.md): the NIK itself is not stored here either.
 */
export function createDevIdentityProvider(db: Kysely<Database>, keys: NikKeys): IdentityProvider {
  return {
    async check(claim) {
      const r = await db
        .selectFrom('population_resident')
        .select(['full_name', 'birth_date', 'gender'])
        .where('nik_hash', '=', nikHash(claim.nik, keys))
        .executeTakeFirst();
      return compareResident(claim, r ? { fullName: r.full_name, birthDate: r.birth_date, gender: r.gender } : null);
    },
    async checkMany(claims) {
      const hashes = claims.map((c) => nikHash(c.nik, keys));
      const rows = hashes.length === 0 ? [] : await db.selectFrom('population_resident').select(['nik_hash', 'full_name', 'birth_date', 'gender']).where('nik_hash', '=', sql<string>`any(${hashes}::text[])`).execute();
      const byHash = new Map(rows.map((r) => [r.nik_hash, { fullName: r.full_name, birthDate: r.birth_date, gender: r.gender }]));
      return claims.map((claim, i) => compareResident(claim, byHash.get(hashes[i] ?? '') ?? null));
    },
  };
}

/** Adds or replaces a resident of the development population registry (POST /dev/population). */
export async function addResident(db: Kysely<Database>, resident: PersonClaim, now: Date, keys: NikKeys): Promise<void> {
  const person = { full_name: resident.fullName, birth_date: resident.birthDate, gender: resident.gender };
  await db
    .insertInto('population_resident')
    .values({ nik_hash: nikHash(resident.nik, keys), ...person, created_at: now })
    .onConflict((oc) => oc.column('nik_hash').doUpdateSet(person))
    .execute();
}
