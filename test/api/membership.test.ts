import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { defaultRuleBook } from '../../src/modules/contributions/domain/rule-book.js';
import { activeMember, login, makePerson, payBill, registerVerified } from '../support/factories.js';
import { createTestApp, type TestApp } from '../support/test-app.js';

/**
 * Membership status, GET /me and POST /me/bills against the development clock (api-contract.md "Participant
 * self-service"; domain-rules.md §3 and "Project decisions": due date, arrears). Status is derived from the paid
 * months and today's date in WIB: active until the due date of the first unpaid month has passed, then arrears for
 * up to 3 overdue months, inactive with more.
 *
 * Each describe has its own database and moves the clock only forward (sessions last 12 h, so members sign in again
 * after each jump, as a real member would).
 */

type Member = Awaited<ReturnType<typeof activeMember>>;

async function setClock(t: TestApp, now: string) {
  const res = await t.post('/dev/clock', { now });
  expect(res.status, JSON.stringify(res.body)).toBe(200);
  expect(Date.parse(res.body.now)).toBeGreaterThanOrEqual(Date.parse(now));
}

/** GET /me, signing in again first when the session has expired after a clock jump. */
async function me(t: TestApp, m: Member) {
  let res = await t.get('/api/v1/me', m.auth);
  if (res.status === 401) {
    m.auth = { authorization: `Bearer ${await login(t, m.person.phone)}` };
    res = await t.get('/api/v1/me', m.auth);
  }
  expect(res.status, JSON.stringify(res.body)).toBe(200);
  return res.body;
}

/**
 * The due date as domain-rules.md states it, computed here independently of src/…/due-date.ts: the 15th of the
 * month, moved to the next day that is neither a weekend nor in the rule book's holiday calendar.
 */
function expectedDueDate(month: string): string {
  const holidays = new Set(defaultRuleBook.holidayYears.flatMap((y) => y.holidays.map((h) => h.date)));
  const d = new Date(`${month}-15T00:00:00Z`);
  while (d.getUTCDay() === 0 || d.getUTCDay() === 6 || holidays.has(d.toISOString().slice(0, 10))) {
    d.setUTCDate(d.getUTCDate() + 1);
  }
  return d.toISOString().slice(0, 10);
}

describe('status over time for a member covered through 2026-11', () => {
  let t: TestApp;
  // All join on Sunday 22 Nov 2026 with one month (2026-11); OJOL = transport sector, Rp1.000.000, JKK+JKM.
  let watcher: Member;
  let arrearsPayer: Member;
  let oldestFirst: Member;
  let reactivator: Member;

  beforeAll(async () => {
    t = await createTestApp();
    watcher = await activeMember(t);
    arrearsPayer = await activeMember(t);
    oldestFirst = await activeMember(t);
    reactivator = await activeMember(t);
  });
  afterAll(async () => t.close());

  it('the due dates used below follow the rule book (15th, no weekend or holiday shift in these months)', () => {
    expect(expectedDueDate('2026-12')).toBe('2026-12-15');
    expect(expectedDueDate('2027-01')).toBe('2027-01-15');
    expect(expectedDueDate('2027-02')).toBe('2027-02-15');
    expect(expectedDueDate('2027-03')).toBe('2027-03-15');
  });

  it('is active right after paying, with the next month due on its due date', async () => {
    const body = await me(t, watcher);
    expect(body).toMatchObject({
      kpj: watcher.kpj,
      status: 'active',
      programs: ['JKK', 'JKM'],
      declaredIncome: 1_000_000,
      coveredThrough: '2026-11',
      // Transport sector, Dec 2026: JKK 10.000 + JKM 6.800, both 50% off (PP 50/2025).
      nextDue: { month: '2026-12', dueDate: '2026-12-15', amount: 8_400 },
    });
  });

  it('is still active at the end of the due date itself (15 Dec 2026, 23:59 WIB)', async () => {
    await setClock(t, '2026-12-15T23:59:00+07:00');
    expect(await me(t, watcher)).toMatchObject({ status: 'active', coveredThrough: '2026-11', nextDue: { month: '2026-12', dueDate: '2026-12-15' } });
  });

  it('is in arrears from the day after the due date (16 Dec 2026, 00:00 WIB — still 15 Dec in UTC)', async () => {
    await setClock(t, '2026-12-16T00:00:30+07:00');
    const body = await me(t, watcher);
    expect(body).toMatchObject({ status: 'arrears', coveredThrough: '2026-11', nextDue: { month: '2026-12', dueDate: '2026-12-15', amount: 8_400 } });
  });

  it('POST /me/bills in arrears starts at the first unpaid month (arrears first) and paying it clears the arrears', async () => {
    await setClock(t, '2027-01-20T09:00:00+07:00');
    expect(await me(t, arrearsPayer)).toMatchObject({ status: 'arrears', coveredThrough: '2026-11' });
    const res = await t.post('/api/v1/me/bills', { months: 3 }, arrearsPayer.auth);
    expect(res.status, JSON.stringify(res.body)).toBe(201);
    const bill = res.body.bill;
    expect(bill.months.map((m: { month: string }) => m.month)).toEqual(['2026-12', '2027-01', '2027-02']);
    expect(bill).toMatchObject({ status: 'open', amount: 3 * 8_400, paymentCode: expect.stringMatching(/^\d{16}$/) });
    expect((await payBill(t, bill)).body).toEqual({ status: 'applied' });
    expect(await me(t, arrearsPayer)).toMatchObject({ status: 'active', coveredThrough: '2027-02', nextDue: { month: '2027-03', dueDate: '2027-03-15' } });
  });

  it('is still in arrears with 3 overdue months (from 16 Feb 2027 through the March due date)', async () => {
    await setClock(t, '2027-02-16T08:00:00+07:00');
    const feb = await me(t, watcher);
    expect(feb).toMatchObject({ status: 'arrears', coveredThrough: '2026-11' });
    expect(feb.overdueMonths).toEqual(['2026-12', '2027-01', '2027-02']);
    await setClock(t, '2027-03-15T20:00:00+07:00');
    expect(await me(t, watcher)).toMatchObject({ status: 'arrears', nextDue: { month: '2026-12' } });
  });

  it('with 3 months in arrears a 1-month bill pays the oldest unpaid month', async () => {
    const res = await t.post('/api/v1/me/bills', { months: 1 }, (await me(t, oldestFirst), oldestFirst.auth));
    expect(res.status).toBe(201);
    expect(res.body.bill.months.map((m: { month: string }) => m.month)).toEqual(['2026-12']);
  });

  it('is inactive with a 4th overdue month (16 Mar 2027); nextDue is then the current month', async () => {
    await setClock(t, '2027-03-16T00:00:30+07:00');
    const body = await me(t, watcher);
    expect(body).toMatchObject({ status: 'inactive', coveredThrough: '2026-11', nextDue: { month: '2027-03', dueDate: '2027-03-15', amount: 8_400 } });
  });

  it('POST /me/bills when inactive starts at the current month (old arrears never charged); paying it reactivates', async () => {
    expect(await me(t, reactivator)).toMatchObject({ status: 'inactive' });
    const res = await t.post('/api/v1/me/bills', { months: 3 }, reactivator.auth);
    expect(res.status, JSON.stringify(res.body)).toBe(201);
    const bill = res.body.bill;
    // Mar 2027 is still discounted for transport (PP 50/2025 runs to 2027-03); Apr and May are full.
    expect(bill.months.map((m: { month: string; total: number }) => [m.month, m.total])).toEqual([
      ['2027-03', 8_400],
      ['2027-04', 16_800],
      ['2027-05', 16_800],
    ]);
    expect(bill.amount).toBe(42_000);
    expect((await payBill(t, bill)).body).toEqual({ status: 'applied' });
    const after = await me(t, reactivator);
    expect(after).toMatchObject({ status: 'active', coveredThrough: '2027-05', overdueMonths: [] });
    expect(after.nextDue.month).toBe('2027-06');
    // Dec 2026 - Feb 2027 stay unpaid and uncharged.
    const covered = await t.db
      .selectFrom('coverage_month')
      .innerJoin('participant', 'participant.id', 'coverage_month.participant_id')
      .select('coverage_month.month')
      .where('participant.kpj', '=', reactivator.kpj)
      .orderBy('coverage_month.month')
      .execute();
    expect(covered.map((c) => c.month)).toEqual(['2026-11', '2027-03', '2027-04', '2027-05']);
  });
});

describe('due date shifted by a weekend (and by holidays, in a year with a calendar)', () => {
  let t: TestApp;
  let m: Member;
  beforeAll(async () => {
    t = await createTestApp();
    // Six months from 2026-11: covered through 2027-04; 15 May 2027 is a Saturday (2027 has no holiday calendar
    // entered, so only the weekend moves it; test/api/holidays.test.ts enters one).
    m = await activeMember(t, { months: 6 });
  });
  afterAll(async () => t.close());

  it('moves the May 2027 due date to the next working day in the rule book and keeps the member active until then', async () => {
    const due = expectedDueDate('2027-05');
    expect(due > '2027-05-15').toBe(true);
    expect(await me(t, m)).toMatchObject({ coveredThrough: '2027-04', nextDue: { month: '2027-05', dueDate: due } });
    await setClock(t, `${due}T23:00:00+07:00`);
    expect(await me(t, m)).toMatchObject({ status: 'active' });
    const next = new Date(`${due}T00:00:00Z`);
    next.setUTCDate(next.getUTCDate() + 1);
    await setClock(t, `${next.toISOString().slice(0, 10)}T06:00:00+07:00`);
    expect(await me(t, m)).toMatchObject({ status: 'arrears', overdueMonths: ['2027-05'] });
  });
});

describe('POST /api/v1/me/bills', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await createTestApp();
  });
  afterAll(async () => t.close());

  it('refuses months outside 1/3/6/12 (422 invalid_months) and wrong types (400)', async () => {
    const m = await activeMember(t);
    for (const months of [2, 0, 5, 24]) {
      const res = await t.post('/api/v1/me/bills', { months }, m.auth);
      expect(res.status, String(months)).toBe(422);
      expect(res.body.error.code).toBe('invalid_months');
    }
    for (const body of [{ months: '3' }, { months: 1.5 }, {}, 'not json']) {
      const res = await t.post('/api/v1/me/bills', body, m.auth);
      expect(res.status, JSON.stringify(body)).toBe(400);
      expect(res.body.error.code).toBe('invalid_request');
    }
  });

  it('a new bill cancels the previous open one, whose code can then no longer settle anything', async () => {
    const m = await activeMember(t);
    const first = await t.post('/api/v1/me/bills', { months: 1 }, m.auth);
    const second = await t.post('/api/v1/me/bills', { months: 3 }, m.auth);
    expect([first.status, second.status]).toEqual([201, 201]);
    expect((await t.get(`/api/v1/bills/${first.body.bill.paymentCode}`)).body.status).toBe('cancelled');
    expect((await t.get(`/api/v1/bills/${second.body.bill.paymentCode}`)).body.status).toBe('open');
    expect((await payBill(t, first.body.bill)).body).toEqual({ status: 'unmatched', reason: 'bill_replaced' });
    expect((await payBill(t, second.body.bill)).body).toEqual({ status: 'applied' });
    expect((await t.get('/api/v1/me', m.auth)).body.coveredThrough).toBe('2027-02');
  });

  it('422 prepay_limit for a bill that would cover more than 12 months beyond the current month (two 12-month bills)', async () => {
    const m = await activeMember(t); // covered through 2026-11, the current month
    const year = await t.post('/api/v1/me/bills', { months: 12 }, m.auth);
    expect(year.status, JSON.stringify(year.body)).toBe(201);
    expect(year.body.bill.months.at(-1).month).toBe('2027-11'); // exactly 12 months beyond 2026-11: allowed
    expect((await payBill(t, year.body.bill)).body).toEqual({ status: 'applied' });
    for (const months of [12, 1]) {
      const res = await t.post('/api/v1/me/bills', { months }, m.auth);
      expect(res.status, JSON.stringify(res.body)).toBe(422);
      expect(res.body.error).toMatchObject({ code: 'prepay_limit', field: 'months', message: expect.stringContaining('12 bulan') });
    }
    expect((await t.get('/api/v1/me', m.auth)).body.coveredThrough).toBe('2027-11');
  });

  it("a JHT member's bill carries JHT lines, never discounted", async () => {
    const m = await activeMember(t, { programs: ['JKK', 'JKM', 'JHT'], declaredIncome: 2_000_000 });
    const res = await t.post('/api/v1/me/bills', { months: 1 }, m.auth);
    expect(res.status).toBe(201);
    expect(res.body.bill.months).toEqual([
      {
        month: '2026-12',
        total: 53_400,
        lines: [
          { program: 'JKK', amount: 20_000, discount: 10_000, net: 10_000 },
          { program: 'JKM', amount: 6_800, discount: 3_400, net: 3_400 },
          { program: 'JHT', amount: 40_000, discount: 0, net: 40_000 },
        ],
      },
    ]);
    expect(res.body.bill.amount).toBe(53_400);
    expect((await t.get('/api/v1/me', m.auth)).body.nextDue).toEqual({ month: '2026-12', dueDate: '2026-12-15', amount: 53_400 });
  });

  it('needs a participant token: 401 unauthorized without one, with a bad one, or with the staff key', async () => {
    for (const headers of [{}, { authorization: 'Bearer not-a-session' }, { authorization: 'Basic abc' }, { authorization: `Bearer ${t.config.staffApiKey}` }] as Record<string, string>[]) {
      for (const res of [await t.get('/api/v1/me', headers), await t.post('/api/v1/me/bills', { months: 1 }, headers)]) {
        expect(res.status, JSON.stringify(headers)).toBe(401);
        expect(res.body.error.code).toBe('unauthorized');
      }
    }
  });

  it('a session expires: the same token is refused 12 h later', async () => {
    const m = await activeMember(t);
    expect((await t.get('/api/v1/me', m.auth)).status).toBe(200);
    t.clock.advance(t.config.sessionTtlMinutes * 60_000 + 1_000);
    const res = await t.get('/api/v1/me', m.auth);
    expect(res.status).toBe(401);
    expect(res.body.error.code).toBe('unauthorized');
  });
});

describe('when cover begins: coveredFrom and GET /staff/participants/{kpj}/coverage?at=', () => {
  let t: TestApp;
  let staff: Record<string, string>;
  beforeAll(async () => {
    t = await createTestApp();
    staff = { authorization: `Bearer ${t.config.staffApiKey}` };
  });
  afterAll(async () => t.close());

  const coverage = (kpj: string, at: string) => t.get(`/api/v1/staff/participants/${kpj}/coverage?at=${encodeURIComponent(at)}`, staff);
  const wib = (d: Date) => `${new Date(d.getTime() + 7 * 3_600_000).toISOString().slice(0, 23)}+07:00`;

  it('mid-month: cover starts when the first payment settles, not on the 1st', async () => {
    const m = await activeMember(t); // paid at the test clock, 22 November 2026 ~10:00 WIB
    const payment = await t.db.selectFrom('payment').select('received_at').where('payment_code', '=', m.bill.paymentCode).executeTakeFirstOrThrow();
    const settled = new Date(payment.received_at);
    const me = (await t.get('/api/v1/me', m.auth)).body;
    expect(me.coveredFrom).toBe(wib(settled));
    expect(me.coveredFrom).toMatch(/^2026-11-22T10:0\d:\d\d\.\d{3}\+07:00$/);
    expect((await coverage(m.kpj, '2026-11-01T00:00:00+07:00')).body).toEqual({ covered: false, programs: [], month: '2026-11' });
    expect((await coverage(m.kpj, new Date(settled.getTime() - 1).toISOString())).body).toEqual({ covered: false, programs: [], month: '2026-11' });
    expect((await coverage(m.kpj, me.coveredFrom)).body).toEqual({ covered: true, programs: ['JKK', 'JKM'], month: '2026-11' });
    expect((await coverage(m.kpj, '2026-11-30T23:59:59+07:00')).body).toEqual({ covered: true, programs: ['JKK', 'JKM'], month: '2026-11' });
    expect((await coverage(m.kpj, '2026-12-01T00:00:00+07:00')).body).toEqual({ covered: false, programs: [], month: '2026-12' });
  });

  it('a first bill issued in the last 24 hours of a month starts at the next month; cover from the 1st of it', async () => {
    await setClock(t, '2026-11-30T12:00:00+07:00');
    const person = makePerson();
    const registrationId = await registerVerified(t, person);
    const submit = await t.post(`/api/v1/registrations/${registrationId}/submit`, { programs: ['JKK', 'JKM', 'JHT'], declaredIncome: 1_000_000, months: 1 });
    expect(submit.status, JSON.stringify(submit.body)).toBe(201);
    expect(submit.body.bill.months.map((x: { month: string }) => x.month)).toEqual(['2026-12']);
    expect((await payBill(t, submit.body.bill)).body).toEqual({ status: 'applied' });
    const auth = { authorization: `Bearer ${await login(t, person.phone)}` };
    const me = (await t.get('/api/v1/me', auth)).body;
    expect(me).toMatchObject({ coveredThrough: '2026-12', coveredFrom: '2026-12-01T00:00:00.000+07:00' });
    expect((await coverage(me.kpj, '2026-11-30T13:00:00+07:00')).body).toEqual({ covered: false, programs: [], month: '2026-11' });
    expect((await coverage(me.kpj, '2026-12-01T00:00:00+07:00')).body).toEqual({ covered: true, programs: ['JKK', 'JKM', 'JHT'], month: '2026-12' });
  });

  it('a reactivation after inactive starts a new cover; the earlier cover still answers for its own time', async () => {
    await setClock(t, '2026-12-02T09:00:00+07:00');
    const m = await activeMember(t); // covers 2026-12 only
    const first = (await me(t, m)).coveredFrom as string;
    await setClock(t, '2027-05-10T09:30:00+07:00'); // 2027-01 … 2027-04 unpaid: inactive
    expect((await me(t, m)).status).toBe('inactive');
    const bill = await t.post('/api/v1/me/bills', { months: 1 }, m.auth);
    expect(bill.status).toBe(201);
    expect(bill.body.bill.months[0].month).toBe('2027-05');
    expect((await payBill(t, bill.body.bill)).body).toEqual({ status: 'applied' });
    const again = await me(t, m);
    expect(again.coveredFrom > first).toBe(true);
    expect(again.coveredFrom).toMatch(/^2027-05-10T09:3\d:\d\d\.\d{3}\+07:00$/);
    expect((await coverage(m.kpj, '2026-12-15T12:00:00+07:00')).body).toMatchObject({ covered: true, month: '2026-12' });
    expect((await coverage(m.kpj, '2027-02-15T12:00:00+07:00')).body).toMatchObject({ covered: false, month: '2027-02' });
    expect((await coverage(m.kpj, '2027-05-01T12:00:00+07:00')).body).toMatchObject({ covered: false, month: '2027-05' });
    expect((await coverage(m.kpj, again.coveredFrom)).body).toMatchObject({ covered: true, month: '2027-05' });
  });

  it('staff only (401 without the staff key, 403 none here with a participant token → 401), 404 unknown KPJ, 400 a bad instant', async () => {
    const m = await activeMember(t);
    for (const headers of [{}, m.auth] as Record<string, string>[]) {
      const res = await t.get(`/api/v1/staff/participants/${m.kpj}/coverage?at=2026-11-22T12:00:00%2B07:00`, headers);
      expect(res.status).toBeGreaterThanOrEqual(401);
      expect(res.status).toBeLessThanOrEqual(403);
    }
    const unknown = await coverage('10000000000', '2026-11-22T12:00:00+07:00');
    expect(unknown.status).toBe(404);
    expect(unknown.body.error.code).toBe('unknown_participant');
    for (const bad of ['yesterday', '2026-11-22T12:00:00', '2026-13-01T00:00:00+07:00']) {
      const res = await coverage(m.kpj, bad);
      expect(res.status, bad).toBe(400);
      expect(res.body.error.code).toBe('invalid_request');
    }
  });
});
