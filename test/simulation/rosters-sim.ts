import { sql } from 'kysely';
import { priceContribution } from '../../src/modules/contributions/domain/price-contribution.js';
import { billableMonthsStart } from '../../src/modules/membership/domain/membership-status.js';
import { addMonths, localDateInJakarta } from '../../src/shared/month.js';
import { nikHashOf, openedNik } from '../support/nik.js';
import type { SimBill } from './model.js';
import type { MoneyPathSim } from './money-path-sim.js';

/** A member on a payer's roster as the model knows it (a partner batch's accepted row, once a participant). */
interface RosterEntry {
  nik: string;
  payerId: string;
  /** The first month the member pays themself (they left the roster); null: still on it. */
  selfFrom: string | null;
}

interface InvoiceRow {
  id: string;
  payer_id: string;
  payment_code: string;
  amount: number;
  expires_at: Date;
  created_at: Date;
}

interface MemberBillRow {
  payment_code: string;
  amount: number;
  kind: string;
  expires_at: Date;
  created_at: Date;
  nik: string;
  months: string;
}

/**
 * Payer rosters and their period invoices in the money-path simulation (issue 17, src/modules/rosters). A partner's
 * batch members are on its roster (their registration names the payer). At each month's roster job
 * (`roster-bills:<M>`, run by the daily cycle) the model observes the invoices opened — ONE collective per payer and
 * period (`roster:<payer>:<M>`) over one 1-month 'renewal' member bill per roster member, issued by issueMemberBill —
 * and checks each against the model: exactly the members on the roster for M, whose next billable month is ≤ M and
 * whose month is not held by an earlier invoice still payable (or paid); the bill's month is that next month, its
 * amount the rule book's. The roster member bills join the catalog but not billList (paid only through the
 * collective's fan-out, like a batch's first bills); the collectives join payers-sim's, so they are paid exactly,
 * short, over, twice or late (expired) and fanned out there. A roster member gets no individual dues bill while on
 * the roster (observeDues sees none: the model never expects one). Members leave the roster (DELETE
 * /partner/roster/{kpj}): self-paying from their next unpaid month not on a payable invoice — that invoice keeps their
 * bill — or not_on_roster when the payer does not pay their next month.
 */
export class RostersSim {
  readonly entries = new Map<string, RosterEntry>();
  /** nik → the member bills roster invoices opened for them. */
  readonly billsOf = new Map<string, SimBill[]>();
  readonly seenInvoices = new Set<string>();
  /** payment code of a roster collective → paid (its payment applied). */
  invoices = 0;

  constructor(readonly sim: MoneyPathSim) {}

  /** A partner batch's accepted row: on the payer's roster once a participant. */
  enrol(nik: string, payerId: string): void {
    this.entries.set(nik, { nik, payerId, selfFrom: null });
  }

  /** Whether the member has roster bills (their VA may settle one: the model aims no VA payment at them). */
  hasRosterBills(nik: string): boolean {
    return (this.billsOf.get(nik)?.length ?? 0) > 0;
  }

  lastCovered(nik: string): string | undefined {
    return [...(this.sim.state.coverage.get(nik) ?? [])].sort().at(-1);
  }

  /** The member bills on a collective that still stands at `atMs`: open, the collective paid or not expired. */
  standingBills(nik: string, atMs: number): SimBill[] {
    return (this.billsOf.get(nik) ?? []).filter((b) => {
      if (this.sim.state.billStatus.get(b.code) !== 'open') {
        return false;
      }
      const c = this.sim.payers.collectives.find((x) => x.members.includes(b.code));
      return c !== undefined && (c.paymentId !== null || c.expiresAtMs > atMs);
    });
  }

  /** The payer paying the member's `month` ('' = the member), per the model. */
  payerOf(e: RosterEntry, month: string): string {
    return e.selfFrom === null || month < e.selfFrom ? e.payerId : '';
  }

  /** Who the invoice of `payerId` for `period` opened at `atMs` must bill, and the month each is billed for. */
  expectedMembers(payerId: string, period: string, atMs: number): Map<string, string> {
    const today = localDateInJakarta(new Date(atMs));
    const out = new Map<string, string>();
    for (const e of this.entries.values()) {
      const last = this.lastCovered(e.nik);
      if (!this.sim.state.participants.has(e.nik) || last === undefined || this.payerOf(e, period) !== payerId || this.standingBills(e.nik, atMs).length > 0) {
        continue;
      }
      const next = billableMonthsStart({ coveredThrough: last, today }, this.sim.t.deps.rules);
      if (next <= period) {
        out.set(e.nik, next);
      }
    }
    return out;
  }

  /** The roster invoices the jobs opened since the last look, in the order they were opened, checked and modelled. */
  async observeInvoices(): Promise<void> {
    const { rows } = await sql<InvoiceRow>`
      select id, payer_id, payment_code, amount, expires_at, created_at from payer_bill
       where id like 'roster:%' order by created_at, id`.execute(this.sim.t.db);
    for (const r of rows) {
      if (!this.seenInvoices.has(r.id)) {
        await this.observeInvoice(r);
      }
    }
  }

  async memberBills(invoiceId: string): Promise<MemberBillRow[]> {
    const { rows } = await sql<MemberBillRow>`
      select b.payment_code, b.amount, b.kind, b.expires_at, b.created_at, p.nik_sealed as nik,
        (select string_agg(distinct l.month, ',' order by l.month) from bill_line l where l.bill_id = b.id) as months
      from bill b join participant p on p.id = b.participant_id
      where b.payer_bill_id = ${invoiceId} order by b.payment_code`.execute(this.sim.t.db);
    return rows.map((r) => ({ ...r, nik: openedNik(r.nik) }));
  }

  async observeInvoice(r: InvoiceRow): Promise<void> {
    this.seenInvoices.add(r.id);
    const period = r.id.split(':').at(-1) as string;
    const atMs = r.created_at.getTime();
    const expected = this.expectedMembers(r.payer_id, period, atMs);
    const bills = await this.memberBills(r.id);
    const got = new Map(bills.map((b) => [b.nik, b.months]));
    const mismatch = [...expected].some(([nik, month]) => got.get(nik) !== month) || bills.some((b) => !expected.has(b.nik));
    if (mismatch || bills.length === 0) {
      this.sim.failWith(`roster invoice ${r.id} bills ${JSON.stringify([...got])}; the model expects ${JSON.stringify([...expected])}`);
    }
    let total = 0;
    for (const b of bills) {
      total += await this.learnMemberBill(r, b);
    }
    if (total !== Number(r.amount) || !/^9\d{15}$/.test(r.payment_code)) {
      this.sim.failWith(`roster invoice ${r.id} ${r.payment_code} is Rp${r.amount}; its member bills sum to Rp${total}`);
    }
    this.sim.payers.collectives.push({
      batchId: r.id,
      code: r.payment_code,
      amount: Number(r.amount),
      expiresAtMs: r.expires_at.getTime(),
      members: bills.map((b) => b.payment_code),
      paymentId: null,
      paidAt: null,
      shares: 0,
    });
    this.sim.payers.touchedCollectives.add(r.payment_code);
    this.invoices += 1;
    this.sim.count(`roster invoice opened (${bills.length} members)`);
    this.sim.note(`roster invoice ${r.id} ${r.payment_code.slice(-6)} Rp${r.amount}: ${bills.length} members`);
  }

  /** One member bill of an invoice: a 1-month renewal at the rule book's price, replacing the member's open bills. */
  async learnMemberBill(inv: InvoiceRow, r: MemberBillRow): Promise<number> {
    const p = await this.sim.t.db.selectFrom('participant').selectAll().where('nik_hash', '=', nikHashOf(r.nik)).executeTakeFirstOrThrow();
    const month = r.months;
    const q = priceContribution({ declaredIncome: p.declared_income, programs: p.programs, sector: p.sector, funding: p.funding, months: 1, startMonth: month }, this.sim.t.deps.rules);
    const amount = Number(r.amount);
    if (r.kind !== 'renewal' || !q.ok || q.value.total !== amount || r.expires_at.getTime() !== inv.expires_at.getTime() || this.sim.bills.has(r.payment_code)) {
      this.sim.failWith(`roster member bill ${r.payment_code} (${r.kind}, ${month}, Rp${amount}, expires ${r.expires_at.toISOString()}) of invoice ${inv.id}: rule book ${JSON.stringify(q)}`);
    }
    // issueMemberBill replaced the member's open bills (an expired invoice's, their own).
    for (const old of this.billsOf.get(r.nik) ?? []) {
      if (this.sim.state.billStatus.get(old.code) === 'open') {
        this.sim.state.billStatus.set(old.code, 'cancelled');
        this.sim.touch(old);
      }
    }
    this.sim.cancelOpen(this.sim.state, (b) => b.nik === r.nik && (b.kind === 'renewal' || b.kind === 'dues'));
    const bill: SimBill = { code: r.payment_code, amount, kind: 'renewal', nik: r.nik, registrationId: null, months: [month], expiresAtMs: r.expires_at.getTime(), issuedAtMs: r.created_at.getTime(), seq: -1 };
    this.sim.bills.set(bill.code, bill);
    this.sim.state.billStatus.set(bill.code, 'open');
    this.billsOf.set(r.nik, [...(this.billsOf.get(r.nik) ?? []), bill]);
    this.sim.touch(bill);
    return amount;
  }

  // ---------------------------------------------------------------- leaving the roster

  /**
   * A payer takes a member off its roster (mostly one still on it; sometimes one who left already): 200 with the first
   * month the member pays themself — their next unpaid month, or the month after the last month an invoice still
   * payable holds — or 404 not_on_roster when the payer does not pay their next month.
   */
  async opLeaveRoster(): Promise<boolean> {
    const partner = this.sim.payers.partner;
    const all = [...this.entries.values()].filter((e) => this.sim.state.participants.has(e.nik) && e.payerId === partner?.partnerId);
    const staying = all.filter((e) => e.selfFrom === null);
    if (all.length === 0 || staying.length <= 1) {
      return false; // keep some members on the roster
    }
    const e = staying.length > 0 && this.sim.rng.chance(0.85) ? this.sim.rng.pick(staying) : this.sim.rng.pick(all);
    const person = this.sim.byNik.get(e.nik);
    if (!person) {
      this.sim.failWith(`roster member ${e.nik} is not known by NIK`);
    }
    const kpj = await this.sim.kpjOf(person);
    const now = this.sim.now();
    const next = billableMonthsStart({ coveredThrough: this.lastCovered(e.nik) as string, today: localDateInJakarta(new Date(now)) }, this.sim.t.deps.rules);
    const invoiced = this.standingBills(e.nik, now).flatMap((b) => b.months).sort().at(-1);
    const selfFrom = invoiced !== undefined && invoiced >= next ? addMonths(invoiced, 1) : next;
    const onRoster = this.payerOf(e, next) === e.payerId;
    const res = await this.sim.t.request('DELETE', `/api/v1/partner/roster/${kpj}`, this.sim.rng.chance(0.5) ? { reason: 'keluar dari mitra' } : undefined, await this.sim.payers.partnerAuth());
    this.sim.operations += 1;
    const actual = res.status === 200 ? `200 ${res.body.selfFrom}` : `${res.status} ${res.body?.error?.code}`;
    const want = onRoster ? `200 ${selfFrom}` : '404 not_on_roster';
    if (actual !== want || (res.status === 200 && res.body.kpj !== kpj)) {
      this.sim.failWith(`member ${kpj} (NIK ${e.nik}, next ${next}, invoiced through ${invoiced}) leaves the roster: answered ${res.status} ${JSON.stringify(res.body)}, model says ${want}`);
    }
    if (onRoster) {
      e.selfFrom = e.selfFrom === null || selfFrom < e.selfFrom ? selfFrom : e.selfFrom;
    }
    this.sim.count(`leave roster: ${onRoster ? 'left' : 'not_on_roster'}`);
    this.sim.note(`member ${kpj} leaves the roster → ${actual}`);
    return true;
  }
}
