import { URI } from 'otpauth';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { removesOwnAdmin, type StaffAccountView } from '../../src/modules/staff/index.js';
import { expectError } from '../support/api-errors.js';
import { createTestApp, type TestApp } from '../support/test-app.js';

/** Staff account administration (issue 16 item 7): list, create, roles, disable/enable, TOTP reset, the own-admin guard, the audit. */
let t: TestApp;
let admin: Record<string, string>;
const PASSWORD = 'kata-sandi-admin-123';
const bearer = (token: string) => ({ authorization: `Bearer ${token}` });
const patch = (path: string, body: unknown, headers = admin) => t.request('PATCH', path, body, headers);
const codeOf = (uri: string) => URI.parse(uri).generate({ timestamp: t.clock.now().getTime() });
const signIn = (username: string, password: string, totp?: string) => t.post('/api/v1/staff/sessions', { username, password, ...(totp ? { totp } : {}) });
const auditOf = (username: string) =>
  t.db.selectFrom('staff_audit').select(['actor', 'action', 'reason', 'before', 'after']).where('subject', '=', `staff-account:${username}`).orderBy('id').execute();

beforeAll(async () => {
  t = await createTestApp();
  expect((await t.post('/dev/staff', { username: 'kepala.admin', password: PASSWORD, roles: ['admin'] })).status).toBe(201);
  admin = bearer((await signIn('kepala.admin', PASSWORD)).body.token as string);
});
afterAll(async () => t.close());

async function createAccount(username: string, roles: string[] = ['counter']) {
  const res = await t.post('/api/v1/staff/accounts', { username, password: 'sandi-awal-12345', roles, branchCode: 'JKT-SALEMBA', reason: 'Pegawai baru' }, admin);
  expect(res.status, JSON.stringify(res.body)).toBe(201);
  return res.body as { username: string; otpauthUri: string };
}

describe('the own-admin rule (pure)', () => {
  const target: StaffAccountView = { username: 'ani', roles: ['admin', 'supervisor'], branchCode: null, disabled: false, totp: true, lockedUntil: null, createdAt: new Date(0) };
  it.each([
    { actor: 'ani', change: { disabled: true }, refused: true },
    { actor: 'ANI', change: { roles: ['supervisor' as const] }, refused: true },
    { actor: 'ani', change: { roles: ['admin' as const] }, refused: false },
    { actor: 'ani', change: { branchCode: 'JKT-SALEMBA' }, refused: false },
    { actor: 'budi', change: { disabled: true }, refused: false },
  ])('$actor, $change → refused $refused', ({ actor, change, refused }) => {
    expect(removesOwnAdmin(actor, target, change)).toBe(refused);
  });
});

describe('/api/v1/staff/accounts', () => {
  it('creates an account (201) with a TOTP enrolment shown once; it signs in with a code; listed without secrets; audited with the reason', async () => {
    const made = await createAccount('Rina.Loket');
    expect(made).toMatchObject({ username: 'rina.loket', roles: ['counter'], branchCode: 'JKT-SALEMBA', disabled: false, totp: true, otpauthUri: expect.stringMatching(/^otpauth:\/\/totp\/Lindung:rina.loket\?/) });
    expectError(await signIn('rina.loket', 'sandi-awal-12345'), 401, 'invalid_credentials'); // a code is needed
    expect((await signIn('rina.loket', 'sandi-awal-12345', codeOf(made.otpauthUri))).status).toBe(200);
    const list = await t.get('/api/v1/staff/accounts', admin);
    expect(list.status).toBe(200);
    expect(list.body.accounts.find((a: { username: string }) => a.username === 'rina.loket')).toEqual({
      username: 'rina.loket', roles: ['counter'], branchCode: 'JKT-SALEMBA', disabled: false, totp: true, lockedUntil: null, createdAt: expect.stringMatching(/\+07:00$/),
    });
    expect(JSON.stringify(list.body)).not.toMatch(/argon2|secret/);
    expect(await auditOf('rina.loket')).toEqual([
      { actor: 'kepala.admin', action: 'staff_account.create', reason: 'Pegawai baru', before: null, after: { username: 'rina.loket', roles: ['counter'], branchCode: 'JKT-SALEMBA', totp: true, disabled: false } },
    ]);
  });

  it('refuses a taken username (409 username_taken), a short password and a missing reason (400)', async () => {
    expectError(await t.post('/api/v1/staff/accounts', { username: 'RINA.loket', password: 'sandi-awal-12345', roles: ['counter'], reason: 'lagi' }, admin), 409, 'username_taken', 'username');
    expect((await t.post('/api/v1/staff/accounts', { username: 'dodi', password: 'pendek', roles: ['counter'], reason: 'baru' }, admin)).status).toBe(400);
    expect((await t.post('/api/v1/staff/accounts', { username: 'dodi', password: 'sandi-awal-12345', roles: ['counter'] }, admin)).status).toBe(400);
    expectError(await t.post('/api/v1/staff/accounts', { username: 'dodi', password: 'sandi-awal-12345', roles: ['counter'], branchCode: 'XXX-NOWHERE', reason: 'baru' }, admin), 422, 'unknown_branch', 'branchCode');
  });

  it('changes roles and branch (audited before/after); 404 for an unknown account', async () => {
    const res = await patch('/api/v1/staff/accounts/rina.loket', { roles: ['counter', 'contact_centre'], branchCode: 'BDG-SUCI', reason: 'Pindah ke Bandung' });
    expect(res.status, JSON.stringify(res.body)).toBe(200);
    expect(res.body).toMatchObject({ roles: ['counter', 'contact_centre'], branchCode: 'BDG-SUCI' });
    const last = (await auditOf('rina.loket')).at(-1);
    expect(last).toMatchObject({ action: 'staff_account.update', reason: 'Pindah ke Bandung', before: { roles: ['counter'], branchCode: 'JKT-SALEMBA' }, after: { roles: ['counter', 'contact_centre'], branchCode: 'BDG-SUCI' } });
    expectError(await patch('/api/v1/staff/accounts/tidak-ada', { disabled: true, reason: 'keluar' }), 404, 'unknown_staff_account');
  });

  it('disabling ends the sessions at once and refuses sign-in; enabling lets the account sign in again', async () => {
    const made = await createAccount('yusuf');
    const token = (await signIn('yusuf', 'sandi-awal-12345', codeOf(made.otpauthUri))).body.token as string;
    expect((await t.get('/api/v1/staff/participants?kpj=00000000000', bearer(token))).status).toBe(200);
    expect((await patch('/api/v1/staff/accounts/yusuf', { disabled: true, reason: 'Berhenti bekerja' })).body.disabled).toBe(true);
    expectError(await t.get('/api/v1/staff/participants?kpj=00000000000', bearer(token)), 401, 'unauthorized');
    expect(await t.db.selectFrom('staff_session').innerJoin('staff_account', 'staff_account.id', 'staff_session.account_id').where('username', '=', 'yusuf').select('token_hash').execute()).toEqual([]);
    t.clock.set(new Date(t.clock.now().getTime() + 30_000));
    expectError(await signIn('yusuf', 'sandi-awal-12345', codeOf(made.otpauthUri)), 401, 'invalid_credentials');
    expect((await patch('/api/v1/staff/accounts/yusuf', { disabled: false, reason: 'Kembali bekerja' })).status).toBe(200);
    t.clock.set(new Date(t.clock.now().getTime() + 30_000));
    expect((await signIn('yusuf', 'sandi-awal-12345', codeOf(made.otpauthUri))).status).toBe(200);
    expect((await auditOf('yusuf')).map((e) => e.action)).toEqual(['staff_account.create', 'staff_account.disable', 'staff_account.enable']);
  });

  it('resets TOTP: a new URI once, the old codes and sessions stop, the new code signs in; audited without the secret', async () => {
    const made = await createAccount('wati');
    const token = (await signIn('wati', 'sandi-awal-12345', codeOf(made.otpauthUri))).body.token as string;
    const res = await t.post('/api/v1/staff/accounts/wati/totp-reset', { reason: 'HP hilang' }, admin);
    expect(res.status, JSON.stringify(res.body)).toBe(200);
    expect(res.body.otpauthUri).not.toBe(made.otpauthUri);
    expectError(await t.get('/api/v1/staff/participants?kpj=00000000000', bearer(token)), 401, 'unauthorized');
    t.clock.set(new Date(t.clock.now().getTime() + 30_000));
    expectError(await signIn('wati', 'sandi-awal-12345', codeOf(made.otpauthUri)), 401, 'invalid_credentials');
    expect((await signIn('wati', 'sandi-awal-12345', codeOf(res.body.otpauthUri as string))).status).toBe(200);
    const audit = await auditOf('wati');
    expect(audit.at(-1)).toMatchObject({ action: 'staff_account.reset_totp', reason: 'HP hilang', actor: 'kepala.admin' });
    const secret = URI.parse(res.body.otpauthUri as string).secret.base32;
    expect(JSON.stringify(audit)).not.toContain(secret);
  });

  it('only admin: other roles get 403', async () => {
    const made = await createAccount('sari', ['supervisor']);
    const sup = bearer((await signIn('sari', 'sandi-awal-12345', codeOf(made.otpauthUri))).body.token as string);
    expectError(await t.get('/api/v1/staff/accounts', sup), 403, 'forbidden');
    expectError(await t.post('/api/v1/staff/accounts/sari/totp-reset', { reason: 'coba' }, sup), 403, 'forbidden');
  });
  it('an admin cannot disable themselves nor drop their own admin role (409 own_admin_role); another admin can', async () => {
    expectError(await patch('/api/v1/staff/accounts/kepala.admin', { disabled: true, reason: 'coba' }), 409, 'own_admin_role');
    expectError(await patch('/api/v1/staff/accounts/kepala.admin', { roles: ['supervisor'], reason: 'coba' }), 409, 'own_admin_role');
    expect((await patch('/api/v1/staff/accounts/kepala.admin', { roles: ['admin', 'supervisor'], reason: 'Tambah peran' })).status).toBe(200);
    const second = await createAccount('admin.dua', ['admin']);
    const other = bearer((await signIn('admin.dua', 'sandi-awal-12345', codeOf(second.otpauthUri))).body.token as string);
    expect((await patch('/api/v1/staff/accounts/kepala.admin', { roles: ['supervisor'], reason: 'Serah terima' }, other)).status).toBe(200);
  });

});

describe('/api/v1/staff/service-points', () => {
  it('creates and replaces a service point of a branch (audited before/after), lists them; unknown branch 422', async () => {
    expect((await t.post('/dev/staff', { username: 'admin.tiga', password: PASSWORD, roles: ['admin'] })).status).toBe(201);
    const adm = bearer((await signIn('admin.tiga', PASSWORD)).body.token as string);
    const body = { branchCode: 'JKT-SALEMBA', kind: 'spo', name: 'SPO Bank Mandiri Salemba', reason: 'Kerja sama baru' };
    const made = await t.request('PUT', '/api/v1/staff/service-points/SPO-MANDIRI-SALEMBA', body, adm);
    expect(made.status, JSON.stringify(made.body)).toBe(200);
    expect(made.body).toMatchObject({ code: 'SPO-MANDIRI-SALEMBA', branchCode: 'JKT-SALEMBA', kind: 'spo', active: true, updatedBy: 'admin.tiga' });
    expect((await t.request('PUT', '/api/v1/staff/service-points/SPO-MANDIRI-SALEMBA', { ...body, active: false, reason: 'Kerja sama berakhir' }, adm)).body.active).toBe(false);
    expectError(await t.request('PUT', '/api/v1/staff/service-points/LOKET-X', { ...body, kind: 'branch_counter', branchCode: 'XXX' }, adm), 422, 'unknown_branch', 'branchCode');
    const list = await t.get('/api/v1/staff/service-points', adm);
    expect(list.body.servicePoints.map((p: { code: string; active: boolean }) => [p.code, p.active])).toEqual([['SPO-MANDIRI-SALEMBA', false]]);
    const audit = await t.db.selectFrom('staff_audit').select(['action', 'before', 'after']).where('subject', '=', 'service-point:SPO-MANDIRI-SALEMBA').orderBy('id').execute();
    expect(audit).toEqual([
      { action: 'service_point.put', before: null, after: { branchCode: 'JKT-SALEMBA', kind: 'spo', name: 'SPO Bank Mandiri Salemba', active: true } },
      { action: 'service_point.put', before: { branchCode: 'JKT-SALEMBA', kind: 'spo', name: 'SPO Bank Mandiri Salemba', active: true }, after: { branchCode: 'JKT-SALEMBA', kind: 'spo', name: 'SPO Bank Mandiri Salemba', active: false } },
    ]);
  });
});
