import { sql } from 'kysely';
import { localDateInJakarta, monthOfDate } from '../../src/shared/month.js';
import { addResident, makePerson, type Person } from '../support/factories.js';
import type { TestResponse } from '../support/test-app.js';
import { genericBody } from './channels.js';
import { applyNotification, contentKey, moneyKey, type FirstOutcome, type Notification, type SimBill, type UnmatchedReason } from './model.js';
import type { MoneyPathSim } from './money-path-sim.js';
import { openedNik } from '../support/nik.js';

const CSV_HEADER = 'nik,fullName,birthDate,gender,phone,email,address,occupationCode,branchCode,programs,declaredIncome,months';
const PROGRAM_SETS = [['JKK', 'JKM'], ['JKK', 'JKM', 'JHT']] as const;
const INCOMES = [1_000_000, 2_000_000, 3_500_000, 5_000_000];
const OCCUPATIONS = ['OJOL', 'KURIR', 'SOPIR_ANGKOT', 'PEDAGANG_PASAR'];
const PAY_CHANNELS = ['va', 'qris', 'ewallet', 'retail'] as const;

/** One row of an enrolment batch as the simulation sends it, with the per-row result the contract demands. */
interface BatchRow {
  person: Person;
  programs: readonly string[];
  income: number;
  months: number;
  expected: { status: 'accepted' } | { status: 'rejected'; code: string; field: string };
}

/** A partner batch's collective bill as the model knows it. */
export interface SimCollective {
  batchId: string;
  code: string;
  amount: number;
  expiresAtMs: number;
  /** The accepted rows' first bills (codes), settled only by the fan-out. */
  members: string[];
  /** Set once a payment settled it (the collective payment's id in the database). */
  paymentId: string | null;
  paidAt: string | null;
  /** Shares the fan-out recorded (must end equal to members.length, never more). */
  shares: number;
}

/**
 * Partner enrolment batches and their collective bills in the money-path simulation (issue 17): a partner (made once
 * through POST /dev/partners) uploads small batches (CSV or JSON, 3–8 rows, some bad: a NIK repeated in the batch, an
 * unknown occupation, a worker who is a member already); the batch job runs (POST /dev/jobs/run) and every row's result
 * must be the model's; the accepted rows' first bills join the model (settled only through the collective). The
 * collective code is then paid — exactly, short (unmatched amount_mismatch, into suspense, the collective stays open) or
 * twice (the second unmatched bill_already_paid) — and the fan-out job settles each member bill through the settlement
 * engine (channel 'payer', externalId <collective payment id>:<member bill id>): each share's outcome must be what the
 * model says for it, the members' coverage follows, and no member is settled twice (a second job run adds nothing).
 * Checks (allViolations/stepViolations): every collective as the model has it; per settled collective, payer_collective
 * into clearing:payer = its amount = Σ its shares out of clearing:payer (nets to 0 once fanned out), any excess in
 * suspense (payer_excess).
 */
export class PayersSim {
  partner: { partnerId: string; clientId: string; clientSecret: string } | null = null;
  readonly collectives: SimCollective[] = [];
  touchedCollectives = new Set<string>();
  batches = 0;

  constructor(readonly sim: MoneyPathSim) {}

  get t() {
    return this.sim.t;
  }

  get rng() {
    return this.sim.rng;
  }

  beginStep(): void {
    this.touchedCollectives = new Set();
  }

  expectAnswer(what: string, res: TestResponse, status: number): void {
    if (res.status !== status) {
      this.sim.failWith(`${what}: answered ${res.status} ${JSON.stringify(res.body)}, expected ${status}`);
    }
  }

  /** A bearer token of the partner (made on first use): asked for each time, since the clock moves hours and years. */
  async partnerAuth(): Promise<Record<string, string>> {
    if (!this.partner) {
      const made = await this.t.post('/dev/partners', { name: 'PT Simulasi Ojol', funding: 'partner' });
      this.expectAnswer('POST /dev/partners', made, 201);
      this.partner = made.body;
    }
    const { clientId, clientSecret } = this.partner as { clientId: string; clientSecret: string };
    const res = await this.t.app.request('/api/v1/oauth/token', {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded', authorization: `Basic ${Buffer.from(`${clientId}:${clientSecret}`).toString('base64')}` },
      body: 'grant_type=client_credentials',
    });
    const body = (await res.json()) as { access_token?: string };
    if (res.status !== 200 || !body.access_token) {
      this.sim.failWith(`partner token: ${res.status} ${JSON.stringify(body)}`);
    }
    return { authorization: `Bearer ${body.access_token}` };
  }

  /** One batch, its collective paid and fanned out: every run (the short fixed-seed one too) has partner members. */
  async setUp(): Promise<void> {
    await this.opPartnerBatch(true);
    const c = this.collectives[0];
    if (c) {
      await this.payCollective(c, c.amount);
      await this.sim.runJobsByDevRoute(false);
      await this.observeShares(c);
    }
  }

  async run(op: string): Promise<boolean> {
    switch (op) {
      case 'partnerBatch':
        return this.opPartnerBatch();
      case 'payPartnerBill':
        return this.opPayPartnerBill();
      default:
        throw new Error(`unknown operation ${op}`);
    }
  }

  // ---------------------------------------------------------------- batches

  /** 3–8 rows: fresh residents, and some bad rows (a repeated NIK, an unknown occupation, a member already). */
  async batchRows(firstAccepted: boolean): Promise<BatchRow[]> {
    const n = this.rng.int(3, 8);
    const rows: BatchRow[] = [];
    const fresh = async (occupationCode: string): Promise<Person> => {
      const p = makePerson({ occupationCode });
      await addResident(this.t, p);
      return p;
    };
    const row = (person: Person, expected: BatchRow['expected']): BatchRow => ({
      person,
      programs: this.rng.pick(PROGRAM_SETS),
      income: this.rng.pick(INCOMES),
      months: this.rng.pick([1, 3]),
      expected,
    });
    // A member covered this month is surely not 'inactive' (registration refuses only members who are not; a member
    // lapsed long ago may enrol again).
    const month = monthOfDate(localDateInJakarta(this.t.clock.now()));
    const members = this.sim.people.filter((p) => this.sim.state.coverage.get(p.nik)?.has(month));
    while (rows.length < n) {
      const x = firstAccepted && rows.length === 0 ? 1 : this.rng.next();
      const accepted = rows.filter((r) => r.expected.status === 'accepted');
      if (x < 0.12 && accepted.length > 0) {
        rows.push(row(this.rng.pick(accepted).person, { status: 'rejected', code: 'duplicate_in_batch', field: 'nik' }));
      } else if (x < 0.22) {
        rows.push(row(await fresh('NOPE'), { status: 'rejected', code: 'unknown_occupation', field: 'occupationCode' }));
      } else if (x < 0.32 && members.some((m) => !rows.some((r) => r.person.nik === m.nik))) {
        // (a member twice in one batch would be duplicate_in_batch the second time)
        const member = this.rng.pick(members.filter((m) => !rows.some((r) => r.person.nik === m.nik)));
        rows.push(row(member.person, { status: 'rejected', code: 'already_registered', field: 'nik' }));
      } else {
        rows.push(row(await fresh(this.rng.pick(OCCUPATIONS)), { status: 'accepted' }));
      }
    }
    return rows;
  }

  encode(rows: BatchRow[]): { body: string; type: string } {
    if (this.rng.chance(0.5)) {
      const lines = rows.map(({ person: p, programs, income, months }) =>
        [p.nik, `"${p.fullName}"`, p.birthDate, p.gender, p.phone, p.email, `"${p.address}"`, p.occupationCode, p.branchCode, programs.join(';'), income, months].join(','),
      );
      return { body: `${CSV_HEADER}\r\n${lines.join('\r\n')}\r\n`, type: 'text/csv' };
    }
    const json = rows.map(({ person, programs, income, months }) => {
      const { consent: _c, ...p } = person;
      return { ...p, programs, declaredIncome: income, months };
    });
    return { body: JSON.stringify({ rows: json }), type: 'application/json' };
  }

  /**
   * A partner uploads a batch (sometimes the same upload twice: the same batch), the batch job runs, and every row's
   * result must be the model's; the accepted rows' first bills and their collective join the model.
   */
  async opPartnerBatch(firstAccepted = false): Promise<boolean> {
    const auth = await this.partnerAuth();
    const rows = await this.batchRows(firstAccepted);
    const { body, type } = this.encode(rows);
    this.batches += 1;
    const key = `sim-${this.sim.seed}-batch-${this.batches}`;
    const upload = () => this.t.app.request('/api/v1/partner/enrolment-batches', { method: 'POST', headers: { ...auth, 'content-type': type, 'idempotency-key': key }, body });
    const first = await upload();
    const queued = (await first.json()) as { id: string; status: string };
    this.sim.operations += 1;
    if (first.status !== 202 || queued.status !== 'queued') {
      this.sim.failWith(`batch upload (${type}, ${rows.length} rows) answered ${first.status} ${JSON.stringify(queued)}`);
    }
    if (this.rng.chance(0.3)) {
      const again = await upload();
      const same = (await again.json()) as { id: string };
      this.sim.operations += 1;
      if (again.status !== 202 || same.id !== queued.id) {
        this.sim.failWith(`the same upload under ${key} answered ${again.status} ${JSON.stringify(same)}, not batch ${queued.id}`);
      }
    }
    const batchStarted = this.sim.now();
    await this.sim.runJobsByDevRoute(false);
    const view = await this.t.get(`/api/v1/partner/enrolment-batches/${queued.id}`, auth);
    this.expectAnswer(`batch ${queued.id}`, view, 200);
    const expectedRows = rows.map((r, i) => ({ row: i + 1, ...r.expected }));
    const accepted = rows.filter((r) => r.expected.status === 'accepted');
    if (view.body.status !== 'done' || view.body.total !== rows.length || view.body.accepted !== accepted.length || JSON.stringify(view.body.rows) !== JSON.stringify(expectedRows)) {
      this.sim.failWith(`batch ${queued.id}: ${JSON.stringify(view.body)}, model expects rows ${JSON.stringify(expectedRows)}`);
    }
    this.sim.note(`partner batch ${queued.id} (${type}): ${accepted.length}/${rows.length} accepted`);
    this.sim.count(`partner batch: ${accepted.length} of ${rows.length} accepted`);
    if (accepted.length === 0) {
      if (view.body.bill) {
        this.sim.failWith(`batch ${queued.id} with no accepted row has a bill ${JSON.stringify(view.body.bill)}`);
      }
      return true;
    }
    await this.learnBatch(queued.id, view.body.bill as { paymentCode: string; amount: number }, accepted, batchStarted);
    return true;
  }

  /** The batch's member bills (one first bill per accepted row, on a partner registration) and its collective. */
  async learnBatch(batchId: string, bill: { paymentCode: string; amount: number }, accepted: BatchRow[], startedMs: number): Promise<void> {
    const { rows } = await sql<{ registration_id: string; nik: string; payment_code: string; amount: number; expires_at: Date; created_at: Date; months: string }>`
      select r.id as registration_id, r.nik_sealed as nik, b.payment_code, b.amount, b.expires_at, b.created_at,
        (select string_agg(distinct l.month, ',' order by l.month) from bill_line l where l.bill_id = b.id) as months
      from payer_bill pb join bill b on b.payer_bill_id = pb.id
      join registration r on r.id = b.registration_id
      where pb.payment_code = ${bill.paymentCode} order by b.payment_code`.execute(this.t.db);
    const byNik = new Map(accepted.map((r) => [r.person.nik, r]));
    let total = 0;
    const members: string[] = [];
    let expiresAtMs = Number.POSITIVE_INFINITY;
    for (const r of rows) {
      const nik = openedNik(r.nik);
      const row = byNik.get(nik);
      const months = r.months.split(',');
      if (!row || months.length !== row.months || this.sim.bills.has(r.payment_code)) {
        this.sim.failWith(`batch ${batchId}: member bill ${r.payment_code} of NIK ${nik} for ${r.months} is not one the model expects`);
      }
      byNik.delete(nik);
      total += Number(r.amount);
      expiresAtMs = Math.min(expiresAtMs, r.expires_at.getTime());
      const sb: SimBill = {
        code: r.payment_code,
        amount: Number(r.amount),
        kind: 'first',
        nik,
        registrationId: r.registration_id,
        months,
        expiresAtMs: r.expires_at.getTime(),
        issuedAtMs: Math.max(r.created_at.getTime(), startedMs),
        seq: -1,
      };
      // In the catalog (the full check compares every bill) but not in billList: the simulation's own payments pick
      // their bills from billList, and a member bill of a collective settles only through the collective's fan-out.
      this.sim.bills.set(sb.code, sb);
      this.sim.state.billStatus.set(sb.code, 'open');
      this.sim.registrations.set(r.registration_id, { nik });
      // Known by NIK (their KPJ for a VA payment of their later dues), though not one of the simulation's own people.
      this.sim.byNik.set(nik, { person: row.person, nik, habit: 'dues' });
      // On the partner's roster (its registration names the payer) once a participant (rosters-sim.ts).
      this.sim.rosters.enrol(nik, (this.partner as { partnerId: string }).partnerId);
      this.sim.touch(sb);
      members.push(sb.code);
    }
    if (byNik.size > 0 || total !== bill.amount || !/^9\d{15}$/.test(bill.paymentCode)) {
      this.sim.failWith(`batch ${batchId}: collective ${JSON.stringify(bill)}, member bills ${JSON.stringify(rows)} (Σ ${total}); rows without a bill: ${[...byNik.keys()].join(',')}`);
    }
    this.collectives.push({ batchId, code: bill.paymentCode, amount: bill.amount, expiresAtMs, members, paymentId: null, paidAt: null, shares: 0 });
    this.touchedCollectives.add(bill.paymentCode);
  }

  // ---------------------------------------------------------------- paying a collective

  /** What the collective's code must answer to a payment (lindung_apply_payer_payment's order of reasons). */
  expectedOutcome(c: SimCollective, amount: number, paidAtMs: number): FirstOutcome {
    if (c.paymentId !== null) {
      return { status: 'unmatched', reason: 'bill_already_paid' };
    }
    if (paidAtMs > c.expiresAtMs) {
      return { status: 'unmatched', reason: 'bill_expired' };
    }
    if (amount < c.amount) {
      return { status: 'unmatched', reason: 'amount_mismatch' };
    }
    return { status: 'applied', excess: amount - c.amount };
  }

  /**
   * A payer pays a batch's collective code — exactly, short, or again once paid — through the generic notification; an
   * applied payment is fanned out by the job (POST /dev/jobs/run) and every share checked against the model.
   */
  async opPayPartnerBill(): Promise<boolean> {
    if (this.collectives.length === 0) {
      return false;
    }
    // What is due runs first (a day's cycle, its roster invoices), so the fan-out below runs alone: a roster job in the
    // same pass could read the members' cover before or after the shares.
    await this.sim.runJobsByDevRoute(false);
    const unpaid = this.collectives.filter((c) => c.paymentId === null && c.expiresAtMs > this.sim.now());
    const c = unpaid.length > 0 && this.rng.chance(0.8) ? this.rng.pick(unpaid) : this.rng.pick(this.collectives);
    const x = this.rng.next();
    const amount = x < 0.2 ? c.amount - this.rng.int(1, Math.min(c.amount - 1, 50_000)) : x < 0.3 ? c.amount + this.rng.int(1, 20) * 1_000 : c.amount;
    await this.payCollective(c, amount);
    if (c.paymentId !== null && this.rng.chance(0.25)) {
      await this.payCollective(c, c.amount); // paid twice: the second is unmatched
    }
    if (c.paymentId !== null && c.shares < c.members.length) {
      await this.sim.runJobsByDevRoute(false);
      await this.observeShares(c);
      if (this.rng.chance(0.3)) {
        await this.sim.runJobsByDevRoute(false);
        await this.observeShares(c); // a second run settles nobody twice
      }
    }
    return true;
  }

  async payCollective(c: SimCollective, amount: number): Promise<void> {
    const paidAtMs = this.sim.now();
    const n: Notification = {
      externalId: `sim-${this.sim.seed}-${this.sim.nextId()}`,
      paymentCode: c.code,
      amount,
      channel: this.rng.pick(PAY_CHANNELS),
      paidAt: new Date(paidAtMs).toISOString(),
      protocol: 'generic',
    };
    const expected = this.expectedOutcome(c, amount, paidAtMs);
    const res = await this.t.notify(genericBody(n));
    this.sim.operations += 1;
    const actual = res.status === 200 ? (res.body.status === 'unmatched' ? `unmatched:${res.body.reason}` : res.body.status) : `${res.status} ${JSON.stringify(res.body)}`;
    const want = expected.status === 'unmatched' ? `unmatched:${expected.reason}` : 'applied';
    if (actual !== want) {
      this.sim.failWith(`collective ${c.code} (Rp${c.amount}) paid Rp${amount}: answered ${actual}, model says ${want}`);
    }
    // Recorded like any payment (the full check counts it); resending it is a duplicate, changing it a conflict.
    this.sim.recorded.push({ notification: n, outcome: expected });
    this.sim.sent.push({ n, wire: { kind: 'generic' } });
    this.sim.state.received.set(n.externalId, { content: contentKey(n), money: moneyKey(n), first: expected });
    this.touchedCollectives.add(c.code);
    this.sim.count(`collective payment: ${want}${expected.status === 'applied' && expected.excess > 0 ? '+excess' : ''}`);
    this.sim.note(`collective ${c.code.slice(-6)} Rp${c.amount} paid Rp${amount} on ${n.channel} → ${actual}`);
    if (expected.status === 'applied') {
      const row = await this.t.db.selectFrom('payment').select(['id']).where('external_id', '=', n.externalId).executeTakeFirstOrThrow();
      c.paymentId = row.id;
      c.paidAt = n.paidAt;
    }
  }

  /**
   * The shares the fan-out recorded for a settled collective: one per member bill, each exactly what the model says a
   * payment of that bill at the collective's paidAt is (applied, or unmatched into suspense), recorded and checked.
   */
  async observeShares(c: SimCollective): Promise<void> {
    const { rows } = await sql<{ external_id: string; payment_code: string; amount: number; channel: string; paid_at: Date; outcome: string; unmatched_reason: string | null }>`
      select external_id, payment_code, amount, channel, paid_at, outcome, unmatched_reason from payment
      where external_id like ${`${c.paymentId}:%`} order by external_id`.execute(this.t.db);
    const fresh = rows.filter((r) => !this.sim.state.received.has(r.external_id));
    if (rows.length !== c.members.length || fresh.length !== rows.length - c.shares) {
      this.sim.failWith(`collective ${c.code}: ${rows.length} shares recorded (${fresh.length} new), model: one per member bill (${c.members.length}), ${c.shares} seen`);
    }
    for (const r of fresh) {
      const bill = this.sim.bills.get(r.payment_code);
      const n: Notification = { externalId: r.external_id, paymentCode: r.payment_code, amount: Number(r.amount), channel: 'payer', paidAt: c.paidAt as string, protocol: 'payer' };
      const o = applyNotification(this.sim.state, this.sim.catalog, n, this.sim.now());
      const want = o.status === 'unmatched' ? `unmatched:${o.reason}` : o.status;
      const got = r.outcome === 'unmatched' ? `unmatched:${r.unmatched_reason as UnmatchedReason}` : r.outcome;
      if (!bill || !c.members.includes(r.payment_code) || r.channel !== 'payer' || r.paid_at.getTime() !== Date.parse(c.paidAt as string) || want !== got || Number(r.amount) !== bill.amount) {
        this.sim.failWith(`collective ${c.code}: share ${JSON.stringify(r)}, model says ${want} for bill ${bill?.code} Rp${bill?.amount} paid at ${c.paidAt}`);
      }
      if (o.status === 'applied' || o.status === 'unmatched') {
        const rec = { notification: n, outcome: o };
        this.sim.recorded.push(rec);
        this.sim.stepRecorded.push(rec);
      }
      this.sim.touch(bill);
      this.sim.count(`collective share: ${want}`);
    }
    c.shares = rows.length;
    this.sim.note(`collective ${c.code.slice(-6)}: ${rows.length} shares`);
  }

  // ---------------------------------------------------------------- checks

  /** Every collective as the model has it, and its money (payer_collective in, shares out, excess in suspense). */
  async violations(only?: ReadonlySet<string>): Promise<string[]> {
    const v: string[] = [];
    if (only && only.size === 0) {
      return v;
    }
    const { rows } = await sql<{ payment_code: string; amount: number; status: string; payment_id: string | null; paid: number | null; into_payer: number; out_of_payer: number; shares: number; excess: number }>`
      select pb.payment_code, pb.amount, pb.status, pb.payment_id, p.amount as paid,
        (select coalesce(sum(amount), 0) from ledger_transfer where ref = pb.payment_id and code = 'payer_collective')::int8 as into_payer,
        (select coalesce(sum(t.amount), 0) from ledger_transfer t join payment s on s.id = t.ref
          where s.external_id like pb.payment_id || ':%' and t.debit_account = 'clearing:payer')::int8 as out_of_payer,
        (select count(*) from payment s where s.external_id like pb.payment_id || ':%')::int8 as shares,
        (select coalesce(sum(amount), 0) from ledger_transfer where ref = pb.payment_id and code = 'payer_excess')::int8 as excess
      from payer_bill pb left join payment p on p.id = pb.payment_id`.execute(this.t.db);
    const model = new Map(this.collectives.map((c) => [c.code, c]));
    if (!only && rows.length !== this.collectives.length) {
      v.push(`collective bills: database ${rows.length}, model ${this.collectives.length}`);
    }
    for (const r of rows) {
      const c = model.get(r.payment_code);
      if (only && !only.has(r.payment_code)) {
        continue;
      }
      if (!c) {
        v.push(`collective ${r.payment_code} exists but the model never saw it opened`);
        continue;
      }
      const fannedOut = c.paymentId !== null && c.shares === c.members.length;
      const status = c.paymentId === null ? 'open' : fannedOut ? 'paid' : 'settling';
      const stored = r.status;
      if (Number(r.amount) !== c.amount || stored !== status || r.payment_id !== c.paymentId || Number(r.shares) !== c.shares) {
        v.push(`collective ${r.payment_code}: ${JSON.stringify(r)}, model ${status} Rp${c.amount} payment ${c.paymentId} with ${c.shares} shares`);
      }
      if (c.paymentId !== null) {
        const excess = Number(r.paid) - c.amount;
        if (Number(r.into_payer) !== c.amount || Number(r.excess) !== excess || (fannedOut && Number(r.out_of_payer) !== c.amount)) {
          v.push(`collective ${r.payment_code} Rp${c.amount}: into clearing:payer ${r.into_payer}, shares out ${r.out_of_payer}, excess to suspense ${r.excess} (paid ${r.paid})`);
        }
      }
    }
    return v;
  }
}
