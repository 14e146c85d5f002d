import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { addResident, makePerson } from '../support/factories.js';
import { portalClient, textOf } from '../support/portal-client.js';
import { createTestApp, type TestApp } from '../support/test-app.js';

/** Issue 18 items 2, 5, 6, 9, 12 through the real app (the browser test test/browser/forms.test.ts shows them in Chromium). */
let t: TestApp;
beforeAll(async () => {
  t = await createTestApp();
});
afterAll(async () => {
  await t.close();
});

describe('registration forms', () => {
  it('accepts a NIK typed with dots and a birth date in three fields or dd-mm-yyyy; a refusal is a 303 (Post/Redirect/Get)', async () => {
    const person = makePerson();
    await addResident(t, person);
    const [y, m, d] = person.birthDate.split('-') as [string, string, string];
    const dotted = person.nik.replace(/(\d{4})(?=\d)/g, '$1.');
    const base = { fullName: person.fullName, gender: person.gender, phone: person.phone, email: person.email, address: person.address };
    const b = portalClient(t);
    const refused = await b.submit('/daftar', '/daftar', { ...base, nik: dotted, birthDateDay: '', birthDateMonth: '', birthDateYear: '' }, { follow: false });
    expect(refused.status).toBe(303);
    expect(refused.location).toBe('/daftar');
    expect(refused.html).toBe('');
    const shown = await b.open('/daftar');
    expect(shown.status).toBe(422);
    expect(textOf(shown.html)).toContain('Tanggal lahir wajib diisi.');
    expect(shown.html).toContain(`value="${person.nik}"`);
    expect(shown.html).not.toContain(dotted);
    // Read once: a reload is the form again without the errors.
    expect((await b.open('/daftar')).status).toBe(200);

    const typed = await b.submit('/daftar', '/daftar', { ...base, nik: dotted, birthDateDay: `${d}-${m}-${y}`, birthDateMonth: '', birthDateYear: '' }, { follow: false });
    expect(typed.location).toBe('/daftar/pekerjaan');
    const spaced = portalClient(t);
    const three = await spaced.submit('/daftar', '/daftar', { ...base, nik: person.nik.replace(/(\d{4})(?=\d)/g, '$1 '), birthDateDay: String(Number(d)), birthDateMonth: String(Number(m)), birthDateYear: y }, { follow: false });
    expect(three.location).toBe('/daftar/pekerjaan');
  });

  it('the branch search keeps the other answers and finds the branch serving Depok; the simulator carries its choices', async () => {
    const person = makePerson({ address: 'Jl. Margonda Raya 10, Depok' });
    await addResident(t, person);
    const b = portalClient(t);
    const { nik, fullName, birthDate, gender, phone, email, address } = person;
    const from = await b.open('/daftar?occupation=OJOL&income=3.000.000&programs=JHT&months=3');
    expect(textOf(from.html)).toContain('Pilihan dari simulasi');
    expect((await b.submit('/daftar', '/daftar', { nik, fullName, birthDate, gender, phone, email, address }, { follow: false })).location).toBe('/daftar/pekerjaan');
    const step2 = await b.open('/daftar/pekerjaan');
    expect(step2.html).toMatch(/<option value="OJOL" selected/);
    expect(step2.html).toMatch(/<optgroup label="Terdekat dari alamat Anda"><option value="BOGOR"/);
    const search = await b.submit('/daftar/pekerjaan', '/daftar/pekerjaan', { occupationCode: 'OJOL', consent: 'yes', kota: 'Depok', aksi: 'cari' }, { follow: false });
    expect(search.location).toBe('/daftar/pekerjaan?kota=Depok');
    const found = await b.open(search.location as string);
    expect(textOf(found.html)).toContain('kantor cabang untuk "Depok"');
    expect(found.html).toContain('value="BOGOR"');
    expect(found.html).not.toContain('value="BANDA-ACEH"');
    expect(found.html).toMatch(/<option value="OJOL" selected/);
    expect(found.html).toMatch(/name="consent" value="yes" checked/);
    const created = await b.submit('/daftar/pekerjaan?kota=Depok', '/daftar/pekerjaan', { occupationCode: 'OJOL', branchCode: 'BOGOR', consent: 'yes', aksi: 'kirim' }, { follow: false });
    expect(created.location).toMatch(/^\/daftar\/reg_/);
    const sim = await b.open('/simulasi?income=3.000.000&occupation=OJOL&programs=JHT&months=3');
    expect(sim.html).toContain('href="/daftar?occupation=OJOL&amp;income=3.000.000&amp;programs=JKK&amp;programs=JKM&amp;programs=JHT&amp;months=3"');
  });
});
