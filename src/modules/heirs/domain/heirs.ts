import { normalizePhone, validateNik } from '../../identity/index.js';
import { isLocalDate, type LocalDate } from '../../../shared/month.js';
import { ok, reject, type Result } from '../../../shared/result.js';

/**
 * The heirs (ahli waris) a member declares: the pure rule that checks a whole list before it replaces the stored one.
 * The list's order is the member's priority (1 = first). Time is passed in (`today`, WIB) for the birth date check.
 */
export const HEIR_RELATIONSHIPS = ['spouse', 'child', 'parent', 'sibling', 'other'] as const;
export type HeirRelationship = (typeof HEIR_RELATIONSHIPS)[number];

/** At most this many heirs per member. */
export const MAX_HEIRS = 10;
export const MAX_HEIR_NAME = 100;

/** One heir as sent (API body or portal form): every value a string, optional ones empty or absent. */
export interface HeirInput {
  /** The id of a stored heir being kept (its id and created_at stay); absent for a new one. */
  id?: string | undefined;
  fullName: string;
  relationship: string;
  birthDate: string;
  phone?: string | null | undefined;
  nik?: string | null | undefined;
}

/** One heir after the rule: trimmed, phone normalised (+62…), NIK only when given. */
export interface ValidHeir {
  id: string | null;
  fullName: string;
  relationship: HeirRelationship;
  birthDate: LocalDate;
  phone: string | null;
  nik: string | null;
  priority: number;
}

export type HeirErrorCode = 'too_many_heirs' | 'invalid_heir_name' | 'invalid_relationship' | 'invalid_birth_date' | 'invalid_phone' | 'invalid_nik';

/** A rejected heir: the code, and the field as `heirs[i].name` (the API's field, the portal maps it to its inputs). */
export type HeirRejection = { ok: false; code: HeirErrorCode; field: string; index: number };

const NAME_SHAPE = /^[\p{L}][\p{L}\p{M} .,'’-]*$/u;
const blank = (v: string | null | undefined): boolean => v === undefined || v === null || v.trim() === '';

function isRelationship(s: string): s is HeirRelationship {
  return (HEIR_RELATIONSHIPS as readonly string[]).includes(s);
}

/** One heir at position `index` (0-based), or the first thing wrong with it. */
export function validateHeir(input: HeirInput, index: number, today: LocalDate): Result<ValidHeir, HeirErrorCode> {
  const at = (name: string) => `heirs[${index}].${name}`;
  const fullName = input.fullName.trim().replace(/\s+/g, ' ');
  if (fullName.length === 0 || fullName.length > MAX_HEIR_NAME || !NAME_SHAPE.test(fullName)) {
    return reject('invalid_heir_name', at('fullName'));
  }
  const relationship = input.relationship.trim();
  if (!isRelationship(relationship)) {
    return reject('invalid_relationship', at('relationship'));
  }
  const birthDate = input.birthDate.trim();
  if (!isLocalDate(birthDate) || birthDate > today || birthDate < '1900-01-01') {
    return reject('invalid_birth_date', at('birthDate'));
  }
  let phone: string | null = null;
  if (!blank(input.phone)) {
    const p = normalizePhone(input.phone ?? '');
    if (!p.ok) {
      return reject('invalid_phone', at('phone'));
    }
    phone = p.value;
  }
  let nik: string | null = null;
  if (!blank(input.nik)) {
    const n = (input.nik ?? '').trim();
    if (!validateNik(n).ok) {
      return reject('invalid_nik', at('nik'));
    }
    nik = n;
  }
  const id = blank(input.id) ? null : (input.id ?? '').trim();
  return ok({ id, fullName, relationship, birthDate, phone, nik, priority: index + 1 });
}

/** The whole list (its order is the priority), or the first heir's first error. */
export function validateHeirs(inputs: readonly HeirInput[], today: LocalDate): { ok: true; value: ValidHeir[] } | HeirRejection {
  if (inputs.length > MAX_HEIRS) {
    return { ok: false, code: 'too_many_heirs', field: 'heirs', index: MAX_HEIRS };
  }
  const out: ValidHeir[] = [];
  for (const [i, input] of inputs.entries()) {
    const r = validateHeir(input, i, today);
    if (!r.ok) {
      return { ok: false, code: r.code, field: r.field ?? `heirs[${i}]`, index: i };
    }
    out.push(r.value);
  }
  return { ok: true, value: out };
}
