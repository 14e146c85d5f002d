import { type ErrorCode, STATUS_BY_CODE } from '../../http/errors.js';
import { errorMessage } from '../../http/messages.js';
import type { Program } from '../../modules/contributions/index.js';
import { branchDirectory, occupationDirectory } from '../../modules/reference/index.js';
import { activeSponsorshipOfWorker, listSponsorships, type SponsorRequest, sponsorBill, type SponsorshipView, sponsorWorker, stopSponsorship, takeOver } from '../../modules/sponsorship/index.js';
import { CsrfInput, type FieldErrors, SelectField, TextField } from '../components/form.js';
import { PageTop } from '../components/page-top.js';
import { birthDateError, PersonInputs, type PersonValues, readPerson } from '../components/person-fields.js';
import { TitledSection } from '../components/section.js';
import { HeadRow } from '../components/table.js';
import type { PortalContext, PortalDeps, PortalPage } from '../context.js';
import { checkBirthDate, datePartsOf, field, type Form, redirectWithErrors, takeFormFlash } from '../forms.js';
import { localDateInJakarta } from '../../shared/month.js';
import { fill, type Lang } from '../i18n/catalogue.js';
import { formatMonth, parseRupiahInput, rupiah } from '../i18n/format.js';
import { messagesFor, type Messages } from '../i18n/messages.js';
import { renderPage } from '../layout.js';
import { memberSession } from '../member-session.js';
import { monthsFromForm, MONTH_CHOICES, occupationOptions, ProgramAndMonthFields, programsFromForm } from './simulator-form.js';
import { consentRoutes } from './sertakan-consent.js';

const PAGE = '/akun/sertakan';
type T = Messages['sertakan'];

interface AddValues extends PersonValues {
  occupationCode: string;
  branchCode: string;
  income: string;
  programs: Program[];
  months: number;
}

const EMPTY: AddValues = { nik: '', fullName: '', birthDate: '', gender: '', phone: '', email: '', address: '', occupationCode: '', branchCode: '', income: '', programs: ['JKK', 'JKM', 'JHT'], months: 1 };

function readAdd(form: Form): AddValues {
  return {
    ...readPerson(form),
    occupationCode: field(form, 'occupationCode', 40),
    branchCode: field(form, 'branchCode', 40),
    income: field(form, 'income', 20),
    programs: programsFromForm(form['programs']),
    months: monthsFromForm(field(form, 'months', 3)),
  };
}

/** The API field of a refusal → the form's field (declaredIncome is typed as "income"; a KPJ refusal on the KPJ form). */
const FORM_FIELD: Record<string, string> = { declaredIncome: 'income', kpj: 'kpj' };

function statusText(t: T, s: SponsorshipView): string {
  if (s.status === 'awaiting_consent') return t.statusAwaiting;
  if (s.status === 'active') return t.statusActive;
  if (s.endedReason === 'expired') return t.statusEndedExpired;
  return s.endedReason === 'taken_over' ? t.statusEndedTakenOver : t.statusEndedStopped;
}

function MonthsSelect(props: { id: string; label: string; m: Messages }) {
  return (
    <div class="field">
      <label for={props.id}>{props.label}</label>
      <select id={props.id} name="months">
        {MONTH_CHOICES.map((n) => (
          <option value={String(n)}>{n === 1 ? props.m.common.month1 : fill(props.m.common.months, { n })}</option>
        ))}
      </select>
    </div>
  );
}

function SponsorRow(props: { m: Messages; lang: Lang; s: SponsorshipView }) {
  const { m, s } = props;
  const t = m.sertakan;
  return (
    <tr>
      <td>
        {s.workerName}
        {s.kpj ? <span class="hint"> KPJ {s.kpj}</span> : null}
      </td>
      <td>{statusText(t, s)}</td>
      <td>{s.coveredThrough ? formatMonth(s.coveredThrough, props.lang) : t.notYet}</td>
      <td>{s.bill ? <a href={`/bayar/${s.bill.paymentCode}`}>{fill(t.billLink, { amount: rupiah(s.bill.amount) })}</a> : '—'}</td>
    </tr>
  );
}

/** Per active or awaiting sponsorship: pay months (active) and stop (both), each its own small form. */
function SponsorActions(props: { m: Messages; csrf: string; s: SponsorshipView }) {
  const { m, s } = props;
  const t = m.sertakan;
  return (
    <div class="card">
      {s.status === 'active' ? (
        <form method="post" action={`${PAGE}/${s.id}/bayar`}>
          <CsrfInput token={props.csrf} />
          <MonthsSelect id={`months-${s.id}`} label={fill(t.payLegend, { name: s.workerName })} m={m} />
          <button type="submit">{t.payButton}</button>
        </form>
      ) : null}
      <form method="post" action={`${PAGE}/${s.id}/berhenti`}>
        <CsrfInput token={props.csrf} />
        <button type="submit" class="btn-secondary">
          {fill(t.stopButton, { name: s.workerName })}
        </button>
      </form>
    </div>
  );
}

function SponsorList(props: { m: Messages; lang: Lang; csrf: string; list: SponsorshipView[] }) {
  const { m } = props;
  const t = m.sertakan;
  if (props.list.length === 0) return <p>{t.listEmpty}</p>;
  return (
    <>
      <table>
        <caption>{t.listCaption}</caption>
        <HeadRow columns={[{ label: t.colWorker }, { label: t.colStatus }, { label: t.colCovered }, { label: t.colBill }]} />
        <tbody>
          {props.list.map((s) => (
            <SponsorRow m={m} lang={props.lang} s={s} />
          ))}
        </tbody>
      </table>
      {props.list.filter((s) => s.status !== 'ended').map((s) => (
        <SponsorActions m={m} csrf={props.csrf} s={s} />
      ))}
    </>
  );
}

async function AddWorkerForm(props: { p: PortalDeps; m: Messages; lang: Lang; csrf: string; v: AddValues; errors: FieldErrors }) {
  const { m, v, errors: e } = props;
  const t = m.sertakan;
  const [occupations, branches] = await Promise.all([occupationDirectory(props.p.deps.db), branchDirectory(props.p.deps.db)]);
  return (
    <form method="post" action={PAGE} class="card" id="isi">
      <CsrfInput token={props.csrf} />
      <p>{t.addIntro}</p>
      <PersonInputs t={t} f={m.forms} v={v} errors={e} />
      <SelectField name="occupationCode" label={t.occupation} value={v.occupationCode} error={e['occupationCode']} placeholder="—" options={occupationOptions(occupations.active, props.lang)} required />
      <SelectField name="branchCode" label={t.branch} value={v.branchCode} error={e['branchCode']} placeholder="—" options={branches.active.map((b) => ({ value: b.code, label: b.name }))} required />
      <TextField name="income" label={t.income} hint={t.incomeHint} value={v.income} error={e['income']} inputmode="numeric" maxlength={15} required />
      <ProgramAndMonthFields m={m} choice={{ incomeText: v.income, programs: v.programs, months: v.months, occupationCode: v.occupationCode }} errors={{ programs: e['programs'], months: e['months'] }} />
      <button type="submit">{t.addButton}</button>
    </form>
  );
}

function KpjForm(props: { m: Messages; csrf: string; kpj: string; errors: FieldErrors }) {
  const t = props.m.sertakan;
  return (
    <form method="post" action={`${PAGE}/kpj`} class="card">
      <CsrfInput token={props.csrf} />
      <TextField name="kpj" label={t.kpj} value={props.kpj} error={props.errors['kpj']} inputmode="numeric" maxlength={11} autocomplete="off" required />
      <MonthsSelect id="kpj-months" label={t.months} m={props.m} />
      <button type="submit">{t.kpjButton}</button>
    </form>
  );
}

function TakeOverSection(props: { t: T; csrf: string }) {
  return (
    <TitledSection id="ambil-alih" title={props.t.takeOverTitle}>
      <p>{props.t.takeOverIntro}</p>
      <form method="post" action={`${PAGE}/ambil-alih`}>
        <CsrfInput token={props.csrf} />
        <button type="submit">{props.t.takeOverButton}</button>
      </form>
    </TitledSection>
  );
}

interface PageOpts {
  errors?: FieldErrors;
  problem?: string;
  done?: string;
  add?: AddValues;
  kpj?: string;
  status?: 200 | 409 | 422;
}

async function renderSponsorPage(c: PortalContext, p: PortalDeps, participantId: string, opts: PageOpts = {}) {
  const lang = c.get('lang');
  const m = messagesFor(lang);
  const t = m.sertakan;
  const csrf = c.get('csrf');
  const [list, sponsored] = await Promise.all([listSponsorships(p.deps, participantId), activeSponsorshipOfWorker(p.deps, participantId)]);
  const errors = opts.errors ?? {};
  const form = await AddWorkerForm({ p, m, lang, csrf, v: opts.add ?? EMPTY, errors });
  return renderPage(c, p, {
    title: t.title,
    nav: 'account',
    status: opts.status ?? 200,
    body: (
      <>
        <PageTop title={t.title} errorSummaryTitle={m.common.errorSummaryTitle} errors={errors} problem={opts.problem} done={opts.done} />
        <p>{t.intro}</p>
        {sponsored ? <TakeOverSection t={t} csrf={csrf} /> : null}
        <TitledSection id="daftar-sertakan" title={t.listTitle}>
          <SponsorList m={m} lang={lang} csrf={csrf} list={list} />
        </TitledSection>
        <TitledSection id="tambah" title={t.addTitle}>
          {form}
        </TitledSection>
        <TitledSection id="kpj-sertakan" title={t.kpjTitle}>
          <KpjForm m={m} csrf={csrf} kpj={opts.kpj ?? ''} errors={errors} />
        </TitledSection>
        <p>
          <a href="/akun">{t.back}</a>
        </p>
      </>
    ),
  });
}

/** A refusal shown on its field when the form has it, else above the form. */
function refusalOpts(lang: Lang, r: { code: string; field?: string }, known: readonly string[]): Pick<PageOpts, 'errors' | 'problem' | 'status'> {
  const message = errorMessage(r.code as ErrorCode, lang);
  const name = r.field ? (FORM_FIELD[r.field] ?? r.field) : undefined;
  const status = STATUS_BY_CODE[r.code as ErrorCode] === 409 ? 409 : 422;
  return name && known.includes(name) ? { errors: { [name]: message }, status } : { problem: message, status };
}

const ADD_FIELDS = ['nik', 'fullName', 'birthDate', 'gender', 'phone', 'email', 'address', 'occupationCode', 'branchCode', 'income', 'programs', 'months'];

function addRequest(v: AddValues): SponsorRequest {
  const { income, programs, months, birthParts: _typed, ...worker } = v;
  return { worker: { ...worker, gender: v.gender === 'F' ? 'F' : 'M' }, programs, months, declaredIncome: parseRupiahInput(income) ?? 0 };
}

/** The sponsor's page /akun/sertakan and its forms; the worker's consent page (sertakan-consent.tsx). */
export const sertakanRoutes: PortalPage = (app, p) => {
  const { signedIn, toSignIn } = memberSession(p);
  const withMember = (handler: (c: PortalContext, participantId: string) => Promise<Response>) => async (c: PortalContext) => {
    const participantId = await signedIn(c);
    return participantId ? handler(c, participantId) : toSignIn(c);
  };
  const done = (c: PortalContext, key: string) => c.redirect(`${PAGE}?selesai=${key}`, 303);
  const DONE: Record<string, keyof T> = { ditambah: 'added', dibayar: 'billed', berhenti: 'stopped', diambil: 'takenOver' };

  // A refused form: 303 back to the page, what was typed and what is wrong waiting there (Post/Redirect/Get, forms.ts).
  const refused = (c: PortalContext, opts: PageOpts) => {
    const { errors = {}, status = 422, ...values } = opts;
    return redirectWithErrors(c, p, PAGE, { values, errors: errors as Record<string, string>, status });
  };

  app.get(PAGE, withMember(async (c, id) => {
    const flash = takeFormFlash<Omit<PageOpts, 'errors' | 'status'>>(c, p);
    if (flash) {
      return renderSponsorPage(c, p, id, { ...flash.values, errors: flash.errors, status: flash.status === 409 ? 409 : 422 });
    }
    const key = DONE[c.req.query('selesai') ?? ''];
    return renderSponsorPage(c, p, id, key ? { done: messagesFor(c.get('lang')).sertakan[key] } : {});
  }));
  app.post(PAGE, withMember(async (c, id) => {
    const v = readAdd(await c.req.parseBody());
    const birth = checkBirthDate(v.birthParts ?? datePartsOf(v.birthDate), localDateInJakarta(p.deps.clock.now()));
    if (!birth.ok) return refused(c, { add: v, errors: { birthDate: birthDateError(messagesFor(c.get('lang')).forms, birth.problem) }, status: 422 });
    if (v.gender !== 'M' && v.gender !== 'F') return refused(c, { add: v, errors: { gender: errorMessage('invalid_request', c.get('lang')) }, status: 422 });
    const made = await sponsorWorker(p.deps, id, addRequest(v));
    return made.ok ? done(c, 'ditambah') : refused(c, { add: v, ...refusalOpts(c.get('lang'), made, ADD_FIELDS) });
  }));
  app.post(`${PAGE}/kpj`, withMember(async (c, id) => {
    const form = await c.req.parseBody();
    const kpj = field(form, 'kpj', 20).trim();
    const made = await sponsorWorker(p.deps, id, { kpj, programs: [], declaredIncome: 0, months: monthsFromForm(field(form, 'months', 3)) });
    return made.ok ? done(c, 'ditambah') : refused(c, { kpj, ...refusalOpts(c.get('lang'), made, ['kpj']) });
  }));
  app.post(`${PAGE}/ambil-alih`, withMember(async (c, id) => {
    const taken = await takeOver(p.deps, id);
    return taken.ok ? done(c, 'diambil') : refused(c, refusalOpts(c.get('lang'), taken, []));
  }));
  app.post(`${PAGE}/:sid/bayar`, withMember(async (c, id) => {
    const months = monthsFromForm(field(await c.req.parseBody(), 'months', 3));
    const billed = await sponsorBill(p.deps, id, c.req.param('sid') ?? '', months);
    return billed.ok ? c.redirect(`/bayar/${billed.value.paymentCode}`, 303) : refused(c, refusalOpts(c.get('lang'), billed, []));
  }));
  app.post(`${PAGE}/:sid/berhenti`, withMember(async (c, id) => {
    const stopped = await stopSponsorship(p.deps, id, c.req.param('sid') ?? '');
    return stopped.ok ? done(c, 'berhenti') : refused(c, refusalOpts(c.get('lang'), stopped, []));
  }));
  consentRoutes(app, p);
};
