import { randomUUID } from 'node:crypto';
import { type AssistedForm, type AssistedView, assistedView, counterPost, payAtCounter, registerAtCounter, resendAtCounter, verifyAtCounter } from '../../modules/assisted-registration/index.js';
import type { Program } from '../../modules/contributions/index.js';
import { branchDirectory, occupationDirectory } from '../../modules/reference/index.js';
import { draftNikMatches, findDraftByFormCode, type FormOneADraft } from '../../modules/registration/index.js';
import type { ErrorCode } from '../../http/errors.js';
import { errorMessage } from '../../http/messages.js';
import { ChoiceGroup, CsrfInput, SelectField, TextField } from '../components/form.js';
import { PageTop } from '../components/page-top.js';
import { PersonInputs, type PersonValues, readPerson } from '../components/person-fields.js';
import type { PortalContext } from '../context.js';
import { field, type Form } from '../forms.js';
import { fill } from '../i18n/catalogue.js';
import { parseRupiahInput, rupiah } from '../i18n/format.js';
import { messagesFor, type Messages } from '../i18n/messages.js';
import { monthsFromForm, occupationOptions, ProgramAndMonthFields, programsFromForm } from '../pages/simulator-form.js';
import type { FormView, StaffConsolePage, StaffKit } from './kit.js';
import type { StaffMember } from './layout.js';
import { rolesForEndpoints, sectionRoles } from './sections.js';

const HREF = '/staff/pendaftaran-loket';
type T = Messages['staffCounterRegister'];

interface FormValues extends PersonValues {
  occupationCode: string;
  income: string;
  programs: Program[];
  months: number;
  consent: boolean;
  /** The Formulir 1A code the form was prefilled from ('' = none): the NIK typed must be the draft's. */
  formCode: string;
}

const EMPTY: FormValues = { nik: '', fullName: '', birthDate: '', gender: '', phone: '', email: '', address: '', occupationCode: '', income: '', programs: ['JKK', 'JKM', 'JHT'], months: 1, consent: false, formCode: '' };

function readForm(form: Form): FormValues {
  return {
    ...readPerson(form),
    occupationCode: field(form, 'occupationCode', 40),
    income: field(form, 'income', 20),
    programs: programsFromForm(form['programs']),
    months: monthsFromForm(field(form, 'months', 3)),
    consent: field(form, 'consent', 3) === 'ya',
    formCode: field(form, 'formulir', 20).trim(),
  };
}

/** Where a refusal of the use case is shown: on its field, or (no field) above the form. */
const REFUSALS: Partial<Record<ErrorCode, { field?: string; status: 409 | 422 }>> = {
  invalid_request: { status: 422 },
  invalid_nik: { field: 'nik', status: 422 },
  identity_mismatch: { field: 'nik', status: 422 },
  already_registered: { field: 'nik', status: 409 },
  invalid_phone: { field: 'phone', status: 422 },
  sms_limit_reached: { field: 'phone', status: 422 },
  invalid_email: { field: 'email', status: 422 },
  unknown_occupation: { field: 'occupationCode', status: 422 },
  unknown_branch: { status: 422 },
  consent_required: { field: 'consent', status: 422 },
  income_below_minimum: { field: 'income', status: 422 },
  invalid_programs: { field: 'programs', status: 422 },
  invalid_months: { field: 'months', status: 422 },
  invalid_start_month: { status: 422 },
  identity_unavailable: { status: 409 },
  staff_without_branch: { status: 409 },
  draft_nik_mismatch: { field: 'nik', status: 422 },
};

function PersonFields(props: { t: T; f: Messages['forms']; v: FormValues; errors: Record<string, string | undefined> }) {
  return (
    <fieldset class="card">
      <legend>{props.t.personTitle}</legend>
      <PersonInputs t={props.t} f={props.f} v={props.v} errors={props.errors} />
    </fieldset>
  );
}

/** The form prefilled from a web draft's Formulir 1A (everything but the NIK, which the officer types from the KTP). */
function fromDraft(d: FormOneADraft): FormValues {
  const programs = (d.programs ?? ['JKK', 'JKM', 'JHT']).filter((p): p is Program => p === 'JKK' || p === 'JKM' || p === 'JHT');
  return {
    ...EMPTY,
    fullName: d.fullName,
    birthDate: d.birthDate,
    gender: d.gender,
    phone: d.phone,
    email: d.email,
    address: d.address,
    occupationCode: d.occupationCode,
    income: d.declaredIncome ? String(d.declaredIncome) : '',
    programs,
    months: d.months ?? 1,
    formCode: d.formCode,
  };
}

/**
 * `?formulir=<code>` (or, when the form comes back refused, the code it carries): the draft's values and a notice, or
 * the refusal (draft_not_found) above the form.
 */
async function prefill(c: PortalContext, kit: StaffKit, t: T, given?: string): Promise<{ values?: FormValues; notice?: string; problem?: string }> {
  const code = (given ?? c.req.query('formulir') ?? '').trim().slice(0, 20);
  if (code === '') return {};
  const draft = await findDraftByFormCode(kit.deps.db, code, kit.deps.clock.now(), kit.deps.config.nik);
  if (!draft) return { problem: errorMessage('draft_not_found', c.get('lang')) };
  return { values: fromDraft(draft), notice: fill(t.formCodeLoaded, { code: draft.formCode, last4: draft.nikLast4 }) };
}

function FormCodeLookup(props: { t: T; value: string }) {
  return (
    <form method="get" action={HREF} class="card staff-form" aria-labelledby="formulir-h">
      <h2 id="formulir-h">{props.t.formCodeTitle}</h2>
      <TextField name="formulir" label={props.t.formCode} hint={props.t.formCodeHint} value={props.value} maxlength={20} autocomplete="off" />
      <button type="submit" class="secondary">{props.t.formCodeButton}</button>
    </form>
  );
}

async function formPage(c: PortalContext, kit: StaffKit, staff: StaffMember, view: Partial<FormView<FormValues>> = {}) {
  const lang = c.get('lang');
  const m = messagesFor(lang);
  const t = m.staffCounterRegister;
  const post = await counterPost(kit.deps.db, staff.username);
  const base = { title: t.title, staff, current: 'counterRegister' as const, flash: kit.takeFlash(c), ...(view.status ? { status: view.status } : {}) };
  if (!post) return kit.render(c, { ...base, body: <><h1>{t.title}</h1><p role="alert">{t.noBranch}</p></> });
  // A refused form keeps its values, and still says which Formulir 1A it came from.
  const loaded = view.values ? await prefill(c, kit, t, view.values.formCode) : await prefill(c, kit, t);
  const v = view.values ?? loaded.values ?? EMPTY;
  const e = view.errors ?? {};
  const branch = (await branchDirectory(kit.deps.db)).name(post.branchCode);
  const occupations = (await occupationDirectory(kit.deps.db)).active;
  return kit.render(c, {
    ...base,
    body: (
      <>
        <PageTop title={t.title} errorSummaryTitle={m.common.errorSummaryTitle} errors={e} problem={view.problem ?? loaded.problem} />
        <p>{post.servicePointCode ? fill(t.introSpo, { point: post.servicePointCode }) : fill(t.intro, { branch })}</p>
        {loaded.notice ? <p role="status" class="notice">{loaded.notice}</p> : <FormCodeLookup t={t} value={c.req.query('formulir') ?? ''} />}
        <form method="post" action={HREF} class="staff-form" novalidate>
          <CsrfInput token={c.get('csrf')} />
          {v.formCode ? <input type="hidden" name="formulir" value={v.formCode} /> : null}
          <PersonFields t={t} f={m.forms} v={v} errors={e} />
          <fieldset class="card">
            <legend>{t.planTitle}</legend>
            <SelectField name="occupationCode" label={t.occupation} placeholder={t.occupationPlaceholder} options={occupationOptions(occupations, lang)} value={v.occupationCode} error={e['occupationCode']} />
            <TextField name="income" label={t.income} value={v.income} error={e['income']} inputmode="numeric" maxlength={20} autocomplete="off" required />
            <ProgramAndMonthFields m={m} choice={{ incomeText: v.income, programs: v.programs, months: v.months, occupationCode: v.occupationCode }} errors={{ programs: e['programs'], months: e['months'] }} />
            <ChoiceGroup name="consent" legend={t.consentLegend} type="checkbox" error={e['consent']} choices={[{ value: 'ya', label: t.consent, checked: v.consent }]} />
          </fieldset>
          <button type="submit">{t.submit}</button>
        </form>
      </>
    ),
  });
}

function toAssisted(v: FormValues, income: number): AssistedForm {
  const { income: _i, consent, gender, formCode: _f, birthParts: _b, ...rest } = v;
  return { ...rest, gender: gender === 'F' ? 'F' : 'M', consent, declaredIncome: income, programs: v.programs, months: v.months };
}

function checkForm(v: FormValues, t: T): Record<string, string> {
  const errors: Record<string, string> = {};
  if (parseRupiahInput(v.income) === null) errors['income'] = t.incomeInvalid;
  if (!v.consent) errors['consent'] = t.consentRequired;
  if (v.gender !== 'M' && v.gender !== 'F') errors['gender'] = t.male + ' / ' + t.female;
  return errors;
}

function Facts(props: { t: T; r: AssistedView }) {
  const { t, r } = props;
  return (
    <dl class="staff-facts">
      <dt>{t.factsNik}</dt><dd>{r.nikMasked}</dd>
      <dt>{t.factsPhone}</dt><dd>{r.phone}</dd>
      <dt>{t.factsEmail}</dt><dd>{r.email === '' ? t.noEmail : r.email}</dd>
      <dt>{t.factsChannel}</dt><dd>{r.channel === 'spo' ? t.channelSpo : t.channelCounter}</dd>
    </dl>
  );
}

function OtpStep(props: { t: T; csrf: string; r: AssistedView; error?: string | undefined }) {
  const { t, r } = props;
  const action = `${HREF}/${encodeURIComponent(r.registrationId)}`;
  return (
    <section class="card staff-form" aria-labelledby="otp-title">
      <h2 id="otp-title">{t.otpTitle}</h2>
      <p>{t.otpIntro}</p>
      <form method="post" action={`${action}/verifikasi`} novalidate>
        <CsrfInput token={props.csrf} />
        <TextField name="code" label={t.otp} value="" error={props.error} inputmode="numeric" maxlength={6} autocomplete="one-time-code" required />
        <button type="submit">{t.otpButton}</button>
      </form>
      <form method="post" action={`${action}/kirim-ulang`} class="staff-inline-button">
        <CsrfInput token={props.csrf} />
        <button type="submit" class="secondary">{t.resendButton}</button>
      </form>
    </section>
  );
}

function PayStep(props: { t: T; csrf: string; r: AssistedView; lang: 'id' | 'en'; errors: Record<string, string | undefined> }) {
  const { t, r } = props;
  const bill = r.bill;
  if (!bill) return null;
  return (
    <form method="post" action={`${HREF}/${encodeURIComponent(r.registrationId)}/bayar`} class="card staff-form" aria-labelledby="pay-title" novalidate>
      <h2 id="pay-title">{t.payTitle}</h2>
      <p>{fill(t.payIntro, { amount: rupiah(bill.amount), code: bill.paymentCode })}</p>
      <CsrfInput token={props.csrf} />
      <input type="hidden" name="idempotencyKey" value={randomUUID()} />
      <ChoiceGroup name="method" legend={t.method} type="radio" inline error={props.errors['method']} choices={[{ value: 'cash', label: t.cash, checked: true }, { value: 'edc', label: t.edc }]} />
      <TextField name="approvalCode" label={t.approvalCode} hint={t.approvalHint} error={props.errors['approvalCode']} maxlength={6} autocomplete="off" />
      <TextField name="amount" label={t.amount} value={String(bill.amount)} error={props.errors['amount']} inputmode="numeric" maxlength={20} autocomplete="off" required />
      <button type="submit">{t.payButton}</button>
    </form>
  );
}

const slipHref = (code: string) => `/staff/antrean/slip.pdf?kode=${encodeURIComponent(code)}`;

function StepBody(props: { t: T; csrf: string; r: AssistedView; lang: 'id' | 'en'; errors: Record<string, string | undefined> }) {
  const { t, r } = props;
  const action = `${HREF}/${encodeURIComponent(r.registrationId)}`;
  const slip = r.paymentCode ? <p><a href={slipHref(r.paymentCode)}>{t.receiptLink}</a></p> : null;
  switch (r.step) {
    case 'verify':
      return <OtpStep t={t} csrf={props.csrf} r={r} error={props.errors['code']} />;
    case 'pay':
      return <>{slip}<PayStep {...props} /></>;
    case 'reissue':
      return (
        <form method="post" action={`${action}/verifikasi`} class="card staff-form">
          <p>{t.reissueIntro}</p>
          <CsrfInput token={props.csrf} />
          <input type="hidden" name="code" value="" />
          <button type="submit">{t.reissueButton}</button>
        </form>
      );
    case 'completed':
      return (
        <section class="notice" aria-labelledby="done-title">
          <h2 id="done-title">{t.completedTitle}</h2>
          <p>{fill(t.completedBody, { kpj: r.kpj ?? '—' })}</p>
          {slip}
        </section>
      );
  }
}

async function stepPage(c: PortalContext, kit: StaffKit, staff: StaffMember, view: Partial<FormView<Record<string, string>>> = {}) {
  const lang = c.get('lang');
  const m = messagesFor(lang);
  const t = m.staffCounterRegister;
  const found = await assistedView(kit.deps, staff.username, (c.req.param('id') ?? '').slice(0, 64));
  const base = { title: t.title, staff, current: 'counterRegister' as const, flash: kit.takeFlash(c), ...(view.status ? { status: view.status } : {}) };
  if (!found.ok) return kit.render(c, { ...base, status: 404, body: <><h1>{t.title}</h1><p role="alert">{errorMessage(found.code, lang)}</p></> });
  const r = found.value;
  return kit.render(c, {
    ...base,
    body: (
      <>
        <PageTop title={fill(t.stepTitle, { name: r.fullName })} errorSummaryTitle={m.common.errorSummaryTitle} errors={view.errors ?? {}} problem={view.problem} />
        <Facts t={t} r={r} />
        <StepBody t={t} csrf={c.get('csrf')} r={r} lang={lang} errors={view.errors ?? {}} />
        <p><a href={HREF}>{t.newRegistration}</a></p>
      </>
    ),
  });
}

function mountStepActions(app: Parameters<StaffConsolePage['mount']>[0], kit: StaffKit) {
  const tt = (c: PortalContext) => messagesFor(c.get('lang')).staffCounterRegister;
  const idOf = (c: PortalContext) => (c.req.param('id') ?? '').slice(0, 64);
  const back = (c: PortalContext) => `${HREF}/${encodeURIComponent(idOf(c))}`;
  const rerender = (c: PortalContext, staff: StaffMember, view: FormView<Record<string, string>>) => stepPage(c, kit, staff, view);
  const roles = rolesForEndpoints(['POST /api/v1/staff/registrations/{id}/verify']);
  app.post(`${HREF}/:id/verifikasi`, kit.formPost(roles, {
    read: (form) => ({ code: field(form, 'code', 20).trim() }),
    async act(v, staff, c) {
      const done = await verifyAtCounter(kit.deps, staff.username, idOf(c), v['code'] ?? '');
      if (!done.ok) return { refused: done.code };
      return { redirect: back(c), flash: fill(tt(c).verified, { code: done.value.paymentCode ?? '' }) };
    },
    refusals: { invalid_otp: { field: 'code', status: 422 }, too_many_attempts: { field: 'code', status: 422 }, unknown_registration: { status: 409 }, registration_completed: { status: 409 }, verification_incomplete: { status: 409 }, already_registered: { status: 409 }, income_below_minimum: { status: 422 }, invalid_programs: { status: 422 }, invalid_months: { status: 422 }, staff_without_branch: { status: 409 } },
    rerender,
  }));
  app.post(`${HREF}/:id/kirim-ulang`, kit.formPost(rolesForEndpoints(['POST /api/v1/staff/registrations/{id}/otp']), {
    read: () => ({}),
    async act(_v, staff, c) {
      const done = await resendAtCounter(kit.deps, staff.username, idOf(c));
      if (!done.ok) return { refused: done.code };
      return { redirect: back(c), flash: tt(c).resent };
    },
    refusals: { too_many_requests: { status: 409 }, sms_limit_reached: { status: 409 }, unknown_registration: { status: 409 }, staff_without_branch: { status: 409 } },
    rerender,
  }));
  mountPayAction(app, kit, rerender);
}

function mountPayAction(app: Parameters<StaffConsolePage['mount']>[0], kit: StaffKit, rerender: (c: PortalContext, staff: StaffMember, view: FormView<Record<string, string>>) => Promise<Response>) {
  const tt = (c: PortalContext) => messagesFor(c.get('lang')).staffCounterRegister;
  app.post(`${HREF}/:id/bayar`, kit.formPost(rolesForEndpoints(['POST /api/v1/staff/payments']), {
    read: (form) => ({ method: field(form, 'method', 4), approvalCode: field(form, 'approvalCode', 6).trim().toUpperCase(), amount: field(form, 'amount', 20), idempotencyKey: field(form, 'idempotencyKey', 36) }),
    async act(v, staff, c) {
      const id = (c.req.param('id') ?? '').slice(0, 64);
      const r = await assistedView(kit.deps, staff.username, id);
      if (!r.ok) return { refused: r.code };
      const method = v['method'] === 'edc' ? 'edc' : 'cash';
      const amount = parseRupiahInput(v['amount']) ?? 0;
      const done = await payAtCounter(kit.deps, staff.username, { paymentCode: r.value.paymentCode ?? '', amount, method, approvalCode: v['approvalCode'] || undefined, idempotencyKey: v['idempotencyKey'] ?? '' });
      if (!done.ok) return { refused: done.code };
      const o = done.value;
      const flash = o.status === 'applied' ? fill(tt(c).paid, { amount: rupiah(o.amount), kpj: o.kpj ?? '—' }) : o.status === 'duplicate' ? tt(c).duplicate : fill(tt(c).unmatched, { reason: o.reason ?? '' });
      return { redirect: `${HREF}/${encodeURIComponent(id)}`, flash };
    },
    refusals: { approval_code_required: { field: 'approvalCode', status: 422 }, amount_not_bill: { field: 'amount', status: 422 }, invalid_request: { status: 422 }, bill_not_payable: { status: 409 }, idempotency_key_reused: { status: 409 }, unknown_payment_code: { status: 409 }, unknown_registration: { status: 409 }, staff_without_branch: { status: 409 }, external_id_conflict: { status: 409 }, invalid_paid_at: { status: 409 } },
    rerender,
  }));
}

/**
 * /staff/pendaftaran-loket, "Pendaftaran di loket" (counter — as POST /api/v1/staff/registrations and /payments):
 * the officer types Formulir 1A (the same use cases as the API: registry check, OTP to the worker's phone), types the
 * OTP the worker reads out, takes cash or EDC (a UUID chosen when the payment form is rendered: a double submit is
 * one payment) and prints the A6 slip (payment code + QR; after payment the KPJ and LUNAS).
 */
export const counterRegisterRoutes: StaffConsolePage = {
  section: 'counterRegister',
  mount(app, kit) {
    const roles = sectionRoles('counterRegister');
    app.get(HREF, kit.requireStaffPage(roles, (c, staff) => formPage(c, kit, staff)));
    app.post(HREF, kit.formPost(roles, {
      read: readForm,
      check: (v, c) => checkForm(v, messagesFor(c.get('lang')).staffCounterRegister),
      async act(v, staff, c) {
        if (v.formCode !== '' && !(await draftNikMatches(kit.deps.db, v.formCode, v.nik, kit.deps.clock.now(), kit.deps.config.nik))) return { refused: 'draft_nik_mismatch' };
        const done = await registerAtCounter(kit.deps, staff.username, toAssisted(v, parseRupiahInput(v.income) ?? 0));
        if (!done.ok) return { refused: done.code };
        const t = messagesFor(c.get('lang')).staffCounterRegister;
        return { redirect: `${HREF}/${encodeURIComponent(done.value.registrationId)}`, flash: fill(t.created, { name: v.fullName, phone: v.phone }) };
      },
      refusals: REFUSALS,
      rerender: (c, staff, view) => formPage(c, kit, staff, view),
    }));
    app.get(`${HREF}/:id`, kit.requireStaffPage(roles, (c, staff) => stepPage(c, kit, staff)));
    mountStepActions(app, kit);
  },
};
