import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { addResident, latestData, makePerson } from '../support/factories.js';
import { portalClient, textOf } from '../support/portal-client.js';
import { createTestApp, type TestApp } from '../support/test-app.js';

let t: TestApp;
beforeAll(async () => {
  t = await createTestApp();
});
afterAll(async () => {
  await t.close();
});

describe('registration journey through the pages', () => {
  it('goes from step 1 to the payment page and pays with the simulator', async () => {
    const b = portalClient(t);
    const person = makePerson();
    await addResident(t, person);
    let page = await b.open('/daftar');
    expect(page.status).toBe(200);
    page = await b.submit('/daftar', '/daftar', {
      nik: person.nik,
      fullName: person.fullName,
      birthDate: person.birthDate,
      gender: person.gender,
      phone: person.phone,
      email: person.email,
      address: person.address,
    });
    expect(page.status, textOf(page.html)).toBe(200);
    expect(textOf(page.html)).toContain('Pekerjaan dan kantor cabang');
    page = await b.submit('/daftar/pekerjaan', '/daftar/pekerjaan', { occupationCode: 'OJOL', branchCode: 'BDG-SUCI', consent: 'yes' });
    expect(page.status, textOf(page.html)).toBe(200);
    expect(textOf(page.html)).toContain('Verifikasi email dan nomor HP');
    const outbox = (await t.get(`/dev/outbox?to=${encodeURIComponent(person.email)}`)).body;
    const link = /https?:\/\/[^\s"]+verifikasi-email[^\s"]+/.exec(outbox.messages[0].body)?.[0] ?? '';
    page = await b.open(new URL(link).pathname + new URL(link).search);
    expect(textOf(page.html)).toContain('Email berhasil diverifikasi');
    const here = new URL(link).pathname.replace('/verifikasi-email', '');
    page = await b.submit(here, `${here}/otp`, { code: await latestData(t, person.phone, 'otp') });
    expect(page.status, textOf(page.html)).toBe(200);
    expect(textOf(page.html)).toContain('Program dan iuran');
    page = await b.submit(`${here}/program`, `${here}/program`, { income: '2.000.000', programs: 'JHT', months: '3', intent: 'submit' });
    expect(page.status, textOf(page.html)).toBe(200);
    const text = textOf(page.html);
    expect(text).toContain('Rp160.200');
    const code = /\/bayar\/(\d{16})\/simulasi/.exec(page.html)?.[1];
    expect(code).toBeDefined();
    page = await b.submit(`/bayar/${code}`, `/bayar/${code}/simulasi`, { channel: 'qris' });
    expect(textOf(page.html)).toContain('Pembayaran diterima');
  });
});

describe('what every page shares', () => {
  it('sends a strict Content-Security-Policy, security headers and no-store, compressed with gzip', async () => {
    const res = await t.app.request('/', { headers: { 'accept-encoding': 'gzip' } });
    expect(res.status).toBe(200);
    const csp = res.headers.get('content-security-policy') ?? '';
    expect(csp).toContain("default-src 'none'");
    expect(csp).toContain("script-src 'self'");
    expect(csp).not.toContain('unsafe-inline');
    expect(csp).toContain("frame-ancestors 'none'");
    expect(res.headers.get('x-content-type-options')).toBe('nosniff');
    expect(res.headers.get('cache-control')).toBe('no-store');
    expect(res.headers.get('content-encoding')).toBe('gzip');
  });

  it('serves an installable web app manifest whose icons exist', async () => {
    const res = await t.app.request('/manifest.webmanifest');
    expect(res.headers.get('content-type')).toContain('application/manifest+json');
    const manifest = (await res.json()) as { start_url: string; display: string; lang: string; icons: { src: string; sizes: string; type: string }[] };
    expect(manifest.start_url).toBe('/');
    expect(manifest.display).toBe('standalone');
    expect(manifest.lang).toBe('id');
    expect(manifest.icons.map((i) => i.sizes)).toEqual(expect.arrayContaining(['192x192', '512x512']));
    for (const icon of manifest.icons) {
      const img = await t.app.request(icon.src);
      expect(img.status, icon.src).toBe(200);
      expect(img.headers.get('content-type')).toBe(icon.type);
      expect(img.headers.get('cache-control')).toContain('immutable');
    }
    const html = await (await t.app.request('/')).text();
    expect(html).toContain('<link rel="manifest" href="/manifest.webmanifest"/>');
  });

  it('assets are served only under their content hash', async () => {
    const html = await (await t.app.request('/')).text();
    // (the stylesheet is inlined in <head> now; the icon is still a linked asset)
    const css = /href="(\/aset\/[0-9a-f]{10}\/icon\.svg)"/.exec(html)?.[1];
    expect(css).toBeDefined();
    expect((await t.app.request(css!)).status).toBe(200);
    expect((await t.app.request(css!.replace(/\/aset\/[0-9a-f]{10}\//, '/aset/0000000000/'))).status).toBe(404);
  });

  it('an unknown page is an HTML 404 in the person’s language; an unknown API path stays JSON', async () => {
    const page = await t.app.request('/daftar/tidak/ada', { headers: { accept: 'text/html' } });
    expect(page.status).toBe(404);
    expect(textOf(await page.text())).toContain('Halaman tidak ditemukan');
    const api = await t.app.request('/api/v1/nothing-here');
    expect(api.status).toBe(404);
    expect(((await api.json()) as { error: { code: string } }).error.code).toBe('not_found');
  });

  it('the payment simulator does not exist in production', async () => {
    const prod = await createTestApp({
      env: { NODE_ENV: 'production', PAYMENT_WEBHOOK_SECRET: 'a', OTP_SECRET: 'b', CARD_SIGNING_SEED: 'c', STAFF_API_KEY: 'd', COOKIE_SECRET: 'e' },
    });
    try {
      const b = portalClient(prod);
      const home = await b.get('/');
      expect(textOf(home.html)).not.toContain('Mode pengembangan');
      const res = await b.submit('/daftar', '/bayar/8000000000000001/simulasi', { channel: 'va' }, { follow: false });
      expect(res.status).toBe(404);
    } finally {
      await prod.close();
    }
  });

  it('the unknown payment code page explains the 16 digits', async () => {
    const page = await portalClient(t).get('/bayar/1234');
    expect(page.status).toBe(404);
    expect(textOf(page.html)).toContain('Kode bayar terdiri dari 16 angka');
  });
});
