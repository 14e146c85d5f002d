import { sql } from 'kysely';
import { expect } from 'vitest';
import { priceContribution } from '../../src/modules/contributions/domain/price-contribution.js';
import type { DevDebitProvider } from '../../src/modules/autodebit/debit-provider.js';
import { autodebitAttempts, duesOpeningDate } from '../../src/modules/jobs/domain/collection-calendar.js';
import { runDueJobs } from '../../src/modules/jobs/run-due-jobs.js';
import { firstBillStartMonth } from '../../src/modules/membership/domain/cover-start.js';
import { billableMonthsStart } from '../../src/modules/membership/domain/membership-status.js';
import { luhnCheckDigit } from '../../src/shared/ids.js';
import { addMonths, localDateInJakarta, monthOfDate, monthsBetween } from '../../src/shared/month.js';
import { DEV_MIDTRANS_SERVER_KEY, postMidtrans, postXendit, XENDIT_EWALLET, XENDIT_RETAIL } from '../support/channel-clients.js';
import { addResident, latestData, login, makePerson, registerVerified, type Person } from '../support/factories.js';
import { SnapBankClient } from '../support/snap-client.js';
import type { TestApp, TestResponse } from '../support/test-app.js';
import {
  answerKey,
  deliver,
  ewalletBody,
  genericBody,
  inWib,
  MIDTRANS_SAMPLE_CHANNEL,
  MIDTRANS_SAMPLES,
  midtransBody,
  qrisBody,
  retailBody,
  unknownVaCode,
  type Delivered,
  type Sendable,
  type Wire,
} from './channels.js';
import { ClaimsSim } from './claims-sim.js';
import { PayersSim } from './payers-sim.js';
import { AgentsSim } from './agents-sim.js';
import { RostersSim } from './rosters-sim.js';
import { findStepViolations, findViolations, type ModelResolution, type RecordedPayment } from './invariants.js';
import {
  APPLIED,
  applyNotification,
  type Catalog,
  cloneState,
  emptyState,
  expectedAnswer,
  explainConcurrent,
  isCovered,
  outcomeKey,
  type ModelState,
  type Notification,
  type Outcome,
  type Protocol,
  type SimBill,
} from './model.js';
import type { Rng } from './prng.js';
import { nikHashOf, openedNik } from '../support/nik.js';

/*
 * Issue 17 in the simulation: partner enrolment batches and their collective bills (payers-sim.ts), PERISAI agents'
 * command batches and deposits (agents-sim.ts), payer rosters: the monthly roster invoices the cycle opens, paid
 * through the collective fan-out, members leaving the roster (rosters-sim.ts; a roster member gets no dues bill).
 */
const CHANNELS = ['va', 'qris', 'ewallet', 'retail', 'counter', 'autodebit'] as const;
const PROGRAM_SETS = [['JKK', 'JKM'], ['JKK', 'JKM', 'JHT']] as const;
const INCOMES = [1_000_000, 1_800_000, 2_000_000, 3_500_000, 5_000_000, 9_000_000];
const MONTH_CHOICES = [1, 3, 6, 12] as const;
const OCCUPATIONS = ['OJOL', 'KURIR', 'SOPIR_ANGKOT', 'PEDAGANG_PASAR', 'PEDAGANG_KAKI_LIMA'];
const MINUTE = 60_000;
const HOUR = 60 * MINUTE;
const DAY = 24 * HOUR;
const BILL_LIFETIME = 24 * HOUR;
const MAX_PEOPLE = 40;

/** Which channel a payment arrives through: each protocol's real endpoint. */
export const PROTOCOL_WEIGHTS: Readonly<Record<Exclude<Protocol, 'autodebit' | 'payer' | 'agent'>, number>> = {
  generic: 3,
  'snap-va': 2,
  'snap-qris': 2,
  midtrans: 2,
  'xendit-ewallet': 1.5,
  'xendit-retail': 1.5,
};
const CODE_PROTOCOL_WEIGHTS = { ...PROTOCOL_WEIGHTS, 'snap-va': 0 } as const;

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
  vaInquiryAndPay: 6,
  vaPayWithoutInquiry: 3,
  snapRetransmission: 2,
  providerStatusNoise: 3,
  forgedNotification: 1,
  invalidPaidAt: 1,
  overpay: 3,
  topUp: 5,
  resolveUnmatched: 4,
  reconcile: 2,
  autodebitMandate: 3,
  runCollectionJobs: 1,
  // Claims and payouts (claims-sim.ts).
  fileClaim: 3,
  reviewClaim: 5,
  runPayoutJob: 2,
  payoutCallback: 1,
  reissuePayout: 1,
  setJhtRate: 0.3,
  // Partner enrolment batches and their collective bills (payers-sim.ts).
  partnerBatch: 0.5,
  payPartnerBill: 0.7,
  // PERISAI agents: enrol + collect command batches, deposits (agents-sim.ts).
  agentCommands: 0.8,
  agentDeposit: 0.3,
  // Payer rosters: a member leaves a partner's roster (rosters-sim.ts; the invoices are observed after every job run).
  leaveRoster: 0.3,
} as const;
export type OperationName = keyof typeof OPERATION_WEIGHTS;

interface SimPerson {
  person: Person;
  nik: string;
  auth?: Record<string, string>;
  kpj?: string;
  /** `dues`: never asks for a bill of their own; pays the month's dues bill (or auto-debit does), or lapses. */
  habit: 'self' | 'dues';
}

interface BillViewBody {
  paymentCode: string;
  amount: number;
  status: string;
  expiresAt: string;
  months: { month: string; total: number; lines: { program: 'JKK' | 'JKM' | 'JHT'; amount: number; discount: number; net: number }[] }[];
}

interface DuesRow {
  id: string;
  payment_code: string;
  amount: number;
  status: string;
  expires_at: Date;
  created_at: Date;
  first_month: string;
  month_count: number;
  nik: string;
  months: string;
}

interface AutodebitRow {
  external_id: string;
  payment_code: string;
  amount: number;
  paid_at: Date;
  received_at: Date;
  outcome: string;
  reason: string | null;
}

/** How a mandate's account behaves at the development debit provider (its last digits). */
type MandateAccount = 'pays' | 'short' | 'closed' | 'drops';

/** A SNAP request as first answered, for retransmissions (same X-EXTERNAL-ID). */
interface SnapSent {
  s: Sendable;
  snapExternalId: string;
  day: string;
  answer: unknown;
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
  return `${n.protocol} ${n.externalId} ${n.paymentCode.slice(-6)} Rp${n.amount} ${n.channel}`;
}

/**
 * An open bill of a member (not a registration): their own (renewal) or the month's dues. Issuing a member a new bill
 * cancels every open one of theirs; the VA quotes the newest while unexpired.
 */
function isMemberBill(b: SimBill): boolean {
  return b.kind === 'renewal' || b.kind === 'dues';
}

function seconds(ms: number): number {
  return Math.floor(ms / 1_000) * 1_000;
}

/**
 * Drives the real HTTP app through random interleavings of bills and payment notifications on every channel, keeping
 * a model of what must be true, and checks the database against it after every step.
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
  readonly snapSent: SnapSent[] = [];
  /** Top-up codes the model knows (code → NIK), computed from the KPJ by the documented formula. */
  readonly topUps = new Map<string, string>();
  readonly topUpOfNik = new Map<string, string>();
  /** externalId of an unmatched payment → how staff resolved it. */
  readonly resolutions = new Map<string, ModelResolution>();
  readonly catalog: Catalog = { bills: this.bills, topUps: this.topUps };
  readonly bank: SnapBankClient;
  readonly claims: ClaimsSim;
  readonly payers: PayersSim;
  readonly agents: AgentsSim;
  readonly rosters: RostersSim;
  stepRecorded: RecordedPayment[] = [];
  /** Members whose wallet was credited in the current send: the sweep that followed is observed and checked. */
  readonly pendingSweeps = new Set<string>();
  touched = new Set<string>();
  touchedNiks = new Set<string>();
  readonly trace: string[] = [];
  readonly opCounts = new Map<string, number>();
  readonly opMs = new Map<string, number>();
  readonly outcomeCounts = new Map<string, number>();
  readonly protocolCounts = new Map<string, number>();
  step = 0;
  /** Operations done: every notification delivered (copies included), bill issued or asked for, registration, … */
  operations = 0;
  clockMoves = 0;
  #ext = 0;

  constructor(
    readonly t: TestApp,
    readonly rng: Rng,
    readonly seed: number,
  ) {
    this.bank = new SnapBankClient(t);
    this.claims = new ClaimsSim(this);
    this.payers = new PayersSim(this);
    this.agents = new AgentsSim(this);
    this.rosters = new RostersSim(this);
  }

  failWith(message: string): never {
    return fail(message);
  }

  now(): number {
    return this.t.clock.now().getTime();
  }

  note(line: string): void {
    this.trace.push(`#${this.step} ${line}`);
    if (this.trace.length > 200) {
      this.trace.shift();
    }
  }

  count(what: string): void {
    this.outcomeCounts.set(what, (this.outcomeCounts.get(what) ?? 0) + 1);
  }

  // ---------------------------------------------------------------- model helpers

  billsWith(pred: (b: SimBill, status: string) => boolean): SimBill[] {
    return this.billList.filter((b) => pred(b, this.state.billStatus.get(b.code) ?? 'missing'));
  }

  openUnexpired(): SimBill[] {
    const now = this.now();
    return this.billsWith((b, s) => s === 'open' && b.expiresAtMs > now);
  }

  touch(bill: SimBill): void {
    this.touched.add(bill.code);
    this.touchedNiks.add(bill.nik);
  }

  /** Adds a bill the app issued, after checking it is well formed; `months` is what was asked for. */
  addBill(view: BillViewBody, kind: 'first' | 'renewal', nik: string, registrationId: string | null, months: number): SimBill {
    const monthList = view.months.map((m) => m.month);
    let total = 0;
    for (const m of view.months) {
      const monthTotal = m.lines.reduce((s, l) => s + l.net, 0);
      if (monthTotal !== m.total) {
        fail(`month ${m.month} total ${m.total} ≠ Σ nets ${monthTotal}`);
      }
      total += m.total;
    }
    if (total !== view.amount) {
      fail(`bill amount ${view.amount} ≠ Σ month totals ${total}`);
    }
    return this.addIssued({ code: view.paymentCode, amount: view.amount, status: view.status, expiresAt: view.expiresAt, months: monthList }, kind, nik, registrationId, months);
  }

  addIssued(
    view: { code: string; amount: number; status: string; expiresAt: string; months: string[] },
    kind: 'first' | 'renewal',
    nik: string,
    registrationId: string | null,
    months: number,
  ): SimBill {
    const issuedAt = this.now();
    if (view.status !== 'open') {
      fail(`a new bill is ${view.status}, not open`);
    }
    if (!/^\d{16}$/.test(view.code) || this.bills.has(view.code)) {
      fail(`new payment code ${view.code} is malformed or reused`);
    }
    if (view.months.length !== months) {
      fail(`asked for ${months} months, bill has ${view.months.length}`);
    }
    for (let i = 1; i < view.months.length; i++) {
      if (view.months[i] !== nextMonth(view.months[i - 1] as string)) {
        fail(`bill months are not consecutive: ${view.months.join(',')}`);
      }
    }
    if (view.amount <= 0) {
      fail(`bill amount ${view.amount} is not positive`);
    }
    const expiresAtMs = Date.parse(view.expiresAt);
    if (kind === 'first' && Math.abs(expiresAtMs - (issuedAt + BILL_LIFETIME)) > 30_000) {
      fail(`a first bill must expire 24 h after issue: issued ${new Date(issuedAt).toISOString()}, expires ${view.expiresAt}`);
    }
    // A first bill issued in the last 24 hours of a month (WIB) starts at the next month (the answer came just now:
    // the issue was at most a few seconds earlier).
    if (kind === 'first' && ![issuedAt, issuedAt - 5_000].some((at) => view.months[0] === firstBillStartMonth(new Date(at)))) {
      fail(`a first bill issued at ${new Date(issuedAt).toISOString()} starts at ${view.months[0]}, not ${firstBillStartMonth(new Date(issuedAt))}`);
    }
    if (!(expiresAtMs > issuedAt)) {
      fail(`a new bill is already expired (${view.expiresAt})`);
    }
    // Read after the issuing answer, so at or after the bill's created_at.
    const bill: SimBill = { code: view.code, amount: view.amount, kind, nik, registrationId, months: view.months, expiresAtMs, issuedAtMs: this.now(), seq: this.billList.length };
    this.bills.set(bill.code, bill);
    this.billList.push(bill);
    this.state.billStatus.set(bill.code, 'open');
    this.touch(bill);
    return bill;
  }

  cancelOpen(state: ModelState, pred: (b: SimBill) => boolean): SimBill[] {
    const cancelled = this.billList.filter((b) => state.billStatus.get(b.code) === 'open' && pred(b));
    for (const b of cancelled) {
      state.billStatus.set(b.code, 'cancelled');
      this.touch(b);
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

  /**
   * The bill a payment to the member's VA (partnerServiceId + KPJ) settles (README "BI-SNAP virtual accounts"): their
   * newest open bill (their own or the month's dues) while it is unexpired, else their newest bill (renewal, dues and
   * wallet bills and the paid first bill are the participant's), so that a late payment is told paid or expired.
   */
  vaTarget(nik: string): SimBill | null {
    // A roster member's VA may settle a bill of their payer's invoice (not in billList): no VA payment aimed at them.
    if (this.rosters.hasRosterBills(nik)) {
      return null;
    }
    let newest: SimBill | null = null;
    let newestOpen: SimBill | null = null;
    for (const b of this.billList) {
      if (b.nik !== nik) {
        continue;
      }
      const s = this.state.billStatus.get(b.code);
      if (b.kind === 'renewal' || b.kind === 'dues' || s === 'paid') {
        newest = b;
        if ((b.kind === 'renewal' || b.kind === 'dues') && s === 'open') {
          newestOpen = b;
        }
      }
    }
    if (newestOpen && newestOpen.expiresAtMs > this.now()) {
      return newestOpen;
    }
    // The months one wallet sweep paid share their created_at, and the database breaks that tie by a random id: which
    // of them is "newest" is not the model's to say, so no VA payment is aimed at them.
    if (newest?.kind === 'wallet' && this.billList.some((b) => b !== newest && b.kind === 'wallet' && b.nik === nik && b.expiresAtMs === newest?.expiresAtMs)) {
      return null;
    }
    return newest;
  }

  // ---------------------------------------------------------------- notifications

  nextId(): number {
    this.#ext += 1;
    return this.#ext;
  }

  /** A protocol for a payment of `code`: the member's VA only when the VA would settle exactly this bill. */
  pickProtocol(code: string, allowVa = true): Protocol {
    const p = this.rng.weighted(PROTOCOL_WEIGHTS);
    if (p !== 'snap-va') {
      return p;
    }
    const bill = this.bills.get(code);
    if (allowVa && bill && this.state.participants.has(bill.nik) && this.vaTarget(bill.nik)?.code === code) {
      return p;
    }
    return this.rng.weighted(CODE_PROTOCOL_WEIGHTS);
  }

  /** A new notification of `amount` for `code`, through `protocol` (default: a random channel that can carry it). */
  async fresh(code: string, amount: number, options: { paidAt?: number; channel?: string; protocol?: Protocol; allowVa?: boolean } = {}): Promise<Sendable> {
    const protocol = options.protocol ?? this.pickProtocol(code, options.allowVa ?? true);
    const k = this.nextId();
    const paidAtMs = options.paidAt ?? this.paidAtFor(code);
    const base = { paymentCode: code, amount, protocol };
    switch (protocol) {
      case 'generic':
        return {
          n: { ...base, externalId: `sim-${this.seed}-${k}`, channel: options.channel ?? this.rng.pick(CHANNELS), paidAt: new Date(paidAtMs).toISOString() },
          wire: { kind: 'generic' },
        };
      case 'midtrans': {
        const sample = this.rng.pick(MIDTRANS_SAMPLES);
        const transactionId = `sim-mt-${this.seed}-${k}`;
        return {
          n: { ...base, externalId: `midtrans:${transactionId}`, channel: MIDTRANS_SAMPLE_CHANNEL[sample], paidAt: new Date(seconds(paidAtMs)).toISOString() },
          wire: { kind: 'midtrans', sample, transactionId },
        };
      }
      case 'xendit-ewallet': {
        const id = `ewc_sim${this.seed}x${k}`;
        return { n: { ...base, externalId: `xendit:${id}`, channel: 'ewallet', paidAt: new Date(paidAtMs).toISOString() }, wire: { kind: 'xendit-ewallet', id } };
      }
      case 'xendit-retail': {
        const id = `fpc${this.seed}x${k}`;
        return {
          n: { ...base, externalId: `xendit:${id}`, channel: 'retail', paidAt: new Date(paidAtMs).toISOString() },
          wire: { kind: 'xendit-retail', id, outlet: this.rng.chance(0.5) ? 'ALFAMART' : 'INDOMARET' },
        };
      }
      case 'snap-qris': {
        const reference = `QR${this.seed}x${k}`;
        const mode = /^\d{16}$/.test(code) && amount <= 10_000_000 && this.rng.chance(0.15) ? 'qr' : 'partner';
        return {
          n: { ...base, externalId: `qris:${reference}`, channel: 'qris', paidAt: new Date(seconds(paidAtMs)).toISOString() },
          wire: { kind: 'snap-qris', reference, mode },
        };
      }
      case 'snap-va': {
        const bill = this.bills.get(code) as SimBill;
        const customerNo = await this.kpjOf(this.byNik.get(bill.nik) as SimPerson);
        return this.vaSendable(customerNo, code, amount, paidAtMs);
      }
      case 'autodebit':
        return fail('auto-debit payments are made by the collection job, not sent');
      case 'payer':
        return fail("a collective's shares are recorded by its fan-out job, not sent");
      case 'agent':
        return fail("an agent's collections are recorded by the command API, not sent");
    }
  }

  /**
   * A paid time for a new payment of `code`: up to 5 minutes before the clock, never before the bill was issued (that
   * is refused: opInvalidPaidAt), and never in the second after the bill's expiry (expiresAtMs is cut to the second,
   * so the model could not tell that second's answer).
   */
  paidAtFor(code: string): number {
    const bill = this.bills.get(code);
    let paidAt = this.now() - this.rng.int(0, 300) * 1_000;
    if (bill) {
      const issued = Math.ceil(bill.issuedAtMs / 1_000) * 1_000;
      paidAt = Math.max(paidAt, issued);
      if (paidAt >= bill.expiresAtMs - 1_000 && paidAt <= bill.expiresAtMs + 2_000) {
        // (a wallet bill "expires" when it is made, born paid: its expiry never decides anything)
        paidAt = bill.expiresAtMs + 2_000 <= this.now() ? bill.expiresAtMs + 2_000 : Math.max(issued, bill.expiresAtMs - 2_000);
      }
    }
    return paidAt;
  }

  vaSendable(customerNo: string, code: string, amount: number, paidAtMs: number): Sendable {
    const paymentRequestId = `PAY-${this.seed}-${this.nextId()}`;
    return {
      n: { externalId: `snap:88899:${paymentRequestId}`, paymentCode: code, amount, channel: 'va', paidAt: new Date(seconds(paidAtMs)).toISOString(), protocol: 'snap-va' },
      wire: { kind: 'snap-va', customerNo, paymentRequestId, advise: false },
    };
  }

  async kpjOf(p: SimPerson): Promise<string> {
    if (!p.kpj) {
      const row = await this.t.db.selectFrom('participant').select('kpj').where('nik_hash', '=', nikHashOf(p.nik)).executeTakeFirst();
      if (!row) {
        fail(`no participant for NIK ${p.nik}, the model says ${this.state.participants.has(p.nik)}`);
      }
      p.kpj = row.kpj;
    }
    return p.kpj;
  }

  /** Delivers one notification (no model update): for races, whose serial order is decided afterwards. */
  async deliverOne(s: Sendable): Promise<Delivered> {
    if (s.n.protocol === 'snap-va' || s.n.protocol === 'snap-qris') {
      await this.bank.ensureToken();
    }
    this.operations += 1;
    return deliver(this.t, this.bank, s);
  }

  /** Sends the batch concurrently; the answers must be those of some serial order of it. Returns the model's outcomes. */
  async send(batch: readonly Sendable[]): Promise<Outcome[]> {
    if (batch.some((s) => s.n.protocol === 'snap-va' || s.n.protocol === 'snap-qris')) {
      await this.bank.ensureToken();
    }
    this.operations += batch.length;
    const delivered = await Promise.all(batch.map((s) => deliver(this.t, this.bank, s)));
    const outcomes = this.absorb(batch, delivered);
    await this.observeSweeps();
    return outcomes;
  }

  absorb(batch: readonly Sendable[], delivered: readonly Delivered[]): Outcome[] {
    const nowMs = this.now();
    const actual = delivered.map((d, i) => {
      const key = answerKey((batch[i] as Sendable).n.protocol, d.res);
      if (key === null) {
        fail(`${describeN((batch[i] as Sendable).n)} answered ${d.res.status} ${JSON.stringify(d.res.body)}`);
      }
      return key;
    });
    const explained = explainConcurrent(
      this.state,
      this.catalog,
      batch.map((b) => b.n),
      actual,
      nowMs,
    );
    if (!explained) {
      const serial = cloneState(this.state);
      const expected = batch.map((b) => expectedAnswer(b.n.protocol, applyNotification(serial, this.catalog, b.n, nowMs)));
      fail(`answers explained by no serial order: ${batch.map((b, i) => `[${describeN(b.n)} → ${actual[i]}, in sent order expected ${expected[i]}]`).join(' ')}`);
    }
    for (const i of explained.order) {
      const o = explained.outcomes[i] as Outcome;
      const b = batch[i] as Sendable;
      const d = delivered[i] as Delivered;
      const bill = this.bills.get(b.n.paymentCode);
      if (bill) {
        this.touch(bill);
      }
      this.outcomeCounts.set(outcomeKey(o), (this.outcomeCounts.get(outcomeKey(o)) ?? 0) + 1);
      const pk = `${b.n.protocol} ${outcomeKey(o)}`;
      this.protocolCounts.set(pk, (this.protocolCounts.get(pk) ?? 0) + 1);
      if (o.status === 'applied' || o.status === 'unmatched' || o.status === 'topup') {
        const rec = { notification: b.n, outcome: o };
        this.recorded.push(rec);
        this.stepRecorded.push(rec);
      }
      if (o.status === 'applied' && o.excess > 0 && bill) {
        this.pendingSweeps.add(bill.nik);
      }
      if (o.status === 'topup') {
        const nik = this.topUps.get(b.n.paymentCode) as string;
        this.pendingSweeps.add(nik);
        this.touchedNiks.add(nik);
      }
      if (b.n.protocol === 'snap-va') {
        // The answer names the bill the VA payment went to (none for an unknown VA).
        const billNo = d.res.body?.virtualAccountData?.billDetails?.[0]?.billNo;
        if ((billNo ?? null) !== (bill ? bill.code : null)) {
          fail(`VA payment ${b.n.externalId} answered for bill ${billNo}, the model expected ${bill?.code ?? 'none'}`);
        }
      }
      if (d.snapExternalId !== undefined && b.snapExternalId === undefined) {
        this.snapSent.push({ s: b, snapExternalId: d.snapExternalId, day: localDateInJakarta(new Date(nowMs)), answer: d.res.body });
        if (this.snapSent.length > 500) {
          this.snapSent.shift();
        }
      }
    }
    this.sent.push(...batch);
    this.note(batch.map((b, i) => `${describeN(b.n)} → ${actual[i]}`).join(' | '));
    return explained.outcomes;
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
    this.operations += 1;
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
    this.operations += 1;
    const id = await registerVerified(this.t, person);
    const p: SimPerson = { person, nik: person.nik, habit: this.rng.chance(0.3) ? 'dues' : 'self' };
    this.people.push(p);
    this.byNik.set(p.nik, p);
    this.touchedNiks.add(p.nik);
    this.registrations.set(id, { nik: p.nik });
    this.registrationList.push(id);
    this.note(`registered ${id} NIK ${p.nik}`);
    return this.submit(id);
  }

  // ---------------------------------------------------------------- set-up

  async setUp(members: number): Promise<void> {
    await this.bank.login();
    await this.claims.setUp();
    for (let i = 0; i < members; i++) {
      const bill = await this.newRegistration();
      if (!bill) {
        fail('set-up: a new registration got no first bill');
      }
      const [o] = await this.send([await this.fresh(bill.code, bill.amount)]);
      if (o?.status !== 'applied') {
        fail(`set-up: paying a fresh first bill answered ${JSON.stringify(o)}`);
      }
    }
    await this.payers.setUp();
    await this.agents.run('agentCommands');
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
    this.clockMoves += 1;
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
        await this.send([await this.unknownCodeNotification()]);
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
      case 'vaInquiryAndPay':
        return this.opVaInquiryAndPay();
      case 'vaPayWithoutInquiry':
        return this.opVaPayWithoutInquiry();
      case 'snapRetransmission':
        return this.opSnapRetransmission();
      case 'providerStatusNoise':
        return this.opProviderStatusNoise();
      case 'forgedNotification':
        return this.opForgedNotification();
      case 'invalidPaidAt':
        return this.opInvalidPaidAt();
      case 'overpay':
        return this.opOverpay();
      case 'topUp':
        return this.opTopUp();
      case 'resolveUnmatched':
        return this.opResolveUnmatched();
      case 'reconcile':
        return this.opReconcile();
      case 'autodebitMandate':
        return this.opAutodebitMandate();
      case 'runCollectionJobs':
        return this.opRunCollectionJobs();
      case 'partnerBatch':
      case 'payPartnerBill':
        return this.payers.run(op);
      case 'agentCommands':
      case 'agentDeposit':
        return this.agents.run(op);
      case 'leaveRoster':
        return this.rosters.opLeaveRoster();
      default:
        return this.claims.run(op);
    }
  }

  members(): SimPerson[] {
    return this.people.filter((p) => this.state.participants.has(p.nik));
  }

  /**
   * A member about to ask for a bill: mostly one whose cover ends within a year (people pay a few months ahead, not
   * decades), so covers stay near the present and dues, lapses and the wallet's 12-month horizon come into play.
   */
  billableMember(): SimPerson | null {
    const all = this.members();
    const members = all.filter((m) => m.habit === 'self');
    if (members.length === 0) {
      return all.length > 0 ? this.rng.pick(all) : null;
    }
    const current = monthOfDate(localDateInJakarta(this.t.clock.now()));
    const coverEnd = (m: SimPerson) => [...(this.state.coverage.get(m.nik) ?? [])].sort().at(-1) ?? '';
    const behind = members.filter((m) => coverEnd(m) < addMonths(current, 2));
    const near = members.filter((m) => coverEnd(m) < addMonths(current, 12));
    const r = this.rng.next();
    return behind.length > 0 && r < 0.5 ? this.rng.pick(behind) : near.length > 0 && r < 0.95 ? this.rng.pick(near) : this.rng.pick(members);
  }

  /**
   * Whether a member bill for `months` would reach more than 12 months beyond the current month (from the model's
   * cover): then the answer must be 422 prepay_limit (true), else not (false, and the caller checks the answer).
   */
  prepayLimited(res: TestResponse, p: SimPerson, months: number): boolean {
    const refused = res.status === 422 && res.body.error?.code === 'prepay_limit';
    if (refused !== this.beyondHorizon(p, months)) {
      fail(`POST /me/bills for ${months} months (cover through ${[...(this.state.coverage.get(p.nik) ?? [])].sort().at(-1)}) answered ${res.status} ${JSON.stringify(res.body)}`);
    }
    if (refused) {
      this.count('member bill: prepay_limit');
    }
    return refused;
  }

  /** Whether the member's next `months` months (after the model's cover) reach more than 12 months beyond the current month. */
  beyondHorizon(p: SimPerson, months: number): boolean {
    const today = localDateInJakarta(this.t.clock.now());
    const coveredThrough = [...(this.state.coverage.get(p.nik) ?? [])].sort().at(-1);
    const last = coveredThrough === undefined ? null : addMonths(billableMonthsStart({ coveredThrough, today }, this.t.deps.rules), months - 1);
    return last !== null && monthsBetween(monthOfDate(today), last) > 12;
  }

  /** A member's new bill, or null when it would reach more than 12 months beyond the current month (422 prepay_limit). */
  async issueMemberBill(p: SimPerson): Promise<SimBill | null> {
    const months = this.rng.pick(MONTH_CHOICES);
    this.operations += 1;
    const res = await this.t.post('/api/v1/me/bills', { months }, await this.authFor(p));
    if (this.prepayLimited(res, p, months)) {
      return null;
    }
    if (res.status !== 201) {
      fail(`POST /me/bills answered ${res.status} ${JSON.stringify(res.body)}`);
    }
    this.cancelOpen(this.state, (b) => isMemberBill(b) && b.nik === p.nik);
    const bill = this.addBill(res.body.bill, 'renewal', p.nik, null, months);
    this.checkRenewalMonths(this.state, bill);
    this.note(`member ${p.nik} bill ${bill.code.slice(-6)} Rp${bill.amount} ${bill.months[0]}+${months}`);
    return bill;
  }

  async opIssueMemberBill(): Promise<boolean> {
    const p = this.billableMember();
    if (!p) {
      return false;
    }
    await this.issueMemberBill(p);
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
    this.operations += 1;
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
    const batch: Sendable[] = [];
    for (const b of bills) {
      batch.push(await this.fresh(b.code, b.amount, { allowVa: false }));
    }
    const outcomes = await this.send(batch);
    this.count(`race first bills of one NIK: ${outcomes.map(outcomeKey).join(' + ')}`);
    return true;
  }

  /** An open, unexpired bill to pay: an existing one, or a member's new one when there is none. */
  async freshOpenBill(): Promise<SimBill | null> {
    const fresh = this.openUnexpired();
    if (fresh.length > 0) {
      return this.rng.pick(fresh);
    }
    const p = this.billableMember();
    return p ? this.issueMemberBill(p) : null;
  }

  async opPayCorrect(): Promise<boolean> {
    const open = this.billsWith((_, s) => s === 'open');
    const bill = open.length > 0 && this.rng.chance(0.1) ? this.rng.pick(open) : await this.freshOpenBill();
    if (!bill) {
      return false;
    }
    await this.send([await this.fresh(bill.code, bill.amount)]);
    return true;
  }

  /** Less than `amount` (never an overpayment). */
  shortAmount(amount: number): number {
    const candidates = [amount - 1, Math.floor(amount / 2), amount - 1_000, this.rng.int(1, Math.max(1, amount - 1))];
    const ok = candidates.filter((a) => a > 0 && a < amount);
    return ok.length > 0 ? this.rng.pick(ok) : amount + 1;
  }

  /** Not `amount`: less, or more (an overpayment, whose excess goes to the member's wallet). */
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
    await this.send([await this.fresh(bill.code, this.wrongAmount(bill.amount))]);
    return true;
  }

  async opPayBillInStatus(status: 'cancelled' | 'paid'): Promise<boolean> {
    const pool = this.billsWith((_, s) => s === status);
    if (pool.length === 0) {
      return false;
    }
    const bill = this.rng.pick(pool);
    await this.send([await this.fresh(bill.code, bill.amount)]);
    return true;
  }

  /** A KPJ-shaped number (10 digits + Luhn digit) that is no member's: its VA is unknown. */
  unknownCustomerNo(): string {
    for (;;) {
      const body = `9${Array.from({ length: 9 }, () => this.rng.int(0, 9)).join('')}`;
      const no = body + luhnCheckDigit(body);
      if (!this.people.some((p) => p.kpj === no)) {
        return no;
      }
    }
  }

  async unknownCodeNotification(allowVa = true): Promise<Sendable> {
    if (allowVa && this.rng.chance(0.15)) {
      const customerNo = this.unknownCustomerNo();
      return this.vaSendable(customerNo, unknownVaCode(customerNo), this.rng.int(1, 600) * 1_000, this.now());
    }
    let code: string;
    do {
      code = this.rng.chance(0.8) ? `8${Array.from({ length: 15 }, () => this.rng.int(0, 9)).join('')}` : `INV-${this.rng.int(1, 1e9)}`;
    } while (this.bills.has(code));
    const s = await this.fresh(code, this.rng.int(1, 600) * 1_000, { protocol: this.rng.weighted(CODE_PROTOCOL_WEIGHTS) });
    if (s.wire.kind === 'snap-qris' && this.rng.chance(0.3)) {
      // An acquirer's notification without any reference of ours: recorded under QRIS:<its reference>.
      return { n: { ...s.n, paymentCode: `QRIS:${s.wire.reference}` }, wire: { ...s.wire, mode: 'none' } };
    }
    return s;
  }

  /**
   * An earlier notification again: byte for byte, or re-serialised (generic: other key order, paidAt in +07:00), or —
   * for a provider, whose repeats keep the money but may restate the time — with another time (SNAP VA: the bank's
   * retry with flagAdvise Y). SNAP repeats get a new X-EXTERNAL-ID, as a bank's retry does.
   */
  resendOf(original: Sendable): Sendable {
    if (this.rng.chance(0.5)) {
      return { n: original.n, wire: original.wire };
    }
    const n = original.n;
    if (original.wire.kind === 'generic') {
      return {
        n,
        wire: { kind: 'generic', raw: JSON.stringify({ paidAt: inWib(n.paidAt), channel: n.channel, amount: n.amount, paymentCode: n.paymentCode, externalId: n.externalId }) },
      };
    }
    const restated: Notification = { ...n, paidAt: new Date(this.restatedPaidAt(n.paidAt, 240)).toISOString() };
    return { n: restated, wire: original.wire.kind === 'snap-va' ? { ...original.wire, advise: true } : original.wire };
  }

  /**
   * A restated payment time: up to `maxSeconds` later, but never more than 4 minutes ahead of the clock (a paidAt more
   * than 5 minutes ahead is refused as invalid_paid_at, not judged as a repeat; restatements may pile up).
   */
  restatedPaidAt(paidAt: string, maxSeconds: number): number {
    return Math.min(Date.parse(paidAt) + this.rng.int(1, maxSeconds) * 1_000, seconds(this.now() + 4 * MINUTE));
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
    const item = await this.randomFreshNotification(true);
    const copies = this.rng.int(2, 5);
    const outcomes = await this.send(Array.from({ length: copies }, () => item));
    const processed = outcomes.filter((o) => o.status !== 'duplicate');
    if (processed.length !== 1) {
      fail(`${copies} concurrent copies of ${describeN(item.n)} answered ${outcomes.map(outcomeKey).join(',')}`);
    }
    return true;
  }

  /** The same provider id with different money: refused as a conflict (409 / SNAP Inconsistent Request). */
  changedMoney(original: Sendable): Sendable {
    const n: Notification = { ...original.n };
    const wire = original.wire;
    const otherCode = (): string => {
      const other = this.billList.filter((b) => b.code !== n.paymentCode);
      return other.length > 0 ? this.rng.pick(other).code : `${n.paymentCode}9`;
    };
    switch (wire.kind) {
      case 'generic':
        switch (this.rng.int(0, 3)) {
          case 0:
            n.amount = this.wrongAmount(n.amount);
            break;
          case 1:
            n.paymentCode = otherCode();
            break;
          case 2:
            n.channel = this.rng.pick(CHANNELS.filter((c) => c !== n.channel));
            break;
          default:
            n.paidAt = new Date(this.restatedPaidAt(n.paidAt, 120)).toISOString();
        }
        return { n, wire: { kind: 'generic' } };
      case 'midtrans': {
        const r = this.rng.int(0, 2);
        if (r === 0) {
          n.amount = this.wrongAmount(n.amount);
        } else if (r === 1) {
          n.paymentCode = otherCode();
        } else {
          // Another payment_type: booked on another channel.
          const sample = this.rng.pick(Object.entries(MIDTRANS_SAMPLE_CHANNEL).filter(([, c]) => c !== n.channel))[0] as keyof typeof MIDTRANS_SAMPLE_CHANNEL;
          n.channel = MIDTRANS_SAMPLE_CHANNEL[sample];
          return { n, wire: { ...wire, sample } };
        }
        return { n, wire };
      }
      case 'snap-qris':
        if (this.rng.chance(0.5)) {
          n.amount = this.wrongAmount(n.amount);
          return { n, wire };
        }
        n.paymentCode = otherCode();
        return { n, wire: { ...wire, mode: 'partner' } };
      case 'snap-va':
        // A VA repeat pays the bill its first delivery was recorded against: only the amount can differ.
        n.amount = this.wrongAmount(n.amount);
        return { n, wire: { ...wire, advise: true } };
      default:
        if (this.rng.chance(0.5)) {
          n.amount = this.wrongAmount(n.amount);
        } else {
          n.paymentCode = otherCode();
        }
        return { n, wire };
    }
  }

  async opConflictingResend(): Promise<boolean> {
    const sendable = this.recorded.filter((r) => !['autodebit', 'payer', 'agent'].includes(r.notification.protocol));
    if (sendable.length === 0) {
      return false;
    }
    const rec = this.rng.pick(sendable).notification;
    const original = this.sent.find((s) => s.n.externalId === rec.externalId && s.n.amount === rec.amount && s.n.paymentCode === rec.paymentCode) as Sendable;
    const batch: Sendable[] = [this.changedMoney(original)];
    if (this.rng.chance(0.4)) {
      batch.push({ n: original.n, wire: original.wire });
    }
    const outcomes = await this.send(this.rng.shuffle(batch));
    if (!outcomes.some((o) => o.status === 'conflict')) {
      fail(`a known external id with different money was not refused: ${outcomes.map(outcomeKey).join(',')}`);
    }
    return true;
  }

  /**
   * Something a channel might send next: mostly a correct payment of an open bill, sometimes not. `single`: it is sent
   * alone (or as copies of itself), so it may be a VA payment or an overpayment; in a mixed concurrent batch it is
   * neither (a VA payment's bill and an overpayment's wallet sweep are decided when it is processed).
   */
  async randomFreshNotification(single: boolean): Promise<Sendable> {
    const fresh = this.openUnexpired();
    const r = this.rng.next();
    if (fresh.length > 0 && r < 0.6) {
      const b = this.rng.pick(fresh);
      return this.fresh(b.code, b.amount, { allowVa: single });
    }
    if (this.billList.length > 0 && r < 0.8) {
      const b = this.rng.pick(this.billList);
      const amount = this.rng.chance(0.5) ? b.amount : single ? this.wrongAmount(b.amount) : this.shortAmount(b.amount);
      return this.fresh(b.code, amount, { allowVa: single });
    }
    return this.unknownCodeNotification(single);
  }

  /**
   * Several notifications generated, shuffled and delivered concurrently (or one after another, shuffled). No VA
   * payments: which bill a VA payment settles is decided when it is processed, so it is kept out of mixed batches.
   */
  async opOutOfOrder(): Promise<boolean> {
    const k = this.rng.int(2, 5);
    const batch: Sendable[] = [];
    for (let i = 0; i < k; i++) {
      const r = this.rng.next();
      const news = batch.filter((b) => !this.state.received.has(b.n.externalId) && b.n.protocol !== 'snap-va');
      const resendable = this.sent.filter((s) => s.n.protocol !== 'snap-va');
      if (r < 0.1 && resendable.length > 0) {
        batch.push(this.resendOf(this.rng.pick(resendable)));
      } else if (r < 0.18 && news.length > 0) {
        // The same new external id twice in flight with different money: one wins, the other is a conflict.
        const twin = this.rng.pick(news);
        batch.push({ n: { ...twin.n, amount: this.shortAmount(twin.n.amount) }, wire: twin.wire });
      } else if (r < 0.28) {
        const old = this.billsWith((_, s) => s !== 'open');
        const b = old.length > 0 ? this.rng.pick(old) : undefined;
        batch.push(b ? await this.fresh(b.code, b.amount, { allowVa: false }) : await this.unknownCodeNotification(false));
      } else {
        batch.push(await this.randomFreshNotification(false));
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

  /**
   * The clock passes the 24-hour lifetime of the open bills, then one of them is paid: with a paidAt after its expiry
   * (bill_expired), or before it — a late message for money paid in time, which settles the bill if nothing else paid
   * its months meanwhile (the model decides).
   */
  async opPayLate(): Promise<boolean> {
    let open = this.billsWith((_, s) => s === 'open');
    if (open.length === 0) {
      const p = this.billableMember();
      if (!p) {
        return false;
      }
      if (!(await this.issueMemberBill(p))) {
        return false;
      }
      open = this.billsWith((_, s) => s === 'open');
    }
    const bill = this.rng.pick(open);
    const latest = Math.max(...open.map((b) => b.expiresAtMs));
    await this.advanceTo(latest + this.rng.int(1, 48 * 60) * MINUTE);
    const paidAt = this.rng.chance(0.5) ? Math.max(Math.ceil(bill.issuedAtMs / 1_000) * 1_000, bill.expiresAtMs - this.rng.int(1, 600) * MINUTE) : undefined;
    const [o] = await this.send([await this.fresh(bill.code, bill.amount, paidAt !== undefined ? { paidAt } : {})]);
    if (paidAt === undefined && o?.status !== 'unmatched') {
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

  /** A member asks for a new bill while a channel is delivering the payment of the current one. */
  async opRaceMemberBill(): Promise<boolean> {
    // Only a bill whose months are not yet covered (by another bill of the member's paid meanwhile): paying one whose
    // months are covered is bill_already_paid in the payment-first order too, and the race below tells the two orders
    // apart by the payment's answer (applied = payment first).
    let candidates = this.openUnexpired().filter((b) => b.kind === 'renewal' && !isCovered(this.state, b.nik, b.months));
    if (candidates.length === 0) {
      const p = this.billableMember();
      if (!p) {
        return false;
      }
      const issued = await this.issueMemberBill(p);
      if (!issued) {
        return false;
      }
      candidates = [issued];
    }
    const old = this.rng.pick(candidates);
    const p = this.byNik.get(old.nik) as SimPerson;
    const auth = await this.authFor(p);
    const months = this.rng.pick(MONTH_CHOICES);
    const pay = await this.fresh(old.code, old.amount, { allowVa: false });
    this.operations += 1;
    const [payRes, billRes] = await Promise.all([this.deliverOne(pay), this.t.post('/api/v1/me/bills', { months }, auth)]);
    const key = answerKey(pay.n.protocol, payRes.res);
    if (billRes.status === 422) {
      // Refused as beyond the horizon (nothing issued or cancelled): judged on the cover after the payment, which only
      // ever moves the start later.
      this.absorb([pay], [payRes]);
      this.prepayLimited(billRes, p, months);
      return true;
    }
    if (billRes.status !== 201) {
      fail(`POST /me/bills during a payment answered ${billRes.status} ${JSON.stringify(billRes.body)}`);
    }
    const code = billRes.body.bill.paymentCode as string;
    const paidFirst = key === expectedAnswer(pay.n.protocol, APPLIED);
    this.count(`race member bill: ${paidFirst ? 'payment first' : 'bill first'}`);
    if (paidFirst) {
      // Serial order: payment, then the new bill (which must start after the months just paid).
      this.absorb([pay], [payRes]);
      this.cancelOpen(this.state, (b) => isMemberBill(b) && b.nik === p.nik);
      const bill = this.addBill(billRes.body.bill, 'renewal', p.nik, null, months);
      this.note(`race: paid ${old.code.slice(-6)} then member bill ${code.slice(-6)} ${bill.months[0]}+${months}`);
      this.checkRenewalMonths(this.state, bill);
    } else {
      // Serial order: the new bill (cancelling the old), then the payment of the cancelled code.
      this.cancelOpen(this.state, (b) => isMemberBill(b) && b.nik === p.nik);
      const bill = this.addBill(billRes.body.bill, 'renewal', p.nik, null, months);
      this.note(`race: member bill ${code.slice(-6)} ${bill.months[0]}+${months} then pay old ${old.code.slice(-6)}`);
      this.checkRenewalMonths(this.state, bill);
      this.absorb([pay], [payRes]);
    }
    return true;
  }

  /** A member taps "pay" twice: two bills issued at once, and afterwards exactly one of them is open. */
  async opDoubleTapMemberBill(): Promise<boolean> {
    const p = this.billableMember();
    if (!p) {
      return false;
    }
    const auth = await this.authFor(p);
    const months = this.rng.pick(MONTH_CHOICES);
    this.operations += 2;
    const [a, b] = await Promise.all([this.t.post('/api/v1/me/bills', { months }, auth), this.t.post('/api/v1/me/bills', { months }, auth)]);
    if (this.prepayLimited(a, p, months) && this.prepayLimited(b, p, months)) {
      return true;
    }
    if (a.status !== 201 || b.status !== 201) {
      fail(`two POST /me/bills at once answered ${a.status} ${JSON.stringify(a.body)} / ${b.status} ${JSON.stringify(b.body)}`);
    }
    // Which was issued last is not in the answers; the database says which one is open, the model checks the rest.
    // The model keeps bills in the database's created_at order (a VA payment falls back to the newest bill).
    const rows = await this.t.db
      .selectFrom('bill')
      .select(['payment_code', 'status', 'created_at', 'id'])
      .where('payment_code', 'in', [a.body.bill.paymentCode, b.body.bill.paymentCode])
      .execute();
    const open = rows.filter((r) => r.status === 'open').map((r) => r.payment_code);
    if (open.length !== 1) {
      fail(`after two bills issued at once, ${open.length} of them are open: ${JSON.stringify(rows)}`);
    }
    rows.sort((x, y) => x.created_at.getTime() - y.created_at.getTime() || (x.id < y.id ? -1 : 1));
    const ordered = rows.map((r) => (r.payment_code === a.body.bill.paymentCode ? a : b));
    this.cancelOpen(this.state, (x) => isMemberBill(x) && x.nik === p.nik);
    for (const res of ordered) {
      const bill = this.addBill(res.body.bill, 'renewal', p.nik, null, months);
      this.checkRenewalMonths(this.state, bill);
      if (bill.code !== open[0]) {
        this.state.billStatus.set(bill.code, 'cancelled');
      }
    }
    this.note(`double tap: member ${p.nik} bills ${ordered.map((r) => r.body.bill.paymentCode.slice(-6)).join(', ')} (open: ${open[0]?.slice(-6)})`);
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
    const pay = await this.fresh(old.code, old.amount, { allowVa: false });
    this.operations += 1;
    const [payRes, subRes] = await Promise.all([this.deliverOne(pay), this.t.post(`/api/v1/registrations/${regId}/submit`, body)]);
    const paidFirst = answerKey(pay.n.protocol, payRes.res) === expectedAnswer(pay.n.protocol, APPLIED);
    this.count(`race submit: ${paidFirst ? 'payment first' : 'submit first'}`);
    if (paidFirst) {
      this.absorb([pay], [payRes]);
      this.note(`race: paid first bill ${old.code.slice(-6)}, then submit`);
      this.absorbSubmit(this.state, regId, old.nik, months, subRes);
    } else {
      this.note(`race: submit, then pay first bill ${old.code.slice(-6)}`);
      this.absorbSubmit(this.state, regId, old.nik, months, subRes);
      this.absorb([pay], [payRes]);
    }
    return true;
  }

  // ---------------------------------------------------------------- BI-SNAP virtual account and retransmissions

  /**
   * A bank asks what a member's VA is for (inquiry: their open bill, or a new 1-month bill), then pays it — the right
   * amount, a wrong one, or not at all — and sometimes the bank retries the payment (same paymentRequestId).
   */
  async opVaInquiryAndPay(): Promise<boolean> {
    const members = this.members();
    if (members.length === 0) {
      return false;
    }
    const p = this.rng.pick(members);
    const kpj = await this.kpjOf(p);
    await this.bank.ensureToken();
    const target = this.vaTarget(p.nik);
    const quoted = target && this.state.billStatus.get(target.code) === 'open' && isMemberBill(target) && target.expiresAtMs > this.now() ? target : null;
    this.operations += 1;
    const res = await this.bank.inquiry(kpj);
    if (!quoted && this.beyondHorizon(p, 1)) {
      // Covered 12 months ahead already: no bill can be issued (prepay_limit), so nothing is billable.
      if (res.body?.responseCode !== '4042412') {
        fail(`VA inquiry of member ${kpj} covered 12 months ahead answered ${res.status} ${JSON.stringify(res.body)}`);
      }
      this.count('VA inquiry: not billable (prepayment horizon)');
      return true;
    }
    if (res.body?.responseCode !== '2002400' || res.status !== 200) {
      fail(`VA inquiry of member ${kpj} answered ${res.status} ${JSON.stringify(res.body)}`);
    }
    const va = res.body.virtualAccountData;
    const code = va.billDetails?.[0]?.billNo as string;
    const amount = Number(String(va.totalAmount?.value).replace(/\.00$/, ''));
    let bill: SimBill;
    if (quoted) {
      if (code !== quoted.code || amount !== quoted.amount) {
        fail(`VA inquiry quoted ${code} Rp${amount}; the member's open bill is ${quoted.code} Rp${quoted.amount}`);
      }
      bill = quoted;
      this.note(`VA inquiry ${kpj} → open bill ${code.slice(-6)}`);
    } else {
      // No open bill: the inquiry issues a 1-month bill for the month after the cover (replacing any stale one).
      this.cancelOpen(this.state, (b) => isMemberBill(b) && b.nik === p.nik);
      const info = va.additionalInfo ?? {};
      bill = this.addIssued({ code, amount, status: 'open', expiresAt: info.expiresAt, months: info.months ?? [] }, 'renewal', p.nik, null, 1);
      this.checkRenewalMonths(this.state, bill);
      this.note(`VA inquiry ${kpj} → new bill ${code.slice(-6)} Rp${amount} ${bill.months[0]}`);
    }
    const r = this.rng.next();
    if (r < 0.15) {
      return true;
    }
    const pay = this.vaSendable(kpj, bill.code, r < 0.3 ? this.wrongAmount(bill.amount) : bill.amount, this.now());
    await this.send([pay]);
    if (this.rng.chance(0.3)) {
      // The bank did not see our answer and retries: same paymentRequestId, flagAdvise Y, maybe concurrently.
      await this.send(Array.from({ length: this.rng.int(1, 3) }, () => this.resendOf(pay)));
    }
    return true;
  }

  /** A member pays their VA from a bank app without an inquiry first: whatever their VA resolves to now. */
  async opVaPayWithoutInquiry(): Promise<boolean> {
    const members = this.members();
    if (members.length === 0) {
      return false;
    }
    const p = this.rng.pick(members);
    const target = this.vaTarget(p.nik);
    if (!target) {
      return false;
    }
    const amount = this.rng.chance(0.75) ? target.amount : this.wrongAmount(target.amount);
    await this.send([this.vaSendable(await this.kpjOf(p), target.code, amount, this.paidAtFor(target.code))]);
    return true;
  }

  /**
   * SNAP X-EXTERNAL-ID: the same id with the same request the same day is a retransmission — the first answer again,
   * nothing processed twice; with another request it is 409xx00 Conflict and nothing is recorded.
   */
  async opSnapRetransmission(): Promise<boolean> {
    const today = localDateInJakarta(this.t.clock.now());
    const sameDay = this.snapSent.filter((x) => x.day === today);
    if (sameDay.length === 0) {
      return false;
    }
    const prior = this.rng.pick(sameDay);
    await this.bank.ensureToken();
    if (this.rng.chance(0.7)) {
      this.operations += 1;
      const { res } = await deliver(this.t, this.bank, { ...prior.s, snapExternalId: prior.snapExternalId });
      expect(res.body, `retransmission of ${prior.s.n.externalId} (X-EXTERNAL-ID ${prior.snapExternalId})`).toEqual(prior.answer);
      this.note(`SNAP retransmission ${prior.snapExternalId} of ${prior.s.n.externalId} → ${res.body.responseCode} (as first answered)`);
      this.count(`${prior.s.n.protocol} retransmission: first answer repeated`);
      return true;
    }
    // Another request under the same X-EXTERNAL-ID: a new payment that must not be processed.
    const other = prior.s.n.protocol === 'snap-va' ? this.vaSendable((prior.s.wire as Extract<Wire, { kind: 'snap-va' }>).customerNo, prior.s.n.paymentCode, prior.s.n.amount, this.now()) : await this.fresh(prior.s.n.paymentCode, prior.s.n.amount, { protocol: 'snap-qris' });
    this.operations += 1;
    const { res } = await deliver(this.t, this.bank, { ...other, snapExternalId: prior.snapExternalId });
    const expected = prior.s.n.protocol === 'snap-va' ? '4092500' : '4095200';
    if (res.body?.responseCode !== expected || res.status !== 409) {
      fail(`another request under X-EXTERNAL-ID ${prior.snapExternalId} answered ${res.status} ${JSON.stringify(res.body)}, expected ${expected}`);
    }
    this.note(`SNAP X-EXTERNAL-ID ${prior.snapExternalId} reused for ${other.n.externalId} → ${expected}`);
    this.count(`${prior.s.n.protocol} X-EXTERNAL-ID reused: conflict`);
    return true;
  }

  // ---------------------------------------------------------------- contribution wallet: top-ups, overpayments, sweeps

  /** A member's top-up code as documented: '7' + the KPJ left-padded with zeros to 14 digits + a Luhn digit. */
  static topUpCodeFor(kpj: string): string {
    const body = `7${kpj.padStart(14, '0')}`;
    return body + luhnCheckDigit(body);
  }

  /** The member's top-up code, checked once against what GET /api/v1/me/wallet shows them. */
  async topUpCodeOf(p: SimPerson): Promise<string> {
    const known = this.topUpOfNik.get(p.nik);
    if (known) {
      return known;
    }
    const code = MoneyPathSim.topUpCodeFor(await this.kpjOf(p));
    const res = await this.t.get('/api/v1/me/wallet', await this.authFor(p));
    if (res.status !== 200 || res.body.topUpCode !== code || res.body.balance !== (this.state.wallet.get(p.nik) ?? 0)) {
      fail(`GET /me/wallet of ${p.kpj} answered ${res.status} ${JSON.stringify(res.body)}; expected top-up code ${code}, balance ${this.state.wallet.get(p.nik) ?? 0}`);
    }
    this.topUps.set(code, p.nik);
    this.topUpOfNik.set(p.nik, code);
    return code;
  }

  /** The member's wallet as they see it (GET /api/v1/me/wallet) must show the model's balance. */
  async checkWalletView(p: SimPerson): Promise<void> {
    const res = await this.t.get('/api/v1/me/wallet', await this.authFor(p));
    const balance = this.state.wallet.get(p.nik) ?? 0;
    if (res.status !== 200 || res.body.balance !== balance || res.body.topUpCode !== this.topUpOfNik.get(p.nik)) {
      fail(`GET /me/wallet of ${p.kpj} answered ${res.status} ${JSON.stringify(res.body)}; the model's balance is ${balance}`);
    }
    const latest = res.body.entries?.[0];
    if (latest && latest.balanceAfter !== balance) {
      fail(`GET /me/wallet of ${p.kpj}: the newest entry's balanceAfter ${latest.balanceAfter} ≠ balance ${balance}`);
    }
  }

  async observeSweeps(): Promise<void> {
    const niks = [...this.pendingSweeps];
    this.pendingSweeps.clear();
    for (const nik of niks) {
      await this.observeSweep(nik);
    }
  }

  /**
   * After money reached a member's wallet, the wallet pays their next months (README "Contribution wallet"). The
   * months it paid are read from the database and must be: one month per bill of kind `wallet`, paid, each the next
   * billable month after the cover (the current month once inactive), priced as a 1-month bill by the rule book, at
   * most 12 months ahead of the current month, never more than the balance held; and the sweep must stop only when the
   * balance is short of the next month's price (or that month is beyond the horizon). Open bills asking for a month it
   * paid are cancelled. The model then holds what is left.
   */
  async observeSweep(nik: string): Promise<void> {
    const db = this.t.db;
    const p = await db.selectFrom('participant').selectAll().where('nik_hash', '=', nikHashOf(nik)).executeTakeFirst();
    if (!p) {
      return fail(`a wallet was credited for NIK ${nik}, who has no participant`);
    }
    const rows = await db
      .selectFrom('bill')
      .select(['id', 'payment_code', 'amount', 'status', 'payment_id', 'created_at'])
      .where('participant_id', '=', p.id)
      .where('kind', '=', 'wallet')
      // One sweep's months share their created_at: in month order.
      .orderBy('created_at')
      .orderBy('first_month')
      .execute();
    const fresh = rows.filter((r) => !this.bills.has(r.payment_code));
    const rules = this.t.deps.rules;
    const today = localDateInJakarta(this.t.clock.now());
    const current = monthOfDate(today);
    const horizon = Math.max(...rules.prepaymentOptions);
    const member = { declaredIncome: p.declared_income, programs: p.programs, sector: p.sector, funding: p.funding };
    let balance = this.state.wallet.get(nik) ?? 0;
    let coveredThrough = [...(this.state.coverage.get(nik) ?? [])].sort().at(-1);
    if (!coveredThrough) {
      return fail(`NIK ${nik} has a wallet but no covered month in the model`);
    }
    const settled: string[] = [];
    for (const r of fresh) {
      const lines = await db.selectFrom('bill_line').select(['month']).where('bill_id', '=', r.id).execute();
      const months = [...new Set(lines.map((l) => l.month))];
      const start = billableMonthsStart({ coveredThrough, today }, rules);
      const month = months[0] as string;
      const price = priceContribution({ ...member, months: 1, startMonth: month }, rules);
      if (months.length !== 1 || month !== start || r.status !== 'paid' || r.payment_id !== null) {
        fail(`wallet bill ${r.payment_code} is ${r.status} for months ${months.join(',')} (payment ${r.payment_id}); the next billable month is ${start}`);
      }
      if (monthsBetween(current, month) > horizon) {
        fail(`the wallet paid ${month}, more than ${horizon} months ahead of ${current}`);
      }
      if (!price.ok || price.value.total !== r.amount) {
        fail(`wallet bill ${r.payment_code} for ${month} is Rp${r.amount}, a 1-month bill costs ${price.ok ? price.value.total : price.code}`);
      }
      if (r.amount > balance) {
        fail(`the wallet of NIK ${nik} paid Rp${r.amount} for ${month} holding only Rp${balance}`);
      }
      balance -= r.amount;
      coveredThrough = month;
      settled.push(month);
      // A wallet bill is born paid: its "expiry" is when the sweep made it (vaTarget uses it to see one sweep's bills).
      const bill: SimBill = { code: r.payment_code, amount: r.amount, kind: 'wallet', nik, registrationId: null, months: [month], expiresAtMs: r.created_at.getTime(), issuedAtMs: r.created_at.getTime(), seq: this.billList.length };
      this.bills.set(bill.code, bill);
      this.billList.push(bill);
      this.state.billStatus.set(bill.code, 'paid');
      const covered = this.state.coverage.get(nik) ?? new Set<string>();
      if (covered.has(month)) {
        fail(`the wallet paid ${month} for NIK ${nik}, already covered`);
      }
      covered.add(month);
      this.state.coverage.set(nik, covered);
      this.touch(bill);
    }
    const next = billableMonthsStart({ coveredThrough, today }, rules);
    if (monthsBetween(current, next) <= horizon) {
      const price = priceContribution({ ...member, months: 1, startMonth: next }, rules);
      if (price.ok && price.value.total > 0 && price.value.total <= balance) {
        fail(`the wallet of NIK ${nik} kept Rp${balance} although ${next} costs Rp${price.value.total}`);
      }
    }
    this.state.wallet.set(nik, balance);
    this.touchedNiks.add(nik);
    if (settled.length > 0) {
      this.cancelOpen(this.state, (b) => isMemberBill(b) && b.nik === nik && b.months.some((m) => settled.includes(m)));
      this.count(`wallet sweep: paid ${settled.length} month(s)`);
      this.note(`wallet of NIK ${nik} paid ${settled.join(',')}, Rp${balance} left`);
    }
  }

  /** A payment larger than its bill: the bill is settled, the excess goes to the member's wallet (then swept). */
  async opOverpay(): Promise<boolean> {
    const bill = await this.freshOpenBill();
    if (!bill) {
      return false;
    }
    const extra = this.rng.pick([1, 500, 5_000, 10_000, bill.amount, this.rng.int(1, 200) * 1_000]);
    const [o] = await this.send([await this.fresh(bill.code, bill.amount + extra)]);
    if (o?.status === 'applied' && o.excess !== extra) {
      fail(`overpaying ${bill.code} by Rp${extra} answered ${JSON.stringify(o)}`);
    }
    return true;
  }

  /**
   * A member tops up their wallet with their top-up code — small amounts (Rp5.000 and others) through any channel
   * that takes a code, sometimes delivered several times at once — or someone pays a top-up code of no member or with
   * a wrong check digit (unmatched, to suspense). Sometimes the member then looks at their wallet.
   */
  async opTopUp(): Promise<boolean> {
    const members = this.members();
    if (members.length === 0) {
      return false;
    }
    const p = this.rng.pick(members);
    let code = await this.topUpCodeOf(p);
    const r = this.rng.next();
    if (r < 0.06) {
      code = MoneyPathSim.topUpCodeFor(this.unknownCustomerNo());
    } else if (r < 0.1) {
      code = `${code.slice(0, 15)}${(Number(code.slice(15)) + 1 + this.rng.int(0, 8)) % 10}`;
    }
    const amount = this.rng.pick([5_000, 5_000, 1_000, 10_000, 25_000, 50_000, 100_000, this.rng.int(1, 400) * 500, this.rng.int(1, 99_999)]);
    const s = await this.fresh(code, amount, { protocol: this.rng.weighted(CODE_PROTOCOL_WEIGHTS) });
    const copies = this.rng.chance(0.2) ? this.rng.int(2, 4) : 1;
    const outcomes = await this.send(Array.from({ length: copies }, () => s));
    if (outcomes.filter((o) => o.status !== 'duplicate').length !== 1) {
      fail(`${copies} copies of a top-up answered ${outcomes.map(outcomeKey).join(',')}`);
    }
    if (this.rng.chance(0.3)) {
      await this.checkWalletView(p);
    }
    return true;
  }

  // ---------------------------------------------------------------- staff: unmatched payments and reconciliation

  staffAuth(): Record<string, string> {
    return { authorization: `Bearer ${this.t.config.staffApiKey}` };
  }

  /** Unmatched payments the model says are still in suspense (not refunded or assigned), oldest first. */
  openUnmatched(channel?: string): RecordedPayment[] {
    return this.recorded.filter(
      (r) => r.outcome.status === 'unmatched' && !this.resolutions.has(r.notification.externalId) && (channel === undefined || r.notification.channel === channel),
    );
  }

  /**
   * Staff look at the unmatched payments (count and sum must be the model's suspense) and resolve one: refund it to
   * the payer, or assign it to a member's wallet (which then pays their next months) — sometimes with two or three
   * requests at once (a double click, two staff): exactly one wins, the others are 409 payment_already_resolved.
   * Sometimes a resolved payment is asked again, or one that is not unmatched, or an unknown KPJ: refused, nothing moves.
   */
  async opResolveUnmatched(): Promise<boolean> {
    const channel = this.rng.chance(0.3) ? this.rng.pick(CHANNELS) : undefined;
    const expected = this.openUnmatched(channel);
    this.operations += 1;
    const list = await this.t.get(`/api/v1/staff/unmatched-payments?limit=100${channel ? `&channel=${channel}` : ''}`, this.staffAuth());
    const sum = expected.reduce((s, r) => s + r.notification.amount, 0);
    if (list.status !== 200 || list.body.count !== expected.length || list.body.amount !== sum) {
      fail(`unmatched payments${channel ? ` on ${channel}` : ''}: ${list.status} count ${list.body?.count} Rp${list.body?.amount}; the model has ${expected.length} open, Rp${sum}`);
    }
    const byExt = new Map(expected.map((r) => [r.notification.externalId, r]));
    for (const row of list.body.payments as { externalId: string; amount: number; channel: string; reason: string; paymentCode: string }[]) {
      const r = byExt.get(row.externalId);
      if (!r || r.notification.amount !== row.amount || r.notification.channel !== row.channel || r.notification.paymentCode !== row.paymentCode || (r.outcome.status === 'unmatched' && r.outcome.reason !== row.reason)) {
        fail(`unmatched payment listed as ${JSON.stringify(row)}; the model has ${JSON.stringify(r ?? 'nothing open under that id')}`);
      }
    }
    const r = this.rng.next();
    if (r < 0.12) {
      return this.resolveRefused();
    }
    const listed = list.body.payments as { paymentId: string; externalId: string; amount: number; suggestedKpj: string | null }[];
    if (listed.length === 0) {
      return true;
    }
    const target = this.rng.pick(listed);
    const members = this.members();
    const requests: { kind: 'refund' | 'assign'; nik?: string; kpj?: string }[] = [];
    const copies = this.rng.chance(0.3) ? this.rng.int(2, 3) : 1;
    for (let i = 0; i < copies; i++) {
      if (members.length > 0 && this.rng.chance(0.55)) {
        const suggested = target.suggestedKpj ? this.people.find((p) => p.kpj === target.suggestedKpj) : undefined;
        const p = suggested && this.rng.chance(0.6) ? suggested : this.rng.pick(members);
        requests.push({ kind: 'assign', nik: p.nik, kpj: await this.kpjOf(p) });
      } else {
        requests.push({ kind: 'refund' });
      }
    }
    this.operations += requests.length;
    const answers = await Promise.all(
      requests.map((q) =>
        this.t.post(
          `/api/v1/staff/unmatched-payments/${target.paymentId}/${q.kind}`,
          q.kind === 'assign' ? { kpj: q.kpj, reason: 'Simulasi: pembayar meminta dana ditempatkan ke dompet' } : { reason: 'Simulasi: dana dikembalikan ke pembayar' },
          this.staffAuth(),
        ),
      ),
    );
    const won = answers.map((a, i) => [a, requests[i] as (typeof requests)[number]] as const).filter(([a]) => a.status === 201);
    const lost = answers.filter((a) => a.status !== 201);
    if (won.length !== 1 || lost.some((a) => a.status !== 409 || a.body?.error?.code !== 'payment_already_resolved')) {
      fail(`${requests.length} resolution(s) of ${target.externalId} at once answered ${answers.map((a) => `${a.status} ${JSON.stringify(a.body)}`).join(' | ')}`);
    }
    const [answer, request] = won[0] as (typeof won)[number];
    const resolution = request.kind === 'refund' ? 'refunded' : 'assigned';
    if (answer.body.resolution !== resolution || answer.body.amount !== target.amount || answer.body.paymentId !== target.paymentId || (request.kind === 'assign' && answer.body.kpj !== request.kpj)) {
      fail(`resolution of ${target.externalId} answered ${JSON.stringify(answer.body)}, expected ${resolution} of Rp${target.amount}`);
    }
    this.resolutions.set(target.externalId, { kind: resolution, nik: request.nik, amount: target.amount });
    this.note(`staff ${request.kind} ${target.externalId} Rp${target.amount}${request.kpj ? ` → wallet ${request.kpj}` : ''} (${requests.length} request(s))`);
    this.count(`staff ${request.kind}${requests.length > 1 ? `: 1 of ${requests.length} concurrent requests won` : ''}`);
    // The money left suspense once, by the transfer the resolution names.
    const transfer = await this.t.db
      .selectFrom('ledger_transfer')
      .select(['debit_account', 'credit_account', 'amount', 'code'])
      .where('id', '=', `${target.paymentId}:${request.kind}`)
      .executeTakeFirst();
    const to = request.kind === 'refund' ? `clearing:${this.recorded.find((x) => x.notification.externalId === target.externalId)?.notification.channel}` : `wallet:${request.kpj}`;
    if (!transfer || transfer.debit_account !== 'suspense' || transfer.credit_account !== to || transfer.amount !== target.amount) {
      fail(`resolution of ${target.externalId} posted ${JSON.stringify(transfer)}, expected suspense → ${to} Rp${target.amount}`);
    }
    if (request.nik) {
      this.state.wallet.set(request.nik, (this.state.wallet.get(request.nik) ?? 0) + target.amount);
      this.pendingSweeps.add(request.nik);
      this.touchedNiks.add(request.nik);
      await this.observeSweeps();
    }
    return true;
  }

  /** Requests staff must be refused, changing nothing: a payment resolved already, one that is not unmatched, an unknown KPJ. */
  async resolveRefused(): Promise<boolean> {
    const resolved = [...this.resolutions.keys()];
    const settled = this.recorded.filter((r) => r.outcome.status !== 'unmatched');
    const open = this.openUnmatched();
    const r = this.rng.next();
    let externalId: string;
    let path: 'refund' | 'assign';
    let body: Record<string, string>;
    let expected: [number, string];
    if (r < 0.4 && resolved.length > 0) {
      externalId = this.rng.pick(resolved);
      path = this.rng.chance(0.5) ? 'refund' : 'assign';
      expected = [409, 'payment_already_resolved'];
    } else if (r < 0.7 && settled.length > 0) {
      externalId = this.rng.pick(settled).notification.externalId;
      path = 'refund';
      expected = [409, 'payment_not_unmatched'];
    } else if (open.length > 0) {
      externalId = this.rng.pick(open).notification.externalId;
      path = 'assign';
      expected = [404, 'unknown_participant'];
    } else {
      return true;
    }
    body = { reason: 'Simulasi: permintaan yang harus ditolak' };
    if (path === 'assign') {
      body = { ...body, kpj: expected[1] === 'unknown_participant' ? this.unknownCustomerNo() : await this.kpjOf(this.rng.pick(this.members())) };
    }
    const row = await this.t.db.selectFrom('payment').select('id').where('external_id', '=', externalId).executeTakeFirstOrThrow();
    this.operations += 1;
    const res = await this.t.post(`/api/v1/staff/unmatched-payments/${row.id}/${path}`, body, this.staffAuth());
    if (res.status !== expected[0] || res.body?.error?.code !== expected[1]) {
      fail(`staff ${path} of ${externalId} answered ${res.status} ${JSON.stringify(res.body)}, expected ${expected.join(' ')}`);
    }
    this.note(`staff ${path} of ${externalId} → ${expected.join(' ')}`);
    this.count(`staff ${path} refused: ${expected[1]}`);
    return true;
  }

  /** The prefix a settlement file's references get to become external ids (docs/reconciliation.md), per sender. */
  static readonly RECONCILE: readonly { channel: string; source: string; prefix: string | null }[] = [
    { channel: 'va', source: 'snap', prefix: 'snap:88899:' },
    { channel: 'va', source: 'midtrans', prefix: 'midtrans:' },
    { channel: 'va', source: 'api', prefix: null },
    { channel: 'qris', source: 'snap', prefix: 'qris:' },
    { channel: 'qris', source: 'midtrans', prefix: 'midtrans:' },
    { channel: 'qris', source: 'api', prefix: null },
    { channel: 'ewallet', source: 'xendit', prefix: 'xendit:' },
    { channel: 'ewallet', source: 'midtrans', prefix: 'midtrans:' },
    { channel: 'ewallet', source: 'api', prefix: null },
    { channel: 'retail', source: 'xendit', prefix: 'xendit:' },
    { channel: 'retail', source: 'midtrans', prefix: 'midtrans:' },
    { channel: 'retail', source: 'api', prefix: null },
    { channel: 'counter', source: 'api', prefix: null },
    { channel: 'autodebit', source: 'api', prefix: null },
  ];

  readonly reconciliationRuns = new Map<string, string>();

  /**
   * A channel's settlement file for one WIB day, written from the model — every payment it recorded on that channel,
   * that day, in that sender's namespace — with planted differences: some left out (not_in_file), some with another
   * amount (amount_differs), references we never recorded or recorded on another channel (missing_payment), and a
   * payment of another day (matched: matching is by reference). The run's totals and differences must be exactly the
   * ones the model planted. The same file again is the same run (200).
   */
  async opReconcile(): Promise<boolean> {
    const spec = this.rng.pick(MoneyPathSim.RECONCILE);
    const inNamespace = (id: string) => (spec.prefix !== null ? id.startsWith(spec.prefix) : !/^(snap:88899:|qris:|midtrans:|xendit:)/.test(id));
    const reference = (id: string) => (spec.prefix !== null ? id.slice(spec.prefix.length) : id);
    const day = (iso: string) => localDateInJakarta(new Date(iso));
    // A collective's shares and an agent's collections come through no sender's settlement file.
    const filed = this.recorded.filter((r) => r.notification.protocol !== 'payer' && r.notification.protocol !== 'agent');
    const ours = filed.filter((r) => r.notification.channel === spec.channel && inNamespace(r.notification.externalId));
    const date = ours.length > 0 && this.rng.chance(0.9) ? day(this.rng.pick(ours).notification.paidAt) : localDateInJakarta(this.t.clock.now());
    const inScope = ours.filter((r) => day(r.notification.paidAt) === date);
    type Row = { ref: string; code: string; amount: number; time: string };
    type Diff = { kind: string; externalId: string; fileAmount: number | null; recordedAmount: number | null; recordedChannel: string | null };
    const rows: Row[] = [];
    const diffs: Diff[] = [];
    let matched = 0;
    let matchedAmount = 0;
    for (const r of inScope) {
      const n = r.notification;
      const x = this.rng.next();
      if (x < 0.1) {
        diffs.push({ kind: 'not_in_file', externalId: n.externalId, fileAmount: null, recordedAmount: n.amount, recordedChannel: null });
        continue;
      }
      let amount = n.amount;
      if (x < 0.2) {
        amount = n.amount + this.rng.pick([-1, 1, 1_000, -1_000, 16_800]);
        if (amount <= 0) {
          amount = n.amount + 1;
        }
        diffs.push({ kind: 'amount_differs', externalId: n.externalId, fileAmount: amount, recordedAmount: n.amount, recordedChannel: null });
      } else {
        matched += 1;
        matchedAmount += amount;
      }
      rows.push({ ref: reference(n.externalId), code: n.paymentCode, amount, time: n.paidAt });
    }
    // A payment of this channel and namespace paid another day: still matched (by reference, whatever the date).
    const otherDay = ours.filter((r) => day(r.notification.paidAt) !== date);
    if (otherDay.length > 0 && this.rng.chance(0.3)) {
      const n = this.rng.pick(otherDay).notification;
      rows.push({ ref: reference(n.externalId), code: n.paymentCode, amount: n.amount, time: n.paidAt });
      matched += 1;
      matchedAmount += n.amount;
    }
    // A reference we recorded on another channel: missing here, naming where it is.
    const elsewhere = filed.filter((r) => r.notification.channel !== spec.channel && inNamespace(r.notification.externalId));
    if (elsewhere.length > 0 && this.rng.chance(0.3)) {
      const n = this.rng.pick(elsewhere).notification;
      rows.push({ ref: reference(n.externalId), code: n.paymentCode, amount: n.amount, time: n.paidAt });
      diffs.push({ kind: 'missing_payment', externalId: n.externalId, fileAmount: n.amount, recordedAmount: null, recordedChannel: n.channel });
    }
    // Money the sender collected that we never heard of (a lost notification).
    for (let i = this.rng.int(0, 2); i > 0; i--) {
      const k = this.nextId();
      const ref = spec.source === 'snap' ? (spec.channel === 'va' ? `PAY-${this.seed}-lost${k}` : `QR${this.seed}lost${k}`) : spec.source === 'api' ? `sim-${this.seed}-lost${k}` : `sim-lost-${this.seed}-${k}`;
      const amount = this.rng.int(1, 300) * 1_000;
      rows.push({ ref, code: `8${String(k).padStart(15, '0')}`, amount, time: new Date(`${date}T05:00:00Z`).toISOString() });
      diffs.push({ kind: 'missing_payment', externalId: spec.prefix !== null ? `${spec.prefix}${ref}` : ref, fileAmount: amount, recordedAmount: null, recordedChannel: null });
    }
    const header = {
      va: 'virtual_account_no,bank',
      qris: 'bill_number,issuer',
      ewallet: 'payment_code,ewallet',
      retail: 'payment_code,outlet',
      counter: 'payment_code,teller_id',
      autodebit: 'payment_code,account_masked',
    }[spec.channel as 'va'];
    const quote = (s: string) => (/[",\r\n]/.test(s) ? `"${s.replace(/"/g, '""')}"` : s);
    const lines = [`settlement_date,reference_no,${header},amount,transaction_time`];
    for (const row of this.rng.shuffle(rows)) {
      lines.push([date, quote(row.ref), quote(row.code), this.rng.chance(0.5) ? 'SIM, cabang 1' : '', String(row.amount), row.time].map((f, i) => (i === 3 ? quote(f) : f)).join(','));
    }
    const csv = `${lines.join('\r\n')}\r\n`;
    const body = { channel: spec.channel, source: spec.source, settlementDate: date, csv };
    const key = `${spec.channel}|${spec.source}|${date}|${csv}`;
    const before = this.reconciliationRuns.get(key);
    this.operations += 1;
    const res = await this.t.post('/api/v1/staff/reconciliation-runs', body, this.staffAuth());
    if (res.status !== (before ? 200 : 201) || (before && res.body.id !== before)) {
      fail(`reconciliation run ${spec.channel}/${spec.source} ${date} (${rows.length} rows${before ? `, sent before as ${before}` : ''}) answered ${res.status} ${JSON.stringify(res.body).slice(0, 2000)}`);
    }
    this.reconciliationRuns.set(key, res.body.id);
    if (!before) {
      this.checkReconciliation(res.body, spec, date, { rows, diffs, inScope, matched, matchedAmount });
    }
    if (this.rng.chance(0.25)) {
      // The same file uploaded again (a retry, a second staff member): the same run.
      this.operations += 1;
      const again = await this.t.post('/api/v1/staff/reconciliation-runs', body, this.staffAuth());
      if (again.status !== 200 || again.body.id !== res.body.id || JSON.stringify(again.body.differences) !== JSON.stringify(res.body.differences)) {
        fail(`the same settlement file again answered ${again.status} ${JSON.stringify(again.body).slice(0, 500)}, not run ${res.body.id}`);
      }
    }
    this.note(`reconciliation ${spec.channel}/${spec.source} ${date}: ${rows.length} rows, ${diffs.length} differences`);
    this.count(`reconciliation run: ${diffs.length > 0 ? 'with' : 'without'} differences`);
    return true;
  }

  checkReconciliation(
    report: any,
    spec: { channel: string; source: string },
    date: string,
    plan: {
      rows: { amount: number }[];
      diffs: { kind: string; externalId: string; fileAmount: number | null; recordedAmount: number | null; recordedChannel: string | null }[];
      inScope: RecordedPayment[];
      matched: number;
      matchedAmount: number;
    },
  ): void {
    const sum = (xs: readonly (number | null)[]) => xs.reduce<number>((s, x) => s + (x ?? 0), 0);
    const of = (kind: string) => plan.diffs.filter((d) => d.kind === kind);
    const expectedTotals = {
      fileRows: plan.rows.length,
      fileAmount: sum(plan.rows.map((r) => r.amount)),
      recordedCount: plan.inScope.length,
      recordedAmount: sum(plan.inScope.map((r) => r.notification.amount)),
      matchedCount: plan.matched,
      matchedAmount: plan.matchedAmount,
      missingPayment: { count: of('missing_payment').length, fileAmount: sum(of('missing_payment').map((d) => d.fileAmount)) },
      amountDiffers: { count: of('amount_differs').length, fileAmount: sum(of('amount_differs').map((d) => d.fileAmount)), recordedAmount: sum(of('amount_differs').map((d) => d.recordedAmount)) },
      notInFile: { count: of('not_in_file').length, recordedAmount: sum(of('not_in_file').map((d) => d.recordedAmount)) },
    };
    const key = (d: { kind: string; externalId: string; fileAmount: number | null; recordedAmount: number | null; recordedChannel: string | null }) =>
      `${d.kind}|${d.externalId}|${d.fileAmount}|${d.recordedAmount}|${d.recordedChannel}`;
    const actual = ((report.differences ?? []) as Parameters<typeof key>[0][]).map(key).sort();
    const expected = plan.diffs.map(key).sort();
    if (
      report.channel !== spec.channel ||
      report.source !== spec.source ||
      report.settlementDate !== date ||
      JSON.stringify(report.totals) !== JSON.stringify(expectedTotals) ||
      JSON.stringify(actual) !== JSON.stringify(expected)
    ) {
      fail(
        `reconciliation ${spec.channel}/${spec.source} ${date}: report totals ${JSON.stringify(report.totals)} differences ${JSON.stringify(actual)}; ` +
          `the model planted totals ${JSON.stringify(expectedTotals)} differences ${JSON.stringify(expected)}`,
      );
    }
  }

  // ---------------------------------------------------------------- auto-debit and the monthly cycle's collection jobs

  /** Mandates by id: whose, how its account behaves at the development provider, and when it was revoked. */
  readonly mandates = new Map<string, { nik: string; account: MandateAccount; revokedAtMs: number | null }>();
  readonly activeMandate = new Map<string, string>();
  /** Auto-debit payments already taken into the model, and provider charges already accounted for. */
  readonly autodebitSeen = new Set<string>();
  jobRuns = 0;
  lastCollectionDay = '';

  /**
   * A member registers an auto-debit mandate (an account that pays; one whose balance is short; one that is closed;
   * one whose connection drops after the charge), tries a second one (409 mandate_exists), or revokes theirs (twice:
   * idempotent). A revoked mandate is never charged again.
   */
  async opAutodebitMandate(): Promise<boolean> {
    const members = this.members();
    if (members.length === 0) {
      return false;
    }
    // Mostly members who will owe dues soon (their cover ends within two months): theirs is what auto-debit collects.
    const soon = addMonths(monthOfDate(localDateInJakarta(this.t.clock.now())), 2);
    const withDues = new Set(this.billsWith((b, s) => b.kind === 'dues' && s === 'open').map((b) => b.nik));
    const owing = members.filter((m) => m.habit === 'dues' || withDues.has(m.nik) || ([...(this.state.coverage.get(m.nik) ?? [])].sort().at(-1) ?? '') < soon);
    const p = owing.length > 0 && this.rng.chance(0.8) ? this.rng.pick(owing) : this.rng.pick(members);
    const auth = await this.authFor(p);
    const active = this.activeMandate.get(p.nik);
    if (active && this.rng.chance(0.3)) {
      const times = this.rng.chance(0.2) ? 2 : 1;
      for (let i = 0; i < times; i++) {
        this.operations += 1;
        const res: TestResponse = await this.t.request('DELETE', `/api/v1/me/autodebit-mandates/${active}`, undefined, auth);
        if (res.status !== 200 || res.body.mandate?.status !== 'revoked' || res.body.mandate?.id !== active) {
          fail(`revoking mandate ${active} answered ${res.status} ${JSON.stringify(res.body)}`);
        }
      }
      const m = this.mandates.get(active) as { revokedAtMs: number | null };
      m.revokedAtMs = this.now();
      this.activeMandate.delete(p.nik);
      this.note(`member ${p.kpj} revoked mandate ${active}`);
      this.count('auto-debit mandate revoked');
      return true;
    }
    const r = this.rng.next();
    const account: MandateAccount = r < 0.7 ? 'pays' : r < 0.8 ? 'short' : r < 0.9 ? 'closed' : 'drops';
    const suffix = { pays: '0001', short: '0002', closed: '0003', drops: '0004' }[account];
    const bank = this.rng.chance(0.6);
    const body = bank
      ? { providerKind: 'bank', providerName: this.rng.pick(['BCA', 'BNI', 'BRI', 'Mandiri']), accountNumber: `${this.rng.int(100_000, 999_999)}${suffix}` }
      : { providerKind: 'ewallet', providerName: this.rng.pick(['GoPay', 'OVO', 'DANA']), accountNumber: `0812${this.rng.int(1_000, 9_999)}${suffix}` };
    this.operations += 1;
    const res = await this.t.post('/api/v1/me/autodebit-mandates', body, auth);
    if (active) {
      if (res.status !== 409 || res.body?.error?.code !== 'mandate_exists') {
        fail(`a second mandate for ${p.kpj} (active ${active}) answered ${res.status} ${JSON.stringify(res.body)}`);
      }
      this.count('auto-debit mandate refused: mandate_exists');
      return true;
    }
    if (res.status !== 201 || res.body.mandate?.status !== 'active') {
      fail(`registering a mandate for ${p.kpj} answered ${res.status} ${JSON.stringify(res.body)}`);
    }
    const id = res.body.mandate.id as string;
    this.mandates.set(id, { nik: p.nik, account, revokedAtMs: null });
    this.activeMandate.set(p.nik, id);
    this.note(`member ${p.kpj} mandate ${id} (${account})`);
    this.count(`auto-debit mandate registered (${account})`);
    return true;
  }

  /**
   * The clock moves to the next day the monthly cycle collects — a month's dues opening (the 1st), or one of its
   * auto-debit attempts (the due date and the working days after) — and the job runner runs what is due. What the
   * jobs did is then read and checked against the model: every dues bill opened asks a member for exactly the months
   * after their cover through the dues month at the rule book's price, replacing their older dues; every auto-debit
   * payment is a charge of an active mandate's member's dues bill, settled as the model says; and every rupiah the
   * provider took is recorded as a payment, or its attempt is still in doubt (to be asked again with the same
   * reference).
   */
  async opRunCollectionJobs(): Promise<boolean> {
    // Sometimes several collection days in a row (a month's dues opening, then its attempts), nothing else between.
    const days = this.rng.chance(0.4) ? this.rng.int(2, 4) : 1;
    for (let i = 0; i < days; i++) {
      await this.runCollectionDay(i === 0 && this.rng.chance(0.3));
    }
    return true;
  }

  async runCollectionDay(skip: boolean): Promise<void> {
    const rules = this.t.deps.rules;
    const today = localDateInJakarta(this.t.clock.now());
    const month = monthOfDate(today);
    const days = [month, addMonths(month, 1)]
      .flatMap((m) => [duesOpeningDate(m, rules), ...autodebitAttempts(m, rules).map((a) => a.date)])
      .filter((d) => d >= today && d > this.lastCollectionDay)
      .sort();
    if (days.length === 0) {
      return;
    }
    const day = skip ? this.rng.pick(days) : (days[0] as string);
    // 07:00 WIB is when a day's cycle is due; run a little after, at a random minute.
    const at = Date.parse(`${day}T07:00:00+07:00`) + this.rng.int(1, 600) * MINUTE;
    await this.advanceTo(Math.max(at, this.now()));
    this.lastCollectionDay = localDateInJakarta(this.t.clock.now());
    const startedAt = this.t.clock.now();
    const result = await runDueJobs(this.t.deps);
    this.operations += Math.max(1, result.jobs.length);
    this.jobRuns += result.jobs.length;
    for (const job of result.jobs) {
      this.count(`job ${job.kind}: ${job.outcome}`);
      if (job.outcome === 'failed' || job.outcome === 'lost' || (job.outcome === 'retry' && job.kind !== 'autodebit')) {
        fail(`job ${job.id} (${job.kind}) ended ${job.outcome}`);
      }
    }
    this.note(`jobs at ${this.t.clock.now().toISOString()}: ${result.jobs.map((j) => `${j.id}=${j.outcome}`).join(', ') || 'none due'}`);
    // Every wallet is checked as swept only when this run ran the day's sweep job (as runJobsByDevRoute does). The
    // day's cycle, sweep included, runs once a day: when an earlier runner pass that day (the dev route, which the
    // partners' and rosters' steps call at any hour) already ran it, this collection day runs nothing, and a wallet
    // that became able to pay a month since then — a re-registered member's first bill paid, which credits no wallet
    // and so triggers no sweep — is paid by the next day's sweep. Expecting it now was the model's mistake
    // (seed 864074165: "kept Rp168500 although 2035-08 costs Rp24800" after "jobs: none due").
    await this.observeJobs(startedAt, false, result.jobs.some((j) => j.kind === 'wallet_sweep'));
  }

  /**
   * The job runner as development runs it (POST /dev/jobs/run: every due job, pass after pass), at the current clock:
   * what it did is observed as after a collection day, and every payout due must be settled (claims-sim.ts) — unless
   * `strictPayouts` is false (a partner batch's or a collective's jobs, run at any moment: payouts as after the runner).
   */
  async runJobsByDevRoute(strictPayouts = true): Promise<void> {
    const startedAt = this.t.clock.now();
    const res = await this.t.post('/dev/jobs/run');
    if (res.status !== 200 || !Array.isArray(res.body?.ran)) {
      fail(`POST /dev/jobs/run answered ${res.status} ${JSON.stringify(res.body)}`);
    }
    const ran = res.body.ran as string[];
    this.operations += Math.max(1, ran.length);
    this.jobRuns += ran.length;
    for (const id of ran) {
      this.count(`job ${id.split(':')[0]} (dev route)`);
    }
    this.note(`POST /dev/jobs/run at ${startedAt.toISOString()}: ${ran.join(', ') || 'none due'}`);
    await this.observeJobs(startedAt, strictPayouts, ran.some((id) => id.startsWith('wallet-sweep:')));
  }

  /** What a job run did: the collection (dues, auto-debit), the wallet sweeps, the payouts and JHT returns. */
  async observeJobs(startedAt: Date, strictPayouts: boolean, swept: boolean): Promise<void> {
    await this.observeCollection(startedAt);
    // The month's roster job opens the payers' invoices (their member bills replace the roster members' dues).
    await this.rosters.observeInvoices();
    // The day's wallet sweep job (wallet-sweep:<date>, after the collection jobs) pays the months that became payable
    // since the last credit (the horizon moved on): observed and checked like the sweep after a credit.
    for (const [nik, balance] of this.state.wallet) {
      if (balance > 0 && swept) {
        this.pendingSweeps.add(nik);
      }
    }
    await this.observeSweeps();
    await this.claims.afterJobs(strictPayouts);
  }

  /**
   * What the jobs did, in the order they did it (a retried auto-debit of an older month may run before a new month's
   * dues replace that month's bill): dues bills opened (by created_at) and auto-debit payments (by received_at).
   */
  async observeCollection(since: Date): Promise<void> {
    const dues = await this.newDues(since);
    const payments = await this.newAutodebitPayments();
    const events = [
      ...dues.map((r) => ({ at: r.created_at.getTime(), order: 0, run: () => this.observeDues(r) })),
      ...payments.map((r) => ({ at: r.received_at.getTime(), order: 1, run: () => this.observeAutodebitPayment(r) })),
    ].sort((a, b) => a.at - b.at || a.order - b.order);
    for (const e of events) {
      await e.run();
    }
    await this.checkProviderCharges();
  }

  async newDues(since: Date) {
    const rows = await sql<DuesRow>`
      select b.id, b.payment_code, b.amount, b.status, b.expires_at, b.created_at, b.first_month, b.month_count, p.nik_sealed as nik,
        (select string_agg(distinct l.month, ',' order by l.month) from bill_line l where l.bill_id = b.id) as months
      from bill b join participant p on p.id = b.participant_id
      where b.kind = 'dues' and b.created_at >= ${since} order by b.created_at, b.id`.execute(this.t.db);
    return rows.rows.filter((r) => !this.bills.has(r.payment_code)).map((r) => ({ ...r, nik: openedNik(r.nik) }));
  }

  /** A dues bill the cycle opened, checked and taken into the model (replacing the member's older dues). */
  async observeDues(r: DuesRow): Promise<void> {
    const rules = this.t.deps.rules;
    const months = r.months.split(',');
    const covered = [...(this.state.coverage.get(r.nik) ?? [])].sort();
    const last = covered.at(-1) as string;
    const dues = months.at(-1) as string;
    if (!this.state.participants.has(r.nik) || months[0] !== nextMonth(last) || months.length !== r.month_count || monthsBetween(last, dues) !== months.length) {
      fail(`dues bill ${r.payment_code} for ${r.months} of NIK ${r.nik}: the model covers through ${last}`);
    }
    const p = await this.t.db.selectFrom('participant').selectAll().where('nik_hash', '=', nikHashOf(r.nik)).executeTakeFirstOrThrow();
    let price = 0;
    for (const m of months) {
      const q = priceContribution({ declaredIncome: p.declared_income, programs: p.programs, sector: p.sector, funding: p.funding, months: 1, startMonth: m }, rules);
      price += q.ok ? q.value.total : Number.NaN;
    }
    if (price !== r.amount) {
      fail(`dues bill ${r.payment_code} for ${r.months} is Rp${r.amount}; month by month the rule book says Rp${price}`);
    }
    // Opening a member's new dues replaces their older open dues.
    this.cancelOpen(this.state, (b) => b.kind === 'dues' && b.nik === r.nik);
    const bill: SimBill = { code: r.payment_code, amount: r.amount, kind: 'dues', nik: r.nik, registrationId: null, months, expiresAtMs: r.expires_at.getTime(), issuedAtMs: r.created_at.getTime(), seq: this.billList.length };
    this.bills.set(bill.code, bill);
    this.billList.push(bill);
    this.state.billStatus.set(bill.code, 'open');
    this.touch(bill);
    this.count('dues bill opened');
    this.note(`dues ${r.payment_code.slice(-6)} for NIK ${r.nik}: ${r.months} Rp${r.amount}`);
  }

  async newAutodebitPayments() {
    const rows = await sql<AutodebitRow>`
      select external_id, payment_code, amount, paid_at, received_at, outcome, unmatched_reason as reason
      from payment where channel = 'autodebit' and external_id like 'autodebit:%' order by received_at, id`.execute(this.t.db);
    return rows.rows.filter((r) => !this.autodebitSeen.has(r.external_id));
  }

  /**
   * An auto-debit payment the jobs recorded, taken into the model: the payment of the mandate member's dues bill for
   * the month, exactly its amount, through a mandate active when charged whose account pays — settled as the model says.
   */
  async observeAutodebitPayment(r: AutodebitRow): Promise<void> {
    this.autodebitSeen.add(r.external_id);
    const [, mandateId, month] = r.external_id.split(':') as [string, string, string];
    const mandate = this.mandates.get(mandateId);
    const bill = this.bills.get(r.payment_code);
    if (
      !mandate ||
      (mandate.account !== 'pays' && mandate.account !== 'drops') ||
      (mandate.revokedAtMs !== null && mandate.revokedAtMs <= r.paid_at.getTime()) ||
      !bill ||
      bill.kind !== 'dues' ||
      bill.nik !== mandate.nik ||
      bill.months.at(-1) !== month ||
      bill.amount !== r.amount
    ) {
      fail(`auto-debit payment ${r.external_id} of ${r.payment_code} Rp${r.amount}: mandate ${JSON.stringify(mandate)}, bill ${JSON.stringify(bill)}`);
    }
    const n: Notification = { externalId: r.external_id, paymentCode: r.payment_code, amount: r.amount, channel: 'autodebit', paidAt: r.paid_at.toISOString(), protocol: 'autodebit' };
    const o = applyNotification(this.state, this.catalog, n, r.received_at.getTime());
    const actual = r.outcome === 'unmatched' ? `unmatched:${r.reason}` : r.outcome;
    if (outcomeKey(o) !== actual) {
      fail(`auto-debit payment ${r.external_id} was recorded ${actual}; the model says ${outcomeKey(o)}`);
    }
    // The job charges only a bill it can pay (checked right before the charge); only a charge whose outcome was in
    // doubt (the connection dropped) and is recorded later may find its bill paid or replaced meanwhile.
    if (o.status === 'unmatched' && mandate.account !== 'drops') {
      fail(`auto-debit charged ${r.payment_code} Rp${r.amount} through mandate ${mandateId}, which it could not settle: ${outcomeKey(o)}`);
    }
    if (o.status === 'applied' || o.status === 'unmatched') {
      const rec = { notification: n, outcome: o };
      this.recorded.push(rec);
      this.stepRecorded.push(rec);
    }
    this.touch(bill);
    this.count(`auto-debit payment ${outcomeKey(o)}`);
    this.note(`auto-debit ${r.external_id} Rp${r.amount} → ${outcomeKey(o)}`);
  }

  /** Every rupiah the provider took is a recorded payment, or its attempt is still in doubt (pending and sent). */
  async checkProviderCharges(): Promise<void> {
    const provider = this.t.deps.debit as DevDebitProvider | null;
    for (const c of provider?.charges ?? []) {
      const externalId = c.reference.split(':').slice(0, 3).join(':');
      if (this.autodebitSeen.has(externalId)) {
        continue;
      }
      const [, mandateId, month, attempt] = c.reference.split(':') as [string, string, string, string];
      const doubt = await this.t.db
        .selectFrom('autodebit_attempt')
        .select(['status', 'sent_at'])
        .where('mandate_id', '=', mandateId)
        .where('month', '=', month)
        .where('attempt', '=', Number(attempt))
        .executeTakeFirst();
      if (!doubt || doubt.status !== 'pending' || doubt.sent_at === null) {
        fail(`the provider took Rp${c.amount} (${c.reference}) but no payment ${externalId} is recorded and the attempt is ${JSON.stringify(doubt)}`);
      }
    }
  }

  // ---------------------------------------------------------------- notifications that move no money

  /**
   * Provider messages that are not money received (Midtrans pending/expire/deny/cancel/refund, Xendit PENDING/FAILED/
   * VOIDED/REFUNDED, QRIS initiated/pending/refunded/cancelled/failed) — fresh, or about a transaction already paid:
   * acknowledged with `ignored`, nothing recorded (the per-step counts check that).
   */
  async opProviderStatusNoise(): Promise<boolean> {
    const kinds = ['midtrans', 'xendit-ewallet', 'snap-qris'] as const;
    const kind = this.rng.pick(kinds);
    const earlier = this.sent.filter((s) => s.n.protocol === kind && this.state.received.has(s.n.externalId));
    let s: Sendable;
    if (earlier.length > 0 && this.rng.chance(0.4)) {
      s = this.rng.pick(earlier);
    } else {
      const fresh = this.openUnexpired();
      const b = fresh.length > 0 ? this.rng.pick(fresh) : { code: `8${this.rng.int(1e14, 9e14)}`, amount: 10_000 };
      s = await this.fresh(b.code, b.amount, { protocol: kind });
    }
    this.operations += 1;
    let res: TestResponse;
    let expected: string;
    if (s.wire.kind === 'midtrans') {
      const [status, code, reason] = this.rng.pick([
        ['pending', '201', 'not_paid'],
        ['expire', '407', 'not_paid'],
        ['deny', '202', 'not_paid'],
        ['cancel', '200', 'not_paid'],
        ['refund', '200', 'refunded'],
      ] as const);
      const { settlement_time: _omit, ...body } = midtransBody(s.n, s.wire, { transaction_status: status, status_code: code });
      res = await postMidtrans(this.t, status === 'pending' ? body : { ...body, settlement_time: _omit });
      expected = `ignored:${reason}:${status}`;
    } else if (s.wire.kind === 'xendit-ewallet') {
      const [status, reason] = this.rng.pick([
        ['PENDING', 'not_paid'],
        ['FAILED', 'not_paid'],
        ['VOIDED', 'not_paid'],
        ['REFUNDED', 'refunded'],
      ] as const);
      res = await postXendit(this.t, XENDIT_EWALLET, ewalletBody(s.n, s.wire, { status }));
      expected = `ignored:${reason}:${status}`;
    } else {
      await this.bank.ensureToken();
      const [code, status] = this.rng.pick([
        ['01', 'initiated'],
        ['03', 'pending'],
        ['04', 'refunded'],
        ['05', 'canceled'],
        ['06', 'failed'],
      ] as const);
      res = await this.bank.qrNotify(qrisBody(s.n, s.wire as Extract<Wire, { kind: 'snap-qris' }>, code));
      expected = `2005200/ignored/${status}`;
    }
    const actual =
      s.wire.kind === 'snap-qris'
        ? `${res.body?.responseCode}/${res.body?.additionalInfo?.settlement}/${res.body?.additionalInfo?.transactionStatus}`
        : res.status === 200
          ? `${res.body?.status}:${res.body?.reason}:${res.body?.providerStatus}`
          : `${res.status} ${JSON.stringify(res.body)}`;
    if (actual !== expected) {
      fail(`${describeN(s.n)} without money (${expected}) answered ${actual}`);
    }
    this.note(`${describeN(s.n)} status without money → ${actual}`);
    this.count(`${kind} status without money: ignored`);
    return true;
  }

  /** A notification not signed by the channel (wrong HMAC, server key, callback token or SNAP secret): refused, nothing recorded. */
  async opForgedNotification(): Promise<boolean> {
    const fresh = this.openUnexpired();
    if (fresh.length === 0) {
      return false;
    }
    const b = this.rng.pick(fresh);
    const s = await this.fresh(b.code, b.amount);
    this.operations += 1;
    let res: TestResponse;
    let ok: boolean;
    switch (s.wire.kind) {
      case 'generic':
        res = await this.t.notify(genericBody(s.n), '0'.repeat(64));
        ok = res.status === 401 && res.body?.error?.code === 'invalid_signature';
        break;
      case 'midtrans':
        res = await postMidtrans(this.t, midtransBody(s.n, s.wire), `${DEV_MIDTRANS_SERVER_KEY}-not`);
        ok = res.status === 401 && res.body?.error?.code === 'invalid_signature';
        break;
      case 'xendit-ewallet':
        res = await postXendit(this.t, XENDIT_EWALLET, ewalletBody(s.n, s.wire), 'not-the-token');
        ok = res.status === 401 && res.body?.error?.code === 'invalid_signature';
        break;
      case 'xendit-retail':
        res = await postXendit(this.t, XENDIT_RETAIL, retailBody(s.n, s.wire), null);
        ok = res.status === 401 && res.body?.error?.code === 'invalid_signature';
        break;
      case 'snap-qris':
        await this.bank.ensureToken();
        res = await this.bank.qrNotify(qrisBody(s.n, s.wire), { secret: 'not-the-secret' });
        ok = res.body?.responseCode === '4015200';
        break;
      case 'snap-va': {
        await this.bank.ensureToken();
        const body = this.bank.paymentBody(s.wire.customerNo, s.wire.paymentRequestId, `${s.n.amount}.00`);
        res = await this.bank.payment(body, { secret: 'not-the-secret' });
        ok = res.body?.responseCode === '4012500';
        break;
      }
    }
    if (!ok) {
      fail(`forged ${describeN(s.n)} answered ${res.status} ${JSON.stringify(res.body)}`);
    }
    this.note(`forged ${describeN(s.n)} → refused`);
    this.count(`${s.n.protocol} forged: refused`);
    return true;
  }

  /**
   * A payment time the server must refuse, recording nothing (the checks after the step find any row it wrote): before
   * the bill was issued, or more than 5 minutes ahead of the clock. Each channel answers in its own shape.
   */
  async opInvalidPaidAt(): Promise<boolean> {
    const bills = this.billsWith((_, s) => s === 'open');
    if (bills.length === 0) {
      return false;
    }
    const b = this.rng.pick(bills);
    const paidAt = this.rng.chance(0.5) ? b.issuedAtMs - this.rng.int(6, 48 * 60) * MINUTE : this.now() + this.rng.int(6, 60) * MINUTE;
    const s = await this.fresh(b.code, b.amount, { paidAt });
    const { res } = await this.deliverOne(s);
    const expected =
      s.n.protocol === 'snap-va' ? res.body?.responseCode === '4002501' : s.n.protocol === 'snap-qris' ? res.body?.responseCode === '4005201' : res.status === 422 && res.body?.error?.code === 'invalid_paid_at';
    if (!expected) {
      fail(`${describeN(s.n)} paid at ${s.n.paidAt} (bill issued ${new Date(b.issuedAtMs).toISOString()}) answered ${res.status} ${JSON.stringify(res.body)}`);
    }
    this.note(`${describeN(s.n)} paid at ${s.n.paidAt} → refused, nothing recorded`);
    this.count(`${s.n.protocol} invalid paidAt: refused`);
    return true;
  }

  // ---------------------------------------------------------------- checks

  view() {
    return { state: this.state, bills: this.bills, recorded: this.recorded, registrations: this.registrations, resolutions: this.resolutions };
  }

  /** The cheap checks after a step (what it changed), plus the API's view of a bill it touched. */
  async checkStep(): Promise<void> {
    const violations = await findStepViolations(this.t.db, this.view(), { recorded: this.stepRecorded, bills: this.touched, niks: this.touchedNiks });
    violations.push(...(await this.claims.stepViolations()));
    violations.push(...(await this.payers.violations(this.payers.touchedCollectives)));
    violations.push(...(await this.agents.violations(false)));
    await this.checkInquiries(violations, 1);
    if (violations.length > 0) {
      fail(`invariants violated:\n  - ${violations.join('\n  - ')}`);
    }
  }

  /** Every invariant over the whole database, plus the step's own checks. */
  async checkAll(): Promise<void> {
    const violations = await findViolations(this.t.db, this.view());
    violations.push(...(await findStepViolations(this.t.db, this.view(), { recorded: this.stepRecorded, bills: this.touched, niks: this.touchedNiks })));
    violations.push(...(await this.claims.allViolations()));
    violations.push(...(await this.payers.violations()));
    violations.push(...(await this.agents.violations(true)));
    await this.checkInquiries(violations);
    if (violations.length > 0) {
      fail(`invariants violated:\n  - ${violations.join('\n  - ')}`);
    }
  }

  async checkInquiries(violations: string[], max = 4): Promise<void> {
    const now = this.now();
    for (const code of [...this.touched].slice(0, max)) {
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
  }
}

export interface SimulationOptions {
  /** Run exactly this many steps (SIM_STEPS); otherwise run until `operations` operations are done. */
  steps?: number;
  operations?: number;
  /** Every invariant over the whole database after every `fullCheckEvery` steps (and at the end); 1 = every step. */
  fullCheckEvery: number;
}

export interface SimulationResult {
  seed: number;
  steps: number;
  operations: number;
  /** Jobs the runner ran (counted in `operations`). */
  jobRuns: number;
  clockMoves: number;
  fullChecks: number;
  /** Time spent checking invariants (all of them, and the full checks among them). */
  checkMs: number;
  fullCheckMs: number;
  ops: Record<string, number>;
  /** Time spent in each kind of operation (ms). */
  opMs: Record<string, number>;
  outcomes: Record<string, number>;
  byProtocol: Record<string, number>;
  bills: number;
  payments: number;
  participants: number;
}

/**
 * Runs random operations from `seed` — `options.steps` steps, or until `options.operations` operations are done —
 * checking what each step changed after it and every invariant over the whole database every `fullCheckEvery` steps
 * and at the end. Any failure is rethrown with the seed, the step and the last operations in its message (and
 * printed), so it can be replayed.
 */
export async function runSimulation(t: TestApp, rng: Rng, options: SimulationOptions): Promise<SimulationResult> {
  const sim = new MoneyPathSim(t, rng, rng.seed);
  let op: string = 'set-up';
  let checkMs = 0;
  let fullChecks = 0;
  let fullCheckMs = 0;
  const target = options.operations ?? Number.POSITIVE_INFINITY;
  const maxSteps = options.steps ?? Number.POSITIVE_INFINITY;
  const replay = options.steps !== undefined ? `SIM_STEPS=${options.steps}` : `SIM_OPS=${options.operations}`;
  try {
    await sim.setUp(3);
    await sim.checkAll();
    for (sim.step = 1; sim.step <= maxSteps && sim.operations < target; sim.step++) {
      sim.stepRecorded = [];
      sim.touched = new Set();
      sim.touchedNiks = new Set();
      sim.claims.beginStep();
      sim.payers.beginStep();
      sim.agents.beginStep();
      let done = false;
      const opStarted = performance.now();
      for (let attempt = 0; attempt < 20 && !done; attempt++) {
        op = rng.weighted(OPERATION_WEIGHTS);
        done = await sim.run(op as OperationName);
      }
      sim.opMs.set(op, (sim.opMs.get(op) ?? 0) + performance.now() - opStarted);
      if (!done) {
        op = 'newRegistration (fallback)';
        await sim.newRegistration();
      }
      sim.opCounts.set(op, (sim.opCounts.get(op) ?? 0) + 1);
      const checkStarted = performance.now();
      const last = sim.step === maxSteps || sim.operations >= target;
      if (last || sim.step % options.fullCheckEvery === 0) {
        await sim.checkAll();
        fullChecks += 1;
        fullCheckMs += performance.now() - checkStarted;
      } else {
        await sim.checkStep();
      }
      checkMs += performance.now() - checkStarted;
    }
  } catch (err) {
    const cause = err instanceof Error ? err.message : String(err);
    const message =
      `money-path simulation failed: seed=${rng.seed} step=${sim.step} op=${op}\n` +
      `replay: ${process.env['DATABASE_URL'] ? 'DATABASE_URL=… ' : ''}SIM_SEED=${rng.seed} ${replay} npm test -- test/simulation\n` +
      `last operations:\n  ${sim.trace.slice(-25).join('\n  ')}\n` +
      `cause: ${cause}`;
    console.error(message);
    throw new Error(message, { cause: err });
  }
  return {
    seed: rng.seed,
    steps: sim.step - 1,
    operations: sim.operations,
    jobRuns: sim.jobRuns,
    clockMoves: sim.clockMoves,
    fullChecks,
    checkMs: Math.round(checkMs),
    fullCheckMs: Math.round(fullCheckMs),
    ops: Object.fromEntries([...sim.opCounts].sort()),
    opMs: Object.fromEntries([...sim.opMs].sort().map(([k, v]) => [k, Math.round(v)])),
    outcomes: Object.fromEntries([...sim.outcomeCounts].sort()),
    byProtocol: Object.fromEntries([...sim.protocolCounts].sort()),
    bills: sim.billList.length,
    payments: sim.recorded.length,
    participants: sim.state.participants.size,
  };
}
