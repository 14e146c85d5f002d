import { execFileSync } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { createRequire } from 'node:module';
import { join } from 'node:path';
import jsqrModule from 'jsqr';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { activeMember, latestData, makePerson, registerVerified } from '../support/factories.js';
import { csrfOf, portalClient, textOf } from '../support/portal-client.js';
import { createTestApp, type TestApp } from '../support/test-app.js';

// jsqr's decoder is its `default` property under NodeNext; pngjs ships no typings (as in card-qr.test.ts).
const jsQR = jsqrModule.default;
const { PNG } = createRequire(import.meta.url)('pngjs') as { PNG: { sync: { read(png: Buffer): { width: number; height: number; data: Buffer } } } };

/** Issue 18 items 1, 7, 8, 10 at request level: one code per step-4 submission, Post/Redirect/Get, money, receipts. */

let t: TestApp;
beforeAll(async () => {
  t = await createTestApp();
});
afterAll(async () => {
  await t.close();
});

async function paymentCodeMails(to: string): Promise<{ body: string; data: Record<string, string> }[]> {
  const res = await t.get(`/dev/outbox?to=${encodeURIComponent(to)}`);
  return (res.body.messages as { body: string; data: Record<string, string> }[]).filter((m) => m.data['paymentCode']);
}

async function stepFour() {
  const person = makePerson();
  const id = await registerVerified(t, person);
  const b = portalClient(t);
  const path = `/daftar/${id}/program`;
  const form = async () => {
    const page = await b.get(path);
    const token = /name="token" value="([^"]+)"/.exec(page.html)?.[1];
    expect(token).toMatch(/^[A-Za-z0-9_-]{16,64}$/);
    return { csrf: csrfOf(page.html), token: token as string };
  };
  return { person, b, path, form };
}

describe('step 4 without JavaScript: one payment code per submission (issue 18 item 10)', () => {
  it('three quick submits of one form make one code and one email', async () => {
    const { person, b, path, form } = await stepFour();
    const { csrf, token } = await form();
    const fields = { _csrf: csrf, token, income: '2.000.000', programs: 'JHT', months: '3', intent: 'submit' };
    const answers = await Promise.all([b.post(path, fields), b.post(path, fields), b.post(path, fields)]);
    expect(answers.map((a) => a.status)).toEqual([303, 303, 303]);
    const codes = new Set(answers.map((a) => a.location));
    expect(codes.size).toBe(1);
    expect([...codes][0]).toMatch(/^\/bayar\/\d{16}$/);
    const mails = await paymentCodeMails(person.email);
    expect(mails).toHaveLength(1);
    expect(mails[0]?.body).not.toContain('menggantikan');
    // The one code is payable: the pay page shows it open.
    const pay = await b.get([...codes][0] as string);
    expect(pay.status).toBe(200);
  });

  it('a new submission that replaces an unpaid code says so in its email', async () => {
    const { person, b, path, form } = await stepFour();
    const first = await form();
    const one = await b.post(path, { _csrf: first.csrf, token: first.token, income: '2.000.000', months: '1', intent: 'submit' });
    const second = await form();
    expect(second.token).not.toBe(first.token);
    const two = await b.post(path, { _csrf: second.csrf, token: second.token, income: '2.000.000', months: '3', intent: 'submit' });
    expect(two.location).not.toBe(one.location);
    const oldCode = (one.location as string).slice('/bayar/'.length);
    const mails = await paymentCodeMails(person.email);
    expect(mails).toHaveLength(2);
    const newest = mails.find((m) => m.data['paymentCode'] === (two.location as string).slice('/bayar/'.length));
    expect(newest?.body).toContain(`Kode bayar ini menggantikan kode ${oldCode} yang tidak berlaku lagi.`);
    expect((await b.get(one.location as string)).status).toBe(409); // the old code: cancelled
  });

  it('recalculating and a wrong income answer with a redirect (Post/Redirect/Get); the page keeps the choice', async () => {
    const { b, path, form } = await stepFour();
    const { csrf, token } = await form();
    const recalc = await b.post(path, { _csrf: csrf, token, income: '2.000.000', programs: 'JHT', months: '3', intent: 'quote' });
    expect(recalc.status).toBe(303);
    expect(recalc.location).toBe(`${path}?penghasilan=2.000.000&program=JKK&program=JKM&program=JHT&bulan=3`);
    const shown = await b.get(recalc.location as string);
    expect(shown.status).toBe(200);
    expect(shown.html).toMatch(/<input[^>]*value="JHT"[^>]*checked|<input[^>]*checked[^>]*value="JHT"/);
    expect(textOf(shown.html)).toMatch(/\d bulan × Rp[\d.]+( \+ \d bulan × Rp[\d.]+)* = Rp[\d.]+/);
    const wrong = await b.post(path, { _csrf: csrf, token, income: 'dua juta', months: '1', intent: 'submit' });
    expect(wrong.status).toBe(303);
    const page = await b.get(wrong.location as string);
    expect(page.status).toBe(422);
    expect(textOf(page.html)).toContain('Tulis penghasilan dalam angka');
    expect(page.html).toContain('value="dua juta"');
  });
});

/** A portal client signed in as the member with this phone (the login pages, the code from the outbox). */
async function signedIn(phone: string) {
  t.clock.advance(61_000); // past the OTP cooldown of the member's API sign-in
  const b = portalClient(t);
  await b.submit('/masuk', '/masuk', { phone }, { follow: false });
  const done = await b.submit('/masuk/kode', '/masuk/kode', { code: await latestData(t, phone, 'otp') }, { follow: false });
  expect(done.location).toBe('/akun');
  return b;
}

async function fetchBytes(path: string, cookie: string) {
  const res = await t.app.request(path, { headers: { cookie } });
  return { status: res.status, headers: res.headers, bytes: Buffer.from(await res.arrayBuffer()) };
}

const cookieOf = (b: ReturnType<typeof portalClient>) => [...b.cookies].map(([k, v]) => `${k}=${v}`).join('; ');

describe('receipts (issue 18 item 7)', () => {
  it("every paid bill has a receipt PDF in the history; only the member's own (404 for another's, sign-in when signed out)", async () => {
    const member = await activeMember(t, { months: 3, declaredIncome: 2_000_000, programs: ['JKK', 'JKM', 'JHT'] });
    const other = await activeMember(t);
    const b = await signedIn(member.person.phone);
    const account = await b.get('/akun');
    const link = /href="(\/akun\/bukti-bayar\/[^"]+\.pdf)"/.exec(account.html)?.[1];
    expect(link).toBeDefined();
    const pdf = await fetchBytes(link as string, cookieOf(b));
    expect(pdf.status).toBe(200);
    expect(pdf.headers.get('content-type')).toBe('application/pdf');
    expect(pdf.headers.get('content-disposition')).toBe(`attachment; filename="bukti-bayar-${member.bill.paymentCode}.pdf"`);
    const file = join(mkdtempSync(join(tmpdir(), 'bukti-')), 'bukti.pdf');
    writeFileSync(file, pdf.bytes);
    const text = execFileSync('pdftotext', ['-layout', file, '-'], { encoding: 'utf8' }).replace(/\s+/g, ' ');
    expect(text).toContain('BUKTI BAYAR IURAN');
    expect(text).toContain(member.kpj.replace(/(.{4})(?=.)/g, '$1 '));
    expect(text).toContain(`Jumlah dibayar ${'Rp' + member.bill.amount.toLocaleString('id-ID')}`);
    expect(text).toMatch(/Untuk iuran \w+ 20\d\d – \w+ 20\d\d \(3 bulan\)/);
    expect(text).toContain('Cara bayar Transfer virtual account');
    expect(text).toMatch(/Waktu bayar (Minggu|Senin|Selasa|Rabu|Kamis|Jumat|Sabtu), \d{1,2} \w+ 20\d\d pukul \d{2}\.\d{2} WIB/);
    expect(text).toContain(`Kode bayar ${member.bill.paymentCode.replace(/(\d{4})(?=\d)/g, '$1 ')}`);
    expect(text).toMatch(/No\. referensi \S+/);
    // Another member's bill: 404, as for an unknown one; signed out: the sign-in page.
    const theirs = await signedIn(other.person.phone);
    expect((await theirs.get(link as string)).status).toBe(404);
    expect((await theirs.get('/akun/bukti-bayar/bil_unknown.pdf')).status).toBe(404);
    const out = await portalClient(t).get(link as string);
    expect(out.status).toBe(303);
    expect(out.location).toBe('/masuk');
  });
});

describe('paying on the same phone (issue 18 item 8)', () => {
  it('Simpan QRIS is a PNG attachment that scans back to the QRIS of the bill; the code is large and copyable', async () => {
    const { b, path, form } = await stepFour();
    const { csrf, token } = await form();
    const issued = await b.post(path, { _csrf: csrf, token, income: '2.000.000', months: '1', intent: 'submit' });
    const payPath = issued.location as string;
    const page = await b.get(payPath);
    const code = payPath.slice('/bayar/'.length);
    expect(page.html).toContain(`data-copy="${code}"`);
    expect(page.html).toContain(`href="${payPath}/qris.png"`);
    const png = await fetchBytes(`${payPath}/qris.png`, cookieOf(b));
    expect(png.status).toBe(200);
    expect(png.headers.get('content-type')).toBe('image/png');
    expect(png.headers.get('content-disposition')).toBe(`attachment; filename="qris-${code}.png"`);
    const image = PNG.sync.read(png.bytes);
    const scanned = jsQR(new Uint8ClampedArray(image.data), image.width, image.height);
    expect(scanned?.data).toMatch(/^000201/); // an EMVCo QRIS payload
    expect(scanned?.data).toContain(code);
    expect((await b.get('/bayar/1234567890123456/qris.png')).status).toBe(404);
  });
});
