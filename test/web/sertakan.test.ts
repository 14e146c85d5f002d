import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { maskName } from '../../src/modules/contributions/index.js';
import { activeMember, latestData } from '../support/factories.js';
import { portalClient, textOf } from '../support/portal-client.js';
import { createTestApp, type TestApp } from '../support/test-app.js';

/**
 * The Sertakan pages through the real app, without JavaScript: a sponsor names a member by KPJ on /akun/sertakan, the
 * member consents on the SMS link's page, the sponsor pays months (→ the pay page) and stops; a refusal shows on the
 * KPJ field; the sponsored member takes over from the same page.
 */
let t: TestApp;
beforeAll(async () => {
  t = await createTestApp({ start: '2026-12-07T02:00:00.000Z' });
});
afterAll(async () => t.close());

type Client = ReturnType<typeof portalClient>;
const PAGE = '/akun/sertakan';

async function signIn(client: Client, phone: string): Promise<void> {
  expect((await client.submit('/masuk', '/masuk', { phone }, { follow: false })).location).toBe('/masuk/kode');
  expect((await client.submit('/masuk/kode', '/masuk/kode', { code: await latestData(t, phone, 'otp') }, { follow: false })).location).toBe('/akun');
}

async function consentLink(phone: string): Promise<string> {
  const messages = (await t.get(`/dev/outbox?to=${encodeURIComponent(phone)}`)).body.messages as { data: { link?: string } }[];
  return new URL(messages.find((m) => m.data.link)?.data.link ?? '').pathname;
}

describe('/akun/sertakan', () => {
  it('signed out: back to sign-in', async () => {
    expect((await portalClient(t).get(PAGE)).location).toBe('/masuk');
  });

  it('sponsor by KPJ → consent page → pay months → stop; refusals on the KPJ field; take-over', async () => {
    const sponsor = await activeMember(t);
    const worker = await activeMember(t);
    t.clock.advance(61_000);
    const s = portalClient(t);
    await signIn(s, sponsor.person.phone);
    expect(textOf((await s.open('/akun')).html)).toContain('Sertakan pekerja di sekitar Anda');

    const self = await s.submit(PAGE, `${PAGE}/kpj`, { kpj: sponsor.kpj, months: '1' });
    expect(self.status).toBe(422);
    expect(textOf(self.html)).toContain('Anda tidak dapat menyertakan diri sendiri');
    const added = await s.submit(PAGE, `${PAGE}/kpj`, { kpj: worker.kpj, months: '3' });
    expect(textOf(added.html)).toContain('SMS persetujuan sudah dikirim ke pekerja');
    expect(textOf(added.html)).toContain('Menunggu persetujuan pekerja');

    // The worker's consent page: a wrong code, then the right one.
    const w = portalClient(t);
    const link = await consentLink(worker.person.phone);
    expect(textOf((await w.open(link)).html)).toContain('UU 27/2022');
    const wrong = await w.submit(link, link, { code: '000000' });
    expect(wrong.status).toBe(422);
    expect(textOf(wrong.html)).toContain('Kode salah. Sisa percobaan: 4.');
    const agreed = await w.submit(link, link, { code: await latestData(t, worker.person.phone, 'otp') });
    expect(textOf(agreed.html)).toContain('Anda sudah menyetujui');

    const list = textOf((await s.open(PAGE)).html);
    expect(list).toContain('Aktif');
    const id = (await t.get('/api/v1/me/sponsorships', sponsor.auth)).body[0].id as string;
    const paid = await s.submit(PAGE, `${PAGE}/${id}/bayar`, { months: '1' }, { follow: false });
    expect(paid.location).toMatch(/^\/bayar\/\d{16}$/);

    // The worker sees the take-over button on the same page.
    t.clock.advance(61_000);
    const wm = portalClient(t);
    await signIn(wm, worker.person.phone);
    const own = textOf((await wm.open(PAGE)).html);
    expect(own).toContain('Iuran Anda dibayar penyerta');
    const taken = await wm.submit(PAGE, `${PAGE}/ambil-alih`, {});
    expect(textOf(taken.html)).toContain('Anda membayar iuran sendiri');
    expect(textOf((await s.open(PAGE)).html)).toContain('Selesai: pekerja membayar sendiri');
    const stopAgain = await s.submit(PAGE, `${PAGE}/${id}/berhenti`, {});
    expect(stopAgain.status).toBe(409);
    expect(textOf(stopAgain.html)).toContain('Sertakan ini belum disetujui pekerja atau sudah berakhir');
  });

  it('the sponsored worker’s /akun names the sponsor, masked as on the consent page', async () => {
    const sponsor = await activeMember(t);
    const worker = await activeMember(t);
    const id = (await t.post('/api/v1/me/sponsorships', { kpj: worker.kpj, programs: ['JKK', 'JKM'], declaredIncome: 2_000_000, months: 1 }, sponsor.auth)).body.id as string;
    const consented = await t.post(`/api/v1/sponsorships/${id}/consent`, { code: await latestData(t, worker.person.phone, 'otp') });
    expect(consented.status, JSON.stringify(consented.body)).toBe(200);
    t.clock.set(new Date('2027-01-04T02:00:00.000Z')); // the sponsor pays from January 2027 (the next unpaid month)
    const wm = portalClient(t);
    await signIn(wm, worker.person.phone);
    const page = textOf((await wm.open('/akun')).html);
    expect(page).toContain(`Iuran Anda dibayar oleh penyerta Anda: ${maskName(sponsor.person.fullName)}`);
    expect(page).not.toContain(sponsor.person.fullName);
  });
});
