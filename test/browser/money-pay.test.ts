import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import type { Page } from 'playwright-core';
import { describe, expect, it } from 'vitest';
import { makePerson, registerVerified } from '../support/factories.js';
import { newMobilePage, useBrowserSuite, type PortalServer } from './support/browser.js';
import { look, signIn } from './support/member-pages.js';

/**
 * Issue 18, items 1, 7, 8, 10 as the person met them on a 360×800 phone: the money table that read as zero
 * ("Per bulan Rp12.500 · Potongan −Rp12.500"), Back after step 4, the QR folded away and no way to copy the code or
 * save the QR on the same phone, the paid page without the KPJ and no receipt. Each page: axe 0, nothing wider than
 * the phone, a screenshot (docs/screenshots/money-*.png, not committed).
 */
const suite = useBrowserSuite();

const mainText = (page: Page) => page.locator('main').innerText();

/** Step 4 of a registration verified through the API: income, JHT, 3 months, recalculated; ends on the quote. */
async function stepFour(server: PortalServer, page: Page) {
  const person = makePerson();
  const id = await registerVerified(server, person);
  await page.goto(server.url(`/daftar/${id}/program`));
  await page.getByLabel('Penghasilan per bulan (Rp)').fill('2.000.000');
  await page.getByLabel('Jaminan Hari Tua (JHT) — pilihan').check();
  await page.getByLabel('3 bulan').check();
  await page.getByRole('button', { name: 'Hitung ulang' }).click();
  // Post/Redirect/Get: the recalculated quote is a GET with the choice in the address.
  await page.waitForURL(/\/program\?penghasilan=/);
  return { person, id };
}

/** Item 1: one amount per month, the discount as a saving, a total that visibly adds up; never "−Rp". */
async function expectReadableQuote(page: Page) {
  const table = await page.locator('table.quote').first().innerText();
  expect(table).toMatch(/Dibayar (per bulan|untuk \w+ 20\d\d)/);
  expect(table).toMatch(/Hemat Rp[\d.]+/);
  expect(table).not.toContain('−Rp');
  expect(table).not.toContain('Potongan');
  // "3 bulan × Rp53.400 = Rp160.200", or "2 bulan × Rp53.400 + 1 bulan × Rp66.800 = Rp173.600": it adds up.
  const sum = /((?:\d+ bulan × Rp[\d.]+(?: \+ )?)+) = Rp([\d.]+)/.exec(await mainText(page));
  expect(sum).not.toBeNull();
  const rp = (s: string) => Number(s.replace(/\./g, ''));
  const terms = [...(sum?.[1] ?? '').matchAll(/(\d+) bulan × Rp([\d.]+)/g)].map((t) => Number(t[1]) * rp(t[2] ?? ''));
  expect(terms.reduce((a, b) => a + b, 0)).toBe(rp(sum?.[2] ?? ''));
  expect([...(sum?.[1] ?? '').matchAll(/(\d+) bulan/g)].reduce((a, t) => a + Number(t[1]), 0)).toBe(3);
}

describe('money and paying on a phone (issue 18 items 1, 7, 8, 10)', { timeout: 180_000 }, () => {
  it('readable quote, Back after step 4, QR on the first screen, copy, Simpan QRIS, KPJ and the receipt (JavaScript on)', async () => {
    const { server, browser } = suite;
    const { context, page } = await newMobilePage(browser, { acceptDownloads: true });
    await context.grantPermissions(['clipboard-read', 'clipboard-write'], { origin: server.origin });
    try {
      // The simulator: the table the person read as zero.
      await page.goto(server.url('/simulasi'));
      await page.getByLabel('Penghasilan per bulan (Rp)').fill('2.000.000');
      await page.getByLabel('Jaminan Hari Tua (JHT) — pilihan').check();
      await page.getByLabel('3 bulan').check();
      await page.getByRole('button', { name: 'Hitung' }).click();
      await expect.poll(() => page.locator('table.quote').count()).toBeGreaterThan(0);
      await expectReadableQuote(page);
      await look(page, 'money-01-simulasi');

      // Step 4: the same table; the code; Back lands on step 4, not on "Confirm Form Resubmission".
      const { person } = await stepFour(server, page);
      await expectReadableQuote(page);
      await look(page, 'money-02-daftar-iuran');
      await page.getByRole('button', { name: 'Buat kode bayar' }).click();
      await page.waitForURL(/\/bayar\/\d{16}$/);
      const payUrl = page.url();
      const code = payUrl.slice(payUrl.lastIndexOf('/') + 1);
      const back = await page.goBack();
      expect(back?.ok()).toBe(true);
      expect(page.url()).toMatch(/\/program\?penghasilan=/);
      await expect.poll(() => page.locator('h1').innerText()).toContain('Program');
      await page.goForward();
      await page.waitForURL(payUrl);

      // The pay page: the QR visible without unfolding anything, on the first screen.
      const qr = page.locator('.qr svg');
      await expect.poll(() => qr.isVisible()).toBe(true);
      const box = await qr.boundingBox();
      expect((box?.y ?? 9999) + (box?.height ?? 0)).toBeLessThanOrEqual(800);
      await expectReadableQuote(page);
      // Copy the code (the clipboard holds the bare digits).
      await page.getByRole('button', { name: 'Salin kode' }).click();
      await expect.poll(() => page.locator('#kode-disalin').innerText()).toBe('Kode bayar disalin');
      expect(await page.evaluate(() => navigator.clipboard.readText())).toBe(code);
      // Simpan QRIS: a PNG download.
      const [png] = await Promise.all([page.waitForEvent('download'), page.getByRole('link', { name: 'Simpan QRIS (gambar PNG)' }).click()]);
      expect(png.suggestedFilename()).toBe(`qris-${code}.png`);
      expect(readFileSync(await png.path()).subarray(1, 4).toString()).toBe('PNG');
      await look(page, 'money-03-bayar');

      // Paid: the KPJ big and on one line.
      await page.getByRole('button', { name: /Simulasikan pembayaran/ }).click();
      await expect.poll(() => mainText(page)).toContain('Pembayaran diterima');
      const kpj = page.locator('p.kpj');
      const kpjText = await kpj.innerText();
      expect(kpjText).toMatch(/^\d{4} \d{4} \d{3}$/);
      const kpjBox = await kpj.boundingBox();
      const lineHeight = await kpj.evaluate((el) => parseFloat(getComputedStyle(el).lineHeight) || parseFloat(getComputedStyle(el).fontSize) * 1.5);
      expect(kpjBox?.height ?? 999).toBeLessThan(lineHeight * 1.5);
      await look(page, 'money-04-lunas');

      // The receipt from the payment history, read back.
      await signIn(server, page, person.phone);
      const [pdf] = await Promise.all([page.waitForEvent('download'), page.getByRole('link', { name: /^Bukti bayar/ }).first().click()]);
      expect(pdf.suggestedFilename()).toBe(`bukti-bayar-${code}.pdf`);
      const text = execFileSync('pdftotext', ['-layout', await pdf.path(), '-'], { encoding: 'utf8' }).replace(/\s+/g, ' ');
      expect(text).toContain('BUKTI BAYAR IURAN');
      expect(text).toContain(`Nomor KPJ ${kpjText}`);
      expect(text).toContain('(3 bulan)');
      expect(text).toMatch(/Waktu bayar \w+, \d{1,2} \w+ 20\d\d pukul \d{2}\.\d{2} WIB/);
      await look(page, 'money-05-akun-riwayat');
    } finally {
      await context.close();
    }
  });

  it('without JavaScript: Back after step 4 lands on the page; the code is selectable text and the copy button stays hidden', async () => {
    const { server, browser } = suite;
    const { context, page } = await newMobilePage(browser, { javaScriptEnabled: false });
    try {
      await stepFour(server, page);
      await page.getByRole('button', { name: 'Buat kode bayar' }).click();
      await page.waitForURL(/\/bayar\/\d{16}$/);
      const code = page.url().slice(-16);
      expect((await page.locator('#kode-bayar').innerText()).replace(/\s/g, '')).toBe(code);
      expect(await page.locator('#kode-bayar').evaluate((el) => getComputedStyle(el).userSelect)).toBe('all');
      expect(await page.getByRole('button', { name: 'Salin kode' }).count()).toBe(0);
      await expect.poll(() => page.locator('.qr svg').isVisible()).toBe(true);
      const back = await page.goBack();
      expect(back?.ok()).toBe(true);
      expect(page.url()).toMatch(/\/program\?penghasilan=/);
      await expectReadableQuote(page);
    } finally {
      await context.close();
    }
  });
});
