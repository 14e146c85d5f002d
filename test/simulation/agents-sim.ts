import { isDeepStrictEqual } from 'node:util';
import { sql } from 'kysely';
import { priceContribution } from '../../src/modules/contributions/domain/price-contribution.js';
import { firstBillStartMonth } from '../../src/modules/membership/domain/cover-start.js';
import { occupationDirectory } from '../../src/modules/reference/index.js';
import { localDateInJakarta, monthOfDate } from '../../src/shared/month.js';
import { addResident, makePerson, type Person } from '../support/factories.js';
import { applyNotification, type Notification, type SimBill } from './model.js';
import type { MoneyPathSim } from './money-path-sim.js';

const KANTOR = 'KP-SIM';
const OCCUPATIONS = ['OJOL', 'KURIR', 'PEDAGANG_PASAR'];
const PLANS = [
  { programs: ['JKK', 'JKM'], declaredIncome: 1_000_000, months: 1 },
  { programs: ['JKK', 'JKM'], declaredIncome: 2_000_000, months: 3 },
  { programs: ['JKK', 'JKM', 'JHT'], declaredIncome: 1_800_000, months: 1 },
] as const;

interface Command {
  id: string;
  type: 'enrol' | 'collect';
  createdAt: string;
  payload: Record<string, unknown>;
}

/** One worker an agent enrols offline: the enrol and collect commands, and what each must be answered. */
interface Enrolment {
  worker: Person;
  enrol: Command;
  collect: Command;
  price: number;
  /** The collect's amount is not the bill's: rejected amount_mismatch, nothing paid. */
  wrong: boolean;
}

/**
 * PERISAI agents in the money-path simulation (issue 17): a member made an agent through the staff API (Kantor
 * Perisai KP-SIM) sends command batches — enrol + collect for one or two new workers, sometimes the same batch again
 * (a replay: the same answers, nothing changes), sometimes a collect of a wrong amount (rejected amount_mismatch, the
 * first bill stays open for the simulation's other payments). Each accepted collect is exactly one applied payment on
 * channel 'agent' with externalId agent:<commandId>, predicted by the model; finance records deposits (sometimes the
 * same one twice). Checks: clearing:agent = −Σ accepted collections (deposits are cash at the branch and move no
 * ledger account in this release), the staff cash view's collected and deposited are the model's.
 */
export class AgentsSim {
  agent: { code: string; auth: Record<string, string>; nik: string } | null = null;
  /** Σ accepted collections of every agent (clearing:agent), and of the current agent (its cash view). */
  collected = 0;
  agentCollected = 0;
  accepted = 0;
  deposited = 0;
  deposits = 0;
  touched = false;
  /** Members made agents so far (an ended agency is not started again here). */
  readonly agentNiks = new Set<string>();

  constructor(readonly sim: MoneyPathSim) {}

  get t() {
    return this.sim.t;
  }

  get rng() {
    return this.sim.rng;
  }

  beginStep(): void {
    this.touched = false;
  }

  /** A UUIDv7 from the simulation's seeded generator (the agent app's command ids): replays stay replays. */
  uuidv7(): string {
    const hex = (n: number) =>
      Array.from({ length: n }, () => this.rng.int(0, 15).toString(16)).join('');
    const ms = this.sim.now().toString(16).padStart(12, '0');
    const variant = (8 + this.rng.int(0, 3)).toString(16);
    return `${ms.slice(0, 8)}-${ms.slice(8, 12)}-7${hex(3)}-${variant}${hex(3)}-${hex(12)}`;
  }

  /** The Kantor Perisai and the agent (a member of the simulation), made on first use. */
  async ensureAgent(): Promise<boolean> {
    if (this.agent) {
      return true;
    }
    const staff = this.sim.staffAuth();
    // Only an active member may become an agent (a member covered this month or later is, whatever else happened).
    const month = monthOfDate(localDateInJakarta(this.t.clock.now()));
    const coveredNow = (nik: string) => [...(this.sim.state.coverage.get(nik) ?? [])].some((m) => m >= month);
    const candidates = this.sim.people.filter((p) => p.habit === 'self' && this.sim.state.participants.has(p.nik) && coveredNow(p.nik) && !this.agentNiks.has(p.nik));
    if (candidates.length === 0) {
      return false;
    }
    if (this.agentNiks.size === 0) {
      const kantor = await this.t.post('/api/v1/staff/kantor-perisai', { code: KANTOR, name: 'Kantor Perisai Simulasi', branchCode: 'JKT-SALEMBA' }, staff);
      if (kantor.status !== 201) {
        this.sim.failWith(`kantor ${KANTOR}: ${kantor.status} ${JSON.stringify(kantor.body)}`);
      }
    }
    const p = this.rng.pick(candidates);
    this.agentNiks.add(p.nik);
    const made = await this.t.post('/api/v1/staff/agents', { kpj: await this.sim.kpjOf(p), kantorCode: KANTOR }, staff);
    if (made.status !== 201 || !/^AG\d{6}$/.test(made.body?.agentCode)) {
      this.sim.failWith(`agent of NIK ${p.nik}: ${made.status} ${JSON.stringify(made.body)}`);
    }
    this.agent = { code: made.body.agentCode as string, auth: await this.sim.authFor(p), nik: p.nik };
    this.sim.note(`agent ${this.agent.code} (NIK ${p.nik}) of ${KANTOR}`);
    return true;
  }

  async run(op: string): Promise<boolean> {
    if (!(await this.ensureAgent())) {
      return false;
    }
    switch (op) {
      case 'agentCommands':
        return this.opAgentCommands();
      case 'agentDeposit':
        return this.opAgentDeposit();
      default:
        throw new Error(`unknown operation ${op}`);
    }
  }

  async enrolment(): Promise<Enrolment> {
    const worker = makePerson({ email: '', occupationCode: this.rng.pick(OCCUPATIONS) });
    await addResident(this.t, worker);
    const plan = this.rng.pick(PLANS);
    const now = this.t.clock.now();
    const occupation = (await occupationDirectory(this.t.db)).find(worker.occupationCode);
    const quote = priceContribution(
      { programs: [...plan.programs], declaredIncome: plan.declaredIncome, months: plan.months, startMonth: firstBillStartMonth(now), sector: occupation?.sector ?? 'other', funding: 'self' },
      this.t.deps.rules,
    );
    if (!quote.ok) {
      return this.sim.failWith(`agent plan ${JSON.stringify(plan)} is not priced: ${quote.code}`);
    }
    const price = quote.value.total;
    const wrong = this.rng.chance(0.2);
    const { branchCode: _b, consent: _c, email: _e, ...person } = worker;
    const createdAt = now.toISOString();
    const enrol: Command = { id: this.uuidv7(), type: 'enrol', createdAt, payload: { ...person, programs: [...plan.programs], declaredIncome: plan.declaredIncome, months: plan.months } };
    const amount = wrong ? price + this.rng.pick([-1_000, -1, 500]) : price;
    const collect: Command = { id: this.uuidv7(), type: 'collect', createdAt, payload: { enrolCommandId: enrol.id, months: plan.months, amount, collectedAt: createdAt } };
    return { worker, enrol, collect, price, wrong };
  }

  /** A batch of commands (enrol + collect for 1–2 workers), sometimes sent twice: every answer as the model says. */
  async opAgentCommands(): Promise<boolean> {
    const agent = this.agent as NonNullable<AgentsSim['agent']>;
    if (this.agentCollected - this.deposited > 3_000_000) {
      await this.opAgentDeposit(); // well inside the default cash limit (Rp5.000.000): no cash_limit_exceeded
    }
    const list: Enrolment[] = [];
    for (let i = this.rng.int(1, 2); i > 0; i--) {
      list.push(await this.enrolment());
    }
    const commands = list.flatMap((e) => [e.enrol, e.collect]);
    const send = () => this.t.post('/api/v1/agent/commands', { commands }, agent.auth);
    const res = await send();
    this.sim.operations += 1;
    if (res.status !== 200 || !Array.isArray(res.body?.results) || res.body.results.length !== commands.length) {
      this.sim.failWith(`agent commands: ${res.status} ${JSON.stringify(res.body)}`);
    }
    if (await this.endedForIdleness(res.body.results)) {
      return true;
    }
    for (const [i, e] of list.entries()) {
      await this.absorb(e, res.body.results[2 * i], res.body.results[2 * i + 1]);
    }
    if (this.rng.chance(0.3)) {
      const again = await send();
      this.sim.operations += 1;
      if (again.status !== 200 || !isDeepStrictEqual(again.body, res.body)) {
        this.sim.failWith(`agent commands replayed: ${again.status} ${JSON.stringify(again.body)}, first ${JSON.stringify(res.body)}`);
      }
      this.sim.count('agent commands: replayed, same answers');
    }
    this.touched = true;
    return true;
  }

  /**
   * The incentives module ends an agency after 3 idle months (the simulation's clock jumps months): then every command
   * is rejected agent_ended, nothing is made, and the agency must be ended in the database; the next operation makes a
   * new agent (their own cash view starts at zero; clearing:agent keeps every agent's collections).
   */
  async endedForIdleness(results: { status: string; reasons?: { code: string }[] }[]): Promise<boolean> {
    const agent = this.agent as NonNullable<AgentsSim['agent']>;
    const ended = results.filter((r) => r.status === 'rejected' && r.reasons?.[0]?.code === 'agent_ended').length;
    if (ended === 0) {
      return false;
    }
    const row = await this.t.db.selectFrom('agent').select(['status']).where('agent_code', '=', agent.code).executeTakeFirst();
    if (ended !== results.length || row?.status !== 'ended') {
      this.sim.failWith(`agent ${agent.code} (${row?.status}): ${ended} of ${results.length} commands rejected agent_ended`);
    }
    this.sim.note(`agent ${agent.code} ended (idle): commands rejected agent_ended`);
    this.sim.count('agent commands: agent_ended');
    this.agent = null;
    this.agentCollected = 0;
    this.deposited = 0;
    return true;
  }

  /** One worker's answers: the enrol's first bill joins the model; an accepted collect is one applied payment. */
  async absorb(e: Enrolment, enrolled: { status: string; result?: { registrationId: string; paymentCode: string; amount: number } }, collected: { status: string; reasons?: { code: string }[] }): Promise<void> {
    const r = enrolled.result;
    if (enrolled.status !== 'accepted' || !r || r.amount !== e.price) {
      this.sim.failWith(`enrol of NIK ${e.worker.nik} answered ${JSON.stringify(enrolled)}, model: accepted Rp${e.price}`);
    }
    const { rows } = await sql<{ expires_at: Date; created_at: Date; months: string }>`
      select b.expires_at, b.created_at, (select string_agg(distinct l.month, ',' order by l.month) from bill_line l where l.bill_id = b.id) as months
      from bill b where b.payment_code = ${r.paymentCode}`.execute(this.t.db);
    const row = rows[0];
    if (!row || this.sim.bills.has(r.paymentCode)) {
      this.sim.failWith(`enrol of NIK ${e.worker.nik}: first bill ${r.paymentCode} is missing or known already`);
    }
    const bill: SimBill = {
      code: r.paymentCode,
      amount: r.amount,
      kind: 'first',
      nik: e.worker.nik,
      registrationId: r.registrationId,
      months: row.months.split(','),
      expiresAtMs: row.expires_at.getTime(),
      issuedAtMs: Math.max(row.created_at.getTime(), this.sim.now()),
      seq: this.sim.billList.length,
    };
    this.sim.bills.set(bill.code, bill);
    this.sim.billList.push(bill);
    this.sim.state.billStatus.set(bill.code, 'open');
    this.sim.registrations.set(r.registrationId, { nik: bill.nik });
    this.sim.byNik.set(bill.nik, { person: e.worker, nik: bill.nik, habit: 'dues' });
    this.sim.touch(bill);
    if (e.wrong) {
      if (collected.status !== 'rejected' || collected.reasons?.[0]?.code !== 'amount_mismatch') {
        this.sim.failWith(`collect of a wrong amount for ${bill.code} answered ${JSON.stringify(collected)}`);
      }
      this.sim.count('agent collect: rejected amount_mismatch');
      this.sim.note(`agent enrolled NIK ${bill.nik}: bill ${bill.code.slice(-6)} Rp${bill.amount}, collect of a wrong amount rejected`);
      return;
    }
    const paid = await this.t.db.selectFrom('payment').select(['paid_at']).where('external_id', '=', `agent:${e.collect.id}`).executeTakeFirst();
    const n: Notification = { externalId: `agent:${e.collect.id}`, paymentCode: bill.code, amount: bill.amount, channel: 'agent', paidAt: (paid?.paid_at ?? new Date(0)).toISOString(), protocol: 'agent' };
    const o = applyNotification(this.sim.state, this.sim.catalog, n, this.sim.now());
    if (collected.status !== 'accepted' || o.status !== 'applied' || !paid) {
      this.sim.failWith(`collect of ${bill.code} answered ${JSON.stringify(collected)} (payment ${JSON.stringify(paid)}), model ${JSON.stringify(o)}`);
    }
    const rec = { notification: n, outcome: o };
    this.sim.recorded.push(rec);
    this.sim.stepRecorded.push(rec);
    this.collected += bill.amount;
    this.agentCollected += bill.amount;
    this.accepted += 1;
    this.sim.count('agent collect: accepted');
    this.sim.note(`agent enrolled NIK ${bill.nik} and collected ${bill.code.slice(-6)} Rp${bill.amount}`);
  }

  /** Finance records what the agent paid in at the branch (sometimes the same deposit twice: the same answer). */
  async opAgentDeposit(): Promise<boolean> {
    const agent = this.agent as NonNullable<AgentsSim['agent']>;
    const outstanding = this.agentCollected - this.deposited;
    if (outstanding <= 0) {
      return false;
    }
    this.deposits += 1;
    const deposit = { id: `sim-dep-${this.sim.seed}-${this.deposits}`, amount: this.rng.chance(0.5) ? outstanding : this.rng.int(1, outstanding), reference: `Setoran ${this.deposits}`, depositedAt: this.t.clock.now().toISOString() };
    const staff = this.sim.staffAuth();
    const res = await this.t.post(`/api/v1/staff/agents/${agent.code}/deposits`, deposit, staff);
    this.sim.operations += 1;
    if (res.status !== 201 || res.body?.amount !== deposit.amount) {
      this.sim.failWith(`deposit ${JSON.stringify(deposit)}: ${res.status} ${JSON.stringify(res.body)}`);
    }
    if (this.rng.chance(0.3)) {
      const again = await this.t.post(`/api/v1/staff/agents/${agent.code}/deposits`, deposit, staff);
      if (again.status !== 201 || !isDeepStrictEqual(again.body, res.body)) {
        this.sim.failWith(`the same deposit again: ${again.status} ${JSON.stringify(again.body)}, first ${JSON.stringify(res.body)}`);
      }
    }
    this.deposited += deposit.amount;
    this.touched = true;
    this.sim.note(`agent ${agent.code} deposited Rp${deposit.amount} (outstanding Rp${outstanding})`);
    return true;
  }

  /** clearing:agent = −Σ accepted collections; the cash view's collected and deposited are the model's. */
  async violations(all: boolean): Promise<string[]> {
    if (this.agentNiks.size === 0 || (!all && !this.touched)) {
      return [];
    }
    const v: string[] = [];
    const { rows } = await sql<{ balance: number; n: number }>`
      select (select coalesce(sum(case when credit_account = 'clearing:agent' then amount else -amount end), 0)
                from ledger_transfer where 'clearing:agent' in (debit_account, credit_account))::int8 as balance,
             (select count(*) from payment where channel = 'agent' and outcome = 'applied')::int8 as n`.execute(this.t.db);
    if (Number(rows[0]?.balance) !== -this.collected || Number(rows[0]?.n) !== this.accepted) {
      v.push(`clearing:agent ${rows[0]?.balance} with ${rows[0]?.n} applied agent payments, model −${this.collected} from ${this.accepted} accepted collections`);
    }
    if (!this.agent) {
      return v;
    }
    const cash = await this.t.get(`/api/v1/staff/agents/${this.agent.code}/cash`, this.sim.staffAuth());
    if (cash.status !== 200 || cash.body?.collected !== this.agentCollected || cash.body?.deposited !== this.deposited) {
      v.push(`cash of agent ${this.agent.code}: ${cash.status} ${JSON.stringify({ ...cash.body, collections: undefined })}, model collected ${this.agentCollected} deposited ${this.deposited}`);
    }
    return v;
  }
}
