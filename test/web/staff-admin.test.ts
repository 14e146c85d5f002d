import { directoryOf } from '../../src/modules/reference/branch-table.js';
import { BRANCHES } from '../../src/modules/reference/branches.js';
import { URI } from 'otpauth';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { checkAccountForm, type AccountForm } from '../../src/web/staff/admin-accounts.js';
import { parseHolidayLines } from '../../src/web/staff/admin-holidays.js';
import { staffAdmin, staffHolidays } from '../../src/web/i18n/staff-admin.js';
import { portalClient, textOf } from '../support/portal-client.js';
import { createTestApp, type TestApp } from '../support/test-app.js';

/** The console's "Akun staf" pages (/staff/akun): list, create with the one-time QR, edit roles, disable, reset TOTP. */
let t: TestApp;
const PASSWORD = 'kata-sandi-staf-123';
type Client = ReturnType<typeof portalClient>;

async function signedIn(username: string, password = PASSWORD, totp = ''): Promise<Client> {
  const client = portalClient(t);
  const res = await client.submit('/staff/masuk', '/staff/masuk', { username, password, totp }, { follow: false });
  expect(res.status, textOf(res.html)).toBe(303);
  return client;
}
const uriOf = (html: string) => /<code[^>]*data-otpauth[^>]*>([^<]+)<\/code>/.exec(html)?.[1]?.replace(/&amp;/g, '&') ?? '';
const codeOf = (uri: string) => URI.parse(uri).generate({ timestamp: t.clock.now().getTime() });

beforeAll(async () => {
  t = await createTestApp();
  for (const [username, roles] of [['admin-web', ['admin']], ['super-web', ['supervisor']]] as const) {
    expect((await t.post('/dev/staff', { username, password: PASSWORD, roles })).status).toBe(201);
  }
});
afterAll(async () => t.close());

describe('checkAccountForm (pure)', () => {
  const ok: AccountForm = { username: 'siti.loket', password: 'dua-belas-karakter', roles: ['counter'], branchCode: 'JKT-SALEMBA', disabled: false, reason: 'Pegawai baru' };
  it.each([
    { change: {}, creating: true, errors: [] },
    { change: { username: 'x' }, creating: true, errors: ['username'] },
    { change: { password: 'pendek' }, creating: true, errors: ['password'] },
    { change: { password: '' }, creating: false, errors: [] },
    { change: { roles: [] }, creating: false, errors: ['roles'] },
    { change: { branchCode: 'ENTAH' }, creating: false, errors: ['branchCode'] },
    { change: { reason: '' }, creating: false, errors: ['reason'] },
  ])('$change (creating $creating) → $errors', ({ change, creating, errors }) => {
    expect(Object.keys(checkAccountForm({ ...ok, ...change }, creating, staffAdmin.id, directoryOf(BRANCHES.map((b) => ({ ...b, active: true })))))).toEqual(errors);
  });
});

describe('/staff/akun', () => {
  it('admin only: a supervisor gets the 403 page', async () => {
    const sup = await signedIn('super-web');
    expect((await sup.get('/staff/akun')).status).toBe(403);
  });

  it('creates an account: the QR and URI are shown once (no-store); the new account signs in with its code; listed in Indonesian', async () => {
    const admin = await signedIn('admin-web');
    const fields = { username: 'Rudi.Loket', password: 'sandi-awal-rudi-1', roles: ['counter', 'contact_centre'], branchCode: 'JKT-SALEMBA', reason: 'Pegawai baru' };
    const made = await admin.submit('/staff/akun', '/staff/akun', fields, { follow: false });
    expect(made.status, textOf(made.html)).toBe(200);
    expect(made.html).toContain('<svg');
    expect(made.headers.get('cache-control')).toBe('no-store');
    const uri = uriOf(made.html);
    expect(uri).toMatch(/^otpauth:\/\/totp\/Lindung:rudi.loket\?/);
    const list = await admin.get('/staff/akun');
    expect(textOf(list.html)).toMatch(/rudi\.loket\s+Petugas loket, Petugas pusat layanan\s+JKT-SALEMBA\s+Aktif\s+Terdaftar/);
    expect(list.html).not.toContain(uri);
    await signedIn('rudi.loket', 'sandi-awal-rudi-1', codeOf(uri));
  });

  it('refuses a short password and no role (422), a taken username (409)', async () => {
    const admin = await signedIn('admin-web');
    const bad = await admin.submit('/staff/akun', '/staff/akun', { username: 'dina', password: 'pendek', reason: 'Pegawai baru' }, { follow: false });
    expect(bad.status).toBe(422);
    expect(textOf(bad.html)).toContain('Kata sandi awal minimal 12 karakter.');
    const taken = await admin.submit('/staff/akun', '/staff/akun', { username: 'RUDI.loket', password: 'sandi-awal-rudi-1', roles: 'counter', reason: 'lagi' }, { follow: false });
    expect(taken.status).toBe(409);
  });

  it('edits roles and disables (flash, audited); an admin cannot disable themselves (409); resets the authenticator', async () => {
    const admin = await signedIn('admin-web');
    const saved = await admin.submit('/staff/akun/rudi.loket', '/staff/akun/rudi.loket', { status: 'disabled', roles: ['counter'], branchCode: '', reason: 'Mutasi' });
    expect(textOf(saved.html)).toContain('Akun rudi.loket sudah diperbarui.');
    expect(textOf(saved.html)).toMatch(/rudi\.loket\s+Petugas loket\s+—\s+Nonaktif/);
    const self = await admin.submit('/staff/akun/admin-web', '/staff/akun/admin-web', { status: 'disabled', roles: ['admin'], reason: 'coba' }, { follow: false });
    expect(self.status).toBe(409);
    expect(textOf(self.html)).toContain('Anda tidak dapat menonaktifkan akun sendiri');
    const reset = await admin.submit('/staff/akun/rudi.loket', '/staff/akun/rudi.loket/autentikator', { resetReason: 'HP hilang' }, { follow: false });
    expect(reset.status).toBe(200);
    expect(uriOf(reset.html)).toMatch(/^otpauth:\/\/totp\/Lindung:rudi.loket\?/);
    const actions = await t.db.selectFrom('staff_audit').select(['action', 'actor']).where('subject', '=', 'staff-account:rudi.loket').orderBy('id').execute();
    expect(actions).toEqual([
      { action: 'staff_account.create', actor: 'admin-web' },
      { action: 'staff_account.disable', actor: 'admin-web' },
      { action: 'staff_account.reset_totp', actor: 'admin-web' },
    ]);
  });
});

describe('parseHolidayLines (pure)', () => {
  const t = staffHolidays.id;
  it.each([
    { text: '2027-01-01 | Tahun Baru 2027 Masehi\n\n2027-02-08 | Cuti bersama Imlek | cuti', result: { holidays: [
      { date: '2027-01-01', name: 'Tahun Baru 2027 Masehi', kind: 'national_holiday' },
      { date: '2027-02-08', name: 'Cuti bersama Imlek', kind: 'joint_leave' },
    ] } },
    { text: '2026-12-25 | Natal', result: { error: 'Baris 1 tidak valid: tulis tanggal 2027-BB-HH | nama.' } },
    { text: '2027-02-30 | Tidak ada', result: { error: 'Baris 1 tidak valid: tulis tanggal 2027-BB-HH | nama.' } },
    { text: '2027-01-01 | A\n2027-01-01 | B', result: { error: 'Baris 2: tanggal ini sudah ditulis.' } },
    { text: '  ', result: { error: 'Tulis minimal satu hari libur.' } },
  ])('$text', ({ text, result }) => {
    expect(parseHolidayLines(text, 2027, t)).toEqual(result);
  });
});

describe('/staff/kalender-libur and the Beranda warning', () => {
  it('warns admins on Beranda while a year is missing; entering it clears the warning; a supervisor sees no warning', async () => {
    const admin = await signedIn('admin-web');
    const years = (await t.get('/api/v1/staff/holidays', { authorization: 'Bearer dev-staff-key' })).body.holidayCalendarMissing as number[];
    const missingYear = years[0] ?? 2027;
    const before = await admin.get('/staff');
    if (years.length > 0) {
      expect(textOf(before.html)).toContain(`Peringatan: kalender libur tahun ${years.join(', ')} belum diisi.`);
    }
    const saved = await admin.submit('/staff/kalender-libur', '/staff/kalender-libur', {
      year: String(missingYear), decree: `SKB 3 Menteri ${missingYear}`, days: `${missingYear}-01-01 | Tahun Baru ${missingYear} Masehi\n${missingYear}-12-25 | Hari Raya Natal`, reason: 'SKB terbit',
    });
    expect(textOf(saved.html)).toContain(`Kalender libur ${missingYear} disimpan: 2 hari`);
    expect(textOf(saved.html)).toContain(`Hari Raya Natal`);
    const sup = await signedIn('super-web');
    expect(textOf((await sup.get('/staff')).html)).not.toContain('Peringatan: kalender libur');
    const bad = await admin.submit('/staff/kalender-libur', '/staff/kalender-libur', { year: '2028', decree: 'SKB', days: '2027-01-01 | Salah tahun' }, { follow: false });
    expect(bad.status).toBe(422);
  });
});

describe('/staff/kantor', () => {
  it('adds a service point of a branch (flash, listed), refuses a bad code (422); a supervisor gets 403', async () => {
    const admin = await signedIn('admin-web');
    const saved = await admin.submit('/staff/kantor', '/staff/kantor', { code: 'spo-bri-salemba', branchCode: 'JKT-SALEMBA', kind: 'spo', name: 'SPO BRI Salemba', status: 'active', reason: 'Kerja sama baru' });
    expect(textOf(saved.html)).toContain('Titik layanan SPO-BRI-SALEMBA disimpan.');
    expect(textOf(saved.html)).toMatch(/Kantor Cabang Jakarta Salemba\s+SPO-BRI-SALEMBA\s+SPO BRI Salemba\s+SPO \(bank\)\s+Aktif/);
    const bad = await admin.submit('/staff/kantor', '/staff/kantor', { code: '-', branchCode: 'JKT-SALEMBA', kind: 'spo', name: 'X', status: 'active', reason: 'coba' }, { follow: false });
    expect(bad.status).toBe(422);
    expect((await (await signedIn('super-web')).get('/staff/kantor')).status).toBe(403);
  });
});
