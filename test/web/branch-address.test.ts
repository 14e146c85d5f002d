import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { portalClient, textOf } from '../support/portal-client.js';
import { staffSignedIn } from '../support/staff-portal.js';
import { createTestApp, type TestApp } from '../support/test-app.js';

/** Issue 18, branch directory: an admin records a branch's street address and phone; /kantor-cabang shows them. */
let t: TestApp;
const PAGE = '/staff/kantor/cabang';
const SALEMBA = { code: 'JKT-SALEMBA', name: 'Kantor Cabang Jakarta Salemba', city: 'Jakarta Pusat', province: 'DKI Jakarta', status: 'active' };
const ADDRESS = 'Jl. Salemba Raya No. 55, Paseban, Senen';

beforeAll(async () => {
  t = await createTestApp();
  expect((await t.post('/dev/staff', { username: 'admin-addr', password: 'kata-sandi-staf-123', roles: ['admin'] })).status).toBe(201);
});
afterAll(async () => t.close());

describe('a branch address', () => {
  it('is not invented for a seeded branch: the directory says it is not recorded and to call 175', async () => {
    const page = textOf((await portalClient(t).get('/kantor-cabang?q=salemba')).html);
    expect(page).toContain('Kantor Cabang Jakarta Salemba');
    expect(page).toContain('Alamat: Alamat belum tercatat — hubungi 175 sebelum datang.');
    expect(page).toContain('Lokasi: Jakarta Pusat, DKI Jakarta');
  });

  it('an admin sets it (audited); the directory shows it with the phone; a bad phone is refused', async () => {
    const admin = await staffSignedIn(t, 'admin-addr');
    const bad = await admin.submit(PAGE, PAGE, { ...SALEMBA, address: ADDRESS, phone: 'call us', reason: 'Alamat kantor' }, { follow: false });
    expect(bad.status).toBe(422);
    expect(textOf(bad.html)).toContain('Nomor telepon 3–30 karakter');

    const saved = await admin.submit(PAGE, PAGE, { ...SALEMBA, address: ADDRESS, phone: '(021) 390 1234', reason: 'Alamat kantor' });
    expect(textOf(saved.html)).toContain('Kantor cabang JKT-SALEMBA disimpan.');
    expect(textOf(saved.html)).toContain(`${ADDRESS} · (021) 390 1234`);
    expect((await admin.get(`${PAGE}?kode=JKT-SALEMBA`)).html).toMatch(/name="address"[^>]*value="Jl. Salemba Raya No. 55, Paseban, Senen"/);

    const audit = await t.db.selectFrom('staff_audit').select(['before', 'after']).where('subject', '=', 'branch:JKT-SALEMBA').execute();
    expect(audit).toEqual([
      {
        before: { name: SALEMBA.name, city: 'Jakarta Pusat', province: 'DKI Jakarta', active: true },
        after: { name: SALEMBA.name, city: 'Jakarta Pusat', province: 'DKI Jakarta', active: true, address: ADDRESS, phone: '(021) 390 1234' },
      },
    ]);

    // The directory caches for BRANCH_CACHE_MS; a write through the module clears it, so it shows at once.
    const page = await portalClient(t).get('/kantor-cabang?q=salemba');
    expect(textOf(page.html)).toContain(`Alamat: ${ADDRESS}`);
    expect(textOf(page.html)).toContain('Telepon kantor: (021) 390 1234');
    expect(page.html).toContain('href="tel:0213901234"');
    // Another branch still says it is not recorded.
    expect(textOf((await portalClient(t).get('/kantor-cabang?q=bandung')).html)).toContain('Alamat belum tercatat');
  });

  it('the API keeps the address when a client omits it, and clears it with null', async () => {
    const token = (await t.post('/api/v1/staff/sessions', { username: 'admin-addr', password: 'kata-sandi-staf-123' })).body.token as string;
    const auth = { authorization: `Bearer ${token}` };
    const body = { name: 'Kantor Cabang Bogor', city: 'Bogor', province: 'Jawa Barat', reason: 'Alamat kantor' };
    expect((await t.request('PUT', '/api/v1/staff/branches/BOGOR', { ...body, address: 'Jl. Pajajaran No. 1' }, auth)).body.address).toBe('Jl. Pajajaran No. 1');
    expect((await t.request('PUT', '/api/v1/staff/branches/BOGOR', { ...body, city: 'Kota Bogor' }, auth)).body).toMatchObject({ city: 'Kota Bogor', address: 'Jl. Pajajaran No. 1' });
    expect((await t.request('PUT', '/api/v1/staff/branches/BOGOR', { ...body, address: null }, auth)).body.address).toBeNull();
  });
});
