import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { activeMember } from '../support/factories.js';
import { portalClient, textOf } from '../support/portal-client.js';
import { createTestApp, type TestApp } from '../support/test-app.js';

/**
 * The console's channel pages through the real app: who may open them (derived from STAFF_POLICY), a partner's secret
 * shown once and kept out of the audit, a deposit posted twice with the page's id is one deposit, and a refusal of
 * the agents module shown on its field.
 */
let t: TestApp;
const PASSWORD = 'kata-sandi-staf-123';

async function signedIn(username: string) {
  const client = portalClient(t);
  const res = await client.submit('/staff/masuk', '/staff/masuk', { username, password: PASSWORD, totp: '' }, { follow: false });
  expect(res.status).toBe(303);
  return client;
}

beforeAll(async () => {
  t = await createTestApp();
  for (const [username, roles] of [['admin-kanal', ['admin']], ['keu-kanal', ['finance']], ['super-kanal', ['supervisor']]] as const) {
    expect((await t.post('/dev/staff', { username, password: PASSWORD, roles })).status).toBe(201);
  }
});
afterAll(async () => t.close());

describe('console channel pages', () => {
  it.each([
    ['admin-kanal', { '/staff/mitra': 200, '/staff/agen': 200, '/staff/agen/keuangan': 403 }],
    ['keu-kanal', { '/staff/mitra': 403, '/staff/agen': 200, '/staff/agen/keuangan': 200 }],
    ['super-kanal', { '/staff/mitra': 403, '/staff/agen': 403, '/staff/agen/keuangan': 403 }],
  ] as const)('%s opens %j', async (username, expected) => {
    const client = await signedIn(username);
    for (const [path, status] of Object.entries(expected)) {
      expect((await client.get(path)).status, path).toBe(status);
    }
  });

  it('shows a new client secret once, never in the audit', async () => {
    const admin = await signedIn('admin-kanal');
    const res = await admin.submit('/staff/mitra', '/staff/mitra', { name: 'Pemda Contoh', funding: 'apbd', 'scope-enrolment': '1' });
    expect(res.status).toBe(200);
    const secret = /rahasia: (\S+) —/.exec(textOf(res.html))?.[1] ?? '';
    expect(secret.length).toBeGreaterThan(20);
    expect(textOf(res.html)).toContain('APBD');
    const partner = await t.db.selectFrom('partner').select('id').where('name', '=', 'Pemda Contoh').executeTakeFirstOrThrow();
    const again = await admin.get(`/staff/mitra/${partner.id}`);
    expect(again.status).toBe(200);
    expect(again.html).not.toContain(secret);
    expect(JSON.stringify(await t.db.selectFrom('staff_audit').selectAll().execute())).not.toContain(secret);
    const none = await admin.submit('/staff/mitra', '/staff/mitra', { name: 'Tanpa Cakupan', funding: 'partner' });
    expect(none.status).toBe(422);
    expect(textOf(none.html)).toContain('Pilih sedikitnya satu cakupan.');
  });

  it('a deposit submitted twice with the page’s id is one deposit; an unknown KPJ is refused on its field; the admin ends the agent', async () => {
    const member = await activeMember(t);
    const admin = await signedIn('admin-kanal');
    await admin.submit('/staff/agen', '/staff/agen/kantor', { code: 'KP-UJI-01', name: 'Kantor Uji', branchCode: 'JKT-SALEMBA' });
    const unknown = await admin.submit('/staff/agen', '/staff/agen', { kpj: '99999999999', kantorCode: 'KP-UJI-01', cashLimit: '' });
    expect(unknown.status).toBe(422);
    const made = await admin.submit('/staff/agen', '/staff/agen', { kpj: member.kpj, kantorCode: 'KP-UJI-01', cashLimit: '2.000.000' });
    expect(textOf(made.html)).toContain('ditunjuk');
    const code = /Agen (AG\d+) ditunjuk/.exec(textOf(made.html))?.[1] ?? '';
    const finance = await signedIn('keu-kanal');
    const path = `/staff/agen/keuangan?agen=${code}&bulan=2026-10`;
    const fields = { depositId: 'dep_uji_ganda_0001', amount: '50.000', reference: 'TRF-UJI', depositedAt: t.clock.now().toISOString().slice(0, 10) };
    for (let i = 0; i < 2; i++) {
      const res = await finance.submit(path, `/staff/agen/keuangan/setoran?agen=${code}&bulan=2026-10`, fields);
      expect(res.status).toBe(200);
    }
    expect((await t.db.selectFrom('agent_deposit').select('id').where('id', '=', 'dep_uji_ganda_0001').execute()).length).toBe(1);
    const page = await finance.get(path);
    expect(textOf(page.html)).toContain('Rp50.000');
    expect(textOf(page.html)).toContain('Rp2.000.000');
    const noReason = await admin.submit('/staff/agen', '/staff/agen/akhiri', { agentCode: code, reason: '' });
    expect(noReason.status).toBe(422);
    const ended = await admin.submit('/staff/agen', '/staff/agen/akhiri', { agentCode: code, reason: 'Pindah kota' });
    expect(textOf(ended.html)).toContain(`Agen ${code} dihentikan.`);
    expect((await t.db.selectFrom('agent').select('status').where('agent_code', '=', code).executeTakeFirstOrThrow()).status).toBe('ended');
  });
});
