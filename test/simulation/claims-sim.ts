import { sql } from 'kysely';
import { claimRulesAt, defaultClaimRuleBook } from '../../src/modules/claims/domain/claims-rule-book.js';
import { jhtSelfServiceCap } from '../../src/modules/contributions/index.js';
import { createDevDisbursementProvider, createXenditDisbursementProvider, DEV_FAILING_ACCOUNT, type DisbursementProvider } from '../../src/modules/payouts/index.js';
import { yearOf, type JhtMovement } from '../../src/modules/jht/domain/jht-return.js';
import { naiveYearReturn } from '../../src/modules/jht/domain/naive-day-sum.js';
import { addMonths, localDateInJakarta, monthOfDate } from '../../src/shared/month.js';
import { STAFF_PASSWORD, type Headers } from '../support/claims.js';
import type { TestResponse } from '../support/test-app.js';
import { ClaimsModel, type PayoutStatus, type SimClaim } from './claims-model.js';
import { findClaimViolations, findStrayClaimRows, type JhtHolder } from './claims-invariants.js';
import type { MoneyPathSim } from './money-path-sim.js';
import { openedNik } from '../support/nik.js';

const CALLBACK_TOKEN = 'sim-payout-callback-token';
const GOOD_ACCOUNT = '1234567890';
const MINUTE = 60_000;
const HOUR = 60 * MINUTE;

type Person = MoneyPathSim['people'][number];
type Officer = 'counter' | 'verifier' | 'approver' | 'both';
const OFFICER_ROLES: Record<Officer, string[]> = {
  counter: ['counter'],
  verifier: ['claims_verifier'],
  approver: ['claims_approver'],
  both: ['claims_verifier', 'claims_approver'],
};

/**
 * The disbursement provider of the simulation: the development stand-in's behaviour (a transfer is paid at the first
 * status question, DEV_FAILING_ACCOUNT fails) under Xendit's name and callback reader, so that a transfer can also be
 * confirmed by the provider's callback: a transfer the simulation holds stays `pending` at every status question
 * until a callback confirms it.
 */
export function simDisbursement(now: () => Date, hold: (key: string, accountNumber: string) => boolean) {
  const dev = createDevDisbursementProvider(now);
  const reader = createXenditDisbursementProvider({ secretKey: 'unused', apiUrl: 'http://127.0.0.1:9', callbackToken: CALLBACK_TOKEN });
  const held = new Set<string>();
  const provider: DisbursementProvider = {
    name: 'xendit',
    async send(transfer) {
      const out = await dev.send(transfer);
      if (out.kind === 'accepted' && !held.has(transfer.idempotencyKey) && hold(transfer.idempotencyKey, transfer.accountNumber)) {
        held.add(transfer.idempotencyKey);
      }
      return out;
    },
    async status(key) {
      return held.has(key) ? { kind: 'pending', providerRef: `dev_disb_${key}` } : dev.status(key);
    },
    readCallback: (headers, body) => reader.readCallback(headers, body),
  };
  return { provider, held };
}

/**
 * Claims and payouts in the money-path simulation (issue 15): members file JHT (full and partial) and JKK claims,
 * the counter files JKM claims for heirs; officers verify, approve (four eyes), reject and return; members resubmit;
 * the payout job runs at random steps; transfers to a failing account fail and finance re-issues them; the provider's
 * callback confirms a held transfer, repeated. Every answer is checked against the model (claims-model.ts) and the
 * claims invariants (claims-invariants.ts) hold after every step that touched claims or money.
 */
export class ClaimsSim {
  readonly model = new ClaimsModel();
  /** Signed-in staff accounts. */
  readonly officers = new Map<Officer, Headers>();
  disbursement!: ReturnType<typeof simDisbursement>;
  /** Claims and members this step touched (checked after it). */
  touchedClaims = new Set<string>();
  touchedHolders = new Set<string>();
  /** Participants whose membership the simulation back-dated 11 years (a partial JHT claim is possible). */
  readonly longMembers = new Set<string>();
  readonly ratesSet = new Map<number, number>();
  /** payment code → Σ of its JHT lines. */
  readonly jhtOfBill = new Map<string, number>();

  constructor(readonly sim: MoneyPathSim) {}

  get t() {
    return this.sim.t;
  }

  get rng() {
    return this.sim.rng;
  }

  async setUp(): Promise<void> {
    for (const [officer, roles] of Object.entries(OFFICER_ROLES)) {
      const made = await this.t.post('/dev/staff', { username: `sim-${officer}`, password: STAFF_PASSWORD, roles });
      this.expectAnswer(`staff account sim-${officer}`, made, 201);
    }
    this.disbursement = simDisbursement(
      () => this.t.clock.now(),
      (_key, account) => account !== DEV_FAILING_ACCOUNT && this.rng.chance(0.25),
    );
    this.t.deps.disbursement = this.disbursement.provider;
  }

  /**
   * The officer's session header. A staff session lasts hours and the simulation's clock moves years: like the
   * members' sessions (SESSION_TTL_MINUTES in money-path.test.ts), each officer signs in once and the session is made
   * to outlive the run (signing in again each time would cost a password hash per step).
   */
  async officer(who: Officer): Promise<Headers> {
    const known = this.officers.get(who);
    if (known) {
      return known;
    }
    const res = await this.t.post('/api/v1/staff/sessions', { username: `sim-${who}`, password: STAFF_PASSWORD });
    this.expectAnswer(`sign-in of sim-${who}`, res, 200);
    await sql`update staff_session set expires_at = ${new Date('2300-01-01T00:00:00Z')}
      where account_id = (select id from staff_account where username = ${`sim-${who}`})`.execute(this.t.db);
    const headers = { authorization: `Bearer ${res.body.token as string}` };
    this.officers.set(who, headers);
    return headers;
  }

  beginStep(): void {
    this.touchedClaims = new Set();
    this.touchedHolders = new Set();
  }

  touch(c: SimClaim): void {
    this.touchedClaims.add(c.id);
    this.touchedHolders.add(c.nik);
  }

  fail(message: string): never {
    return this.sim.failWith(message);
  }

  expectAnswer(what: string, res: TestResponse, status: number, code?: string): void {
    if (res.status !== status || (code !== undefined && res.body?.error?.code !== code)) {
      this.fail(`${what}: answered ${res.status} ${JSON.stringify(res.body)}, expected ${status}${code ? ` ${code}` : ''}`);
    }
  }

  // ---------------------------------------------------------------- the model's JHT balance

  /**
   * The JHT contributions of the members' bills the model says are paid: Σ of each bill's JHT lines (a bill's lines
   * never change: read once per bill and kept).
   */
  async holders(people: readonly { nik: string; kpj: string }[]): Promise<JhtHolder[]> {
    const paid = new Map(people.map((p) => [p.nik, [] as string[]]));
    // Every bill the model knows (a collective's member bills are not in billList: payers-sim.ts).
    for (const b of this.sim.bills.values()) {
      if (paid.has(b.nik) && this.sim.state.billStatus.get(b.code) === 'paid') {
        paid.get(b.nik)?.push(b.code);
      }
    }
    const missing = [...paid.values()].flat().filter((code) => !this.jhtOfBill.has(code));
    if (missing.length > 0) {
      const { rows } = await sql<{ payment_code: string; jht: string }>`
        select b.payment_code, coalesce(sum(l.net) filter (where l.program = 'JHT'), 0) as jht
        from bill b join bill_line l on l.bill_id = b.id where b.payment_code in (${sql.join(missing)}) group by b.payment_code`.execute(this.t.db);
      for (const r of rows) {
        this.jhtOfBill.set(r.payment_code, Number(r.jht));
      }
    }
    return people.map((p) => ({ ...p, contributed: (paid.get(p.nik) ?? []).reduce((s, code) => s + (this.jhtOfBill.get(code) ?? 0), 0) }));
  }

  /** The member's JHT balance as the model has it: contributions of their paid bills + returns − withdrawals. */
  async modelJhtBalance(nik: string, kpj: string): Promise<number> {
    const [h] = await this.holders([{ nik, kpj }]);
    const { withdrawn, interim } = this.model.jhtMoves(nik);
    return (h?.contributed ?? 0) + this.model.returnsOf(kpj) + interim - withdrawn;
  }

  /** Runs one of the claims operations of OPERATION_WEIGHTS (money-path-sim.ts). */
  run(op: 'fileClaim' | 'reviewClaim' | 'runPayoutJob' | 'payoutCallback' | 'reissuePayout' | 'setJhtRate'): Promise<boolean> {
    switch (op) {
      case 'fileClaim':
        return this.opFileClaim();
      case 'reviewClaim':
        return this.opReviewClaim();
      case 'runPayoutJob':
        return this.opRunPayoutJob();
      case 'payoutCallback':
        return this.opPayoutCallback();
      case 'reissuePayout':
        return this.opReissuePayout();
      case 'setJhtRate':
        return this.opSetJhtRate();
    }
  }

  // ---------------------------------------------------------------- filing

  bankAccount(): { bankCode: string; accountNumber: string; accountName: string } {
    return { bankCode: 'BCA', accountNumber: this.rng.chance(0.15) ? DEV_FAILING_ACCOUNT : GOOD_ACCOUNT, accountName: 'Peserta Simulasi' };
  }

  async opFileClaim(): Promise<boolean> {
    const members = this.sim.members();
    if (members.length === 0) {
      return false;
    }
    const p = this.rng.pick(members);
    const kpj = await this.sim.kpjOf(p);
    const r = this.rng.next();
    if (r < 0.35) {
      return this.fileJht(p, kpj, 'full');
    }
    if (r < 0.5) {
      return this.fileJht(p, kpj, this.rng.chance(0.5) ? 'partial_10' : 'partial_30');
    }
    if (r < 0.8) {
      return this.fileEvent(p, kpj, 'JKK');
    }
    return this.fileEvent(p, kpj, 'JKM');
  }

  /** The refusal code the contract demands for a JHT claim (the first failed rule), or null when it must be filed. */
  async jhtRefusal(nik: string, kpj: string, reason: 'full' | 'partial_10' | 'partial_30'): Promise<string | null> {
    const now = this.t.clock.now();
    const today = localDateInJakarta(now);
    const month = monthOfDate(today);
    const balance = await this.modelJhtBalance(nik, kpj);
    const used = this.model.partialUsed.has(nik);
    const failures: string[] = [];
    if (this.model.openClaim(nik, 'JHT')) {
      failures.push('claim_in_progress');
    }
    if (balance <= 0) {
      failures.push('not_eligible');
    }
    if (reason !== 'full') {
      if (used) {
        failures.push('partial_already_used');
      }
      const p = await this.t.db.selectFrom('participant').select('created_at').where('kpj', '=', kpj).executeTakeFirstOrThrow();
      const since = localDateInJakarta(new Date(p.created_at));
      const tenYears = `${Number(since.slice(0, 4)) + 10}${since.slice(4)}`;
      if (today < tenYears) {
        failures.push('membership_too_short');
      }
    }
    if (balance > jhtSelfServiceCap(month, this.t.deps.rules)) {
      failures.push('online_limit_exceeded');
    }
    if (balance > claimRulesAt(month, defaultClaimRuleBook).jhtNpwpAbove || used) {
      failures.push('not_eligible');
    }
    return failures[0] ?? null;
  }

  async fileJht(p: Person, kpj: string, reason: 'full' | 'partial_10' | 'partial_30'): Promise<boolean> {
    if (reason !== 'full' && !this.longMembers.has(p.nik) && this.rng.chance(0.7)) {
      // A member who joined long ago (as the claims tests set one up): a partial withdrawal needs 10 years.
      await sql`update participant set created_at = created_at - interval '11 years' where kpj = ${kpj}`.execute(this.t.db);
      this.longMembers.add(p.nik);
    }
    const expected = await this.jhtRefusal(p.nik, kpj, reason);
    const month = monthOfDate(localDateInJakarta(this.t.clock.now()));
    const body =
      reason === 'full'
        ? { type: 'JHT', reason: 'stopped_working', reasonDate: `${addMonths(month, -2)}-01`, bankAccount: this.bankAccount() }
        : { type: 'JHT', reason, bankAccount: this.bankAccount() };
    this.sim.operations += 1;
    const res = await this.t.post('/api/v1/me/claims', body, await this.sim.authFor(p));
    return this.absorbFiling(`JHT ${reason} claim of ${kpj}`, res, expected === null ? [] : [expected], expected !== null, {
      type: 'JHT',
      jhtReason: reason,
      nik: p.nik,
      kpj,
      filedBy: 'member',
      accountNumber: body.bankAccount.accountNumber,
    });
  }

  /**
   * A JKK accident (the member, in the portal) or a death (JKM, at the counter for an heir) a few hours to three days
   * ago. Outside the model's cover of the event's month it must be refused `not_covered_at_event`; inside, it may
   * still be (the cover of a month begins when its money arrived, which the model does not keep).
   */
  async fileEvent(p: Person, kpj: string, type: 'JKK' | 'JKM'): Promise<boolean> {
    if (type === 'JKM' && [...this.model.claims.values()].some((c) => c.nik === p.nik && c.type === 'JKM')) {
      return false;
    }
    const at = new Date(this.sim.now() - this.rng.int(1, 72) * HOUR);
    const month = monthOfDate(localDateInJakarta(at));
    const covered = this.sim.state.coverage.get(p.nik)?.has(month) ?? false;
    const open = this.model.openClaim(p.nik, type) !== undefined;
    const bankAccount = this.bankAccount();
    this.sim.operations += 1;
    const res =
      type === 'JKK'
        ? await this.t.post('/api/v1/me/claims', { type, event: { at: at.toISOString(), description: 'Jatuh dari motor saat mengantar', place: 'Bekasi' }, bankAccount }, await this.sim.authFor(p))
        : await this.t.post(
            '/api/v1/staff/claims',
            { kpj, type, event: { at: at.toISOString(), kind: 'death' }, claimant: { nik: `3175${String(this.rng.int(0, 999_999_999_999)).padStart(12, '0')}`, fullName: 'Ahli Waris Simulasi', relationship: 'spouse', phone: '081298765432' }, bankAccount },
            await this.officer('counter'),
          );
    const must = open ? ['claim_in_progress'] : covered ? [] : ['not_covered_at_event'];
    const may = open || !covered ? must : ['not_covered_at_event'];
    return this.absorbFiling(`${type} claim of ${kpj} (event ${at.toISOString()}, month ${month} covered ${covered})`, res, may, must.length > 0, {
      type,
      jhtReason: null,
      nik: p.nik,
      kpj,
      filedBy: type === 'JKK' ? 'member' : 'counter',
      accountNumber: bankAccount.accountNumber,
    });
  }

  absorbFiling(
    what: string,
    res: TestResponse,
    refusals: readonly string[],
    mustRefuse: boolean,
    c: Pick<SimClaim, 'type' | 'jhtReason' | 'nik' | 'kpj' | 'filedBy' | 'accountNumber'>,
  ): boolean {
    if (res.status === 422 && refusals.includes(res.body?.error?.code)) {
      this.sim.note(`${what} → 422 ${res.body.error.code}`);
      this.sim.count(`claim ${c.type} refused: ${res.body.error.code}`);
      return true;
    }
    if (mustRefuse || res.status !== 201 || res.body?.status !== 'submitted' || res.body?.type !== c.type) {
      this.fail(`${what}: answered ${res.status} ${JSON.stringify(res.body)}, the model expected ${mustRefuse ? `422 ${refusals.join('|')}` : '201 submitted'}`);
    }
    const claim: SimClaim = { id: res.body.id as string, ...c, status: 'submitted', verifiedBy: null, total: null, interim: 0, approvedYear: null, payout: null };
    this.model.claims.set(claim.id, claim);
    this.touch(claim);
    this.sim.note(`${what} → filed ${claim.id}`);
    this.sim.count(`claim ${c.type}${c.jhtReason ? ` ${c.jhtReason}` : ''} filed`);
    return true;
  }

  // ---------------------------------------------------------------- officers

  /**
   * An officer's step on an open claim: verify (JKK with an assessment), approve (by another officer than the
   * verifier; the same one is refused `same_officer`), reject or return with a reason, a move from the wrong state
   * (`invalid_transition`), or the member resubmitting a returned claim.
   */
  async opReviewClaim(): Promise<boolean> {
    const open = [...this.model.claims.values()].filter((c) => c.status === 'submitted' || c.status === 'verified' || (c.status === 'returned' && c.filedBy === 'member'));
    if (open.length === 0) {
      return false;
    }
    const c = this.rng.pick(open);
    this.touch(c);
    const r = this.rng.next();
    if (c.status === 'returned') {
      return this.resubmit(c);
    }
    if (c.status === 'submitted') {
      if (r < 0.08) {
        return this.refusedMove(c, 'approve', 'approver', 'invalid_transition');
      }
      if (r < 0.7) {
        return this.verify(c);
      }
      return this.decide(c, r < 0.85 ? 'reject' : 'return');
    }
    if (r < 0.08) {
      return this.refusedMove(c, 'verify', 'verifier', 'invalid_transition');
    }
    if (r < 0.8) {
      if (c.verifiedBy === 'both' && this.rng.chance(0.5)) {
        await this.refusedMove(c, 'approve', 'both', 'same_officer');
      }
      return this.approve(c);
    }
    return this.decide(c, 'reject');
  }

  async refusedMove(c: SimClaim, action: 'approve' | 'verify', officer: Officer, code: 'invalid_transition' | 'same_officer'): Promise<boolean> {
    this.sim.operations += 1;
    const res = await this.t.post(`/api/v1/staff/claims/${c.id}/${action}`, {}, await this.officer(officer));
    this.expectAnswer(`${action} of ${c.status} claim ${c.id} (verified by ${c.verifiedBy})`, res, 409, code);
    this.sim.note(`${action} ${c.id} (${c.status}) → 409 ${code}`);
    this.sim.count(`claim ${action} refused: ${code}`);
    return true;
  }

  async resubmit(c: SimClaim): Promise<boolean> {
    this.sim.operations += 1;
    const p = this.sim.byNik.get(c.nik) as Person;
    const res = await this.t.post(`/api/v1/me/claims/${c.id}/resubmit`, {}, await this.sim.authFor(p));
    if (res.status !== 200 || res.body?.status !== 'submitted') {
      this.fail(`resubmit of returned claim ${c.id}: answered ${res.status} ${JSON.stringify(res.body)}`);
    }
    c.status = 'submitted';
    c.verifiedBy = null;
    this.sim.note(`member resubmitted ${c.id}`);
    this.sim.count('claim resubmitted');
    return true;
  }

  async decide(c: SimClaim, kind: 'reject' | 'return'): Promise<boolean> {
    this.sim.operations += 1;
    const officer = this.rng.chance(0.5) ? 'verifier' : 'both';
    const res = await this.t.post(`/api/v1/staff/claims/${c.id}/${kind}`, { reason: kind === 'reject' ? 'Tidak memenuhi syarat' : 'Dokumen belum lengkap' }, await this.officer(officer));
    const to = kind === 'reject' ? 'rejected' : 'returned';
    if (res.status !== 200 || res.body?.status !== to) {
      this.fail(`${kind} of ${c.status} claim ${c.id}: answered ${res.status} ${JSON.stringify(res.body)}`);
    }
    c.status = to;
    this.sim.note(`${kind} ${c.id} → ${to}`);
    this.sim.count(`claim ${to}`);
    return true;
  }

  async verify(c: SimClaim): Promise<boolean> {
    const who = this.rng.chance(0.6) ? 'verifier' : 'both';
    const body = c.type === 'JKK' ? { assessment: { outcome: 'recovered', stmbDays: this.rng.int(0, 60), medicalCost: this.rng.int(0, 50) * 100_000 } } : {};
    this.sim.operations += 1;
    const res = await this.t.post(`/api/v1/staff/claims/${c.id}/verify`, body, await this.officer(who));
    if (res.status !== 200 || res.body?.status !== 'verified' || !this.linesAddUp(res.body)) {
      this.fail(`verify of claim ${c.id} (${c.type}): answered ${res.status} ${JSON.stringify(res.body)}`);
    }
    if (c.jhtReason === 'full') {
      const balance = await this.modelJhtBalance(c.nik, c.kpj);
      const line = this.line(res.body, 'jht_balance');
      if (line !== balance) {
        this.fail(`verify of full JHT claim ${c.id}: jht_balance ${line}, the model's balance ${balance}`);
      }
    }
    c.status = 'verified';
    c.verifiedBy = who;
    this.sim.note(`verify ${c.id} by ${who} → total ${res.body.total}`);
    this.sim.count(`claim ${c.type} verified`);
    return true;
  }

  line(view: { lines?: { benefit: string; amount: number }[] }, benefit: string): number {
    return (view.lines ?? []).filter((l) => l.benefit === benefit).reduce((s, l) => s + l.amount, 0);
  }

  linesAddUp(view: { lines?: { amount: number }[]; total?: number | null }): boolean {
    const lines = view.lines ?? [];
    return lines.every((l) => Number.isSafeInteger(l.amount) && l.amount >= 0) && lines.reduce((s, l) => s + l.amount, 0) === view.total;
  }

  /**
   * Approval by an officer other than the verifier: the claim's lines are taken afresh on the approval day. A full
   * JHT withdrawal pays the model's whole balance plus the accrued return (credited first, so the account ends at 0);
   * a partial one its share. The payout is created pending for the total.
   */
  async approve(c: SimClaim): Promise<boolean> {
    const officer = await this.officer(c.verifiedBy === 'both' ? 'approver' : this.rng.pick(['approver', 'both'] as const));
    const balance = c.type === 'JHT' ? await this.modelJhtBalance(c.nik, c.kpj) : 0;
    this.sim.operations += 1;
    const res = await this.t.post(`/api/v1/staff/claims/${c.id}/approve`, {}, officer);
    const body = res.body;
    if (res.status !== 200 || body?.status !== 'approved' || !this.linesAddUp(body) || body.payout?.status !== 'pending' || body.payout?.amount !== body.total) {
      this.fail(`approve of claim ${c.id} (${c.type}): answered ${res.status} ${JSON.stringify(body)}`);
    }
    const total = body.total as number;
    if (c.jhtReason === 'full') {
      const interim = this.line(body, 'jht_return');
      if (this.line(body, 'jht_balance') !== balance || total !== balance + interim || body.closesJhtAccount !== true) {
        this.fail(`full JHT withdrawal ${c.id} approved as ${JSON.stringify(body)}, the model's balance ${balance}`);
      }
      c.interim = interim;
      if (interim > 0) {
        this.sim.count('JHT full withdrawal with an interim return');
      }
    } else if (c.jhtReason !== null) {
      const share = c.jhtReason === 'partial_10' ? 0.1 : 0.3;
      if (Math.abs(this.line(body, 'jht_balance') - balance * share) > 1 || total > balance) {
        this.fail(`${c.jhtReason} JHT withdrawal ${c.id} approved as ${JSON.stringify(body)}, the model's balance ${balance}`);
      }
      this.model.partialUsed.add(c.nik);
    }
    const payout = await this.t.db.selectFrom('payout').select(['id']).where('claim_id', '=', c.id).executeTakeFirst();
    if (!payout) {
      this.fail(`approved claim ${c.id} has no payout`);
    }
    c.status = 'approved';
    c.total = total;
    c.approvedYear = yearOf(localDateInJakarta(this.t.clock.now()));
    c.payout = { id: payout.id, amount: total, status: 'pending', accountNumber: c.accountNumber };
    this.sim.note(`approve ${c.id} (${c.type}${c.jhtReason ? ` ${c.jhtReason}` : ''}) → Rp${total}${c.interim ? ` (interim ${c.interim})` : ''}, payout ${payout.id}`);
    this.sim.count(`claim ${c.type} approved`);
    return true;
  }

  // ---------------------------------------------------------------- payouts

  heldKey(payoutId: string): string | undefined {
    for (const key of this.disbursement.held) {
      if (key.startsWith(`${payoutId}:`)) {
        return key;
      }
    }
    return undefined;
  }

  pendingPayouts(): SimClaim[] {
    return [...this.model.claims.values()].filter((c) => c.payout !== null && c.payout.status !== 'paid');
  }

  /** The payout job at a random step: the clock moves on a few minutes and POST /dev/jobs/run runs what is due. */
  async opRunPayoutJob(): Promise<boolean> {
    if (this.pendingPayouts().length === 0 && this.rng.chance(0.8)) {
      return false;
    }
    await this.sim.advanceTo(this.sim.now() + this.rng.int(1, 40) * MINUTE);
    await this.sim.runJobsByDevRoute();
    return true;
  }

  /**
   * After any job run: the yearly JHT returns credited are taken into the model, and every payout is compared with
   * what the provider was told. `strict` (a run of POST /dev/jobs/run, at a minute no payout job ran yet): every
   * pending payout to a good account that the provider does not hold must now be paid. Never: a held transfer paid
   * without its callback, a transfer to the failing account paid, a payout to a good account failed.
   */
  async afterJobs(strict: boolean): Promise<void> {
    await this.observeReturns();
    const open = this.pendingPayouts();
    if (open.length === 0) {
      return;
    }
    const ids = open.map((c) => (c.payout as NonNullable<SimClaim['payout']>).id);
    const rows = await this.t.db.selectFrom('payout').select(['id', 'status', 'attempts']).where('id', 'in', ids).execute();
    const byId = new Map(rows.map((r) => [r.id, r]));
    const max = this.t.config.payoutAttemptsMax;
    for (const c of open) {
      const p = c.payout as NonNullable<SimClaim['payout']>;
      const row = byId.get(p.id);
      const failing = p.accountNumber === DEV_FAILING_ACCOUNT;
      const held = this.heldKey(p.id) !== undefined;
      if (!row) {
        this.fail(`payout ${p.id} of claim ${c.id} is gone`);
      }
      const bad =
        (row.status === 'paid' && (failing || held)) ||
        (row.status === 'failed' && (!failing || row.attempts !== max)) ||
        (p.status === 'failed' && row.status !== 'failed') ||
        (strict && row.status !== 'paid' && !failing && !held);
      if (bad) {
        this.fail(`payout ${p.id} (account ${p.accountNumber}, held ${held}, model ${p.status}) is ${row.status} after ${row.attempts} attempts`);
      }
      if (row.status !== p.status) {
        this.touch(c);
        p.status = row.status as PayoutStatus;
        if (row.status === 'paid') {
          c.status = 'paid';
        }
        this.sim.note(`payout ${p.id} of ${c.id} → ${row.status}`);
        this.sim.count(`payout ${row.status}${row.status === 'paid' ? ' by the job' : ''}`);
      }
    }
  }

  /** The yearly JHT returns the crediting job posted (jht_return), taken into the model per account. */
  async observeReturns(): Promise<void> {
    if (this.ratesSet.size === 0) {
      return;
    }
    const { rows } = await sql<{ id: string; account: string; amount: string }>`
      select id, credit_account as account, amount from ledger_transfer where code = 'jht_return'`.execute(this.t.db);
    const fresh = rows.filter((r) => !this.model.returnsSeen.has(r.id));
    if (fresh.length === 0) {
      return;
    }
    const years = new Map<number, Map<string, number>>();
    for (const r of fresh) {
      const [, year, kpj] = r.id.split(':') as [string, string, string];
      const credited = years.get(Number(year)) ?? new Map<string, number>();
      credited.set(kpj, Number(r.amount));
      years.set(Number(year), credited);
    }
    for (const [year, credited] of years) {
      await this.checkYearReturns(year, credited);
    }
    const nikOf = new Map((await this.t.db.selectFrom('participant').select(['nik_sealed', 'kpj']).execute()).map((r) => [r.kpj, openedNik(r.nik_sealed)]));
    for (const r of fresh) {
      const kpj = r.account.slice('jht:'.length);
      this.model.returnsSeen.add(r.id);
      this.model.returnsByKpj.set(kpj, this.model.returnsOf(kpj) + Number(r.amount));
      const nik = nikOf.get(kpj);
      if (nik) {
        this.touchedHolders.add(nik);
      }
    }
    this.sim.note(`JHT returns credited: ${fresh.length} accounts, Rp${fresh.reduce((s, r) => s + Number(r.amount), 0)}`);
    this.sim.count('JHT yearly returns credited');
  }

  /**
   * A year's returns, credited by the job (set-based SQL), recomputed day by day (naiveYearReturn, the rule as written)
   * for every JHT account from its movements: the opening balance (earlier years' returns dated 31 December of their
   * year), the year's movements by their WIB day, at the rate the simulation entered, less the year's interim returns
   * (full withdrawals), never negative. An account with no credit must be owed none.
   */
  async checkYearReturns(year: number, credited: ReadonlyMap<string, number>): Promise<void> {
    const rate = this.ratesSet.get(year);
    if (rate === undefined) {
      this.fail(`JHT returns credited for ${year}, for which no rate was entered`);
    }
    const { rows } = await sql<{ account: string; amount: string; code: string; ref: string; created_at: Date }>`
      select credit_account as account, amount, code, ref, created_at from ledger_transfer where credit_account like 'jht:%'
      union all
      select debit_account, -amount, code, ref, created_at from ledger_transfer where debit_account like 'jht:%'`.execute(this.t.db);
    const accounts = new Map<string, { opening: number; moves: JhtMovement[]; interim: number }>();
    for (const r of rows) {
      const kpj = r.account.slice('jht:'.length);
      const a = accounts.get(kpj) ?? { opening: 0, moves: [], interim: 0 };
      accounts.set(kpj, a);
      const amount = Number(r.amount);
      if (r.code === 'jht_return' && r.ref === `jht-return:${year}`) {
        continue;
      }
      if (r.code === 'jht_interim_return' && r.ref === `jht-interim:${year}`) {
        a.interim += amount;
      }
      const date = r.code === 'jht_return' ? `${r.ref.split(':')[1]}-12-31` : localDateInJakarta(new Date(r.created_at));
      if (yearOf(date) < year) {
        a.opening += amount;
      } else if (yearOf(date) === year) {
        a.moves.push({ date, amount });
      }
    }
    const wrong: string[] = [];
    for (const [kpj, a] of accounts) {
      const expected = Math.max(0, naiveYearReturn(year, a.opening, a.moves, rate) - a.interim);
      if ((credited.get(kpj) ?? 0) !== expected) {
        wrong.push(`jht:${kpj} credited ${credited.get(kpj) ?? 0}, day by day ${expected} (opening ${a.opening}, ${a.moves.length} movements, interim ${a.interim})`);
      }
    }
    if (wrong.length > 0 || [...credited.keys()].some((kpj) => !accounts.has(kpj))) {
      this.fail(`JHT returns for ${year} at ${rate} bp: ${wrong.slice(0, 5).join('; ')}`);
    }
    this.sim.count(`JHT returns of a year recomputed day by day (${credited.size} accounts)`);
  }

  /**
   * The provider's callback confirms a transfer the simulation held, delivered 2–3 times (at once or one after
   * another), sometimes after one with another amount (ignored): exactly one is applied, the rest are duplicates.
   */
  async opPayoutCallback(): Promise<boolean> {
    const candidates = this.pendingPayouts().filter((c) => c.payout?.status === 'pending' && this.heldKey((c.payout as NonNullable<SimClaim['payout']>).id) !== undefined);
    if (candidates.length === 0) {
      return false;
    }
    const c = this.rng.pick(candidates);
    const p = c.payout as NonNullable<SimClaim['payout']>;
    const key = this.heldKey(p.id) as string;
    const headers = { 'x-callback-token': CALLBACK_TOKEN };
    const body = (amount: number) => ({
      id: `disb_${key}`, user_id: 'sim', external_id: key, amount, bank_code: 'BCA', account_holder_name: 'Peserta Simulasi', disbursement_description: 'Lindung',
      is_instant: true, status: 'COMPLETED', created: this.t.clock.now().toISOString(), updated: this.t.clock.now().toISOString(),
    });
    this.touch(c);
    if (this.rng.chance(0.3)) {
      this.sim.operations += 1;
      const wrong = await this.t.post('/api/v1/payouts/callbacks/xendit', body(p.amount + 1), headers);
      if (wrong.status !== 200 || wrong.body?.status !== 'ignored' || wrong.body?.reason !== 'amount_differs') {
        this.fail(`callback for ${key} with another amount answered ${wrong.status} ${JSON.stringify(wrong.body)}`);
      }
    }
    const n = this.rng.int(2, 3);
    this.sim.operations += n;
    const send = () => this.t.post('/api/v1/payouts/callbacks/xendit', body(p.amount), headers);
    const answers = this.rng.chance(0.5) ? await Promise.all(Array.from({ length: n }, send)) : await (async () => {
      const out: TestResponse[] = [];
      for (let i = 0; i < n; i++) {
        out.push(await send());
      }
      return out;
    })();
    const kinds = answers.map((a) => (a.status === 200 ? (a.body?.status === 'applied' ? `applied:${a.body.payout}` : a.body?.status) : `${a.status}`));
    if (kinds.filter((k) => k === 'applied:paid').length !== 1 || kinds.filter((k) => k === 'duplicate').length !== n - 1) {
      this.fail(`callback for ${key} (Rp${p.amount}) delivered ${n} times answered ${kinds.join(', ')}: exactly one applied, the rest duplicates`);
    }
    this.disbursement.held.delete(key);
    p.status = 'paid';
    c.status = 'paid';
    this.sim.note(`callback ${key} ×${n} → ${kinds.join(', ')}`);
    this.sim.count('payout paid by callback (repeated)');
    return true;
  }

  /**
   * Finance re-issues a failed payout, mostly to a corrected account; a second request (or one for a payout that has
   * not failed) is refused `payout_not_failed`.
   */
  async opReissuePayout(): Promise<boolean> {
    const failed = [...this.model.claims.values()].filter((c) => c.payout?.status === 'failed');
    if (failed.length === 0) {
      return false;
    }
    const auth = this.sim.staffAuth();
    const others = [...this.model.claims.values()].filter((c) => c.payout !== null && c.payout.status !== 'failed');
    if (others.length > 0 && this.rng.chance(0.2)) {
      const o = this.rng.pick(others);
      this.sim.operations += 1;
      this.expectAnswer(`re-issue of ${o.payout?.status} payout ${o.payout?.id}`, await this.t.post(`/api/v1/staff/payouts/${o.payout?.id}/retry`, { reason: 'Coba lagi' }, auth), 409, 'payout_not_failed');
    }
    const c = this.rng.pick(failed);
    const p = c.payout as NonNullable<SimClaim['payout']>;
    const accountNumber = this.rng.chance(0.8) ? GOOD_ACCOUNT : DEV_FAILING_ACCOUNT;
    this.sim.operations += 1;
    const res = await this.t.post(`/api/v1/staff/payouts/${p.id}/retry`, { bankAccount: { bankCode: 'MANDIRI', accountNumber, accountName: 'Peserta Simulasi' }, reason: 'Rekening diperbaiki' }, auth);
    if (res.status !== 200 || res.body?.status !== 'pending' || res.body?.attempts !== 0 || res.body?.amount !== p.amount) {
      this.fail(`re-issue of failed payout ${p.id}: answered ${res.status} ${JSON.stringify(res.body)}`);
    }
    p.status = 'pending';
    p.accountNumber = accountNumber;
    this.touch(c);
    if (this.rng.chance(0.3)) {
      this.sim.operations += 1;
      this.expectAnswer(`second re-issue of payout ${p.id}`, await this.t.post(`/api/v1/staff/payouts/${p.id}/retry`, { reason: 'Sekali lagi' }, auth), 409, 'payout_not_failed');
    }
    this.sim.note(`re-issued payout ${p.id} to ${accountNumber}`);
    this.sim.count('payout re-issued');
    return true;
  }

  /**
   * Finance enters a JHT return rate for this year or the last (PUT /staff/jht-rates): frozen (409
   * rate_already_applied) only once that year was credited, which needs a rate entered before.
   */
  async opSetJhtRate(): Promise<boolean> {
    const year = Number(localDateInJakarta(this.t.clock.now()).slice(0, 4)) - (this.rng.chance(0.5) ? 1 : 0);
    const rateBp = this.rng.int(500, 800);
    this.sim.operations += 1;
    const res = await this.t.request('PUT', `/api/v1/staff/jht-rates/${year}`, { rateBp }, this.sim.staffAuth());
    if (res.status === 409 && res.body?.error?.code === 'rate_already_applied' && this.ratesSet.has(year)) {
      this.sim.count('JHT rate refused: rate_already_applied');
      return true;
    }
    if (res.status !== 200 || res.body?.rateBp !== rateBp) {
      this.fail(`JHT rate ${rateBp} for ${year} answered ${res.status} ${JSON.stringify(res.body)}`);
    }
    this.ratesSet.set(year, rateBp);
    this.sim.note(`JHT rate ${year} = ${rateBp} bp`);
    this.sim.count('JHT rate set');
    return true;
  }

  // ---------------------------------------------------------------- checks

  /** The claims invariants after a step: the claims it touched, every JHT account it touched, the global sums. */
  async stepViolations(): Promise<string[]> {
    const niks = new Set([...this.touchedHolders, ...this.sim.touchedNiks]);
    if (this.touchedClaims.size === 0 && niks.size === 0) {
      return [];
    }
    const people: { nik: string; kpj: string }[] = [];
    for (const nik of niks) {
      const kpj = this.sim.byNik.get(nik)?.kpj;
      if (kpj && this.sim.state.participants.has(nik)) {
        people.push({ nik, kpj });
      }
    }
    const claims = [...this.touchedClaims].map((id) => this.model.claims.get(id) as SimClaim);
    return findClaimViolations(this.t.db, this.model, claims, await this.holders(people));
  }

  /** Every claim, every member's JHT account, and the rows no model claim names. */
  async allViolations(): Promise<string[]> {
    const participants = (await this.t.db.selectFrom('participant').select(['nik_sealed', 'kpj']).execute()).map((r) => ({ nik: openedNik(r.nik_sealed), kpj: r.kpj }));
    const holders = await this.holders(participants.filter((p) => this.sim.state.participants.has(p.nik)));
    const v = await findClaimViolations(this.t.db, this.model, [...this.model.claims.values()], holders);
    v.push(...(await findStrayClaimRows(this.t.db, this.model)));
    return v;
  }
}
