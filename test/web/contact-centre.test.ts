import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { searchCriterion } from '../../src/web/staff/contact-search.js';
import { messagesFor } from '../../src/web/i18n/messages.js';
import { activeMember, latestData } from '../support/factories.js';
import { portalClient, textOf } from '../support/portal-client.js';
import { createTestApp, type TestApp } from '../support/test-app.js';
import { staffSignedIn } from '../support/staff-portal.js';

/**
 * "Layanan pelanggan" (issue 16 item 4) through the real app: the search (KPJ, NIK, phone, name + birth date), the
 * member page (NIK masked to its last 4 digits, the timeline without any OTP code), the action forms for the contact
 * centre (resend card, resend payment code with no_open_bill, unlock OTP, open and resolve a complaint) and none for the
 * counter, and the 403 page for finance.
 */
let t: TestApp;
const PASSWORD = 'kata-sandi-staf-123';
const tx = messagesFor('id').staffContact;

/** Signed in to the console (test/support/staff-portal.ts; the same password). */
const signedIn = (username: string) => staffSignedIn(t, username);

beforeAll(async () => {
  t = await createTestApp();
  for (const [username, roles] of [
    ['cc-web', ['contact_centre']],
    ['loket-web', ['counter']],
    ['keu-web', ['finance']],
  ] as const) {
    expect((await t.post('/dev/staff', { username, password: PASSWORD, roles })).status).toBe(201);
  }
});
afterAll(async () => t.close());

describe('searchCriterion', () => {
  it.each([
    [{ kpj: '1', nik: '', phone: '', name: '', birthDate: '' }, { ok: true, by: { kpj: '1' } }],
    [{ kpj: '', nik: '123', phone: '', name: '', birthDate: '' }, { ok: false, errors: { nik: tx.nikInvalid } }],
    [{ kpj: '', nik: '', phone: '', name: 'Budi', birthDate: '' }, { ok: false, errors: { birthDate: tx.birthDateInvalid } }],
    [{ kpj: '', nik: '', phone: '', name: 'Budi', birthDate: '1990-05-01' }, { ok: true, by: { name: 'Budi', birthDate: '1990-05-01' } }],
    [{ kpj: '', nik: '', phone: '', name: '', birthDate: '' }, null],
  ])('%o', (values, expected) => {
    expect(searchCriterion(values, tx)).toEqual(expected);
  });
});

describe('Layanan pelanggan', () => {
  it('finds a member, shows the masked NIK and the timeline without OTP codes; the contact centre acts', async () => {
    const m = await activeMember(t, { person: { fullName: 'Rina Wulandari', birthDate: '1988-02-09' } });
    const otp = await latestData(t, m.person.phone, 'otp');
    const cc = await signedIn('cc-web');
    const found = await cc.submit('/staff/layanan', '/staff/layanan', { name: 'rina  WULANDARI', birthDate: '1988-02-09' });
    expect(found.status).toBe(200);
    expect(textOf(found.html)).toContain(m.kpj);
    const byNik = await cc.submit('/staff/layanan', '/staff/layanan', { nik: m.person.nik });
    expect(byNik.html).toContain(m.kpj);
    expect(byNik.html).not.toContain(m.person.nik);
    const path = `/staff/layanan/${m.kpj}`;
    const page = await cc.open(path);
    expect(page.status).toBe(200);
    expect(page.html).toContain(`************${m.person.nik.slice(-4)}`);
    expect(page.html).not.toContain(m.person.nik);
    expect(page.html).not.toContain(otp);
    expect(textOf(page.html)).toContain(tx.kind_bill_paid);

    const card = await cc.submit(path, `${path}/kartu`, { cardReason: 'Kartu hilang dari email' });
    expect(textOf(card.html)).toContain(tx.cardSent);
    const noBill = await cc.submit(path, `${path}/kode-bayar`, { codeReason: 'Minta kode bayar' });
    expect(noBill.status).toBe(409);
    expect(textOf(noBill.html)).toContain('tidak punya tagihan terbuka');
    const unlock = await cc.submit(path, `${path}/buka-otp`, { otpReason: 'Terkunci karena salah kode' });
    expect(textOf(unlock.html)).toContain(tx.otpUnlocked);
    const tooShort = await cc.submit(path, `${path}/buka-otp`, { otpReason: 'x' });
    expect(tooShort.status).toBe(422);

    const opened = await cc.submit(path, `${path}/pengaduan`, { category: 'card', description: 'Kartu tidak terkirim' });
    expect(textOf(opened.html)).toContain('Kartu tidak terkirim');
    const id = /pengaduan\/(cmp_[\w-]+)\/selesai/.exec(opened.html)?.[1] ?? '';
    expect(id).not.toBe('');
    const resolved = await cc.submit(path, `${path}/pengaduan/${id}/selesai`, { [`res-${id}`]: 'Kartu dikirim ulang' });
    expect(textOf(resolved.html)).toContain(`${tx.statusResolved}: Kartu dikirim ulang`);
  });

  it('shows the counter the page without the action forms; finance gets the 403 page', async () => {
    const m = await activeMember(t);
    const counter = await signedIn('loket-web');
    const page = await counter.open(`/staff/layanan/${m.kpj}`);
    expect(page.status).toBe(200);
    expect(page.html).not.toContain(`${m.kpj}/kartu`);
    const refused = await counter.submit(`/staff/layanan/${m.kpj}`, `/staff/layanan/${m.kpj}/kartu`, { cardReason: 'Coba kirim ulang' });
    expect(refused.status).toBe(403);
    const finance = await signedIn('keu-web');
    expect((await finance.open('/staff/layanan')).status).toBe(403);
  });
});
