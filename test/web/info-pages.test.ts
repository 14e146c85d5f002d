import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { portalClient, textOf } from '../support/portal-client.js';
import { createTestApp, type TestApp } from '../support/test-app.js';

let t: TestApp;
beforeAll(async () => {
  t = await createTestApp();
});
afterAll(async () => {
  await t.close();
});

describe('information pages and error pages (issue 18 item 15 and extras)', () => {
  it('a mistyped address outside the portal paths is an Indonesian HTML 404 with a way back; API paths stay JSON', async () => {
    const page = await t.app.request('/daftr', { headers: { accept: 'text/html,application/xhtml+xml;q=0.9,*/*;q=0.8' } });
    expect(page.status).toBe(404);
    expect(page.headers.get('content-type')).toContain('text/html');
    const html = await page.text();
    expect(textOf(html)).toContain('Halaman tidak ditemukan');
    for (const href of ['href="/"', 'href="/bantuan"', 'action="/bantuan"']) expect(html).toContain(href);
    const api = await t.app.request('/api/v1/nothing-here', { headers: { accept: 'text/html' } });
    expect(api.status).toBe(404);
    expect(((await api.json()) as { error: { code: string } }).error.code).toBe('not_found');
    const plain = await t.app.request('/daftr');
    expect(plain.status).toBe(404);
    expect(plain.headers.get('content-type')).toContain('application/json');
  });

  it('help answers the questions and its search filters sections without JavaScript', async () => {
    const b = portalClient(t);
    const all = textOf((await b.get('/bantuan')).html);
    for (const q of ['Siapa yang bisa ikut?', 'Berapa iurannya?', 'Bagaimana cara membayar?', 'telat membayar', 'klaim JKK, JKM dan JHT']) expect(all).toContain(q);
    const late = textOf((await b.get('/bantuan?q=denda')).html);
    expect(late).toContain('Tidak ada denda');
    expect(late).not.toContain('Siapa yang bisa ikut?');
  });

  it('terms and privacy are versioned; the footer links them; branches are searchable by city', async () => {
    const b = portalClient(t);
    const home = await b.get('/');
    for (const href of ['/bantuan', '/syarat', '/privasi', '/kantor-cabang']) expect(home.html).toContain(`href="${href}"`);
    expect(textOf((await b.get('/privasi')).html)).toContain('Nomor 27 Tahun 2022');
    expect(textOf((await b.get('/syarat')).html)).toContain('Versi 1');
    const bandung = textOf((await b.get('/kantor-cabang?q=bandung')).html);
    expect(bandung).toContain('Kantor Cabang Bandung Suci');
    expect(bandung).not.toContain('Jakarta Salemba');
  });
});
