import type { Child } from 'hono/jsx';
import type { StaffRole } from '../../modules/staff/index.js';
import { CsrfInput } from '../components/form.js';
import type { PortalContext, PortalDeps } from '../context.js';
import { fill } from '../i18n/catalogue.js';
import { messagesFor } from '../i18n/messages.js';
import { CONSOLE_SECTIONS, ROLE_LABEL, visibleSections, type SectionKey } from './sections.js';

/** A signed-in staff member as the console sees them. */
export interface StaffMember {
  username: string;
  roles: readonly StaffRole[];
}

export interface StaffPageOptions {
  title: string;
  body: Child;
  status?: 200 | 401 | 403 | 404 | 409 | 422 | 429;
  /** null on the sign-in page: no menu. */
  staff: StaffMember | null;
  /** The menu entry of this page ('home' = Beranda). */
  current?: SectionKey | 'home';
  /** A one-shot message from the previous form (flash), shown as a status notice. */
  flash?: string | null | undefined;
}

function StaffNav(props: { c: PortalContext; staff: StaffMember; mounted: ReadonlySet<SectionKey>; current: StaffPageOptions['current'] }) {
  const t = messagesFor(props.c.get('lang')).staff;
  const entries = [
    { key: 'home' as const, href: '/staff', label: t.navHome },
    ...visibleSections(props.mounted, props.staff.roles).map((key) => ({ key, href: CONSOLE_SECTIONS[key].href, label: t[CONSOLE_SECTIONS[key].label] })),
  ];
  return (
    <>
      <nav aria-label={t.navMain}>
        <ul>
          {entries.map((e) => (
            <li>
              <a href={e.href} aria-current={props.current === e.key ? 'page' : undefined}>
                {e.label}
              </a>
            </li>
          ))}
        </ul>
      </nav>
      <div class="staff-who">
        <span>{fill(t.signedInAs, { username: props.staff.username })}</span>
        <span class="staff-roles">
          {t.rolesLabel}: {props.staff.roles.map((r) => t[ROLE_LABEL[r]]).join(', ')}
        </span>
        <form method="post" action="/staff/keluar">
          <CsrfInput token={props.c.get('csrf')} />
          <button type="submit" class="btn-secondary">
            {t.signOut}
          </button>
        </form>
      </div>
    </>
  );
}

/**
 * Renders a staff console page: the portal's stylesheet plus staff.css (wider, for 1280×800 and tablets), no script
 * (nothing needs JavaScript), the menu by role (sections.ts) and who is signed in with the sign-out button.
 */
export function renderStaffPage(c: PortalContext, p: PortalDeps, mounted: ReadonlySet<SectionKey>, page: StaffPageOptions) {
  const lang = c.get('lang');
  const m = messagesFor(lang);
  const t = m.staff;
  const url = new URL(c.req.url);
  const other = lang === 'id' ? 'en' : 'id';
  const toggle = new URLSearchParams(url.search);
  toggle.set('lang', other);
  const html = (
    <html lang={lang}>
      <head>
        <meta charset="utf-8" />
        <meta name="viewport" content="width=device-width, initial-scale=1" />
        <meta name="robots" content="noindex" />
        <title>{`${page.title} · ${t.consoleName} · ${m.common.siteName}`}</title>
        <link rel="icon" href={p.assets.url('icon.svg')} type="image/svg+xml" />
        <link rel="stylesheet" href={p.assets.url('lindung.css')} />
        <link rel="stylesheet" href={p.assets.url('staff.css')} />
      </head>
      <body class="staff">
        <a class="skip" href="#isi">
          {m.common.skipToContent}
        </a>
        <header class="site-header">
          {p.deps.config.isDevelopment ? <p class="dev-banner">{m.common.devBanner}</p> : null}
          <a class="brand" href="/staff">
            <span aria-hidden="true" class="brand-mark">
              ◆
            </span>
            {m.common.siteName} · {t.consoleName}
          </a>
          <a class="lang" href={`${url.pathname}?${toggle.toString()}`} hreflang={other} lang={other} aria-label={m.common.switchLanguageLabel}>
            {m.common.switchLanguage}
          </a>
          {page.staff ? <StaffNav c={c} staff={page.staff} mounted={mounted} current={page.current} /> : null}
        </header>
        <main id="isi" tabindex={-1}>
          {page.flash ? (
            <p class="notice" role="status">
              {page.flash}
            </p>
          ) : null}
          {page.body}
        </main>
      </body>
    </html>
  );
  return c.html(`<!doctype html>${html.toString()}`, page.status ?? 200);
}
