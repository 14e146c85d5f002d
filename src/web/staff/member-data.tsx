import { sealedNikLast4 } from '../../modules/identity/index.js';
import { findParticipantByKpj, memberProfile } from '../../modules/membership/index.js';
import { branchDirectory, listOccupations } from '../../modules/reference/index.js';
import type { FieldErrors } from '../components/form.js';
import { MemberDataSections } from '../components/member-data-forms.js';
import { PageTop } from '../components/page-top.js';
import type { PortalContext } from '../context.js';
import { messagesFor } from '../i18n/messages.js';
import { applyMemberDataForm, MEMBER_DATA_FORMS } from '../member-data-actions.js';
import { notFoundPage } from '../pages/errors.js';
import { CONTACT_HREF } from './contact-search.js';
import type { StaffConsolePage, StaffKit } from './kit.js';
import type { StaffMember } from './layout.js';
import { rolesForEndpoints } from './sections.js';

/** Who may change a member's data at the counter: the roles of the API endpoint (STAFF_POLICY). */
const ROLES = rolesForEndpoints(['PATCH /api/v1/staff/participants/{kpj}', 'POST /api/v1/staff/participants/{kpj}/phone/confirm']);
const kpjOf = (c: PortalContext) => (c.req.param('kpj') ?? '').slice(0, 32);
const pageHref = (kpj: string) => `${CONTACT_HREF}/${encodeURIComponent(kpj)}/ubah-data`;

interface View {
  values: Record<string, string>;
  errors: FieldErrors;
  status: 200 | 422;
}

async function memberDataPage(c: PortalContext, kit: StaffKit, staff: StaffMember, kpj: string, view: View = { values: {}, errors: {}, status: 200 }) {
  const p = await findParticipantByKpj(kit.deps.db, kpj);
  const profile = p ? await memberProfile(kit.deps, p.id) : null;
  if (!p || !profile) {
    return notFoundPage(c, kit.p);
  }
  const lang = c.get('lang');
  const m = messagesFor(lang);
  const t = m.profile;
  const title = `${t.staffTitle} — ${p.kpj}`;
  return kit.render(c, {
    title,
    staff,
    current: 'contact',
    status: view.status,
    flash: view.status === 200 ? kit.takeFlash(c) : null,
    body: (
      <>
        <p>
          <a href={`${CONTACT_HREF}/${encodeURIComponent(p.kpj)}`}>{t.back2}</a>
        </p>
        <PageTop title={title} errorSummaryTitle={m.common.errorSummaryTitle} errors={view.errors} />
        <p>{t.staffIntro}</p>
        <dl class="staff-facts">
          <dt>{m.staffContact.name}</dt>
          <dd>{p.full_name}</dd>
          <dt>{m.staffContact.nikMasked}</dt>
          <dd>{sealedNikLast4(p.nik_sealed, kit.deps.config.nik)}</dd>
        </dl>
        <MemberDataSections m={m} lang={lang} csrf={c.get('csrf')} base={pageHref(p.kpj)} profile={profile} occupations={await listOccupations(kit.deps.db)} branches={await branchDirectory(kit.deps.db)} values={view.values} errors={view.errors} staff />
      </>
    ),
  });
}

/**
 * /staff/layanan/{kpj}/ubah-data, "Ubah data peserta": the counter changes a member's data with the KTP checked in
 * person (a box to tick on every form), through the same use cases as PATCH /api/v1/staff/participants/{kpj}; a new
 * phone is confirmed with the SMS code the member reads out, a new e-mail by its link. Audited as the officer.
 */
export const memberDataRoutes: StaffConsolePage = {
  mount(app, kit) {
    app.get(`${CONTACT_HREF}/:kpj/ubah-data`, kit.requireStaffPage(ROLES, (c, staff) => memberDataPage(c, kit, staff, kpjOf(c))));
    for (const form of MEMBER_DATA_FORMS) {
      const path = form === 'data' ? `${CONTACT_HREF}/:kpj/ubah-data` : `${CONTACT_HREF}/:kpj/ubah-data/${form}`;
      app.post(
        path,
        kit.requireStaffPage(ROLES, async (c, staff) => {
          const p = await findParticipantByKpj(kit.deps.db, kpjOf(c));
          if (!p) {
            return notFoundPage(c, kit.p);
          }
          const outcome = await applyMemberDataForm(kit.deps, p.id, form, await kit.readForm(c), { kind: 'staff', username: staff.username }, c.get('lang'));
          if (outcome.ok) {
            return kit.redirectWithFlash(c, pageHref(p.kpj), outcome.done);
          }
          return memberDataPage(c, kit, staff, p.kpj, { values: outcome.values, errors: outcome.errors, status: 422 });
        }),
      );
    }
  },
};
