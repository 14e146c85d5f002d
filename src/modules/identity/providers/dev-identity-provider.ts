import type { Kysely } from 'kysely';
import type { Database } from '../../../db/database.js';
import { compareResident, type IdentityProvider, type PersonClaim } from './identity-provider.js';

/** The stand-in for Dukcapil in development: answers from the local population table fed by POST /dev/population. */
export function createDevIdentityProvider(db: Kysely<Database>): IdentityProvider {
  return {
    async check(claim) {
      const r = await db.selectFrom('population_resident').select(['full_name', 'birth_date', 'gender']).where('nik', '=', claim.nik).executeTakeFirst();
      return compareResident(claim, r ? { fullName: r.full_name, birthDate: r.birth_date, gender: r.gender } : null);
    },
  };
}

/** Adds or replaces a resident of the development population registry (POST /dev/population). */
export async function addResident(db: Kysely<Database>, resident: PersonClaim, now: Date): Promise<void> {
  const person = { full_name: resident.fullName, birth_date: resident.birthDate, gender: resident.gender };
  await db
    .insertInto('population_resident')
    .values({ nik: resident.nik, ...person, created_at: now })
    .onConflict((oc) => oc.column('nik').doUpdateSet(person))
    .execute();
}
