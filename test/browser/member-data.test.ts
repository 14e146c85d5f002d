import { describe, expect, it } from 'vitest';
import { activeMember, latestData, makePerson } from '../support/factories.js';
import { newMobilePage, useBrowserSuite } from './support/browser.js';
import { look, signIn } from './support/member-pages.js';
import { lookAtStaffPage, STAFF_DESKTOP } from './support/staff-page.js';

/**
 * Member data changes in Chromium, JavaScript off: a member changes the address and the income on "Data saya"
 * (phone-sized, 360 px) and sees them; a counter officer changes a member's phone on "Ubah data peserta" with the code
 * the member received (1280×800 and a tablet). axe 0 on every page; screenshots 18-data-saya (docs/screenshots/) and
 * staff-24-ubah-data-peserta (docs/screenshots/staff/).
 */
const suite = useBrowserSuite();
const PASSWORD = 'kata-sandi-staf-123';

describe('member data changes (browser)', { timeout: 180_000 }, () => {
  it('a member changes address and income and sees them', async () => {
    const { server, browser } = suite;
    const member = await activeMember(server, { declaredIncome: 1_000_000 });
    server.clock.advance(61_000);
    const { context, page } = await newMobilePage(browser, { baseURL: server.origin });
    try {
      await signIn(server, page, member.person.phone);
      await page.getByRole('link', { name: 'Ubah data saya' }).click();
      await page.waitForURL('**/akun/profil');
      await look(page, '18-data-saya');
      const data = page.getByRole('region', { name: 'Alamat, pekerjaan, dan kantor cabang' });
      await data.getByLabel('Alamat', { exact: true }).fill('Jl. Kenanga No. 12, Bekasi Timur');
      await data.getByRole('button', { name: 'Simpan' }).click();
      await expect.poll(() => page.getByRole('status').textContent()).toContain('Perubahan disimpan.');
      const pricing = page.getByRole('region', { name: 'Penghasilan dan program' });
      await pricing.getByLabel('Penghasilan per bulan').fill('3.500.000');
      await pricing.getByRole('button', { name: 'Simpan' }).click();
      await expect.poll(() => page.getByRole('status').textContent()).toContain('Berlaku mulai iuran Desember 2026');
      const now = await page.getByRole('region', { name: 'Data saat ini' }).innerText();
      expect(now).toContain('Jl. Kenanga No. 12, Bekasi Timur');
      expect(now).toContain('Rp3.500.000');
      await look(page, '18-data-saya-disimpan');
    } finally {
      await context.close();
    }
  });

  it('the counter changes a member’s phone with the code the member received', async () => {
    const { server, browser } = suite;
    expect((await server.post('/dev/staff', { username: 'loket-b', password: PASSWORD, roles: ['counter'] })).status).toBe(201);
    const member = await activeMember(server);
    const context = await browser.newContext({ viewport: { ...STAFF_DESKTOP }, locale: 'id-ID', timezoneId: 'Asia/Jakarta', javaScriptEnabled: false });
    const page = await context.newPage();
    try {
      await page.goto(server.url(`/staff/layanan/${member.kpj}`));
      await page.waitForURL('**/staff/masuk?lanjut=*');
      await page.getByLabel('Nama pengguna').fill('loket-b');
      await page.getByLabel('Kata sandi').fill(PASSWORD);
      await page.getByRole('button', { name: 'Masuk' }).click();
      await page.waitForURL(`**/staff/layanan/${member.kpj}`);
      await page.getByRole('link', { name: 'Ubah data peserta' }).click();
      await page.waitForURL(`**/staff/layanan/${member.kpj}/ubah-data`);
      expect(await page.content()).not.toContain(member.person.nik);
      await lookAtStaffPage(page, 'staff-24-ubah-data-peserta');
      const phone = makePerson().phone;
      const region = page.getByRole('region', { name: 'Nomor HP' });
      await region.getByLabel('Nomor HP baru').fill(phone);
      await region.getByLabel('Saya sudah memeriksa KTP asli peserta').check();
      await region.getByRole('button', { name: 'Kirim kode' }).click();
      await expect.poll(() => page.getByRole('status').textContent()).toContain(`Kode dikirim ke ${phone}`);
      const confirm = page.getByRole('region', { name: 'Nomor HP' });
      await confirm.getByLabel('Kode dari SMS').fill(await latestData(server, phone, 'otp'));
      await confirm.locator('form').nth(1).getByLabel('Saya sudah memeriksa KTP asli peserta').check();
      await confirm.getByRole('button', { name: 'Ganti nomor HP' }).click();
      await expect.poll(() => page.getByRole('status').textContent()).toContain('Nomor HP diganti.');
      await lookAtStaffPage(page, 'staff-25-ubah-data-hp');
    } finally {
      await context.close();
    }
  });
});
