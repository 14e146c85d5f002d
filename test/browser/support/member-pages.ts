import type { Locator, Page } from 'playwright-core';
import { expect } from 'vitest';
import { latestData, type Person } from '../../support/factories.js';
import { expectNoAxeViolations, screenshot, type PortalServer } from './browser.js';

/** The member area's browser tests: signing in by phone and looking at a page (axe 0, nothing wider than the phone, a screenshot). */

/** axe 0, nothing wider than the phone, then the screenshot. */
export async function look(page: Page, name: string) {
  await expectNoAxeViolations(page);
  await screenshot(page, name);
  const wide = await page.evaluate(() =>
    [...document.querySelectorAll('body *')]
      .filter((e) => e.getBoundingClientRect().right > document.documentElement.clientWidth + 0.5)
      .map((e) => `${e.tagName.toLowerCase()}.${e.className} ${Math.round(e.getBoundingClientRect().right)}/${document.documentElement.clientWidth}`)
      .slice(0, 5),
  );
  expect(wide, `${name} has elements wider than the screen`).toEqual([]);
}

/** Signs in with the phone and the code from the development outbox; ends on /akun. */
export async function signIn(server: PortalServer, page: Page, phone: string) {
  await page.goto(server.url('/masuk'));
  await page.getByLabel('Nomor HP').fill(phone);
  await page.getByRole('button', { name: 'Kirim kode' }).click();
  await page.waitForURL('**/masuk/kode');
  await page.getByLabel('Kode dari SMS (6 angka)').fill(await latestData(server, phone, 'otp'));
  await page.getByRole('button', { name: 'Masuk', exact: true }).click();
  await page.waitForURL('**/akun');
}

/** A birth date (yyyy-mm-dd) typed the way a person does: tanggal, bulan from the list, tahun (issue 18 item 6). */
export async function fillBirthDate(page: Page | Locator, iso: string) {
  const [year = '', month = '', day = ''] = iso.split('-');
  await page.getByLabel('Tanggal', { exact: true }).fill(String(Number(day)));
  await page.getByLabel('Bulan', { exact: true }).selectOption(String(Number(month)));
  await page.getByLabel('Tahun', { exact: true }).fill(year);
}

/** The birth date the three fields show, as yyyy-mm-dd ('' when incomplete). */
export async function birthDateValue(page: Page | Locator): Promise<string> {
  const day = await page.getByLabel('Tanggal', { exact: true }).inputValue();
  const month = await page.getByLabel('Bulan', { exact: true }).inputValue();
  const year = await page.getByLabel('Tahun', { exact: true }).inputValue();
  return day && month && year ? `${year}-${month.padStart(2, '0')}-${day.padStart(2, '0')}` : '';
}

/** Registration steps 1 (the person) and 2 (occupation, branch, declaration) on the web; ends on /daftar/{id}. */
export async function fillRegistrationSteps(page: Page, server: PortalServer, person: Person, branchCode: string) {
  await page.goto(server.url('/daftar'));
  const labels: [string, string][] = [
    ['NIK (16 angka di KTP)', person.nik],
    ['Nama lengkap sesuai KTP', person.fullName],
    ['Nomor HP', person.phone],
    ['Email', person.email],
    ['Alamat tempat tinggal', person.address],
  ];
  for (const [label, value] of labels) await page.getByLabel(label).fill(value);
  await fillBirthDate(page, person.birthDate);
  await page.getByLabel(person.gender === 'M' ? 'Laki-laki' : 'Perempuan').check();
  await page.getByRole('button', { name: 'Lanjut' }).click();
  await page.waitForURL('**/daftar/pekerjaan');
  await page.getByLabel('Pekerjaan utama').selectOption('OJOL');
  await page.getByLabel('Kantor cabang').selectOption(branchCode);
  await page.getByLabel(/Saya menyatakan data di atas benar/).check();
  await page.getByRole('button', { name: 'Kirim dan verifikasi' }).click();
  await page.waitForURL(/\/daftar\/reg_[^/]+$/);
}
