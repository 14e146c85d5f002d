import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { maskName } from '../../src/modules/contributions/bills.js';
import { formatKpj } from '../../src/modules/cards/card-pdf.js';
import { rupiah } from '../../src/web/i18n/format.js';
import { prefersHtml } from '../../src/web/pages/card-verify.js';
import { accessibleQrSvg } from '../../src/web/components/qr.js';
import { latestData, makePerson, payBill, registerVerified, type Person } from '../support/factories.js';
import { portalClient, refusedCode, textOf } from '../support/portal-client.js';
import { createTestApp, type TestApp } from '../support/test-app.js';
import { nikHashOf } from '../support/nik.js';


/**
 * The member area of the web portal (issue 3, item 4) through the real app: sign-in by phone OTP, the account page,
 * paying the next months, the payment history, the digital card (HTML, QR, PDF), sign-out, and the public card
 * verification page the card's QR code opens. Members are made through the API (register, verify, submit, pay) and
 * are NOT signed in by the API, so the pages' own sign-in sends the first login code.
 */

type Client = ReturnType<typeof portalClient>;

interface Member {
  person: Person;
  kpj: string;
  participantId: string;
  firstBill: { paymentCode: string; amount: number };
}

async function newMember(t: TestApp): Promise<Member> {
  const person = makePerson();
  const registrationId = await registerVerified(t, person);
  const submit = await t.post(`/api/v1/registrations/${registrationId}/submit`, { programs: ['JKK', 'JKM'], declaredIncome: 1_000_000, months: 1 });
  expect(submit.status, JSON.stringify(submit.body)).toBe(201);
  const firstBill = submit.body.bill as { paymentCode: string; amount: number };
  expect((await payBill(t, firstBill)).body).toEqual({ status: 'applied' });
  const row = await t.db.selectFrom('participant').select(['id', 'kpj']).where('nik_hash', '=', nikHashOf(person.nik)).executeTakeFirstOrThrow();
  return { person, kpj: row.kpj, participantId: row.id, firstBill };
}

/** Signs in through the pages: phone form → code from the SMS → /akun. */
async function signIn(t: TestApp, client: Client, phone: string): Promise<void> {
  const sent = await client.submit('/masuk', '/masuk', { phone }, { follow: false });
  expect(sent.status).toBe(303);
  expect(sent.location).toBe('/masuk/kode');
  const code = await latestData(t, phone, 'otp');
  const done = await client.submit('/masuk/kode', '/masuk/kode', { code }, { follow: false });
  expect(done.status, textOf(done.html)).toBe(303);
  expect(done.location).toBe('/akun');
}

function noInlineStyle(html: string) {
  expect(html).not.toMatch(/\sstyle=/);
}

describe('member area', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await createTestApp();
  });
  afterAll(async () => t.close());

  describe('sign-in by phone OTP', () => {
    it('shows the phone form, then the code form with the masked phone, resend and change-number', async () => {
      const member = await newMember(t);
      const client = portalClient(t);
      const form = await client.get('/masuk');
      expect(form.status).toBe(200);
      expect(form.html).toContain('name="_csrf"');
      // Issue 18: one field for a phone or an e-mail ("Nomor HP atau email"), so a text keyboard, not a phone pad.
      expect(form.html).toMatch(/<input[^>]*inputmode="text"[^>]*autocomplete="username"|<input[^>]*autocomplete="username"[^>]*inputmode="text"/);
      expect(textOf(form.html)).toContain('Masuk ke akun Anda');

      const sent = await client.submit('/masuk', '/masuk', { phone: member.person.phone }, { follow: false });
      expect(sent.status).toBe(303);
      expect(sent.location).toBe('/masuk/kode');
      const login = client.cookies.get('lindung_masuk');
      expect(login).toBeDefined();
      expect(login).not.toContain(member.person.phone.slice(4)); // sealed, not readable
      const setCookie = sent.headers.getSetCookie().find((l) => l.startsWith('lindung_masuk='))!;
      expect(setCookie).toMatch(/HttpOnly/i);
      expect(setCookie).toMatch(/SameSite=Lax/i);

      const page = await client.get('/masuk/kode');
      expect(page.status).toBe(200);
      const text = textOf(page.html);
      expect(text).toContain(`${member.person.phone.slice(0, 4)}••••`);
      expect(text).not.toContain(member.person.phone);
      expect(page.html).toContain('inputmode="numeric"');
      expect(page.html).toContain('autocomplete="one-time-code"');
      expect(page.html).toContain('action="/masuk/kirim-ulang"');
      expect(text).toContain('60 detik');
      expect(page.html).toContain('href="/masuk"');

      const code = await latestData(t, member.person.phone, 'otp');
      const done = await client.submit('/masuk/kode', '/masuk/kode', { code }, { follow: false });
      expect(done.status).toBe(303);
      expect(done.location).toBe('/akun');
      const session = done.headers.getSetCookie().find((l) => l.startsWith('lindung_sesi='))!;
      expect(session).toMatch(/HttpOnly/i);
      expect(session).toMatch(/SameSite=Lax/i);
      expect(session).toMatch(/Max-Age=\d+/i);
      expect(client.cookies.has('lindung_masuk')).toBe(false);
      // Signed in: the phone form sends the member to the account.
      expect((await client.get('/masuk')).location).toBe('/akun');
    });

    it('answers an unregistered phone exactly like a registered one (no account enumeration)', async () => {
      const member = await newMember(t);
      const stranger = makePerson();
      const a = portalClient(t);
      const b = portalClient(t);
      const ra = await a.submit('/masuk', '/masuk', { phone: member.person.phone }, { follow: false });
      const rb = await b.submit('/masuk', '/masuk', { phone: stranger.phone }, { follow: false });
      expect([ra.status, ra.location]).toEqual([rb.status, rb.location]);
      const pa = textOf((await a.get('/masuk/kode')).html).replace(/0812\S*/g, 'PHONE');
      const pb = textOf((await b.get('/masuk/kode')).html).replace(/0812\S*/g, 'PHONE');
      expect(pa).toBe(pb);
    });

    it('gives the invalid_phone field error for something that is not a phone number', async () => {
      const client = portalClient(t);
      // Post/Redirect/Get (issue 18 item 2): the refusal is a 303 to the page, which shows it with its status.
      const posted = await client.submit('/masuk', '/masuk', { phone: 'bukan nomor' }, { follow: false });
      expect([posted.status, posted.location]).toEqual([303, '/masuk']);
      const res = await client.open('/masuk');
      expect(res.status).toBe(422);
      expect(res.html).toContain('value="bukan nomor"');
      expect(textOf(res.html)).toContain('Nomor HP tidak valid');
      expect(res.html).toContain('role="alert"');
      expect(res.html).toContain('aria-invalid="true"');
    });

    it('refuses a wrong code with 422, locks after 5 wrong codes (429, explained), refuses the right code, and a new code after the cooldown works', async () => {
      const member = await newMember(t);
      const client = portalClient(t);
      await client.submit('/masuk', '/masuk', { phone: member.person.phone }, { follow: false });
      const code = await latestData(t, member.person.phone, 'otp');
      const wrong = code === '000000' ? '111111' : '000000';

      for (let i = 1; i <= 4; i++) {
        const res = await refusedCode(client, '/masuk/kode', { code: wrong });
        expect(res.status).toBe(422);
        const text = textOf(res.html);
        expect(text).toContain('Kode OTP salah');
        expect(text).toContain(`${5 - i} kali lagi`);
      }
      const fifth = await refusedCode(client, '/masuk/kode', { code: wrong });
      expect(fifth.status).toBe(429);
      const lock = textOf(fifth.html);
      expect(lock).toContain('Kode dikunci');
      expect(lock).toContain('tidak bisa dipakai lagi');
      expect(lock).toContain('Kirim ulang kode');
      expect(fifth.html).toContain('action="/masuk/kirim-ulang"');

      // The right code is refused now: still locked, no session.
      const right = await refusedCode(client, '/masuk/kode', { code });
      expect(right.status).toBe(429);
      expect(textOf(right.html)).toContain('Kode dikunci');
      expect(client.cookies.has('lindung_sesi')).toBe(false);
      // The page reloaded still explains the lock.
      expect(textOf((await client.get('/masuk/kode')).html)).toContain('Kode dikunci');

      // Within the 60-second cooldown no new code: the page says how long to wait.
      const tooSoon = await refusedCode(client, '/masuk/kirim-ulang', {});
      expect(tooSoon.status).toBe(429);
      expect(textOf(tooSoon.html)).toMatch(/Tunggu \d+ detik/);

      t.clock.advance(61_000);
      const resent = await client.submit('/masuk/kode', '/masuk/kirim-ulang', {}, { follow: false });
      expect(resent.status).toBe(303);
      expect(resent.location).toBe('/masuk/kode?dikirim=1');
      const notice = await client.get('/masuk/kode?dikirim=1');
      expect(textOf(notice.html)).toContain('Kode baru sudah dikirim');
      expect(textOf(notice.html)).not.toContain('Kode dikunci');
      const fresh = await latestData(t, member.person.phone, 'otp');
      const ok = await client.submit('/masuk/kode', '/masuk/kode', { code: fresh }, { follow: false });
      expect(ok.status).toBe(303);
      expect(ok.location).toBe('/akun');
    });

    it('does not count a code of the wrong shape as an attempt', async () => {
      const member = await newMember(t);
      const client = portalClient(t);
      await client.submit('/masuk', '/masuk', { phone: member.person.phone }, { follow: false });
      const res = await refusedCode(client, '/masuk/kode', { code: '12ab' });
      expect(res.status).toBe(422);
      expect(textOf(res.html)).toContain('Tulis 6 angka');
      const challenge = await t.db.selectFrom('otp_challenge').select('failed_attempts').where('purpose', '=', 'login').where('subject', '=', `+62${member.person.phone.slice(1)}`).orderBy('created_at', 'desc').executeTakeFirstOrThrow();
      expect(challenge.failed_attempts).toBe(0);
    });

    it('sends /masuk/kode back to /masuk without a phone', async () => {
      const res = await portalClient(t).get('/masuk/kode');
      expect(res.status).toBe(303);
      expect(res.location).toBe('/masuk');
    });
  });

  describe('account page', () => {
    let member: Member;
    let client: Client;
    beforeAll(async () => {
      member = await newMember(t);
      client = portalClient(t);
      await signIn(t, client, member.person.phone);
    });

    it('shows the status in one word and colour, covered through, next due and amount, the card links and sign-out', async () => {
      const res = await client.get('/akun');
      expect(res.status).toBe(200);
      const text = textOf(res.html);
      expect(res.html).toContain('class="status status-active"');
      expect(text).toContain('Aktif');
      expect(text).toContain('November 2026'); // covered through the first paid month
      expect(text).toContain('Desember 2026');
      expect(text).toContain('15 Desember 2026');
      expect(text).toMatch(/Rp\d{1,3}(\.\d{3})+/);
      expect(text).toContain(formatKpj(member.kpj));
      expect(res.html).toContain('href="/akun/kartu"');
      expect(res.html).toContain('href="/akun/kartu.pdf"');
      expect(res.html).toContain('action="/keluar"');
      expect(res.html).toContain('action="/akun/bayar"');
      for (const n of ['1', '3', '6', '12']) {
        expect(res.html).toContain(`type="radio" id="months-`);
        expect(res.html).toContain(`value="${n}"`);
      }
      expect(res.html).toContain('<legend>');
      expect(res.headers.get('cache-control')).toBe('no-store');
      noInlineStyle(res.html);
      // Every form carries the CSRF token.
      const forms = res.html.match(/<form method="post"/g) ?? [];
      const tokens = res.html.match(/name="_csrf"/g) ?? [];
      expect(tokens.length).toBe(forms.length);
    });

    it('lists the paid first bill in the payment history with its amount, months and channel', async () => {
      const text = textOf((await client.get('/akun')).html);
      expect(text).toContain('Riwayat pembayaran');
      expect(text).toContain(rupiah(member.firstBill.amount));
      expect(rupiah(member.firstBill.amount)).toMatch(/^Rp\d/);
      expect(text).toContain('November 2026 (1 bulan)');
      expect(text).toContain('Virtual account bank');
    });

    it('pays the next months: a bill for 3 months, then the redirect to its payment page', async () => {
      const res = await client.submit('/akun', '/akun/bayar', { months: '3' }, { follow: false });
      expect(res.status).toBe(303);
      expect(res.location).toMatch(/^\/bayar\/\d{16}$/);
      const code = res.location!.slice('/bayar/'.length);
      const bill = await t.db.selectFrom('bill').selectAll().where('payment_code', '=', code).executeTakeFirstOrThrow();
      expect(bill).toMatchObject({ participant_id: member.participantId, kind: 'renewal', status: 'open', first_month: '2026-12', month_count: 3 });
      // The account now points at the unpaid code.
      const page = await client.get('/akun');
      expect(page.html).toContain(`href="/bayar/${code}"`);
      expect(textOf(page.html)).toContain(rupiah(bill.amount));
    });

    it('re-renders with 422 and the reason for a month count that is not offered', async () => {
      const res = await client.submit('/akun', '/akun/bayar', { months: '2' }, { follow: false });
      expect(res.status).toBe(422);
      expect(textOf(res.html)).toContain('Pilih jumlah bulan 1, 3, 6, atau 12');
      expect(res.html).toContain('role="alert"');
    });

    it('shows the digital card with the KPJ and an accessible inline SVG QR code', async () => {
      const res = await client.get('/akun/kartu');
      expect(res.status).toBe(200);
      const text = textOf(res.html);
      expect(text).toContain(formatKpj(member.kpj));
      expect(text).toContain(member.person.fullName);
      expect(text).toContain('Jaminan Kecelakaan Kerja (JKK)');
      expect(text).toContain('November 2026');
      expect(text).toContain('Aktif');
      const svg = /<div class="qr"[^>]*>(<svg[^>]*>)/.exec(res.html)?.[1] ?? ''; // the QR's: the header and the card carry the logo mark, an inline SVG too
      expect(svg).toContain('role="img"');
      expect(svg).toMatch(/aria-label="[^"]+"/);
      noInlineStyle(res.html);
      expect(res.html).toContain('href="/akun/kartu.pdf"');
      expect(text).toContain('Unduh kartu (PDF)');
      expect(res.html).toMatch(/href="http:\/\/lindung\.test\/api\/v1\/cards\/verify\?token=[^"]+"/);
    });

    it('downloads the card as a PDF attachment named with the KPJ', async () => {
      const res = await client.get('/akun/kartu.pdf');
      expect(res.status).toBe(200);
      expect(res.headers.get('content-type')).toBe('application/pdf');
      expect(res.headers.get('content-disposition')).toBe(`attachment; filename="kartu-bpjs-${member.kpj}.pdf"`);
      expect(res.html.startsWith('%PDF')).toBe(true);
    });

    it('switches to English with ?lang=en', async () => {
      const en = portalClient(t);
      t.clock.advance(61_000); // past the resend cooldown of the earlier sign-in
      await signIn(t, en, member.person.phone);
      const toggle = await en.get('/akun?lang=en');
      expect(toggle.status).toBe(303);
      expect(toggle.location).toBe('/akun');
      const res = await en.get('/akun');
      const text = textOf(res.html);
      expect(res.html).toContain('<html lang="en"');
      expect(text).toContain('My account');
      expect(text).toContain('Active');
      expect(text).toContain('Covered through');
      expect(text).toContain('Payment history');
      expect(text).not.toContain('Riwayat pembayaran');
      expect(text).toContain(rupiah(member.firstBill.amount));
    });
  });

  describe('public card verification', () => {
    let member: Member;
    let token: string;
    beforeAll(async () => {
      member = await newMember(t);
      const client = portalClient(t);
      await signIn(t, client, member.person.phone);
      const card = await client.get('/akun/kartu');
      token = /\/api\/v1\/cards\/verify\?token=([^"]+)"/.exec(card.html)![1]!;
    });

    it('shows a valid card with the masked name, KPJ, live status and covered through', async () => {
      const res = await portalClient(t).get(`/kartu/verifikasi?token=${token}`);
      expect(res.status).toBe(200);
      const text = textOf(res.html);
      expect(text).toContain('Kartu sah');
      expect(text).toContain(maskName(member.person.fullName));
      expect(text).not.toContain(member.person.fullName);
      expect(text).toContain(formatKpj(member.kpj));
      expect(res.html).toContain('class="status status-active"');
      expect(text).toContain('Aktif');
      expect(text).toContain('November 2026');
    });

    it('shows a forged or altered token as not valid', async () => {
      const forged = token.slice(0, -4) + (token.endsWith('AAAA') ? 'BBBB' : 'AAAA');
      for (const t2 of [forged, 'bukan-token']) {
        const res = await portalClient(t).get(`/kartu/verifikasi?token=${encodeURIComponent(t2)}`);
        expect(res.status).toBe(200);
        const text = textOf(res.html);
        expect(text).toContain('Kartu tidak sah');
        expect(text).not.toContain(formatKpj(member.kpj));
      }
      expect(textOf((await portalClient(t).get('/kartu/verifikasi')).html)).toContain('Pindai kode QR');
    });

    it('answers the QR address with the HTML page for a browser', async () => {
      const browserAccept = 'text/html,application/xhtml+xml,application/xml;q=0.9,image/avif,image/webp,*/*;q=0.8';
      const res = await t.app.request(`/api/v1/cards/verify?token=${token}`, { headers: { accept: browserAccept } });
      expect(res.status).toBe(200);
      expect(res.headers.get('content-type')).toMatch(/^text\/html/);
      expect(res.headers.get('content-security-policy')).toContain("default-src 'none'");
      expect(res.headers.get('vary')).toMatch(/accept/i);
      const text = textOf(await res.text());
      expect(text).toContain('Kartu sah');
      expect(text).toContain(maskName(member.person.fullName));
    });

    it('keeps the contract JSON for API clients (Accept application/json, */* or none)', async () => {
      const expected = { valid: true, kpj: member.kpj, nameMasked: maskName(member.person.fullName), status: 'active', coveredThrough: '2026-11' };
      for (const headers of [{} as Record<string, string>, { accept: 'application/json' }, { accept: '*/*' }, { accept: 'application/json, text/html' }]) {
        const res = await t.get(`/api/v1/cards/verify?token=${token}`, headers);
        expect(res.status).toBe(200);
        expect(res.headers.get('content-type')).toMatch(/^application\/json/);
        expect(res.body).toEqual(expected);
      }
      const forged = await t.get(`/api/v1/cards/verify?token=x${token}`, { accept: 'application/json' });
      expect(forged.body).toEqual({ valid: false });
    });

    it('decides HTML or JSON by the Accept header', () => {
      expect(prefersHtml(undefined)).toBe(false);
      expect(prefersHtml('')).toBe(false);
      expect(prefersHtml('*/*')).toBe(false);
      expect(prefersHtml('application/json')).toBe(false);
      expect(prefersHtml('application/json, text/html')).toBe(false);
      expect(prefersHtml('text/html;q=0.5, application/json')).toBe(false);
      expect(prefersHtml('text/html;q=0, */*')).toBe(false);
      expect(prefersHtml('text/html')).toBe(true);
      expect(prefersHtml('text/html, application/json')).toBe(true);
      expect(prefersHtml('application/json;q=0.5, text/html')).toBe(true);
    });
  });

  describe('sessions and protection', () => {
    it('sends every member page to /masuk without a session', async () => {
      const client = portalClient(t);
      for (const path of ['/akun', '/akun/kartu', '/akun/kartu.pdf']) {
        const res = await client.get(path);
        expect(res.status, path).toBe(303);
        expect(res.location).toBe('/masuk');
      }
      const pay = await client.submit('/masuk', '/akun/bayar', { months: '1' }, { follow: false });
      expect(pay.status).toBe(303);
      expect(pay.location).toBe('/masuk');
    });

    it('sends a made-up session cookie to /masuk and clears it', async () => {
      const res = await t.app.request('/akun', { headers: { cookie: 'lindung_sesi=bukan-sesi' }, redirect: 'manual' });
      expect(res.status).toBe(303);
      expect(res.headers.get('location')).toBe('/masuk');
      expect(res.headers.getSetCookie().some((l) => /^lindung_sesi=;.*Max-Age=0/i.test(l))).toBe(true);
    });

    it('refuses every form post without the CSRF token (403)', async () => {
      const member = await newMember(t);
      const client = portalClient(t);
      await signIn(t, client, member.person.phone);
      for (const [path, fields] of [
        ['/masuk', { phone: member.person.phone }],
        ['/masuk/kode', { code: '123456' }],
        ['/masuk/kirim-ulang', {}],
        ['/akun/bayar', { months: '1' }],
        ['/keluar', {}],
      ] as const) {
        const res = await client.post(path, fields);
        expect(res.status, path).toBe(403);
      }
      const wrongToken = await client.submit('/akun', '/akun/bayar', { months: '1' }, { follow: false, csrf: 'x'.repeat(43) });
      expect(wrongToken.status).toBe(403);
      expect(await t.db.selectFrom('bill').select('id').where('participant_id', '=', member.participantId).where('kind', '=', 'renewal').execute()).toHaveLength(0);
      // Still signed in: the refused sign-out did nothing.
      expect((await client.get('/akun')).status).toBe(200);
    });

    it('signs out: the session row and cookie are gone, and the old cookie no longer opens the account', async () => {
      const member = await newMember(t);
      const client = portalClient(t);
      await signIn(t, client, member.person.phone);
      const old = client.cookies.get('lindung_sesi')!;
      expect(old).toBeDefined();
      expect((await client.get('/akun')).status).toBe(200);

      const out = await client.submit('/akun', '/keluar', {}, { follow: false });
      expect(out.status).toBe(303);
      expect(out.location).toBe('/');
      expect(client.cookies.has('lindung_sesi')).toBe(false);
      expect(await t.db.selectFrom('session').select('token_hash').where('participant_id', '=', member.participantId).execute()).toHaveLength(0);

      const replay = await t.app.request('/akun', { headers: { cookie: `lindung_sesi=${old}` }, redirect: 'manual' });
      expect(replay.status).toBe(303);
      expect(replay.headers.get('location')).toBe('/masuk');
    });
  });

  it('makes the QR SVG safe for the CSP and named for screen readers', () => {
    const out = accessibleQrSvg('<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 9 9" style="fill:red"><path d="M0 0"/></svg>', 'Kode "QR" <1>');
    expect(out).not.toContain('style=');
    expect(out).toContain('role="img"');
    expect(out).toContain('aria-label="Kode &quot;QR&quot; &lt;1&gt;"');
    expect(out).toContain('<title>Kode &quot;QR&quot; &lt;1&gt;</title>');
  });
});

describe('member status over time on the account page', () => {
  let t: TestApp;
  let member: Member;
  beforeAll(async () => {
    t = await createTestApp();
    member = await newMember(t); // joins Sunday 22 Nov 2026 with November paid
  });
  afterAll(async () => t.close());

  it('shows "Menunggak" with the unpaid months once December and January are past due', async () => {
    t.clock.set(new Date('2027-01-20T03:00:00Z'));
    const client = portalClient(t);
    await signIn(t, client, member.person.phone);
    const res = await client.get('/akun');
    const text = textOf(res.html);
    expect(res.html).toContain('class="status status-arrears"');
    expect(text).toContain('Menunggak');
    expect(text).not.toContain('Aktif');
    expect(text).toContain('Desember 2026, Januari 2027');
    expect(text).toContain('2 bulan');

    // Paying starts from the oldest unpaid month.
    const pay = await client.submit('/akun', '/akun/bayar', { months: '1' }, { follow: false });
    const code = pay.location!.slice('/bayar/'.length);
    const bill = await t.db.selectFrom('bill').selectAll().where('payment_code', '=', code).executeTakeFirstOrThrow();
    expect(bill.first_month).toBe('2026-12');

    // The card's verification page shows the live status too.
    const card = await client.get('/akun/kartu');
    const token = /\/api\/v1\/cards\/verify\?token=([^"]+)"/.exec(card.html)![1]!;
    const verify = await portalClient(t).get(`/kartu/verifikasi?token=${token}`);
    expect(verify.html).toContain('class="status status-arrears"');
  });

  it('shows "Nonaktif" after more than 3 unpaid months', async () => {
    t.clock.set(new Date('2027-04-20T03:00:00Z'));
    const client = portalClient(t);
    await signIn(t, client, member.person.phone);
    const res = await client.get('/akun');
    expect(res.html).toContain('class="status status-inactive"');
    expect(textOf(res.html)).toContain('Nonaktif');
  });
});
