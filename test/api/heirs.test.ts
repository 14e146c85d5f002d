import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { expectError } from '../support/api-errors.js';
import { activeMember } from '../support/factories.js';
import { createTestApp, type TestApp } from '../support/test-app.js';

/**
 * Heirs (ahli waris) through the real app: the member replaces the list (its order the priority), the NIK is never
 * answered in full, every wrong value has its own 422 code and field, the change is audited as the participant, and
 * staff read the list by KPJ (roles per the policy table).
 */
let t: TestApp;
let member: Awaited<ReturnType<typeof activeMember>>;
const KEY = { authorization: 'Bearer dev-staff-key' };

const SPOUSE = { fullName: 'Siti  Aminah', relationship: 'spouse', birthDate: '1992-03-04', phone: '0812-3456-7891', nik: '3275014403920002' };
const CHILD = { fullName: 'Rina Santoso', relationship: 'child', birthDate: '2015-07-01' };

beforeAll(async () => {
  t = await createTestApp();
  member = await activeMember(t);
});
afterAll(async () => t.close());

describe('GET/PUT /api/v1/me/heirs', () => {
  it('starts empty; 401 without a session', async () => {
    expect((await t.get('/api/v1/me/heirs', member.auth)).body).toEqual({ heirs: [] });
    expectError(await t.get('/api/v1/me/heirs'), 401, 'unauthorized');
    expectError(await t.request('PUT', '/api/v1/me/heirs', { heirs: [] }), 401, 'unauthorized');
  });

  it('replaces the list in the order sent; the NIK only masked; the phone normalised', async () => {
    const res = await t.request('PUT', '/api/v1/me/heirs', { heirs: [SPOUSE, CHILD] }, member.auth);
    expect(res.status, JSON.stringify(res.body)).toBe(200);
    const heirs = res.body.heirs as Record<string, unknown>[];
    expect(heirs.map(({ id: _id, ...h }) => h)).toEqual([
      { fullName: 'Siti Aminah', relationship: 'spouse', birthDate: '1992-03-04', phone: '+6281234567891', nikMasked: '3275********0002', priority: 1 },
      { fullName: 'Rina Santoso', relationship: 'child', birthDate: '2015-07-01', phone: null, nikMasked: null, priority: 2 },
    ]);
    expect(JSON.stringify((await t.get('/api/v1/me/heirs', member.auth)).body)).not.toContain('3275014403920002');
  });

  it('keeps a sent id (and its NIK when none is resent); reorders; removes what is left out', async () => {
    const before = (await t.get('/api/v1/me/heirs', member.auth)).body.heirs as { id: string }[];
    const [spouse] = before;
    const res = await t.request('PUT', '/api/v1/me/heirs', { heirs: [{ ...CHILD, fullName: 'Rina Putri Santoso' }, { id: spouse?.id, ...SPOUSE, nik: undefined }] }, member.auth);
    expect(res.status, JSON.stringify(res.body)).toBe(200);
    const after = res.body.heirs as { id: string; fullName: string; nikMasked: string | null; priority: number }[];
    expect(after.map((h) => [h.fullName, h.priority, h.nikMasked])).toEqual([
      ['Rina Putri Santoso', 1, null],
      ['Siti Aminah', 2, '3275********0002'],
    ]);
    expect(after[1]?.id).toBe(spouse?.id);
  });

  it.each([
    ['invalid_heir_name', 'heirs[1].fullName', { ...CHILD, fullName: '  ' }],
    ['invalid_heir_name', 'heirs[1].fullName', { ...CHILD, fullName: '12345' }],
    ['invalid_relationship', 'heirs[1].relationship', { ...CHILD, relationship: 'cousin' }],
    ['invalid_birth_date', 'heirs[1].birthDate', { ...CHILD, birthDate: '2015-02-30' }],
    ['invalid_birth_date', 'heirs[1].birthDate', { ...CHILD, birthDate: '2099-01-01' }],
    ['invalid_phone', 'heirs[1].phone', { ...CHILD, phone: '12345' }],
    ['invalid_nik', 'heirs[1].nik', { ...CHILD, nik: '1234' }],
  ])('422 %s at %s, and nothing changes', async (code, field, wrong) => {
    const stored = (await t.get('/api/v1/me/heirs', member.auth)).body;
    expectError(await t.request('PUT', '/api/v1/me/heirs', { heirs: [SPOUSE, wrong] }, member.auth), 422, code, field);
    expect((await t.get('/api/v1/me/heirs', member.auth)).body).toEqual(stored);
  });

  it('422 too_many_heirs above 10; 400 for a wrong shape', async () => {
    expectError(await t.request('PUT', '/api/v1/me/heirs', { heirs: Array.from({ length: 11 }, () => CHILD) }, member.auth), 422, 'too_many_heirs', 'heirs');
    expect((await t.request('PUT', '/api/v1/me/heirs', { heirs: Array.from({ length: 10 }, () => CHILD) }, member.auth)).status).toBe(200);
    expect((await t.request('PUT', '/api/v1/me/heirs', { heirs: [{ fullName: 1 }] }, member.auth)).body.error.code).toBe('invalid_request');
  });

  it('audits each replacement as the participant, with before and after (the NIK masked there too)', async () => {
    const res = await t.get(`/api/v1/staff/audit?entity=${encodeURIComponent(`participant:${member.kpj}`)}`, KEY);
    expect(res.status, JSON.stringify(res.body)).toBe(200);
    const events = res.body.events as { actor: string; action: string }[];
    expect(events.filter((e) => e.action === 'heirs.put').map((e) => e.actor)).toEqual(Array(3).fill(`participant:${member.kpj}`));
    const rows = await t.db.selectFrom('staff_audit').select(['before', 'after']).where('action', '=', 'heirs.put').execute();
    expect(JSON.stringify(rows)).toContain('3275********0002');
    expect(JSON.stringify(rows)).not.toContain('3275014403920002');
  });
});

describe('GET /api/v1/staff/participants/{kpj}/heirs', () => {
  it('staff read the list by KPJ; 404 for an unknown KPJ; a participant token is refused', async () => {
    await t.request('PUT', '/api/v1/me/heirs', { heirs: [SPOUSE] }, member.auth);
    const res = await t.get(`/api/v1/staff/participants/${member.kpj}/heirs`, KEY);
    expect(res.status, JSON.stringify(res.body)).toBe(200);
    expect((res.body.heirs as { fullName: string; nikMasked: string }[]).map((h) => [h.fullName, h.nikMasked])).toEqual([['Siti Aminah', '3275********0002']]);
    expectError(await t.get('/api/v1/staff/participants/99999999999/heirs', KEY), 404, 'unknown_participant', 'kpj');
    expectError(await t.get(`/api/v1/staff/participants/${member.kpj}/heirs`, member.auth), 403, 'forbidden');
  });
});
