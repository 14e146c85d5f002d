import { randomBytes } from 'node:crypto';
import { expect } from 'vitest';
import { activeMember, addResident, makePerson, type Person } from './factories.js';
import type { TestApp } from './test-app.js';

/** A UUIDv7 as the agent app makes it (48-bit milliseconds, version 7, variant 10). */
export function uuidv7(ms = Date.now()): string {
  const b = randomBytes(16);
  b.writeUIntBE(ms, 0, 6);
  b[6] = 0x70 | ((b[6] ?? 0) & 0x0f);
  b[8] = 0x80 | ((b[8] ?? 0) & 0x3f);
  const h = b.toString('hex');
  return `${h.slice(0, 8)}-${h.slice(8, 12)}-${h.slice(12, 16)}-${h.slice(16, 20)}-${h.slice(20)}`;
}

export const AGENT_ADMIN = { authorization: 'Bearer dev-staff-key' };
export const AGENT_PLAN = { programs: ['JKK', 'JKM'], declaredIncome: 1_000_000, months: 1 };
/** JKK 10.000 + JKM 6.800 − 50 % (PP 50/2025, transport sector) for one month. */
export const AGENT_FIRST_BILL = 8_400;

/** An enrol command's payload for a person of the factories (Formulir 1A without email, consent or branch). */
export function enrolPayload(p: Person) {
  const { branchCode: _b, consent: _c, email: _e, ...person } = p;
  return { ...person, ...AGENT_PLAN };
}

/** A new active member made an agent of `kantorCode` (the kantor must exist). */
export async function newAgent(t: TestApp, kantorCode: string, cashLimit?: number) {
  const m = await activeMember(t);
  const res = await t.post('/api/v1/staff/agents', { kpj: m.kpj, kantorCode, ...(cashLimit === undefined ? {} : { cashLimit }) }, AGENT_ADMIN);
  expect(res.status, JSON.stringify(res.body)).toBe(201);
  return { auth: m.auth, code: res.body.agentCode as string, kpj: m.kpj };
}

/** A new worker (in the population registry) and the two commands an agent makes offline: enrol, then collect the first bill. */
export async function enrolCommands(t: TestApp, amount = AGENT_FIRST_BILL) {
  const worker = makePerson({ email: '' });
  await addResident(t, worker);
  const enrolId = uuidv7();
  const now = t.clock.now().toISOString();
  const commands = [
    { id: enrolId, type: 'enrol', createdAt: now, payload: enrolPayload(worker) },
    { id: uuidv7(), type: 'collect', createdAt: now, payload: { enrolCommandId: enrolId, months: 1, amount, collectedAt: now } },
  ];
  return { worker, commands };
}
