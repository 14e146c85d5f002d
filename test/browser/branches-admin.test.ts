import { describe, expect, it } from 'vitest';
import { useBrowserSuite } from './support/browser.js';
import { lookAtStaffPage as look, STAFF_DESKTOP as DESKTOP } from './support/staff-page.js';

/**
 * "Kantor cabang" in a real browser at 1280×800 (and the tablet width), JavaScript off: an administrator follows the
 * link from "Kantor & titik layanan", adds a branch, opens it again from its code in the table, deactivates it, and the
 * service point form no longer offers it. axe 0 and the width checks (lookAtStaffPage); screenshots into
 * docs/screenshots/staff/.
 */
const suite = useBrowserSuite();
const PASSWORD = 'kata-sandi-staf-123';

describe('branch offices administration (browser)', () => {
  it('an administrator adds, reopens and deactivates a branch; the service point form follows', async () => {
    const { server, browser } = suite;
    expect((await server.post('/dev/staff', { username: 'admin-cabang', password: PASSWORD, roles: ['admin'] })).status).toBe(201);
    const context = await browser.newContext({ viewport: { ...DESKTOP }, locale: 'id-ID', timezoneId: 'Asia/Jakarta', javaScriptEnabled: false });
    const page = await context.newPage();
    try {
      await page.goto(server.url('/staff/kantor'));
      await page.waitForURL('**/staff/masuk?lanjut=*');
      await page.getByLabel('Nama pengguna').fill('admin-cabang');
      await page.getByLabel('Kata sandi').fill(PASSWORD);
      await page.getByRole('button', { name: 'Masuk' }).click();
      await page.waitForURL('**/staff/kantor');
      await page.getByRole('link', { name: 'Kantor cabang: tambah, ubah, nonaktifkan' }).click();
      await page.waitForURL('**/staff/kantor/cabang');
      await look(page, 'staff-kantor-cabang-01-daftar');

      await page.getByLabel('Kode kantor cabang').fill('depok');
      await page.getByLabel('Nama', { exact: true }).fill('Kantor Cabang Depok');
      await page.getByLabel('Kota', { exact: true }).fill('Depok');
      await page.getByLabel('Provinsi').selectOption('Jawa Barat');
      await page.getByLabel('Alasan').fill('Kantor cabang baru');
      await page.getByRole('button', { name: 'Simpan kantor cabang' }).click();
      await expect.poll(() => page.getByRole('status').textContent()).toContain('Kantor cabang DEPOK disimpan.');

      await page.getByRole('link', { name: 'DEPOK', exact: true }).click();
      await expect.poll(() => page.getByLabel('Kota', { exact: true }).inputValue()).toBe('Depok');
      await page.getByLabel('Nonaktif').check();
      await page.getByLabel('Alasan').fill('Digabung ke Bogor');
      await page.getByRole('button', { name: 'Simpan kantor cabang' }).click();
      await expect.poll(() => page.getByRole('status').textContent()).toContain('Kantor cabang DEPOK disimpan.');
      const row = page.getByRole('row').filter({ hasText: 'Kantor Cabang Depok' });
      await expect.poll(() => row.textContent()).toContain('Nonaktif');
      await look(page, 'staff-kantor-cabang-02-nonaktif');

      await page.goto(server.url('/staff/kantor'));
      const offered = await page.locator('#branchCode option').allTextContents();
      expect(offered).toContain('Kantor Cabang Bogor (BOGOR)');
      expect(offered).not.toContain('Kantor Cabang Depok (DEPOK)');
    } finally {
      await context.close();
    }
  });
});
