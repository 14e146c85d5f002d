import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { activeMember, latestData, makePerson } from '../support/factories.js';
import { portalClient, textOf } from '../support/portal-client.js';
import { createTestApp, type TestApp } from '../support/test-app.js';

/**
 * "Data saya" (/akun/profil) through the real app, by plain forms (Post/Redirect/Get): address and income changed and
 * shown; a refused form's error survives the redirect; the phone changed with the code, birth date and NIK digits; the
 * e-mail link applies the new address.
 */
let t: TestApp;
beforeAll(async () => {
  t = await createTestApp();
});
afterAll(async () => t.close());

async function signedIn() {
  const member = await activeMember(t, { declaredIncome: 1_000_000, months: 1 });
  t.clock.advance(61_000);
  const client = portalClient(t);
  await client.submit('/masuk', '/masuk', { phone: member.person.phone }, { follow: false });
  const done = await client.submit('/masuk/kode', '/masuk/kode', { code: await latestData(t, member.person.phone, 'otp') }, { follow: false });
  expect(done.location).toBe('/akun');
  return { client, member };
}

describe('/akun/profil — Data saya', () => {
  it('signed out: back to sign-in; the account page links to it', async () => {
    const res = await portalClient(t).get('/akun/profil');
    expect([res.status, res.location]).toEqual([303, '/masuk']);
    const { client } = await signedIn();
    expect((await client.get('/akun')).html).toContain('href="/akun/profil"');
  });

  it('changes the address and the income; the page shows them and the month the income applies from', async () => {
    const { client, member } = await signedIn();
    const page = await client.get('/akun/profil');
    expect(page.status).toBe(200);
    expect(textOf((await client.open('/akun/profil?lang=en')).html)).toContain('Address, occupation and branch office');
    await client.open('/akun/profil?lang=id');
    expect(textOf(page.html)).toContain('Jl. Merdeka No. 1, Bekasi');
    const saved = await client.submit('/akun/profil', '/akun/profil', { address: 'Jl. Mawar No. 7, Depok', occupationCode: 'OJOL', branchCode: 'JKT-SALEMBA' });
    expect(textOf(saved.html)).toContain('Perubahan disimpan.');
    expect(textOf(saved.html)).toContain('Jl. Mawar No. 7, Depok');
    const income = await client.submit('/akun/profil', '/akun/profil/iuran', { declaredIncome: '3.000.000', addJht: '1' });
    const text = textOf(income.html);
    expect(text).toMatch(/Disimpan\. Berlaku mulai iuran \w+ 2026\./);
    expect(text).toContain('Rp3.000.000');
    expect(text).toContain('JKK, JKM, JHT');
    const me = (await t.get('/api/v1/me', member.auth)).body;
    expect([me.declaredIncome, me.programs]).toEqual([3_000_000, ['JKK', 'JKM', 'JHT']]);
  });

  it('a refused form shows its error after the redirect', async () => {
    const { client } = await signedIn();
    const res = await client.submit('/akun/profil', '/akun/profil/iuran', { declaredIncome: 'banyak' });
    expect(textOf(res.html)).toContain('Penghasilan yang dilaporkan minimal');
  });

  it('changes the phone with the code, the birth date and the NIK digits', async () => {
    const { client, member } = await signedIn();
    const phone = makePerson().phone;
    const sent = await client.submit('/akun/profil', '/akun/profil/hp', { phone });
    expect(textOf(sent.html)).toContain(`Kode dikirim ke ${phone}`);
    const code = await latestData(t, phone, 'otp');
    const page = await client.get('/akun/profil');
    expect(page.html).toContain('name="birthDateDay"');
    expect(page.html).not.toContain('type="date"');
    const [year, month, day] = member.person.birthDate.split('-') as [string, string, string];
    const wrong = await client.submit('/akun/profil', '/akun/profil/hp/konfirmasi', { code, birthDateDay: '31', birthDateMonth: '2', birthDateYear: year, nikLast6: member.person.nik.slice(-6) });
    expect(textOf(wrong.html)).toContain('tanggal itu tidak ada di kalender');
    expect(wrong.html).toMatch(/name="birthDateDay"[^>]*value="31"|value="31"[^>]*name="birthDateDay"/);
    const done = await client.submit('/akun/profil', '/akun/profil/hp/konfirmasi', { code, birthDateDay: String(Number(day)), birthDateMonth: String(Number(month)), birthDateYear: year, nikLast6: member.person.nik.slice(-6) });
    expect(textOf(done.html)).toContain('Nomor HP diganti.');
    expect(textOf(done.html)).toContain(phone);
  });

  it('the e-mailed link applies the new address', async () => {
    const { client } = await signedIn();
    const email = `profil.${process.pid}@contoh.id`;
    const sent = await client.submit('/akun/profil', '/akun/profil/email', { email });
    expect(textOf(sent.html)).toContain(`Tautan dikirim ke ${email}`);
    const link = ((await t.get(`/dev/outbox?to=${encodeURIComponent(email)}`)).body.messages as { data: { link: string } }[])[0]?.data.link ?? '';
    const opened = await client.open(new URL(link).pathname + new URL(link).search);
    expect(textOf(opened.html)).toContain(`Alamat email diganti menjadi ${email}.`);
    const again = await client.open(new URL(link).pathname + new URL(link).search);
    expect(textOf(again.html)).toContain('Tautan tidak valid');
  });
});
