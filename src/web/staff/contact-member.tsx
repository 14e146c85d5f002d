import { COMPLAINT_CATEGORIES, listComplaints, memberTimeline, openComplaint, resendCard, resendPaymentCode, resolveComplaint, unlockOtp, type ComplaintView, type TimelineEvent } from '../../modules/contact-centre/index.js';
import { sealedNikLast4 } from '../../modules/identity/index.js';
import { findParticipantByKpj, getMemberSummary, memberFunding } from '../../modules/membership/index.js';
import { mayCall } from '../../modules/staff/index.js';
import { CsrfInput, SelectField, TextArea } from '../components/form.js';
import { PageTop } from '../components/page-top.js';
import { HeadRow } from '../components/table.js';
import type { PortalContext } from '../context.js';
import { field } from '../forms.js';
import { fill, type Lang } from '../i18n/catalogue.js';
import { formatInstant, formatMonth } from '../i18n/format.js';
import { messagesFor, type Messages } from '../i18n/messages.js';
import { notFoundPage } from '../pages/errors.js';
import { CONTACT_HREF } from './contact-search.js';
import { FundingSection } from './funding-section.js';
import type { FormView, StaffConsolePage, StaffKit } from './kit.js';
import type { StaffMember } from './layout.js';
import { rolesForEndpoints, sectionRoles } from './sections.js';

type T = Messages['staffContact'];
type Values = Record<string, string>;
const PAGE_SIZE = 25;

function detailText(e: TimelineEvent): string {
  return Object.entries(e.detail)
    .filter(([, v]) => v !== null && v !== '')
    .map(([k, v]) => `${k}: ${String(v)}`)
    .join(', ');
}

function Timeline(props: { t: T; lang: Lang; kpj: string; events: TimelineEvent[]; page: number; hasMore: boolean }) {
  const { t } = props;
  if (props.events.length === 0) {
    return <p>{t.timelineEmpty}</p>;
  }
  const href = `${CONTACT_HREF}/${encodeURIComponent(props.kpj)}`;
  return (
    <>
      <table class="staff-table">
        <caption>{t.timelineCaption}</caption>
        <HeadRow columns={[{ label: t.colWhen }, { label: t.colWhat }, { label: t.colRef }, { label: t.colDetail }]} />
        <tbody>
          {props.events.map((e) => (
            <tr>
              <td>{formatInstant(e.at, props.lang)}</td>
              <td>{t[`kind_${e.kind}`]}</td>
              <td>{e.ref}</td>
              <td>{detailText(e)}</td>
            </tr>
          ))}
        </tbody>
      </table>
      <p>
        {props.hasMore ? <a href={`${href}?hal=${props.page + 1}#riwayat`}>{t.olderPage}</a> : null} {props.page > 0 ? <a href={`${href}#riwayat`}>{t.newestPage}</a> : null}
      </p>
    </>
  );
}

function ActionForm(props: { c: PortalContext; t: T; action: string; name: string; button: string; values: Values; errors: Partial<Record<string, string>> }) {
  return (
    <form method="post" action={props.action} class="card staff-form">
      <CsrfInput token={props.c.get('csrf')} />
      <TextArea name={props.name} label={props.t.reason} hint={props.t.reasonHint} value={props.values[props.name] ?? ''} error={props.errors[props.name]} maxlength={500} required />
      <button type="submit">{props.button}</button>
    </form>
  );
}

function Complaints(props: { c: PortalContext; t: T; lang: Lang; href: string; complaints: ComplaintView[]; mayAct: boolean; values: Values; errors: Partial<Record<string, string>> }) {
  const { t } = props;
  if (props.complaints.length === 0) {
    return <p>{t.noComplaints}</p>;
  }
  return (
    <table class="staff-table">
      <caption>{t.complaintsCaption}</caption>
      <HeadRow columns={[{ label: t.colOpened }, { label: t.colCategory }, { label: t.description }, { label: t.colSla }, { label: t.colComplaintStatus }]} />
      <tbody>
        {props.complaints.map((k) => (
          <tr>
            <td>{`${k.id} · ${formatInstant(new Date(k.openedAt), props.lang)}`}</td>
            <td>{t[`cat_${k.category as (typeof COMPLAINT_CATEGORIES)[number]}`]}</td>
            <td>{k.description}</td>
            <td>{`${formatInstant(new Date(k.slaDueAt), props.lang)}${k.overdue ? ` — ${t.overdue}` : ''}`}</td>
            <td>
              {k.status === 'resolved' ? `${t.statusResolved}: ${k.resolution ?? ''}` : t.statusOpen}
              {k.status === 'open' && props.mayAct ? (
                <form method="post" action={`${props.href}/pengaduan/${encodeURIComponent(k.id)}/selesai`}>
                  <CsrfInput token={props.c.get('csrf')} />
                  <TextArea name={`res-${k.id}`} label={t.resolution} value={props.values[`res-${k.id}`] ?? ''} error={props.errors[`res-${k.id}`]} maxlength={2000} required />
                  <button type="submit">{t.resolve}</button>
                </form>
              ) : null}
            </td>
          </tr>
        ))}
      </tbody>
    </table>
  );
}

async function memberPage(c: PortalContext, kit: StaffKit, staff: StaffMember, kpj: string, view: Partial<FormView<Values>> = {}) {
  const p = await findParticipantByKpj(kit.deps.db, kpj);
  const summary = p ? await getMemberSummary(kit.deps, p.id) : null;
  if (!p || !summary) {
    return notFoundPage(c, kit.p);
  }
  const lang = c.get('lang');
  const m = messagesFor(lang);
  const t = m.staffContact;
  const page = Math.min(Math.max(Number.parseInt(c.req.query('hal') ?? '0', 10) || 0, 0), 1000);
  const timeline = await memberTimeline(kit.deps.db, p, { page, pageSize: PAGE_SIZE, now: kit.deps.clock.now() });
  const complaints = await listComplaints(kit.deps, p);
  const funding = await memberFunding(kit.deps, p.id);
  const mayAct = mayCall(staff.roles, 'POST', `/api/v1/staff/participants/${p.kpj}/complaints`);
  const href = `${CONTACT_HREF}/${encodeURIComponent(p.kpj)}`;
  const v = view.values ?? {};
  const e = view.errors ?? {};
  const title = fill(t.memberTitle, { kpj: p.kpj });
  const categories = COMPLAINT_CATEGORIES.map((k) => ({ value: k, label: t[`cat_${k}`] }));
  return kit.render(c, {
    title,
    staff,
    current: 'contact',
    status: view.status ?? 200,
    flash: view.status ? null : kit.takeFlash(c),
    body: (
      <>
        <p>
          <a href={CONTACT_HREF}>{t.backToSearch}</a>
        </p>
        <PageTop title={title} errorSummaryTitle={m.common.errorSummaryTitle} errors={e} problem={view.problem} />
        <h2>{t.factsTitle}</h2>
        <dl class="staff-facts">
          <dt>{t.name}</dt>
          <dd>{p.full_name}</dd>
          <dt>{t.nikMasked}</dt>
          <dd>{sealedNikLast4(p.nik_sealed, kit.deps.config.nik)}</dd>
          <dt>{t.status}</dt>
          <dd>{summary.status}</dd>
          <dt>{t.coveredThrough}</dt>
          <dd>{formatMonth(summary.coveredThrough, lang)}</dd>
        </dl>
        <FundingSection m={m} lang={lang} funding={funding} />
        {mayCall(staff.roles, 'PATCH', `/api/v1/staff/participants/${p.kpj}`) ? <p><a href={`${href}/ubah-data`}>{m.profile.staffLink}</a></p> : null}
        {mayAct ? (
          <>
            <h2>{t.actionsTitle}</h2>
            <ActionForm c={c} t={t} action={`${href}/kartu`} name="cardReason" button={t.resendCard} values={v} errors={e} />
            <ActionForm c={c} t={t} action={`${href}/kode-bayar`} name="codeReason" button={t.resendCode} values={v} errors={e} />
            <ActionForm c={c} t={t} action={`${href}/buka-otp`} name="otpReason" button={t.unlockOtp} values={v} errors={e} />
          </>
        ) : null}
        <h2 id="pengaduan">{t.complaintsTitle}</h2>
        <Complaints c={c} t={t} lang={lang} href={href} complaints={complaints} mayAct={mayAct} values={v} errors={e} />
        {mayAct ? (
          <form method="post" action={`${href}/pengaduan`} class="card staff-form">
            <CsrfInput token={c.get('csrf')} />
            <SelectField name="category" label={t.category} value={v['category'] ?? 'payment'} options={categories} />
            <TextArea name="description" label={t.description} value={v['description'] ?? ''} error={e['description']} maxlength={2000} required />
            <button type="submit">{t.openComplaint}</button>
          </form>
        ) : null}
        <h2 id="riwayat">{t.timelineTitle}</h2>
        <Timeline t={t} lang={lang} kpj={p.kpj} events={timeline.events} page={page} hasMore={timeline.hasMore} />
      </>
    ),
  });
}

const kpjOf = (c: PortalContext) => (c.req.param('kpj') ?? '').slice(0, 32);
const textOk = (s: string, max: number) => s.length >= 3 && s.length <= max;

/**
 * /staff/layanan/{kpj}: the member page of the contact centre — facts (NIK masked to its last 4 digits), the
 * timeline (paged, ?hal=), and for the contact centre the action forms: resend the card, resend the payment code,
 * unlock the OTP (each with a reason), open and resolve complaints. The same use cases as the API, audited.
 */
export const contactMemberRoutes: StaffConsolePage = {
  mount(app, kit) {
    app.get(`${CONTACT_HREF}/:kpj`, kit.requireStaffPage(sectionRoles('contact'), (c, staff) => memberPage(c, kit, staff, kpjOf(c))));
    const rerender = (c: PortalContext, staff: StaffMember, view: FormView<Values>) => memberPage(c, kit, staff, kpjOf(c), view);
    const member = async (c: PortalContext) => {
      const p = await findParticipantByKpj(kit.deps.db, kpjOf(c));
      if (!p) {
        throw new Error('unknown participant');
      }
      return p;
    };
    const back = (c: PortalContext) => `${CONTACT_HREF}/${encodeURIComponent(kpjOf(c))}`;
    const reasonAction = (path: string, api: string, name: string, act: (c: PortalContext, by: { actor: string; reason: string }) => Promise<string | { refused: 'no_open_bill' }>) =>
      app.post(
        `${CONTACT_HREF}/:kpj/${path}`,
        kit.formPost(rolesForEndpoints([api]), {
          read: (form) => ({ [name]: field(form, name, 600).trim() }),
          check: (v, c) => (textOk(v[name] ?? '', 500) ? {} : { [name]: messagesFor(c.get('lang')).staffContact.reasonInvalid }),
          async act(v, staff, c) {
            const flash = await act(c, { actor: staff.username, reason: v[name] ?? '' });
            return typeof flash === 'string' ? { redirect: back(c), flash } : flash;
          },
          refusals: { no_open_bill: { status: 409 } },
          rerender,
        }),
      );
    const tOf = (c: PortalContext) => messagesFor(c.get('lang')).staffContact;
    reasonAction('kartu', 'POST /api/v1/staff/participants/{kpj}/card-resend', 'cardReason', async (c, by) => {
      await resendCard(kit.deps, await member(c), by);
      return tOf(c).cardSent;
    });
    reasonAction('kode-bayar', 'POST /api/v1/staff/participants/{kpj}/payment-code-resend', 'codeReason', async (c, by) => {
      const sent = await resendPaymentCode(kit.deps, await member(c), by);
      return sent.ok ? fill(tOf(c).codeSent, { code: sent.value.paymentCode }) : { refused: 'no_open_bill' };
    });
    reasonAction('buka-otp', 'POST /api/v1/staff/participants/{kpj}/otp-unlock', 'otpReason', async (c, by) => {
      await unlockOtp(kit.deps, await member(c), by);
      return tOf(c).otpUnlocked;
    });
    mountComplaintForms(app, kit, { member, back, rerender, tOf });
  },
};

function mountComplaintForms(
  app: Parameters<StaffConsolePage['mount']>[0],
  kit: StaffKit,
  h: {
    member: (c: PortalContext) => Promise<{ id: string; kpj: string }>;
    back: (c: PortalContext) => string;
    rerender: (c: PortalContext, staff: StaffMember, view: FormView<Values>) => Promise<Response>;
    tOf: (c: PortalContext) => T;
  },
) {
  app.post(
    `${CONTACT_HREF}/:kpj/pengaduan`,
    kit.formPost(rolesForEndpoints(['POST /api/v1/staff/participants/{kpj}/complaints']), {
      read: (form) => ({ category: field(form, 'category', 20), description: field(form, 'description', 2100).trim() }),
      check: (v, c) => ({
        ...(COMPLAINT_CATEGORIES.some((k) => k === v['category']) ? {} : { category: h.tOf(c).category }),
        ...(textOk(v['description'] ?? '', 2000) ? {} : { description: h.tOf(c).descriptionInvalid }),
      }),
      async act(v, staff, c) {
        const category = COMPLAINT_CATEGORIES.find((k) => k === v['category']) ?? 'other';
        const done = await openComplaint(kit.deps, await h.member(c), { category, description: v['description'] ?? '', actor: staff.username });
        return { redirect: `${h.back(c)}#pengaduan`, flash: fill(h.tOf(c).complaintOpened, { id: done.id, due: formatInstant(new Date(done.slaDueAt), c.get('lang')) }) };
      },
      rerender: h.rerender,
    }),
  );
  const idOf = (c: PortalContext) => (c.req.param('id') ?? '').slice(0, 64);
  app.post(
    `${CONTACT_HREF}/:kpj/pengaduan/:id/selesai`,
    kit.formPost(rolesForEndpoints(['POST /api/v1/staff/complaints/{id}/resolve']), {
      read: (form) => Object.fromEntries(Object.keys(form).filter((k) => k.startsWith('res-')).map((k) => [k.slice(0, 80), field(form, k, 2100).trim()])),
      check: (v, c) => (textOk(v[`res-${idOf(c)}`] ?? '', 2000) ? {} : { [`res-${idOf(c)}`]: h.tOf(c).resolutionInvalid }),
      async act(v, staff, c) {
        const done = await resolveComplaint(kit.deps, idOf(c), { resolution: v[`res-${idOf(c)}`] ?? '', actor: staff.username });
        return done.ok ? { redirect: `${h.back(c)}#pengaduan`, flash: fill(h.tOf(c).complaintResolved, { id: done.value.id }) } : { refused: done.code };
      },
      refusals: { unknown_complaint: { status: 409 }, complaint_resolved: { status: 409 } },
      rerender: h.rerender,
    }),
  );
}
