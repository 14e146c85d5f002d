import { readFileSync } from 'node:fs';
import type { Page } from 'playwright-core';
import { describe, expect, it } from 'vitest';
import { makePerson, type Person } from '../support/factories.js';
import { expectNoAxeViolations, measureFirstLoad, newMobilePage, screenshot, trackRequests, useBrowserSuite, type PortalServer } from './support/browser.js';
import { fillBirthDate } from './support/member-pages.js';

/**
 * The participant's whole journey in a real browser (Debian's Chromium, phone-sized): home → simulator →
 * registration → verification → payment (development simulator) → sign-in → member area → card → card check.
 * Every page is checked with axe, photographed at 360×800 into docs/screenshots/, weighed (≤ 50 KB compressed on a
 * first load) and watched for third-party requests.
 */
const suite = useBrowserSuite();

const PAGE_BUDGET_BYTES = 50 * 1024;

async function outbox(server: PortalServer, to: string): Promise<{ body: string; data: Record<string, string> }[]> {
  return (await server.get(`/dev/outbox?to=${encodeURIComponent(to)}`)).body.messages;
}

async function latest(server: PortalServer, to: string, key: 'otp' | 'token'): Promise<string> {
  const m = (await outbox(server, to)).find((x) => x.data[key]);
  if (!m) {
    throw new Error(`no ${key} for ${to}`);
  }
  return m.data[key] as string;
}

interface Visit {
  name: string;
  url: string;
}

/** Checks every page the person sees: accessible (axe), no wider than the phone; when asked, photographed and remembered to be weighed. */
async function look(page: Page, visits: Visit[] | null, name: string) {
  await expectNoAxeViolations(page);
  const wide = await page.evaluate(() =>
    [...document.querySelectorAll('body *')]
      .filter((e) => e.getBoundingClientRect().right > document.documentElement.clientWidth + 0.5)
      .map((e) => `${e.tagName.toLowerCase()}.${e.className}`)
      .slice(0, 5),
  );
  expect(wide, `${name} has elements wider than the screen`).toEqual([]);
  if (visits) {
    await screenshot(page, name);
    visits.push({ name, url: page.url() });
  }
}

/** Registration steps 1 and 2 as a person fills them in; ends on the verification page. */
async function fillIdentityAndJob(page: Page, person: Person, job: { occupation: string; branch: string; citySearch?: string }, afterSearch?: () => Promise<void>) {
  await page.getByLabel('NIK (16 angka di KTP)').fill(person.nik);
  await page.getByLabel('Nama lengkap sesuai KTP').fill(person.fullName);
  await fillBirthDate(page, person.birthDate);
  await page.getByLabel(person.gender === 'M' ? 'Laki-laki' : 'Perempuan').check();
  await page.getByLabel('Nomor HP').fill(person.phone);
  await page.getByLabel('Email').fill(person.email);
  await page.getByLabel('Alamat tempat tinggal').fill(person.address);
  await page.getByRole('button', { name: 'Lanjut' }).click();
  await page.waitForURL('**/daftar/pekerjaan');
  if (job.citySearch) {
    await page.getByLabel('Cari kota').fill(job.citySearch);
    await page.getByRole('button', { name: 'Cari kantor cabang' }).click();
    await page.waitForURL(`**/daftar/pekerjaan?kota=${job.citySearch}`);
  }
  await afterSearch?.();
  await page.getByLabel('Pekerjaan utama').selectOption(job.occupation);
  await page.getByLabel('Kantor cabang').selectOption(job.branch);
  await page.getByLabel(/Saya menyatakan data di atas benar/).check();
  await page.getByRole('button', { name: 'Kirim dan verifikasi' }).click();
  await page.waitForURL(/\/daftar\/reg_[^/]+$/);
}

async function journey(server: PortalServer, page: Page, person: Person, options: { visits: Visit[] | null }) {
  const { visits } = options;
  await server.post('/dev/population', { nik: person.nik, fullName: person.fullName, birthDate: person.birthDate, gender: person.gender });

  await page.goto(server.url('/'));
  await expect.poll(() => page.title()).toContain('Lindung');
  await look(page, visits, '01-beranda');

  // The simulator from the home page.
  await page.getByLabel('Penghasilan per bulan (Rp)').fill('2.000.000');
  await page.getByLabel('Pekerjaan', { exact: true }).selectOption('OJOL');
  await page.getByLabel('Jaminan Hari Tua (JHT) — pilihan').check();
  await page.getByLabel('3 bulan').check();
  await page.getByRole('button', { name: 'Hitung' }).click();
  await expect.poll(() => page.locator('main').innerText()).toContain('Total yang dibayar untuk 3 bulan: Rp160.200');
  await expect.poll(() => page.locator('table.jht-table').innerText()).toContain('30 tahun');
  await look(page, visits, '02-simulasi');

  // Registration, step 1.
  await page.getByRole('link', { name: 'Daftar dengan pilihan ini' }).click();
  await page.waitForURL('**/daftar');
  await look(page, visits, '03-daftar-data-diri');
  await fillIdentityAndJob(page, person, { occupation: 'OJOL', branch: 'BDG-SUCI', citySearch: 'Bandung' }, () => look(page, visits, '04-daftar-pekerjaan'));

  // Step 3: the SMS code here, the email link as the person would click it in their mail app.
  await look(page, visits, '05-daftar-verifikasi');
  await page.getByLabel('Kode OTP dari SMS').fill(await latest(server, person.phone, 'otp'));
  await page.getByRole('button', { name: 'Verifikasi nomor HP' }).click();
  await expect.poll(() => page.locator('main').innerText()).toContain('Nomor HP berhasil diverifikasi');
  const mail = (await outbox(server, person.email)).find((m) => m.data['token']);
  const link = /https?:\/\/[^\s"]+verifikasi-email[^\s"]+/.exec(mail?.body ?? '')?.[0];
  expect(link?.startsWith(server.origin)).toBe(true);
  await page.goto(link as string);

  // Step 4: income, programs, months, the live quote, then the payment code. The simulator's choices come along in
  // the address (issue 18 item 5: penghasilan, program, bulan).
  await page.waitForURL(/\/program(\?penghasilan=2\.000\.000&program=JKK&program=JKM&program=JHT&bulan=3)?$/);
  await page.getByLabel('Penghasilan per bulan (Rp)').fill('2.000.000');
  await page.getByLabel('Jaminan Hari Tua (JHT) — pilihan').check();
  await page.getByLabel('3 bulan').check();
  await page.getByRole('button', { name: 'Hitung ulang' }).click();
  await expect.poll(() => page.locator('main').innerText()).toContain('Rp160.200');
  await look(page, visits, '06-daftar-iuran');
  await page.getByRole('button', { name: 'Buat kode bayar' }).click();

  // Payment page: code, amount, countdown, instructions, QRIS; then the development payment simulator.
  await page.waitForURL(/\/bayar\/\d{16}$/);
  const main = await page.locator('main').innerText();
  expect(main).toContain('Rp160.200');
  expect(main).toMatch(/\d{4} \d{4} \d{4} \d{4}/);
  await page.getByText('QRIS (semua aplikasi bank dan dompet digital)').click();
  await expect.poll(() => page.locator('.qr svg').count()).toBe(1);
  await look(page, visits, '07-bayar');
  await page.getByRole('button', { name: /Simulasikan pembayaran Rp160\.200/ }).click();
  await expect.poll(() => page.locator('main').innerText()).toContain('Pembayaran diterima');
  await look(page, visits, '08-bayar-lunas');

  // Sign in by phone OTP.
  await page.getByRole('link', { name: 'Lihat akun dan kartu saya' }).click();
  await page.waitForURL('**/masuk');
  await look(page, visits, '09-masuk');
  await page.getByLabel('Nomor HP').fill(person.phone);
  await page.getByRole('button', { name: 'Kirim kode' }).click();
  await page.waitForURL('**/masuk/kode');
  await look(page, visits, '10-masuk-kode');
  await page.getByLabel('Kode dari SMS (6 angka)').fill(await latest(server, person.phone, 'otp'));
  await page.getByRole('button', { name: 'Masuk', exact: true }).click();

  // Member area: status in one word, cover, history; then the card, its PDF and its public check.
  await page.waitForURL('**/akun');
  const account = await page.locator('main').innerText();
  expect(account).toContain('Aktif');
  expect(account).toContain('Januari 2027');
  expect(account).toContain('Rp160.200');
  await look(page, visits, '11-akun');
  await page.getByRole('link', { name: 'Lihat kartu digital' }).click();
  await page.waitForURL('**/akun/kartu');
  await expect.poll(() => page.locator('main').innerText()).toContain(person.fullName);
  await look(page, visits, '12-kartu');
  const [download] = await Promise.all([page.waitForEvent('download'), page.getByRole('link', { name: 'Unduh kartu (PDF)' }).click()]);
  const pdf = readFileSync(await download.path());
  expect(pdf.subarray(0, 5).toString()).toBe('%PDF-');
  expect(download.suggestedFilename()).toMatch(/^kartu-bpjs-\d{11}\.pdf$/);
  await page.getByRole('link', { name: 'Periksa keaslian kartu ini' }).click();
  await expect.poll(() => page.locator('main').innerText()).toContain('Kartu sah');
  await look(page, visits, '13-kartu-verifikasi');

  // The contribution wallet: top up Rp5.000 with the development simulator (a signed notification, no bill).
  await page.goto(server.url('/akun/dompet'));
  await page.getByLabel('Jumlah isi saldo (rupiah)').fill('5.000');
  await page.getByRole('button', { name: 'Simulasikan isi saldo' }).click();
  await expect.poll(() => page.locator('main').innerText()).toContain('Isi saldo diterima');
  expect(await page.locator('main').innerText()).toContain('Rp5.000');
  await look(page, visits, '15-dompet');
}

describe('the participant journey in Chromium', { timeout: 180_000 }, () => {
  it('a new person goes from the home page to the member area and downloads the card (JavaScript on)', async () => {
    const { server, browser } = suite;
    const { context, page } = await newMobilePage(browser, { acceptDownloads: true });
    const tracker = await trackRequests(context, server.origin);
    const visits: Visit[] = [];
    try {
      await journey(server, page, makePerson(), { visits });
      tracker.expectFirstPartyOnly();
      // Every page the person saw, weighed as a first load on an empty cache (with their cookies, for the member pages).
      const state = await context.storageState();
      for (const v of visits) {
        const load = await measureFirstLoad(browser, v.url, { storageState: state });
        expect(load.thirdParty, v.name).toEqual([]);
        expect(load.totalBytes, `${v.name} ${v.url}: ${JSON.stringify(load.byUrl)}`).toBeLessThanOrEqual(PAGE_BUDGET_BYTES);
      }
    } finally {
      await context.close();
    }
  });

  it('the same journey works with JavaScript disabled', async () => {
    const { server, browser } = suite;
    const { context, page } = await newMobilePage(browser, { acceptDownloads: true, javaScriptEnabled: false });
    try {
      await journey(server, page, makePerson(), { visits: null });
    } finally {
      await context.close();
    }
  });

  it('a wrong OTP five times shows the lock message', async () => {
    const { server, browser } = suite;
    const { context, page } = await newMobilePage(browser);
    const person = makePerson();
    try {
      await server.post('/dev/population', { nik: person.nik, fullName: person.fullName, birthDate: person.birthDate, gender: person.gender });
      await page.goto(server.url('/daftar'));
      await fillIdentityAndJob(page, person, { occupation: 'PEDAGANG_PASAR', branch: 'SBY-DARMO' });
      const right = await latest(server, person.phone, 'otp');
      const wrong = right === '000000' ? '111111' : '000000';
      for (let i = 0; i < 5; i++) {
        await page.getByLabel('Kode OTP dari SMS').fill(wrong);
        await page.getByRole('button', { name: 'Verifikasi nomor HP' }).click();
        await expect.poll(() => page.locator('.error-summary').innerText()).toContain('Kode OTP salah');
      }
      await page.getByLabel('Kode OTP dari SMS').fill(right);
      await page.getByRole('button', { name: 'Verifikasi nomor HP' }).click();
      await expect.poll(() => page.locator('.error-summary').innerText()).toContain('Kode OTP dikunci karena 5 kali salah');
      await expectNoAxeViolations(page);
      await screenshot(page, '14-daftar-otp-dikunci');
    } finally {
      await context.close();
    }
  });
});
