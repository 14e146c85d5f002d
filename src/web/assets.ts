import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import type { Hono } from 'hono';

/**
 * The portal's static files, read once at start. Each is served under a path carrying its content hash, so a
 * phone caches it for a year and never revalidates on a slow link; a new release has new paths.
 */
const FILES: Record<string, string> = {
  'lindung.css': 'text/css; charset=utf-8',
  'lindung.js': 'text/javascript; charset=utf-8',
  'staff.css': 'text/css; charset=utf-8',
  'icon.svg': 'image/svg+xml',
  'icon-192.png': 'image/png',
  'icon-512.png': 'image/png',
  'agen.js': 'text/javascript; charset=utf-8',
  'agen-core.js': 'text/javascript; charset=utf-8',
  'agen.css': 'text/css; charset=utf-8',
};

/** A file put into the page itself, with the CSP source that allows exactly that text ('sha256-…'). */
export interface InlineAsset {
  text: string;
  csp: string;
}

export interface Assets {
  url(name: string): string;
  mount(app: Hono<any>): void;
  /**
   * The participant pages' stylesheet and script, put in each page's <head> rather than linked: on a slow link every
   * extra request costs a round trip (2 s on slow 3G) before the page shows or loads. The script runs at
   * DOMContentLoaded, as a deferred one would.
   */
  inline: { style: InlineAsset; script: InlineAsset };
}

/** The text as an inline <style>/<script> body, with its CSP hash; refuses text that would end the element early. */
export function inlineAsset(text: string, element: 'style' | 'script'): InlineAsset {
  if (new RegExp(`</${element}`, 'i').test(text)) {
    throw new Error(`cannot inline text containing </${element}`);
  }
  return { text, csp: `'sha256-${createHash('sha256').update(text, 'utf8').digest('base64')}'` };
}

export function loadAssets(): Assets {
  const dir = new URL('./assets/', import.meta.url);
  const byName = new Map<string, { hash: string; body: Uint8Array; type: string }>();
  for (const [name, type] of Object.entries(FILES)) {
    const body = new Uint8Array(readFileSync(new URL(name, dir)));
    byName.set(name, { hash: createHash('sha256').update(body).digest('hex').slice(0, 10), body, type });
  }
  const text = (name: string) => new TextDecoder().decode(byName.get(name)?.body);
  const inline = {
    style: inlineAsset(text('lindung.css'), 'style'),
    script: inlineAsset(`document.addEventListener('DOMContentLoaded',function(){\n${text('lindung.js')}\n});`, 'script'),
  };
  return {
    inline,
    url(name) {
      const a = byName.get(name);
      if (!a) {
        throw new Error(`unknown asset ${name}`);
      }
      return `/aset/${a.hash}/${name}`;
    },
    mount(app) {
      app.get('/aset/:hash/:name', (c) => {
        const a = byName.get(c.req.param('name'));
        if (!a || a.hash !== c.req.param('hash')) {
          return c.text('Not found', 404);
        }
        return c.body(a.body as Uint8Array<ArrayBuffer>, 200, { 'content-type': a.type, 'cache-control': 'public, max-age=31536000, immutable' });
      });
    },
  };
}
