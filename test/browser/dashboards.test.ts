import { describe, expect, it } from 'vitest';
import { activeMember } from '../support/factories.js';
import { useBrowserSuite } from './support/browser.js';
import { lookAtStaffPage as look, STAFF_DESKTOP as DESKTOP } from './support/staff-page.js';

/**
 * The dashboards of the staff console in Chromium at 1280×800, JavaScript off: a supervisor signs in to /staff/dasbor
 * (charts as SVG with role="img", their data tables), switches to 90 days and downloads a CSV (an attachment with its
 * Indonesian header row). axe 0; nothing wider than the screen; screenshot docs/screenshots/staff/staff-20-dasbor.png.
 */
const suite = useBrowserSuite();
const PASSWORD = 'kata-sandi-staf-123';

describe('staff console: dashboards (browser)', { timeout: 180_000 }, () => {
  it('a supervisor reads the dashboards and downloads a CSV', async () => {
    const { server, browser } = suite;
    expect((await server.post('/dev/staff', { username: 'super-dasbor', password: PASSWORD, roles: ['supervisor'] })).status).toBe(201);
    await activeMember(server);
    const context = await browser.newContext({ viewport: { ...DESKTOP }, locale: 'id-ID', timezoneId: 'Asia/Jakarta', javaScriptEnabled: false, acceptDownloads: true });
    const page = await context.newPage();
    try {
      await page.goto(server.url('/staff/dasbor'));
      await page.waitForURL('**/staff/masuk?lanjut=*');
      await page.getByLabel('Nama pengguna').fill('super-dasbor');
      await page.getByLabel('Kata sandi').fill(PASSWORD);
      await page.getByRole('button', { name: 'Masuk' }).click();
      await page.waitForURL('**/staff/dasbor');
      await expect.poll(() => page.getByRole('img', { name: 'Peserta baru per hari' }).count()).toBe(1);
      await expect.poll(() => page.getByRole('table', { name: 'Status kepesertaan di akhir bulan' }).count()).toBe(1);
      await page.getByLabel('Rentang peserta baru').selectOption('90');
      await page.getByRole('button', { name: 'Tampilkan' }).click();
      await page.waitForURL('**/staff/dasbor?days=90');
      await look(page, 'staff-20-dasbor');
      const [download] = await Promise.all([page.waitForEvent('download'), page.getByRole('link', { name: 'Unduh CSV: Pembayaran manfaat per status' }).click()]);
      expect(download.suggestedFilename()).toMatch(/^pembayaran-manfaat-per-status-\d{4}-\d{2}-\d{2}\.csv$/);
      const body = await download.createReadStream().then(async (s) => {
        const chunks: Buffer[] = [];
        for await (const c of s) {
          chunks.push(c as Buffer);
        }
        return Buffer.concat(chunks).toString('utf8');
      });
      expect(body.split('\r\n')[0]).toBe('status,jumlah,nilai_rupiah');
    } finally {
      await context.close();
    }
  });
});
