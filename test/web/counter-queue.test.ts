import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { messagesFor } from '../../src/web/i18n/messages.js';
import { formatWait } from '../../src/web/staff/counter-queue.js';
import { makePerson, registerVerified } from '../support/factories.js';
import { portalClient, textOf } from '../support/portal-client.js';
import { createTestApp, type TestApp } from '../support/test-app.js';

/**
 * The staff console's "Antrean loket" (/staff/antrean, issue 16 item 2) through the real app: take a number, call
 * the next to a desk, served / no-show, today's summary, the printed ticket and a bill's payment slip; the supervisor
 * reads the queue without the forms; a role without the queue gets 403; an account without a branch is told so.
 */
let t: TestApp;
const PASSWORD = 'kata-sandi-staf-123';
const HREF = '/staff/antrean';
type Client = ReturnType<typeof portalClient>;

async function signedIn(username: string): Promise<Client> {
  const client = portalClient(t);
  const res = await client.submit('/staff/masuk', '/staff/masuk', { username, password: PASSWORD, totp: '' }, { follow: false });
  expect(res.status, textOf(res.html)).toBe(303);
  return client;
}

beforeAll(async () => {
  t = await createTestApp({ start: '2026-12-07T01:00:00.000Z' });
  for (const [username, roles, branchCode] of [
    ['loket-a', ['counter'], 'JKT-SALEMBA'],
    ['loket-b', ['counter'], 'JKT-SALEMBA'],
    ['super-a', ['supervisor'], 'JKT-SALEMBA'],
    ['verif-a', ['claims_verifier'], 'JKT-SALEMBA'],
    ['loket-x', ['counter'], null],
  ] as const) {
    expect((await t.post('/dev/staff', { username, password: PASSWORD, roles, ...(branchCode ? { branchCode } : {}) })).status).toBe(201);
  }
});
afterAll(async () => t.close());

describe('Antrean loket', () => {
  it('formats waits in minutes and seconds', () => {
    const tx = messagesFor('id').staffCounter;
    expect([formatWait(tx, null), formatWait(tx, 0), formatWait(tx, 754)]).toEqual(['—', '0 mnt 0 dtk', '12 mnt 34 dtk']);
  });

  it('takes a number, calls it to a desk, marks it served; the summary and the ticket PDF', async () => {
    const a = await signedIn('loket-a');
    const page = await a.open(HREF);
    expect(page.status).toBe(200);
    expect(textOf(page.html)).toContain('Antrean Kantor Cabang Jakarta Salemba');
    const taken = await a.submit(HREF, `${HREF}/ambil`, { purpose: 'claim' });
    expect(textOf(taken.html)).toContain('Nomor C-001 diambil (Klaim)');
    await a.submit(HREF, `${HREF}/ambil`, { purpose: 'payment' });
    const pdfHref = /href="(\/staff\/antrean\/[^"]+\/tiket\.pdf)"/.exec((await a.open(HREF)).html)?.[1];
    const pdf = await a.get(pdfHref as string);
    expect([pdf.status, pdf.headers.get('content-type')]).toEqual([200, 'application/pdf']);
    t.clock.advance(4 * 60_000);
    const called = await a.submit(HREF, `${HREF}/panggil`, { desk: 'Loket 2' });
    const text = textOf(called.html);
    expect(text).toContain('Nomor C-001 dipanggil ke Loket 2.');
    expect(called.html).toContain('value="Loket 2"');
    expect(text).toMatch(/C-001 Klaim Loket 2 4 mnt \d+ dtk/);
    const id = /action="\/staff\/antrean\/([^/"]+)\/dilayani"/.exec(called.html)?.[1] as string;
    const served = await a.submit(HREF, `${HREF}/${id}/dilayani`, {});
    expect(textOf(served.html)).toContain('Nomor C-001 selesai dilayani.');
    expect(textOf(served.html)).toMatch(/Dilayani 1 Tidak hadir 0 Waktu tunggu median 4 mnt \d+ dtk/);
    // Again: refused, not a fault.
    const again = await a.submit(HREF, `${HREF}/${id}/tidak-hadir`, {});
    expect(again.status).toBe(409);
    expect(textOf(again.html)).toContain('Nomor antrean ini belum dipanggil atau sudah selesai');
  });

  it('the other desk gets the next number; no-show; nobody waiting is said so', async () => {
    const b = await signedIn('loket-b');
    const called = await b.submit(HREF, `${HREF}/panggil`, { desk: 'Loket 3' });
    expect(textOf(called.html)).toContain('Nomor B-002 dipanggil ke Loket 3.');
    const id = /action="\/staff\/antrean\/([^/"]+)\/tidak-hadir"/.exec(called.html)?.[1] as string;
    const gone = textOf((await b.submit(HREF, `${HREF}/${id}/tidak-hadir`, {})).html);
    expect(gone).toContain('Nomor B-002 dicatat tidak hadir.');
    expect(textOf((await b.submit(HREF, `${HREF}/panggil`, { desk: 'Loket 3' })).html)).toContain('Tidak ada yang menunggu');
    expect((await b.submit(HREF, `${HREF}/panggil`, { desk: '' })).status).toBe(422);
  });

  it("prints a bill's payment slip; a malformed or unknown code is explained on the page", async () => {
    const a = await signedIn('loket-a');
    const reg = await registerVerified(t, makePerson());
    const bill = (await t.post(`/api/v1/registrations/${reg}/submit`, { programs: ['JKK', 'JKM'], declaredIncome: 1_000_000, months: 1 })).body.bill as { paymentCode: string };
    const slip = await a.get(`${HREF}/slip.pdf?kode=${bill.paymentCode}`);
    expect([slip.status, slip.headers.get('content-type')]).toEqual([200, 'application/pdf']);
    const bad = await a.get(`${HREF}/slip.pdf?kode=123`);
    expect(bad.status).toBe(422);
    expect(textOf(bad.html)).toContain('Kode bayar terdiri dari 16 angka.');
    const unknown = await a.get(`${HREF}/slip.pdf?kode=8000000000000000`);
    expect(unknown.status).toBe(422);
    expect(textOf(unknown.html)).toContain('Kode pembayaran tidak dikenal');
  });

  it('supervisor reads without the forms; a claims verifier is refused; an account without a branch is told', async () => {
    const s = await signedIn('super-a');
    const page = await s.open(HREF);
    expect(page.status).toBe(200);
    expect(textOf(page.html)).toContain('Ringkasan hari ini');
    expect(page.html).not.toContain(`action="${HREF}/panggil"`);
    expect((await s.submit(HREF, `${HREF}/panggil`, { desk: 'Loket 1' })).status).toBe(403);
    expect((await (await signedIn('verif-a')).open(HREF)).status).toBe(403);
    const x = await (await signedIn('loket-x')).open(HREF);
    expect(textOf(x.html)).toContain('tidak terdaftar di kantor cabang mana pun');
    const home = await s.open('/staff');
    expect(textOf(home.html)).toContain('Antrean loket');
  });
});
