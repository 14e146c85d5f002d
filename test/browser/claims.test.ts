import { describe, expect, it } from 'vitest';
import { activeMember } from '../support/factories.js';
import { newMobilePage, useBrowserSuite } from './support/browser.js';
import { look, signIn } from './support/member-pages.js';

/**
 * The member's claim pages in Chromium (phone-sized): a member with a JHT balance opens "Klaim" from the account
 * page, checks the conditions of a JHT claim (stopped working), confirms the amount and the bank account, uploads a
 * document; a verifier and an approver process it through the API, the job pays it (POST /dev/jobs/run with the
 * development stand-in), and the member sees "Dibayar" and the timeline. axe 0 on every claim page; screenshots
 * 18-klaim … 22-klaim-jkk (and 19-klaim-jht-syarat, a check not met; 20-klaim-dikembalikan, a returned claim) in docs/screenshots/.
 */
const suite = useBrowserSuite();
const PASSWORD = 'kata-sandi-staf-123';
const PNG = Buffer.concat([Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]), Buffer.from('\x00\x00\x00\x0dIHDR a ktp photo')]);

async function officer(username: string, role: string): Promise<Record<string, string>> {
  expect((await suite.server.post('/dev/staff', { username, password: PASSWORD, roles: [role] })).status).toBe(201);
  const session = await suite.server.post('/api/v1/staff/sessions', { username, password: PASSWORD });
  return { authorization: `Bearer ${session.body.token as string}` };
}

describe('Klaim in Chromium', { timeout: 180_000 }, () => {
  it('a member files a JHT claim, uploads a document, officers approve it, the job pays it, the member sees Dibayar', async () => {
    const server = suite.server;
    // 22 November 2026: JHT 2% of Rp1.000.000 = Rp20.000 settles with the first payment.
    const member = await activeMember(server, { programs: ['JKK', 'JKM', 'JHT'], declaredIncome: 1_000_000, months: 1 });
    const verifier = await officer('verifikator-klaim', 'claims_verifier');
    const approver = await officer('penyetuju-klaim', 'claims_approver');
    server.clock.advance(61_000);

    const { context, page } = await newMobilePage(suite.browser, { baseURL: server.origin });
    try {
      await signIn(suite.server, page, member.person.phone);
      await page.getByRole('link', { name: 'Lihat klaim' }).click();
      await page.waitForURL('**/akun/klaim');
      expect(await page.locator('main').innerText()).toContain('Anda belum pernah mengajukan klaim.');
      await look(page, '18-klaim');

      await page.getByRole('link', { name: 'Klaim JHT (tabungan hari tua)' }).click();
      await page.waitForURL('**/akun/klaim/jht');
      // Stopped ten days ago: the waiting period, explained with the day to file from.
      await page.getByLabel('Berhenti bekerja atau berhenti usaha').check();
      await page.getByLabel('Tanggal berhenti bekerja').fill('2026-11-12');
      await page.getByRole('button', { name: 'Periksa syarat' }).click();
      await page.waitForURL('**/akun/klaim/jht?alasan=stopped_working&tanggal=2026-11-12');
      expect(await page.locator('#pemeriksaan').locator('..').innerText()).toContain('Ajukan lagi mulai tanggal Sabtu, 12 Desember 2026.');
      await look(page, '19-klaim-jht-syarat');

      await page.getByLabel('Tanggal berhenti bekerja').fill('2026-09-01');
      await page.getByRole('button', { name: 'Periksa syarat' }).click();
      await page.waitForURL('**/akun/klaim/jht?alasan=stopped_working&tanggal=2026-09-01');
      const checks = await page.locator('main').innerText();
      expect(checks).toContain('Semua syarat terpenuhi.');
      expect(checks).toContain('Rp20.000');
      await look(page, '19-klaim-jht');

      await page.getByLabel('Bank', { exact: true }).fill('BCA');
      await page.getByLabel('Nomor rekening').fill('1234567890');
      await page.getByLabel('Nama pemilik rekening').fill('Budi Santoso');
      await page.getByLabel('Saya menyatakan data ini benar dan rekening ini atas nama saya.').check();
      await page.getByRole('button', { name: 'Ajukan klaim' }).click();
      await page.waitForURL(/\/akun\/klaim\/clm[^/?]+\?diajukan=1$/);
      const claimId = /\/akun\/klaim\/(clm[^/?]+)/.exec(page.url())?.[1] as string;
      expect(await page.locator('main').innerText()).toContain('Klaim Anda sudah diajukan.');

      await page.getByLabel('Jenis dokumen').selectOption('ktp');
      await page.getByLabel('Berkas').setInputFiles({ name: 'ktp.png', mimeType: 'image/png', buffer: PNG });
      await page.getByRole('button', { name: 'Unggah dokumen' }).click();
      await page.waitForURL(/\?diunggah=1#dokumen$/);
      expect(await page.locator('#dokumen').locator('..').innerText()).toContain('KTP elektronik peserta — ktp.png');
      await look(page, '20-klaim-detail');

      // The verifier returns it for a missing document; the member reads the reason and files it again.
      expect((await server.post(`/api/v1/staff/claims/${claimId}/return`, { reason: 'Foto buku tabungan belum ada.' }, verifier)).status).toBe(200);
      await page.goto(server.url(`/akun/klaim/${claimId}`));
      expect(await page.locator('#dikembalikan').innerText()).toContain('Alasan petugas: Foto buku tabungan belum ada.');
      await look(page, '20-klaim-dikembalikan');
      await page.getByRole('button', { name: 'Ajukan kembali' }).click();
      await page.waitForURL(/\?diajukan-ulang=1$/);

      expect((await server.post(`/api/v1/staff/claims/${claimId}/verify`, {}, verifier)).status).toBe(200);
      expect((await server.post(`/api/v1/staff/claims/${claimId}/approve`, {}, approver)).status).toBe(200);
      server.clock.advance(60_000);
      const run = await server.post('/dev/jobs/run', {});
      expect(run.body.ran.some((id: string) => id.startsWith('payouts:'))).toBe(true);

      await page.goto(server.url(`/akun/klaim/${claimId}`));
      const paid = await page.locator('main').innerText();
      expect(paid).toContain('Dibayar');
      expect(paid).toContain('Uang sudah ditransfer ke rekening Anda.');
      const timeline = await page.locator('ol.timeline').innerText();
      for (const step of ['Diajukan, menunggu diperiksa petugas', 'Dikembalikan: perlu Anda lengkapi', 'Sudah diperiksa, menunggu persetujuan', 'Disetujui, uang sedang dikirim', 'Dibayar']) {
        expect(timeline).toContain(step);
      }
      expect(timeline).toContain('22 November 2026');
      expect(await page.locator('table').innerText()).toContain('Rp20.000');
      await look(page, '21-klaim-dibayar');

      await page.goto(server.url('/akun/klaim'));
      expect(await page.locator('ol.claims').innerText()).toContain('Dibayar');
      await page.goto(server.url('/akun/klaim/jkk'));
      await look(page, '22-klaim-jkk');
    } finally {
      await context.close();
    }
  });
});
