import { normalizeName } from '../domain/contact.js';

export interface PersonClaim {
  nik: string;
  fullName: string;
  birthDate: string; // YYYY-MM-DD
  gender: 'M' | 'F';
}

export type IdentityCheck =
  /** `registryName`: the name as the population registry spells it — what Lindung stores and shows (rulebook "Names"). */
  | { outcome: 'match'; registryName: string }
  | { outcome: 'not_found' }
  | { outcome: 'mismatch'; fields: ('fullName' | 'birthDate' | 'gender')[] };

/** Verifies a claimed identity against the population registry. Throws when the registry can't answer. */
export interface IdentityProvider {
  check(claim: PersonClaim): Promise<IdentityCheck>;
  /** Many claims at once, answers in the same order (set-based enrolment); a provider without it is asked one by one. */
  checkMany?(claims: readonly PersonClaim[]): Promise<IdentityCheck[]>;
}

/** KTP names are upper-case with single spaces; users type them any way, so compare on that canonical form. */
export function compareNames(a: string, b: string): boolean {
  return normalizeName(a) === normalizeName(b);
}

export { normalizeName };

/** Pure comparison of a claim with a registry row (null = no such NIK); fields are listed in a stable order. */
export function compareResident(
  claim: PersonClaim,
  resident: { fullName: string; birthDate: string; gender: 'M' | 'F' } | null,
): IdentityCheck {
  if (resident === null) return { outcome: 'not_found' };
  const fields: ('fullName' | 'birthDate' | 'gender')[] = [];
  if (!compareNames(claim.fullName, resident.fullName)) fields.push('fullName');
  if (claim.birthDate !== resident.birthDate) fields.push('birthDate');
  if (claim.gender !== resident.gender) fields.push('gender');
  return fields.length === 0 ? { outcome: 'match', registryName: resident.fullName.trim() } : { outcome: 'mismatch', fields };
}
