import type { Context, Hono } from 'hono';
import type { Child } from 'hono/jsx';
import type { Deps } from '../deps.js';
import type { Assets } from './assets.js';
import type { Lang } from './i18n/catalogue.js';
import type { CookieCrypto } from './security.js';

/** What every portal request carries, set by the portal middleware (portal.ts). */
export type PortalEnv = {
  Variables: {
    lang: Lang;
    /** The CSRF token to put in every form on the page being rendered. */
    csrf: string;
    /** The session token from the member's cookie, when signed in (checked by the member pages). */
    sessionToken: string | undefined;
  };
};

export type PortalContext = Context<PortalEnv>;

/** What page modules get besides the request: the use cases' dependencies and the portal's own helpers. */
export interface PortalDeps {
  deps: Deps;
  crypto: CookieCrypto;
  /** Asset URLs with their content hash, e.g. assets.url('lindung.css') → '/aset/3f2a9c1b/lindung.css'. */
  assets: Assets;
  /** Sends a request through the whole app (used by the development payment simulator to post a signed notification). */
  dispatch(request: Request): Promise<Response>;
  /** Cookies get the Secure flag when the public URL is https. */
  secureCookies: boolean;
  /** The development-only parts of pages (src/dev/portal-simulators.tsx); null in production. */
  dev: PortalDevParts | null;
}

/** One page's registration: its GET and its POSTs on the portal app (one route file per page). */
export type PortalPage = (app: Hono<PortalEnv>, p: PortalDeps) => void;

/**
 * What src/dev adds to the portal in development only: its pages (the simulators' POSTs) and the parts the pay and
 * wallet pages show (the simulators' forms). Production passes none, so none of it is mounted or rendered.
 */
export interface PortalDevModule {
  pages: PortalPage;
  parts: PortalDevParts;
}

export interface PortalDevParts {
  /** Under the pay page's channels: the payment simulator (a form posting to /bayar/{code}/simulasi). */
  paySimulator(c: PortalContext, bill: { paymentCode: string; amount: number }): Child;
  /** On the wallet page: the top-up simulator (a form posting to /akun/dompet/simulasi), with the last try's answers. */
  walletSimulator(c: PortalContext, form: { amount?: string | undefined; channel?: string | undefined; error?: string | undefined }): Child;
}
