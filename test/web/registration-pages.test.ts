import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { addResident, latestData, makePerson, type Person } from '../support/factories.js';
import { portalClient, textOf } from '../support/portal-client.js';
import { createTestApp, type TestApp } from '../support/test-app.js';

let t: TestApp;
beforeAll(async () => {
  t = await createTestApp();
});
afterAll(async () => {
  await t.close();
});

function identityFields(p: Person): Record<string, string> {
  return { nik: p.nik, fullName: p.fullName, birthDate: p.birthDate, gender: p.gender, phone: p.phone, email: p.email, address: p.address };
}

/** Steps 1 and 2 through the pages; returns the client and the registration page path (/daftar/reg_…). */
async function startRegistration(person = makePerson()) {
  const b = portalClient(t);
  await addResident(t, person);
  await b.submit('/daftar', '/daftar', identityFields(person));
  const page = await b.submit('/daftar/pekerjaan', '/daftar/pekerjaan', { occupationCode: 'PETANI', branchCode: 'YOGYAKARTA', consent: 'yes' }, { follow: false });
  expect(page.status).toBe(303);
  return { b, person, path: page.location as string };
}

describe('step 1: identity', () => {
  it('a NIK unknown to the population registry says what to do next, in Indonesian, on the NIK field', async () => {
    const b = portalClient(t);
    const person = makePerson(); // not added to the registry
    const page = await b.submit('/daftar', '/daftar', identityFields(person));
    expect(page.status).toBe(422);
    const text = textOf(page.html);
    expect(text).toContain('NIK tidak ditemukan di Dukcapil');
    expect(text).toContain('hubungi Disdukcapil');
    expect(page.html).toMatch(/<input id="nik"[^>]*aria-invalid="true"[^>]*aria-describedby="nik-hint nik-error"/);
    // What the person typed is kept, so they only correct the mistake.
    expect(page.html).toContain(`value="${person.email}"`);
  });

  it('lists every missing or malformed field at once, each linked to its input', async () => {
    const b = portalClient(t);
    const page = await b.submit('/daftar', '/daftar', { nik: '123', fullName: 'Budi', birthDate: '2099-01-01', phone: 'x', email: 'y', address: '' });
    expect(page.status).toBe(422);
    expect(page.html).toContain('href="#gender"');
    expect(page.html).toContain('href="#address"');
    // After the two form-level checks pass, the use case reports the first problem it finds (birth date in the future).
    const again = await b.submit('/daftar', '/daftar', { nik: '123', fullName: 'Budi', birthDate: '2099-01-01', gender: 'M', phone: 'x', email: 'y', address: 'Jl. A' });
    expect(again.status).toBe(422);
    expect(textOf(again.html)).toContain('Tanggal lahir tidak valid');
  });

  it('a form without its CSRF token is refused with 403 and nothing is stored', async () => {
    const b = portalClient(t);
    await b.get('/daftar');
    const person = makePerson();
    await addResident(t, person);
    const res = await b.post('/daftar', identityFields(person));
    expect(res.status).toBe(403);
    expect(textOf(res.html)).toContain('Formulir kedaluwarsa');
    const forged = await b.post('/daftar', { ...identityFields(person), _csrf: 'forged' });
    expect(forged.status).toBe(403);
    expect(b.cookies.has('lindung_draf')).toBe(false);
  });

  it('step 2 without a step-1 draft goes back to step 1; an expired draft asks to fill it in again', async () => {
    const b = portalClient(t);
    const page = await b.get('/daftar/pekerjaan');
    expect(page.status).toBe(303);
    expect(page.location).toBe('/daftar');
    const person = makePerson();
    await addResident(t, person);
    await b.submit('/daftar', '/daftar', identityFields(person));
    expect(b.cookies.has('lindung_draf')).toBe(true);
    t.clock.set(new Date(t.clock.now().getTime() + 61 * 60_000));
    try {
      const late = await b.submit('/daftar', '/daftar/pekerjaan', { occupationCode: 'PETANI', branchCode: 'YOGYAKARTA', consent: 'yes' });
      expect(late.status).toBe(422);
      expect(textOf(late.html)).toContain('sudah kedaluwarsa');
    } finally {
      t.clock.set(new Date(t.clock.now().getTime() - 61 * 60_000));
    }
  });
});

describe('step 2: job, branch, consent', () => {
  it('finds branch offices by city without JavaScript, and requires consent', async () => {
    const b = portalClient(t);
    const person = makePerson();
    await addResident(t, person);
    await b.submit('/daftar', '/daftar', identityFields(person));
    const search = await b.get('/daftar/pekerjaan?kota=bandung');
    const text = textOf(search.html);
    expect(text).toContain('2 kantor cabang untuk "bandung"');
    expect(search.html).toContain('value="BDG-SUCI"');
    expect(search.html).not.toContain('value="MEDAN-KOTA"');
    const none = await b.get('/daftar/pekerjaan?kota=atlantis');
    expect(textOf(none.html)).toContain('Tidak ada kantor cabang di "atlantis"');
    expect(none.html).toContain('value="MEDAN-KOTA"');
    const noConsent = await b.submit('/daftar/pekerjaan', '/daftar/pekerjaan', { occupationCode: 'PETANI', branchCode: 'BDG-SUCI' });
    expect(noConsent.status).toBe(422);
    expect(textOf(noConsent.html)).toContain('Anda perlu menyetujui');
    const noBranch = await b.submit('/daftar/pekerjaan', '/daftar/pekerjaan', { occupationCode: 'PETANI', branchCode: '', consent: 'yes' });
    expect(noBranch.status).toBe(422);
    expect(textOf(noBranch.html)).toContain('Kantor cabang tidak dikenal');
  });
});

describe('step 3: verification', () => {
  it('a wrong OTP five times shows the lock explained; the right code is refused until a new one is sent', async () => {
    const { b, person, path } = await startRegistration();
    const right = await latestData(t, person.phone, 'otp');
    const wrong = right === '000000' ? '111111' : '000000';
    for (let i = 0; i < 5; i++) {
      const page = await b.submit(path, `${path}/otp`, { code: wrong });
      expect(page.status).toBe(422);
      expect(textOf(page.html)).toContain('Kode OTP salah');
    }
    const locked = await b.submit(path, `${path}/otp`, { code: right });
    expect(locked.status).toBe(429);
    expect(textOf(locked.html)).toContain('Kode OTP dikunci karena 5 kali salah');
    // A resend within 60 s is refused with the reason; after a minute it works and the new code verifies.
    const tooSoon = await b.submit(path, `${path}/otp/kirim-ulang`, {});
    expect(tooSoon.status).toBe(429);
    expect(textOf(tooSoon.html)).toContain('sekali per 60 detik');
    t.clock.set(new Date(t.clock.now().getTime() + 61_000));
    const resent = await b.submit(path, `${path}/otp/kirim-ulang`, {});
    expect(textOf(resent.html)).toContain('Kode OTP baru sudah dikirim');
    const fresh = await latestData(t, person.phone, 'otp');
    const ok = await b.submit(path, `${path}/otp`, { code: fresh });
    expect(textOf(ok.html)).toContain('Nomor HP berhasil diverifikasi');
    expect(textOf(ok.html)).toContain('Buka email dari Lindung');
  });

  it('the email link resumes a half-finished registration in another browser, and the pasted code works too', async () => {
    const { b, person, path } = await startRegistration();
    await b.submit(path, `${path}/otp`, { code: await latestData(t, person.phone, 'otp') });
    const wrongPaste = await b.submit(path, `${path}/email`, { token: 'nope' });
    expect(wrongPaste.status).toBe(422);
    expect(textOf(wrongPaste.html)).toContain('Tautan verifikasi email tidak valid');
    // Later, on another phone: the link in the email continues at the next step.
    const other = portalClient(t);
    const token = await latestData(t, person.email, 'token');
    const resumed = await other.open(`${path}/verifikasi-email?token=${token}`);
    expect(resumed.status).toBe(200);
    expect(textOf(resumed.html)).toContain('Program dan iuran');
    // And the same link opened again still lands where the registration stands.
    expect(textOf((await other.open(`${path}/verifikasi-email?token=${token}`)).html)).toContain('Program dan iuran');
  });

  it('an unknown registration link offers a new registration', async () => {
    const page = await portalClient(t).get('/daftar/reg_doesnotexist');
    expect(page.status).toBe(404);
    expect(textOf(page.html)).toContain('Pendaftaran tidak ditemukan');
  });
});

describe('step 4: programs, income and the live quote', () => {
  async function verified() {
    const r = await startRegistration();
    await r.b.submit(r.path, `${r.path}/otp`, { code: await latestData(t, r.person.phone, 'otp') });
    await r.b.open(`${r.path}/verifikasi-email?token=${await latestData(t, r.person.email, 'token')}`);
    return r;
  }

  it('recalculates without issuing a bill, rejects an income below the minimum, then issues the code', async () => {
    const { b, path } = await verified();
    const quote = await b.submit(`${path}/program`, `${path}/program`, { income: 'Rp 2.200.000', months: '1', intent: 'quote' });
    expect(quote.status).toBe(200);
    // Petani (other sector), November 2026: JKK 1% of 2.200.000 = 22.000 and JKM 6.800, both halved by PP 50/2025.
    expect(textOf(quote.html)).toContain('Rp14.400');
    expect(textOf(quote.html)).toContain('Potongan 50% iuran JKK dan JKM berdasarkan PP 50/2025');
    expect(textOf(quote.html)).toContain('Rp42.000.000');
    const low = await b.submit(`${path}/program`, `${path}/program`, { income: '900.000', months: '1', intent: 'submit' });
    expect(low.status).toBe(422);
    expect(textOf(low.html)).toContain('minimal Rp1.000.000');
    const garbage = await b.submit(`${path}/program`, `${path}/program`, { income: 'dua juta', months: '1', intent: 'submit' });
    expect(garbage.status).toBe(422);
    expect(textOf(garbage.html)).toContain('Tulis penghasilan dalam angka');
    const issued = await b.submit(`${path}/program`, `${path}/program`, { income: '2.200.000', programs: 'JHT', months: '12', intent: 'submit' }, { follow: false });
    expect(issued.status).toBe(303);
    expect(issued.location).toMatch(/^\/bayar\/\d{16}$/);
    // The registration page now sends the person to their open payment code.
    const again = await b.get(path);
    expect(again.location).toBe(issued.location);
  });

  it('an expired payment code sends the person back to create a new one; paying completes the registration', async () => {
    const { b, path } = await verified();
    const issued = await b.submit(`${path}/program`, `${path}/program`, { income: '1.000.000', months: '1', intent: 'submit' }, { follow: false });
    const payPath = issued.location as string;
    t.clock.set(new Date(t.clock.now().getTime() + 25 * 3_600_000));
    const expired = await b.get(payPath);
    expect(expired.status).toBe(409);
    expect(textOf(expired.html)).toContain('Kode bayar kedaluwarsa');
    expect(expired.html).toContain(`href="${path}/program?kedaluwarsa=1"`);
    const back = await b.open(path);
    expect(textOf(back.html)).toContain('Kode bayar sebelumnya sudah kedaluwarsa');
    const renewed = await b.submit(`${path}/program?kedaluwarsa=1`, `${path}/program`, { income: '1.000.000', months: '1', intent: 'submit' }, { follow: false });
    expect(renewed.location).not.toBe(payPath);
    const paid = await b.submit(renewed.location as string, `${renewed.location}/simulasi`, { channel: 'va' });
    expect(textOf(paid.html)).toContain('Kepesertaan Anda sudah aktif');
    const done = await b.open(path);
    expect(textOf(done.html)).toContain('Pendaftaran selesai');
  });
});

describe('language', () => {
  it('?lang=en switches to English for this browser and keeps the address', async () => {
    const b = portalClient(t);
    const switched = await b.get('/daftar?lang=en');
    expect(switched.status).toBe(303);
    expect(switched.location).toBe('/daftar');
    const page = await b.get('/daftar');
    expect(page.html).toContain('<html lang="en">');
    expect(textOf(page.html)).toContain('Your details as on your ID card');
    const person = makePerson();
    const err = await b.submit('/daftar', '/daftar', identityFields(person));
    expect(textOf(err.html)).toContain('NIK not found in the population registry');
    await b.get('/?lang=id');
    expect((await b.get('/daftar')).html).toContain('<html lang="id">');
  });

  it('a browser asking for English only gets English; Indonesian stays the default', async () => {
    expect((await portalClient(t, { acceptLanguage: 'en-US,en;q=0.9' }).get('/')).html).toContain('<html lang="en">');
    expect((await portalClient(t, { acceptLanguage: 'id-ID,id;q=0.9,en;q=0.8' }).get('/')).html).toContain('<html lang="id">');
    expect((await portalClient(t).get('/')).html).toContain('<html lang="id">');
  });
});
