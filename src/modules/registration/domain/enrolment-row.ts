import type { Funding, Quote, QuoteRejection, RuleBook, Sector } from '../../contributions/index.js';
import { priceContribution } from '../../contributions/index.js';
import { normalizeEmail, normalizePhone, validateNik } from '../../identity/index.js';
import { isLocalDate } from '../../../shared/month.js';
import { ok, reject, type Result } from '../../../shared/result.js';
import type { RegistrationInput, RegistrationRejection } from '../registration.js';

/**
 * One worker of a set-based enrolment (a partner's batch row), checked as a registration is: the same codes, the
 * `field` naming the column. Pure: the directories, the day and the pricing context are passed in; the registry and
 * the existing members are looked up by enrolMany for all rows at once afterwards.
 */
export type EnrolmentRow = Omit<RegistrationInput, 'gender' | 'consent'> & {
  /** As sent; 'M' or 'F' is checked here. */
  gender: string;
  programs: string[];
  declaredIncome: number;
  months: number;
  /** validateNik's verdict when already taken (at upload): the NIK is then not needed in plain here. */
  nikValid?: boolean;
};

/** Registration's codes (without those of its OTP and consent steps, which a payer's enrolment has not), and one of its own. */
export type EnrolmentRejection = Exclude<RegistrationRejection, 'consent_required' | 'identity_unavailable' | 'sms_limit_reached'> | 'duplicate_in_batch' | 'already_in_open_batch' | QuoteRejection;

export interface EnrolmentRowContext {
  /** Today in Jakarta (YYYY-MM-DD): a birth date after it is refused. */
  today: string;
  /** The sector of an active occupation, undefined for an unknown one. */
  sectorOf: (occupationCode: string) => Sector | undefined;
  branchKnown: (branchCode: string) => boolean;
  startMonth: string;
  funding: Funding;
  rules: RuleBook;
  /** priceContribution, or a memo of it (rows of one batch mostly share their income, programs and months). */
  price?: typeof priceContribution;
}

export interface CheckedEnrolmentRow {
  fullName: string;
  gender: 'M' | 'F';
  phone: string;
  email: string;
  address: string;
  sector: Sector;
  programs: string[];
  quote: Quote;
}

const ADDRESS_MAX = 500;

function checkPerson(row: EnrolmentRow, ctx: EnrolmentRowContext, duplicate: boolean): Result<{ gender: 'M' | 'F'; fullName: string }, EnrolmentRejection> {
  if (row.gender !== 'M' && row.gender !== 'F') {
    return reject('invalid_request', 'gender');
  }
  if (!isLocalDate(row.birthDate) || row.birthDate > ctx.today) {
    return reject('invalid_request', 'birthDate');
  }
  const fullName = row.fullName.trim().replace(/\s+/g, ' ');
  if (fullName.length === 0 || fullName.length > 100) {
    return reject('invalid_request', 'fullName');
  }
  if (!(row.nikValid ?? validateNik(row.nik, { birthDate: row.birthDate, gender: row.gender }).ok)) {
    return reject('invalid_nik', 'nik');
  }
  if (duplicate) {
    return reject('duplicate_in_batch', 'nik');
  }
  return ok({ gender: row.gender, fullName });
}

/**
 * The checks that need nothing but the row: formats (person, NIK, phone, e-mail — optional, the partner vouches for
 * the contact), the occupation and branch directories, then the price (programs, months, income). `duplicate`: the
 * NIK appeared on an earlier row of the same batch.
 */
export function checkEnrolmentRow(row: EnrolmentRow, ctx: EnrolmentRowContext, duplicate = false): Result<CheckedEnrolmentRow, EnrolmentRejection> {
  const person = checkPerson(row, ctx, duplicate);
  if (!person.ok) {
    return person;
  }
  const phone = normalizePhone(row.phone);
  if (!phone.ok) {
    return reject('invalid_phone', 'phone');
  }
  const email = row.email.trim() === '' ? ok('') : normalizeEmail(row.email);
  if (!email.ok) {
    return reject('invalid_email', 'email');
  }
  const address = row.address.trim();
  if (address.length === 0 || address.length > ADDRESS_MAX) {
    return reject('invalid_request', 'address');
  }
  const sector = ctx.sectorOf(row.occupationCode);
  if (sector === undefined) {
    return reject('unknown_occupation', 'occupationCode');
  }
  if (!ctx.branchKnown(row.branchCode)) {
    return reject('unknown_branch', 'branchCode');
  }
  if (!Number.isSafeInteger(row.declaredIncome)) {
    return reject('invalid_request', 'declaredIncome');
  }
  const quote = (ctx.price ?? priceContribution)(
    { declaredIncome: row.declaredIncome, programs: row.programs, months: row.months, startMonth: ctx.startMonth, sector, funding: ctx.funding },
    ctx.rules,
  );
  if (!quote.ok) {
    return reject(quote.code, quote.code === 'invalid_programs' ? 'programs' : quote.code === 'invalid_months' ? 'months' : 'declaredIncome');
  }
  const programs = quote.value.months[0]?.lines.map((l) => l.program) ?? [];
  return ok({ ...person.value, phone: phone.value, email: email.value, address, sector, programs, quote: quote.value });
}

/** priceContribution remembered by its input (pure, so equal inputs give equal quotes). */
export function memoizedPrice(): typeof priceContribution {
  const memo = new Map<string, ReturnType<typeof priceContribution>>();
  return (input, rules) => {
    const key = JSON.stringify([input.declaredIncome, input.programs, input.months, input.startMonth, input.sector, input.funding]);
    let quote = memo.get(key);
    if (quote === undefined) {
      quote = priceContribution(input, rules);
      memo.set(key, quote);
    }
    return quote;
  };
}

/** The rows whose NIK appeared on an earlier row (by any key that stands for the NIK, e.g. its hash). */
export function duplicatesInBatch(keys: readonly string[]): boolean[] {
  const seen = new Set<string>();
  return keys.map((k) => {
    const dup = seen.has(k);
    seen.add(k);
    return dup;
  });
}
