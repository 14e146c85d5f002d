import { randomBytes } from 'node:crypto';
import type { Kysely, Transaction } from 'kysely';
import type { Database, Registration } from '../../db/database.js';
import type { Deps } from '../../deps.js';
import { safeEqual } from '../../shared/crypto.js';
import { ok, reject, type Result } from '../../shared/result.js';
import { cancelOpenBills, findBillLines, findLatestRegistrationBill } from '../contributions/index.js';
import { maskNikLast4, nikHash, type NikKeys, openNik } from '../identity/index.js';
import { branchDirectory, occupationDirectory } from '../reference/index.js';
import { formCodeFromBytes, formCodeLive, FORM_CODE_LIFETIME_MS, normalizeFormCode } from './domain/form-code.js';
import { type FormOneADraft, renderFormOneAPdf } from './form-1a-pdf.js';
import { lockRegistration, updateRegistration } from './registration.repository.js';

/**
 * Formulir 1A (issue 16 item 3): the BPU registration form printed from a web draft, to bring to a branch counter or
 * a bank's SPO desk, and the counter's look-up of that draft by the form code printed on it. A draft is a
 * registration not yet completed (its first bill unpaid); its code lives FORM_CODE_LIFETIME_MS from the first print.
 */

export type FormOneARejection = 'unknown_registration' | 'registration_completed';

const FORM_CODE_TRIES = 5;

async function unusedFormCode(db: Kysely<Database>): Promise<string> {
  for (let i = 0; i < FORM_CODE_TRIES; i++) {
    const code = formCodeFromBytes(randomBytes(5));
    const taken = await db.selectFrom('registration').select('id').where('form_code', '=', code).executeTakeFirst();
    if (!taken) {
      return code;
    }
  }
  throw new Error('no unused form code after several draws');
}

/**
 * Whether the draft's person completed another registration since the draft was started — typically at a counter or
 * an SPO desk from this very form (the desk makes its own registration): the draft is done with, its code finds
 * nothing and it prints no form. A completion before the draft started (a member who lapsed and registers again) does
 * not count.
 */
async function supersededDraft(db: Kysely<Database>, reg: Pick<Registration, 'id' | 'nik_hash' | 'created_at'>): Promise<boolean> {
  const other = await db
    .selectFrom('registration')
    .select('id')
    .where('nik_hash', '=', reg.nik_hash)
    .where('id', '!=', reg.id)
    .where('status', '=', 'completed')
    .where('updated_at', '>=', new Date(reg.created_at))
    .executeTakeFirst();
  return other !== undefined;
}

/**
 * Once `completedId` (a counter or SPO registration) is paid, the person's earlier web drafts are done with
 * (supersededDraft): their open first bills are cancelled too, so a payment code printed or mailed from the draft is
 * no longer payable (a channel's inquiry finds no open bill) instead of taking money that would land in suspense.
 */
export async function closeSupersededDrafts(trx: Transaction<Database>, completedId: string): Promise<void> {
  const done = await trx.selectFrom('registration').select(['nik_hash', 'updated_at']).where('id', '=', completedId).where('status', '=', 'completed').executeTakeFirst();
  if (!done) {
    return;
  }
  const drafts = await trx
    .selectFrom('registration')
    .select('id')
    .where('nik_hash', '=', done.nik_hash)
    .where('id', '!=', completedId)
    .where('status', '!=', 'completed')
    .where('created_at', '<=', new Date(done.updated_at))
    .execute();
  for (const d of drafts) {
    await cancelOpenBills(trx, { registrationId: d.id });
  }
}

/**
 * The registration's live form code, drawn on the first print (or again once the last one expired). A completed
 * registration has no form to print: the worker is a member already.
 */
export async function issueFormCode(deps: Deps, id: string): Promise<Result<Registration, FormOneARejection>> {
  const now = deps.clock.now();
  return deps.db.transaction().execute(async (trx) => {
    const reg = await lockRegistration(trx, id);
    if (!reg) {
      return reject('unknown_registration');
    }
    if (reg.status === 'completed' || (await supersededDraft(trx, reg))) {
      return reject('registration_completed');
    }
    if (reg.form_code && formCodeLive(reg.form_code_expires_at ? new Date(reg.form_code_expires_at) : null, now)) {
      return ok(reg);
    }
    const patch = { form_code: await unusedFormCode(trx), form_code_expires_at: new Date(now.getTime() + FORM_CODE_LIFETIME_MS) };
    await updateRegistration(trx, id, { ...patch, updated_at: now });
    return ok({ ...reg, ...patch });
  });
}

/** The months the registration's latest first bill covers, when the program step has issued one. */
async function chosenMonths(db: Kysely<Database>, id: string): Promise<number | null> {
  const bill = await findLatestRegistrationBill(db, id);
  if (!bill) {
    return null;
  }
  const lines = await findBillLines(db, bill.id);
  const months = new Set(lines.map((l) => l.month)).size;
  return months > 0 ? months : null;
}

async function toDraft(db: Kysely<Database>, reg: Registration, keys: NikKeys): Promise<FormOneADraft> {
  const nik = openNik(reg.nik_sealed, keys);
  return {
    registrationId: reg.id,
    formCode: reg.form_code ?? '',
    formCodeExpiresAt: reg.form_code_expires_at ? new Date(reg.form_code_expires_at).toISOString() : '',
    status: reg.status,
    nikLast4: nik.slice(-4),
    nikMasked: maskNikLast4(nik),
    fullName: reg.full_name,
    birthDate: reg.birth_date,
    gender: reg.gender,
    address: reg.address,
    phone: reg.phone,
    email: reg.email,
    occupationCode: reg.occupation_code,
    occupationName: (await occupationDirectory(db)).find(reg.occupation_code)?.name ?? reg.occupation_code,
    sector: reg.sector,
    branchCode: reg.branch_code,
    branchName: (await branchDirectory(db)).name(reg.branch_code),
    programs: reg.programs && reg.programs.length > 0 ? reg.programs : null,
    declaredIncome: reg.declared_income,
    months: reg.programs && reg.programs.length > 0 ? await chosenMonths(db, reg.id) : null,
  };
}

/** The printed Formulir 1A (A4 PDF) of a web draft, its code drawn on the first print, and its file name. */
export async function formOneAPdf(deps: Deps, id: string): Promise<Result<{ pdf: Buffer; fileName: string; formCode: string }, FormOneARejection>> {
  const issued = await issueFormCode(deps, id);
  if (!issued.ok) {
    return issued;
  }
  const draft = await toDraft(deps.db, issued.value, deps.config.nik);
  const pdf = await renderFormOneAPdf(draft, deps.clock.now());
  return ok({ pdf, fileName: `formulir-1a-${draft.formCode}.pdf`, formCode: draft.formCode });
}

/**
 * The live draft a registration's form code names, as a row; null when unknown, expired, already paid, or superseded
 * (its person completed another registration since, e.g. at an SPO desk from this form).
 */
async function liveDraftRow(db: Kysely<Database>, code: string, now: Date): Promise<Registration | null> {
  const canonical = normalizeFormCode(code);
  if (!canonical) {
    return null;
  }
  const reg = await db.selectFrom('registration').selectAll().where('form_code', '=', canonical).executeTakeFirst();
  if (!reg || reg.status === 'completed' || !formCodeLive(reg.form_code_expires_at ? new Date(reg.form_code_expires_at) : null, now)) {
    return null;
  }
  return (await supersededDraft(db, reg)) ? null : reg;
}

/**
 * The prefill of the web draft a printed form code names (typed or scanned at the counter; case, spaces and hyphens
 * do not matter), or null when the code is unknown, expired or its registration already paid (completed).
 */
export async function findDraftByFormCode(db: Kysely<Database>, code: string, now: Date, keys: NikKeys): Promise<FormOneADraft | null> {
  const reg = await liveDraftRow(db, code, now);
  return reg ? toDraft(db, reg, keys) : null;
}

/**
 * Whether the NIK the counter read from the KTP is the draft's: the response only shows the last 4 digits, so the
 * server compares the whole number. False for an unknown, expired or paid code.
 */
export async function draftNikMatches(db: Kysely<Database>, code: string, nik: string, now: Date, keys: NikKeys): Promise<boolean> {
  const reg = await liveDraftRow(db, code, now);
  return reg !== null && safeEqual(reg.nik_hash, nikHash(nik.trim(), keys));
}

