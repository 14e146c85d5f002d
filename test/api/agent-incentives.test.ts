import { randomBytes } from 'node:crypto';
import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runDueJobs } from '../../src/modules/jobs/index.js';
import { computeKantorMonth, defaultIncentiveRuleBook } from '../../src/modules/incentives/index.js';
import { percentOfBps } from '../../src/shared/money.js';
import { expectError, outbox } from '../support/api-errors.js';
import { staffHeaders } from '../support/claims.js';
import { activeMember, addResident, login, makePerson, type Person } from '../support/factories.js';
import { createTestApp, type TestApp } from '../support/test-app.js';

/**
 * PERISAI incentives (issue 17 item 5; src/modules/incentives): an agent who enrolled 25 workers with JHT, all paid in
 * November, earns 25 × Rp15.000 and 15% of their contributions; one with a single JKK+JKM enrolment only the 15%; the
 * Kantor 10% on top. The December cycle computes November once however often it runs, the statements show the lines,
 * finance pays them four-eyes, and an agent idle since August is ended.
 */
let t: TestApp;

/** A command id as the agent app makes it (UUIDv7). */
function uuidv7(ms = Date.now()): string {
  const b = randomBytes(16);
  b.writeUIntBE(ms, 0, 6);
  b[6] = 0x70 | ((b[6] ?? 0) & 0x0f);
  b[8] = 0x80 | ((b[8] ?? 0) & 0x3f);
  return b.toString('hex').replace(/^(.{8})(.{4})(.{4})(.{4})(.{12})$/, '$1-$2-$3-$4-$5');
}

const KANTOR = 'KP-INSENTIF';
type Agent = { code: string; auth: Record<string, string>; phone: string; participantId: string };
let big: Agent;
let small: Agent;
let idle: Agent;

async function makeAgent(code: string, startedAt: Date): Promise<Agent> {
  const m = await activeMember(t);
  const p = await t.db.selectFrom('participant').select('id').where('kpj', '=', m.kpj).executeTakeFirstOrThrow();
  await t.db.insertInto('agent').values({ participant_id: p.id, agent_code: code, kantor_code: KANTOR, branch_code: 'JKT-SALEMBA', cash_limit: 50_000_000, status: 'active', started_at: startedAt }).execute();
  return { code, auth: m.auth, phone: m.person.phone, participantId: p.id };
}

function enrolPayload(p: Person, programs: string[]) {
  const { branchCode: _b, consent: _c, email: _e, ...person } = p;
  return { ...person, programs, declaredIncome: 1_000_000, months: 1 };
}

/** Enrols workers through the command API, then collects each first bill: the contributions the agent brought in. */
async function enrolAndCollect(agent: Agent, count: number, programs: string[]): Promise<number> {
  const now = t.clock.now().toISOString();
  const enrols = [];
  for (let i = 0; i < count; i++) {
    const worker = makePerson({ email: '' });
    await addResident(t, worker);
    enrols.push({ id: uuidv7(), type: 'enrol', createdAt: now, payload: enrolPayload(worker, programs) });
  }
  const first = await t.post('/api/v1/agent/commands', { commands: enrols }, agent.auth);
  expect(first.status, JSON.stringify(first.body)).toBe(200);
  const results = first.body.results as { id: string; status: string; result: { amount: number } }[];
  expect(results.map((r) => r.status)).toEqual(enrols.map(() => 'accepted'));
  const collects = results.map((r) => ({ id: uuidv7(), type: 'collect', createdAt: now, payload: { enrolCommandId: r.id, months: 1, amount: r.result.amount, collectedAt: now } }));
  const second = await t.post('/api/v1/agent/commands', { commands: collects }, agent.auth);
  expect(second.body.results.map((r: { status: string }) => r.status), JSON.stringify(second.body)).toEqual(collects.map(() => 'accepted'));
  return results.reduce((s, r) => s + r.result.amount, 0);
}

const incentiveTransfers = () => t.db.selectFrom('ledger_transfer').select(['id', 'amount', 'debit_account', 'credit_account']).where('code', '=', 'agent_incentive').orderBy('id').execute();
const balance = async (account: string) =>
  Number((await sql<{ b: string }>`select coalesce(sum(case when credit_account = ${account} then amount else -amount end), 0)::int8 as b from ledger_transfer where credit_account = ${account} or debit_account = ${account}`.execute(t.db)).rows[0]?.b);

let bigContributions = 0;
let smallContributions = 0;

beforeAll(async () => {
  t = await createTestApp();
  await t.db.insertInto('kantor_perisai').values({ code: KANTOR, name: 'Kantor Perisai Insentif', branch_code: 'JKT-SALEMBA', created_at: t.clock.now() }).execute();
  big = await makeAgent('AG910001', t.clock.now());
  small = await makeAgent('AG910002', t.clock.now());
  idle = await makeAgent('AG910003', new Date('2026-08-10T03:00:00Z'));
  bigContributions = await enrolAndCollect(big, 25, ['JKK', 'JKM', 'JHT']);
  smallContributions = await enrolAndCollect(small, 1, ['JKK', 'JKM']);
  // 1 December 2026, 08:00 WIB: the day's cycle schedules November's incentives and December's ending.
  t.clock.set(new Date('2026-12-01T01:00:00Z'));
  const run = await runDueJobs(t.deps);
  expect(run.jobs.filter((j) => j.id.startsWith('agent-'))).toEqual([
    { id: 'agent-ending:2026-12', kind: 'agent_ending', outcome: 'done' },
    { id: 'agent-incentives:2026-11', kind: 'agent_incentives', outcome: 'done' },
  ]);
  // The November sessions have lapsed: the agents sign in again.
  for (const a of [big, small, idle]) {
    a.auth = { authorization: `Bearer ${await login(t, a.phone)}` };
  }
}, 300_000);

afterAll(async () => t.close());

describe('the monthly incentives job (agent-incentives:<month>)', () => {
  const bigTotal = () => 25 * 15_000 + percentOfBps(bigContributions, 1_500);
  const smallTotal = () => percentOfBps(smallContributions, 1_500);

  it('25 new with JHT paid in the month: 25 × Rp15.000 + 15% of their contributions, in the ledger', async () => {
    expect(bigContributions).toBeGreaterThan(0);
    const transfers = await incentiveTransfers();
    expect(transfers).toEqual([
      { id: `incentive:${big.code}:2026-11:acquisition`, amount: 375_000, debit_account: 'expense:agent_incentive', credit_account: `payable:agent:${big.code}` },
      { id: `incentive:${big.code}:2026-11:contribution`, amount: percentOfBps(bigContributions, 1_500), debit_account: 'expense:agent_incentive', credit_account: `payable:agent:${big.code}` },
      { id: `incentive:${small.code}:2026-11:contribution`, amount: smallTotal(), debit_account: 'expense:agent_incentive', credit_account: `payable:agent:${small.code}` },
      { id: `incentive:${KANTOR}:2026-11:kantor_share`, amount: percentOfBps(bigTotal() + smallTotal(), 1_000), debit_account: 'expense:agent_incentive', credit_account: `payable:kantor:${KANTOR}` },
    ]);
    expect(await balance(`payable:agent:${big.code}`)).toBe(bigTotal());
  });

  it('runs twice → one set of ledger entries and statements', async () => {
    const before = await incentiveTransfers();
    await t.db.transaction().execute((trx) => computeKantorMonth(trx, { kantorCode: KANTOR, month: '2026-11', book: defaultIncentiveRuleBook, now: t.clock.now() }));
    await sql`update job set status = 'pending', run_at = ${t.clock.now()} where id = 'agent-incentives:2026-11'`.execute(t.db);
    expect((await runDueJobs(t.deps, { recurring: [] })).jobs).toEqual([{ id: 'agent-incentives:2026-11', kind: 'agent_incentives', outcome: 'done' }]);
    expect(await incentiveTransfers()).toEqual(before);
    const statements = await t.db.selectFrom('agent_incentive_statement').select(['id']).where('month', '=', '2026-11').orderBy('id').execute();
    expect(statements.map((s) => s.id)).toEqual([`agent:${big.code}:2026-11`, `agent:${small.code}:2026-11`, `agent:${idle.code}:2026-11`, `kantor:${KANTOR}:2026-11`].sort());
  });

  it('the agent sees the statement lines (GET /agent/statements?month=)', async () => {
    const res = await t.get('/api/v1/agent/statements?month=2026-11', big.auth);
    expect(res.status, JSON.stringify(res.body)).toBe(200);
    const [s] = res.body.statements;
    expect(s).toMatchObject({ id: `agent:${big.code}:2026-11`, month: '2026-11', holderKind: 'agent', newCount: 25, total: bigTotal(), payBy: '2026-12-05', status: 'due' });
    expect(s.lines).toEqual([
      { kind: 'acquisition_jht', count: 25, unit: 15_000, base: null, bps: null, tier: null, amount: 375_000 },
      { kind: 'contribution_tier', count: 25, unit: null, base: bigContributions, bps: 1_500, tier: '1-24', amount: percentOfBps(bigContributions, 1_500) },
    ]);
    const smallRes = await t.get('/api/v1/agent/statements', small.auth);
    expect(smallRes.body.statements[0]).toMatchObject({ newCount: 1, total: smallTotal(), lines: [{ kind: 'contribution_tier', count: 1 }] });
    const notAgent = await activeMember(t);
    expectError(await t.get('/api/v1/agent/statements', notAgent.auth), 403, 'forbidden');
  });

  it('staff read an agent’s statements with its Kantor’s; finance pays four-eyes', async () => {
    const finance1 = await staffHeaders(t, ['finance']);
    const finance2 = await staffHeaders(t, ['finance']);
    const supervisor = await staffHeaders(t, ['supervisor']);
    const read = await t.get(`/api/v1/staff/agents/${big.code}/statements?month=2026-11`, supervisor);
    expect(read.status, JSON.stringify(read.body)).toBe(200);
    expect(read.body.kantor[0]).toMatchObject({ holderKind: 'kantor', holderCode: KANTOR, total: percentOfBps(bigTotal() + smallTotal(), 1_000), lines: [{ kind: 'kantor_share', bps: 1_000, base: bigTotal() + smallTotal() }] });
    expectError(await t.get('/api/v1/staff/agents/AG999999/statements', supervisor), 404, 'unknown_agent', 'code');
    const id = `agent:${big.code}:2026-11`;
    expectError(await t.post(`/api/v1/staff/agent-statements/${id}/paid`, { reference: 'TRF-1' }, finance1), 409, 'incentive_statement_not_approved', 'id');
    expect((await t.post(`/api/v1/staff/agent-statements/${id}/approve`, undefined, finance1)).body).toMatchObject({ status: 'approved' });
    expectError(await t.post(`/api/v1/staff/agent-statements/${id}/approve`, undefined, finance2), 409, 'incentive_statement_not_due', 'id');
    expectError(await t.post(`/api/v1/staff/agent-statements/${id}/paid`, { reference: 'TRF-20261204-1' }, finance1), 409, 'incentive_same_officer', 'id');
    expectError(await t.post(`/api/v1/staff/agent-statements/${id}/approve`, undefined, supervisor), 403, 'forbidden');
    const paid = await t.post(`/api/v1/staff/agent-statements/${id}/paid`, { reference: 'TRF-20261204-1' }, finance2);
    expect(paid.body, JSON.stringify(paid.body)).toMatchObject({ status: 'paid', paymentReference: 'TRF-20261204-1' });
    expect(await balance(`payable:agent:${big.code}`)).toBe(0);
    expect(await balance('clearing:disbursement')).toBe(bigTotal());
  });
});

describe('ending: 3 calendar months without an acquisition or a transaction', () => {
  it('the agent idle since August is ended on 1 December and told by SMS; the active ones are not', async () => {
    const agents = await t.db.selectFrom('agent').select(['agent_code', 'status', 'ended_reason']).where('kantor_code', '=', KANTOR).orderBy('agent_code').execute();
    expect(agents).toEqual([
      { agent_code: big.code, status: 'active', ended_reason: null },
      { agent_code: small.code, status: 'active', ended_reason: null },
      { agent_code: idle.code, status: 'ended', ended_reason: 'inactive_3_months' },
    ]);
    const sms = await outbox(t, idle.phone);
    expect(sms.some((m) => m.body.includes(`Keagenan PERISAI ${idle.code} diakhiri`))).toBe(true);
    const refused = await t.post('/api/v1/agent/commands', { commands: [{ id: uuidv7(), type: 'enrol', createdAt: t.clock.now().toISOString(), payload: enrolPayload(makePerson(), ['JKK', 'JKM']) }] }, idle.auth);
    expect(JSON.stringify(refused.body)).toContain('agent_ended');
    // An ended agent still sees its statements.
    expect((await t.get('/api/v1/agent/statements?month=2026-11', idle.auth)).body.statements[0]).toMatchObject({ total: 0, status: 'nothing_due', lines: [] });
  });
});
