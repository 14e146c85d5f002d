import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { URI } from 'otpauth';
import type { Browser, Page } from 'playwright-core';
import { describe, expect, it } from 'vitest';
import { latestData, makePerson, type Person } from '../support/factories.js';
import { nikHashOf } from '../support/nik.js';
import { newMobilePage, type PortalServer, useBrowserSuite } from './support/browser.js';
import { birthDateValue, fillRegistrationSteps } from './support/member-pages.js';
import { lookAtStaffPage as look, STAFF_DESKTOP as DESKTOP } from './support/staff-page.js';

/**
 * Issue 16 acceptance, "an SPO registration from a printed-form draft", in Chromium: a worker fills registration steps
 * 1–2 on a phone and downloads Formulir 1A (its code read back with pdftotext, the A4 page rendered with pdftoppm);
 * an administrator adds a bank SPO desk and an SPO officer account (the one-time authenticator QR); the officer signs
 * in with a TOTP code, loads the form by its code, types the NIK from the KTP (a wrong one first: draft_nik_mismatch),
 * the OTP the worker reads out, takes cash and prints the slip (KPJ, LUNAS). The registration is recorded with channel
 * 'spo' and the service point; the participant is active; the draft's code no longer finds a draft.
 * JavaScript off in the console; axe 0 on every staff page; screenshots docs/screenshots/staff/staff-40-spo-*.png.
 */
const suite = useBrowserSuite({ start: '2026-12-07T02:00:00.000Z' });
const PASSWORD = 'kata-sandi-staf-123';
const BRANCH = 'BDG-SUCI';
const POINT = 'SPO-BJB-SUCI';

function pdfText(pdf: Buffer, name: string): { text: string; png: Buffer } {
  const dir = mkdtempSync(join(tmpdir(), 'spo-daftar-'));
  const file = join(dir, `${name}.pdf`);
  writeFileSync(file, pdf);
  execFileSync('pdftoppm', ['-png', '-r', '60', '-singlefile', file, join(dir, name)]);
  return { text: execFileSync('pdftotext', ['-layout', file, '-'], { encoding: 'utf8' }), png: readFileSync(join(dir, `${name}.png`)) };
}

/** Steps 1–2 on the web, then the printed Formulir 1A: its form code. */
async function webDraftFormCode(browser: Browser, server: PortalServer, person: Person): Promise<string> {
  const { context, page } = await newMobilePage(browser, { acceptDownloads: true });
  try {
    await fillRegistrationSteps(page, server, person, BRANCH);
    const [download] = await Promise.all([page.waitForEvent('download'), page.getByRole('link', { name: 'Cetak Formulir 1A untuk dibawa ke kantor/SPO' }).click()]);
    const file = join(mkdtempSync(join(tmpdir(), 'spo-formulir-')), 'formulir-1a.pdf');
    await download.saveAs(file);
    const { text, png } = pdfText(readFileSync(file), 'formulir-1a');
    const code = /KODE FORMULIR[^\n]*?([0-9A-Z]{4})-([0-9A-Z]{4})/i.exec(text) ?? /\b([0-9A-HJKMNP-TV-Z]{4})-([0-9A-HJKMNP-TV-Z]{4})\b/.exec(text);
    expect(code, text).not.toBeNull();
    expect(text).toContain('FORMULIR 1A');
    expect(text).toContain(person.fullName);
    expect(text).not.toContain(person.nik);
    expect(png.subarray(1, 4).toString()).toBe('PNG');
    // A4 at 60 dpi: 8.27 × 11.69 in ≈ 496 × 702 pixels.
    expect([png.readUInt32BE(16), png.readUInt32BE(20)].map((px) => Math.round(px / 10))).toEqual([50, 70]);
    const formCode = `${code?.[1] ?? ''}${code?.[2] ?? ''}`;
    expect(download.suggestedFilename()).toBe(`formulir-1a-${formCode}.pdf`);
    return formCode;
  } finally {
    await context.close();
  }
}

async function signIn(page: Page, server: PortalServer, username: string, password: string, totpUri?: string) {
  await page.goto(server.url('/staff'));
  await page.waitForURL('**/staff/masuk*');
  await page.getByLabel('Nama pengguna').fill(username);
  await page.getByLabel('Kata sandi').fill(password);
  if (totpUri) await page.getByLabel('Kode autentikator').fill(URI.parse(totpUri).generate({ timestamp: server.clock.now().getTime() }));
  await page.getByRole('button', { name: 'Masuk' }).click();
  await page.waitForURL(/\/staff$/);
}

/** The administrator adds the SPO desk and the officer's account; returns the officer's otpauth URI. */
async function adminSetsUpSpo(page: Page, server: PortalServer): Promise<string> {
  await signIn(page, server, 'admin-spo', PASSWORD);
  await page.goto(server.url('/staff/kantor'));
  await page.getByLabel('Kode titik layanan').fill(POINT);
  await page.locator('#branchCode').selectOption(BRANCH);
  await page.getByLabel('SPO (bank)').check();
  await page.getByLabel('Nama', { exact: true }).fill('SPO Bank BJB Suci');
  await page.getByLabel('Alasan').fill('Kerja sama SPO baru');
  await page.getByRole('button', { name: 'Simpan titik layanan' }).click();
  await expect.poll(() => page.getByRole('status').textContent()).toContain(`Titik layanan ${POINT} disimpan.`);
  await look(page, 'staff-40-spo-01-kantor');

  await page.goto(server.url('/staff/akun'));
  await page.getByLabel('Nama pengguna').fill('sari.spo');
  await page.getByLabel('Kata sandi awal').fill('sandi-awal-sari-1');
  await page.getByLabel('Petugas loket').check();
  await page.locator('#branchCode').selectOption(BRANCH);
  await page.getByLabel('Titik layanan (SPO atau loket)').selectOption(POINT);
  await page.getByLabel('Alasan').fill('Petugas SPO BJB Suci');
  await page.getByRole('button', { name: 'Buat akun' }).click();
  await expect.poll(() => page.locator('h1').textContent()).toContain('Autentikator untuk sari.spo');
  await look(page, 'staff-40-spo-02-akun-qr');
  const uri = (await page.locator('code[data-otpauth]').textContent()) ?? '';
  expect(uri).toMatch(/^otpauth:\/\/totp\/Lindung:sari.spo\?/);
  await page.getByRole('button', { name: 'Keluar' }).click();
  await page.waitForURL('**/staff/masuk');
  return uri;
}

/** The officer loads the form by its code, and a wrong NIK is refused with the Indonesian message. */
async function loadDraftAndRefuseWrongNik(page: Page, person: Person, formCode: string) {
  await page.getByRole('link', { name: 'Pendaftaran di loket' }).first().click();
  await page.waitForURL('**/staff/pendaftaran-loket');
  await expect.poll(() => page.locator('main').textContent()).toContain(`SPO: ${POINT}`);
  // Typed as a worker reads it out: lower case, with the hyphen.
  await page.getByLabel('Kode formulir').fill(`${formCode.slice(0, 4)}-${formCode.slice(4)}`.toLowerCase());
  await page.getByRole('button', { name: 'Muat data formulir' }).click();
  await expect.poll(() => page.getByRole('status').first().textContent()).toContain(`NIK pada formulir berakhiran ${person.nik.slice(-4)}`);
  expect(await page.getByLabel('Nama lengkap sesuai KTP').inputValue()).toBe(person.fullName);
  expect(await birthDateValue(page)).toBe(person.birthDate);
  expect(await page.getByLabel('Alamat').inputValue()).toBe(person.address);
  expect(await page.getByLabel('Pekerjaan').inputValue()).toBe('OJOL');
  expect(await page.getByLabel('NIK', { exact: true }).inputValue()).toBe('');
  expect(await page.locator('main').textContent()).not.toContain(person.nik);
  await look(page, 'staff-40-spo-03-formulir-dimuat');

  const wrong = `${person.nik.slice(0, 12)}${String((Number(person.nik.slice(12)) + 1) % 10_000).padStart(4, '0')}`;
  await page.getByLabel('NIK', { exact: true }).fill(wrong);
  await page.getByLabel('Penghasilan sebulan (Rp)').fill('2500000');
  await page.getByLabel('3 bulan').check();
  await page.getByLabel(/Pekerja telah membaca/).check();
  await page.getByRole('button', { name: 'Periksa dan kirim OTP' }).click();
  await expect.poll(() => page.locator('main').textContent()).toContain('NIK tidak sama dengan NIK pada Formulir 1A ini. Periksa KTP pekerja.');
  // The refused form still says which Formulir 1A it came from.
  expect(await page.getByRole('status').first().textContent()).toContain(`Data Formulir 1A ${formCode} dimuat.`);
  await look(page, 'staff-40-spo-04-nik-salah');
}

describe('SPO registration from a printed Formulir 1A (browser)', { timeout: 300_000 }, () => {
  it('web draft → Formulir 1A → SPO desk and officer → TOTP → form code → NIK → OTP → cash → slip; channel spo', async () => {
    const { server, browser } = suite;
    const person = makePerson({ address: 'Jl. Cibiru No. 12, Bandung' });
    await server.post('/dev/population', { nik: person.nik, fullName: person.fullName, birthDate: person.birthDate, gender: person.gender });
    const formCode = await webDraftFormCode(browser, server, person);
    const draft = await server.db.selectFrom('registration').select(['id', 'channel']).where('form_code', '=', formCode).executeTakeFirstOrThrow();
    expect(draft.channel).toBe('web');

    expect((await server.post('/dev/staff', { username: 'admin-spo', password: PASSWORD, roles: ['admin'] })).status).toBe(201);
    const context = await browser.newContext({ viewport: { ...DESKTOP }, locale: 'id-ID', timezoneId: 'Asia/Jakarta', javaScriptEnabled: false });
    const page = await context.newPage();
    let slip = '';
    try {
      const totp = await adminSetsUpSpo(page, server);
      await signIn(page, server, 'sari.spo', 'sandi-awal-sari-1', totp);
      await loadDraftAndRefuseWrongNik(page, person, formCode);

      await page.getByLabel('NIK', { exact: true }).fill(person.nik);
      await page.getByRole('button', { name: 'Periksa dan kirim OTP' }).click();
      await expect.poll(() => page.getByRole('status').first().textContent()).toContain('Kode OTP dikirim');
      await look(page, 'staff-40-spo-05-otp');
      await page.getByLabel('Kode OTP').fill(await latestData(server, person.phone, 'otp'));
      await page.getByRole('button', { name: 'Verifikasi' }).click();
      await expect.poll(() => page.getByRole('status').first().textContent()).toContain('Ponsel terverifikasi');
      await look(page, 'staff-40-spo-06-bayar');
      await page.getByLabel('Tunai').check();
      await page.getByRole('button', { name: 'Catat pembayaran' }).click();
      await expect.poll(() => page.getByRole('status').first().textContent()).toMatch(/Peserta aktif, KPJ \d{11}/);
      await look(page, 'staff-40-spo-07-selesai');

      const href = await page.getByRole('link', { name: 'Cetak slip pembayaran (PDF)' }).getAttribute('href');
      const res = await context.request.get(new URL(href as string, page.url()).toString());
      expect([res.status(), res.headers()['content-type']]).toEqual([200, 'application/pdf']);
      const read = pdfText(await res.body(), 'slip');
      expect(read.png.subarray(1, 4).toString()).toBe('PNG');
      slip = read.text;

      // The printed code now finds no draft: the page says so (and offers the empty form).
      await page.goto(server.url(`/staff/pendaftaran-loket?formulir=${formCode}`));
      await expect.poll(() => page.locator('main').textContent()).toContain('Kode formulir tidak ditemukan');
      await look(page, 'staff-40-spo-08-kode-terpakai');
    } finally {
      await context.close();
    }

    const participants = await server.db.selectFrom('participant').select(['id', 'kpj']).where('nik_hash', '=', nikHashOf(person.nik)).execute();
    expect(participants).toHaveLength(1);
    const kpj = participants[0]?.kpj ?? '';
    expect(slip).toContain('LUNAS');
    expect(slip).toContain(kpj);
    expect((await server.post('/dev/staff', { username: 'loket-suci', password: PASSWORD, roles: ['counter'], branchCode: BRANCH })).status).toBe(201);
    const session = await server.post('/api/v1/staff/sessions', { username: 'loket-suci', password: PASSWORD });
    const auth = { authorization: `Bearer ${session.body.token as string}` };
    const found = await server.get(`/api/v1/staff/participants?kpj=${kpj}`, auth);
    expect(found.body.participants).toContainEqual(expect.objectContaining({ kpj, fullName: person.fullName, status: 'active' }));

    const regs = await server.db.selectFrom('registration').select(['id', 'channel', 'service_point_code', 'registered_by', 'status', 'participant_id']).where('nik_hash', '=', nikHashOf(person.nik)).execute();
    const spo = regs.find((r) => r.status === 'completed');
    expect(spo).toMatchObject({ channel: 'spo', service_point_code: POINT, registered_by: 'sari.spo', participant_id: participants[0]?.id });
    // The desk made its own registration (the NIK typed from the KTP goes through the registry check again); the web
    // draft's printed code no longer finds a draft, so it cannot be registered a second time.
    expect(spo?.id).not.toBe(draft.id);
    const lookup = await server.get(`/api/v1/staff/registration-drafts/${formCode}`, auth);
    expect([lookup.status, lookup.body.error?.code]).toEqual([404, 'draft_not_found']);
  });
});
