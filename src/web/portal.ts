import { Hono, type MiddlewareHandler } from 'hono';
import { compress } from 'hono/compress';
import { getCookie, setCookie } from 'hono/cookie';
import { isDatabaseUnavailable } from '../db/unavailable.js';
import type { Deps } from '../deps.js';
import { clientCausedDatabaseError, RETRY_AFTER_SECONDS } from '../http/errors.js';
import type { RateLimiter } from '../http/rate-limiter.js';
import { loadAssets } from './assets.js';
import type { PortalContext, PortalDeps, PortalDevModule, PortalEnv, PortalPage } from './context.js';
import { COOKIE, cookieOptions, ONE_YEAR_SECONDS } from './cookies.js';
import { isLang, type Lang } from './i18n/catalogue.js';
import { negotiateLanguage } from '../shared/i18n/language.js';
import { badRequestPage, csrfFailedPage, errorPage, notFoundPage } from './pages/errors.js';
import { homePage } from './pages/home.js';
import { autodebitRoutes } from './pages/autodebit.js';
import { cardVerifyRoutes, isCardVerifyPageRequest, prefersHtml } from './pages/card-verify.js';
import { manifestPage } from './pages/manifest.js';
import { memberRoutes } from './pages/member.js';
import { payRoutes } from './pages/pay.js';
import { registerRoutes } from './pages/register/index.js';
import { simulatorPage } from './pages/simulator.js';
import { surveyRoutes } from './pages/survey.js';
import { receiptCheckRoutes } from './pages/receipt-check.js';
import { walletRoutes } from './pages/wallet.js';
import { agenPage } from './pages/agen.js';
import { sertakanRoutes } from './pages/sertakan.js';
import { infoRoutes } from './pages/info.js';
import { portalBodyLimit, portalRateLimits, staffSignInLimit } from './limits.js';
import { staffConsoleRoutes } from './staff/console.js';
import { createCookieCrypto, newBrowserId, portalCsp } from './security.js';

/** Paths the portal owns; everything else (/api, /dev, /healthz) passes through its middleware untouched. */
const PORTAL_PATH = /^\/(?:$|simulasi|daftar|bayar|masuk|akun|kartu|keluar|survei|kuitansi|sertakan\/|aset\/|manifest\.webmanifest|staff(?:\/|$)|agen(?:\/|$)|bantuan|syarat|privasi|kantor-cabang)/;

/** Paths that are never pages: the API, BI-SNAP, the development tools and the probes answer in their own formats. */
const NEVER_PAGES = /^\/(?:api|snap|dev)(?:\/|$)|^\/(?:healthz|readyz|metrics)$/;

/** Every page of the portal, one route file each, in the order they are mounted. */
const PAGES: readonly PortalPage[] = [manifestPage, homePage, simulatorPage, registerRoutes, payRoutes, memberRoutes, autodebitRoutes, walletRoutes, cardVerifyRoutes, surveyRoutes, receiptCheckRoutes, staffConsoleRoutes, agenPage, sertakanRoutes, infoRoutes];

export function isPortalPath(path: string): boolean {
  return PORTAL_PATH.test(path);
}

/**
 * A browser opening an address outside the API (a mistyped link, /daftr): the portal answers it, so the person gets
 * the Indonesian HTML 404 with a way back instead of the API's JSON error (issue 18 item 15).
 */
export function isBrowserPageRequest(method: string, path: string, accept: string | null | undefined): boolean {
  return (method === 'GET' || method === 'HEAD') && !NEVER_PAGES.test(path) && prefersHtml(accept);
}

/** A portal path, or a browser opening the card's QR link (the API verification URL, Accept preferring HTML). */
function isPortalRequest(c: PortalContext): boolean {
  const accept = c.req.header('accept');
  return isPortalPath(c.req.path) || isCardVerifyPageRequest(c.req.method, c.req.path, accept) || isBrowserPageRequest(c.req.method, c.req.path, accept);
}

function preferredLang(c: PortalContext): Lang {
  return negotiateLanguage({ cookie: getCookie(c, COOKIE.lang), acceptLanguage: c.req.header('accept-language') });
}

/** A middleware that runs for portal requests only; /api, /dev and /healthz pass by. */
function onPortal(handler: MiddlewareHandler<PortalEnv>): MiddlewareHandler<PortalEnv> {
  return async (c, next) => (isPortalRequest(c) ? handler(c, next) : next());
}

/** ?lang=en|id switches the language for this browser, then shows the same address without the switch. */
function switchLanguage(c: PortalContext, p: PortalDeps, asked: string) {
  if (isLang(asked)) {
    setCookie(c, COOKIE.lang, asked, { ...cookieOptions(p.secureCookies), httpOnly: false, maxAge: ONE_YEAR_SECONDS });
  }
  const url = new URL(c.req.url);
  url.searchParams.delete('lang');
  return c.redirect(`${url.pathname}${url.search}`, 303);
}

/**
 * Language, the browser cookie, the CSRF check of every POST, the session token, and the CSP and no-store headers on
 * the way out. Static files need no cookie or CSRF token, but an unknown one is answered by the not-found page, in a
 * language.
 */
function pageSecurity(p: PortalDeps): MiddlewareHandler<PortalEnv> {
  const { style, script } = p.assets.inline;
  const CSP = portalCsp({ style: [style.csp], script: [script.csp] });
  return async (c, next) => {
    c.set('lang', preferredLang(c));
    if (c.req.path.startsWith('/aset/')) {
      await next();
      c.header('content-security-policy', CSP);
      return;
    }
    const asked = c.req.query('lang');
    if (c.req.method === 'GET' && asked !== undefined) {
      return switchLanguage(c, p, asked);
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
      setCookie(c, COOKIE.browser, browserId, { ...cookieOptions(p.secureCookies), maxAge: ONE_YEAR_SECONDS });
    }
    c.set('csrf', p.crypto.csrfToken(browserId ?? ''));
    c.set('sessionToken', getCookie(c, COOKIE.session) || undefined);

    await next();
    c.header('content-security-policy', CSP);
    if ((c.res.headers.get('content-type') ?? '').startsWith('text/html')) {
      // Pages can carry personal data: never stored by shared caches or the browser's back-forward cache on disk.
      c.header('cache-control', 'no-store');
    }
  };
}

/** A client's bad input is a 400 page, an unavailable database a 503 page with Retry-After, anything else a logged 500. */
function portalErrorHandler(p: PortalDeps) {
  const { deps } = p;
  return (err: Error, c: PortalContext) => {
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
  };
}

/**
 * The participant web portal: server-rendered pages over the same use cases as the API. Every form posts and
 * redirects; every page works without JavaScript. `dev` (src/dev, development only) adds the payment simulators.
 */
export function portalRoutes(deps: Deps, dispatch: (request: Request) => Promise<Response>, limiter: RateLimiter, dev: PortalDevModule | null = null) {
  const p: PortalDeps = {
    deps,
    crypto: createCookieCrypto(deps.config.cookieSecret),
    assets: loadAssets(),
    dispatch,
    secureCookies: deps.config.publicBaseUrl.startsWith('https://'),
    dev: dev?.parts ?? null,
  };
  const app = new Hono<PortalEnv>();
  app.use('*', onPortal((c, next) => compress()(c, next)));
  // Form bodies are limited before anything reads them (the CSRF check parses the form).
  app.use('*', onPortal(portalBodyLimit(p, (c) => c.set('lang', preferredLang(c)))));
  app.use('*', onPortal(pageSecurity(p)));
  app.use('*', onPortal(portalRateLimits(p, limiter)));
  app.use('/staff/masuk', staffSignInLimit(p, limiter));
  app.onError(portalErrorHandler(p));

  p.assets.mount(app);
  for (const page of PAGES) {
    page(app, p);
  }
  dev?.pages(app, p);
  return { app, notFound: (c: PortalContext) => notFoundPage(c, p) };
}
