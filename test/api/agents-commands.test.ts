import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { getAllBalances } from '../../src/modules/ledger/ledger.js';
import { expectError, outbox } from '../support/api-errors.js';
import { AGENT_ADMIN, AGENT_FIRST_BILL, enrolCommands, enrolPayload, newAgent, uuidv7 } from '../support/agents.js';
import { activeMember, makePerson } from '../support/factories.js';
import { commandFingerprint } from '../../src/modules/agents/domain/commands.js';
import { nikHashOf } from '../support/nik.js';
import { createTestApp, type TestApp } from '../support/test-app.js';

/**
 * PERISAI agents (issue 17 item 5; docs/agent-guide.md): the staff make an agent, the offline app's command API
 * (enrol, collect) is idempotent by the client's UUIDv7 — a replay, a racing replay, a conflict — the cash limit,
 * deposits reconciled, and the worker's receipt check.
 */
let t: TestApp;
const ADMIN = AGENT_ADMIN;
const FIRST_BILL = AGENT_FIRST_BILL;
const KANTOR = `KP-UJI-${process.pid}`;
let agent: { auth: Record<string, string>; code: string; kpj: string };

const send = (commands: unknown[], h = agent.auth) => t.post('/api/v1/agent/commands', { commands }, h);
const statuses = (body: { results: { status: string }[] }) => body.results.map((r) => r.status);

const makeAgent = (cashLimit?: number) => newAgent(t, KANTOR, cashLimit);

async function enrolAndCollect(a = agent, amount = FIRST_BILL) {
  const { worker, commands } = await enrolCommands(t, amount);
  return { worker, commands, res: await send(commands, a.auth) };
}

beforeAll(async () => {
  t = await createTestApp();
  expect((await t.post('/api/v1/staff/kantor-perisai', { code: KANTOR, name: 'Kantor Perisai Desa Uji', branchCode: 'JKT-SALEMBA' }, ADMIN)).status).toBe(201);
  agent = await makeAgent();
});

afterAll(async () => {
  await t.close();
});

describe('staff: Kantor Perisai and agents', () => {
  it('a kantor code once; a participant an agent once (AG + 6 digits); non-members refused with stable codes', async () => {
    expectError(await t.post('/api/v1/staff/kantor-perisai', { code: KANTOR, name: 'Lagi', branchCode: 'JKT-SALEMBA' }, ADMIN), 409, 'kantor_perisai_exists', 'code');
    expectError(await t.post('/api/v1/staff/kantor-perisai', { code: 'KP-X', name: 'X', branchCode: 'NOWHERE' }, ADMIN), 422, 'unknown_branch', 'branchCode');
    expect(agent.code).toMatch(/^AG\d{6}$/);
    expectError(await t.post('/api/v1/staff/agents', { kpj: agent.kpj, kantorCode: KANTOR }, ADMIN), 409, 'already_agent', 'kpj');
    expectError(await t.post('/api/v1/staff/agents', { kpj: '99999999999', kantorCode: KANTOR }, ADMIN), 404, 'unknown_participant', 'kpj');
    const m = await activeMember(t);
    expectError(await t.post('/api/v1/staff/agents', { kpj: m.kpj, kantorCode: 'KP-NONE' }, ADMIN), 422, 'unknown_kantor_perisai', 'kantorCode');
    const audit = await t.db.selectFrom('staff_audit').select('action').where('action', 'in', ['kantor_perisai.create', 'agent.start']).execute();
    expect(audit.length).toBeGreaterThanOrEqual(2);
  });

  it('a member who is not an agent is forbidden the agent API', async () => {
    const m = await activeMember(t);
    expectError(await send([{ id: uuidv7(), type: 'enrol', createdAt: t.clock.now().toISOString(), payload: {} }], m.auth), 403, 'forbidden');
    expectError(await t.get('/api/v1/agent/me', m.auth), 403, 'forbidden');
    expectError(await t.post('/api/v1/agent/commands', { commands: [] }), 401, 'unauthorized');
  });
});

describe('POST /api/v1/agent/commands', () => {
  it('enrol + collect in one request: a KPJ and a receipt; the same request again: the same answers, one participant, one payment', async () => {
    const { worker, commands, res } = await enrolAndCollect();
    expect(res.status, JSON.stringify(res.body)).toBe(200);
    expect(statuses(res.body), JSON.stringify(res.body)).toEqual(['accepted', 'accepted']);
    const [enrolled, collected] = res.body.results;
    expect(enrolled.result).toEqual({ registrationId: expect.any(String), paymentCode: expect.any(String), amount: FIRST_BILL });
    expect(collected.result).toEqual({ kpj: expect.stringMatching(/^\d+$/), paymentCode: enrolled.result.paymentCode, receiptNo: expect.stringMatching(new RegExp(`^KW-${agent.code}-\\d{6}$`)), amount: FIRST_BILL });
    const again = await send(commands);
    expect(again.body).toEqual(res.body);
    const participants = await t.db.selectFrom('participant').select('id').where('kpj', '=', collected.result.kpj).execute();
    expect(participants).toHaveLength(1);
    const payments = await t.db.selectFrom('payment').select(['id', 'channel', 'external_id']).where('payment_code', '=', enrolled.result.paymentCode).execute();
    expect(payments).toEqual([{ id: expect.any(String), channel: 'agent', external_id: `agent:${commands[1]!.id}` }]);
    const reg = await t.db.selectFrom('registration').select(['channel', 'registered_by', 'status']).where('id', '=', enrolled.result.registrationId).executeTakeFirstOrThrow();
    expect(reg).toEqual({ channel: 'agent', registered_by: agent.code, status: 'completed' });
    const sms = await outbox(t, worker.phone);
    expect(sms.some((m) => m.body.includes(collected.result.receiptNo) && /kode cek [A-Z2-9]{6}/.test(m.body))).toBe(true);
    expect(sms.some((m) => m.data.otp !== undefined)).toBe(false); // the agent attests the phone: no OTP
    const row = await t.db.selectFrom('agent').select('last_activity_at').where('agent_code', '=', agent.code).executeTakeFirstOrThrow();
    expect(row.last_activity_at).not.toBeNull();
    expect((await getAllBalances(t.db)).get('clearing:agent')).toBeLessThan(0);
  });

  it('two racing replays of the same commands: one registration, one payment, identical answers', async () => {
    const { worker, commands } = await enrolCommands(t);
    const [a, b] = await Promise.all([send(commands), send(commands)]);
    expect(statuses(a.body), JSON.stringify(a.body)).toEqual(['accepted', 'accepted']);
    expect(b.body).toEqual(a.body);
    const regs = await t.db.selectFrom('registration').select('id').where('nik_hash', '=', nikHashOf(worker.nik)).execute();
    expect(regs).toHaveLength(1);
    expect(await t.db.selectFrom('payment').select('id').where('external_id', '=', `agent:${commands[1]!.id}`).execute()).toHaveLength(1);
    expect(await t.db.selectFrom('agent_collection').select('id').where('command_id', '=', commands[1]!.id).execute()).toHaveLength(1);
  });

  it('the same id with another payload: rejected command_conflict, the first answer kept', async () => {
    const { commands, res } = await enrolAndCollect();
    const changed = { ...commands[1]!, payload: { ...(commands[1]!.payload as object), amount: FIRST_BILL + 1 } };
    const conflict = await send([changed]);
    expect(conflict.body.results).toEqual([{ id: changed.id, status: 'rejected', reasons: [{ code: 'command_conflict', field: 'id', message: expect.stringMatching(/^ID perintah ini sudah dipakai/) }] }]);
    expect((await send([commands[1]])).body.results[0]).toEqual(res.body.results[1]);
  });

  it('rejections carry the registration codes and fields; a wrong amount is amount_mismatch; nothing is paid', async () => {
    const worker = makePerson({ email: '' });
    const now = t.clock.now().toISOString();
    const bad = await send([
      { id: uuidv7(), type: 'enrol', createdAt: now, payload: { ...enrolPayload(worker), nik: '123' } },
      { id: uuidv7(), type: 'enrol', createdAt: now, payload: { ...enrolPayload(worker), phone: undefined } },
      { id: uuidv7(), type: 'collect', createdAt: now, payload: { enrolCommandId: uuidv7(), months: 1, amount: FIRST_BILL, collectedAt: now } },
    ]);
    expect(bad.body.results.map((r: { reasons: { code: string; field?: string }[] }) => r.reasons.map(({ code, field }) => ({ code, field })))).toEqual([
      [{ code: 'invalid_nik', field: 'nik' }],
      [{ code: 'invalid_request', field: 'phone' }],
      [{ code: 'unknown_enrolment', field: 'enrolCommandId' }],
    ]);
    const { res } = await enrolAndCollect(agent, FIRST_BILL - 1);
    expect(res.body.results[1].reasons).toEqual([{ code: 'amount_mismatch', field: 'amount', message: expect.stringMatching(/^Jumlah uang tidak sama/) }]);
    expect(await t.db.selectFrom('payment').select('id').where('payment_code', '=', res.body.results[0].result.paymentCode).execute()).toHaveLength(0);
  });

  it("collect for a member's next months by KPJ, through a new bill", async () => {
    const member = await activeMember(t);
    const now = t.clock.now().toISOString();
    const quote = await send([{ id: uuidv7(), type: 'collect', createdAt: now, payload: { kpj: member.kpj, months: 3, amount: 1, collectedAt: now } }]);
    expect(quote.body.results[0].reasons[0].code).toBe('amount_mismatch');
    const bill = await t.db.selectFrom('bill').select(['amount', 'payment_code']).where('participant_id', '=', (await t.db.selectFrom('participant').select('id').where('kpj', '=', member.kpj).executeTakeFirstOrThrow()).id).where('status', '=', 'open').executeTakeFirstOrThrow();
    const paid = await send([{ id: uuidv7(), type: 'collect', createdAt: now, payload: { kpj: member.kpj, months: 3, amount: Number(bill.amount), collectedAt: now } }]);
    expect(paid.body.results[0]).toMatchObject({ status: 'accepted', result: { kpj: member.kpj, amount: Number(bill.amount) } });
  });
});

describe('a command left pending by a crashed request', () => {
  it('is waited for while fresh, then taken over once stale: applied once, answered accepted', async () => {
    const member = await activeMember(t);
    const now = t.clock.now();
    const cmd = { id: uuidv7(), type: 'collect' as const, createdAt: now.toISOString(), payload: { kpj: member.kpj, months: 1, amount: 1, collectedAt: now.toISOString() } };
    const me = await t.db.selectFrom('agent').select('participant_id').where('agent_code', '=', agent.code).executeTakeFirstOrThrow();
    await t.db
      .insertInto('agent_command')
      .values({ id: cmd.id, agent_id: me.participant_id, type: 'collect', fingerprint: commandFingerprint(cmd), status: 'pending', client_created_at: now, received_at: new Date(now.getTime() - 3 * 60_000) })
      .execute();
    const res = await send([cmd]);
    expect(res.body.results[0].reasons.map((r: { code: string }) => r.code)).toEqual(['amount_mismatch']); // taken over and decided
    expect((await t.db.selectFrom('agent_command').select('status').where('id', '=', cmd.id).executeTakeFirstOrThrow()).status).toBe('rejected');
  });
});

describe('cash limit, deposits, receipts, ending', () => {
  it('over the cash limit: cash_limit_exceeded until a deposit; the cash view reconciles oldest first', async () => {
    const small = await makeAgent(FIRST_BILL + 100);
    const first = await enrolAndCollect(small);
    expect(statuses(first.res.body)).toEqual(['accepted', 'accepted']);
    const second = await enrolAndCollect(small);
    expect(second.res.body.results[1].reasons.map((r: { code: string }) => r.code)).toEqual(['cash_limit_exceeded']);
    const FINANCE = ADMIN;
    const cash0 = await t.get(`/api/v1/staff/agents/${small.code}/cash`, FINANCE);
    expect(cash0.body).toMatchObject({ collected: FIRST_BILL, deposited: 0, outstanding: FIRST_BILL, limit: FIRST_BILL + 100 });
    expect(cash0.body.collections).toEqual([{ receiptNo: first.res.body.results[1].result.receiptNo, amount: FIRST_BILL, open: FIRST_BILL, receivedAt: expect.any(String) }]);
    const deposit = { id: randomUUID(), amount: FIRST_BILL, reference: 'Setoran BRI 0001', depositedAt: t.clock.now().toISOString() };
    const d1 = await t.post(`/api/v1/staff/agents/${small.code}/deposits`, deposit, FINANCE);
    expect(d1.status, JSON.stringify(d1.body)).toBe(201);
    expect((await t.post(`/api/v1/staff/agents/${small.code}/deposits`, deposit, FINANCE)).body).toEqual(d1.body);
    expectError(await t.post(`/api/v1/staff/agents/${small.code}/deposits`, { ...deposit, amount: 1 }, FINANCE), 409, 'idempotency_key_reused', 'id');
    const cash1 = await t.get(`/api/v1/staff/agents/${small.code}/cash`, FINANCE);
    expect(cash1.body).toMatchObject({ collected: FIRST_BILL, deposited: FIRST_BILL, outstanding: 0, collections: [] });
    const third = await enrolAndCollect(small);
    expect(statuses(third.res.body)).toEqual(['accepted', 'accepted']);
  });

  it('the worker checks the receipt with the SMS code: valid; a wrong code or number: invalid', async () => {
    const { worker, res } = await enrolAndCollect();
    const receiptNo = res.body.results[1].result.receiptNo as string;
    const sms = (await outbox(t, worker.phone)).find((m) => m.body.includes(receiptNo));
    const code = sms?.data['checkCode'] as string;
    expect(code).toMatch(/^[A-Z2-9]{6}$/);
    const ok = await t.get(`/api/v1/receipts/${receiptNo}?code=${code}`);
    expect(ok.body).toEqual({ valid: true, amount: FIRST_BILL, months: 1, kpjMasked: expect.stringMatching(/^\*+\d{4}$/), receivedAt: expect.any(String) });
    const wrong = code === 'AAAAAA' ? 'BBBBBB' : 'AAAAAA';
    expect((await t.get(`/api/v1/receipts/${receiptNo}?code=${wrong}`)).body).toEqual({ valid: false, amount: null, months: null, kpjMasked: null, receivedAt: null });
    expect((await t.get(`/api/v1/receipts/KW-AG999999-999999?code=${code}`)).body.valid).toBe(false);
    const page = await t.get(`/kuitansi?no=${receiptNo}&kode=${code.toLowerCase()}`);
    expect(page.status).toBe(200);
    expect(page.body.toString()).toContain('Kuitansi sah');
    const bad = await t.get(`/kuitansi?no=${receiptNo}&kode=${wrong}`);
    expect(bad.body.toString()).toContain('Kuitansi tidak ditemukan atau kode cek salah');
    expect((await t.get('/kuitansi')).body.toString()).toContain('Cek kuitansi agen PERISAI');
  });

  it("an ended agent's new commands are rejected agent_ended; stored answers stay", async () => {
    const ending = await makeAgent();
    const { commands, res } = await enrolAndCollect(ending);
    const end = await t.post(`/api/v1/staff/agents/${ending.code}/end`, { reason: 'tidak aktif 3 bulan' }, ADMIN);
    expect(end.body).toMatchObject({ status: 'ended', endedReason: 'tidak aktif 3 bulan' });
    expectError(await t.get('/api/v1/agent/me', ending.auth), 403, 'agent_ended');
    expect((await send(commands, ending.auth)).body).toEqual(res.body);
    const after = await send([{ ...commands[0]!, id: uuidv7() }], ending.auth);
    expect(after.body.results[0].reasons.map((r: { code: string }) => r.code)).toEqual(['agent_ended']);
  });
});

describe('receipt checks are rate-limited per IP', () => {
  it('over receipt-check-ip: 429 rate_limited on the API and the page', async () => {
    const limited = await createTestApp({ env: { RATE_LIMITS: 'receipt-check-ip=2/60' } });
    try {
      for (let i = 0; i < 2; i++) expect((await limited.get('/api/v1/receipts/KW-AG000001-000001?code=ABCDEF')).body.valid).toBe(false);
      expectError(await limited.get('/api/v1/receipts/KW-AG000001-000001?code=ABCDEF'), 429, 'rate_limited');
      expect((await limited.get('/kuitansi?no=KW-AG000001-000001&kode=ABCDEF')).status).toBe(429);
      expect((await limited.get('/kuitansi')).status).toBe(200);
    } finally {
      await limited.close();
    }
  });
});
