import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { formatKpj } from '../../src/modules/cards/card-pdf.js';
import { activeMember, addResident, latestData, makePerson, membersSharingPhone, wrongCode } from '../support/factories.js';
import { portalClient, refusedCode, textOf } from '../support/portal-client.js';
import { createTestApp, TEST_START, type TestApp } from '../support/test-app.js';


/**
 * The portal's sign-in and registration for issue 13: the choice between participants sharing one phone after the
 * code, the explanation of the daily lock after 10 wrong codes, and the daily SMS cap on the registration form.
 */

let t: TestApp;
beforeAll(async () => {
  t = await createTestApp();
});
afterAll(async () => t.close());
beforeEach(() => t.clock.set(new Date(TEST_START)));

type Client = ReturnType<typeof portalClient>;
const afterCooldown = () => t.clock.advance(61_000);

async function sendCode(client: Client, phone: string) {
  const sent = await client.submit('/masuk', '/masuk', { phone }, { follow: false });
  expect(sent.location).toBe('/masuk/kode');
  return latestData(t, phone, 'otp');
}

describe('participants sharing one phone', () => {
  it('after the code, the person chooses whose account to open; the other one is a switch away', async () => {
    const { phone, husband, wife } = await membersSharingPhone(t);
    const client = portalClient(t);
    const code = await sendCode(client, phone);

    const done = await client.submit('/masuk/kode', '/masuk/kode', { code }, { follow: false });
    expect(done.status).toBe(303);
    expect(done.location).toBe('/masuk/pilih');

    const choose = await client.get('/masuk/pilih');
    expect(choose.status).toBe(200);
    const text = textOf(choose.html);
    expect(text).toContain('Pilih peserta');
    expect(text).toContain(formatKpj(wife.kpj));
    expect(text).toContain(formatKpj(husband.kpj));
    expect(text).not.toContain(husband.person.fullName);
    expect(choose.html).toMatch(new RegExp(`value="${wife.kpj}"[^>]*checked`));

    expect(husband.person.fullName).not.toBe(wife.person.fullName);
    const opened = await client.submit('/masuk/pilih', '/masuk/pilih', { kpj: husband.kpj });
    expect(opened.status).toBe(200);
    expect(textOf(opened.html)).toContain(husband.person.fullName);
    expect(textOf(opened.html)).toContain(formatKpj(husband.kpj));
    expect(opened.html).toContain('href="/masuk/pilih"');

    const back = await client.submit('/masuk/pilih', '/masuk/pilih', { kpj: wife.kpj });
    expect(textOf(back.html)).toContain(wife.person.fullName);
    expect(textOf(back.html)).toContain(formatKpj(wife.kpj));
  });

  it('refuses a KPJ that does not share the phone (422), and a single member goes straight to the account without the switch link', async () => {
    const { phone } = await membersSharingPhone(t);
    const stranger = await activeMember(t);
    afterCooldown();
    const client = portalClient(t);
    await client.submit('/masuk/kode', '/masuk/kode', { code: await sendCode(client, phone) }, { follow: false });

    // Post/Redirect/Get (issue 18 item 2): the refusal is a 303 to the page, which shows it with its status.
    const posted = await client.submit('/masuk/pilih', '/masuk/pilih', { kpj: stranger.kpj }, { follow: false });
    expect(posted.status).toBe(303);
    const refused = await client.open(posted.location as string);
    expect(refused.status).toBe(422);
    expect(textOf(refused.html)).toContain('Peserta dengan nomor KPJ ini tidak ditemukan');

    const single = portalClient(t);
    const done = await single.submit('/masuk/kode', '/masuk/kode', { code: await sendCode(single, stranger.person.phone) }, { follow: false });
    expect(done.location).toBe('/akun');
    expect((await single.get('/akun')).html).not.toContain('href="/masuk/pilih"');
  });

  it('/masuk/pilih without a session goes to /masuk', async () => {
    const res = await portalClient(t).get('/masuk/pilih');
    expect(res.status).toBe(303);
    expect(res.location).toBe('/masuk');
  });
});

describe('the daily lock', () => {
  it('after 10 wrong codes today the code page explains that the number is locked until 00:00 WIB, even for a new right code', async () => {
    const m = await activeMember(t);
    afterCooldown();
    const client = portalClient(t);
    let code = await sendCode(client, m.person.phone);
    for (let round = 0; round < 2; round++) {
      for (let i = 0; i < 5; i++) {
        await client.submit('/masuk/kode', '/masuk/kode', { code: wrongCode(code) }, { follow: false });
      }
      afterCooldown();
      const resent = await client.submit('/masuk/kode', '/masuk/kirim-ulang', {}, { follow: false });
      expect(resent.status).toBe(303);
      code = await latestData(t, m.person.phone, 'otp');
    }

    const res = await refusedCode(client, '/masuk/kode', { code });

    expect(res.status).toBe(429);
    expect(textOf(res.html)).toContain('dikunci sampai pukul 00.00 WIB');
  });
});

describe('the daily SMS cap on the sign-in pages', () => {
  it('says that no new code was sent once the number has had its 5 codes today — alike for a registered and an unknown number', async () => {
    const m = await activeMember(t); // a registration code and a login code
    const stranger = makePerson().phone;
    for (let i = 0; i < 3; i++) {
      afterCooldown();
      expect((await t.post('/api/v1/auth/otp', { phone: m.person.phone })).status).toBe(202);
    }
    for (let i = 0; i < 5; i++) {
      afterCooldown();
      expect((await t.post('/api/v1/auth/otp', { phone: stranger })).status).toBe(202);
    }
    afterCooldown();
    const smsTo = async (phone: string) => (await t.get(`/dev/outbox?to=${encodeURIComponent(phone)}`)).body.messages.filter((x: { channel: string }) => x.channel === 'sms').length;
    // 5 codes and, since issue 18 item 3, the first payment code by SMS too: 6 SMS, of which 5 codes.
    expect(await smsTo(m.person.phone)).toBe(6);
    for (const phone of [m.person.phone, stranger]) {
      const client = portalClient(t);
      const sent = await client.submit('/masuk', '/masuk', { phone }, { follow: false });
      expect(sent.location).toBe('/masuk/kode?batas=1');
      const page = await client.get(sent.location!);
      expect(textOf(page.html)).toContain('Nomor ini sudah menerima 5 kode hari ini');

      afterCooldown();
      const again = await client.submit('/masuk/kode', '/masuk/kirim-ulang', {}, { follow: false });
      expect(again.location).toBe('/masuk/kode?batas=1');
    }
    expect(await smsTo(m.person.phone)).toBe(6);
    expect(await smsTo(stranger)).toBe(0);
  });
});

describe('the daily SMS cap on the registration form', () => {
  it('a phone that has had its 5 codes today: the registration form answers 429 with the reason on the phone field, and sends nothing', async () => {
    const person = makePerson();
    await addResident(t, person);
    for (let i = 0; i < 5; i++) {
      expect((await t.post('/api/v1/registrations', person)).status).toBe(201);
    }
    const sent = (await t.get(`/dev/outbox?to=${encodeURIComponent(person.phone)}`)).body.messages.length;
    const b = portalClient(t);
    const { nik, fullName, birthDate, gender, phone, email, address } = person;
    await b.submit('/daftar', '/daftar', { nik, fullName, birthDate, gender, phone, email, address });

    // Post/Redirect/Get (issue 18 item 2): the refusal is a 303 to the page, which shows it with its status.
    const posted = await b.submit('/daftar/pekerjaan', '/daftar/pekerjaan', { occupationCode: 'PETANI', branchCode: 'YOGYAKARTA', consent: 'yes' }, { follow: false });
    expect(posted.status).toBe(303);
    const res = await b.open(posted.location as string);

    expect(res.status).toBe(429);
    expect(textOf(res.html)).toContain('Nomor HP ini sudah menerima 5 kode OTP hari ini');
    expect((await t.get(`/dev/outbox?to=${encodeURIComponent(person.phone)}`)).body.messages).toHaveLength(sent);
  });
});

describe('the daily lock on the registration’s phone step', () => {
  it('after 10 wrong codes today (two codes of 5) the phone step says the number is locked until 00:00 WIB, and refuses the new right code', async () => {
    const person = makePerson();
    await addResident(t, person);
    const created = await t.post('/api/v1/registrations', person);
    const path = `/daftar/${created.body.id as string}`;
    const b = portalClient(t);
    for (let round = 0; round < 2; round++) {
      const code = await latestData(t, person.phone, 'otp');
      for (let i = 0; i < 5; i++) {
        await b.submit(path, `${path}/otp`, { code: wrongCode(code) }, { follow: false });
      }
      afterCooldown();
      expect((await b.submit(path, `${path}/otp/kirim-ulang`, {}, { follow: false })).status).toBe(303);
    }

    // Post/Redirect/Get (issue 18 item 2): the refusal is a 303 to the page, which shows it with its status.
    const posted = await b.submit(path, `${path}/otp`, { code: await latestData(t, person.phone, 'otp') }, { follow: false });
    expect(posted.status).toBe(303);
    const res = await b.open(posted.location as string);

    expect(res.status).toBe(429);
    expect(textOf(res.html)).toContain('nomor ini dikunci sampai pukul 00.00 WIB');
  });
});
