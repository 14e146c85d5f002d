import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { activeMember, latestData, makePerson } from '../support/factories.js';
import { textOf } from '../support/portal-client.js';
import { createStaffAccounts, staffSignedIn } from '../support/staff-portal.js';
import { createTestApp, type TestApp } from '../support/test-app.js';

/**
 * "Ubah data peserta" (/staff/layanan/{kpj}/ubah-data) through the real app: reached from the contact centre's member
 * page by the counter (not shown to the contact centre, 403 for it), the KTP box required, the phone changed with the
 * code the member reads out, the NIK only masked; audited as the officer.
 */
let t: TestApp;
const signedIn = (username: string) => staffSignedIn(t, username);

beforeAll(async () => {
  t = await createTestApp();
  await createStaffAccounts(t, [
    ['loket-data', ['counter']],
    ['cc-data', ['contact_centre']],
  ]);
});
afterAll(async () => t.close());

describe('Ubah data peserta', () => {
  it('the counter changes address and phone (KTP checked, OTP read out); audited as the officer; NIK masked', async () => {
    const m = await activeMember(t);
    const loket = await signedIn('loket-data');
    const member = await loket.get(`/staff/layanan/${m.kpj}`);
    expect(member.html).toContain(`href="/staff/layanan/${m.kpj}/ubah-data"`);
    const path = `/staff/layanan/${m.kpj}/ubah-data`;
    const page = await loket.get(path);
    expect(page.status).toBe(200);
    expect(textOf(page.html)).toContain('Ubah data peserta');
    expect(page.html).not.toContain(m.person.nik);
    expect(page.html).toContain(`************${m.person.nik.slice(-4)}`);

    const refused = await loket.submit(path, path, { address: 'Jl. Loket No. 1, Jakarta', occupationCode: 'OJOL', branchCode: 'JKT-SALEMBA' });
    expect(refused.status).toBe(422);
    expect(textOf(refused.html)).toContain('Petugas harus memeriksa KTP');
    const saved = await loket.submit(path, path, { address: 'Jl. Loket No. 1, Jakarta', occupationCode: 'OJOL', branchCode: 'JKT-SALEMBA', identityChecked: '1' });
    expect(textOf(saved.html)).toContain('Perubahan disimpan.');
    expect(textOf(saved.html)).toContain('Jl. Loket No. 1, Jakarta');

    const phone = makePerson().phone;
    const sent = await loket.submit(path, `${path}/hp`, { phone, identityChecked: '1' });
    expect(textOf(sent.html)).toContain(`Kode dikirim ke ${phone}`);
    const done = await loket.submit(path, `${path}/hp/konfirmasi`, { code: await latestData(t, phone, 'otp'), identityChecked: '1' });
    expect(textOf(done.html)).toContain('Nomor HP diganti.');
    const rows = await t.db.selectFrom('staff_audit').select(['actor', 'action']).where('subject', '=', `participant:${m.kpj}`).where('action', 'like', 'participant.%').orderBy('id').execute();
    expect(rows).toEqual([
      { actor: 'loket-data', action: 'participant.update' },
      { actor: 'loket-data', action: 'participant.phone_change' },
    ]);
  });

  it('the contact centre sees no link and gets the 403 page', async () => {
    const m = await activeMember(t);
    const cc = await signedIn('cc-data');
    expect((await cc.get(`/staff/layanan/${m.kpj}`)).html).not.toContain('/ubah-data');
    expect((await cc.get(`/staff/layanan/${m.kpj}/ubah-data`)).status).toBe(403);
  });
});
