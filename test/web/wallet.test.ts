import { gzipSync } from 'node:zlib';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { formatPaymentCode } from '../../src/web/pages/pay.js';
import { topUpCode } from '../../src/modules/wallet/domain/top-up-code.js';
import { latestData, makePerson, payBill, registerVerified, type Person } from '../support/factories.js';
import { portalClient, textOf } from '../support/portal-client.js';
import { createTestApp, type TestApp } from '../support/test-app.js';
import { nikHashOf } from '../support/nik.js';

/**
 * The contribution wallet page of the member area (/akun/dompet) through the real app: balance, top-up code and
 * how to pay it, the history, and the development top-up simulator (a signed notification sent through the whole
 * app, CSRF-protected, without JavaScript). Prices: Rp8.400 a month (OJOL, Rp1.000.000, JKK + JKM, discounted).
 */
let t: TestApp;
beforeAll(async () => {
  t = await createTestApp();
});
afterAll(async () => t.close());

type Client = ReturnType<typeof portalClient>;

async function newMember(): Promise<{ person: Person; kpj: string }> {
  const person = makePerson();
  const registrationId = await registerVerified(t, person);
  const submit = await t.post(`/api/v1/registrations/${registrationId}/submit`, { programs: ['JKK', 'JKM'], declaredIncome: 1_000_000, months: 1 });
  expect((await payBill(t, submit.body.bill)).body).toEqual({ status: 'applied' });
  const row = await t.db.selectFrom('participant').select('kpj').where('nik_hash', '=', nikHashOf(person.nik)).executeTakeFirstOrThrow();
  return { person, kpj: row.kpj };
}

async function signIn(client: Client, phone: string): Promise<void> {
  expect((await client.submit('/masuk', '/masuk', { phone }, { follow: false })).location).toBe('/masuk/kode');
  const done = await client.submit('/masuk/kode', '/masuk/kode', { code: await latestData(t, phone, 'otp') }, { follow: false });
  expect(done.location).toBe('/akun');
}

describe('/akun/dompet — the contribution wallet page', () => {
  it('signed out: back to sign-in', async () => {
    const res = await portalClient(t).get('/akun/dompet');
    expect(res.status).toBe(303);
    expect(res.location).toBe('/masuk');
  });

  it('shows the balance, the top-up code with instructions, and tops up through the simulator until a month is paid', async () => {
    const m = await newMember();
    const client = portalClient(t);
    await signIn(client, m.person.phone);

    // The account page links to the wallet and shows its balance.
    const account = await client.get('/akun');
    expect(account.status).toBe(200);
    expect(account.html).toContain('href="/akun/dompet"');
    expect(textOf(account.html)).toContain('Saldo dompet iuran Anda: Rp0.');

    const page = await client.get('/akun/dompet');
    expect(page.status).toBe(200);
    const text = textOf(page.html);
    expect(text).toContain('Dompet iuran');
    expect(text).toContain(formatPaymentCode(topUpCode(m.kpj)));
    expect(text).toContain(`masukkan kode ${formatPaymentCode(topUpCode(m.kpj))}`);
    expect(text).toContain('Kurang Rp8.400 lagi untuk iuran Desember 2026 (Rp8.400).');
    expect(text).toContain('Belum ada uang masuk ke dompet.');
    expect(page.html).toContain('action="/akun/dompet/simulasi"');
    expect(page.html).toContain('name="_csrf"');
    expect(page.html).not.toMatch(/\sstyle=/);
    expect(gzipSync(page.html).length).toBeLessThan(50 * 1024);

    // Rp5.000 through QRIS: not yet a month.
    const first = await client.submit('/akun/dompet', '/akun/dompet/simulasi', { amount: '5.000', channel: 'qris' }, { follow: false });
    expect(first.status).toBe(303);
    expect(first.location).toBe('/akun/dompet?diisi=1');
    const after1 = textOf((await client.get('/akun/dompet?diisi=1')).html);
    expect(after1).toContain('Isi saldo diterima.');
    expect(after1).toContain('Rp5.000');
    expect(after1).toContain('Isi saldo lewat QRIS');
    expect(after1).toContain('Kurang Rp3.400 lagi untuk iuran Desember 2026');

    // Rp10.000 more: the wallet pays December 2026 and keeps Rp6.600.
    await client.submit('/akun/dompet', '/akun/dompet/simulasi', { amount: 'Rp 10.000', channel: 'va' });
    const after2 = textOf((await client.get('/akun/dompet')).html);
    expect(after2).toContain('Iuran Desember 2026');
    expect(after2).toContain('−Rp8.400');
    expect(after2).toContain('Rp6.600');
    expect(after2).toContain('Kurang Rp1.800 lagi untuk iuran Januari 2027');

    // The account page now shows the month paid from the wallet, and the new cover.
    const acc = textOf((await client.get('/akun')).html);
    expect(acc).toContain('akhir Desember 2026');
    expect(acc).toContain('Dompet iuran');
    expect(acc).toContain('Saldo dompet iuran Anda: Rp6.600.');
  });

  it('a wrong amount is a field error (422), nothing is recorded; a post without the CSRF token is refused', async () => {
    const m = await newMember();
    const client = portalClient(t);
    await signIn(client, m.person.phone);
    const before = await t.db.selectFrom('payment').select('id').where('payment_code', '=', topUpCode(m.kpj)).execute();
    for (const amount of ['lima ribu', '0', '-5000', '2,5', '']) {
      // Post/Redirect/Get (issue 18 item 2): 303 to the wallet page, which shows the field error with 422.
      const posted = await client.submit('/akun/dompet', '/akun/dompet/simulasi', { amount, channel: 'va' }, { follow: false });
      expect(posted.status, amount).toBe(303);
      const res = await client.open(posted.location as string);
      expect(res.status, amount).toBe(422);
      expect(textOf(res.html)).toContain('Tulis jumlah dalam rupiah tanpa sen, paling sedikit Rp1');
      expect(res.html).toContain('aria-invalid="true"');
    }
    const forged = await client.post('/akun/dompet/simulasi', { amount: '5000', channel: 'va' });
    expect(forged.status).toBe(403);
    const after = await t.db.selectFrom('payment').select('id').where('payment_code', '=', topUpCode(m.kpj)).execute();
    expect(after).toEqual(before);
  });

  it('in English', async () => {
    const m = await newMember();
    const client = portalClient(t, { acceptLanguage: 'en' });
    await signIn(client, m.person.phone);
    const text = textOf((await client.get('/akun/dompet')).html);
    expect(text).toContain('Contribution wallet');
    expect(text).toContain('Your top-up code');
    expect(text).toContain('Rp8.400 more is needed for December 2026');
  });
});
