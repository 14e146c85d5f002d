import type { Hono } from 'hono';
import { signOut } from '../../../modules/auth/index.js';
import { CsrfInput } from '../../components/form.js';
import type { PortalDeps, PortalEnv } from '../../context.js';
import type { Messages } from '../../i18n/messages.js';
import { memberSession } from '../../member-session.js';

/** The sign-out button (it posts to /keluar). */
export function SignOutForm(props: { m: Messages; csrf: string }) {
  return (
    <form method="post" action="/keluar">
      <CsrfInput token={props.csrf} />
      <button type="submit" class="btn-secondary">
        {props.m.member.signOut}
      </button>
    </form>
  );
}

/** Sign-out, POST /keluar: the session ends at once, its cookie is dropped, and the browser goes home. */
export function registerLogout(app: Hono<PortalEnv>, p: PortalDeps): void {
  const { deps } = p;
  const { dropSessionCookie } = memberSession(p);

  app.post('/keluar', async (c) => {
    const token = c.get('sessionToken');
    if (token) {
      await signOut(deps, token);
    }
    dropSessionCookie(c);
    return c.redirect('/', 303);
  });
}
