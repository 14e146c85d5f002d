import { getCookie, setCookie } from 'hono/cookie';
import { FORM_CODE_LIFETIME_DAYS, formOneAPdf } from '../../../modules/registration/index.js';
import type { PortalContext, PortalDeps, PortalPage } from '../../context.js';
import { COOKIE, cookieOptions } from '../../cookies.js';
import { fill } from '../../i18n/catalogue.js';
import type { Messages } from '../../i18n/messages.js';
import { REG_ID, unknownRegistration } from './shared.js';

/**
 * Formulir 1A from the portal (issue 16 item 3): the registration steps after the registration exists (verification,
 * programs) offer the printable form, GET /daftar/{id}/formulir-1a.pdf; GET /daftar/formulir-1a.pdf prints the
 * registration this browser started (its sealed cookie, set when step 2 creates it). A completed registration has
 * no form: its page says it is done.
 */
const SESSION_PURPOSE = 'registration-session';
const SESSION_LIFETIME_MS = FORM_CODE_LIFETIME_DAYS * 24 * 3_600_000;

/** Remembers the registration this browser started, for /daftar/formulir-1a.pdf (path /daftar, sealed). */
export function rememberRegistration(c: PortalContext, p: PortalDeps, id: string): void {
  const expires = new Date(p.deps.clock.now().getTime() + SESSION_LIFETIME_MS);
  setCookie(c, COOKIE.registration, p.crypto.seal(SESSION_PURPOSE, { id }, expires), { ...cookieOptions(p.secureCookies, '/daftar'), maxAge: SESSION_LIFETIME_MS / 1000 });
}

export function rememberedRegistration(c: PortalContext, p: PortalDeps): string | null {
  return p.crypto.unseal<{ id: string }>(SESSION_PURPOSE, getCookie(c, COOKIE.registration), p.deps.clock.now())?.id ?? null;
}

/** The box on a registration step that offers the printed form. */
export function FormOneABox(props: { m: Messages; registrationId: string }) {
  const r = props.m.register;
  return (
    <section class="card" aria-labelledby="formulir-1a">
      <h2 id="formulir-1a">{r.form1aTitle}</h2>
      <p>{fill(r.form1aBody, { days: FORM_CODE_LIFETIME_DAYS })}</p>
      <p>
        <a class="btn btn-secondary" href={`/daftar/${props.registrationId}/formulir-1a.pdf`} download>
          {r.form1aLink}
        </a>
      </p>
    </section>
  );
}

async function servePdf(c: PortalContext, p: PortalDeps, id: string) {
  const file = await formOneAPdf(p.deps, id);
  if (!file.ok) {
    return file.code === 'registration_completed' ? c.redirect(`/daftar/${id}`, 303) : unknownRegistration(c, p);
  }
  return c.body(new Uint8Array(file.value.pdf), 200, {
    'Content-Type': 'application/pdf',
    'Content-Disposition': `attachment; filename="${file.value.fileName}"`,
    'Cache-Control': 'private, no-store',
  });
}

export const formOneAStep: PortalPage = (app, p) => {
  app.get('/daftar/formulir-1a.pdf', async (c) => {
    const id = rememberedRegistration(c, p);
    return id ? servePdf(c, p, id) : c.redirect('/daftar', 303);
  });
  app.get(`/daftar/${REG_ID}/formulir-1a.pdf`, async (c) => servePdf(c, p, c.req.param('id')));
};
