import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { addResident, latestData, makePerson, registerVerified, wrongCode } from '../support/factories.js';
import { portalClient, refusedCode, textOf } from '../support/portal-client.js';
import { createTestApp, TEST_START, type TestApp } from '../support/test-app.js';


/**
 * Issue 18 item 3: a registrant who has not paid comes back through "Masuk" with their phone: a code by SMS (not a
 * pretend one), then the registration's resume point. The payment code goes by SMS too. A wrong code says how many
 * tries are left.
 */
let t: TestApp;
beforeAll(async () => {
  t = await createTestApp();
});
afterAll(async () => t.close());
beforeEach(() => t.clock.set(new Date(TEST_START)));


async function outbox(to: string) {
  return (await t.get(`/dev/outbox?to=${encodeURIComponent(to)}`)).body.messages as { channel: string; template: string; body: string; data: Record<string, string> }[];
}

describe('resuming an unpaid registration by phone', () => {
  it('sends the payment code by SMS, and "Masuk" with the phone sends a real code that leads back to the unpaid code', async () => {
    const person = makePerson();
    const id = await registerVerified(t, person);
    const submit = await t.post(`/api/v1/registrations/${id}/submit`, { programs: ['JKK', 'JKM'], declaredIncome: 1_000_000, months: 1 });
    expect(submit.status).toBe(201);
    const paymentCode = submit.body.bill.paymentCode as string;
    const sms = (await outbox(person.phone)).find((m) => m.template === 'payment_code_sms');
    expect(sms?.body).toContain(paymentCode);
    expect(sms?.body).not.toMatch(/\d{4}-\d{2}-\d{2}/);

    t.clock.advance(3_600_000);
    const b = portalClient(t);
    const sent = await b.submit('/masuk', '/masuk', { phone: person.phone }, { follow: false });
    expect(sent.location).toBe('/masuk/kode');
    const code = await latestData(t, person.phone, 'otp');
    expect((await outbox(person.phone))[0]?.template).toBe('login_otp');

    const wrong = await refusedCode(b, '/masuk/kode', { code: wrongCode(code) });
    expect(wrong.status).toBe(422);
    expect(textOf(wrong.html)).toContain('Sisa 4 kali percobaan.');

    const done = await b.submit('/masuk/kode', '/masuk/kode', { code }, { follow: false });
    expect(done.status).toBe(303);
    expect(done.location).toBe(`/daftar/${id}`);
    const at = await b.get(done.location!);
    expect(at.status).toBe(303);
    expect(at.location).toBe(`/bayar/${paymentCode}`);
  });

  it('a registration still verifying is resumed at its verification step; an unknown phone gets the same answer and no SMS', async () => {
    const person = makePerson();
    await addResident(t, person);
    const reg = await t.post('/api/v1/registrations', person);
    expect(reg.status).toBe(201);
    const b = portalClient(t);
    const regCode = await latestData(t, person.phone, 'otp');
    const path = `/daftar/${reg.body.id as string}`;
    const wrongStep = await b.submit(path, `${path}/otp`, { code: wrongCode(regCode) });
    expect(textOf(wrongStep.html)).toContain('Sisa 4 kali percobaan.');
    t.clock.advance(61_000);
    expect((await b.submit('/masuk', '/masuk', { phone: person.phone }, { follow: false })).location).toBe('/masuk/kode');
    const code = await latestData(t, person.phone, 'otp');
    const done = await b.submit('/masuk/kode', '/masuk/kode', { code }, { follow: false });
    expect(done.location).toBe(`/daftar/${reg.body.id as string}`);
    expect((await b.get(done.location!)).status).toBe(200);

    const stranger = makePerson();
    const other = portalClient(t);
    const answer = await other.submit('/masuk', '/masuk', { phone: stranger.phone }, { follow: false });
    expect(answer.location).toBe('/masuk/kode');
    expect(await outbox(stranger.phone)).toEqual([]);
  });
});
