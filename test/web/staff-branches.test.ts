import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { activeMember } from '../support/factories.js';
import { portalClient, textOf } from '../support/portal-client.js';
import { createStaffAccounts, staffSignedIn } from '../support/staff-portal.js';
import { createTestApp, type TestApp } from '../support/test-app.js';

/** The console's "Kantor cabang" page (/staff/kantor/cabang), linked from "Kantor & titik layanan" (/staff/kantor). */
let t: TestApp;
const PASSWORD = 'kata-sandi-staf-123';
const PAGE = '/staff/kantor/cabang';

/** Signed in to the console (test/support/staff-portal.ts; the same password). */
const signedIn = (username: string) => staffSignedIn(t, username);
const DEPOK = { code: 'depok', name: 'Kantor Cabang Depok', city: 'Depok', province: 'Jawa Barat', status: 'active', reason: 'Kantor cabang baru' };

beforeAll(async () => {
  t = await createTestApp();
  for (const [username, roles] of [['admin-brn', ['admin']], ['super-brn', ['supervisor']]] as const) {
    expect((await t.post('/dev/staff', { username, password: PASSWORD, roles })).status).toBe(201);
  }
  await createStaffAccounts(t, [['loket-brn', ['counter']]]);
});
afterAll(async () => t.close());

describe('/staff/kantor/cabang', () => {
  it('is linked from /staff/kantor and lists the seeded branches', async () => {
    const admin = await signedIn('admin-brn');
    const offices = await admin.get('/staff/kantor');
    expect(offices.html).toContain(`href="${PAGE}"`);
    const page = await admin.get(PAGE);
    expect(page.status).toBe(200);
    expect(textOf(page.html)).toMatch(/JKT-SALEMBA\s+Kantor Cabang Jakarta Salemba\s+Jakarta Pusat\s+DKI Jakarta\s+Aktif/);
  });

  it('adds a branch (flash, listed, offered for service points); deactivated: not offered, a point at it still shows its name', async () => {
    const admin = await signedIn('admin-brn');
    const saved = await admin.submit(PAGE, PAGE, DEPOK);
    expect(textOf(saved.html)).toContain('Kantor cabang DEPOK disimpan.');
    expect(textOf(saved.html)).toMatch(/DEPOK\s+Kantor Cabang Depok\s+Depok\s+Jawa Barat\s+Aktif/);
    expect((await admin.get('/staff/kantor')).html).toContain('<option value="DEPOK"');
    await admin.submit('/staff/kantor', '/staff/kantor', { code: 'SPO-BJB-DEPOK', branchCode: 'DEPOK', kind: 'spo', name: 'SPO BJB Depok', status: 'active', reason: 'Kerja sama baru' });

    const filled = await admin.get(`${PAGE}?kode=DEPOK`);
    expect(filled.html).toMatch(/name="city"[^>]*value="Depok"/);
    const off = await admin.submit(PAGE, PAGE, { ...DEPOK, status: 'inactive', reason: 'Digabung ke Bogor' });
    expect(textOf(off.html)).toMatch(/DEPOK\s+Kantor Cabang Depok\s+Depok\s+Jawa Barat\s+Nonaktif/);
    const offices = await admin.get('/staff/kantor');
    expect(offices.html).not.toContain('<option value="DEPOK"');
    expect(textOf(offices.html)).toMatch(/Kantor Cabang Depok\s+SPO-BJB-DEPOK/);
  });

  it('refuses a bad code or an unknown province (422); a supervisor gets 403', async () => {
    const admin = await signedIn('admin-brn');
    const bad = await admin.submit(PAGE, PAGE, { ...DEPOK, code: 'x y' }, { follow: false });
    expect(bad.status).toBe(422);
    expect(textOf(bad.html)).toContain('Kode 2–40 karakter');
    const province = await admin.submit(PAGE, PAGE, { ...DEPOK, province: 'Jawa Barat Daya' }, { follow: false });
    expect(province.status).toBe(422);
    expect(textOf(province.html)).toContain('Pilih provinsi dari daftar.');
    expect((await (await signedIn('super-brn')).get(PAGE)).status).toBe(403);
  });
});

describe('a member at a deactivated branch', () => {
  it('keeps it: the counter\'s "Ubah data peserta" names it, offers it as the current choice, and saves other changes', async () => {
    const admin = await signedIn('admin-brn');
    await admin.submit(PAGE, PAGE, { ...DEPOK, code: 'CIBINONG', name: 'Kantor Cabang Cibinong', city: 'Cibinong' });
    const m = await activeMember(t, { person: { branchCode: 'CIBINONG' } });
    await admin.submit(PAGE, PAGE, { ...DEPOK, code: 'CIBINONG', name: 'Kantor Cabang Cibinong', city: 'Cibinong', status: 'inactive', reason: 'Ditutup' });

    const loket = await staffSignedIn(t, 'loket-brn');
    const path = `/staff/layanan/${m.kpj}/ubah-data`;
    const page = await loket.get(path);
    expect(textOf(page.html)).toContain('Kantor Cabang Cibinong');
    expect(page.html).toMatch(/<option value="CIBINONG" selected[^>]*>Kantor Cabang Cibinong<\/option>/);
    const saved = await loket.submit(path, path, { address: 'Jl. Raya Bogor No. 5, Cibinong', occupationCode: m.person.occupationCode, branchCode: 'CIBINONG', identityChecked: '1' });
    expect(textOf(saved.html)).toContain('Perubahan disimpan.');
    expect(textOf(saved.html)).toContain('Jl. Raya Bogor No. 5, Cibinong');
  });
});

describe('a member at a deactivated occupation', () => {
  it('keeps it: "Ubah data peserta" offers it as the current choice, so saving the address does not change the occupation', async () => {
    const m = await activeMember(t, { person: { occupationCode: 'PETANI' } });
    const session = await t.post('/api/v1/staff/sessions', { username: 'admin-brn', password: PASSWORD });
    const admin = { authorization: `Bearer ${session.body.token as string}` };
    const off = await t.request('PUT', '/api/v1/staff/occupations/PETANI', { name: 'Petani', nameEn: 'Farmer', sector: 'other', active: false, reason: 'Dipecah per komoditas' }, admin);
    expect(off.status, JSON.stringify(off.body)).toBe(200);

    const loket = await staffSignedIn(t, 'loket-brn');
    const path = `/staff/layanan/${m.kpj}/ubah-data`;
    const page = await loket.get(path);
    expect(page.html).toMatch(/<option value="PETANI" selected[^>]*>Petani<\/option>/);
    const saved = await loket.submit(path, path, { address: 'Jl. Sawah Indah No. 7, Karawang', occupationCode: 'PETANI', branchCode: m.person.branchCode, identityChecked: '1' });
    expect(textOf(saved.html)).toContain('Perubahan disimpan.');
    const row = await t.db.selectFrom('participant').select(['occupation_code', 'address']).where('kpj', '=', m.kpj).executeTakeFirstOrThrow();
    expect(row).toEqual({ occupation_code: 'PETANI', address: 'Jl. Sawah Indah No. 7, Karawang' });
  });
});
