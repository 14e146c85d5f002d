import type { Kysely } from 'kysely';
import type { Database } from '../../db/database.js';
import type { Deps } from '../../deps.js';
import { ok, reject, type Result } from '../../shared/result.js';
import { recordStaffAction } from '../audit/index.js';
import { type BillView, findBillByCode, findBillLines, priceContribution, type QuoteRejection, toBillView } from '../contributions/index.js';
import { maskNikLast4, sealedNikLast4 } from '../identity/index.js';
import { firstBillStartMonth } from '../membership/index.js';
import { occupationDirectory } from '../reference/index.js';
import {
  createRegistration,
  getRegistration,
  type RegistrationInput,
  type RegistrationRejection,
  registrationStep,
  resendRegistrationOtp,
  submitRegistration,
  type SubmitRejection,
  verifyRegistrationPhone,
} from '../registration/index.js';
import { channelOf, type CounterChannel } from './domain/counter-rules.js';

/** Where an officer works: the branch (of the service point, when the account has one), the service point, the channel. */
export interface CounterPost {
  branchCode: string;
  servicePointCode: string | null;
  channel: CounterChannel;
}

/** The post of a staff account, or null when it has neither a branch nor a service point (the staff key has none). */
export async function counterPost(db: Kysely<Database>, actor: string): Promise<CounterPost | null> {
  const row = await db
    .selectFrom('staff_account as a')
    .leftJoin('service_point as p', 'p.code', 'a.service_point_code')
    .select(['a.branch_code', 'a.service_point_code', 'p.branch_code as point_branch', 'p.kind as point_kind'])
    .where('a.username', '=', actor)
    .executeTakeFirst();
  const branchCode = row?.point_branch ?? row?.branch_code ?? null;
  if (!row || branchCode === null) return null;
  return { branchCode, servicePointCode: row.point_branch ? row.service_point_code : null, channel: channelOf(row.point_kind ?? null) };
}

/** Formulir 1A as the officer types it: the person, the plan; the branch is the officer's. Email may be ''. */
export type AssistedForm = Omit<RegistrationInput, 'branchCode'> & { programs: string[]; declaredIncome: number; months: number };

export interface AssistedState {
  registrationId: string;
  status: string;
  channel: CounterChannel;
  branchCode: string;
  servicePointCode: string | null;
  /** null until the phone is verified: the first bill is issued then (the same rule as the web). */
  paymentCode: string | null;
  bill: BillView | null;
  warnings: string[];
}

type StaffRefusal = 'staff_without_branch';

/**
 * Step 1 at the counter: the plan is priced first (a wrong income or program is reported before any SMS), then the
 * registration module's createRegistration — the same formats, population registry check and "already a member"
 * rule as the web — with the channel, the service point and the officer recorded; the OTP goes to the worker's phone.
 */
export async function registerAtCounter(
  deps: Deps,
  actor: string,
  form: AssistedForm,
): Promise<Result<AssistedState, RegistrationRejection | QuoteRejection | StaffRefusal>> {
  const post = await counterPost(deps.db, actor);
  if (!post) return reject('staff_without_branch');
  const occupation = (await occupationDirectory(deps.db)).find(form.occupationCode);
  if (!occupation) return reject('unknown_occupation', 'occupationCode');
  const plan = { programs: form.programs, declaredIncome: form.declaredIncome, months: form.months };
  const quote = priceContribution({ ...plan, startMonth: firstBillStartMonth(deps.clock.now()), sector: occupation.sector, funding: 'self' }, deps.rules);
  if (!quote.ok) return quote;
  const { programs: _p, declaredIncome: _d, months: _m, ...person } = form;
  const made = await createRegistration(deps, { ...person, branchCode: post.branchCode }, { channel: post.channel, servicePointCode: post.servicePointCode, registeredBy: actor, plan });
  if (!made.ok) return made;
  await recordStaffAction(deps.db, {
    actor,
    action: 'registration.assist',
    subject: `registration:${made.value.id}`,
    reason: null,
    detail: { nik: maskNikLast4(form.nik), channel: post.channel, branchCode: post.branchCode, servicePointCode: post.servicePointCode },
    after: { status: made.value.status },
    at: deps.clock.now(),
  });
  return ok({ registrationId: made.value.id, status: made.value.status, ...post, paymentCode: null, bill: null, warnings: made.value.warnings });
}

/** An assisted registration of the officer's branch (another branch's, or a web one, is unknown to the officer). */
async function ownRegistration(deps: Deps, actor: string, id: string) {
  const post = await counterPost(deps.db, actor);
  if (!post) return reject('staff_without_branch');
  const reg = await getRegistration(deps, id);
  if (!reg || reg.channel === 'web' || reg.branch_code !== post.branchCode) return reject('unknown_registration');
  return ok({ reg, post });
}

async function billOf(deps: Deps, paymentCode: string): Promise<BillView | null> {
  const bill = await findBillByCode(deps.db, paymentCode);
  if (!bill) return null;
  return toBillView(bill, await findBillLines(deps.db, bill.id), deps.clock.now());
}

/**
 * Step 2: the officer types the code the worker reads from the SMS (verifyRegistrationPhone, the same OTP rules), then
 * the first bill is issued from the plan on the form (submitRegistration). Again after success: the open bill.
 */
export async function verifyAtCounter(
  deps: Deps,
  actor: string,
  id: string,
  code: string,
): Promise<Result<AssistedState, StaffRefusal | 'unknown_registration' | 'invalid_otp' | 'too_many_attempts' | SubmitRejection>> {
  const own = await ownRegistration(deps, actor, id);
  if (!own.ok) return own;
  const { reg, post } = own.value;
  const base = { registrationId: id, channel: post.channel, branchCode: reg.branch_code, servicePointCode: reg.service_point_code, warnings: [] };
  const step = await registrationStep(deps, id, deps.clock.now());
  if (step.step === 'pay') return ok({ ...base, status: 'submitted', paymentCode: step.paymentCode, bill: await billOf(deps, step.paymentCode) });
  if (step.step === 'completed') return reject('registration_completed');
  const verified = await verifyRegistrationPhone(deps, id, code);
  if (!verified.ok) return verified;
  const submitted = await submitRegistration(deps, id, { programs: reg.programs ?? [], declaredIncome: reg.declared_income ?? 0, months: reg.requested_months ?? 1 });
  if (!submitted.ok) return submitted;
  const bill = submitted.value.bill;
  await recordStaffAction(deps.db, { actor, action: 'registration.assist_verify', subject: `registration:${id}`, reason: null, detail: { paymentCode: bill.paymentCode, amount: bill.amount }, after: { status: 'submitted' }, at: deps.clock.now() });
  return ok({ ...base, status: 'submitted', paymentCode: bill.paymentCode, bill });
}

/** A new OTP to the worker's phone (the same 60-second and 5-a-day limits as the web). */
export async function resendAtCounter(deps: Deps, actor: string, id: string): Promise<Result<{ sent: true }, StaffRefusal | 'unknown_registration' | 'too_many_requests' | 'sms_limit_reached'>> {
  const own = await ownRegistration(deps, actor, id);
  if (!own.ok) return own;
  return resendRegistrationOtp(deps, id);
}

/** What the counter page shows of an assisted registration (the NIK masked to its last 4 digits). */
export interface AssistedView {
  registrationId: string;
  fullName: string;
  nikMasked: string;
  phone: string;
  email: string;
  channel: CounterChannel;
  step: 'verify' | 'pay' | 'completed' | 'reissue';
  paymentCode: string | null;
  bill: BillView | null;
  kpj: string | null;
}

/** An assisted registration of the officer's branch, for the counter page. */
export async function assistedView(deps: Deps, actor: string, id: string): Promise<Result<AssistedView, StaffRefusal | 'unknown_registration'>> {
  const own = await ownRegistration(deps, actor, id);
  if (!own.ok) return own;
  const { reg } = own.value;
  const step = await registrationStep(deps, id, deps.clock.now());
  const paymentCode = step.step === 'pay' ? step.paymentCode : null;
  const kpj = reg.participant_id
    ? ((await deps.db.selectFrom('participant').select('kpj').where('id', '=', reg.participant_id).executeTakeFirst())?.kpj ?? null)
    : null;
  const paid = step.step === 'completed' ? await deps.db.selectFrom('bill').select('payment_code').where('registration_id', '=', id).where('status', '=', 'paid').executeTakeFirst() : undefined;
  const code = paymentCode ?? paid?.payment_code ?? null;
  return ok({
    registrationId: id,
    fullName: reg.full_name,
    nikMasked: sealedNikLast4(reg.nik_sealed, deps.config.nik),
    phone: reg.phone,
    email: reg.email,
    channel: reg.channel === 'spo' ? 'spo' : 'counter',
    step: step.step === 'verify' || step.step === 'pay' || step.step === 'completed' ? step.step : 'reissue',
    paymentCode: code,
    bill: code ? await billOf(deps, code) : null,
    kpj,
  });
}
