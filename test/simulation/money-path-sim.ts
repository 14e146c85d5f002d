import { expect } from 'vitest';
import { addResident, latestData, login, makePerson, registerVerified, type Person } from '../support/factories.js';
import type { TestApp, TestResponse } from '../support/test-app.js';
import { findViolations, type RecordedPayment } from './invariants.js';
import {
  applyNotification,
  cloneState,
  emptyState,
  explainConcurrent,
  isCovered,
  outcomeKey,
  type ModelState,
  type Notification,
  type Outcome,
  type SimBill,
} from './model.js';
import type { Rng } from './prng.js';

const CHANNELS = ['va', 'qris', 'ewallet', 'retail', 'counter', 'autodebit'] as const;
const PROGRAM_SETS = [['JKK', 'JKM'], ['JKK', 'JKM', 'JHT']] as const;
const INCOMES = [1_000_000, 1_800_000, 2_000_000, 3_500_000, 5_000_000, 9_000_000];
const MONTH_CHOICES = [1, 3, 6, 12] as const;
const OCCUPATIONS = ['OJOL', 'KURIR', 'SOPIR_ANGKOT', 'PEDAGANG_PASAR', 'PEDAGANG_KAKI_LIMA'];
const MINUTE = 60_000;
const HOUR = 60 * MINUTE;
const DAY = 24 * HOUR;
const BILL_LIFETIME = 24 * HOUR;
const MAX_PEOPLE = 14;

/** Operations and their weights. */
export const OPERATION_WEIGHTS = {
  issueMemberBill: 12,
  newRegistration: 3,
  resubmitRegistration: 3,
  registerSameNikAgain: 2,
  payCorrect: 16,
  payWrongAmount: 5,
  payCancelledCode: 4,
  payPaidBillAgain: 3,
  payUnknownCode: 3,
  resendDuplicate: 6,
  concurrentFreshDuplicates: 4,
  conflictingResend: 4,
  outOfOrder: 7,
  payLate: 3,
  advanceClock: 3,
  raceMemberBillVsPayment: 4,
  raceSubmitVsPayment: 3,
  raceFirstBillsOfOneNik: 3,
  doubleTapMemberBill: 2,
} as const;
export type OperationName = keyof typeof OPERATION_WEIGHTS;

interface SimPerson {
  person: Person;
  nik: string;
  auth?: Record<string, string>;
}

interface BillViewBody {
  paymentCode: string;
  amount: number;
  status: string;
  expiresAt: string;
  months: { month: string; total: number; lines: { program: 'JKK' | 'JKM' | 'JHT'; amount: number; discount: number; net: number }[] }[];
}

interface Sendable {
  n: Notification;
  raw: string;
}

/** A failed expectation of the simulation (as opposed to a crash): its message says what the contract demanded. */
export class SimViolation extends Error {}

function fail(message: string): never {
  throw new SimViolation(message);
}

function nextMonth(m: string): string {
  const [y, mm] = m.split('-').map(Number) as [number, number];
  return mm === 12 ? `${y + 1}-01` : `${y}-${String(mm + 1).padStart(2, '0')}`;
}

function describeN(n: Notification): string {
  return `${n.externalId} ${n.paymentCode.slice(-6)} Rp${n.amount} ${n.channel}`;
}

/** The same instant written with the +07:00 offset (WIB), as some channels do. */
function inWib(iso: string): string {
  return new Date(Date.parse(iso) + 7 * HOUR).toISOString().replace('Z', '+07:00');
}

function toOutcome(res: TestResponse): Outcome {
  if (res.status === 200) {
    const s = res.body?.status;
    if (s === 'applied' || s === 'duplicate') {
      return { status: s };
    }
    if (s === 'unmatched' && ['amount_mismatch', 'bill_expired', 'bill_already_paid', 'unknown_payment_code'].includes(res.body.reason)) {
      return { status: 'unmatched', reason: res.body.reason };
    }
  }
  if (res.status === 409 && res.body?.error?.code === 'external_id_conflict') {
    return { status: 'conflict' };
  }
  return fail(`notification answered ${res.status} ${JSON.stringify(res.body)}`);
}

/**
 * Drives the real HTTP app through random interleavings of bills and payment notifications, keeping a model of
 * what must be true, and checks the database against it after every step.
 */
export class MoneyPathSim {
  state: ModelState = emptyState();
  readonly bills = new Map<string, SimBill>();
  readonly billList: SimBill[] = [];
  readonly people: SimPerson[] = [];
  readonly byNik = new Map<string, SimPerson>();
  readonly registrations = new Map<string, { nik: string }>();
  readonly registrationList: string[] = [];
  readonly recorded: RecordedPayment[] = [];
  /** Every notification ever sent (first-time or not), for re-sending. */
  readonly sent: Sendable[] = [];
  recordedThisStep: RecordedPayment[] = [];
  touched = new Set<string>();
  readonly trace: string[] = [];
  readonly opCounts = new Map<string, number>();
  readonly outcomeCounts = new Map<string, number>();
  step = 0;
  #ext = 0;

  constructor(
    readonly t: TestApp,
    readonly rng: Rng,
    readonly seed: number,
  ) {}

  now(): number {
    return this.t.clock.now().getTime();
  }

  note(line: string): void {
    this.trace.push(`#${this.step} ${line}`);
    if (this.trace.length > 200) {
      this.trace.shift();
    }
  }

  // ---------------------------------------------------------------- model helpers

  billsWith(pred: (b: SimBill, status: string) => boolean): SimBill[] {
    return this.billList.filter((b) => pred(b, this.state.billStatus.get(b.code) ?? 'missing'));
  }

  openUnexpired(): SimBill[] {
    const now = this.now();
    return this.billsWith((b, s) => s === 'open' && b.expiresAtMs > now);
  }

  addBill(view: BillViewBody, kind: 'first' | 'renewal', nik: string, registrationId: string | null, months: number): SimBill {
    const issuedAt = this.now();
    if (view.status !== 'open') {
      fail(`a new bill is ${view.status}, not open`);
    }
    if (!/^\d{16}$/.test(view.paymentCode) || this.bills.has(view.paymentCode)) {
      fail(`new payment code ${view.paymentCode} is malformed or reused`);
    }
    const monthList = view.months.map((m) => m.month);
    if (monthList.length !== months) {
      fail(`asked for ${months} months, bill has ${monthList.length}`);
    }
    for (let i = 1; i < monthList.length; i++) {
      if (monthList[i] !== nextMonth(monthList[i - 1] as string)) {
        fail(`bill months are not consecutive: ${monthList.join(',')}`);
      }
    }
    let total = 0;
    for (const m of view.months) {
      const monthTotal = m.lines.reduce((s, l) => s + l.net, 0);
      if (monthTotal !== m.total) {
        fail(`month ${m.month} total ${m.total} ≠ Σ nets ${monthTotal}`);
      }
      total += m.total;
    }
    if (total !== view.amount || view.amount <= 0) {
      fail(`bill amount ${view.amount} ≠ Σ month totals ${total}`);
    }
    const expiresAtMs = Date.parse(view.expiresAt);
    if (kind === 'first' && Math.abs(expiresAtMs - (issuedAt + BILL_LIFETIME)) > 30_000) {
      fail(`a first bill must expire 24 h after issue: issued ${new Date(issuedAt).toISOString()}, expires ${view.expiresAt}`);
    }
    if (!(expiresAtMs > issuedAt)) {
      fail(`a new bill is already expired (${view.expiresAt})`);
    }
    const bill: SimBill = { code: view.paymentCode, amount: view.amount, kind, nik, registrationId, months: monthList, expiresAtMs };
    this.bills.set(bill.code, bill);
    this.billList.push(bill);
    this.state.billStatus.set(bill.code, 'open');
    this.touched.add(bill.code);
    return bill;
  }

  cancelOpen(state: ModelState, pred: (b: SimBill) => boolean): SimBill[] {
    const cancelled = this.billList.filter((b) => state.billStatus.get(b.code) === 'open' && pred(b));
    for (const b of cancelled) {
      state.billStatus.set(b.code, 'cancelled');
      this.touched.add(b.code);
    }
    return cancelled;
  }

  /** A member's new bill starts after everything covered and never repeats a covered month. */
  checkRenewalMonths(state: ModelState, bill: SimBill): void {
    const covered = [...(state.coverage.get(bill.nik) ?? [])].sort();
    const last = covered[covered.length - 1];
    if (isCovered(state, bill.nik, bill.months) || (last !== undefined && (bill.months[0] as string) <= last)) {
      fail(`member bill ${bill.code} for ${bill.months.join(',')} repeats or precedes covered months (covered through ${last})`);
    }
  }

  // ---------------------------------------------------------------- notifications

  newNotification(code: string, amount: number, options: { paidAt?: number; channel?: string } = {}): Sendable {
    this.#ext += 1;
    const n: Notification = {
      externalId: `sim-${this.seed}-${this.#ext}`,
      paymentCode: code,
      amount,
      channel: options.channel ?? this.rng.pick(CHANNELS),
      paidAt: new Date(options.paidAt ?? this.now() - this.rng.int(0, 300) * 1_000).toISOString(),
    };
    return { n, raw: JSON.stringify(n) };
  }

  /** Sends the batch concurrently; the answers must be those of some serial order of it. */
  async send(batch: readonly Sendable[]): Promise<Outcome[]> {
    const responses = await Promise.all(batch.map((b) => this.t.notify(b.raw)));
    const actual = responses.map(toOutcome);
    this.absorb(batch, actual);
    return actual;
  }

  absorb(batch: readonly Sendable[], actual: readonly Outcome[]): void {
    const nowMs = this.now();
    const explained = explainConcurrent(this.state, this.bills, batch.map((b) => b.n), actual, nowMs);
    if (!explained) {
      const serial = cloneState(this.state);
      const expected = batch.map((b) => outcomeKey(applyNotification(serial, this.bills, b.n, nowMs)));
      fail(
        `answers explained by no serial order: ${batch.map((b, i) => `[${describeN(b.n)} → ${outcomeKey(actual[i] as Outcome)}, in sent order expected ${expected[i]}]`).join(' ')}`,
      );
    }
    this.state = explained.state;
    for (const i of explained.order) {
      const o = actual[i] as Outcome;
      const b = batch[i] as Sendable;
      this.touched.add(b.n.paymentCode);
      this.outcomeCounts.set(outcomeKey(o), (this.outcomeCounts.get(outcomeKey(o)) ?? 0) + 1);
      if (o.status === 'applied' || o.status === 'unmatched') {
        const rec = { notification: b.n, outcome: o };
        this.recorded.push(rec);
        this.recordedThisStep.push(rec);
      }
    }
    this.sent.push(...batch);
    this.note(batch.map((b, i) => `${describeN(b.n)} → ${outcomeKey(actual[i] as Outcome)}`).join(' | '));
  }

  // ---------------------------------------------------------------- people, registrations, bills

  async authFor(p: SimPerson): Promise<Record<string, string>> {
    if (!p.auth) {
      p.auth = { authorization: `Bearer ${await login(this.t, p.person.phone)}` };
    }
    return p.auth;
  }

  /** Submits a registration; the answer must fit the model (201 only for a registration not yet completed). */
  async submit(registrationId: string): Promise<SimBill | null> {
    const reg = this.registrations.get(registrationId) as { nik: string };
    const months = this.rng.pick(MONTH_CHOICES);
    const body = { programs: [...this.rng.pick(PROGRAM_SETS)], declaredIncome: this.rng.pick(INCOMES), months };
    const res = await this.t.post(`/api/v1/registrations/${registrationId}/submit`, body);
    return this.absorbSubmit(this.state, registrationId, reg.nik, months, res);
  }

  absorbSubmit(state: ModelState, registrationId: string, nik: string, months: number, res: TestResponse): SimBill | null {
    const completed = state.completedRegistrations.has(registrationId);
    const code = res.body?.error?.code;
    if (res.status === 201) {
      if (completed) {
        fail(`submit of completed registration ${registrationId} issued a new first bill ${res.body.bill?.paymentCode}`);
      }
      this.cancelOpen(state, (b) => b.registrationId === registrationId);
      const bill = this.addBill(res.body.bill, 'first', nik, registrationId, months);
      this.note(`submit ${registrationId} → first bill ${bill.code.slice(-6)} Rp${bill.amount} ${bill.months[0]}+${months}`);
      return bill;
    }
    if (res.status === 409 && (code === 'registration_completed' || code === 'already_registered') && (completed || state.participants.has(nik))) {
      this.note(`submit ${registrationId} → 409 ${code}`);
      return null;
    }
    return fail(`submit of registration ${registrationId} (completed: ${completed}, participant: ${state.participants.has(nik)}) answered ${res.status} ${JSON.stringify(res.body)}`);
  }

  async newRegistration(): Promise<SimBill | null> {
    const person = makePerson({ occupationCode: this.rng.pick(OCCUPATIONS) });
    const id = await registerVerified(this.t, person);
    const p: SimPerson = { person, nik: person.nik };
    this.people.push(p);
    this.byNik.set(p.nik, p);
    this.registrations.set(id, { nik: p.nik });
    this.registrationList.push(id);
    this.note(`registered ${id} NIK ${p.nik}`);
    return this.submit(id);
  }

  // ---------------------------------------------------------------- set-up

  async setUp(members: number): Promise<void> {
    for (let i = 0; i < members; i++) {
      const bill = await this.newRegistration();
      if (!bill) {
        fail('set-up: a new registration got no first bill');
      }
      const [o] = await this.send([this.newNotification(bill.code, bill.amount)]);
      if (o?.status !== 'applied') {
        fail(`set-up: paying a fresh first bill answered ${JSON.stringify(o)}`);
      }
    }
  }

  // ---------------------------------------------------------------- clock

  /** Moves the clock to `target` (never backwards), nudged so no open bill's expiry is within minutes of it. */
  async advanceTo(target: number): Promise<void> {
    let t = Math.max(target, this.now());
    for (let changed = true; changed; ) {
      changed = false;
      for (const b of this.billsWith((_, s) => s === 'open')) {
        if (t > b.expiresAtMs - 10 * MINUTE && t < b.expiresAtMs + 5_000) {
          t = b.expiresAtMs + 5_000;
          changed = true;
        }
      }
    }
    const res = await this.t.post('/dev/clock', { now: new Date(t).toISOString() });
    expect(res.status).toBe(200);
    this.note(`clock → ${new Date(t).toISOString()}`);
  }

  // ---------------------------------------------------------------- operations

  async run(op: OperationName): Promise<boolean> {
    switch (op) {
      case 'issueMemberBill':
        return this.opIssueMemberBill();
      case 'newRegistration':
        if (this.people.length >= MAX_PEOPLE) {
          return false;
        }
        await this.newRegistration();
        return true;
      case 'resubmitRegistration':
        return this.opResubmit();
      case 'registerSameNikAgain':
        return this.opRegisterSameNikAgain();
      case 'payCorrect':
        return this.opPayCorrect();
      case 'payWrongAmount':
        return this.opPayWrongAmount();
      case 'payCancelledCode':
        return this.opPayBillInStatus('cancelled');
      case 'payPaidBillAgain':
        return this.opPayBillInStatus('paid');
      case 'payUnknownCode':
        await this.send([this.unknownCodeNotification()]);
        return true;
      case 'resendDuplicate':
        return this.opResendDuplicate();
      case 'concurrentFreshDuplicates':
        return this.opConcurrentFreshDuplicates();
      case 'conflictingResend':
        return this.opConflictingResend();
      case 'outOfOrder':
        return this.opOutOfOrder();
      case 'payLate':
        return this.opPayLate();
      case 'advanceClock':
        return this.opAdvanceClock();
      case 'raceMemberBillVsPayment':
        return this.opRaceMemberBill();
      case 'raceSubmitVsPayment':
        return this.opRaceSubmit();
      case 'raceFirstBillsOfOneNik':
        return this.opRaceFirstBillsOfOneNik();
      case 'doubleTapMemberBill':
        return this.opDoubleTapMemberBill();
    }
  }

  count(what: string): void {
    this.outcomeCounts.set(what, (this.outcomeCounts.get(what) ?? 0) + 1);
  }

  members(): SimPerson[] {
    return this.people.filter((p) => this.state.participants.has(p.nik));
  }

  async issueMemberBill(p: SimPerson): Promise<SimBill> {
    const months = this.rng.pick(MONTH_CHOICES);
    const res = await this.t.post('/api/v1/me/bills', { months }, await this.authFor(p));
    if (res.status !== 201) {
      fail(`POST /me/bills answered ${res.status} ${JSON.stringify(res.body)}`);
    }
    this.cancelOpen(this.state, (b) => b.kind === 'renewal' && b.nik === p.nik);
    const bill = this.addBill(res.body.bill, 'renewal', p.nik, null, months);
    this.checkRenewalMonths(this.state, bill);
    this.note(`member ${p.nik} bill ${bill.code.slice(-6)} Rp${bill.amount} ${bill.months[0]}+${months}`);
    return bill;
  }

  async opIssueMemberBill(): Promise<boolean> {
    const members = this.members();
    if (members.length === 0) {
      return false;
    }
    await this.issueMemberBill(this.rng.pick(members));
    return true;
  }

  async opResubmit(): Promise<boolean> {
    if (this.registrationList.length === 0) {
      return false;
    }
    const pending = this.registrationList.filter((id) => !this.state.completedRegistrations.has(id));
    const id = pending.length > 0 && this.rng.chance(0.8) ? this.rng.pick(pending) : this.rng.pick(this.registrationList);
    await this.submit(id);
    return true;
  }

  /** The same person registers again: allowed unless their NIK belongs to a participant who is not inactive. */
  async opRegisterSameNikAgain(): Promise<boolean> {
    if (this.people.length === 0 || this.registrationList.length >= MAX_PEOPLE * 2) {
      return false;
    }
    await this.registerAgain(this.rng.pick(this.people));
    return true;
  }

  async registerAgain(p: SimPerson): Promise<SimBill | null> {
    await addResident(this.t, p.person);
    const res = await this.t.post('/api/v1/registrations', p.person);
    if (res.status === 409 && res.body?.error?.code === 'already_registered' && this.state.participants.has(p.nik)) {
      this.note(`re-register NIK ${p.nik} → 409 already_registered`);
      this.count('re-registration: refused (active participant)');
      return null;
    }
    if (res.status !== 201) {
      fail(`re-registration of NIK ${p.nik} (participant: ${this.state.participants.has(p.nik)}) answered ${res.status} ${JSON.stringify(res.body)}`);
    }
    const id = res.body.id as string;
    expect((await this.t.post(`/api/v1/registrations/${id}/verify-email`, { token: await latestData(this.t, p.person.email, 'token') })).status).toBe(200);
    expect((await this.t.post(`/api/v1/registrations/${id}/verify-phone`, { code: await latestData(this.t, p.person.phone, 'otp') })).status).toBe(200);
    this.registrations.set(id, { nik: p.nik });
    this.registrationList.push(id);
    this.note(`re-registered NIK ${p.nik} as ${id}`);
    this.count(`re-registration: accepted (${this.state.participants.has(p.nik) ? 'inactive participant' : 'no participant yet'})`);
    return this.submit(id);
  }

  /**
   * One person with two registrations (say, the app and a kiosk), both first bills paid at the same moment: the
   * first to settle makes the participant, the other finds its months covered (bill_already_paid), never a 5xx.
   */
  async opRaceFirstBillsOfOneNik(): Promise<boolean> {
    const byNik = new Map<string, SimBill[]>();
    for (const b of this.openUnexpired()) {
      if (b.kind === 'first' && !this.state.participants.has(b.nik)) {
        byNik.set(b.nik, [...(byNik.get(b.nik) ?? []), b]);
      }
    }
    let bills = [...byNik.values()].find((list) => list.length >= 2);
    if (!bills) {
      if (this.people.length >= MAX_PEOPLE || this.registrationList.length >= MAX_PEOPLE * 2) {
        return false;
      }
      const first = await this.newRegistration();
      const p = this.people[this.people.length - 1] as SimPerson;
      const second = await this.registerAgain(p);
      if (!first || !second) {
        fail(`two registrations of a new NIK ${p.nik} did not both get a first bill`);
      }
      bills = [first, second];
    }
    const outcomes = await this.send(bills.map((b) => this.newNotification(b.code, b.amount)));
    this.count(`race first bills of one NIK: ${outcomes.map(outcomeKey).join(' + ')}`);
    return true;
  }

  /** An open, unexpired bill to pay: an existing one, or a member's new one when there is none. */
  async freshOpenBill(): Promise<SimBill | null> {
    const fresh = this.openUnexpired();
    if (fresh.length > 0) {
      return this.rng.pick(fresh);
    }
    const members = this.members();
    return members.length > 0 ? this.issueMemberBill(this.rng.pick(members)) : null;
  }

  async opPayCorrect(): Promise<boolean> {
    const open = this.billsWith((_, s) => s === 'open');
    const bill = open.length > 0 && this.rng.chance(0.1) ? this.rng.pick(open) : await this.freshOpenBill();
    if (!bill) {
      return false;
    }
    await this.send([this.newNotification(bill.code, bill.amount)]);
    return true;
  }

  wrongAmount(amount: number): number {
    const candidates = [amount - 1, amount + 1, Math.floor(amount / 2), amount * 2, amount + 1_000, amount - 1_000, this.rng.int(1, 10_000)];
    const ok = candidates.filter((a) => a > 0 && a !== amount);
    return this.rng.pick(ok);
  }

  async opPayWrongAmount(): Promise<boolean> {
    const bill = this.billList.length > 0 && this.rng.chance(0.2) ? this.rng.pick(this.billList) : await this.freshOpenBill();
    if (!bill) {
      return false;
    }
    await this.send([this.newNotification(bill.code, this.wrongAmount(bill.amount))]);
    return true;
  }

  async opPayBillInStatus(status: 'cancelled' | 'paid'): Promise<boolean> {
    const pool = this.billsWith((_, s) => s === status);
    if (pool.length === 0) {
      return false;
    }
    const bill = this.rng.pick(pool);
    await this.send([this.newNotification(bill.code, bill.amount)]);
    return true;
  }

  unknownCodeNotification(): Sendable {
    let code: string;
    do {
      code = this.rng.chance(0.8)
        ? `8${Array.from({ length: 15 }, () => this.rng.int(0, 9)).join('')}`
        : `INV-${this.rng.int(1, 1e9)}`;
    } while (this.bills.has(code));
    return this.newNotification(code, this.rng.int(1, 600) * 1_000);
  }

  /** An earlier notification again, byte for byte or re-serialised (other key order, paidAt in +07:00). */
  resendOf(original: Sendable): Sendable {
    if (this.rng.chance(0.7)) {
      return original;
    }
    const n = original.n;
    return { n, raw: JSON.stringify({ paidAt: inWib(n.paidAt), channel: n.channel, amount: n.amount, paymentCode: n.paymentCode, externalId: n.externalId }) };
  }

  async opResendDuplicate(): Promise<boolean> {
    if (this.sent.length === 0) {
      return false;
    }
    const original = this.rng.pick(this.sent);
    const copies = this.rng.int(1, 4);
    const outcomes = await this.send(Array.from({ length: copies }, () => this.resendOf(original)));
    // A repeat of a received externalId changes nothing and is answered the same way every time.
    const first = outcomes[0] as Outcome;
    if (!outcomes.every((o) => outcomeKey(o) === outcomeKey(first)) || !(first.status === 'duplicate' || first.status === 'conflict')) {
      fail(`re-sending ${describeN(original.n)} ×${copies} answered ${outcomes.map(outcomeKey).join(',')}`);
    }
    return true;
  }

  /** A new notification the channel fires several times at once (retry storm): exactly one is processed. */
  async opConcurrentFreshDuplicates(): Promise<boolean> {
    const item = this.randomFreshNotification();
    const copies = this.rng.int(2, 5);
    const outcomes = await this.send(Array.from({ length: copies }, () => item));
    const processed = outcomes.filter((o) => o.status !== 'duplicate');
    if (processed.length !== 1) {
      fail(`${copies} concurrent copies of ${describeN(item.n)} answered ${outcomes.map(outcomeKey).join(',')}`);
    }
    return true;
  }

  async opConflictingResend(): Promise<boolean> {
    if (this.recorded.length === 0) {
      return false;
    }
    const original = this.rng.pick(this.recorded).notification;
    const changed: Notification = { ...original };
    switch (this.rng.int(0, 3)) {
      case 0:
        changed.amount = this.wrongAmount(original.amount);
        break;
      case 1: {
        const other = this.billList.filter((b) => b.code !== original.paymentCode);
        changed.paymentCode = other.length > 0 ? this.rng.pick(other).code : `${original.paymentCode}9`;
        break;
      }
      case 2:
        changed.channel = this.rng.pick(CHANNELS.filter((c) => c !== original.channel));
        break;
      default:
        changed.paidAt = new Date(Date.parse(original.paidAt) + this.rng.int(1, 120) * 1_000).toISOString();
    }
    const batch: Sendable[] = [{ n: changed, raw: JSON.stringify(changed) }];
    if (this.rng.chance(0.4)) {
      batch.push({ n: original, raw: JSON.stringify(original) });
    }
    const outcomes = await this.send(this.rng.shuffle(batch));
    if (!outcomes.some((o) => o.status === 'conflict')) {
      fail(`a known externalId with different content was not refused: ${outcomes.map(outcomeKey).join(',')}`);
    }
    return true;
  }

  /** Something a channel might send next: mostly a correct payment of an open bill, sometimes not. */
  randomFreshNotification(): Sendable {
    const fresh = this.openUnexpired();
    const r = this.rng.next();
    if (fresh.length > 0 && r < 0.6) {
      const b = this.rng.pick(fresh);
      return this.newNotification(b.code, b.amount);
    }
    if (this.billList.length > 0 && r < 0.8) {
      const b = this.rng.pick(this.billList);
      return this.newNotification(b.code, this.rng.chance(0.5) ? b.amount : this.wrongAmount(b.amount));
    }
    return this.unknownCodeNotification();
  }

  /** Several notifications generated, shuffled and delivered concurrently (or one after another, shuffled). */
  async opOutOfOrder(): Promise<boolean> {
    const k = this.rng.int(2, 5);
    const batch: Sendable[] = [];
    for (let i = 0; i < k; i++) {
      const r = this.rng.next();
      const news = batch.filter((b) => !this.state.received.has(b.n.externalId));
      if (r < 0.1 && this.sent.length > 0) {
        batch.push(this.resendOf(this.rng.pick(this.sent)));
      } else if (r < 0.18 && news.length > 0) {
        // The same new externalId twice in flight with different content: one wins, the other is a conflict.
        const twin = { ...this.rng.pick(news).n };
        twin.amount = this.wrongAmount(twin.amount);
        batch.push({ n: twin, raw: JSON.stringify(twin) });
      } else if (r < 0.28) {
        const old = this.billsWith((_, s) => s !== 'open');
        const b = old.length > 0 ? this.rng.pick(old) : undefined;
        batch.push(b ? this.newNotification(b.code, b.amount) : this.unknownCodeNotification());
      } else {
        batch.push(this.randomFreshNotification());
      }
    }
    const shuffled = this.rng.shuffle(batch);
    if (this.rng.chance(0.6)) {
      await this.send(shuffled);
    } else {
      for (const item of shuffled) {
        await this.send([item]);
      }
    }
    return true;
  }

  /** The clock passes the 24-hour lifetime of the open bills, then one of them is paid (paidAt before or after). */
  async opPayLate(): Promise<boolean> {
    let open = this.billsWith((_, s) => s === 'open');
    if (open.length === 0) {
      const members = this.members();
      if (members.length === 0) {
        return false;
      }
      await this.issueMemberBill(this.rng.pick(members));
      open = this.billsWith((_, s) => s === 'open');
    }
    const bill = this.rng.pick(open);
    const latest = Math.max(...open.map((b) => b.expiresAtMs));
    await this.advanceTo(latest + this.rng.int(1, 48 * 60) * MINUTE);
    const paidAt = this.rng.chance(0.5) ? bill.expiresAtMs - this.rng.int(1, 600) * MINUTE : undefined;
    const [o] = await this.send([this.newNotification(bill.code, bill.amount, paidAt !== undefined ? { paidAt } : {})]);
    if (o?.status !== 'unmatched') {
      fail(`paying expired bill ${bill.code} answered ${JSON.stringify(o)}`);
    }
    return true;
  }

  async opAdvanceClock(): Promise<boolean> {
    const r = this.rng.next();
    const delta = r < 0.6 ? this.rng.int(1, 20 * 60) * MINUTE : r < 0.9 ? this.rng.int(1, 5) * DAY + this.rng.int(0, 600) * MINUTE : this.rng.int(30, 130) * DAY;
    await this.advanceTo(this.now() + delta);
    return true;
  }

  /** A member asks for a new bill while the channel is delivering the payment of the current one. */
  async opRaceMemberBill(): Promise<boolean> {
    let candidates = this.openUnexpired().filter((b) => b.kind === 'renewal');
    if (candidates.length === 0) {
      const members = this.members();
      if (members.length === 0) {
        return false;
      }
      candidates = [await this.issueMemberBill(this.rng.pick(members))];
    }
    const old = this.rng.pick(candidates);
    const p = this.byNik.get(old.nik) as SimPerson;
    const auth = await this.authFor(p);
    const months = this.rng.pick(MONTH_CHOICES);
    const pay = this.newNotification(old.code, old.amount);
    const [payRes, billRes] = await Promise.all([this.t.notify(pay.raw), this.t.post('/api/v1/me/bills', { months }, auth)]);
    const outcome = toOutcome(payRes);
    if (billRes.status !== 201) {
      fail(`POST /me/bills during a payment answered ${billRes.status} ${JSON.stringify(billRes.body)}`);
    }
    const code = billRes.body.bill.paymentCode as string;
    this.count(`race member bill: ${outcome.status === 'applied' ? 'payment first' : 'bill first'}`);
    if (outcome.status === 'applied') {
      // Serial order: payment, then the new bill (which must start after the months just paid).
      this.absorb([pay], [outcome]);
      this.cancelOpen(this.state, (b) => b.kind === 'renewal' && b.nik === p.nik);
      const bill = this.addBill(billRes.body.bill, 'renewal', p.nik, null, months);
      this.note(`race: paid ${old.code.slice(-6)} then member bill ${code.slice(-6)} ${bill.months[0]}+${months}`);
      this.checkRenewalMonths(this.state, bill);
    } else {
      // Serial order: the new bill (cancelling the old), then the payment of the cancelled code.
      this.cancelOpen(this.state, (b) => b.kind === 'renewal' && b.nik === p.nik);
      const bill = this.addBill(billRes.body.bill, 'renewal', p.nik, null, months);
      this.note(`race: member bill ${code.slice(-6)} ${bill.months[0]}+${months} then pay old ${old.code.slice(-6)}`);
      this.checkRenewalMonths(this.state, bill);
      this.absorb([pay], [outcome]);
    }
    return true;
  }

  /** A member taps "pay" twice: two bills issued at once, and afterwards exactly one of them is open. */
  async opDoubleTapMemberBill(): Promise<boolean> {
    const members = this.members();
    if (members.length === 0) {
      return false;
    }
    const p = this.rng.pick(members);
    const auth = await this.authFor(p);
    const months = this.rng.pick(MONTH_CHOICES);
    const [a, b] = await Promise.all([this.t.post('/api/v1/me/bills', { months }, auth), this.t.post('/api/v1/me/bills', { months }, auth)]);
    if (a.status !== 201 || b.status !== 201) {
      fail(`two POST /me/bills at once answered ${a.status} ${JSON.stringify(a.body)} / ${b.status} ${JSON.stringify(b.body)}`);
    }
    // Which was issued last is not in the answers; the database says which one is open, the model checks the rest.
    const rows = await this.t.db.selectFrom('bill').select(['payment_code', 'status']).where('payment_code', 'in', [a.body.bill.paymentCode, b.body.bill.paymentCode]).execute();
    const open = rows.filter((r) => r.status === 'open').map((r) => r.payment_code);
    if (open.length !== 1) {
      fail(`after two bills issued at once, ${open.length} of them are open: ${JSON.stringify(rows)}`);
    }
    const [first, last] = open[0] === a.body.bill.paymentCode ? [b, a] : [a, b];
    for (const res of [first, last]) {
      this.cancelOpen(this.state, (x) => x.kind === 'renewal' && x.nik === p.nik);
      const bill = this.addBill(res.body.bill, 'renewal', p.nik, null, months);
      this.checkRenewalMonths(this.state, bill);
    }
    this.note(`double tap: member ${p.nik} bills ${first.body.bill.paymentCode.slice(-6)} (cancelled), ${last.body.bill.paymentCode.slice(-6)} (open)`);
    return true;
  }

  /** A registrant submits again (new first bill) while the payment of the current first bill arrives. */
  async opRaceSubmit(): Promise<boolean> {
    let candidates = this.openUnexpired().filter((b) => b.kind === 'first' && !this.state.completedRegistrations.has(b.registrationId ?? ''));
    if (candidates.length === 0) {
      const pending = this.registrationList.filter((id) => !this.state.completedRegistrations.has(id));
      const bill = pending.length > 0 ? await this.submit(this.rng.pick(pending)) : this.people.length < MAX_PEOPLE ? await this.newRegistration() : null;
      if (!bill) {
        return false;
      }
      candidates = [bill];
    }
    const old = this.rng.pick(candidates);
    const regId = old.registrationId as string;
    const months = this.rng.pick(MONTH_CHOICES);
    const body = { programs: [...this.rng.pick(PROGRAM_SETS)], declaredIncome: this.rng.pick(INCOMES), months };
    const pay = this.newNotification(old.code, old.amount);
    const [payRes, subRes] = await Promise.all([this.t.notify(pay.raw), this.t.post(`/api/v1/registrations/${regId}/submit`, body)]);
    const outcome = toOutcome(payRes);
    this.count(`race submit: ${outcome.status === 'applied' ? 'payment first' : 'submit first'}`);
    if (outcome.status === 'applied') {
      this.absorb([pay], [outcome]);
      this.note(`race: paid first bill ${old.code.slice(-6)}, then submit`);
      this.absorbSubmit(this.state, regId, old.nik, months, subRes);
    } else {
      this.note(`race: submit, then pay first bill ${old.code.slice(-6)}`);
      this.absorbSubmit(this.state, regId, old.nik, months, subRes);
      this.absorb([pay], [outcome]);
    }
    return true;
  }

  // ---------------------------------------------------------------- checks

  /** Every invariant, from the database and the API, after a step. */
  async check(): Promise<void> {
    const violations = await findViolations(this.t.db, {
      state: this.state,
      bills: this.bills,
      recorded: this.recorded,
      recordedThisStep: this.recordedThisStep,
      registrations: this.registrations,
    });
    const now = this.now();
    for (const code of [...this.touched].slice(0, 4)) {
      const res = await this.t.get(`/api/v1/bills/${encodeURIComponent(code)}`);
      const bill = this.bills.get(code);
      if (!bill) {
        if (res.status !== 404 || res.body?.error?.code !== 'unknown_payment_code') {
          violations.push(`inquiry of unknown code ${code} answered ${res.status} ${JSON.stringify(res.body)}`);
        }
        continue;
      }
      const s = this.state.billStatus.get(code);
      const view = s === 'open' && bill.expiresAtMs <= now ? 'expired' : s;
      if (res.status !== 200 || res.body.status !== view || res.body.amount !== bill.amount || res.body.paymentCode !== code) {
        violations.push(`inquiry of ${code}: ${res.status} ${JSON.stringify(res.body)}, model says ${view} Rp${bill.amount}`);
      }
    }
    if (violations.length > 0) {
      fail(`invariants violated:\n  - ${violations.join('\n  - ')}`);
    }
  }
}

export interface SimulationResult {
  seed: number;
  steps: number;
  /** Time spent checking invariants. */
  checkMs: number;
  ops: Record<string, number>;
  outcomes: Record<string, number>;
  bills: number;
  payments: number;
  participants: number;
}

/**
 * Runs `steps` random operations from `seed`, checking every invariant after each. Any failure is rethrown with
 * the seed, the step and the last operations in its message (and printed), so it can be replayed.
 */
export async function runSimulation(t: TestApp, rng: Rng, steps: number): Promise<SimulationResult> {
  const sim = new MoneyPathSim(t, rng, rng.seed);
  let op: string = 'set-up';
  let checkMs = 0;
  try {
    await sim.setUp(3);
    await sim.check();
    for (sim.step = 1; sim.step <= steps; sim.step++) {
      sim.recordedThisStep = [];
      sim.touched = new Set();
      let done = false;
      for (let attempt = 0; attempt < 20 && !done; attempt++) {
        op = rng.weighted(OPERATION_WEIGHTS);
        done = await sim.run(op as OperationName);
      }
      if (!done) {
        op = 'newRegistration (fallback)';
        await sim.newRegistration();
      }
      sim.opCounts.set(op, (sim.opCounts.get(op) ?? 0) + 1);
      const checkStarted = performance.now();
      await sim.check();
      checkMs += performance.now() - checkStarted;
    }
  } catch (err) {
    const cause = err instanceof Error ? err.message : String(err);
    const message =
      `money-path simulation failed: seed=${rng.seed} step=${sim.step} op=${op}\n` +
      `replay: ${process.env['DATABASE_URL'] ? 'DATABASE_URL=… ' : ''}SIM_SEED=${rng.seed} SIM_STEPS=${steps} npm test -- test/simulation\n` +
      `last operations:\n  ${sim.trace.slice(-25).join('\n  ')}\n` +
      `cause: ${cause}`;
    console.error(message);
    throw new Error(message, { cause: err });
  }
  return {
    seed: rng.seed,
    steps,
    checkMs: Math.round(checkMs),
    ops: Object.fromEntries([...sim.opCounts].sort()),
    outcomes: Object.fromEntries([...sim.outcomeCounts].sort()),
    bills: sim.billList.length,
    payments: sim.recorded.length,
    participants: sim.state.participants.size,
  };
}
