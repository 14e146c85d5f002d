import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { activeMember, latestData } from '../support/factories.js';
import { portalClient, textOf } from '../support/portal-client.js';
import { createTestApp, type TestApp } from '../support/test-app.js';

/**
 * The app shell through the real app (issue 18 items 13–14): the SMS sender named from the configuration, the member
 * home's tiles in order, the card page's "Terakhir diperbarui", the member app's manifest and service worker.
 * (test/browser/app-shell.test.ts checks the same in Chromium: sizes, offline, sign-out.)
 */
let t: TestApp;
beforeAll(async () => {
  t = await createTestApp({ env: { SMS_SENDER_ID: 'LINDUNG-UJI' } });
});
afterAll(async () => t.close());

describe('the app shell', () => {
  it('names the official SMS sender from SMS_SENDER_ID on every page, with the logo mark inline in the header', async () => {
    const home = await portalClient(t).get('/');
    expect(textOf(home.html)).toContain('SMS resmi dari Lindung datang dari pengirim LINDUNG-UJI; kami tidak pernah meminta kode OTP atau PIN Anda');
    expect(home.html).toMatch(/<header class="site-header">[\s\S]*<svg class="logo-mark"[\s\S]*<\/header>/);
    expect(home.html.slice(home.html.indexOf('</head>'))).not.toContain('data-sw='); // (the inlined script in <head> names the attribute)
  });

  it('the member home starts with the tiles status, pay, card, JHT balance, claims; the card says when it was made', async () => {
    const member = await activeMember(t, { programs: ['JKK', 'JKM', 'JHT'], declaredIncome: 1_000_000, months: 1 });
    t.clock.advance(61_000);
    const client = portalClient(t);
    await client.submit('/masuk', '/masuk', { phone: member.person.phone }, { follow: false });
    await client.submit('/masuk/kode', '/masuk/kode', { code: await latestData(t, member.person.phone, 'otp') }, { follow: false });
    const home = await client.get('/akun');
    expect(home.html).toContain('data-sw="/sw.js"');
    const tiles = [...home.html.matchAll(/<span class="tile-title">([^<]*)<\/span><span class="tile-state">([^<]*)<\/span>/g)].map((m) => `${m[1]} | ${m[2]}`);
    expect(tiles).toEqual(['Status | Aktif s.d. November 2026', 'Bayar iuran | Bulan berikutnya: Desember 2026', 'Kartu | Tunjukkan saat berobat, juga tanpa sinyal', 'Saldo JHT Rp20.000 | Tabungan hari tua Anda', 'Klaim | Ajukan klaim dan ikuti prosesnya']);
    const card = await client.get('/akun/kartu');
    expect(textOf(card.html)).toMatch(/Terakhir diperbarui \d+ November 2026 (pukul )?\d{2}\.\d{2} WIB/);
    expect(card.html).toContain('class="member-card-kpj"');
    for (const page of [home, card]) expect(page.html).not.toContain(member.person.nik);
  });

  it('serves the member app: a manifest with the card shortcut and a service worker keeping /akun and /akun/kartu', async () => {
    const manifest = (await (await t.app.request('/manifest.webmanifest')).json()) as { scope: string; shortcuts: { url: string }[] };
    expect(manifest.scope).toBe('/');
    expect(manifest.shortcuts.map((s) => s.url)).toEqual(['/akun/kartu', '/akun']);
    const sw = await t.app.request('/sw.js');
    expect(sw.headers.get('content-type')).toContain('text/javascript');
    expect(sw.headers.get('cache-control')).toBe('no-cache');
    const js = await sw.text();
    expect(js).toContain('const PAGES = ["/akun","/akun/kartu"]');
    expect(js).toMatch(/\/aset\/[0-9a-f]{10}\/lindung\.css/);
    expect(js).toContain("'/keluar'");
  });
});
