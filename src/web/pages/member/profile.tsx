import type { Hono } from 'hono';
import { deleteCookie, getCookie, setCookie } from 'hono/cookie';
import { confirmEmailChange, memberProfile, type MemberProfile } from '../../../modules/membership/index.js';
import { branchDirectory, type BranchDirectory, listOccupations, type OccupationRow } from '../../../modules/reference/index.js';
import { PageTop } from '../../components/page-top.js';
import type { FieldErrors } from '../../components/form.js';
import { MemberDataSections } from '../../components/member-data-forms.js';
import type { PortalContext, PortalDeps, PortalEnv } from '../../context.js';
import { COOKIE, cookieOptions } from '../../cookies.js';
import { fill } from '../../i18n/catalogue.js';
import { messagesFor } from '../../i18n/messages.js';
import { renderPage } from '../../layout.js';
import { memberSession } from '../../member-session.js';
import { applyMemberDataForm, MEMBER_DATA_FORMS } from '../../member-data-actions.js';

/** A form's outcome, sealed in a cookie across the redirect (Post/Redirect/Get), ~5 minutes. */
interface ProfileFlash {
  done?: string;
  problem?: string;
  values: Record<string, string>;
  errors: FieldErrors;
}
const FLASH_PURPOSE = 'profile-form';
const FLASH_TTL_MS = 5 * 60_000;
const PAGE = '/akun/profil';

function profilePage(c: PortalContext, p: PortalDeps, profile: MemberProfile, lists: { occupations: readonly OccupationRow[]; branches: BranchDirectory }, flash: ProfileFlash | null) {
  const lang = c.get('lang');
  const m = messagesFor(lang);
  const t = m.profile;
  return renderPage(c, p, {
    title: t.title,
    nav: 'account',
    body: (
      <>
        <PageTop title={t.title} errorSummaryTitle={m.common.errorSummaryTitle} errors={flash?.errors ?? {}} problem={flash?.problem} done={flash?.done} />
        <p>{t.intro}</p>
        <MemberDataSections m={m} lang={lang} csrf={c.get('csrf')} base={PAGE} profile={profile} occupations={lists.occupations} branches={lists.branches} values={flash?.values ?? {}} errors={flash?.errors ?? {}} staff={false} />
        <p>
          <a href="/akun">{t.back}</a>
        </p>
      </>
    ),
  });
}

/**
 * Data saya, /akun/profil: the member's own data changes (member data changes, issue 16): address, occupation and
 * branch (POST /akun/profil), income and JHT (…/iuran), the phone (…/hp, then …/hp/konfirmasi with the code, birth
 * date and NIK digits), the e-mail (…/email; the e-mailed link opens GET …/email?token=, no sign-in needed).
 */
export function registerProfilePage(app: Hono<PortalEnv>, p: PortalDeps): void {
  const { deps } = p;
  const { signedIn, toSignIn } = memberSession(p);
  const flashCookie = cookieOptions(p.secureCookies, PAGE);

  const readFlash = (c: PortalContext): ProfileFlash | null => {
    const flash = p.crypto.unseal<ProfileFlash>(FLASH_PURPOSE, getCookie(c, COOKIE.profileForm), deps.clock.now());
    if (getCookie(c, COOKIE.profileForm) !== undefined) {
      deleteCookie(c, COOKIE.profileForm, flashCookie);
    }
    return flash;
  };
  const flashTo = (c: PortalContext, flash: ProfileFlash) => {
    const expires = new Date(deps.clock.now().getTime() + FLASH_TTL_MS);
    setCookie(c, COOKIE.profileForm, p.crypto.seal(FLASH_PURPOSE, flash, expires), { ...flashCookie, maxAge: FLASH_TTL_MS / 1000 });
    return c.redirect(PAGE, 303);
  };

  app.get(PAGE, async (c) => {
    const participantId = await signedIn(c);
    const profile = participantId ? await memberProfile(deps, participantId) : null;
    return profile ? profilePage(c, p, profile, { occupations: await listOccupations(deps.db), branches: await branchDirectory(deps.db) }, readFlash(c)) : toSignIn(c);
  });

  // The e-mailed link: the token is the proof, so it works in any browser (signed in or not).
  app.get(`${PAGE}/email`, async (c) => {
    const t = messagesFor(c.get('lang')).profile;
    const done = await confirmEmailChange(deps, (c.req.query('token') ?? '').slice(0, 200));
    const flash = done.ok ? { done: fill(t.emailSaved, { email: done.value.email }), values: {}, errors: {} } : { problem: t.emailBadLink, values: {}, errors: {} };
    return flashTo(c, flash);
  });

  for (const form of MEMBER_DATA_FORMS) {
    app.post(form === 'data' ? PAGE : `${PAGE}/${form}`, async (c) => {
      const participantId = await signedIn(c);
      if (!participantId) {
        return toSignIn(c);
      }
      const outcome = await applyMemberDataForm(deps, participantId, form, await c.req.parseBody(), { kind: 'participant' }, c.get('lang'));
      return flashTo(c, outcome.ok ? { done: outcome.done, values: {}, errors: {} } : { values: outcome.values, errors: outcome.errors });
    });
  }
}
