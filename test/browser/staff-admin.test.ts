import { URI } from 'otpauth';
import { describe, expect, it } from 'vitest';
import { useBrowserSuite } from './support/browser.js';
import { lookAtStaffPage as look, STAFF_DESKTOP as DESKTOP } from './support/staff-page.js';

/**
 * "Akun staf" in a real browser at 1280×800, JavaScript off: an administrator creates an account (the one-time QR),
 * resets its authenticator, and the new staff member signs in with a code of the new secret. axe 0 and the width
 * checks on every page (lookAtStaffPage); screenshots into docs/screenshots/staff/.
 */
const suite = useBrowserSuite();
const PASSWORD = 'kata-sandi-staf-123';

describe('staff administration (browser)', () => {
  it('an administrator creates an account, resets its authenticator, and the account signs in with the new code', async () => {
    const { server, browser } = suite;
    expect((await server.post('/dev/staff', { username: 'admin-tiga', password: PASSWORD, roles: ['admin'] })).status).toBe(201);
    const context = await browser.newContext({ viewport: { ...DESKTOP }, locale: 'id-ID', timezoneId: 'Asia/Jakarta', javaScriptEnabled: false });
    const page = await context.newPage();
    try {
      await page.goto(server.url('/staff/akun'));
      await page.waitForURL('**/staff/masuk?lanjut=*');
      await page.getByLabel('Nama pengguna').fill('admin-tiga');
      await page.getByLabel('Kata sandi').fill(PASSWORD);
      await page.getByRole('button', { name: 'Masuk' }).click();
      await page.waitForURL('**/staff/akun');
      await look(page, 'staff-admin-01-akun');

      await page.getByLabel('Nama pengguna').fill('lina.loket');
      await page.getByLabel('Kata sandi awal').fill('sandi-awal-lina-1');
      await page.getByLabel('Petugas loket').check();
      await page.locator('#branchCode').selectOption('JKT-SALEMBA');
      await page.getByLabel('Alasan').fill('Pegawai baru loket Salemba');
      await page.getByRole('button', { name: 'Buat akun' }).click();
      await expect.poll(() => page.locator('h1').textContent()).toContain('Autentikator untuk lina.loket');
      await look(page, 'staff-admin-02-qr-sekali');

      await page.goto(server.url('/staff/kantor'));
      await page.getByLabel('Kode titik layanan').fill('SPO-BNI-SALEMBA');
      await page.locator('#branchCode').selectOption('JKT-SALEMBA');
      await page.getByLabel('SPO (bank)').check();
      await page.getByLabel('Nama', { exact: true }).fill('SPO BNI Salemba');
      await page.getByLabel('Alasan').fill('Kerja sama baru');
      await page.getByRole('button', { name: 'Simpan titik layanan' }).click();
      await expect.poll(() => page.getByRole('status').textContent()).toContain('Titik layanan SPO-BNI-SALEMBA disimpan.');
      await look(page, 'staff-admin-07-kantor');
      await page.goto(server.url('/staff/kalender-libur?tahun=2026'));
      await look(page, 'staff-admin-05-kalender-libur');
      await page.goto(server.url('/staff'));
      await look(page, 'staff-admin-06-beranda-admin');
      await page.goto(server.url('/staff/akun/lina.loket'));
      await look(page, 'staff-admin-03-ubah-akun');
      await page.locator('#resetReason').fill('HP hilang');
      await page.getByRole('button', { name: 'Atur ulang autentikator' }).click();
      await expect.poll(() => page.locator('h1').textContent()).toContain('Autentikator untuk lina.loket');
      const uri = (await page.locator('code[data-otpauth]').textContent()) ?? '';
      expect(uri).toMatch(/^otpauth:\/\/totp\/Lindung:lina.loket\?/);
      await page.getByRole('button', { name: 'Keluar' }).click();
      await page.waitForURL('**/staff/masuk');

      await page.getByLabel('Nama pengguna').fill('lina.loket');
      await page.getByLabel('Kata sandi').fill('sandi-awal-lina-1');
      await page.getByLabel('Kode autentikator').fill(URI.parse(uri).generate({ timestamp: server.clock.now().getTime() }));
      await page.getByRole('button', { name: 'Masuk' }).click();
      await page.waitForURL(/\/staff$/);
      await expect.poll(() => page.locator('main').textContent()).toContain('lina.loket');
      await look(page, 'staff-admin-04-beranda-loket');
    } finally {
      await context.close();
    }
  });
});
