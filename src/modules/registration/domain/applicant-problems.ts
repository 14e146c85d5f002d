import { normalizeEmail, normalizePhone, validateNik } from '../../identity/index.js';

/** What a person typed on the identity form (the birth date is checked by the form, which reads its three fields). */
export interface ApplicantFields {
  nik: string;
  fullName: string;
  birthDate: string;
  gender: string;
  phone: string;
  email: string;
  address: string;
}

export type ApplicantProblem =
  | { field: 'nik'; problem: 'empty' | 'invalid' }
  | { field: 'nik'; problem: 'length'; digits: number }
  | { field: 'fullName' | 'gender' | 'address'; problem: 'empty' }
  | { field: 'fullName'; problem: 'invalid' }
  | { field: 'phone' | 'email'; problem: 'empty' | 'invalid' };

/**
 * Every problem of the identity form's fields at once (issue 18 item 4: one round trip shows them all), before the
 * population registry is asked: empty fields, a NIK that is not 16 digits or not a NIK, a name too long, a phone or
 * email that is not one. Pure; the same rules checkApplicant applies one at a time.
 */
export function applicantProblems(a: ApplicantFields): ApplicantProblem[] {
  const problems: ApplicantProblem[] = [];
  const name = a.fullName.trim().replace(/\s+/g, ' ');
  if (a.nik === '') {
    problems.push({ field: 'nik', problem: 'empty' });
  } else if (!/^\d{16}$/.test(a.nik)) {
    problems.push(/^\d+$/.test(a.nik) ? { field: 'nik', problem: 'length', digits: a.nik.length } : { field: 'nik', problem: 'invalid' });
  } else if (!validateNik(a.nik, a.gender === 'M' || a.gender === 'F' ? { birthDate: a.birthDate, gender: a.gender } : undefined).ok) {
    problems.push({ field: 'nik', problem: 'invalid' });
  }
  if (name === '') {
    problems.push({ field: 'fullName', problem: 'empty' });
  } else if (name.length > 100) {
    problems.push({ field: 'fullName', problem: 'invalid' });
  }
  if (a.gender !== 'M' && a.gender !== 'F') {
    problems.push({ field: 'gender', problem: 'empty' });
  }
  if (a.phone.trim() === '') {
    problems.push({ field: 'phone', problem: 'empty' });
  } else if (!normalizePhone(a.phone).ok) {
    problems.push({ field: 'phone', problem: 'invalid' });
  }
  if (a.email.trim() === '') {
    problems.push({ field: 'email', problem: 'empty' });
  } else if (!normalizeEmail(a.email).ok) {
    problems.push({ field: 'email', problem: 'invalid' });
  }
  if (a.address.trim() === '') {
    problems.push({ field: 'address', problem: 'empty' });
  }
  return problems;
}
