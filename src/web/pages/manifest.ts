import type { PortalContext, PortalDeps, PortalPage } from '../context.js';
import { messagesFor } from '../i18n/messages.js';

/** The web app manifest (installable portal): names from the Indonesian catalogue, icons with their content hash. */
export const manifestPage: PortalPage = (app, p) => {
  app.get('/manifest.webmanifest', (c) => {
    const m = messagesFor('id').common;
    return webManifest(c, p, { name: `${m.siteName} — BPJS Ketenagakerjaan BPU`, short_name: m.siteName, description: m.tagline, start_url: '/', scope: '/' }, 'public, max-age=86400');
  });
};

/** A web app manifest with the portal's colours and icons; `fields` names the app and its scope (the agent app has its own). */
export function webManifest(c: PortalContext, p: PortalDeps, fields: Record<string, string>, cacheControl = 'no-cache') {
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
    }),
    200,
    { 'content-type': 'application/manifest+json; charset=utf-8', 'cache-control': cacheControl },
  );
}
