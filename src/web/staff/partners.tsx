import { createPartnerByStaff, issueClientByStaff, listPartnersForStaff, PARTNER_FUNDINGS, PARTNER_SCOPES, type PartnerDetail, partnerForStaff, type PartnerFunding, type PartnerListItem, type PartnerScope, revokeClientByStaff } from '../../modules/partners/index.js';
import { payerBillView, type PayerBillView } from '../../modules/payer-bills/index.js';
import { CsrfInput, type FieldErrors, SelectField, TextField } from '../components/form.js';
import { PageTop } from '../components/page-top.js';
import { HeadRow } from '../components/table.js';
import type { PortalContext } from '../context.js';
import { field, type Form } from '../forms.js';
import { fill } from '../i18n/catalogue.js';
import { formatInstant } from '../i18n/format.js';
import { messagesFor, type Messages } from '../i18n/messages.js';
import type { StaffMember } from './layout.js';
import type { FormView, StaffConsolePage, StaffKit } from './kit.js';
import { sectionRoles } from './sections.js';

type T = Messages['staffChannels'];
type CreateValues = { name: string; funding: string; scopes: string[] };
type IssueValues = { scopes: string[] };

export const PARTNERS_HREF = '/staff/mitra';

const FUNDING_LABEL = { partner: 'fundingPartner', sponsor: 'fundingSponsor', apbn: 'fundingApbn', apbd: 'fundingApbd' } as const satisfies Record<PartnerFunding, keyof T>;
const SCOPE_LABEL = { enrolment: 'scopeEnrolment', members: 'scopeMembers', webhooks: 'scopeWebhooks' } as const satisfies Record<PartnerScope, keyof T>;
const BATCH_LABEL: Record<string, keyof T> = { queued: 'batchQueued', running: 'batchRunning', done: 'batchDone' };
const BILL_LABEL = { open: 'billOpen', paid: 'billPaid', settling: 'billSettling', expired: 'billExpired', cancelled: 'billCancelled' } as const satisfies Record<PayerBillView['status'], keyof T>;

function fundingLabel(t: T, funding: string): string {
  return funding in FUNDING_LABEL ? t[FUNDING_LABEL[funding as PartnerFunding]] : funding;
}

/** The scopes as one checkbox each (own names: the kit reads a form's fields once each). */
function ScopeChecks(props: { t: T; chosen: readonly string[] | undefined; error: string | undefined }) {
  const { t } = props;
  return (
    <fieldset id="scopes" class={`field choices inline${props.error ? ' field-error' : ''}`} aria-describedby={props.error ? 'scopes-error' : undefined}>
      <legend>{t.scopes}</legend>
      {props.error ? (
        <p id="scopes-error" class="error">
          {props.error}
        </p>
      ) : null}
      {PARTNER_SCOPES.map((s) => (
        <div class="choice">
          <input type="checkbox" id={`scope-${s}`} name={`scope-${s}`} value="1" checked={props.chosen === undefined || props.chosen.includes(s)} />
          <label for={`scope-${s}`}>{t[SCOPE_LABEL[s]]}</label>
        </div>
      ))}
    </fieldset>
  );
}

function PartnersTable(props: { t: T; partners: PartnerListItem[] }) {
  const { t } = props;
  if (props.partners.length === 0) {
    return <p>{t.partnersEmpty}</p>;
  }
  return (
    <table class="staff-table">
      <caption>{t.partnersCaption}</caption>
      <HeadRow columns={[{ label: t.colName }, { label: t.colFunding }, { label: t.colActiveClients, num: true }, { label: t.colBatches, num: true }]} />
      <tbody>
        {props.partners.map((p) => (
          <tr>
            <td>
              <a href={`${PARTNERS_HREF}/${encodeURIComponent(p.id)}`}>{p.name}</a>
            </td>
            <td>{fundingLabel(t, p.funding)}</td>
            <td class="num">{p.activeClients}</td>
            <td class="num">{p.batches}</td>
          </tr>
        ))}
      </tbody>
    </table>
  );
}

async function partnersPage(c: PortalContext, kit: StaffKit, staff: StaffMember, view: Partial<FormView<CreateValues>> = {}) {
  const m = messagesFor(c.get('lang'));
  const t = m.staffChannels;
  const errors: FieldErrors = view.errors ?? {};
  const v = view.values;
  const fundings = PARTNER_FUNDINGS.map((f) => ({ value: f, label: fundingLabel(t, f) }));
  return kit.render(c, {
    title: t.partnersTitle,
    staff,
    current: 'partners',
    status: view.status ?? 200,
    flash: view.status === undefined ? kit.takeFlash(c) : null,
    body: (
      <>
        <PageTop title={t.partnersTitle} errorSummaryTitle={m.common.errorSummaryTitle} errors={errors} problem={view.problem} />
        <p>{t.partnersIntro}</p>
        <PartnersTable t={t} partners={await listPartnersForStaff(kit.deps.db, kit.deps.clock.now())} />
        <section aria-labelledby="tambah-mitra">
          <h2 id="tambah-mitra">{t.createPartnerTitle}</h2>
          <form method="post" action={PARTNERS_HREF} class="card staff-form">
            <CsrfInput token={c.get('csrf')} />
            <TextField name="name" label={t.name} value={v?.name} error={errors['name']} autocomplete="off" maxlength={200} required />
            <SelectField name="funding" label={t.funding} options={fundings} value={v?.funding} error={errors['funding']} required />
            <ScopeChecks t={t} chosen={v?.scopes} error={errors['scopes']} />
            <button type="submit">{t.createPartner}</button>
          </form>
        </section>
      </>
    ),
  });
}

function clientState(t: T, client: PartnerDetail['clients'][number], now: Date): string {
  if (client.revokedAt) return t.clientRevokedState;
  if (client.expiresAt && client.expiresAt.getTime() <= now.getTime()) return t.clientExpired;
  return t.clientActive;
}

function ClientsTable(props: { t: T; c: PortalContext; partner: PartnerDetail; now: Date }) {
  const { t, c, partner } = props;
  if (partner.clients.length === 0) {
    return <p>{t.clientsEmpty}</p>;
  }
  const lang = c.get('lang');
  return (
    <table class="staff-table">
      <caption>{t.clientsCaption}</caption>
      <HeadRow columns={[{ label: t.colClientId }, { label: t.colScopes }, { label: t.colCreated }, { label: t.colState }, { label: t.colAction }]} />
      <tbody>
        {partner.clients.map((cl) => (
          <tr>
            <td>
              <code>{cl.clientId}</code>
            </td>
            <td>{cl.scopes.map((s) => (s in SCOPE_LABEL ? t[SCOPE_LABEL[s as PartnerScope]] : s)).join(', ')}</td>
            <td>{formatInstant(cl.createdAt, lang)}</td>
            <td>{clientState(t, cl, props.now)}</td>
            <td>
              {cl.revokedAt ? null : (
                <form method="post" action={`${PARTNERS_HREF}/${encodeURIComponent(partner.id)}/klien/${encodeURIComponent(cl.clientId)}/cabut`}>
                  <CsrfInput token={c.get('csrf')} />
                  <button type="submit" class="secondary">
                    {fill(t.revoke, { clientId: cl.clientId })}
                  </button>
                </form>
              )}
            </td>
          </tr>
        ))}
      </tbody>
    </table>
  );
}

function BatchesTable(props: { t: T; lang: 'id' | 'en'; partner: PartnerDetail; bills: Map<string, PayerBillView> }) {
  const { t, partner } = props;
  if (partner.recentBatches.length === 0) {
    return <p>{t.batchesEmpty}</p>;
  }
  const columns = [{ label: t.colBatch }, { label: t.colCreated }, { label: t.colStatus }, { label: t.colAccepted, num: true }, { label: t.colRejected, num: true }, { label: t.colBill }, { label: t.colBillStatus }];
  return (
    <table class="staff-table">
      <caption>{t.batchesCaption}</caption>
      <HeadRow columns={columns} />
      <tbody>
        {partner.recentBatches.map((b) => {
          const bill = b.payerBillId ? props.bills.get(b.payerBillId) : undefined;
          const batchLabel = BATCH_LABEL[b.status];
          return (
            <tr>
              <td>
                <code>{b.id}</code>
              </td>
              <td>{formatInstant(b.createdAt, props.lang)}</td>
              <td>{batchLabel ? t[batchLabel] : b.status}</td>
              <td class="num">{b.accepted}</td>
              <td class="num">{b.rejected}</td>
              <td>{bill ? <code>{bill.paymentCode}</code> : t.noBill}</td>
              <td>{bill ? t[BILL_LABEL[bill.status]] : t.noBill}</td>
            </tr>
          );
        })}
      </tbody>
    </table>
  );
}

async function partnerPage(c: PortalContext, kit: StaffKit, staff: StaffMember, id: string, view: Partial<FormView<IssueValues>> = {}) {
  const m = messagesFor(c.get('lang'));
  const t = m.staffChannels;
  const now = kit.deps.clock.now();
  const partner = await partnerForStaff(kit.deps.db, id, now);
  if (!partner) {
    return c.notFound();
  }
  const bills = new Map<string, PayerBillView>();
  for (const b of partner.recentBatches) {
    const bill = b.payerBillId ? await payerBillView(kit.deps.db, b.payerBillId, now) : null;
    if (bill) bills.set(bill.id, bill);
  }
  const errors: FieldErrors = view.errors ?? {};
  const title = fill(t.partnerTitle, { name: partner.name });
  return kit.render(c, {
    title,
    staff,
    current: 'partners',
    status: view.status ?? 200,
    flash: view.status === undefined ? kit.takeFlash(c) : null,
    body: (
      <>
        <PageTop title={title} errorSummaryTitle={m.common.errorSummaryTitle} errors={errors} problem={view.problem} />
        <p>
          {t.colFunding}: {fundingLabel(t, partner.funding)}. <a href={PARTNERS_HREF}>{t.backToPartners}</a>
        </p>
        <h2>{t.clientsTitle}</h2>
        <ClientsTable t={t} c={c} partner={partner} now={now} />
        <section aria-labelledby="terbitkan-klien">
          <h2 id="terbitkan-klien">{t.issueTitle}</h2>
          <form method="post" action={`${PARTNERS_HREF}/${encodeURIComponent(partner.id)}/klien`} class="card staff-form">
            <CsrfInput token={c.get('csrf')} />
            <ScopeChecks t={t} chosen={view.values?.scopes} error={errors['scopes']} />
            <button type="submit">{t.issue}</button>
          </form>
        </section>
        <h2>{t.batchesTitle}</h2>
        <BatchesTable t={t} lang={c.get('lang')} partner={partner} bills={bills} />
      </>
    ),
  });
}

function readScopes(form: Form): string[] {
  return PARTNER_SCOPES.filter((s) => field(form, `scope-${s}`, 5) === '1');
}

function checkScopes(v: { scopes: string[] }, c: PortalContext): FieldErrors {
  return v.scopes.length > 0 ? {} : { scopes: messagesFor(c.get('lang')).staffChannels.scopesMissing };
}

/**
 * /staff/mitra (admin, as the partners staff API): the partners, adding one (its first client), and per partner
 * (/staff/mitra/{id}) its clients — issue a new secret, revoke one — and its batches with their collective bills.
 * A new secret is shown once: in the sealed flash after the redirect; it is in no log and no audit entry.
 */
export const partnersRoutes: StaffConsolePage = {
  section: 'partners',
  mount(app, kit) {
    const roles = sectionRoles('partners');
    app.get(PARTNERS_HREF, kit.requireStaffPage(roles, (c, staff) => partnersPage(c, kit, staff)));
    app.get(`${PARTNERS_HREF}/:id`, kit.requireStaffPage(roles, (c, staff) => partnerPage(c, kit, staff, c.req.param('id') ?? '')));
    app.post(
      PARTNERS_HREF,
      kit.formPost(roles, {
        read: (form): CreateValues => ({ name: field(form, 'name', 200).trim(), funding: field(form, 'funding', 20), scopes: readScopes(form) }),
        check(v, c) {
          const t = messagesFor(c.get('lang')).staffChannels;
          return { ...(v.name.length > 0 ? {} : { name: t.nameMissing }), ...((PARTNER_FUNDINGS as readonly string[]).includes(v.funding) ? {} : { funding: t.funding }), ...checkScopes(v, c) };
        },
        async act(v, staff, c) {
          const created = await createPartnerByStaff(kit.deps, { name: v.name, funding: v.funding as PartnerFunding, scopes: v.scopes as PartnerScope[] }, staff.username);
          const flash = fill(messagesFor(c.get('lang')).staffChannels.partnerCreated, { name: created.name, clientId: created.clientId, secret: created.clientSecret });
          return { redirect: `${PARTNERS_HREF}/${encodeURIComponent(created.id)}`, flash };
        },
        rerender: (c, staff, view) => partnersPage(c, kit, staff, view),
      }),
    );
    app.post(
      `${PARTNERS_HREF}/:id/klien`,
      kit.formPost(roles, {
        read: (form): IssueValues => ({ scopes: readScopes(form) }),
        check: checkScopes,
        async act(v, staff, c) {
          const id = c.req.param('id') ?? '';
          const issued = await issueClientByStaff(kit.deps, id, { scopes: v.scopes as PartnerScope[], expiresAt: null }, staff.username);
          if (!issued.ok) return { refused: issued.code };
          const flash = fill(messagesFor(c.get('lang')).staffChannels.secretIssued, { clientId: issued.value.clientId, secret: issued.value.clientSecret });
          return { redirect: `${PARTNERS_HREF}/${encodeURIComponent(id)}`, flash };
        },
        refusals: { unknown_partner: { status: 422 } },
        rerender: (c, staff, view) => partnerPage(c, kit, staff, c.req.param('id') ?? '', view),
      }),
    );
    app.post(
      `${PARTNERS_HREF}/:id/klien/:clientId/cabut`,
      kit.formPost(roles, {
        read: () => ({}),
        async act(_v, staff, c) {
          const id = c.req.param('id') ?? '';
          const clientId = c.req.param('clientId') ?? '';
          const revoked = await revokeClientByStaff(kit.deps, id, clientId, staff.username);
          if (!revoked.ok) return { refused: revoked.code };
          return { redirect: `${PARTNERS_HREF}/${encodeURIComponent(id)}`, flash: fill(messagesFor(c.get('lang')).staffChannels.clientRevoked, { clientId }) };
        },
        refusals: { unknown_partner_client: { status: 409 } },
        rerender: (c, staff, view) => partnerPage(c, kit, staff, c.req.param('id') ?? '', { ...view, values: { scopes: [...PARTNER_SCOPES] } }),
      }),
    );
  },
};
