import { gzipSync } from 'node:zlib';
import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { claimsStaff, type ClaimsStaff } from '../support/claims.js';
import { activeMember, latestData } from '../support/factories.js';
import { csrfOf, portalClient, textOf } from '../support/portal-client.js';
import { createTestApp, type TestApp } from '../support/test-app.js';

/**
 * The member's claim pages (/akun/klaim…) through the real app: the list and the account page's link, the JHT checks
 * with every failed condition in plain words (the waiting period after stopping work; above the self-service cap:
 * go to a branch, not a bare refusal), filing (Post/Redirect/Get, errors surviving the redirect), the claim page's
 * timeline, lines and documents (multipart upload), a returned claim resubmitted, and JKK reports (not covered at
 * the time: refused with the answers kept; late: accepted with a kind note). The test clock: Sunday 22 November 2026.
 */
let t: TestApp;
let staff: ClaimsStaff;
beforeAll(async () => {
  t = await createTestApp();
  staff = await claimsStaff(t);
});
afterAll(async () => t.close());

type Client = ReturnType<typeof portalClient>;
const BANK = { bankCode: 'bca', accountNumber: '1234 567 890', accountName: 'Budi Santoso', confirm: 'yes' };
const PNG = Buffer.concat([Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]), Buffer.from('\x00\x00\x00\x0dIHDR a ktp photo')]);

async function signedIn(): Promise<{ client: Client; kpj: string }> {
  const member = await activeMember(t, { programs: ['JKK', 'JKM', 'JHT'], declaredIncome: 1_000_000, months: 1 });
  t.clock.advance(61_000);
  const client = portalClient(t);
  await client.submit('/masuk', '/masuk', { phone: member.person.phone }, { follow: false });
  const done = await client.submit('/masuk/kode', '/masuk/kode', { code: await latestData(t, member.person.phone, 'otp') }, { follow: false });
  expect(done.location).toBe('/akun');
  return { client, kpj: member.kpj };
}

const JHT_OK = '/akun/klaim/jht?alasan=stopped_working&tanggal=2026-09-01';

async function fileJht(client: Client): Promise<string> {
  const res = await client.submit(JHT_OK, '/akun/klaim/jht', { alasan: 'stopped_working', tanggal: '2026-09-01', ...BANK }, { follow: false });
  expect(res.status).toBe(303);
  const id = /^\/akun\/klaim\/(clm[^?]+)\?diajukan=1$/.exec(res.location ?? '')?.[1];
  expect(id, res.location ?? '').toBeTruthy();
  return id as string;
}

async function uploadDocument(client: Client, claimId: string, kind: string, bytes: Uint8Array) {
  const page = await client.get(`/akun/klaim/${claimId}`);
  const form = new FormData();
  form.set('_csrf', csrfOf(page.html));
  form.set('kind', kind);
  form.set('file', new Blob([new Uint8Array(bytes)], { type: 'image/png' }), 'ktp.png');
  const cookie = [...client.cookies].map(([k, v]) => `${k}=${v}`).join('; ');
  const res = await t.app.request(`/akun/klaim/${claimId}/dokumen`, { method: 'POST', body: form, headers: { cookie, accept: 'text/html' }, redirect: 'manual' });
  for (const line of res.headers.getSetCookie()) {
    const [pair = ''] = line.split(';');
    const eq = pair.indexOf('=');
    client.cookies.set(pair.slice(0, eq), pair.slice(eq + 1));
  }
  return { status: res.status, location: res.headers.get('location') };
}

describe('/akun/klaim — the list', () => {
  it('signed out: back to sign-in', async () => {
    for (const path of ['/akun/klaim', '/akun/klaim/jht', '/akun/klaim/jkk', '/akun/klaim/clm_x']) {
      const res = await portalClient(t).get(path);
      expect([path, res.status, res.location]).toEqual([path, 303, '/masuk']);
    }
  });

  it('empty at first, with the ways to file; the account page links to it', async () => {
    const { client } = await signedIn();
    expect((await client.get('/akun')).html).toContain('href="/akun/klaim"');
    const page = await client.get('/akun/klaim');
    expect(page.status).toBe(200);
    const text = textOf(page.html);
    expect(text).toContain('Anda belum pernah mengajukan klaim.');
    expect(page.html).toContain('href="/akun/klaim/jht"');
    expect(page.html).toContain('href="/akun/klaim/jkk"');
    expect(gzipSync(page.html).length).toBeLessThan(50 * 1024);
  });
});

describe('/akun/klaim/jht — the checks and the refusals', () => {
  it('stopped working 10 days ago: the waiting period, with the day to file from; no form to confirm', async () => {
    const { client } = await signedIn();
    const page = await client.get('/akun/klaim/jht?alasan=stopped_working&tanggal=2026-11-12');
    const text = textOf(page.html);
    expect(text).toContain('Tidak ada klaim JHT lain yang sedang diproses — ✓ Terpenuhi');
    expect(text).toContain('Syarat alasan klaim terpenuhi — ✗ Belum terpenuhi');
    expect(text).toContain('baru bisa diajukan 1 bulan setelah berhenti, yaitu mulai Sabtu, 12 Desember 2026');
    expect(text).toContain('Yang perlu dilakukan: Ajukan lagi mulai tanggal Sabtu, 12 Desember 2026.');
    expect(page.html).not.toContain('name="accountNumber"');
  });

  it('every failed condition at once (a partial claim before 10 years, age 56 too young)', async () => {
    const { client } = await signedIn();
    const text = textOf((await client.get('/akun/klaim/jht?alasan=partial_30')).html);
    expect(text).toContain('setelah 10 tahun kepesertaan');
    const age = textOf((await client.get('/akun/klaim/jht?alasan=age_56')).html);
    expect(age).toContain('usia 56 tahun');
  });

  it('above the self-service cap: explains going to a branch, not a bare refusal', async () => {
    const { client, kpj } = await signedIn();
    await sql`insert into ledger_transfer (id, debit_account, credit_account, amount, code, ref, created_at)
      values (${`test-jht:${kpj}`}, 'clearing:va', ${`jht:${kpj}`}, 15000000, 'contribution_jht', 'test', now())`.execute(t.db);
    const page = await client.get(JHT_OK);
    const text = textOf(page.html);
    expect(text).toContain('Saldo JHT tersedia dan bisa diklaim lewat portal — ✗ Belum terpenuhi');
    expect(text).toContain('Klaim ini diajukan di kantor cabang');
    expect(text).toContain('Ini bukan penolakan: datang ke kantor cabang');
    expect(page.html).not.toContain('name="accountNumber"');
    const en = textOf((await client.open(`${JHT_OK}&lang=en`)).html);
    expect(en).toContain('This claim is filed at a branch');
  });
});

describe('/akun/klaim/jht — filing, the claim page, documents, returned and resubmitted', () => {
  it('all checks pass: the amount; a wrong bank form keeps its answers and errors; then filed, with the timeline and documents', async () => {
    const { client } = await signedIn();
    const page = await client.get(JHT_OK);
    const text = textOf(page.html);
    expect(text).toContain('Semua syarat terpenuhi.');
    expect(text).toContain('Saldo JHT Rp20.000');
    expect(page.html).toContain('value="Budi Santoso"');

    const wrong = await client.submit(JHT_OK, '/akun/klaim/jht', { alasan: 'stopped_working', tanggal: '2026-09-01', ...BANK, accountNumber: '12ab', confirm: '' }, { follow: false });
    expect(wrong.location).toBe(`${JHT_OK}#rekening`);
    const again = textOf((await client.get(JHT_OK)).html);
    expect(again).toContain('Nomor rekening berisi 6–20 angka.');
    expect(again).toContain('Centang pernyataan');
    expect((await client.get(JHT_OK)).html).not.toContain('Nomor rekening berisi 6–20 angka.');

    const id = await fileJht(client);
    const detail = await client.get(`/akun/klaim/${id}?diajukan=1`);
    const d = textOf(detail.html);
    expect(d).toContain('Klaim Anda sudah diajukan.');
    expect(d).toContain('Diajukan, menunggu diperiksa petugas');
    expect(d).toContain('Berhenti bekerja atau berhenti usaha');
    expect(d).toMatch(/Perjalanan klaim Diajukan, menunggu diperiksa petugas — 22 November 2026 pukul \d\d\.\d\d WIB, oleh Anda/);
    expect(d).toContain('Jumlahnya muncul setelah petugas memeriksa klaim.');
    expect(d).toContain('Dokumen yang masih diperlukan');
    expect(d).toContain('KTP elektronik peserta');
    expect(detail.html).toContain('enctype="multipart/form-data"');

    const list = textOf((await client.get('/akun/klaim')).html);
    expect(list).toContain('Diajukan, menunggu diperiksa petugas');

    const up = await uploadDocument(client, id, 'ktp', PNG);
    expect([up.status, up.location]).toEqual([303, `/akun/klaim/${id}?diunggah=1#dokumen`]);
    const withDoc = textOf((await client.get(`/akun/klaim/${id}?diunggah=1`)).html);
    expect(withDoc).toContain('Dokumen diunggah.');
    expect(withDoc).toContain('KTP elektronik peserta — ktp.png');

    const bad = await uploadDocument(client, id, 'ktp', Buffer.from('not a picture'));
    expect(bad.location).toBe(`/akun/klaim/${id}#dokumen`);
    const refused = await client.get(`/akun/klaim/${id}`);
    expect(refused.html).toContain('id="file-error"');
    expect(textOf(refused.html)).toMatch(/JPG, PNG|PDF/);

    // An officer returns it for a missing document; the member sees the reason and files it again.
    const returned = await t.post(`/api/v1/staff/claims/${id}/return`, { reason: 'Foto buku tabungan belum ada.' }, staff.verifier);
    expect(returned.status, JSON.stringify(returned.body)).toBe(200);
    const back = textOf((await client.get(`/akun/klaim/${id}`)).html);
    expect(back).toContain('Klaim dikembalikan kepada Anda');
    expect(back).toContain('Alasan petugas: Foto buku tabungan belum ada.');
    const resubmit = await client.submit(`/akun/klaim/${id}`, `/akun/klaim/${id}/ajukan-ulang`, {}, { follow: false });
    expect(resubmit.location).toBe(`/akun/klaim/${id}?diajukan-ulang=1`);
    const after = textOf((await client.get(resubmit.location as string)).html);
    expect(after).toContain('Klaim Anda sudah diajukan kembali.');
    expect(after).toMatch(/Dikembalikan: perlu Anda lengkapi — [^,]+, oleh petugas\. Foto buku tabungan belum ada\./);
  });

  it('another member’s claim is the not-found page', async () => {
    const a = await signedIn();
    const id = await fileJht(a.client);
    const b = await signedIn();
    expect((await b.client.get(`/akun/klaim/${id}`)).status).toBe(404);
  });
});

describe('/akun/klaim/jkk — accident reports', () => {
  it('not covered at the time: refused with every reason, the answers kept', async () => {
    const { client } = await signedIn();
    const res = await client.submit('/akun/klaim/jkk', '/akun/klaim/jkk', { eventDate: '2026-01-05', eventTime: '08:00', place: 'Pasar Bekasi', description: 'Terjatuh dari motor.', ...BANK }, { follow: false });
    expect(res.location).toBe('/akun/klaim/jkk');
    const page = await client.get('/akun/klaim/jkk');
    const text = textOf(page.html);
    expect(text).toContain('Klaim belum bisa diajukan');
    expect(text).toContain('tidak terlindungi program JKK');
    expect(page.html).toContain('value="Pasar Bekasi"');
  });

  it('a late report is accepted and noted kindly; a missing field is named', async () => {
    const member = await activeMember(t, { programs: ['JKK', 'JKM', 'JHT'], declaredIncome: 1_000_000, months: 1 });
    t.clock.advance(120_000);
    const wib = new Date(t.clock.now().getTime() + 7 * 3_600_000).toISOString();
    const event = { eventDate: wib.slice(0, 10), eventTime: wib.slice(11, 16).replace(':', '.') };
    t.clock.advance(3 * 86_400_000);
    const client = portalClient(t);
    await client.submit('/masuk', '/masuk', { phone: member.person.phone }, { follow: false });
    await client.submit('/masuk/kode', '/masuk/kode', { code: await latestData(t, member.person.phone, 'otp') }, { follow: false });
    const missing = await client.submit('/akun/klaim/jkk', '/akun/klaim/jkk', { ...event, eventTime: '', place: '', description: 'x', ...BANK });
    expect(textOf(missing.html)).toContain('Isi jam kejadian');
    const res = await client.submit('/akun/klaim/jkk', '/akun/klaim/jkk', { ...event, place: 'Jl. Ahmad Yani, Bekasi', description: 'Terjatuh dari motor saat mengantar penumpang.', ...BANK }, { follow: false });
    expect(res.location).toMatch(/^\/akun\/klaim\/clm.+\?diajukan=1$/);
    const text = textOf((await client.get(res.location as string)).html);
    expect(text).toContain('Klaim JKK (kecelakaan kerja)');
    expect(text).toContain('lebih dari 2×24 jam setelah kejadian. Tidak apa-apa');
  });
});

describe("the document upload form's body limit", () => {
  it("6 MB + 64 KiB instead of the portal's 32 KiB: a 7 MB body is the 413 page, a 100 KiB one is read", async () => {
    const { client } = await signedIn();
    const cookie = [...client.cookies].map(([k, v]) => `${k}=${v}`).join('; ');
    const post = (size: number) =>
      t.app.request('/akun/klaim/clm_x/dokumen', { method: 'POST', body: new Uint8Array(size), headers: { cookie, accept: 'text/html', 'content-type': 'application/octet-stream', 'content-length': String(size) }, redirect: 'manual' });
    expect((await post(7 * 1024 * 1024)).status).toBe(413);
    expect((await post(100 * 1024)).status).not.toBe(413);
    expect((await client.submit('/akun/klaim/jkk', '/akun/klaim/jkk', { description: 'x'.repeat(40 * 1024) }, { follow: false })).status).toBe(413);
  });
});
