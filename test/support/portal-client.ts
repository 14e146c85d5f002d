import type { TestApp } from './test-app.js';
import { expect } from 'vitest';

export interface PageResponse {
  status: number;
  html: string;
  headers: Headers;
  /** Where a redirect points (relative to the origin), if any. */
  location: string | null;
}

/**
 * A minimal browser for component tests of the web portal, through app.request(): keeps cookies, follows
 * redirects when asked, and posts forms with the CSRF token the page itself carries — as a browser would.
 */
export function portalClient(t: TestApp, options: { acceptLanguage?: string } = {}) {
  const jar = new Map<string, string>();

  function remember(headers: Headers) {
    for (const line of headers.getSetCookie()) {
      const [pair, ...attrs] = line.split(';');
      const eq = pair!.indexOf('=');
      const name = pair!.slice(0, eq).trim();
      const value = pair!.slice(eq + 1).trim();
      const expired = attrs.some((a) => /^\s*max-age=0\b/i.test(a) || /^\s*expires=Thu, 01 Jan 1970/i.test(a));
      if (expired || value === '') {
        jar.delete(name);
      } else {
        jar.set(name, value);
      }
    }
  }

  async function send(method: string, path: string, body?: URLSearchParams, extraHeaders: Record<string, string> = {}): Promise<PageResponse> {
    const headers: Record<string, string> = { accept: 'text/html', ...extraHeaders };
    if (options.acceptLanguage) {
      headers['accept-language'] = options.acceptLanguage;
    }
    if (jar.size > 0) {
      headers['cookie'] = [...jar].map(([k, v]) => `${k}=${v}`).join('; ');
    }
    if (body) {
      headers['content-type'] = 'application/x-www-form-urlencoded';
    }
    const res = await t.app.request(path, { method, headers, ...(body ? { body: body.toString() } : {}), redirect: 'manual' });
    remember(res.headers);
    const location = res.headers.get('location');
    return { status: res.status, html: await res.text(), headers: res.headers, location };
  }

  async function follow(first: PageResponse, max = 5): Promise<PageResponse> {
    let res = first;
    for (let i = 0; i < max && res.status >= 300 && res.status < 400 && res.location; i++) {
      const url = new URL(res.location, 'http://lindung.test');
      res = await send('GET', `${url.pathname}${url.search}`);
    }
    return res;
  }

  return {
    cookies: jar,
    get: (path: string) => send('GET', path),
    /** GET and follow redirects. */
    open: async (path: string) => follow(await send('GET', path)),
    /**
     * Posts a form the way the page at `pagePath` would: fetches the page for its CSRF token, then posts `fields`.
     * `follow` (default true) follows the redirect the post answers with.
     */
    submit: async (pagePath: string, action: string, fields: Record<string, string | string[]>, opts: { follow?: boolean; csrf?: string } = {}) => {
      const page = await send('GET', pagePath);
      const token = opts.csrf ?? csrfOf(page.html);
      const body = new URLSearchParams();
      body.set('_csrf', token);
      for (const [k, v] of Object.entries(fields)) {
        for (const one of Array.isArray(v) ? v : [v]) {
          body.append(k, one);
        }
      }
      const res = await send('POST', action, body);
      return opts.follow === false ? res : follow(res);
    },
    /** A raw form post (no CSRF token unless given in fields). */
    post: (path: string, fields: Record<string, string>) => send('POST', path, new URLSearchParams(fields)),
  };
}

export function csrfOf(html: string): string {
  const m = /name="_csrf" value="([^"]+)"/.exec(html);
  if (!m?.[1]) {
    throw new Error('no CSRF token on the page');
  }
  return m[1];
}

/** The page's visible text, roughly: tags dropped, entities for & < > " decoded, whitespace collapsed. */
export function textOf(html: string): string {
  return html
    .replace(/<(script|style)[\s\S]*?<\/\1>/g, ' ')
    .replace(/<[^>]+>/g, ' ')
    .replace(/&amp;/g, '&')
    .replace(/&lt;/g, '<')
    .replace(/&gt;/g, '>')
    .replace(/&quot;/g, '"')
    .replace(/&#39;/g, "'")
    .replace(/\s+/g, ' ')
    .trim();
}

/**
 * Post/Redirect/Get on the sign-in code page (issue 18 item 2): a refused code or resend is a 303 to /masuk/kode,
 * which shows the refusal with its status; returns that page.
 */
export async function refusedCode(client: ReturnType<typeof portalClient>, action: string, fields: Record<string, string>): Promise<PageResponse> {
  const posted = await client.submit('/masuk/kode', action, fields, { follow: false });
  expect([posted.status, posted.location]).toEqual([303, '/masuk/kode']);
  return client.open('/masuk/kode');
}
