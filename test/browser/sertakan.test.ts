import { describe, expect, it } from 'vitest';
import { activeMember, addResident, latestData, makePerson } from '../support/factories.js';
import { newMobilePage, useBrowserSuite } from './support/browser.js';
import { fillBirthDate, look, signIn } from './support/member-pages.js';

/**
 * Sertakan in Chromium at 360×800, JavaScript off: a member adds a worker on /akun/sertakan, the worker opens the
 * consent page from the SMS link (a wrong code says the tries left, then the right one), and the sponsor's list shows
 * the worker active with the payment code. axe 0 on every page; screenshots 19-sertakan-* (docs/screenshots/).
 */
const suite = useBrowserSuite();

describe('Sertakan (browser)', { timeout: 180_000 }, () => {
  it('a sponsor adds a worker, the worker consents, the sponsor sees the payment code', async () => {
    const { server, browser } = suite;
    const sponsor = await activeMember(server);
    server.clock.advance(61_000);
    const worker = makePerson({ email: '' });
    await addResident(server, worker);
    const { context, page } = await newMobilePage(browser, { baseURL: server.origin });
    try {
      await signIn(server, page, sponsor.person.phone);
      await page.getByRole('link', { name: 'Sertakan pekerja di sekitar Anda' }).click();
      await page.waitForURL('**/akun/sertakan');
      await look(page, '19-sertakan-kosong');
      const form = page.getByRole('region', { name: 'Tambah pekerja' });
      const fields: [string, string][] = [
        ['NIK pekerja', worker.nik],
        ['Nama lengkap pekerja', worker.fullName],
        ['Nomor HP pekerja', worker.phone],
        ['Alamat pekerja', worker.address],
        ['Penghasilan pekerja per bulan (rupiah)', '2.000.000'],
      ];
      for (const [label, value] of fields) await form.getByLabel(label, { exact: true }).fill(value);
      await fillBirthDate(form, worker.birthDate);
      await form.getByLabel(worker.gender === 'M' ? 'Laki-laki' : 'Perempuan').check();
      await form.getByLabel('Pekerjaan', { exact: true }).selectOption('OJOL');
      await form.getByLabel('Kantor cabang').selectOption(worker.branchCode);
      await form.getByRole('button', { name: 'Daftarkan dan kirim SMS persetujuan' }).click();
      await expect.poll(() => page.getByRole('status').textContent()).toContain('SMS persetujuan sudah dikirim');
      expect(await page.getByRole('table').innerText()).toContain('Menunggu persetujuan pekerja');
      expect(await page.content()).not.toContain(worker.nik);

      // The worker opens the SMS link on their own phone.
      const messages = (await server.get(`/dev/outbox?to=${encodeURIComponent(worker.phone)}`)).body.messages as { data: { link?: string } }[];
      const link = messages.find((m) => m.data.link)?.data.link ?? '';
      const w = await newMobilePage(browser, { baseURL: server.origin });
      try {
        await w.page.goto(server.url(new URL(link).pathname));
        expect(await w.page.content()).not.toContain(sponsor.person.fullName);
        expect(await w.page.content()).toContain('UU 27/2022');
        await look(w.page, '19-sertakan-setuju');
        await w.page.getByLabel('Kode dari SMS').fill('000000');
        await w.page.getByRole('button', { name: 'Saya setuju' }).click();
        expect(await w.page.content()).toContain('Kode salah. Sisa percobaan: 4.');
        await look(w.page, '19-sertakan-kode-salah');
        await w.page.getByLabel('Kode dari SMS').fill(await latestData(server, worker.phone, 'otp'));
        await w.page.getByRole('button', { name: 'Saya setuju' }).click();
        await expect.poll(() => w.page.content()).toContain('Anda sudah menyetujui');
      } finally {
        await w.context.close();
      }

      await page.goto(server.url('/akun/sertakan'));
      const table = await page.getByRole('table').innerText();
      expect(table).toContain('Aktif');
      expect(table).toMatch(/Bayar Rp/);
      await look(page, '19-sertakan-daftar');
      await page.getByRole('link', { name: /^Bayar Rp/ }).click();
      await page.waitForURL('**/bayar/*');
    } finally {
      await context.close();
    }
  });
});
