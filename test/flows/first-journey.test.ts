import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { activeMember, latestData, makePerson, payBill, registerVerified } from '../support/factories.js';
import { createTestApp, type TestApp } from '../support/test-app.js';

let t: TestApp;
beforeAll(async () => {
  t = await createTestApp();
});
afterAll(async () => t.close());

describe('a BPU worker from quote to card', () => {
  it('registers, verifies, pays the first bill and becomes an active member with an 11-digit KPJ and a card', async () => {
    const person = makePerson({ occupationCode: 'OJOL' });
    const id = await registerVerified(t, person);
    const submit = await t.post(`/api/v1/registrations/${id}/submit`, { programs: ['JKK', 'JKM', 'JHT'], declaredIncome: 2_000_000, months: 3 });
    expect(submit.status).toBe(201);
    const bill = submit.body.bill;
    // Transport worker, Nov 2026: JKK+JKM discounted 50% (PP 50/2025), JHT in full: 13.400 + 40.000 per month.
    expect(bill.months.map((m: { month: string; total: number }) => [m.month, m.total])).toEqual([
      ['2026-11', 53_400],
      ['2026-12', 53_400],
      ['2027-01', 53_400],
    ]);
    expect(bill).toMatchObject({ amount: 160_200, status: 'open', paymentCode: expect.stringMatching(/^\d{16}$/) });
    expect(bill.expiresAt).toMatch(/^2026-11-23T10:00:0\d\+07:00$/);

    const inquiry = await t.get(`/api/v1/bills/${bill.paymentCode}`);
    expect(inquiry.body).toEqual({ paymentCode: bill.paymentCode, status: 'open', amount: 160_200, expiresAt: bill.expiresAt, customerName: 'B*** S******' });

    const paid = await payBill(t, bill, 'qris');
    expect(paid).toMatchObject({ status: 200, body: { status: 'applied' } });
    expect((await t.get(`/api/v1/bills/${bill.paymentCode}`)).body.status).toBe('paid');

    const cardMail = (await t.get(`/dev/outbox?to=${person.email}`)).body.messages[0];
    expect(cardMail.subject).toMatch(/^Kartu peserta BPJS Ketenagakerjaan — KPJ \d{11}$/);

    expect((await t.post('/api/v1/auth/otp', { phone: person.phone })).status).toBe(202);
    const login = await t.post('/api/v1/auth/verify', { phone: person.phone, code: await latestData(t, person.phone, 'otp') });
    expect(login.status).toBe(200);
    const auth = { authorization: `Bearer ${login.body.token}` };

    const me = await t.get('/api/v1/me', auth);
    expect(me.status).toBe(200);
    expect(me.body).toMatchObject({
      kpj: expect.stringMatching(/^\d{11}$/),
      fullName: person.fullName,
      status: 'active',
      programs: ['JKK', 'JKM', 'JHT'],
      declaredIncome: 2_000_000,
      coveredThrough: '2027-01',
      nextDue: { month: '2027-02', dueDate: '2027-02-15', amount: 53_400 },
    });
    expect(cardMail.subject).toContain(me.body.kpj);

    const card = await t.get('/api/v1/me/card', auth);
    expect(card.body).toMatchObject({ kpj: me.body.kpj, fullName: person.fullName, programs: ['JKK', 'JKM', 'JHT'], coveredThrough: '2027-01' });
    const verifyPath = new URL(card.body.verifyUrl).pathname + new URL(card.body.verifyUrl).search;
    expect(verifyPath.startsWith('/api/v1/cards/verify?token=')).toBe(true);
    const verified = await t.get(verifyPath);
    expect(verified.body).toEqual({ valid: true, kpj: me.body.kpj, nameMasked: 'B*** S******', status: 'active', coveredThrough: '2027-01' });

    const pdf = await t.get('/api/v1/me/card.pdf', auth);
    expect(pdf.status).toBe(200);
    expect(pdf.headers.get('content-type')).toBe('application/pdf');
    expect((pdf.body as Buffer).subarray(0, 5).toString()).toBe('%PDF-');
  });

  it('pays the next months from the member area and extends cover', async () => {
    const m = await activeMember(t, { months: 1 });
    const bill = await t.post('/api/v1/me/bills', { months: 3 }, m.auth);
    expect(bill.status).toBe(201);
    expect(bill.body.bill.months.map((x: { month: string }) => x.month)).toEqual(['2026-12', '2027-01', '2027-02']);
    expect((await payBill(t, bill.body.bill)).body).toEqual({ status: 'applied' });
    const me = await t.get('/api/v1/me', m.auth);
    expect(me.body.coveredThrough).toBe('2027-02');
  });
});
