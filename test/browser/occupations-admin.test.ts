import { describe, expect, it } from 'vitest';
import { useBrowserSuite } from './support/browser.js';
import { lookAtStaffPage as look, STAFF_DESKTOP as DESKTOP } from './support/staff-page.js';

/**
 * "Pekerjaan" in a real browser at 1280×800 (and the tablet width), JavaScript off: an administrator adds an
 * occupation, opens it again from its code in the table, deactivates it, and the public simulator no longer offers it.
 * axe 0 and the width checks (lookAtStaffPage); screenshots into docs/screenshots/staff/.
 */
const suite = useBrowserSuite();
const PASSWORD = 'kata-sandi-staf-123';

describe('occupations administration (browser)', () => {
  it('an administrator adds, reopens and deactivates an occupation; the simulator follows', async () => {
    const { server, browser } = suite;
    expect((await server.post('/dev/staff', { username: 'admin-pekerjaan', password: PASSWORD, roles: ['admin'] })).status).toBe(201);
    const context = await browser.newContext({ viewport: { ...DESKTOP }, locale: 'id-ID', timezoneId: 'Asia/Jakarta', javaScriptEnabled: false });
    const page = await context.newPage();
    try {
      await page.goto(server.url('/staff/pekerjaan'));
      await page.waitForURL('**/staff/masuk?lanjut=*');
      await page.getByLabel('Nama pengguna').fill('admin-pekerjaan');
      await page.getByLabel('Kata sandi').fill(PASSWORD);
      await page.getByRole('button', { name: 'Masuk' }).click();
      await page.waitForURL('**/staff/pekerjaan');
      await look(page, 'staff-pekerjaan-01-daftar');

      await page.getByLabel('Kode pekerjaan').fill('pengemudi_ambulans');
      await page.getByLabel('Nama (Indonesia)').fill('Pengemudi Ambulans Desa');
      await page.getByLabel('Nama (Inggris)').fill('Village ambulance driver');
      await page.getByLabel('Transportasi').check();
      await page.getByLabel('Alasan').fill('Permintaan kantor cabang');
      await page.getByRole('button', { name: 'Simpan pekerjaan' }).click();
      await expect.poll(() => page.getByRole('status').textContent()).toContain('Pekerjaan PENGEMUDI_AMBULANS disimpan.');

      await page.getByRole('link', { name: 'PENGEMUDI_AMBULANS' }).click();
      await expect.poll(() => page.getByLabel('Nama (Indonesia)').inputValue()).toBe('Pengemudi Ambulans Desa');
      await page.getByLabel('Nonaktif').check();
      await page.getByLabel('Alasan').fill('Digabung ke Sopir Pribadi');
      await page.getByRole('button', { name: 'Simpan pekerjaan' }).click();
      await expect.poll(() => page.getByRole('status').textContent()).toContain('Pekerjaan PENGEMUDI_AMBULANS disimpan.');
      const row = page.getByRole('row').filter({ hasText: 'PENGEMUDI_AMBULANS' });
      await expect.poll(() => row.textContent()).toContain('Nonaktif');
      await look(page, 'staff-pekerjaan-02-nonaktif');

      // A reason too short is refused on the page (422), nothing saved.
      await page.getByLabel('Kode pekerjaan').fill('TUKANG_SERVIS');
      await page.getByLabel('Nama (Indonesia)').fill('Tukang Servis Elektronik');
      await page.getByLabel('Nama (Inggris)').fill('Electronics repairer');
      await page.getByLabel('Alasan').fill('ok');
      await page.getByRole('button', { name: 'Simpan pekerjaan' }).click();
      await expect.poll(() => page.locator('main').textContent()).toContain('Tulis alasan (minimal 3 karakter).');
      await look(page, 'staff-pekerjaan-03-tanpa-alasan');

      await page.goto(server.url('/simulasi'));
      const offered = await page.locator('#occupation option').allTextContents();
      expect(offered).toContain('Pengemudi Ojek Online');
      expect(offered).not.toContain('Pengemudi Ambulans Desa');
    } finally {
      await context.close();
    }
  });
});
