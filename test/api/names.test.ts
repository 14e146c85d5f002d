import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { outbox } from '../support/api-errors.js';
import { addResident, latestData, login, makePerson, payBill } from '../support/factories.js';
import { createTestApp, type TestApp } from '../support/test-app.js';

let t: TestApp;
beforeAll(async () => {
  t = await createTestApp();
});
afterAll(async () => {
  await t.close();
});

const STAFF = { authorization: 'Bearer dev-staff-key' };

describe('names are stored and shown as the population registry spells them (rulebook, second release "Names")', () => {
  it('typed "andi  SAPUTRA" matches the registry\'s "Andi Saputra", and everything after shows "Andi Saputra"', async () => {
    const person = makePerson({ gender: 'M', fullName: 'andi  SAPUTRA' });
    await addResident(t, { ...person, fullName: 'Andi Saputra' });

    const reg = await t.post('/api/v1/registrations', person);
    expect(reg.status, JSON.stringify(reg.body)).toBe(201);
    const id = reg.body.id as string;
    const [mail] = await outbox(t, person.email);
    expect(mail?.body).toContain('Andi Saputra');
    expect(mail?.body).not.toContain('andi SAPUTRA');

    expect((await t.post(`/api/v1/registrations/${id}/verify-email`, { token: await latestData(t, person.email, 'token') })).status).toBe(200);
    expect((await t.post(`/api/v1/registrations/${id}/verify-phone`, { code: await latestData(t, person.phone, 'otp') })).status).toBe(200);
    const submit = await t.post(`/api/v1/registrations/${id}/submit`, { programs: ['JKK', 'JKM'], declaredIncome: 1_000_000, months: 1 });
    expect(submit.status, JSON.stringify(submit.body)).toBe(201);
    expect((await payBill(t, submit.body.bill)).body).toEqual({ status: 'applied' });

    const auth = { authorization: `Bearer ${await login(t, person.phone)}` };
    const me = await t.get('/api/v1/me', auth);
    expect(me.body.fullName).toBe('Andi Saputra');
    expect((await t.get('/api/v1/me/card', auth)).body.fullName).toBe('Andi Saputra');
    expect((await t.get(`/api/v1/participants/${me.body.kpj}`, STAFF)).body.fullName).toBe('Andi Saputra');
  });
});
