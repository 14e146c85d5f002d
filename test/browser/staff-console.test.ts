import type { Page } from 'playwright-core';
import { describe, expect, it } from 'vitest';
import { useBrowserSuite } from './support/browser.js';
import { lookAtStaffPage as look, STAFF_DESKTOP as DESKTOP } from './support/staff-page.js';

/**
 * The staff console in a real browser (Debian's Chromium) at 1280×800, with JavaScript off (nothing needs it): an
 * administrator signs in, sets a year's JHT rate, reads its audit trail and signs out. axe 0 on every page; no
 * element wider than the screen at 1280×800 nor on a tablet (768×1024); screenshots at 1280×800 into
 * docs/screenshots/staff/.
 */
const suite = useBrowserSuite();
const PASSWORD = 'kata-sandi-staf-123';

describe('staff console (browser)', () => {
  it('an administrator signs in, sets a rate, reads the audit trail and signs out; a supervisor gets the 403 page', async () => {
    const { server, browser } = suite;
    for (const [username, roles] of [['admin-dua', ['admin']], ['super-dua', ['supervisor']]] as const) {
      expect((await server.post('/dev/staff', { username, password: PASSWORD, roles })).status).toBe(201);
    }
    const context = await browser.newContext({ viewport: { ...DESKTOP }, locale: 'id-ID', timezoneId: 'Asia/Jakarta', javaScriptEnabled: false });
    const page = await context.newPage();
    try {
      await page.goto(server.url('/staff/tarif-jht'));
      await page.waitForURL('**/staff/masuk?lanjut=*');
      await look(page, 'staff-01-masuk');
      await page.getByLabel('Nama pengguna').fill('admin-dua');
      await page.getByLabel('Kata sandi').fill('salah-sekali');
      await page.getByRole('button', { name: 'Masuk' }).click();
      await expect.poll(() => page.getByRole('alert').first().textContent()).toContain('salah');
      await look(page, 'staff-02-masuk-salah');

      await page.getByLabel('Kata sandi').fill(PASSWORD);
      await page.getByRole('button', { name: 'Masuk' }).click();
      await page.waitForURL('**/staff/tarif-jht');
      await page.getByLabel('Tahun', { exact: true }).fill('2026');
      await page.getByLabel('Tarif (% per tahun)').fill('7,25');
      await page.getByRole('button', { name: 'Simpan tarif' }).click();
      await expect.poll(() => page.getByRole('status').textContent()).toContain('Tarif tahun 2026 disimpan: 7,25%.');
      await expect.poll(() => page.locator('table').textContent()).toContain('admin-dua');
      await look(page, 'staff-03-tarif-jht');

      await page.getByRole('link', { name: 'Jejak audit 2026' }).click();
      await page.waitForURL('**/staff/audit?entitas=jht_rate:2026');
      await expect.poll(() => page.locator('table').textContent()).toContain('jht_rate.put');
      await look(page, 'staff-04-jejak-audit');

      await page.getByRole('navigation', { name: 'Menu konsol staf' }).getByRole('link', { name: 'Beranda' }).click();
      await page.waitForURL(/\/staff$/);
      await look(page, 'staff-05-beranda-admin');

      await page.getByRole('button', { name: 'Keluar' }).click();
      await page.waitForURL('**/staff/masuk');
      await expect.poll(() => page.getByRole('status').textContent()).toContain('Anda sudah keluar');
      await page.goto(server.url('/staff'));
      await page.waitForURL('**/staff/masuk');

      await page.getByLabel('Nama pengguna').fill('super-dua');
      await page.getByLabel('Kata sandi').fill(PASSWORD);
      await page.getByRole('button', { name: 'Masuk' }).click();
      await page.waitForURL(/\/staff$/);
      await look(page, 'staff-06-beranda-supervisor');
      await page.goto(server.url('/staff/tarif-jht'));
      await expect.poll(() => page.locator('h1').textContent()).toBe('Akses ditolak');
      await look(page, 'staff-07-akses-ditolak');
    } finally {
      await context.close();
    }
  });
});

