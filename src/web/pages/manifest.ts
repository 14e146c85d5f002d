import type { PortalPage } from '../context.js';
import { messagesFor } from '../i18n/messages.js';

/** The web app manifest (installable portal): names from the Indonesian catalogue, icons with their content hash. */
export const manifestPage: PortalPage = (app, p) => {
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
};
