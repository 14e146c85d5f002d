import type { Child } from 'hono/jsx';
import type { PortalContext, PortalDeps } from './context.js';
import { LogoMark } from './components/logo.js';
import { FOOTER_LINKS } from './footer-links.js';
import { fill } from './i18n/catalogue.js';
import { messagesFor, type Messages } from './i18n/messages.js';

export interface PageOptions {
  title: string;
  body: Child;
  status?: 200 | 400 | 403 | 404 | 409 | 413 | 422 | 429 | 500 | 503;
  /** Which navigation entry is the current page. */
  nav?: 'home' | 'simulator' | 'register' | 'login' | 'account';
}

/** Every page's foot: help, the official SMS sender (so a message from anyone else looks wrong), the links, the note. */
export function SiteFooter({ m, smsSender }: { m: Messages; smsSender: string }) {
  return (
    <footer class="site-footer">
      <p>{m.common.footerHelp}</p>
      <p class="sms-sender" id="sms-resmi">
        <strong>{m.shell.smsSenderTitle}:</strong> {fill(m.shell.smsSender, { sender: smsSender })}
      </p>
      <nav aria-label={m.shell.footerLinksLabel}>
        <ul class="footer-links">
          {FOOTER_LINKS.map((l) => (
            <li>
              <a href={l.href}>{l.label(m)}</a>
            </li>
          ))}
        </ul>
      </nav>
      <p>{m.common.footerNote}</p>
    </footer>
  );
}

/**
 * Renders a whole page: one small stylesheet, one small deferred script (progressive enhancement only), no fonts,
 * no third-party anything. Both are inlined in <head> (src/web/assets.ts; their hashes are in the CSP), so the page
 * needs no second request before it shows or loads: on slow 3G each request costs a 2-second round trip. The language toggle is a plain link (?lang=…) so it works without JavaScript.
 */
export function renderPage(c: PortalContext, p: PortalDeps, page: PageOptions) {
  const lang = c.get('lang');
  const m = messagesFor(lang).common;
  const url = new URL(c.req.url);
  const other = lang === 'id' ? 'en' : 'id';
  const toggle = new URLSearchParams(url.search);
  toggle.set('lang', other);
  const signedIn = c.get('sessionToken') !== undefined;
  const navItems: { key: NonNullable<PageOptions['nav']>; href: string; label: string }[] = [
    { key: 'home', href: '/', label: m.navHome },
    { key: 'simulator', href: '/simulasi', label: m.navSimulator },
    ...(signedIn
      ? [{ key: 'account' as const, href: '/akun', label: m.navAccount }]
      : [
          { key: 'register' as const, href: '/daftar', label: m.navRegister },
          { key: 'login' as const, href: '/masuk', label: m.navLogin },
        ]),
  ];
  const html = (
    <html lang={lang}>
      <head>
        <meta charset="utf-8" />
        <meta name="viewport" content="width=device-width, initial-scale=1" />
        <title>{`${page.title} · ${m.siteName}`}</title>
        <meta name="description" content={m.tagline} />
        <meta name="theme-color" content="#00693e" />
        <link rel="manifest" href="/manifest.webmanifest" />
        <link rel="icon" href={p.assets.url('icon.svg')} type="image/svg+xml" />
        <link rel="apple-touch-icon" href={p.assets.url('icon-192.png')} />
        <style dangerouslySetInnerHTML={{ __html: p.assets.inline.style.text }} />
        <script dangerouslySetInnerHTML={{ __html: p.assets.inline.script.text }} />
      </head>
      <body data-sw={signedIn ? '/sw.js' : undefined}>
        <a class="skip" href="#isi">
          {m.skipToContent}
        </a>
        <header class="site-header">
          {p.deps.config.isDevelopment ? <p class="dev-banner">{m.devBanner}</p> : null}
          <a class="brand" href="/">
            <LogoMark />
            <span>{m.siteName}</span>
          </a>
          <a class="lang" href={`${url.pathname}?${toggle.toString()}`} hreflang={other} lang={other} aria-label={m.switchLanguageLabel}>
            {m.switchLanguage}
          </a>
          <nav aria-label={m.navMain}>
            <ul>
              {navItems.map((n) => (
                <li>
                  <a href={n.href} aria-current={page.nav === n.key ? 'page' : undefined}>
                    {n.label}
                  </a>
                </li>
              ))}
            </ul>
          </nav>
        </header>
        <main id="isi" tabindex={-1}>
          {page.body}
        </main>
        <SiteFooter m={messagesFor(lang)} smsSender={p.deps.config.smsSenderId} />
      </body>
    </html>
  );
  return c.html(`<!doctype html>${html.toString()}`, page.status ?? 200);
}
