import { execFileSync } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { makePerson, registerVerified } from '../support/factories.js';
import { useBrowserSuite } from './support/browser.js';
import { lookAtStaffPage as look, STAFF_DESKTOP as DESKTOP } from './support/staff-page.js';

/**
 * "Antrean loket" in Chromium at 1280×800, JavaScript off: a counter officer signs in, takes a number, calls it to a
 * desk, marks it served, then prints a bill's payment slip — its text read back with pdftotext. axe 0 on every page;
 * nothing wider than the screen (1280×800, tablet); screenshots into docs/screenshots/staff/.
 */
const suite = useBrowserSuite();
const PASSWORD = 'kata-sandi-staf-123';

const pdfText = (pdf: Buffer) => {
  const file = join(mkdtempSync(join(tmpdir(), 'antrean-b-')), 'slip.pdf');
  writeFileSync(file, pdf);
  return execFileSync('pdftotext', ['-layout', file, '-'], { encoding: 'utf8' });
};

describe('staff console: counter queue (browser)', { timeout: 180_000 }, () => {
  it('takes a number, calls it, marks it served, prints the payment slip', async () => {
    const { server, browser } = suite;
    expect((await server.post('/dev/staff', { username: 'loket-q', password: PASSWORD, roles: ['counter'], branchCode: 'JKT-SALEMBA' })).status).toBe(201);
    const reg = await registerVerified(server, makePerson());
    const submitted = await server.post(`/api/v1/registrations/${reg}/submit`, { programs: ['JKK', 'JKM'], declaredIncome: 1_000_000, months: 3 });
    expect(submitted.status, JSON.stringify(submitted.body)).toBe(201);
    const bill = submitted.body.bill as { paymentCode: string; amount: number };
    const context = await browser.newContext({ viewport: { ...DESKTOP }, locale: 'id-ID', timezoneId: 'Asia/Jakarta', javaScriptEnabled: false });
    const page = await context.newPage();
    try {
      await page.goto(server.url('/staff/antrean'));
      await page.waitForURL('**/staff/masuk?lanjut=*');
      await page.getByLabel('Nama pengguna').fill('loket-q');
      await page.getByLabel('Kata sandi').fill(PASSWORD);
      await page.getByRole('button', { name: 'Masuk' }).click();
      await page.waitForURL('**/staff/antrean');
      await look(page, 'staff-20-antrean-loket');

      await page.getByLabel('Keperluan').selectOption('payment');
      await page.getByRole('button', { name: 'Ambil nomor' }).click();
      await expect.poll(() => page.getByRole('status').textContent()).toContain('Nomor B-001 diambil');
      await page.getByLabel('Loket', { exact: true }).fill('Loket 2');
      await page.getByRole('button', { name: 'Panggil berikutnya' }).click();
      await expect.poll(() => page.getByRole('status').textContent()).toContain('Nomor B-001 dipanggil ke Loket 2.');
      await look(page, 'staff-21-antrean-dipanggil');
      await page.getByRole('button', { name: 'Dilayani B-001' }).click();
      await expect.poll(() => page.getByRole('status').textContent()).toContain('Nomor B-001 selesai dilayani.');
      await expect.poll(() => page.locator('main').textContent()).toMatch(/Dilayani\s*1/);
      await look(page, 'staff-22-antrean-dilayani');

      await page.getByLabel('Kode bayar').fill(bill.paymentCode);
      const href = new URL(`/staff/antrean/slip.pdf?kode=${bill.paymentCode}`, page.url()).toString();
      const res = await context.request.get(href);
      expect([res.status(), res.headers()['content-type']]).toEqual([200, 'application/pdf']);
      const text = pdfText(await res.body());
      expect(text).toContain('Slip Pembayaran Iuran BPU');
      expect(text.replace(/\s/g, '')).toContain(bill.paymentCode);
      expect(text).toContain(`Rp${bill.amount.toLocaleString('id-ID')}`);
      expect(text).toMatch(/\(3 bulan\)/);
      expect(text).toMatch(/pukul \d{2}\.\d{2} WIB/);
    } finally {
      await context.close();
    }
  });
});
