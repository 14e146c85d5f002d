import type { Hono } from 'hono';
import { deleteCookie, getCookie, setCookie } from 'hono/cookie';
import { errorMessage } from '../../../http/messages.js';
import { listHeirs, replaceHeirs, type HeirInput, type HeirView } from '../../../modules/heirs/index.js';
import { PageTop } from '../../components/page-top.js';
import type { FieldErrors } from '../../components/form.js';
import type { PortalContext, PortalDeps, PortalEnv } from '../../context.js';
import { COOKIE, cookieOptions } from '../../cookies.js';
import { messagesFor } from '../../i18n/messages.js';
import { renderPage } from '../../layout.js';
import { memberSession } from '../../member-session.js';
import { EMPTY_HEIR_FORM, formValuesOf, HeirForm, HeirList, type HeirFormValues } from './heirs-parts.js';
import { str } from './posted.js';
import { type Form, isoOfParts, normalizeNikInput, readDateParts } from '../../forms.js';

/** A refused form's answers and errors, sealed in a cookie across the redirect (Post/Redirect/Get), ~5 minutes. */
interface HeirsFlash {
  editId: string | null;
  values: HeirFormValues;
  errors: FieldErrors;
}
const FLASH_PURPOSE = 'heirs-form';
const FLASH_TTL_MS = 5 * 60_000;
const PAGE = '/akun/ahli-waris';

/** heirs[2].birthDate → birthDate (the form's input); a list-wide error (too many) → the form as a whole. */
const formField = (field: string) => /^heirs\[\d+\]\.(\w+)$/.exec(field)?.[1] ?? '_form';

function stored(h: HeirView): HeirInput {
  return { id: h.id, fullName: h.fullName, relationship: h.relationship, birthDate: h.birthDate, phone: h.phone };
}

/** The whole list to store: the stored heirs with the posted one replacing `editId` (or appended). */
function listWith(current: HeirView[], editId: string | null, posted: HeirFormValues): HeirInput[] {
  const input: HeirInput = { ...posted, ...(editId ? { id: editId } : {}), nik: posted.nik.trim() === '' ? undefined : posted.nik };
  const at = editId ? current.findIndex((h) => h.id === editId) : -1;
  const list = current.map(stored);
  return at >= 0 ? list.map((h, i) => (i === at ? input : h)) : [...list, input];
}

/** The list with heir `id` one place higher (unchanged when it is first or unknown). */
export function moveUp(list: HeirView[], id: string): HeirView[] {
  const at = list.findIndex((h) => h.id === id);
  if (at <= 0) {
    return list;
  }
  const out = [...list];
  [out[at - 1], out[at]] = [out[at] as HeirView, out[at - 1] as HeirView];
  return out;
}

function heirsPage(c: PortalContext, p: PortalDeps, heirs: HeirView[], flash: HeirsFlash | null) {
  const lang = c.get('lang');
  const m = messagesFor(lang);
  const t = m.heirs;
  const editId = flash?.editId ?? c.req.query('ubah') ?? null;
  const editing = editId ? (heirs.find((h) => h.id === editId) ?? null) : null;
  const done = c.req.query('disimpan') === '1' ? t.saved : c.req.query('dihapus') === '1' ? t.removed : c.req.query('dinaikkan') === '1' ? t.movedUp : undefined;
  const problem = editId && !editing ? t.unknownHeir : undefined;
  const values = flash?.values ?? (editing ? formValuesOf(editing) : EMPTY_HEIR_FORM);
  return renderPage(c, p, {
    title: t.title,
    nav: 'account',
    body: (
      <>
        <PageTop title={t.title} errorSummaryTitle={m.common.errorSummaryTitle} errors={flash?.errors ?? {}} problem={problem} done={done} />
        <p>{t.intro}</p>
        <section aria-labelledby="daftar-ahli-waris">
          <h2 id="daftar-ahli-waris">{t.listTitle}</h2>
          <HeirList m={m} lang={lang} csrf={c.get('csrf')} heirs={heirs} />
        </section>
        {heirs.length >= 10 && !editing ? <p class="notice">{t.full}</p> : <HeirForm m={m} csrf={c.get('csrf')} values={values} errors={flash?.errors ?? {}} editing={editing} />}
        <p>
          <a href="/akun">{t.back}</a>
        </p>
      </>
    ),
  });
}

/**
 * Ahli waris, /akun/ahli-waris: the list, adding and editing one (POST /akun/ahli-waris), removing one (…/hapus),
 * moving one up a place in the priority order (…/naik).
 */
export function registerHeirsPage(app: Hono<PortalEnv>, p: PortalDeps): void {
  const { deps } = p;
  const { signedIn, toSignIn } = memberSession(p);
  const flashCookie = cookieOptions(p.secureCookies, PAGE);

  const readFlash = (c: PortalContext): HeirsFlash | null => {
    const flash = p.crypto.unseal<HeirsFlash>(FLASH_PURPOSE, getCookie(c, COOKIE.heirsForm), deps.clock.now());
    if (getCookie(c, COOKIE.heirsForm) !== undefined) {
      deleteCookie(c, COOKIE.heirsForm, flashCookie);
    }
    return flash;
  };
  const refused = (c: PortalContext, flash: HeirsFlash) => {
    const expires = new Date(deps.clock.now().getTime() + FLASH_TTL_MS);
    setCookie(c, COOKIE.heirsForm, p.crypto.seal(FLASH_PURPOSE, flash, expires), { ...flashCookie, maxAge: FLASH_TTL_MS / 1000 });
    return c.redirect(flash.editId ? `${PAGE}?ubah=${encodeURIComponent(flash.editId)}` : PAGE, 303);
  };

  app.get(PAGE, async (c) => {
    const participantId = await signedIn(c);
    const heirs = participantId ? await listHeirs(deps, participantId) : null;
    return heirs ? heirsPage(c, p, heirs, readFlash(c)) : toSignIn(c);
  });

  app.post(PAGE, async (c) => {
    const participantId = await signedIn(c);
    const current = participantId ? await listHeirs(deps, participantId) : null;
    if (!participantId || !current) {
      return toSignIn(c);
    }
    const form = await c.req.parseBody();
    const values: HeirFormValues = { fullName: str(form['fullName']), relationship: str(form['relationship']), birthDate: isoOfParts(readDateParts(form as Form, 'birthDate')), phone: str(form['phone']), nik: normalizeNikInput(str(form['nik'])) };
    const editId = str(form['id']) || null;
    if (editId && !current.some((h) => h.id === editId)) {
      return c.redirect(`${PAGE}?ubah=${encodeURIComponent(editId)}`, 303);
    }
    const done = await replaceHeirs(deps, participantId, listWith(current, editId, values));
    if (done.ok) {
      return c.redirect(`${PAGE}?disimpan=1`, 303);
    }
    if (done.code === 'unauthorized') {
      return toSignIn(c);
    }
    return refused(c, { editId, values, errors: { [formField(done.field)]: errorMessage(done.code, c.get('lang')) } });
  });

  /** Removing one (…/hapus) or moving one up a place (…/naik): the list rewritten without a form of its own. */
  const rewrite = (path: string, change: (list: HeirView[], id: string) => HeirView[], doneQuery: string) =>
    app.post(`${PAGE}/${path}`, async (c) => {
      const participantId = await signedIn(c);
      const current = participantId ? await listHeirs(deps, participantId) : null;
      if (!participantId || !current) {
        return toSignIn(c);
      }
      const id = str((await c.req.parseBody())['id']);
      const done = await replaceHeirs(deps, participantId, change(current, id).map(stored));
      return done.ok ? c.redirect(`${PAGE}?${doneQuery}=1`, 303) : done.code === 'unauthorized' ? toSignIn(c) : c.redirect(PAGE, 303);
    });
  rewrite('hapus', (list, id) => list.filter((h) => h.id !== id), 'dihapus');
  rewrite('naik', moveUp, 'dinaikkan');
}
