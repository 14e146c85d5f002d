import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { addResident, latestData, makePerson } from '../support/factories.js';
import { portalClient, textOf } from '../support/portal-client.js';
import { createTestApp, type TestApp } from '../support/test-app.js';

let t: TestApp;
beforeAll(async () => {
  t = await createTestApp();
});
afterAll(async () => {
  await t.close();
});

describe('registration journey through the pages', () => {
  it('goes from step 1 to the payment page and pays with the simulator', async () => {
    const b = portalClient(t);
    const person = makePerson();
    await addResident(t, person);
    let page = await b.open('/daftar');
    expect(page.status).toBe(200);
    page = await b.submit('/daftar', '/daftar', {
      nik: person.nik,
      fullName: person.fullName,
      birthDate: person.birthDate,
      gender: person.gender,
      phone: person.phone,
      email: person.email,
      address: person.address,
    });
    expect(page.status, textOf(page.html)).toBe(200);
    expect(textOf(page.html)).toContain('Pekerjaan dan kantor cabang');
    page = await b.submit('/daftar/pekerjaan', '/daftar/pekerjaan', { occupationCode: 'OJOL', branchCode: 'BDG-SUCI', consent: 'yes' });
    expect(page.status, textOf(page.html)).toBe(200);
    expect(textOf(page.html)).toContain('Verifikasi email dan nomor HP');
    const outbox = (await t.get(`/dev/outbox?to=${encodeURIComponent(person.email)}`)).body;
    const link = /https?:\/\/[^\s"]+verifikasi-email[^\s"]+/.exec(outbox.messages[0].body)?.[0] ?? '';
    page = await b.open(new URL(link).pathname + new URL(link).search);
    expect(textOf(page.html)).toContain('Email berhasil diverifikasi');
    const here = new URL(link).pathname.replace('/verifikasi-email', '');
    page = await b.submit(here, `${here}/otp`, { code: await latestData(t, person.phone, 'otp') });
    expect(page.status, textOf(page.html)).toBe(200);
    expect(textOf(page.html)).toContain('Program dan iuran');
    page = await b.submit(`${here}/program`, `${here}/program`, { income: '2.000.000', programs: 'JHT', months: '3', intent: 'submit' });
    expect(page.status, textOf(page.html)).toBe(200);
    const text = textOf(page.html);
    expect(text).toContain('Rp160.200');
    const code = /\/bayar\/(\d{16})\/simulasi/.exec(page.html)?.[1];
    expect(code).toBeDefined();
    page = await b.submit(`/bayar/${code}`, `/bayar/${code}/simulasi`, { channel: 'qris' });
    expect(textOf(page.html)).toContain('Pembayaran diterima');
  });
});
