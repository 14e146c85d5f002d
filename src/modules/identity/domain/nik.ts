/**
 * NIK (Nomor Induk Kependudukan) structure checks, domain-rules.md §5.2: `PP KK CC DDMMYY SSSS` — province,
 * regency, district, birth day (+40 for women), month, two-digit year, serial from 0001.
 *
 * Structure errors are hard rejections. A province code missing from the current list is only a warning (codes are
 * those of first registration and Kemendagri renumbers regions when they split, e.g. Papua 2022), and so is a
 * disagreement with the entered birth date or sex: Dukcapil does not correct a NIK whose encoded date is wrong, so
 * the population registry, not the NIK digits, is the authority [I4].
 */
import { isLocalDate } from '../../../shared/month.js';
import { ok, reject } from '../../../shared/result.js';
import type { Result } from '../../../shared/result.js';
import { findProvince } from '../../reference/index.js';

export type Gender = 'M' | 'F';
export type NikWarning = 'unknown_region' | 'birth_date_mismatch' | 'gender_mismatch';

export interface NikContext {
  /** The birth date the person entered, 'YYYY-MM-DD'. */
  birthDate?: string;
  gender?: Gender;
  /**
   * Today ('YYYY-MM-DD', WIB), used only to pick the century of the two-digit year when no birth date is given:
   * the latest century that is not in the future.
   */
  today?: string;
}

export interface NikInfo {
  warnings: string[];
  provinceCode: string;
  /** The encoded birth date, or null when the century cannot be decided (no birthDate or today in ctx). */
  birthDateFromNik: string | null;
  genderFromNik: Gender;
}

const FEMALE_DAY_OFFSET = 40;

function pad2(n: number): string {
  return String(n).padStart(2, '0');
}

function dateIn(century: number, yy: number, mm: number, dd: number): string | null {
  const iso = `${century * 100 + yy}-${pad2(mm)}-${pad2(dd)}`;
  return isLocalDate(iso) ? iso : null;
}

/** The candidate dates in the 1900s and 2000s that exist (29 Feb may exist in only one of them). */
function candidateBirthDates(yy: number, mm: number, dd: number): string[] {
  return [dateIn(19, yy, mm, dd), dateIn(20, yy, mm, dd)].filter((d): d is string => d !== null);
}

function pickCentury(candidates: readonly string[], ctx: NikContext | undefined): string | null {
  if (ctx?.birthDate !== undefined && isLocalDate(ctx.birthDate)) {
    const year = Number(ctx.birthDate.slice(0, 4));
    const sorted = [...candidates].sort(
      (a, b) => Math.abs(Number(a.slice(0, 4)) - year) - Math.abs(Number(b.slice(0, 4)) - year),
    );
    return sorted[0] ?? null;
  }
  if (ctx?.today !== undefined && isLocalDate(ctx.today)) {
    const today = ctx.today;
    const notFuture = candidates.filter((d) => d <= today);
    return notFuture[notFuture.length - 1] ?? null;
  }
  return null;
}

export function validateNik(nik: string, ctx?: NikContext): Result<NikInfo, 'invalid_nik'> {
  if (!/^\d{16}$/.test(nik)) {
    return reject('invalid_nik', 'nik', 'must be 16 digits');
  }
  const provinceCode = nik.slice(0, 2);
  if (Number(provinceCode) < 11 || nik.slice(2, 4) === '00' || nik.slice(4, 6) === '00') {
    return reject('invalid_nik', 'nik', 'region code must be a province 11-99 with non-zero regency and district');
  }
  const rawDay = Number(nik.slice(6, 8));
  const mm = Number(nik.slice(8, 10));
  const yy = Number(nik.slice(10, 12));
  const serial = nik.slice(12, 16);

  const female = rawDay > FEMALE_DAY_OFFSET;
  const dd = female ? rawDay - FEMALE_DAY_OFFSET : rawDay;
  if (dd < 1 || dd > 31) {
    return reject('invalid_nik', 'nik', 'birth day must be 01-31 or 41-71');
  }
  if (mm < 1 || mm > 12) {
    return reject('invalid_nik', 'nik', 'birth month must be 01-12');
  }
  if (serial === '0000') {
    return reject('invalid_nik', 'nik', 'serial must not be 0000');
  }
  const candidates = candidateBirthDates(yy, mm, dd);
  if (candidates.length === 0) {
    return reject('invalid_nik', 'nik', 'birth date does not exist');
  }

  const genderFromNik: Gender = female ? 'F' : 'M';
  const warnings: NikWarning[] = [];
  if (findProvince(provinceCode) === undefined) {
    warnings.push('unknown_region');
  }
  if (ctx?.birthDate !== undefined && isLocalDate(ctx.birthDate)) {
    // Compare DDMMYY only: the NIK carries no century, so a century difference is not evidence of a mismatch.
    const given = ctx.birthDate;
    if (given.slice(2, 4) !== pad2(yy) || given.slice(5, 7) !== pad2(mm) || given.slice(8, 10) !== pad2(dd)) {
      warnings.push('birth_date_mismatch');
    }
  }
  if (ctx?.gender !== undefined && ctx.gender !== genderFromNik) {
    warnings.push('gender_mismatch');
  }

  return ok({ warnings, provinceCode, birthDateFromNik: pickCentury(candidates, ctx), genderFromNik });
}

/** A NIK shown to staff: only its last 4 digits, e.g. ************0001 (issue 16: no full NIK on any staff page, export, log or audit). */
export function maskNikLast4(nik: string): string {
  return `${'*'.repeat(Math.max(nik.length - 4, 0))}${nik.slice(-4)}`;
}

/** NIKs are personal data (UU 27/2022 PDP): show only the first and last four digits, e.g. 3275********0001. */
export function maskNik(nik: string): string {
  const visible = 4;
  if (nik.length <= visible * 2) {
    return '*'.repeat(nik.length);
  }
  return `${nik.slice(0, visible)}${'*'.repeat(nik.length - visible * 2)}${nik.slice(-visible)}`;
}
