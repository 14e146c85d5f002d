import type { Page } from 'playwright-core';
import { describe, expect, it } from 'vitest';
import { activeMember, latestData, makePerson } from '../support/factories.js';
import { newMobilePage, useBrowserSuite } from './support/browser.js';
import { fillBirthDate, look } from './support/member-pages.js';

/**
 * Issue 18 items 2, 4, 5, 6, 9 and 12 as a first-time worker met them, on a 360×800 phone WITHOUT JavaScript:
 * from the simulator ("Daftar dengan pilihan ini" kept nothing), step 1's errors one at a time, the birth date's
 * picker, a NIK typed with spaces cut by maxlength, the branch search wiping the occupation and finding nothing for
 * Depok, and Back after an error or a recalculation landing on Chrome's "Confirm Form Resubmission". Then a member's
 * other forms (sign-in phone and code, profile incl. the phone change's three birth-date fields, heirs, auto-debit,
 * Sertakan): each refused once, the error on a GET page with axe 0, and Back a real page.
 */
const suite = useBrowserSuite({ start: '2026-12-07T01:00:00.000Z' });

/** Back lands on a real page of the portal (not net::ERR_CACHE_MISS, the resubmission page), at `path`. */
async function backTo(page: Page, path: RegExp) {
  const response = await page.goBack({ waitUntil: 'load' });
  expect(response, 'Back reloaded a page').not.toBeNull();
  expect(response?.request().method()).toBe('GET');
  expect(new URL(page.url()).pathname + new URL(page.url()).search).toMatch(path);
  expect(await page.locator('h1').count()).toBe(1);
}

const summary = (page: Page) => page.locator('.error-summary').innerText();

/** What a refused form says at the top of its page: the error summary, or the problem notice. */
const refusal = (page: Page) => page.locator('.error-summary, .notice-bad').first().innerText();

/** A refused form shows its error on a GET page (axe 0), and Back from it is a real page again (not a resubmission). */
async function refusedThenBack(page: Page, name: string, error: string | RegExp, back: RegExp) {
  expect(await refusal(page)).toMatch(error);
  await look(page, name);
  await backTo(page, back);
}

describe('portal forms without JavaScript', () => {
  it('simulator → registration keeps the choices; step 1 shows every error at once; Back never resubmits', async () => {
    const { server, browser } = suite;
    const person = makePerson({ address: 'Jl. Margonda Raya No. 10, Beji, Depok' });
    await server.post('/dev/population', { nik: person.nik, fullName: person.fullName, birthDate: person.birthDate, gender: person.gender });
    const { context, page } = await newMobilePage(browser, { javaScriptEnabled: false });
    try {
      // Item 5 and the recalculation's Back: the simulator, then "Daftar dengan pilihan ini".
      await page.goto(server.url('/simulasi'));
      await page.getByLabel('Penghasilan per bulan (Rp)').fill('3.000.000');
      await page.getByLabel('Pekerjaan', { exact: true }).selectOption('OJOL');
      await page.getByLabel(/Jaminan Hari Tua/).check();
      await page.getByLabel('3 bulan').check();
      await page.getByRole('button', { name: 'Hitung' }).click();
      await page.waitForURL(/income=3.000.000/);
      await page.getByLabel('Penghasilan per bulan (Rp)').fill('3.500.000');
      await page.getByRole('button', { name: 'Hitung' }).click();
      await page.waitForURL(/income=3.500.000/);
      await backTo(page, /^\/simulasi\?income=3.000.000/);
      await page.getByRole('link', { name: 'Daftar dengan pilihan ini' }).click();
      await page.waitForURL(/\/daftar$/);
      expect(await page.getByRole('status').innerText()).toContain('Pilihan dari simulasi');

      // Items 12, 4 and 6: a NIK with spaces is not cut; one submit shows every problem, the values kept.
      const spaced = person.nik.replace(/(\d{4})(?=\d)/g, '$1 ');
      await page.getByLabel('NIK (16 angka di KTP)').fill(spaced);
      expect(await page.getByLabel('NIK (16 angka di KTP)').inputValue()).toBe(spaced);
      expect(await page.getByLabel('NIK (16 angka di KTP)').getAttribute('inputmode')).toBe('numeric');
      await page.getByLabel('Email').fill(person.email);
      await page.getByRole('button', { name: 'Lanjut' }).click();
      await page.waitForURL(/\/daftar$/);
      const errors = await summary(page);
      for (const text of ['Nama lengkap wajib diisi', 'Tanggal lahir wajib diisi', 'Pilih jenis kelamin', 'Nomor HP wajib diisi', 'Tulis alamat tempat tinggal']) {
        expect(errors).toContain(text);
      }
      expect(await page.getByLabel('NIK (16 angka di KTP)').inputValue()).toBe(person.nik);
      expect(await page.getByLabel('Email').inputValue()).toBe(person.email);
      expect(await page.getByLabel('Tanggal', { exact: true }).getAttribute('aria-describedby')).toBe('birthDate-hint birthDate-error');
      await look(page, 'forms-01-daftar-semua-kesalahan');

      // A date that does not exist says why; then the corrected form goes on.
      await page.getByLabel('Nama lengkap sesuai KTP').fill(person.fullName);
      await page.getByLabel(person.gender === 'M' ? 'Laki-laki' : 'Perempuan').check();
      await page.getByLabel('Nomor HP').fill(person.phone);
      await page.getByLabel('Alamat tempat tinggal').fill(person.address);
      await fillBirthDate(page, '1990-04-31');
      await page.getByRole('button', { name: 'Lanjut' }).click();
      await page.waitForURL(/\/daftar$/);
      expect(await summary(page)).toContain('tidak ada di kalender');
      expect(await page.getByLabel('Nama lengkap sesuai KTP').inputValue()).toBe(person.fullName);
      await fillBirthDate(page, person.birthDate);
      await page.getByRole('button', { name: 'Lanjut' }).click();
      await page.waitForURL('**/daftar/pekerjaan');
      // Item 2: Back from step 2 was the refused POST's page ("Confirm Form Resubmission"); now it is step 1's GET.
      await backTo(page, /^\/daftar$/);
      await page.goForward();
      await page.waitForURL('**/daftar/pekerjaan');

      // Item 5: the simulator's occupation is chosen. Item 9: nearest branches first; "Depok" finds Bogor; nothing lost.
      expect(await page.getByLabel('Pekerjaan utama').inputValue()).toBe('OJOL');
      expect(await page.locator('#branchCode optgroup').first().getAttribute('label')).toBe('Terdekat dari alamat Anda');
      expect(await page.locator('#branchCode optgroup').first().locator('option').first().getAttribute('value')).toBe('BOGOR');
      await page.getByLabel(/Saya menyatakan data di atas benar/).check();
      await page.getByLabel(/Cari kota/).fill('Depok');
      await page.getByRole('button', { name: 'Cari kantor cabang' }).click();
      await page.waitForURL('**/daftar/pekerjaan?kota=Depok');
      expect(await page.getByRole('status').innerText()).toContain('kantor cabang untuk "Depok"');
      expect(await page.getByLabel('Pekerjaan utama').inputValue()).toBe('OJOL');
      expect(await page.getByLabel(/Saya menyatakan data di atas benar/).isChecked()).toBe(true);
      expect(await page.locator('#branchCode option[value="BOGOR"]').count()).toBe(1);
      expect(await page.locator('#branchCode option[value="BANDA-ACEH"]').count()).toBe(0);
      await look(page, 'forms-02-daftar-cari-cabang');
      // Refused (no branch chosen), then Back: a real page.
      await page.getByRole('button', { name: 'Kirim dan verifikasi' }).click();
      await page.waitForURL('**/daftar/pekerjaan?kota=Depok');
      expect(await summary(page)).toContain('Kantor cabang tidak dikenal');
      expect(await page.getByLabel('Pekerjaan utama').inputValue()).toBe('OJOL');
      await page.getByLabel('Kantor cabang').selectOption('BOGOR');
      await page.getByRole('button', { name: 'Kirim dan verifikasi' }).click();
      await page.waitForURL(/\/daftar\/reg_[^/?]+$/);
      // Back from step 3: step 2's GET, which sends a browser whose draft became a registration to that registration.
      await backTo(page, /^\/daftar\/reg_[^/?]+$/);

      // Step 3: a wrong code is refused on the registration's page (a GET), and Back after it is a real page too.
      const right = await latestData(server, person.phone, 'otp');
      await page.getByLabel('Kode OTP dari SMS').fill(right === '000000' ? '111111' : '000000');
      await page.getByRole('button', { name: 'Verifikasi nomor HP' }).click();
      await page.waitForURL(/\/daftar\/reg_[^/?]+$/);
      expect(await summary(page)).toContain('Kode OTP salah');
      await look(page, 'forms-03-daftar-otp-salah');
      await page.getByLabel('Kode OTP dari SMS').fill(right);
      await page.getByRole('button', { name: 'Verifikasi nomor HP' }).click();
      await page.waitForURL(/\/daftar\/reg_[^/?]+(\?ok=phone)?$/);
      await backTo(page, /^\/daftar\/reg_[^/?]+$/);
    } finally {
      await context.close();
    }
  }, 240_000);

  it('a member: every other form refused once (sign-in phone and code, profile, heirs, auto-debit, Sertakan), Back never resubmits', async () => {
    const { server, browser } = suite;
    const member = await activeMember(server);
    server.clock.advance(61_000); // past the sign-in code's resend wait (activeMember signed in through the API)
    const { context, page } = await newMobilePage(browser, { javaScriptEnabled: false });
    try {
      await page.goto(server.url('/masuk'));
      await page.getByLabel('Nomor HP').fill('bukan nomor');
      await page.getByRole('button', { name: 'Kirim kode' }).click();
      await page.waitForURL('**/masuk');
      await refusedThenBack(page, 'forms-04-masuk-nomor-salah', /nomor HP/i, /^\/masuk$/);

      await page.getByLabel('Nomor HP').fill(member.person.phone);
      await page.getByRole('button', { name: 'Kirim kode' }).click();
      await page.waitForURL('**/masuk/kode');
      const code = await latestData(server, member.person.phone, 'otp');
      await page.getByLabel('Kode dari SMS (6 angka)').fill(code === '000000' ? '111111' : '000000');
      await page.getByRole('button', { name: 'Masuk', exact: true }).click();
      await page.waitForURL('**/masuk/kode');
      await refusedThenBack(page, 'forms-05-masuk-kode-salah', /Kode.*salah/i, /^\/masuk\/kode$/);
      await page.getByLabel('Kode dari SMS (6 angka)').fill(code);
      await page.getByRole('button', { name: 'Masuk', exact: true }).click();
      await page.waitForURL('**/akun');

      await page.goto(server.url('/akun/profil'));
      const pricing = page.getByRole('region', { name: 'Penghasilan dan program' });
      await pricing.getByLabel('Penghasilan per bulan').fill('1');
      await pricing.getByRole('button', { name: 'Simpan' }).click();
      await page.waitForURL('**/akun/profil');
      await refusedThenBack(page, 'forms-06-profil-penghasilan', /Penghasilan.*minimal/, /^\/akun\/profil$/);
      // Item 6 on the profile: the phone change asks the birth date as three fields, and says why a date is wrong.
      const phone = page.getByRole('region', { name: 'Nomor HP' });
      const newPhone = makePerson().phone;
      await phone.getByLabel('Nomor HP baru').fill(newPhone);
      await phone.getByRole('button', { name: 'Kirim kode' }).click();
      await page.waitForURL('**/akun/profil');
      await phone.getByLabel('Kode dari SMS').fill(await latestData(server, newPhone, 'otp'));
      await fillBirthDate(phone, '1990-04-31');
      await phone.getByLabel('6 digit terakhir NIK').fill(member.person.nik.slice(-6));
      await phone.getByRole('button', { name: 'Ganti nomor HP' }).click();
      await page.waitForURL('**/akun/profil');
      expect(await phone.getByLabel('Tanggal', { exact: true }).inputValue()).toBe('31');
      await refusedThenBack(page, 'forms-06b-profil-hp-tanggal', /tidak ada di kalender/, /^\/akun\/profil$/);

      await page.goto(server.url('/akun/ahli-waris'));
      await page.getByLabel('Nama lengkap', { exact: true }).fill('Siti Aminah');
      await page.getByLabel('Hubungan dengan Anda').selectOption('spouse');
      await fillBirthDate(page, '1992-02-30');
      await page.getByRole('button', { name: 'Simpan' }).click();
      await page.waitForURL('**/akun/ahli-waris');
      await refusedThenBack(page, 'forms-07-ahli-waris-tanggal', /[Tt]anggal lahir/, /^\/akun\/ahli-waris$/);

      await page.goto(server.url('/akun/autodebet'));
      await page.getByLabel('Bank atau dompet digital').selectOption('bank:BCA');
      await page.getByLabel('Nomor rekening, atau nomor HP dompet digital').fill('12');
      await page.getByRole('button', { name: 'Aktifkan autodebet' }).click();
      await page.waitForURL('**/akun/autodebet');
      await refusedThenBack(page, 'forms-08-autodebet-rekening', /rekening/i, /^\/akun\/autodebet$/);

      await page.goto(server.url('/akun/sertakan'));
      await page.getByLabel('Nomor KPJ pekerja').fill('99999999999');
      await page.getByRole('button', { name: 'Kirim SMS persetujuan', exact: true }).click();
      await page.waitForURL('**/akun/sertakan');
      await refusedThenBack(page, 'forms-09-sertakan-kpj', /KPJ.*tidak ditemukan/, /^\/akun\/sertakan$/);
    } finally {
      await context.close();
    }
  }, 240_000);
});
