import { randomBytes } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { outbox } from '../support/api-errors.js';
import { activeMember, addResident, makePerson, type Person } from '../support/factories.js';
import { createTestApp, type TestApp } from '../support/test-app.js';

/** A UUIDv7 as the agent app makes it. */
export function uuidv7(ms = Date.now()): string {
  const b = randomBytes(16);
  b.writeUIntBE(ms, 0, 6);
  b[6] = 0x70 | ((b[6] ?? 0) & 0x0f);
  b[8] = 0x80 | ((b[8] ?? 0) & 0x3f);
  const h = b.toString('hex');
  return `${h.slice(0, 8)}-${h.slice(8, 12)}-${h.slice(12, 16)}-${h.slice(16, 20)}-${h.slice(20)}`;
}

let t: TestApp;
let agentAuth: Record<string, string>;
const PLAN = { programs: ['JKK', 'JKM'], declaredIncome: 1_000_000, months: 1 };

function enrolPayload(p: Person) {
  const { branchCode: _b, consent: _c, email: _e, ...person } = p;
  return { ...person, ...PLAN };
}

const send = (commands: unknown[], h = agentAuth) => t.post('/api/v1/agent/commands', { commands }, h);

beforeAll(async () => {
  t = await createTestApp();
  const agent = await activeMember(t);
  agentAuth = agent.auth;
  const me = await t.db.selectFrom('participant').select('id').where('kpj', '=', agent.kpj).executeTakeFirstOrThrow();
  await t.db.insertInto('kantor_perisai').values({ code: 'KP-SMOKE', name: 'Kantor Perisai Uji', branch_code: 'JKT-SALEMBA', created_at: new Date() }).execute();
  await t.db
    .insertInto('agent')
    .values({ participant_id: me.id, agent_code: 'AG900001', kantor_code: 'KP-SMOKE', branch_code: 'JKT-SALEMBA', cash_limit: 5_000_000, status: 'active', started_at: new Date() })
    .execute();
});

afterAll(async () => {
  await t.close();
});

describe('POST /api/v1/agent/commands (smoke)', () => {
  it('enrol + collect in one request: a KPJ, a receipt, the same answers again', async () => {
    const worker = makePerson({ email: '' });
    await addResident(t, worker);
    const enrolId = uuidv7();
    const collectId = uuidv7();
    const now = t.clock.now().toISOString();
    const commands = [
      { id: enrolId, type: 'enrol', createdAt: now, payload: enrolPayload(worker) },
      { id: collectId, type: 'collect', createdAt: now, payload: { enrolCommandId: enrolId, months: 1, amount: 8_400, collectedAt: now } },
    ];
    const first = await send(commands);
    expect(first.status, JSON.stringify(first.body)).toBe(200);
    expect(first.body.results.map((r: { status: string }) => r.status), JSON.stringify(first.body)).toEqual(['accepted', 'accepted']);
    const kpj = first.body.results[1].result.kpj as string;
    expect(kpj).toMatch(/^\d+$/);
    expect(first.body.results[1].result.receiptNo).toBe('KW-AG900001-000001');
    const again = await send(commands);
    expect(again.body).toEqual(first.body);
    const sms = await outbox(t, worker.phone);
    expect(sms.some((m) => /kode cek [A-Z2-9]{6}/.test(m.body))).toBe(true);
  });
});
