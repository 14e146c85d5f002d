import { expect } from 'vitest';
import type { RegistrationInput } from '../../src/modules/registration/registration.js';
import type { TestApp } from './test-app.js';

let counter = 0;

/** A person as the registration endpoint takes them. */
export type Person = RegistrationInput;

/** A person with a structurally valid NIK (Kota Bekasi, 32.75.01) whose birth date and gender match it. */
export function makePerson(overrides: Partial<Person> = {}): Person {
  counter += 1;
  const gender = overrides.gender ?? (counter % 2 === 0 ? 'F' : 'M');
  const day = 1 + (counter % 28);
  const birthDate = overrides.birthDate ?? `1990-05-${String(day).padStart(2, '0')}`;
  const [y, m, d] = birthDate.split('-') as [string, string, string];
  const nikDay = String(Number(d) + (gender === 'F' ? 40 : 0)).padStart(2, '0');
  const serial = String(1 + ((process.pid * 7 + counter * 13) % 9998)).padStart(4, '0');
  const unique = String(1_000_000 + ((counter * 7919 + process.pid) % 8_999_999)).slice(-7);
  return {
    nik: `327501${nikDay}${m}${y.slice(2)}${serial}`,
    fullName: gender === 'F' ? 'Siti Rahmawati' : 'Budi Santoso',
    birthDate,
    gender,
    phone: `0812${unique}${counter % 10}`,
    email: `peserta${counter}.${process.pid}@contoh.id`,
    address: 'Jl. Merdeka No. 1, Bekasi',
    occupationCode: 'OJOL',
    branchCode: 'JKT-SALEMBA',
    consent: true,
    ...overrides,
  };
}

export async function addResident(t: TestApp, p: Pick<Person, 'nik' | 'fullName' | 'birthDate' | 'gender'>): Promise<void> {
  const res = await t.post('/dev/population', { nik: p.nik, fullName: p.fullName, birthDate: p.birthDate, gender: p.gender });
  expect(res.status).toBe(201);
}

export async function latestData(t: TestApp, to: string, key: 'token' | 'otp'): Promise<string> {
  const res = await t.get(`/dev/outbox?to=${encodeURIComponent(to)}`);
  const msg = (res.body.messages as { data: Record<string, string> }[]).find((m) => m.data[key]);
  if (!msg) {
    throw new Error(`no message with ${key} to ${to}`);
  }
  return msg.data[key] as string;
}

/** Registers and verifies both channels; returns the registration id. */
export async function registerVerified(t: TestApp, person: Person): Promise<string> {
  await addResident(t, person);
  const reg = await t.post('/api/v1/registrations', person);
  expect(reg.status, JSON.stringify(reg.body)).toBe(201);
  const id = reg.body.id as string;
  expect((await t.post(`/api/v1/registrations/${id}/verify-email`, { token: await latestData(t, person.email, 'token') })).status).toBe(200);
  expect((await t.post(`/api/v1/registrations/${id}/verify-phone`, { code: await latestData(t, person.phone, 'otp') })).status).toBe(200);
  return id;
}

let externalCounter = 0;

/** Back to a fresh module's counters (test/support/per-file.ts, before every test file: workers reuse modules). */
export function resetFactoryCounters(): void {
  counter = 0;
  externalCounter = 0;
}
export function nextExternalId(): string {
  externalCounter += 1;
  return `ext-${process.pid}-${externalCounter}-${Date.now()}`;
}

export async function payBill(t: TestApp, bill: { paymentCode: string; amount: number }, channel = 'va') {
  return t.notify({ externalId: nextExternalId(), paymentCode: bill.paymentCode, amount: bill.amount, channel, paidAt: t.clock.now().toISOString() });
}

export async function login(t: TestApp, phone: string): Promise<string> {
  expect((await t.post('/api/v1/auth/otp', { phone })).status).toBe(202);
  const res = await t.post('/api/v1/auth/verify', { phone, code: await latestData(t, phone, 'otp') });
  expect(res.status, JSON.stringify(res.body)).toBe(200);
  return res.body.token as string;
}

/** The whole first journey: register, verify, submit, pay, sign in. */
export async function activeMember(
  t: TestApp,
  options: { person?: Partial<Person>; programs?: string[]; declaredIncome?: number; months?: number } = {},
) {
  const person = makePerson(options.person);
  const registrationId = await registerVerified(t, person);
  const submit = await t.post(`/api/v1/registrations/${registrationId}/submit`, {
    programs: options.programs ?? ['JKK', 'JKM'],
    declaredIncome: options.declaredIncome ?? 1_000_000,
    months: options.months ?? 1,
  });
  expect(submit.status, JSON.stringify(submit.body)).toBe(201);
  const bill = submit.body.bill as { paymentCode: string; amount: number; months: { month: string }[] };
  const paid = await payBill(t, bill);
  expect(paid.body).toEqual({ status: 'applied' });
  const token = await login(t, person.phone);
  const me = await t.get('/api/v1/me', { authorization: `Bearer ${token}` });
  return { person, registrationId, bill, token, kpj: me.body.kpj as string, auth: { authorization: `Bearer ${token}` } };
}

/**
 * Two active members registered with one phone (a husband and wife sharing it), the wife the newer; the clock is moved
 * past the 60-second OTP cooldown after each one's sign-in, so the phone can be sent a login code at once.
 */
export async function membersSharingPhone(t: TestApp) {
  const phone = makePerson().phone;
  const husband = await activeMember(t, { person: { phone, gender: 'M' } });
  t.clock.advance(61_000);
  const wife = await activeMember(t, { person: { phone, gender: 'F' } });
  t.clock.advance(61_000);
  return { phone, husband, wife };
}

/** A six-digit code that is surely not `code` (the next number, wrapping): a wrong OTP to type. */
export function wrongCode(code: string): string {
  return String((Number(code) + 1) % 1_000_000).padStart(6, '0');
}
