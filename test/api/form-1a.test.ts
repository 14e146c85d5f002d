import { execFileSync } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { draftNikMatches, findDraftByFormCode } from '../../src/modules/registration/index.js';
import { expectError } from '../support/api-errors.js';
import { STAFF_PASSWORD, type Headers } from '../support/claims.js';
import { latestData, makePerson, payBill, registerVerified, type Person } from '../support/factories.js';
import { createTestApp, type TestApp } from '../support/test-app.js';

/**
 * Formulir 1A (issue 16 item 3, README "Formulir 1A"): the printable registration form of a web draft (A4, the
 * data prefilled, the NIK masked, the form code big and as a QR), and the counter's look-up of the draft by that code.
 */
let t: TestApp;
let seq = 0;

async function officer(roles: string[]): Promise<Headers> {
  const username = `f1a-${process.pid}-${++seq}`;
  expect((await t.post('/dev/staff', { username, password: STAFF_PASSWORD, roles, branchCode: 'JKT-SALEMBA' })).status).toBe(201);
  const session = await t.post('/api/v1/staff/sessions', { username, password: STAFF_PASSWORD });
  return { authorization: `Bearer ${session.body.token as string}` };
}

function pdfTool(tool: 'pdftotext' | 'pdfinfo', pdf: Buffer): string {
  const dir = mkdtempSync(join(tmpdir(), 'formulir-1a-'));
  writeFileSync(join(dir, 'f.pdf'), pdf);
  return execFileSync(tool, tool === 'pdftotext' ? ['-layout', join(dir, 'f.pdf'), '-'] : [join(dir, 'f.pdf')], { encoding: 'utf8' });
}

/** Prints the registration's form; returns its text and the code (from the file name). */
async function print(id: string) {
  const res = await t.get(`/api/v1/registrations/${id}/form-1a.pdf`);
  expect(res.status, String(res.body)).toBe(200);
  expect(res.headers.get('content-type')).toBe('application/pdf');
  const code = /formulir-1a-([0-9A-Z]{8})\.pdf/.exec(res.headers.get('content-disposition') ?? '')?.[1];
  expect(code).toMatch(/^[0-9A-HJKMNP-TV-Z]{8}$/);
  return { pdf: res.body as Buffer, text: pdfTool('pdftotext', res.body as Buffer), code: code as string };
}

beforeAll(async () => {
  t = await createTestApp({ start: '2026-12-07T01:00:00.000Z' }); // Monday 7 December 2026, 08:00 WIB
});
afterAll(async () => t.close());

describe('the printed Formulir 1A', () => {
  let person: Person;
  let id: string;
  beforeAll(async () => {
    person = makePerson({ birthDate: '1990-05-17', gender: 'M', address: 'Jl. Kenanga No. 7, Salemba, Jakarta Pusat' });
    id = await registerVerified(t, person);
  });

  it('is one A4 page in Indonesian with the draft prefilled, the NIK masked and the code big', async () => {
    const { pdf, text, code } = await print(id);
    expect(pdfTool('pdfinfo', pdf)).toMatch(/Pages:\s+1[\s\S]*Page size:\s+595\.28 x 841\.89 pts \(A4\)/);
    expect(text).toContain('FORMULIR 1A');
    expect(text).toContain('Bukan Penerima Upah (BPU)');
    expect(text).toContain(`${code.slice(0, 4)}-${code.slice(4)}`);
    expect(text).toContain(`************${person.nik.slice(-4)}`);
    expect(text).not.toContain(person.nik);
    expect(text).toContain('Budi Santoso');
    expect(text).toContain('17 Mei 1990');
    expect(text).toContain('Jl. Kenanga No. 7, Salemba, Jakarta Pusat');
    expect(text).toContain(person.email);
    expect(text).toContain('Kantor Cabang Jakarta Salemba');
    expect(text).toContain('(OJOL)');
    expect(text).toContain('Jaminan Kecelakaan Kerja (JKK)');
    expect(text).toContain('Tanda tangan calon peserta');
    expect(text).toMatch(/Berlaku sampai 6 Januari 2027 pukul 08\.00 WIB/);
  });

  it('keeps its code when printed again; the counter finds the draft by it (typed loosely), the NIK masked', async () => {
    const first = await print(id);
    expect((await print(id)).code).toBe(first.code);
    const counter = await officer(['counter']);
    const loose = `${first.code.slice(0, 4).toLowerCase()}-${first.code.slice(4)}`;
    const res = await t.get(`/api/v1/staff/registration-drafts/${loose}`, counter);
    expect(res.status, JSON.stringify(res.body)).toBe(200);
    expect(res.body).toMatchObject({
      registrationId: id,
      formCode: first.code,
      status: 'verified',
      nik: `************${person.nik.slice(-4)}`,
      nikLast4: person.nik.slice(-4),
      fullName: 'Budi Santoso',
      birthDate: '1990-05-17',
      gender: 'M',
      phone: expect.any(String),
      email: person.email,
      occupationCode: 'OJOL',
      branchCode: 'JKT-SALEMBA',
      branchName: 'Kantor Cabang Jakarta Salemba',
      programs: null,
      declaredIncome: null,
      months: null,
    });
    expect(JSON.stringify(res.body)).not.toContain(person.nik);
    expect(await draftNikMatches(t.db, first.code, person.nik, t.clock.now(), t.deps.config.nik)).toBe(true);
    expect(await draftNikMatches(t.db, first.code, makePerson().nik, t.clock.now(), t.deps.config.nik)).toBe(false);
  });

  it("after the program step: the programs ticked, the income and the months on the form and in the look-up", async () => {
    const other = makePerson();
    const reg = await registerVerified(t, other);
    const submit = await t.post(`/api/v1/registrations/${reg}/submit`, { programs: ['JKK', 'JKM', 'JHT'], declaredIncome: 2_500_000, months: 3 });
    expect(submit.status).toBe(201);
    const { text, code } = await print(reg);
    expect(text).toContain('Rp2.500.000');
    expect(text).toMatch(/X\s+3 bulan/);
    expect(text).toMatch(/X\s+Jaminan Hari Tua \(JHT\)/);
    const found = await findDraftByFormCode(t.db, code, t.clock.now(), t.deps.config.nik);
    expect(found).toMatchObject({ registrationId: reg, programs: ['JKK', 'JKM', 'JHT'], declaredIncome: 2_500_000, months: 3, status: 'submitted' });
    // Paid: the registration is complete, no form, and the code finds nothing any more.
    expect((await payBill(t, submit.body.bill)).body).toEqual({ status: 'applied' });
    expectError(await t.get(`/api/v1/registrations/${reg}/form-1a.pdf`), 409, 'registration_completed');
    expectError(await t.get(`/api/v1/staff/registration-drafts/${code}`, await officer(['counter'])), 404, 'draft_not_found', 'formCode');
  });

  it('a draft whose person then registers at a counter or SPO desk from the form is done with: no draft, no form', async () => {
    const worker = makePerson();
    const draft = await registerVerified(t, worker);
    const { code } = await print(draft);
    const counter = await officer(['counter']);
    expect(await findDraftByFormCode(t.db, code, t.clock.now(), t.deps.config.nik)).toMatchObject({ registrationId: draft });
    // The desk makes its own registration from the form (the NIK typed from the KTP), verifies the OTP, takes cash.
    const { branchCode: _b, ...typed } = worker;
    const made = await t.post('/api/v1/staff/registrations', { ...typed, programs: ['JKK', 'JKM'], declaredIncome: 2_000_000, months: 1 }, counter);
    expect(made.status, JSON.stringify(made.body)).toBe(201);
    const id = made.body.registrationId as string;
    expect(id).not.toBe(draft);
    expect(await findDraftByFormCode(t.db, code, t.clock.now(), t.deps.config.nik)).toMatchObject({ registrationId: draft }); // not paid yet
    const verified = await t.post(`/api/v1/staff/registrations/${id}/verify`, { code: await latestData(t, worker.phone, 'otp') }, counter);
    expect(verified.status, JSON.stringify(verified.body)).toBe(200);
    const bill = verified.body.bill as { paymentCode: string; amount: number };
    const paid = await t.post('/api/v1/staff/payments', { paymentCode: bill.paymentCode, amount: bill.amount, method: 'cash', idempotencyKey: randomUUID() }, counter);
    expect(paid.body).toMatchObject({ status: 'applied' });
    expectError(await t.get(`/api/v1/staff/registration-drafts/${code}`, counter), 404, 'draft_not_found', 'formCode');
    expect(await draftNikMatches(t.db, code, worker.nik, t.clock.now(), t.deps.config.nik)).toBe(false);
    expectError(await t.get(`/api/v1/registrations/${draft}/form-1a.pdf`), 409, 'registration_completed');
  });

  it('a web bill the draft already had is cancelled once the desk’s registration is paid: its code takes no money', async () => {
    const worker = makePerson();
    const draft = await registerVerified(t, worker);
    const webBill = (await t.post(`/api/v1/registrations/${draft}/submit`, { programs: ['JKK', 'JKM'], declaredIncome: 2_000_000, months: 1 })).body.bill as { paymentCode: string; amount: number };
    const counter = await officer(['counter']);
    const { branchCode: _b, ...typed } = worker;
    const id = (await t.post('/api/v1/staff/registrations', { ...typed, programs: ['JKK', 'JKM'], declaredIncome: 2_000_000, months: 1 }, counter)).body.registrationId as string;
    const bill = (await t.post(`/api/v1/staff/registrations/${id}/verify`, { code: await latestData(t, worker.phone, 'otp') }, counter)).body.bill as { paymentCode: string; amount: number };
    expect((await t.db.selectFrom('bill').select('status').where('payment_code', '=', webBill.paymentCode).executeTakeFirstOrThrow()).status).toBe('open'); // not paid at the desk yet
    expect((await t.post('/api/v1/staff/payments', { paymentCode: bill.paymentCode, amount: bill.amount, method: 'cash', idempotencyKey: randomUUID() }, counter)).body).toMatchObject({ status: 'applied' });
    expect((await t.db.selectFrom('bill').select('status').where('payment_code', '=', webBill.paymentCode).executeTakeFirstOrThrow()).status).toBe('cancelled');
    expect((await payBill(t, webBill)).body).toMatchObject({ status: 'unmatched' });
  });

  it('an unknown or malformed code, and an expired one, find nothing; printing again after expiry draws a new code', async () => {
    let counter = await officer(['supervisor']);
    expectError(await t.get('/api/v1/staff/registration-drafts/00000000', counter), 404, 'draft_not_found', 'formCode');
    expectError(await t.get('/api/v1/staff/registration-drafts/not-a-code', counter), 404, 'draft_not_found', 'formCode');
    const reg = await registerVerified(t, makePerson());
    const { code } = await print(reg);
    expect((await t.get(`/api/v1/staff/registration-drafts/${code}`, counter)).status).toBe(200);
    t.clock.advance(30 * 24 * 3_600_000);
    counter = await officer(['supervisor']); // a new session: the first one ended after 8 hours
    expectError(await t.get(`/api/v1/staff/registration-drafts/${code}`, counter), 404, 'draft_not_found', 'formCode');
    const again = await print(reg);
    expect(again.code).not.toBe(code);
    expect((await t.get(`/api/v1/staff/registration-drafts/${again.code}`, counter)).body).toMatchObject({ registrationId: reg });
  });

  it('an unknown registration has no form; the look-up needs a staff token and the counter or supervisor role', async () => {
    expectError(await t.get('/api/v1/registrations/reg_unknown/form-1a.pdf'), 404, 'unknown_registration');
    expectError(await t.get('/api/v1/staff/registration-drafts/00000000'), 401, 'unauthorized');
    expectError(await t.get('/api/v1/staff/registration-drafts/00000000', await officer(['contact_centre'])), 403, 'forbidden');
  });
});

describe('the portal', () => {
  it('/daftar/{id}/formulir-1a.pdf downloads the form; the verification step links to it', async () => {
    const reg = await registerVerified(t, makePerson());
    const page = await t.get(`/daftar/${reg}/program`);
    expect(String(page.body)).toContain(`href="/daftar/${reg}/formulir-1a.pdf"`);
    expect(String(page.body)).toContain('Cetak Formulir 1A untuk dibawa ke kantor/SPO');
    const res = await t.get(`/daftar/${reg}/formulir-1a.pdf`);
    expect(res.status).toBe(200);
    expect(res.headers.get('content-disposition')).toMatch(/^attachment; filename="formulir-1a-[0-9A-Z]{8}\.pdf"$/);
    expect(pdfTool('pdftotext', res.body as Buffer)).toContain('FORMULIR 1A');
    // Without the browser's registration cookie, /daftar/formulir-1a.pdf sends the person to start registering.
    const bare = await t.get('/daftar/formulir-1a.pdf');
    expect(bare.status).toBe(303);
    expect(bare.headers.get('location')).toBe('/daftar');
  });
});
