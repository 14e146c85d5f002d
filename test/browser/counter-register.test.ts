import { execFileSync } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { addResident, latestData, makePerson } from '../support/factories.js';
import { expectNoAxeViolations, MOBILE_VIEWPORT, newMobilePage, useBrowserSuite } from './support/browser.js';
import { lookAtStaffPage as look, STAFF_DESKTOP as DESKTOP } from './support/staff-page.js';
import { nikHashOf } from '../support/nik.js';
import { fillBirthDate } from './support/member-pages.js';

/**
 * Registration at the counter in Chromium at 1280×800, JavaScript off: a counter officer takes a queue number, calls
 * it, types the worker's Formulir 1A, the OTP the worker reads out, takes cash, and prints the slip — its text read
 * back with pdftotext (KPJ, LUNAS) and rendered with pdftoppm; then the worker answers the e-survey on a 360 px phone.
 * axe 0 on every page; screenshots into docs/screenshots/staff/ (not committed).
 */
const suite = useBrowserSuite();
const PASSWORD = 'kata-sandi-staf-123';

function pdfText(pdf: Buffer): string {
  const dir = mkdtempSync(join(tmpdir(), 'daftar-loket-'));
  const file = join(dir, 'slip.pdf');
  writeFileSync(file, pdf);
  execFileSync('pdftoppm', ['-png', '-r', '50', '-singlefile', file, join(dir, 'slip')]);
  return execFileSync('pdftotext', ['-layout', file, '-'], { encoding: 'utf8' });
}

describe('staff console: registration at the counter (browser)', { timeout: 240_000 }, () => {
  it('queue ticket → call → Formulir 1A → OTP → cash → slip with KPJ and LUNAS → e-survey', async () => {
    const { server, browser } = suite;
    expect((await server.post('/dev/staff', { username: 'loket-d', password: PASSWORD, roles: ['counter'], branchCode: 'JKT-SALEMBA' })).status).toBe(201);
    const person = makePerson({ email: '' });
    await addResident(server, person);
    const context = await browser.newContext({ viewport: { ...DESKTOP }, locale: 'id-ID', timezoneId: 'Asia/Jakarta', javaScriptEnabled: false });
    const page = await context.newPage();
    try {
      await page.goto(server.url('/staff/antrean'));
      await page.waitForURL('**/staff/masuk?lanjut=*');
      await page.getByLabel('Nama pengguna').fill('loket-d');
      await page.getByLabel('Kata sandi').fill(PASSWORD);
      await page.getByRole('button', { name: 'Masuk' }).click();
      await page.waitForURL('**/staff/antrean');
      await page.getByLabel('Keperluan').selectOption('registration');
      await page.getByRole('button', { name: 'Ambil nomor' }).click();
      await page.getByLabel('Loket', { exact: true }).fill('Loket 1');
      await page.getByRole('button', { name: 'Panggil berikutnya' }).click();
      await expect.poll(() => page.getByRole('status').textContent()).toContain('Nomor A-001 dipanggil ke Loket 1.');

      await page.getByRole('link', { name: 'Pendaftaran di loket' }).first().click();
      await page.waitForURL('**/staff/pendaftaran-loket');
      await look(page, 'staff-30-pendaftaran-loket');
      await page.getByLabel('NIK', { exact: true }).fill(person.nik);
      await page.getByLabel('Nama lengkap sesuai KTP').fill(person.fullName);
      await fillBirthDate(page, person.birthDate);
      await page.getByLabel(person.gender === 'F' ? 'Perempuan' : 'Laki-laki').check();
      await page.getByLabel('Nomor ponsel pekerja').fill(person.phone);
      await page.getByLabel('Alamat').fill(person.address);
      await page.getByLabel('Pekerjaan').selectOption('OJOL');
      await page.getByLabel('Penghasilan sebulan (Rp)').fill('2000000');
      await page.getByLabel('3 bulan').check();
      await page.getByLabel(/Pekerja telah membaca/).check();
      await page.getByRole('button', { name: 'Periksa dan kirim OTP' }).click();
      await expect.poll(() => page.getByRole('status').first().textContent()).toContain('Kode OTP dikirim');
      await look(page, 'staff-31-pendaftaran-otp');

      await page.getByLabel('Kode OTP').fill(await latestData(server, person.phone, 'otp'));
      await page.getByRole('button', { name: 'Verifikasi' }).click();
      await expect.poll(() => page.getByRole('status').first().textContent()).toContain('Ponsel terverifikasi');
      await look(page, 'staff-32-pendaftaran-bayar');
      await page.getByLabel('Tunai').check();
      await page.getByRole('button', { name: 'Catat pembayaran' }).click();
      await expect.poll(() => page.getByRole('status').first().textContent()).toMatch(/Peserta aktif, KPJ \d{11}/);
      await look(page, 'staff-33-pendaftaran-selesai');

      const href = await page.getByRole('link', { name: 'Cetak slip pembayaran (PDF)' }).getAttribute('href');
      const res = await context.request.get(new URL(href as string, page.url()).toString());
      expect([res.status(), res.headers()['content-type']]).toEqual([200, 'application/pdf']);
      const text = pdfText(await res.body());
      const kpj = (await server.db.selectFrom('participant').select('kpj').where('nik_hash', '=', nikHashOf(person.nik)).executeTakeFirstOrThrow()).kpj;
      expect(text).toContain('LUNAS');
      expect(text).toContain(kpj);
    } finally {
      await context.close();
    }
    const sms = await server.get(`/dev/outbox?to=${encodeURIComponent(person.phone)}`);
    const link = (sms.body.messages as { body: string }[]).map((m) => /(\/survei\/[A-Za-z0-9_-]+)/.exec(m.body)?.[1]).find(Boolean) as string;
    const phone = await newMobilePage(browser, { baseURL: server.origin });
    try {
      await phone.page.goto(server.url(link));
      await expectNoAxeViolations(phone.page);
      const wide = await phone.page.evaluate(() => document.documentElement.scrollWidth);
      expect(wide).toBeLessThanOrEqual(MOBILE_VIEWPORT.width);
      await phone.page.getByLabel('5 bintang — sangat baik').check();
      await phone.page.getByRole('button', { name: 'Kirim penilaian' }).click();
      await expect.poll(() => phone.page.locator('main').textContent()).toContain('Terima kasih atas penilaian Anda.');
      await expectNoAxeViolations(phone.page);
    } finally {
      await phone.context.close();
    }
  });
});
