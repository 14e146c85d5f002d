import { describe, expect, it } from 'vitest';
import { activeMember } from '../support/factories.js';
import { useBrowserSuite } from './support/browser.js';
import { lookAtStaffPage as look, STAFF_DESKTOP as DESKTOP } from './support/staff-page.js';

/**
 * "Layanan pelanggan" in Chromium at 1280×800, JavaScript off: a contact-centre officer searches a member by name and
 * birth date, opens the member page (masked NIK, timeline), opens a complaint. axe 0 and no overflow on every page (a
 * tablet too); screenshots into docs/screenshots/staff/.
 */
const suite = useBrowserSuite();
const PASSWORD = 'kata-sandi-staf-123';

describe('staff console: contact centre (browser)', { timeout: 180_000 }, () => {
  it('searches, reads the timeline, opens a complaint', async () => {
    const { server, browser } = suite;
    expect((await server.post('/dev/staff', { username: 'cc-b', password: PASSWORD, roles: ['contact_centre'] })).status).toBe(201);
    const m = await activeMember(server, { person: { fullName: 'Wulan Permata', birthDate: '1992-07-21' } });
    const context = await browser.newContext({ viewport: { ...DESKTOP }, locale: 'id-ID', timezoneId: 'Asia/Jakarta', javaScriptEnabled: false });
    const page = await context.newPage();
    try {
      await page.goto(server.url('/staff/layanan'));
      await page.waitForURL('**/staff/masuk?lanjut=*');
      await page.getByLabel('Nama pengguna').fill('cc-b');
      await page.getByLabel('Kata sandi').fill(PASSWORD);
      await page.getByRole('button', { name: 'Masuk' }).click();
      await page.waitForURL('**/staff/layanan');
      await look(page, 'staff-20-layanan-cari');
      await page.getByLabel('Nama lengkap').fill('wulan  permata');
      await page.getByLabel('Tanggal lahir').fill('1992-07-21');
      await page.getByRole('button', { name: 'Cari' }).click();
      await expect.poll(() => page.locator('table').textContent()).toContain(m.kpj);
      await look(page, 'staff-21-layanan-hasil');
      await page.getByRole('link', { name: 'Wulan Permata' }).click();
      await page.waitForURL(`**/staff/layanan/${m.kpj}`);
      expect(await page.content()).not.toContain(m.person.nik);
      await expect.poll(() => page.getByRole('table', { name: 'Riwayat peserta, terbaru di atas' }).textContent()).toContain('Tagihan dibayar');
      await look(page, 'staff-22-layanan-peserta');
      await page.getByLabel('Kategori').selectOption('card');
      await page.getByLabel('Uraian').fill('Kartu tidak diterima di email');
      await page.getByRole('button', { name: 'Buka pengaduan' }).click();
      await expect.poll(() => page.getByRole('status').textContent()).toContain('dibuka; batas SLA');
      await look(page, 'staff-23-layanan-pengaduan');
    } finally {
      await context.close();
    }
  });
});
