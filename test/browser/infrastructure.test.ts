import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { expectNoAxeViolations, measureFirstLoad, MOBILE_VIEWPORT, newMobilePage, screenshot, trackRequests, useBrowserSuite } from './support/browser.js';

// The helpers the journey tests use, proven against the real app served on a loopback port.
const suite = useBrowserSuite();
const shots = mkdtempSync(join(tmpdir(), 'lindung-shots-'));
afterAll(() => rmSync(shots, { recursive: true, force: true }));

describe('the served app', () => {
  it('listens on loopback, and PUBLIC_BASE_URL is the served origin', async () => {
    const { server } = suite;
    expect(server.origin).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);
    expect(server.config.publicBaseUrl).toBe(server.origin);
    expect(server.config.isDevelopment).toBe(true);
    const res = await server.fetch('/healthz');
    expect(res.status).toBe(200);
    expect(await res.json()).toEqual({ status: 'ok' });
  });

  it('opens /healthz and the OpenAPI document in Chromium, first-party requests only', async () => {
    const { server, browser } = suite;
    const { context, page } = await newMobilePage(browser, { baseURL: server.origin });
    try {
      const tracker = await trackRequests(context, server.origin);
      const health = await page.goto('/healthz');
      expect(health?.status()).toBe(200);
      expect(JSON.parse((await page.locator('body').textContent()) ?? '')).toEqual({ status: 'ok' });
      const doc = await page.goto('/api/v1/openapi.json');
      expect(doc?.headers()['content-type']).toContain('application/json');
      expect(((await doc?.json()) as { openapi: string }).openapi).toBe('3.1.0');
      expect(tracker.urls()).toEqual([server.url('/healthz'), server.url('/api/v1/openapi.json')]);
      tracker.expectFirstPartyOnly();
      expect(page.viewportSize()).toEqual(MOBILE_VIEWPORT);
      expect(await page.evaluate(() => navigator.language)).toBe('id-ID');
    } finally {
      await context.close();
    }
  });
});

describe('the helpers', () => {
  it('screenshot() writes a full-page PNG 360 CSS pixels wide', async () => {
    const { server, browser } = suite;
    const { context, page } = await newMobilePage(browser);
    try {
      // A tall mobile page (the phone context honours <meta name="viewport">; a page without one lays out 980 wide).
      await page.route(server.url('/__tall'), (route) =>
        route.fulfill({
          contentType: 'text/html',
          body: '<!doctype html><meta name="viewport" content="width=device-width, initial-scale=1"><title>t</title><div style="height:1500px">tinggi</div>',
        }),
      );
      await page.goto(server.url('/__tall'));
      const path = await screenshot(page, 'self-test/tall', { dir: shots });
      expect(path).toBe(join(shots, 'self-test', 'tall.png'));
      const png = readFileSync(path);
      expect(png.subarray(1, 4).toString()).toBe('PNG');
      // IHDR: width and height, big-endian, at bytes 16 and 20.
      expect(png.readUInt32BE(16)).toBe(360);
      expect(png.readUInt32BE(20)).toBeGreaterThanOrEqual(1500);
    } finally {
      await context.close();
    }
  });

  it('trackRequests() reports a request to another origin (blocked before it leaves the browser)', async () => {
    const { server, browser } = suite;
    const { context, page } = await newMobilePage(browser);
    try {
      // A page on the served origin (answered by the test, not the app) that pulls a script from elsewhere.
      await page.route(server.url('/__probe'), (route) =>
        route.fulfill({ contentType: 'text/html', body: '<!doctype html><title>probe</title><script src="http://example.invalid/x.js"></script>' }),
      );
      const tracker = await trackRequests(page, server.origin, { block: true });
      await page.goto(server.url('/__probe'));
      await tracker.settled();
      expect(tracker.thirdParty()).toEqual(['http://example.invalid/x.js']);
      expect(() => tracker.expectFirstPartyOnly()).toThrow(/1 request\(s\) to an origin other than .*\n.*example\.invalid\/x\.js/);
      await tracker.stop();
    } finally {
      await context.close();
    }
  });

  it('measureFirstLoad() counts the bytes of a fresh load', async () => {
    const { server, browser } = suite;
    const load = await measureFirstLoad(browser, server.url('/healthz'));
    const body = '{"status":"ok"}';
    expect(load.byUrl).toEqual({ [server.url('/healthz')]: Buffer.byteLength(body) });
    expect(load.totalBytes).toBe(Buffer.byteLength(body));
    expect(load.transferBytes).toBeGreaterThan(load.totalBytes);
    expect(load.thirdParty).toEqual([]);
  });

  it.each([
    ['on', true],
    ['off', false],
  ])('expectNoAxeViolations() passes a clean page and lists what is wrong on a bad one, under a strict CSP (JavaScript %s)', async (_, javaScriptEnabled) => {
    const { server, browser } = suite;
    const { context, page } = await newMobilePage(browser, { javaScriptEnabled });
    const csp = "default-src 'self'; script-src 'self'; style-src 'self'";
    const serve = (html: string) =>
      page.route(server.url('/__axe'), (route) => route.fulfill({ contentType: 'text/html', headers: { 'content-security-policy': csp }, body: html }));
    // The page's own script (allowed by its CSP) marks the page; with JavaScript off it must stay unmarked, axe or not.
    await page.route(server.url('/__axe.js'), (route) => route.fulfill({ contentType: 'text/javascript', body: 'document.documentElement.dataset.js = "ran";' }));
    try {
      await serve(
        '<!doctype html><html lang="id"><head><meta name="viewport" content="width=device-width"><title>Baik</title><script src="/__axe.js"></script></head><body><main><h1>Halo</h1></main></body></html>',
      );
      await page.goto(server.url('/__axe'));
      expect((await expectNoAxeViolations(page)).passes.length).toBeGreaterThan(0);
      expect(await page.evaluate(() => document.documentElement.dataset['js'] ?? null)).toBe(javaScriptEnabled ? 'ran' : null);

      await page.unroute(server.url('/__axe'));
      await serve('<!doctype html><html><head><title>Buruk</title></head><body><main><img src="data:image/gif;base64,R0lGODlhAQABAAAAACw="><input id="nik"></main></body></html>');
      await page.goto(server.url('/__axe'));
      const error = await expectNoAxeViolations(page).then(
        () => null,
        (e: unknown) => e as Error,
      );
      expect(error?.message).toMatch(/html-has-lang/);
      expect(error?.message).toMatch(/image-alt[^\n]*\n\s+- img/);
      expect(error?.message).toMatch(/label[^\n]*\n\s+- #nik/);
    } finally {
      await context.close();
    }
  });
});
