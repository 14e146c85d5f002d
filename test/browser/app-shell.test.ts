import type { CDPSession, Page } from 'playwright-core';
import { describe, expect, it } from 'vitest';
import { activeMember } from '../support/factories.js';
import { newMobilePage, useBrowserSuite } from './support/browser.js';
import { look, signIn } from './support/member-pages.js';

/**
 * Issue 18 items 13 and 14 in Chromium at 360×800, as a first-time worker met them: the card was a tall green block
 * with the KPJ wrapping and the QR below the first screen; the portal looked like a plain form (no logo, 19-pixel nav
 * links, no member home, SMS that could be anyone's). Now: tiles in the order people use them, a logo mark, every
 * tap target ≥ 44 px, the SMS sender named; the card in ID-1 proportions with the KPJ on one line and the QR in the
 * first screen; and, installed as the member app, the card and the last status open with the network cut through CDP
 * (a worker at a clinic with no signal) — and never after signing out.
 */
const suite = useBrowserSuite();

/** Every visible link, button and field smaller than 44 px high (a radio or checkbox counts with its label row). */
async function smallTargets(page: Page): Promise<string[]> {
  return page.evaluate(() =>
    [...document.querySelectorAll<HTMLElement>('a[href], button, input:not([type=hidden]), select, summary')]
      .map((e) => {
        const box = (e instanceof HTMLInputElement && (e.type === 'radio' || e.type === 'checkbox') ? (e.closest('.choice') ?? e) : e).getBoundingClientRect();
        return { e, box };
      })
      .filter(({ e, box }) => box.width > 0 && box.right > 0 && getComputedStyle(e).visibility !== 'hidden' && box.height < 43.5)
      .map(({ e, box }) => `${e.tagName.toLowerCase()} "${(e.textContent ?? '').trim().slice(0, 30)}" ${box.height.toFixed(1)} px`),
  );
}

const conditions = (offline: boolean) => ({ offline, latency: 0, downloadThroughput: -1, uploadThroughput: -1 });

/**
 * Cuts (or restores) the network with CDP for the page AND its service worker: DevTools' "Offline" is per target, and
 * the worker's own fetches (network first for the card) do not go through the page's emulation.
 */
async function setOffline(cdp: { page: CDPSession; browser: CDPSession; worker?: string }, offline: boolean) {
  await cdp.page.send('Network.emulateNetworkConditions', conditions(offline));
  if (cdp.worker) {
    for (const [id, method, params] of [[1, 'Network.enable', {}], [2, 'Network.emulateNetworkConditions', conditions(offline)]] as const) {
      await cdp.browser.send('Target.sendMessageToTarget', { sessionId: cdp.worker, message: JSON.stringify({ id, method, params }) });
    }
  }
}

/** The browser-level CDP session attached to the member app's service worker. */
async function attachWorker(browser: CDPSession, url: string): Promise<string> {
  const { targetInfos } = await browser.send('Target.getTargets');
  const target = targetInfos.find((t) => t.type === 'service_worker' && t.url === url);
  if (!target) throw new Error(`no service worker ${url}: ${targetInfos.map((t) => `${t.type} ${t.url}`).join(', ')}`);
  return (await browser.send('Target.attachToTarget', { targetId: target.targetId, flatten: false })).sessionId;
}

/** The member app's kept copies: path → body. */
async function keptPages(page: Page): Promise<Record<string, string>> {
  return page.evaluate(async () => {
    const cache = await caches.open('lindung-akun');
    const out: Record<string, string> = {};
    for (const req of await cache.keys()) out[new URL(req.url).pathname] = await (await cache.match(req))!.text();
    return out;
  });
}

describe('the member app shell', { timeout: 180_000 }, () => {
  it('member home tiles, logo, 44-pixel targets, SMS sender; the ID-1 card with its QR in the first screen, offline after a signed-in visit, gone after sign-out', async () => {
    const { server, browser } = suite;
    const member = await activeMember(server, { programs: ['JKK', 'JKM', 'JHT'], months: 1 });
    server.clock.advance(61_000); // past the sign-in code's resend wait
    const { context, page } = await newMobilePage(browser, { baseURL: server.origin });
    try {
      // Signed out: the nav links were 19 px high.
      for (const path of ['/', '/masuk']) {
        await page.goto(server.url(path));
        expect(await smallTargets(page), path).toEqual([]);
      }
      await signIn(server, page, member.person.phone);

      // The member home: a logo mark, tiles in the order people use them, each with its state.
      expect(await page.locator('header .brand svg.logo-mark').isVisible()).toBe(true);
      const titles = await page.locator('.tiles .tile-title').allInnerTexts();
      expect(titles.slice(0, 3)).toEqual(['Status', 'Bayar iuran', 'Kartu']);
      expect(titles[3]).toMatch(/^Saldo JHT Rp[\d.]+$/);
      expect(titles[4]).toBe('Klaim');
      const status = await page.locator('.tile-status .tile-state').innerText();
      expect(status).toMatch(/^Aktif s\.d\. \p{L}+ \d{4}$/u);
      // The SMS sender, named from the configuration.
      const sms = await page.locator('#sms-resmi').innerText();
      expect(sms).toContain(`SMS resmi dari Lindung datang dari pengirim ${server.config.smsSenderId}; kami tidak pernah meminta kode OTP atau PIN Anda`);
      expect(await smallTargets(page), '/akun').toEqual([]);
      await look(page, 'shell-01-akun');

      // The card: ID-1 proportions, the KPJ on one line, the QR in the first 800 px.
      await page.getByRole('link', { name: /^Kartu/ }).click();
      await page.waitForURL('**/akun/kartu');
      const card = (await page.locator('.member-card').boundingBox())!;
      expect(card.width / card.height).toBeCloseTo(85.6 / 53.98, 1);
      const kpj = page.locator('.member-card-kpj');
      expect((await kpj.innerText()).replace(/\s/g, '')).toBe(member.kpj);
      const oneLine = await kpj.evaluate((e) => e.getBoundingClientRect().height <= parseFloat(getComputedStyle(e).lineHeight) + 1);
      expect(oneLine).toBe(true);
      const qr = (await page.locator('.member-card .qr svg').boundingBox())!;
      expect(qr.y).toBeGreaterThanOrEqual(0);
      expect(qr.y + qr.height).toBeLessThanOrEqual(800);
      expect(await page.locator('.member-card').innerText()).toContain(status);
      expect(await smallTargets(page), '/akun/kartu').toEqual([]);
      await look(page, 'shell-02-kartu');
      await page.goto(server.url('/akun/jht'));
      expect(await smallTargets(page), '/akun/jht').toEqual([]);

      // Installable: the manifest, and the service worker that keeps the card and the last status.
      const manifest = await page.evaluate(async () => (await fetch(document.querySelector<HTMLLinkElement>('link[rel=manifest]')?.href ?? '')).json());
      expect(manifest).toMatchObject({ display: 'standalone', shortcuts: expect.arrayContaining([expect.objectContaining({ url: '/akun/kartu' })]) });
      await page.goto(server.url('/akun/kartu'));
      await expect.poll(() => page.evaluate(() => navigator.serviceWorker.controller?.scriptURL ?? null), { timeout: 20_000 }).toBe(server.url('/sw.js'));
      await page.reload();
      await expect.poll(async () => Object.keys(await keptPages(page)).sort()).toEqual(['/akun', '/akun/kartu']);
      for (const [path, body] of Object.entries(await keptPages(page))) expect(body, path).not.toContain(member.person.nik);

      // At a clinic with no signal: the network cut through CDP, the card page reloaded.
      const browserCdp = await browser.newBrowserCDPSession();
      const cdp = { page: await context.newCDPSession(page), browser: browserCdp, worker: await attachWorker(browserCdp, server.url('/sw.js')) };
      await cdp.page.send('Network.enable');
      await setOffline(cdp, true);
      await page.reload();
      await expect.poll(() => page.locator('#salinan-terakhir').isVisible()).toBe(true);
      expect(await page.locator('.member-card-kpj').innerText()).toBe(await kpj.innerText());
      expect(await page.locator('#diperbarui').innerText()).toMatch(/^Terakhir diperbarui \d+ \p{L}+ \d{4} (pukul )?\d{2}\.\d{2} WIB$/u);
      expect(await page.locator('.member-card .qr svg').isVisible()).toBe(true);
      await look(page, 'shell-03-kartu-tanpa-sinyal');
      await page.goto(server.url('/akun'));
      expect(await page.locator('.tile-status .tile-state').innerText()).toBe(status);
      await setOffline(cdp, false);

      // Signing out drops the kept copies: a signed-out phone never shows a card, with or without signal.
      await page.goto(server.url('/akun'));
      await page.getByRole('button', { name: 'Keluar' }).click();
      await page.waitForURL(server.url('/'));
      await expect.poll(async () => Object.keys(await keptPages(page))).toEqual([]);
      await setOffline(cdp, true);
      const offline = await page.goto(server.url('/akun/kartu')).catch(() => null);
      expect(offline?.ok() ?? false).toBe(false);
      expect(await page.locator('.member-card').count()).toBe(0);
      await setOffline(cdp, false);
    } finally {
      await context.close();
    }
  });
});
