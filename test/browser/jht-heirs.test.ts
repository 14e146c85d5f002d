import type { Page } from 'playwright-core';
import { describe, expect, it } from 'vitest';
import { activeMember, login, payBill } from '../support/factories.js';
import { newMobilePage, useBrowserSuite } from './support/browser.js';
import { fillBirthDate, look, signIn } from './support/member-pages.js';

/**
 * The member's "Saldo JHT" and "Ahli waris" pages in Chromium (phone-sized): a member who paid with the JHT programme
 * and was credited the 2026 return (an administrator's rate, the jobs run on 2 January 2027) sees the balance, the
 * entries and the chart; then declares two heirs and edits one, with plain forms. axe 0 on both pages; screenshots
 * 16-saldo-jht and 17-ahli-waris in docs/screenshots/.
 */
const suite = useBrowserSuite();

async function fillHeir(page: Page, heir: { fullName: string; relationship: string; birthDate: string; phone?: string; nik?: string }) {
  await page.getByLabel('Nama lengkap', { exact: true }).fill(heir.fullName);
  await page.getByLabel('Hubungan dengan Anda').selectOption(heir.relationship);
  await fillBirthDate(page, heir.birthDate);
  await page.getByLabel('Nomor HP (tidak wajib)').fill(heir.phone ?? '');
  await page.getByLabel('NIK (tidak wajib)').fill(heir.nik ?? '');
  await page.getByRole('button', { name: 'Simpan' }).click();
  await page.waitForURL('**/akun/ahli-waris?disimpan=1');
}

describe('Saldo JHT and Ahli waris in Chromium', { timeout: 180_000 }, () => {
  it('a member sees the JHT balance with a credited return, declares two heirs and edits one', async () => {
    const server = suite.server;
    // 22 November 2026: JHT 2% of Rp1.000.000 = Rp20.000 settles with the first payment.
    const member = await activeMember(server, { programs: ['JKK', 'JKM', 'JHT'], declaredIncome: 1_000_000, months: 1 });
    expect((await server.post('/dev/staff', { username: 'admin-jht', password: 'kata-sandi-staf-123', roles: ['admin'] })).status).toBe(201);
    const admin = await server.post('/api/v1/staff/sessions', { username: 'admin-jht', password: 'kata-sandi-staf-123' });
    expect((await server.request('PUT', '/api/v1/staff/jht-rates/2026', { rateBp: 650 }, { authorization: `Bearer ${admin.body.token as string}` })).status).toBe(200);
    server.clock.set(new Date('2027-01-02T03:00:00.000Z'));
    expect((await server.post('/dev/jobs/run', {})).body.ran).toContain('jht-returns:2026');
    // The same day the member pays three more months: Rp60.000 more JHT.
    const bill = await server.post('/api/v1/me/bills', { months: 3 }, { authorization: `Bearer ${await login(server, member.person.phone)}` });
    expect(bill.status, JSON.stringify(bill.body)).toBe(201);
    expect((await payBill(server, bill.body.bill)).body).toEqual({ status: 'applied' });
    server.clock.advance(61_000); // past the sign-in code's resend wait

    const { context, page } = await newMobilePage(suite.browser, { baseURL: server.origin });
    try {
      await signIn(suite.server, page, member.person.phone);
      await page.getByRole('link', { name: 'Lihat saldo JHT' }).click();
      await page.waitForURL('**/akun/jht');
      const main = await page.locator('main').innerText();
      // 20,000 × 40 days × 650 / (10,000 × 365) = 142
      expect(main).toContain('Rp80.142');
      expect(main).toContain('Rp60.000');
      expect(main).toContain('Hasil pengembangan 2026');
      expect(main).toContain('Iuran JHT');
      expect(await page.locator('svg[role="img"] title').textContent()).toBe('Saldo JHT dari waktu ke waktu');
      await look(page, '16-saldo-jht');

      await page.goto(server.url('/akun'));
      await page.getByRole('link', { name: 'Ahli waris' }).click();
      await page.waitForURL('**/akun/ahli-waris');
      await fillHeir(page, { fullName: 'Siti Aminah', relationship: 'spouse', birthDate: '1992-03-04', phone: '081234567891', nik: '3275014403920002' });
      await fillHeir(page, { fullName: 'Rina Santoso', relationship: 'child', birthDate: '2015-07-01' });
      await page.getByRole('link', { name: 'Ubah Rina Santoso' }).click();
      await expect.poll(() => page.locator('#form-ahli-waris-judul').innerText()).toBe('Ubah data Rina Santoso');
      await fillHeir(page, { fullName: 'Rina Putri Santoso', relationship: 'child', birthDate: '2015-07-01' });
      const list = await page.locator('ol.heirs').innerText();
      expect(list).toContain('Siti Aminah');
      expect(list).toContain('3275********0002');
      expect(list).toContain('Rina Putri Santoso');
      expect(list).not.toContain('Rina Santoso\n');
      await look(page, '17-ahli-waris');
    } finally {
      await context.close();
    }
  });
});
