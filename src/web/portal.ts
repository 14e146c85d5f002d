import { Hono } from 'hono';
import { compress } from 'hono/compress';
import { getCookie, setCookie } from 'hono/cookie';
import { isDatabaseUnavailable } from '../db/unavailable.js';
import type { Deps } from '../deps.js';
import { clientCausedDatabaseError, RETRY_AFTER_SECONDS } from '../http/errors.js';
import type { RateLimiter } from '../http/rate-limiter.js';
import { loadAssets } from './assets.js';
import type { PortalContext, PortalDeps, PortalEnv } from './context.js';
import { isLang, type Lang } from './i18n/catalogue.js';
import { messagesFor } from './i18n/messages.js';
import { negotiateLanguage } from '../shared/i18n/language.js';
import { badRequestPage, csrfFailedPage, errorPage, notFoundPage } from './pages/errors.js';
import { homeRoutes } from './pages/home.js';
import { autodebitRoutes } from './pages/autodebit.js';
import { cardVerifyRoutes, isCardVerifyPageRequest } from './pages/card-verify.js';
import { memberRoutes } from './pages/member.js';
import { payRoutes } from './pages/pay.js';
import { registerRoutes } from './pages/register.js';
import { walletRoutes } from './pages/wallet.js';
import { portalBodyLimit, portalRateLimits } from './limits.js';
import { createCookieCrypto, newBrowserId } from './security.js';

export const COOKIE = { lang: 'lindung_bahasa', browser: 'lindung_b', session: 'lindung_sesi' } as const;

/** Paths the portal owns; everything else (/api, /dev, /healthz) passes through its middleware untouched. */
const PORTAL_PATH = /^\/(?:$|simulasi|daftar|bayar|masuk|akun|kartu|keluar|aset\/|manifest\.webmanifest)/;

/**
 * Content-Security-Policy for every portal page: nothing from anywhere but this origin, no inline script or style,
 * images may be data: URLs (the QR codes). This is also what keeps the "no third-party requests" promise.
 */
const CSP = [
  "default-src 'none'",
  "script-src 'self'",
  "style-src 'self'",
  "img-src 'self' data:",
  "connect-src 'self'",
  "manifest-src 'self'",
  "form-action 'self'",
  "frame-ancestors 'none'",
  "base-uri 'none'",
].join('; ');

export function isPortalPath(path: string): boolean {
  return PORTAL_PATH.test(path);
}

/** A portal path, or a browser opening the card's QR link (the API verification URL, Accept preferring HTML). */
function isPortalRequest(c: PortalContext): boolean {
  return isPortalPath(c.req.path) || isCardVerifyPageRequest(c.req.method, c.req.path, c.req.header('accept'));
}

function preferredLang(c: PortalContext): Lang {
  return negotiateLanguage({ cookie: getCookie(c, COOKIE.lang), acceptLanguage: c.req.header('accept-language') });
}

/**
 * The participant web portal: server-rendered pages over the same use cases as the API. Every form posts and
 * redirects; every page works without JavaScript.
 */
export function portalRoutes(deps: Deps, dispatch: (request: Request) => Promise<Response>, limiter: RateLimiter) {
  const p: PortalDeps = {
    deps,
    crypto: createCookieCrypto(deps.config.cookieSecret),
    assets: loadAssets(),
    dispatch,
    secureCookies: deps.config.publicBaseUrl.startsWith('https://'),
  };
  const app = new Hono<PortalEnv>();
  const cookieBase = { path: '/', httpOnly: true, sameSite: 'Lax' as const, secure: p.secureCookies };

  app.use('*', async (c, next) => {
    if (!isPortalRequest(c)) {
      return next();
    }
    return compress()(c, next);
  });

  // Form bodies are limited before anything reads them (the CSRF check below parses the form).
  const limitBody = portalBodyLimit(p, (c) => c.set('lang', preferredLang(c)));
  app.use('*', async (c, next) => (isPortalRequest(c) ? limitBody(c, next) : next()));

  app.use('*', async (c, next) => {
    if (!isPortalRequest(c)) {
      return next();
    }
    // Static files need no cookie or CSRF token, but an unknown one is answered by the not-found page, in a language.
    c.set('lang', preferredLang(c));
    if (c.req.path.startsWith('/aset/')) {
      await next();
      c.header('content-security-policy', CSP);
      return;
    }
    // ?lang=en|id switches the language for this browser, then shows the same address without the switch.
    const asked = c.req.query('lang');
    if (c.req.method === 'GET' && asked !== undefined) {
      if (isLang(asked)) {
        setCookie(c, COOKIE.lang, asked, { ...cookieBase, httpOnly: false, maxAge: 365 * 24 * 3600 });
      }
      const url = new URL(c.req.url);
      url.searchParams.delete('lang');
      return c.redirect(`${url.pathname}${url.search}`, 303);
    }

    let browserId = getCookie(c, COOKIE.browser);
    if (c.req.method === 'POST') {
      const form = await c.req.parseBody().catch(() => ({}) as Record<string, unknown>);
      const token = typeof form['_csrf'] === 'string' ? form['_csrf'] : undefined;
      if (c.req.header('sec-fetch-site') === 'cross-site' || !p.crypto.checkCsrf(browserId, token)) {
        return csrfFailedPage(c, p);
      }
    } else if (!browserId || browserId.length < 20) {
      browserId = newBrowserId();
      setCookie(c, COOKIE.browser, browserId, { ...cookieBase, maxAge: 365 * 24 * 3600 });
    }
    c.set('csrf', p.crypto.csrfToken(browserId ?? ''));
    c.set('sessionToken', getCookie(c, COOKIE.session) || undefined);

    await next();
    c.header('content-security-policy', CSP);
    if ((c.res.headers.get('content-type') ?? '').startsWith('text/html')) {
      // Pages can carry personal data: never stored by shared caches or the browser's back-forward cache on disk.
      c.header('cache-control', 'no-store');
    }
  });

  const limitRate = portalRateLimits(p, limiter);
  app.use('*', async (c, next) => (isPortalRequest(c) ? limitRate(c, next) : next()));

  app.onError((err, c) => {
    if (clientCausedDatabaseError(err)) {
      return badRequestPage(c, p);
    }
    if (isDatabaseUnavailable(err)) {
      deps.logger.warn('portal page: database unavailable', { path: c.req.path, error: String(err) });
      c.header('retry-after', String(RETRY_AFTER_SECONDS));
      return errorPage(c, p, 503);
    }
    deps.logger.error('portal page failed', { path: c.req.path, error: err instanceof Error ? err.message : String(err) });
    return errorPage(c, p);
  });

  p.assets.mount(app);
  app.get('/manifest.webmanifest', (c) => {
    const m = messagesFor('id').common;
    return c.body(
      JSON.stringify({
        name: `${m.siteName} — BPJS Ketenagakerjaan BPU`,
        short_name: m.siteName,
        description: m.tagline,
        lang: 'id',
        start_url: '/',
        scope: '/',
        display: 'standalone',
        background_color: '#f6f7f5',
        theme_color: '#00693e',
        icons: [
          { src: p.assets.url('icon-192.png'), sizes: '192x192', type: 'image/png' },
          { src: p.assets.url('icon-512.png'), sizes: '512x512', type: 'image/png' },
          { src: p.assets.url('icon.svg'), sizes: 'any', type: 'image/svg+xml' },
        ],
      }),
      200,
      { 'content-type': 'application/manifest+json; charset=utf-8', 'cache-control': 'public, max-age=86400' },
    );
  });

  homeRoutes(app, p);
  registerRoutes(app, p);
  payRoutes(app, p);
  memberRoutes(app, p);
  autodebitRoutes(app, p);
  walletRoutes(app, p);
  cardVerifyRoutes(app, p);

  return { app, notFound: (c: PortalContext) => notFoundPage(c, p) };
}
