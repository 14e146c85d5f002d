import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { BRANCHES } from '../../src/modules/reference/branches.js';
import { expectError } from '../support/api-errors.js';
import { activeMember, addResident, makePerson, registerVerified } from '../support/factories.js';
import { createTestApp, type TestApp } from '../support/test-app.js';

/**
 * Branch offices as admin-maintained reference data (issue 16 item 7): the table `branch` seeded from the code list,
 * GET/PUT /api/v1/staff/branches (admin; audited before/after; never deleted), and every reader — the public list,
 * registration, data changes — going by the active rows, while members keep a deactivated branch.
 */
let t: TestApp;
let admin: Record<string, string>;
const PASSWORD = 'kata-sandi-admin-123';
const KEY = { authorization: 'Bearer dev-staff-key' };
const bearer = (token: string) => ({ authorization: `Bearer ${token}` });
const signIn = (username: string) => t.post('/api/v1/staff/sessions', { username, password: PASSWORD });
const put = (code: string, body: Record<string, unknown>, headers = admin) => t.request('PUT', `/api/v1/staff/branches/${code}`, body, headers);
const publicCodes = async () => ((await t.get('/api/v1/reference/branches')).body.branches as { code: string }[]).map((b) => b.code);
const DEPOK = { name: 'Kantor Cabang Depok', city: 'Depok', province: 'Jawa Barat', reason: 'Kantor cabang baru' };

beforeAll(async () => {
  t = await createTestApp();
  expect((await t.post('/dev/staff', { username: 'admin.brn', password: PASSWORD, roles: ['admin'] })).status).toBe(201);
  expect((await t.post('/dev/staff', { username: 'sup.brn', password: PASSWORD, roles: ['supervisor'] })).status).toBe(201);
  admin = bearer((await signIn('admin.brn')).body.token as string);
});
afterAll(async () => t.close());

describe('branch offices as reference data', () => {
  it('the table starts as the code list; the public list keeps its shape (code, name, city, province) and caching', async () => {
    const list = await t.get('/api/v1/staff/branches', admin);
    expect(list.status).toBe(200);
    expect(list.body.branches.map((b: { code: string; province: string; active: boolean }) => [b.code, b.province, b.active])).toEqual(
      [...BRANCHES].sort((a, b) => (a.code < b.code ? -1 : 1)).map((b) => [b.code, b.province, true]),
    );
    const pub = await t.get('/api/v1/reference/branches');
    expect(pub.headers.get('cache-control')).toBe('public, max-age=3600');
    expect(pub.body.branches).toContainEqual({ code: 'JKT-SALEMBA', name: 'Kantor Cabang Jakarta Salemba', city: 'Jakarta Pusat', province: 'DKI Jakarta' });
  });

  it('add, register with it; deactivate: gone from the public list, refused for new registrations and changes, the member keeps it; audited', async () => {
    const made = await put('DEPOK', DEPOK);
    expect(made.status, JSON.stringify(made.body)).toBe(200);
    expect(made.body).toMatchObject({ code: 'DEPOK', city: 'Depok', province: 'Jawa Barat', active: true, updatedBy: 'admin.brn' });
    expect(await publicCodes()).toContain('DEPOK');
    const member = await activeMember(t, { person: { branchCode: 'DEPOK' } });
    const other = await activeMember(t);

    expect((await put('DEPOK', { ...DEPOK, name: 'Kantor Cabang Depok Margonda', active: false, reason: 'Digabung ke Bogor' })).body.active).toBe(false);
    expect(await publicCodes()).not.toContain('DEPOK');
    const person = makePerson({ branchCode: 'DEPOK' });
    await addResident(t, person);
    expectError(await t.post('/api/v1/registrations', person), 422, 'unknown_branch', 'branchCode');
    expectError(await t.request('PATCH', '/api/v1/me', { branchCode: 'DEPOK' }, other.auth), 422, 'unknown_branch', 'branchCode');
    // The member who chose it keeps it: other changes go through, the branch stays.
    const change = await t.request('PATCH', '/api/v1/me', { address: 'Jl. Margonda No. 9, Depok', branchCode: 'DEPOK' }, member.auth);
    expect(change.status, JSON.stringify(change.body)).toBe(200);
    expect((await t.get(`/api/v1/participants/${member.kpj}`, KEY)).body.branchCode).toBe('DEPOK');
    // Still listed for staff (never deleted), inactive, under its new name.
    const list = await t.get('/api/v1/staff/branches', admin);
    expect(list.body.branches.find((b: { code: string }) => b.code === 'DEPOK')).toMatchObject({ active: false, name: 'Kantor Cabang Depok Margonda' });

    expect((await put('DEPOK', { ...DEPOK, city: 'Kota Depok', reason: 'Dibuka lagi' })).body.active).toBe(true);
    expect(await registerVerified(t, makePerson({ branchCode: 'DEPOK' }))).toMatch(/^reg_/);

    const audit = await t.db.selectFrom('staff_audit').select(['actor', 'action', 'reason', 'before', 'after']).where('subject', '=', 'branch:DEPOK').orderBy('id').execute();
    const state = (name: string, city: string, active: boolean) => ({ name, city, province: 'Jawa Barat', active });
    expect(audit).toEqual([
      { actor: 'admin.brn', action: 'branch.put', reason: 'Kantor cabang baru', before: null, after: state(DEPOK.name, 'Depok', true) },
      { actor: 'admin.brn', action: 'branch.put', reason: 'Digabung ke Bogor', before: state(DEPOK.name, 'Depok', true), after: state('Kantor Cabang Depok Margonda', 'Depok', false) },
      { actor: 'admin.brn', action: 'branch.put', reason: 'Dibuka lagi', before: state('Kantor Cabang Depok Margonda', 'Depok', false), after: state(DEPOK.name, 'Kota Depok', true) },
    ]);
  });

  it('a supervisor may list but not change (403); a bad code, an unknown province or a missing reason is 400', async () => {
    const sup = bearer((await signIn('sup.brn')).body.token as string);
    expect((await t.get('/api/v1/staff/branches', sup)).status).toBe(200);
    expectError(await put('CIBINONG', { ...DEPOK, city: 'Cibinong' }, sup), 403, 'forbidden');
    expectError(await put('cibinong', DEPOK), 400, 'invalid_request', 'code');
    expectError(await put('CIBINONG', { ...DEPOK, province: 'Jawa Barat Daya' }), 400, 'invalid_request', 'province');
    expectError(await put('CIBINONG', { ...DEPOK, reason: '' }), 400, 'invalid_request', 'reason');
  });
});
