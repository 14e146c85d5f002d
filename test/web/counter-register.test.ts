import { execFileSync } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { addResident, latestData, makePerson } from '../support/factories.js';
import { portalClient, textOf } from '../support/portal-client.js';
import { createTestApp, type TestApp } from '../support/test-app.js';
import { nikHashOf } from '../support/nik.js';
import { staffSignedIn } from '../support/staff-portal.js';

/**
 * The staff console's "Pendaftaran di loket" (/staff/pendaftaran-loket, issue 16 items 2–3) through the real app: the
 * officer types Formulir 1A, the OTP the worker reads out, takes cash (a resubmitted form is one payment), and the
 * printed slip then carries the KPJ and LUNAS; other roles are refused.
 */
let t: TestApp;
const PASSWORD = 'kata-sandi-staf-123';
const HREF = '/staff/pendaftaran-loket';

/** Signed in to the console (test/support/staff-portal.ts; the same password). */
const signedIn = (username: string) => staffSignedIn(t, username);

beforeAll(async () => {
  t = await createTestApp({ start: '2026-12-07T02:00:00.000Z' });
  for (const [username, roles] of [['loket-daftar', ['counter']], ['verif-daftar', ['claims_verifier']]] as const) {
    expect((await t.post('/dev/staff', { username, password: PASSWORD, roles, branchCode: 'JKT-SALEMBA' })).status).toBe(201);
  }
});
afterAll(async () => t.close());

describe('Pendaftaran di loket', () => {
  it('form → OTP → cash → the slip with KPJ and LUNAS; a resubmitted payment form is one payment', async () => {
    const a = await signedIn('loket-daftar');
    const page = await a.open(HREF);
    expect(page.status).toBe(200);
    expect(textOf(page.html)).toContain('Kantor Cabang Jakarta Salemba');
    const person = makePerson({ email: '' });
    await addResident(t, person);
    const fields = { nik: person.nik, fullName: person.fullName, birthDate: person.birthDate, gender: person.gender, phone: person.phone, email: '', address: person.address, occupationCode: 'OJOL', income: '2.000.000', programs: ['JKK', 'JKM', 'JHT'], months: '3', consent: 'ya' };
    const wrong = await a.submit(HREF, HREF, { ...fields, fullName: 'Orang Lain Sama Sekali' });
    expect(wrong.status).toBe(422);
    expect(textOf(wrong.html)).toMatch(/Dukcapil|kependudukan/i);
    const posted = await a.submit(HREF, HREF, fields, { follow: false });
    expect(posted.status, textOf(posted.html)).toBe(303);
    const stepPath = posted.location as string;
    const made = await a.open(stepPath);
    expect(textOf(made.html)).toContain('Kode OTP dikirim');
    expect(made.html).not.toContain(person.nik);
    const otp = await latestData(t, person.phone, 'otp');
    const verified = await a.submit(stepPath, `${stepPath}/verifikasi`, { code: otp });
    expect(textOf(verified.html)).toContain('Ponsel terverifikasi');
    const key = /name="idempotencyKey" value="([^"]+)"/.exec(verified.html)?.[1] as string;
    const code = /kode=(\d{16})/.exec(verified.html)?.[1] as string;
    const pay = { method: 'cash', approvalCode: '', amount: '160200', idempotencyKey: key };
    const paid = await a.submit(stepPath, `${stepPath}/bayar`, pay);
    expect(textOf(paid.html)).toMatch(/Pembayaran Rp\s?160\.200 tercatat\. Peserta aktif, KPJ \d{11}/);
    const again = await a.submit(stepPath, `${stepPath}/bayar`, pay);
    expect(again.status).toBe(200);
    expect(textOf(again.html)).toContain('sudah tercatat sebelumnya');
    expect(await t.db.selectFrom('payment').select('id').where('external_id', '=', `counter:${key}`).execute()).toHaveLength(1);
    const session = await t.post('/api/v1/staff/sessions', { username: 'loket-daftar', password: PASSWORD });
    const pdf = await t.get(`/api/v1/staff/bills/${code}/receipt.pdf`, { authorization: `Bearer ${session.body.token as string}` });
    const file = join(mkdtempSync(join(tmpdir(), 'slip-')), 'slip.pdf');
    writeFileSync(file, pdf.body as Buffer);
    const text = execFileSync('pdftotext', ['-layout', file, '-']).toString();
    const kpj = (await t.db.selectFrom('participant').select('kpj').where('nik_hash', '=', nikHashOf(person.nik)).executeTakeFirstOrThrow()).kpj;
    expect(text).toContain('LUNAS');
    expect(text).toContain(kpj);
  });

  it('?formulir=<code> prefills from the web draft; the NIK typed must be the draft’s', async () => {
    const a = await signedIn('loket-daftar');
    const person = makePerson();
    await addResident(t, person);
    const draft = await t.post('/api/v1/registrations', person);
    expect(draft.status).toBe(201);
    expect((await t.get(`/api/v1/registrations/${draft.body.id as string}/form-1a.pdf`)).status).toBe(200);
    const code = (await t.db.selectFrom('registration').select('form_code').where('id', '=', draft.body.id as string).executeTakeFirstOrThrow()).form_code as string;
    const path = `${HREF}?formulir=${code}`;
    const page = await a.open(path);
    expect(textOf(page.html)).toContain(`NIK pada formulir berakhiran ${person.nik.slice(-4)}`);
    expect(page.html).toContain(`value="${person.fullName}"`);
    expect(page.html).not.toContain(person.nik);
    const fields = { formulir: code, nik: person.nik, fullName: person.fullName, birthDate: person.birthDate, gender: person.gender, phone: person.phone, email: person.email, address: person.address, occupationCode: 'OJOL', income: '2000000', programs: ['JKK', 'JKM'], months: '1', consent: 'ya' };
    const other = makePerson({ gender: person.gender, birthDate: person.birthDate });
    const wrong = await a.submit(path, HREF, { ...fields, nik: other.nik });
    expect(wrong.status).toBe(422);
    expect(textOf(wrong.html)).toContain('NIK tidak sama dengan NIK pada Formulir 1A');
    expect(textOf(wrong.html)).toContain(`Data Formulir 1A ${code} dimuat.`); // the refused form still names its draft
    const made = await a.submit(path, HREF, fields, { follow: false });
    expect(made.status, textOf(made.html)).toBe(303);
    expect((await a.open(`${HREF}?formulir=ZZZZ-ZZZZ`)).html).toContain('Kode formulir tidak ditemukan');
  });

  it('a claims verifier does not see the page', async () => {
    const v = await signedIn('verif-daftar');
    expect((await v.open(HREF)).status).toBe(403);
  });
});
