import { ok, reject, type Result } from '../../../shared/result.js';
import type { RuleBook } from '../../contributions/index.js';
import type { BranchDirectory, OccupationDirectory } from '../../reference/index.js';
import { billableMonthsStart, type MembershipClock } from './membership-status.js';

/**
 * Member data changes (issue 16 item 5), the pure part: which fields a change may set, and from which month a new
 * declared income or a new program applies.
 *
 * A new income or program applies from the member's NEXT UNPAID month — the month after the cover, or the current
 * month when inactive: exactly where the next bill starts (billableMonthsStart), so a paid month is never repriced
 * and every bill issued after the change starts on or after it.
 */

/** The month a new declared income or program applies from: the next unpaid month (see the file comment). */
export function incomeEffectiveMonth(clock: MembershipClock, rules: RuleBook): string {
  return billableMonthsStart(clock, rules);
}

export type ProgramCode = 'JKK' | 'JKM' | 'JHT';
/** The mandatory programs: never removable (`program_required`). */
export const REQUIRED_PROGRAMS: readonly ProgramCode[] = ['JKK', 'JKM'];
const PROGRAM_ORDER: readonly ProgramCode[] = ['JKK', 'JKM', 'JHT'];

export interface DataChangeInput {
  address?: string;
  occupationCode?: string;
  branchCode?: string;
  declaredIncome?: number;
  addPrograms?: readonly string[];
  removePrograms?: readonly string[];
}

export interface DataChangeCurrent {
  address: string;
  occupation_code: string;
  sector: string;
  branch_code: string;
  declared_income: number;
  programs: readonly string[];
}

/** The participant columns a valid change sets (only those that differ), and whether the pricing terms change. */
export interface DataChangePlan {
  set: Partial<{ address: string; occupation_code: string; sector: 'transport' | 'other'; branch_code: string; declared_income: number; programs: string[] }>;
  pricingChanged: boolean;
}

export type DataChangeError =
  | 'invalid_request'
  | 'invalid_address'
  | 'unknown_occupation'
  | 'unknown_branch'
  | 'income_below_minimum'
  | 'invalid_programs'
  | 'program_required'
  | 'program_removal_unsupported';

const MAX_ADDRESS = 300;

/**
 * Checks a change against the reference lists and the member's current data. The income's lower bound (the rule
 * book's lowest rung) is the caller's: pricing the first month at the new income rejects it (`income_below_minimum`).
 * Removing JKK or JKM is `program_required`; removing JHT is refused in this version (`program_removal_unsupported`:
 * a JHT balance's fate is a claim, not a data change).
 */
export function planDataChange(
  input: DataChangeInput,
  current: DataChangeCurrent,
  occupations: Pick<OccupationDirectory, 'find'>,
  branches: Pick<BranchDirectory, 'find'>,
): Result<DataChangePlan, DataChangeError> {
  const set: DataChangePlan['set'] = {};
  if (input.address !== undefined) {
    const address = input.address.trim().replace(/\s+/g, ' ');
    if (address.length < 5 || address.length > MAX_ADDRESS) {
      return reject('invalid_address', 'address');
    }
    if (address !== current.address) set.address = address;
  }
  if (input.occupationCode !== undefined && input.occupationCode !== current.occupation_code) {
    const occupation = occupations.find(input.occupationCode);
    if (!occupation) {
      return reject('unknown_occupation', 'occupationCode');
    }
    set.occupation_code = occupation.code;
    if (occupation.sector !== current.sector) set.sector = occupation.sector;
  }
  if (input.branchCode !== undefined && input.branchCode !== current.branch_code) {
    if (!branches.find(input.branchCode)) {
      return reject('unknown_branch', 'branchCode');
    }
    set.branch_code = input.branchCode;
  }
  if (input.declaredIncome !== undefined) {
    if (!Number.isSafeInteger(input.declaredIncome) || input.declaredIncome <= 0) {
      return reject('income_below_minimum', 'declaredIncome');
    }
    if (input.declaredIncome !== current.declared_income) set.declared_income = input.declaredIncome;
  }
  const programs = nextPrograms(current.programs, input.addPrograms ?? [], input.removePrograms ?? []);
  if (!programs.ok) {
    return programs;
  }
  if (programs.value.join(',') !== current.programs.join(',')) set.programs = programs.value;
  return ok({ set, pricingChanged: set.declared_income !== undefined || set.programs !== undefined || set.sector !== undefined });
}

/** The programs after adding and removing, in the stored order (JKK, JKM, JHT). */
export function nextPrograms(current: readonly string[], add: readonly string[], remove: readonly string[]): Result<string[], DataChangeError> {
  const known = (p: string): p is ProgramCode => (PROGRAM_ORDER as readonly string[]).includes(p);
  if (![...add, ...remove].every(known)) {
    return reject('invalid_programs', add.every(known) ? 'removePrograms' : 'addPrograms');
  }
  if (remove.some((p) => (REQUIRED_PROGRAMS as readonly string[]).includes(p))) {
    return reject('program_required', 'removePrograms');
  }
  if (remove.length > 0) {
    return reject('program_removal_unsupported', 'removePrograms');
  }
  const next = new Set([...current, ...add]);
  return ok(PROGRAM_ORDER.filter((p) => next.has(p)));
}

/** One effective-dated row of a member's pricing terms (participant_income). */
export interface TermsFrom {
  fromMonth: string;
  amount: number;
  programs: readonly string[];
}

/**
 * The terms in force for `month`: the row with the latest from_month on or before it; before the first row, the first
 * row (the first change writes the earlier terms from the member's first month); with no rows, `latest` (the
 * participant's own columns, which always hold the latest terms).
 */
export function termsInForce(history: readonly TermsFrom[], latest: { amount: number; programs: readonly string[] }, month: string): { amount: number; programs: readonly string[] } {
  let found: TermsFrom | undefined;
  let first: TermsFrom | undefined;
  for (const row of history) {
    if (row.fromMonth <= month && (found === undefined || row.fromMonth > found.fromMonth)) found = row;
    if (first === undefined || row.fromMonth < first.fromMonth) first = row;
  }
  const pick = found ?? first;
  return pick ? { amount: pick.amount, programs: pick.programs } : latest;
}
