import type { Page } from 'playwright-core';
import { describe, expect, it } from 'vitest';
import { fileMemberClaim, jhtClaimBody, jhtMember } from '../support/claims.js';
import { useBrowserSuite } from './support/browser.js';
import { lookAtStaffPage as look, STAFF_DESKTOP as DESKTOP } from './support/staff-page.js';

/**
 * The claims pages of the staff console in Chromium at 1280×800, JavaScript off: a verifier signs in, finds a filed
 * JHT claim in "Antrean klaim", verifies it on "Detail klaim" and signs out; an approver signs in and approves it;
 * the payout job pays it; finance sees it paid on "Pembayaran manfaat". axe 0 on every page; nothing wider than the
 * screen at 1280×800 nor on a tablet (768×1024); screenshots into docs/screenshots/staff/.
 */
const suite = useBrowserSuite();
const PASSWORD = 'kata-sandi-staf-123';

async function signIn(page: Page, username: string, landing: string | RegExp) {
  await page.getByLabel('Nama pengguna').fill(username);
  await page.getByLabel('Kata sandi').fill(PASSWORD);
  await page.getByRole('button', { name: 'Masuk' }).click();
  await page.waitForURL(landing);
}

async function signOut(page: Page) {
  await page.getByRole('button', { name: 'Keluar' }).click();
  await page.waitForURL('**/staff/masuk');
}

describe('staff console: claims (browser)', { timeout: 180_000 }, () => {
  it('a verifier verifies a filed JHT claim, an approver approves it, the job pays it', async () => {
    const { server, browser } = suite;
    for (const [username, roles] of [['verif-b', ['claims_verifier']], ['setuju-b', ['claims_approver']], ['keu-b', ['finance']]] as const) {
      expect((await server.post('/dev/staff', { username, password: PASSWORD, roles })).status).toBe(201);
    }
    const member = await jhtMember(server);
    const id = (await fileMemberClaim(server, member.auth, jhtClaimBody())).body.id as string;
    const context = await browser.newContext({ viewport: { ...DESKTOP }, locale: 'id-ID', timezoneId: 'Asia/Jakarta', javaScriptEnabled: false });
    const page = await context.newPage();
    try {
      await page.goto(server.url('/staff/klaim'));
      await page.waitForURL('**/staff/masuk?lanjut=*');
      await signIn(page, 'verif-b', '**/staff/klaim');
      await expect.poll(() => page.locator('table').textContent()).toContain(id);
      await look(page, 'staff-10-antrean-klaim');

      await page.getByRole('link', { name: id }).click();
      await page.waitForURL(`**/staff/klaim/${id}`);
      await look(page, 'staff-11-detail-klaim');
      await page.getByRole('button', { name: 'Verifikasi klaim' }).click();
      await expect.poll(() => page.getByRole('status').textContent()).toContain(`Klaim ${id} diverifikasi.`);
      await expect.poll(() => page.getByRole('table', { name: 'Rincian manfaat' }).textContent()).toContain('Saldo JHT');
      await look(page, 'staff-12-klaim-diverifikasi');
      await signOut(page);

      await page.goto(server.url(`/staff/klaim/${id}`));
      await page.waitForURL('**/staff/masuk?lanjut=*');
      await signIn(page, 'setuju-b', `**/staff/klaim/${id}`);
      await look(page, 'staff-13-klaim-untuk-disetujui');
      await page.getByRole('button', { name: 'Setujui klaim' }).click();
      await expect.poll(() => page.getByRole('status').textContent()).toContain(`Klaim ${id} disetujui.`);
      await look(page, 'staff-14-klaim-disetujui');

      expect((await server.post('/dev/jobs/run', {})).status).toBe(200);
      await page.reload();
      await expect.poll(() => page.locator('main').textContent()).toMatch(/Dibayar: Rp/);
      await signOut(page);

      await page.goto(server.url('/staff/pembayaran-manfaat?status=paid'));
      await signIn(page, 'keu-b', '**/staff/pembayaran-manfaat?status=paid');
      await expect.poll(() => page.locator('table').textContent()).toContain(id);
      await look(page, 'staff-15-pembayaran-manfaat');
    } finally {
      await context.close();
    }
  });
});
