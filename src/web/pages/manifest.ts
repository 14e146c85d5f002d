import { createHash } from 'node:crypto';
import type { PortalContext, PortalDeps, PortalPage } from '../context.js';
import { messagesFor } from '../i18n/messages.js';

/**
 * The member app (issue 18 item 13): the web app manifest (installable portal) and its service worker /sw.js, scope
 * '/' (the agent app has its own, /agen/sw.js with scope /agen/, which wins there). The worker keeps the signed-in
 * member's last card (/akun/kartu) and last status (/akun) for a clinic with no signal:
 * - network first for those two pages; a 200 answer (only a signed-in member gets one) is kept, a redirect to the
 *   sign-in page (signed out, session over) drops the kept copies;
 * - with no network, the kept copy with a notice that it is the last one (the page itself says when it was made);
 * - signing in or out (POST /masuk/kode, /masuk/pilih, /keluar) drops the kept copies, so a signed-out phone never shows a card;
 * - the hashed static files are kept, so the copy looks as it did. Everything else goes to the network untouched.
 * The kept pages carry no NIK (the card and the account page show none).
 */
export const MEMBER_CACHE = 'lindung-akun';
export const MEMBER_OFFLINE_PAGES = ['/akun', '/akun/kartu'] as const;

function workerFiles(p: PortalDeps): string[] {
  return ['lindung.css', 'lindung.js', 'icon.svg', 'icon-192.png'].map((n) => p.assets.url(n));
}

const SW_SOURCE = `
const ASSETS = 'lindung-aset-' + VERSION;
const KEPT = ${JSON.stringify(MEMBER_CACHE)};
const PAGES = ${JSON.stringify(MEMBER_OFFLINE_PAGES)};
const SIGN_IN_OUT = ['/keluar', '/masuk/kode', '/masuk/pilih'];
const keep = (path, res) => (res.ok && res.type === 'basic' && !res.redirected ? caches.open(KEPT).then((c) => c.put(path, res)) : res.type === 'opaqueredirect' || res.redirected ? caches.delete(KEPT) : undefined);
self.addEventListener('install', (e) => {
  e.waitUntil(caches.open(ASSETS).then((c) => c.addAll(FILES))
    .then(() => Promise.all(PAGES.map((path) => fetch(path, { credentials: 'same-origin' }).then((res) => keep(path, res)).catch(() => undefined))))
    .then(() => self.skipWaiting()));
});
self.addEventListener('activate', (e) => {
  e.waitUntil(caches.keys().then((keys) => Promise.all(keys.filter((k) => k.startsWith('lindung-aset-') && k !== ASSETS).map((k) => caches.delete(k)))).then(() => self.clients.claim()));
});
async function lastCopy(path) {
  const hit = await (await caches.open(KEPT)).match(path);
  if (!hit) return Response.error();
  const html = await hit.text();
  const note = html.includes('<html lang="en"') ? OFFLINE.en : OFFLINE.id;
  const body = html.replace(/(<main[^>]*>)/, '$1<p class="notice notice-warn" role="status" id="salinan-terakhir">' + note + '</p>');
  return new Response(body, { headers: { 'content-type': 'text/html; charset=utf-8' } });
}
self.addEventListener('fetch', (e) => {
  const url = new URL(e.request.url);
  if (url.origin !== self.location.origin) return;
  if (e.request.method === 'POST') {
    if (SIGN_IN_OUT.includes(url.pathname)) e.waitUntil(caches.delete(KEPT));
    return;
  }
  if (e.request.method !== 'GET') return;
  if (url.pathname.startsWith('/aset/')) {
    e.respondWith(caches.match(e.request).then((hit) => hit || fetch(e.request)));
    return;
  }
  if (e.request.mode !== 'navigate' || !PAGES.includes(url.pathname)) return;
  e.respondWith(fetch(e.request).then((res) => {
    e.waitUntil(Promise.resolve(keep(url.pathname, res.clone())));
    return res;
  }, () => lastCopy(url.pathname)));
});
`;

/** The web app manifest and the member app's service worker. */
export const manifestPage: PortalPage = (app, p) => {
  app.get('/manifest.webmanifest', (c) => {
    const m = messagesFor('id');
    return webManifest(
      c,
      p,
      { id: '/', name: `${m.common.siteName} — BPJS Ketenagakerjaan BPU`, short_name: m.common.siteName, description: m.common.tagline, start_url: '/', scope: '/' },
      'public, max-age=86400',
      [
        { name: m.shell.tileCard, url: '/akun/kartu' },
        { name: m.common.navAccount, url: '/akun' },
      ],
    );
  });
  app.get('/sw.js', (c) => {
    const files = workerFiles(p);
    const version = createHash('sha256').update(files.join('\n')).update(SW_SOURCE).digest('hex').slice(0, 12);
    const offline = { id: messagesFor('id').shell.offlineCopy, en: messagesFor('en').shell.offlineCopy };
    const head = `const VERSION = ${JSON.stringify(version)};\nconst FILES = ${JSON.stringify(files)};\nconst OFFLINE = ${JSON.stringify(offline)};\n`;
    return c.body(head + SW_SOURCE, 200, { 'content-type': 'text/javascript; charset=utf-8', 'cache-control': 'no-cache' });
  });
};

/** A web app manifest with the portal's colours and icons; `fields` names the app and its scope (the agent app has its own). */
export function webManifest(c: PortalContext, p: PortalDeps, fields: Record<string, string>, cacheControl = 'no-cache', shortcuts?: { name: string; url: string }[]) {
  return c.body(
    JSON.stringify({
      ...fields,
      lang: 'id',
      display: 'standalone',
      background_color: '#f6f7f5',
      theme_color: '#00693e',
      icons: [
        { src: p.assets.url('icon-192.png'), sizes: '192x192', type: 'image/png' },
        { src: p.assets.url('icon-512.png'), sizes: '512x512', type: 'image/png' },
        { src: p.assets.url('icon.svg'), sizes: 'any', type: 'image/svg+xml' },
      ],
      ...(shortcuts ? { shortcuts } : {}),
    }),
    200,
    { 'content-type': 'application/manifest+json; charset=utf-8', 'cache-control': cacheControl },
  );
}
