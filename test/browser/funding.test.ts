import { describe, expect, it } from 'vitest';
import { activeMember } from '../support/factories.js';
import { newMobilePage, useBrowserSuite } from './support/browser.js';
import { look, signIn } from './support/member-pages.js';
import { lookAtStaffPage, STAFF_DESKTOP } from './support/staff-page.js';

/**
 * Who pays (issue 17 item 1) in Chromium, JavaScript off: a member funded by the region (APBD) from December sees on
 * the account page (360×800) who pays; the contact centre's member view (1280×800) shows the funding and its history.
 * axe 0 on both; screenshots 19-dibayar-apbd (docs/screenshots/) and staff-25-pendanaan (docs/screenshots/staff/).
 */
const suite = useBrowserSuite();
const PASSWORD = 'kata-sandi-staf-123';

async function staffToken(username: string, roles: string[]) {
  const { server } = suite;
  expect((await server.post('/dev/staff', { username, password: PASSWORD, roles })).status).toBe(201);
  const session = await server.post('/api/v1/staff/sessions', { username, password: PASSWORD });
  return { authorization: `Bearer ${session.body.token as string}` };
}

describe('funding (browser)', { timeout: 180_000 }, () => {
  it('an APBD-funded member sees who pays; staff see the funding and its history', async () => {
    const { server, browser } = suite;
    const member = await activeMember(server);
    const supervisor = await staffToken('penyelia-dana', ['supervisor']);
    const set = await server.request('PUT', `/api/v1/staff/participants/${member.kpj}/funding`, { funding: 'apbd', payerId: 'pemda-jabar', payerName: 'Pemerintah Provinsi Jawa Barat', reason: 'Daftar PBI daerah' }, supervisor);
    expect(set.status, JSON.stringify(set.body)).toBe(200);
    server.clock.set(new Date('2026-12-02T03:00:00Z'));
    const { context, page } = await newMobilePage(browser, { baseURL: server.origin });
    try {
      await signIn(server, page, member.person.phone);
      const notice = await page.getByRole('region', { name: 'Siapa yang membayar iuran Anda' }).innerText();
      expect(notice).toContain('Iuran Anda dibayar oleh Pemerintah (APBD): Pemerintah Provinsi Jawa Barat');
      await look(page, '19-dibayar-apbd');
    } finally {
      await context.close();
    }
    expect((await server.post('/dev/staff', { username: 'cc-dana', password: PASSWORD, roles: ['contact_centre'] })).status).toBe(201);
    const staffContext = await browser.newContext({ viewport: { ...STAFF_DESKTOP }, locale: 'id-ID', timezoneId: 'Asia/Jakarta', javaScriptEnabled: false });
    const staffPage = await staffContext.newPage();
    try {
      await staffPage.goto(server.url(`/staff/layanan/${member.kpj}`));
      await staffPage.waitForURL('**/staff/masuk?lanjut=*');
      await staffPage.getByLabel('Nama pengguna').fill('cc-dana');
      await staffPage.getByLabel('Kata sandi').fill(PASSWORD);
      await staffPage.getByRole('button', { name: 'Masuk' }).click();
      await staffPage.waitForURL(`**/staff/layanan/${member.kpj}`);
      const history = await staffPage.getByRole('table', { name: 'Riwayat pendanaan' }).innerText();
      expect(history).toContain('Pemerintah (APBD)');
      expect(history).toContain('Pemerintah Provinsi Jawa Barat');
      expect(history).toContain('Mandiri (peserta sendiri)');
      await lookAtStaffPage(staffPage, 'staff-25-pendanaan');
    } finally {
      await staffContext.close();
    }
  });
});
