import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { OCCUPATIONS } from '../../src/modules/reference/occupations.js';
import { expectError } from '../support/api-errors.js';
import { addResident, makePerson, registerVerified } from '../support/factories.js';
import { createTestApp, type TestApp } from '../support/test-app.js';

/**
 * Occupations as admin-maintained reference data (issue 16): the table `occupation` seeded from the code list,
 * GET/PUT /api/v1/staff/occupations (admin; audited before/after; never deleted), and every reader — the public list,
 * quotes, registration — going by the active rows.
 */
let t: TestApp;
let admin: Record<string, string>;
const PASSWORD = 'kata-sandi-admin-123';
const bearer = (token: string) => ({ authorization: `Bearer ${token}` });
const signIn = (username: string) => t.post('/api/v1/staff/sessions', { username, password: PASSWORD });
const put = (code: string, body: Record<string, unknown>, headers = admin) => t.request('PUT', `/api/v1/staff/occupations/${code}`, body, headers);
const publicCodes = async () => ((await t.get('/api/v1/reference/occupations')).body.occupations as { code: string }[]).map((o) => o.code);
// 2027-01: the transport sector's PP 50/2025 discount still runs, the other sectors' ended in 2026-12.
const QUOTE = { declaredIncome: 2_000_000, programs: ['JKK', 'JKM'], months: 1, startMonth: '2027-01' };
const AMBULANCE = { name: 'Pengemudi Ambulans Desa', nameEn: 'Village ambulance driver', sector: 'transport', reason: 'Permintaan kantor cabang' };

beforeAll(async () => {
  t = await createTestApp();
  expect((await t.post('/dev/staff', { username: 'admin.ref', password: PASSWORD, roles: ['admin'] })).status).toBe(201);
  expect((await t.post('/dev/staff', { username: 'sup.ref', password: PASSWORD, roles: ['supervisor'] })).status).toBe(201);
  admin = bearer((await signIn('admin.ref')).body.token as string);
});
afterAll(async () => t.close());

describe('occupations as reference data', () => {
  it('the table starts as the code list; the public list gives code, name and sector of each', async () => {
    const list = await t.get('/api/v1/staff/occupations', admin);
    expect(list.status).toBe(200);
    expect(list.body.occupations.map((o: { code: string; sector: string; active: boolean }) => [o.code, o.sector, o.active])).toEqual(
      [...OCCUPATIONS].sort((a, b) => (a.code < b.code ? -1 : 1)).map((o) => [o.code, o.sector, true]),
    );
    const pub = await t.get('/api/v1/reference/occupations');
    expect(pub.body.occupations).toContainEqual({ code: 'OJOL', name: 'Pengemudi Ojek Online', nameEn: 'Ride-hailing motorcycle driver', sector: 'transport' });
  });

  it('an added transport occupation is listed and quoted with the transport discount; audited with before null', async () => {
    const made = await put('PENGEMUDI_AMBULANS', AMBULANCE);
    expect(made.status, JSON.stringify(made.body)).toBe(200);
    expect(made.body).toMatchObject({ code: 'PENGEMUDI_AMBULANS', sector: 'transport', active: true, updatedBy: 'admin.ref' });
    expect(await publicCodes()).toContain('PENGEMUDI_AMBULANS');
    const viaNew = await t.post('/api/v1/quotes', { ...QUOTE, occupationCode: 'PENGEMUDI_AMBULANS' });
    const viaOjol = await t.post('/api/v1/quotes', { ...QUOTE, occupationCode: 'OJOL' });
    const viaOther = await t.post('/api/v1/quotes', { ...QUOTE, occupationCode: 'PETANI' });
    expect(viaNew.body.total).toBe(viaOjol.body.total);
    expect(viaNew.body.total).toBeLessThan(viaOther.body.total);
  });

  it('rename and re-sector; deactivate: gone from the public list, refused by quotes and registration; reactivate; audited before/after', async () => {
    expect((await put('PENGEMUDI_AMBULANS', { ...AMBULANCE, name: 'Sopir Ambulans Desa', sector: 'other', reason: 'Ralat sektor' })).body).toMatchObject({ name: 'Sopir Ambulans Desa', sector: 'other' });
    const other = await t.post('/api/v1/quotes', { ...QUOTE, occupationCode: 'PETANI' });
    expect((await t.post('/api/v1/quotes', { ...QUOTE, occupationCode: 'PENGEMUDI_AMBULANS' })).body.total).toBe(other.body.total);

    const off = await put('PENGEMUDI_AMBULANS', { ...AMBULANCE, name: 'Sopir Ambulans Desa', sector: 'other', active: false, reason: 'Digabung ke SOPIR_PRIBADI' });
    expect(off.body.active).toBe(false);
    expect(await publicCodes()).not.toContain('PENGEMUDI_AMBULANS');
    expectError(await t.post('/api/v1/quotes', { ...QUOTE, occupationCode: 'PENGEMUDI_AMBULANS' }), 422, 'unknown_occupation', 'occupationCode');
    const person = makePerson({ occupationCode: 'PENGEMUDI_AMBULANS' });
    await addResident(t, person);
    expectError(await t.post('/api/v1/registrations', person), 422, 'unknown_occupation', 'occupationCode');
    // Still listed for staff (never deleted), inactive.
    const list = await t.get('/api/v1/staff/occupations', admin);
    expect(list.body.occupations.find((o: { code: string }) => o.code === 'PENGEMUDI_AMBULANS')).toMatchObject({ active: false });

    expect((await put('PENGEMUDI_AMBULANS', { ...AMBULANCE, reason: 'Dibuka lagi' })).body.active).toBe(true);
    expect(await registerVerified(t, makePerson({ occupationCode: 'PENGEMUDI_AMBULANS' }))).toMatch(/^reg_/);

    const audit = await t.db.selectFrom('staff_audit').select(['actor', 'action', 'reason', 'before', 'after']).where('subject', '=', 'occupation:PENGEMUDI_AMBULANS').orderBy('id').execute();
    const state = (name: string, sector: string, active: boolean) => ({ name, nameEn: AMBULANCE.nameEn, sector, active });
    expect(audit).toEqual([
      { actor: 'admin.ref', action: 'occupation.put', reason: 'Permintaan kantor cabang', before: null, after: state(AMBULANCE.name, 'transport', true) },
      { actor: 'admin.ref', action: 'occupation.put', reason: 'Ralat sektor', before: state(AMBULANCE.name, 'transport', true), after: state('Sopir Ambulans Desa', 'other', true) },
      { actor: 'admin.ref', action: 'occupation.put', reason: 'Digabung ke SOPIR_PRIBADI', before: state('Sopir Ambulans Desa', 'other', true), after: state('Sopir Ambulans Desa', 'other', false) },
      { actor: 'admin.ref', action: 'occupation.put', reason: 'Dibuka lagi', before: state('Sopir Ambulans Desa', 'other', false), after: state(AMBULANCE.name, 'transport', true) },
    ]);
  });

  it('a supervisor may list but not change (403); a bad code or a missing reason is 400', async () => {
    const sup = bearer((await signIn('sup.ref')).body.token as string);
    expect((await t.get('/api/v1/staff/occupations', sup)).status).toBe(200);
    expectError(await put('TUKANG_SERVIS', { ...AMBULANCE, sector: 'other' }, sup), 403, 'forbidden');
    expectError(await put('tukang-servis', { ...AMBULANCE, sector: 'other' }), 400, 'invalid_request', 'code');
    expectError(await put('TUKANG_SERVIS', { ...AMBULANCE, reason: '' }), 400, 'invalid_request', 'reason');
  });
});
