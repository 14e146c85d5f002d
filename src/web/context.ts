import type { Context } from 'hono';
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
}
