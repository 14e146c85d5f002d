import { describe, expect, it } from 'vitest';
import { useBrowserSuite } from './support/browser.js';
import { look } from './support/member-pages.js';

/**
 * Issue 18 gaps in a real browser at 360×800, JavaScript off: the branch directory showed only "Lokasi: city,
 * province" — an admin records Bogor's street address and the person now sees it (others say "Alamat belum tercatat —
 * hubungi 175"); /masuk refused an e-mail as a bad phone — it now takes one and goes on to the code page.
 */
const suite = useBrowserSuite();
const PASSWORD = 'kata-sandi-staf-123';

describe('branch address and Masuk by e-mail (browser)', () => {
  it('the directory shows an address an admin recorded; /masuk takes an e-mail', async () => {
    const { server, browser } = suite;
    expect((await server.post('/dev/staff', { username: 'admin-alamat', password: PASSWORD, roles: ['admin'] })).status).toBe(201);
    const staff = await browser.newContext({ viewport: { width: 1280, height: 800 }, locale: 'id-ID', javaScriptEnabled: false });
    const admin = await staff.newPage();
    try {
      await admin.goto(server.url('/staff/kantor/cabang?kode=BOGOR'));
      await admin.waitForURL('**/staff/masuk?lanjut=*');
      await admin.getByLabel('Nama pengguna').fill('admin-alamat');
      await admin.getByLabel('Kata sandi').fill(PASSWORD);
      await admin.getByRole('button', { name: 'Masuk' }).click();
      await admin.waitForURL('**/staff/kantor/cabang*');
      await admin.getByLabel('Alamat kantor (boleh kosong)').fill('Jl. Pajajaran No. 1, Bogor Tengah');
      await admin.getByLabel('Alasan').fill('Alamat kantor');
      await admin.getByRole('button', { name: 'Simpan kantor cabang' }).click();
      await expect.poll(() => admin.getByRole('status').textContent()).toContain('Kantor cabang BOGOR disimpan.');
    } finally {
      await staff.close();
    }

    const context = await browser.newContext({ viewport: { width: 360, height: 800 }, locale: 'id-ID', javaScriptEnabled: false });
    const page = await context.newPage();
    try {
      await page.goto(server.url('/kantor-cabang?q=Jawa Barat'));
      const bogor = page.locator('li').filter({ hasText: 'Kantor Cabang Bogor' });
      expect(await bogor.innerText()).toContain('Alamat: Jl. Pajajaran No. 1, Bogor Tengah');
      expect(await page.locator('li').filter({ hasText: 'Kantor Cabang Bekasi' }).innerText()).toContain('Alamat belum tercatat — hubungi 175');
      await look(page, '41-kantor-cabang-alamat');

      await page.goto(server.url('/masuk'));
      await page.getByLabel('Nomor HP atau email').fill('belum.terdaftar@contoh.id');
      await page.getByRole('button', { name: 'Kirim kode' }).click();
      await page.waitForURL('**/masuk/kode');
      expect(await page.locator('main').innerText()).toContain('lewat email ke alamat itu');
      await look(page, '41-masuk-email');
    } finally {
      await context.close();
    }
  });
});
