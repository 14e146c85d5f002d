import { callNext, endTicket, QUEUE_PURPOSES, type QueueDay, type QueuePurpose, queueDay, receiptPdf, takeTicket, ticketPdf, type TicketView } from '../../modules/counter/index.js';
import { branchDirectory } from '../../modules/reference/index.js';
import { errorMessage } from '../../http/messages.js';
import { CsrfInput, SelectField, TextField } from '../components/form.js';
import { PageTop } from '../components/page-top.js';
import { HeadRow } from '../components/table.js';
import type { PortalContext } from '../context.js';
import { field } from '../forms.js';
import { fill, type Lang } from '../i18n/catalogue.js';
import { formatDate, formatInstant } from '../i18n/format.js';
import { messagesFor, type Messages } from '../i18n/messages.js';
import type { FormView, StaffConsolePage, StaffKit } from './kit.js';
import type { StaffMember } from './layout.js';
import { rolesForEndpoints, sectionRoles } from './sections.js';

const HREF = '/staff/antrean';
type T = Messages['staffCounter'];

const PURPOSE_KEY = { registration: 'purposeRegistration', payment: 'purposePayment', claim: 'purposeClaim', other: 'purposeOther' } as const satisfies Record<QueuePurpose, keyof T>;
const purposeLabel = (t: T, p: QueuePurpose) => t[PURPOSE_KEY[p]];

/** 754 seconds → '12 mnt 34 dtk'; null → '—'. */
export function formatWait(t: T, seconds: number | null): string {
  return seconds === null ? t.noWait : fill(t.minutes, { m: Math.floor(seconds / 60), s: seconds % 60 });
}

function Summary(props: { t: T; day: QueueDay }) {
  const { t } = props;
  const s = props.day.summary;
  const rows: [string, string][] = [
    [t.sumTaken, String(s.taken)],
    [t.sumWaiting, String(s.waiting)],
    [t.sumCalled, String(s.called)],
    [t.sumServed, String(s.served)],
    [t.sumNoShow, String(s.noShow)],
    [t.sumMedian, formatWait(t, s.medianWaitSeconds)],
    [t.sumP90, formatWait(t, s.p90WaitSeconds)],
  ];
  return (
    <section aria-labelledby="ringkasan">
      <h2 id="ringkasan">{t.summaryTitle}</h2>
      <dl class="staff-facts">{rows.map(([k, v]) => [<dt>{k}</dt>, <dd>{v}</dd>])}</dl>
    </section>
  );
}

const ticketHref = (x: TicketView) => `${HREF}/${encodeURIComponent(x.id)}/tiket.pdf`;

function EndForm(props: { csrf: string; ticket: TicketView; outcome: 'dilayani' | 'tidak-hadir'; label: string }) {
  return (
    <form method="post" action={`${HREF}/${encodeURIComponent(props.ticket.id)}/${props.outcome}`} class="staff-inline-button">
      <CsrfInput token={props.csrf} />
      <button type="submit" class={props.outcome === 'tidak-hadir' ? 'secondary' : undefined}>{props.label}</button>
    </form>
  );
}

function AtDesks(props: { t: T; lang: Lang; csrf: string; tickets: TicketView[]; mayAct: boolean }) {
  const { t } = props;
  if (props.tickets.length === 0) return <p>{t.atDesksEmpty}</p>;
  const cols = [t.colNumber, t.colPurpose, t.colDesk, t.colWait].map((label) => ({ label }));
  return (
    <table class="staff-table">
      <caption>{t.atDesksCaption}</caption>
      <HeadRow columns={[...cols, ...(props.mayAct ? [{ label: t.colAction }] : [])]} />
      <tbody>
        {props.tickets.map((x) => (
          <tr>
            <td>{x.label}</td>
            <td>{purposeLabel(t, x.purpose)}</td>
            <td>{x.desk ?? '—'}</td>
            <td>{formatWait(t, x.waitSeconds)}</td>
            {props.mayAct ? (
              <td>
                <EndForm csrf={props.csrf} ticket={x} outcome="dilayani" label={fill(t.servedButton, { label: x.label })} />
                <EndForm csrf={props.csrf} ticket={x} outcome="tidak-hadir" label={fill(t.noShowButton, { label: x.label })} />
              </td>
            ) : null}
          </tr>
        ))}
      </tbody>
    </table>
  );
}

function Waiting(props: { t: T; lang: Lang; tickets: TicketView[] }) {
  const { t } = props;
  if (props.tickets.length === 0) return <p>{t.waitingEmpty}</p>;
  return (
    <table class="staff-table">
      <caption>{t.waitingCaption}</caption>
      <HeadRow columns={[t.colNumber, t.colPurpose, t.colTaken, t.colTicket].map((label) => ({ label }))} />
      <tbody>
        {props.tickets.map((x) => (
          <tr>
            <td>{x.label}</td>
            <td>{purposeLabel(t, x.purpose)}</td>
            <td>{formatInstant(new Date(x.takenAt), props.lang)}</td>
            <td>
              <a href={ticketHref(x)}>{fill(t.ticketLink, { label: x.label })}</a>
            </td>
          </tr>
        ))}
      </tbody>
    </table>
  );
}

interface DeskValues {
  desk: string;
  purpose?: QueuePurpose;
}

function ActionForms(props: { t: T; csrf: string; desk: string; deskError?: string | undefined }) {
  const { t } = props;
  return (
    <div class="staff-columns">
      <form method="post" action={`${HREF}/ambil`} class="card staff-form" aria-labelledby="ambil">
        <h2 id="ambil">{t.takeTitle}</h2>
        <CsrfInput token={props.csrf} />
        <SelectField name="purpose" label={t.purpose} value="payment" options={QUEUE_PURPOSES.map((p) => ({ value: p, label: purposeLabel(t, p) }))} required />
        <button type="submit">{t.takeButton}</button>
      </form>
      <form method="post" action={`${HREF}/panggil`} class="card staff-form" aria-labelledby="panggil">
        <h2 id="panggil">{t.callTitle}</h2>
        <CsrfInput token={props.csrf} />
        <TextField name="desk" label={t.desk} hint={t.deskHint} value={props.desk} error={props.deskError} maxlength={20} autocomplete="off" required />
        <button type="submit">{t.callButton}</button>
      </form>
    </div>
  );
}

function ReceiptForm(props: { t: T }) {
  const { t } = props;
  return (
    <form method="get" action={`${HREF}/slip.pdf`} class="card staff-form" aria-labelledby="slip">
      <h2 id="slip">{t.receiptTitle}</h2>
      <p>{t.receiptIntro}</p>
      <TextField name="kode" label={t.paymentCode} inputmode="numeric" pattern="[0-9]{16}" maxlength={16} autocomplete="off" required />
      <button type="submit">{t.receiptButton}</button>
    </form>
  );
}

async function queuePage(c: PortalContext, kit: StaffKit, staff: StaffMember, view: Partial<FormView<DeskValues>> = {}) {
  const lang = c.get('lang');
  const m = messagesFor(lang);
  const t = m.staffCounter;
  const mayAct = rolesForEndpoints(['POST /api/v1/staff/queue/next']).some((r) => staff.roles.includes(r));
  const day = await queueDay(kit.deps, { actor: staff.username });
  const desk = view.values?.desk ?? (c.req.query('loket') ?? '').slice(0, 20);
  const base = { title: t.title, staff, current: 'counterQueue' as const, flash: kit.takeFlash(c), ...(view.status ? { status: view.status } : {}) };
  if (!day.ok) {
    return kit.render(c, { ...base, body: <><h1>{t.title}</h1><p role="alert">{t.noBranch}</p></> });
  }
  const branch = (await branchDirectory(kit.deps.db)).name(day.value.branchCode);
  return kit.render(c, {
    ...base,
    body: (
      <>
        <PageTop title={t.title} errorSummaryTitle={m.common.errorSummaryTitle} errors={view.errors ?? {}} problem={view.problem} />
        <p>{fill(t.intro, { branch, date: formatDate(day.value.date, lang) })}</p>
        {mayAct ? <ActionForms t={t} csrf={c.get('csrf')} desk={desk} deskError={view.errors?.['desk']} /> : null}
        <h2>{t.sumCalled}</h2>
        <AtDesks t={t} lang={lang} csrf={c.get('csrf')} tickets={day.value.atDesks} mayAct={mayAct} />
        <h2>{t.sumWaiting}</h2>
        <Waiting t={t} lang={lang} tickets={day.value.waiting} />
        <Summary t={t} day={day.value} />
        {mayAct ? <ReceiptForm t={t} /> : null}
      </>
    ),
  });
}

const pdfResponse = (c: PortalContext, file: { pdf: Buffer; fileName: string }) =>
  c.body(new Uint8Array(file.pdf), 200, { 'Content-Type': 'application/pdf', 'Content-Disposition': `inline; filename="${file.fileName}"`, 'Cache-Control': 'private, no-store' });

function mountActions(app: Parameters<StaffConsolePage['mount']>[0], kit: StaffKit) {
  const roles = rolesForEndpoints(['POST /api/v1/staff/queue/next']);
  const tt = (c: PortalContext) => messagesFor(c.get('lang')).staffCounter;
  const rerender = (c: PortalContext, staff: StaffMember, view: FormView<DeskValues>) => queuePage(c, kit, staff, view);
  app.post(HREF + '/ambil', kit.formPost(roles, {
    read: (form) => ({ desk: '', purpose: QUEUE_PURPOSES.find((p) => p === field(form, 'purpose', 20)) ?? 'other' }),
    async act(v, staff, c) {
      const purpose = v.purpose ?? 'other';
      const done = await takeTicket(kit.deps, { actor: staff.username, purpose });
      if (!done.ok) return { refused: done.code };
      return { redirect: HREF, flash: fill(tt(c).taken, { label: done.value.label, purpose: purposeLabel(tt(c), purpose) }) };
    },
    refusals: { staff_without_branch: { status: 409 } },
    rerender,
  }));
  app.post(HREF + '/panggil', kit.formPost(roles, {
    read: (form) => ({ desk: field(form, 'desk', 40).trim() }),
    check: (v, c) => (v.desk.length >= 1 && v.desk.length <= 20 ? {} : { desk: tt(c).deskInvalid }),
    async act(v, staff, c) {
      const done = await callNext(kit.deps, { actor: staff.username, desk: v.desk });
      if (!done.ok) return { refused: done.code };
      const to = `${HREF}?loket=${encodeURIComponent(v.desk)}`;
      return { redirect: to, flash: done.value ? fill(tt(c).called, { label: done.value.label, desk: v.desk }) : tt(c).nobodyWaiting };
    },
    refusals: { staff_without_branch: { status: 409 } },
    rerender,
  }));
  for (const [path, outcome] of [['dilayani', 'served'], ['tidak-hadir', 'no_show']] as const) {
    app.post(`${HREF}/:id/${path}`, kit.formPost(roles, {
      read: () => ({ desk: '' }),
      async act(_v, staff, c) {
        const done = await endTicket(kit.deps, { actor: staff.username, id: (c.req.param('id') ?? '').slice(0, 64), outcome });
        if (!done.ok) return { refused: done.code };
        const text = outcome === 'served' ? tt(c).served : tt(c).noShow;
        return { redirect: `${HREF}?loket=${encodeURIComponent(done.value.desk ?? '')}`, flash: fill(text, { label: done.value.label }) };
      },
      refusals: { staff_without_branch: { status: 409 }, unknown_ticket: { status: 409 }, ticket_not_called: { status: 409 } },
      rerender,
    }));
  }
}

/**
 * /staff/antrean, "Antrean loket" (counter, supervisor — as GET /api/v1/staff/queue): the queue of the staff member's
 * branch today — counter officers take a number, call the next one to their desk, mark it served or a no-show (the
 * same use cases as the API, audited) and print the A6 ticket and a bill's payment slip; the day's waiting summary.
 */
export const counterQueueRoutes: StaffConsolePage = {
  section: 'counterQueue',
  mount(app, kit) {
    app.get(HREF, kit.requireStaffPage(sectionRoles('counterQueue'), (c, staff) => queuePage(c, kit, staff)));
    app.get(`${HREF}/:id/tiket.pdf`, kit.requireStaffPage(sectionRoles('counterQueue'), async (c, staff) => {
      const file = await ticketPdf(kit.deps, { actor: staff.username, id: (c.req.param('id') ?? '').slice(0, 64) });
      return file.ok ? pdfResponse(c, file.value) : queuePage(c, kit, staff, { status: 409, problem: errorMessage(file.code, c.get('lang')) });
    }));
    app.get(`${HREF}/slip.pdf`, kit.requireStaffPage(rolesForEndpoints(['GET /api/v1/staff/bills/{paymentCode}/receipt.pdf']), async (c, staff) => {
      const code = (c.req.query('kode') ?? '').replace(/\s/g, '');
      if (!/^\d{16}$/.test(code)) return queuePage(c, kit, staff, { status: 422, errors: {}, problem: messagesFor(c.get('lang')).staffCounter.paymentCodeInvalid });
      const file = await receiptPdf(kit.deps, { actor: staff.username, paymentCode: code });
      return file.ok ? pdfResponse(c, file.value) : queuePage(c, kit, staff, { status: 422, problem: errorMessage(file.code, c.get('lang')) });
    }));
    mountActions(app, kit);
  },
};
