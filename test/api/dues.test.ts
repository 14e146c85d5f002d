import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { duesBillId } from '../../src/modules/contributions/dues.js';
import { findJob, scheduleJob } from '../../src/modules/jobs/job-queue.js';
import { runDueJobs } from '../../src/modules/jobs/run-due-jobs.js';
import { getAllBalances } from '../../src/modules/ledger/ledger.js';
import { inquireMemberVa } from '../../src/modules/payments/snap/virtual-account.js';
import { activeMember, login, payBill } from '../support/factories.js';
import { createTestApp, type TestApp } from '../support/test-app.js';

/**
 * Dues opening (issue 4 item 5, "open next month's dues") through the real app with the development clock: the daily
 * cycle opens a month's dues on the rule book's day (the 1st) for every member who owes it and is not inactive — a
 * bill of kind 'dues' priced month by month, from the first unpaid month through the dues month, payable until the
 * member would become inactive — once, however often the jobs run.
 *
 * Members (due dates: 18 Aug 2026 after the 15th/17th holiday shift, 15 Oct, 16 Nov, 15 Dec 2026, 15 Jan 2027):
 * - lapsed: joined July 2026, paid July only → inactive by December: nothing opened;
 * - behind: joined September, paid September only → arrears on 1 Dec: October through December in one bill;
 * - ojol: transport sector, Rp1.000.000, JKK+JKM, paid November → December alone, Rp8.400 (PP 50/2025);
 * - trader: other sector, Rp2.000.000 with JHT, paid November → December Rp53.400; in January the discount ends;
 * - prepaid: paid November–January → nothing until February;
 * - ownBill: asked for their own 3-month bill on 1 Dec before the cycle ran → it already contains December.
 */

type Member = Awaited<ReturnType<typeof activeMember>>;

async function at(t: TestApp, instant: string): Promise<void> {
  t.clock.set(new Date(instant));
}

async function runOn(t: TestApp, lanes: number, days: string[], hours = ['08:00', '13:00']): Promise<void> {
  for (const day of days) {
    for (const hour of hours) {
      await at(t, `${day}T${hour}:00+07:00`);
      const { jobs } = await runDueJobs(t.deps, { batchSize: 2, lanes });
      expect(jobs.filter((j) => j.outcome !== 'done'), `${day} ${hour}: ${JSON.stringify(jobs)}`).toEqual([]);
    }
  }
}

async function participantId(t: TestApp, m: Member): Promise<string> {
  return (await t.db.selectFrom('participant').select('id').where('kpj', '=', m.kpj).executeTakeFirstOrThrow()).id;
}

/** The member's dues bills: 'first..last:status:amount'. */
async function duesOf(t: TestApp, m: Member): Promise<string[]> {
  const pid = await participantId(t, m);
  const rows = await t.db.selectFrom('bill').selectAll().where('participant_id', '=', pid).where('kind', '=', 'dues').orderBy('created_at').orderBy('first_month').execute();
  const out: string[] = [];
  for (const b of rows) {
    const months = (await t.db.selectFrom('bill_line').select('month').distinct().where('bill_id', '=', b.id).orderBy('month').execute()).map((r) => r.month);
    expect(months.length).toBe(b.month_count);
    expect(months[0]).toBe(b.first_month);
    out.push(`${months[0]}..${months[months.length - 1]}:${b.status}:${b.amount}`);
  }
  return out;
}

async function duesBill(t: TestApp, m: Member, month: string) {
  return t.db.selectFrom('bill').selectAll().where('id', '=', duesBillId(month, await participantId(t, m))).executeTakeFirstOrThrow();
}

// Walked in one lane (the embedded database's default) and in three (JOB_LANES; jobs/batch-walk.ts): the same outcome.
describe.each([1, 3])('dues opening in the monthly cycle (December 2026 – February 2027), participants walked in %i lane(s)', (lanes) => {
  let t: TestApp;
  let lapsed: Member;
  let behind: Member;
  let ojol: Member;
  let trader: Member;
  let prepaid: Member;
  let ownBill: Member;
  let ownBillCode: string;

  beforeAll(async () => {
    t = await createTestApp({ start: '2026-07-06T03:00:00.000Z' });
    lapsed = await activeMember(t);
    await at(t, '2026-09-10T10:00:00+07:00');
    behind = await activeMember(t);
    await at(t, '2026-11-22T10:00:00+07:00');
    ojol = await activeMember(t);
    trader = await activeMember(t, { person: { occupationCode: 'PEDAGANG_PASAR' }, programs: ['JKK', 'JKM', 'JHT'], declaredIncome: 2_000_000 });
    prepaid = await activeMember(t, { months: 3 });
    ownBill = await activeMember(t);
  });
  afterAll(async () => t.close());

  it('opens nothing before the opening day (30 Nov)', async () => {
    await runOn(t, lanes, ['2026-11-30']);
    expect(await t.db.selectFrom('bill').select('id').where('kind', '=', 'dues').execute()).toEqual([]);
    expect(await findJob(t.db, 'dues:2026-12')).toBeUndefined();
  });

  it('1 Dec: one dues bill for each member who owes December and is not inactive, priced month by month', async () => {
    // ownBill asks for their own bill before the cycle's 07:00 run.
    await at(t, '2026-12-01T06:30:00+07:00');
    const own = await t.post('/api/v1/me/bills', { months: 3 }, { authorization: `Bearer ${await login(t, ownBill.person.phone)}` });
    expect(own.status, JSON.stringify(own.body)).toBe(201);
    ownBillCode = own.body.bill.paymentCode;

    await runOn(t, lanes, ['2026-12-01']);
    expect(await duesOf(t, ojol)).toEqual(['2026-12..2026-12:open:8400']);
    expect(await duesOf(t, trader)).toEqual(['2026-12..2026-12:open:53400']);
    expect(await duesOf(t, behind)).toEqual(['2026-10..2026-12:open:25200']); // 3 × 8.400: arrears first
    expect(await duesOf(t, lapsed)).toEqual([]); // inactive: old arrears are never charged
    expect(await duesOf(t, prepaid)).toEqual([]); // December is covered
    expect(await duesOf(t, ownBill)).toEqual([]); // their open bill contains December

    const lines = await t.db.selectFrom('bill_line').selectAll().where('bill_id', '=', (await duesBill(t, trader, '2026-12')).id).orderBy('program').execute();
    expect(lines.map((l) => [l.month, l.program, l.amount, l.discount, l.net])).toEqual([
      ['2026-12', 'JHT', 40_000, 0, 40_000],
      ['2026-12', 'JKK', 20_000, 10_000, 10_000],
      ['2026-12', 'JKM', 6_800, 3_400, 3_400],
    ]);

    // Payable until the member would become inactive: the start of the day after payBy (WIB).
    const ojolBill = await duesBill(t, ojol, '2026-12');
    const inquiry = await t.get(`/api/v1/bills/${ojolBill.payment_code}`);
    expect(inquiry.body).toMatchObject({ status: 'open', amount: 8_400, expiresAt: '2027-03-16T00:00:00+07:00' });
    expect(ojolBill.payment_code).toMatch(/^8\d{15}$/);
    expect((await duesBill(t, behind, '2026-12')).expires_at.toISOString()).toBe(new Date('2027-01-16T00:00:00+07:00').toISOString());

    const job = await findJob(t.db, 'dues:2026-12');
    expect(job).toMatchObject({ status: 'done', kind: 'open_dues', attempts: 1, progress: { done: 6, total: 6, opened: 3, replaced: 0, amount: 8_400 + 53_400 + 25_200 } });
    // Six participants in three lanes of two; each lane walked to its end.
    expect(job?.progress['lanes']).toEqual(lanes === 1 ? undefined : [expect.objectContaining({ done: true }), expect.objectContaining({ done: true }), expect.objectContaining({ done: true, to: null })]);
  });

  it('opens each month once, however often the job runs or is run again', async () => {
    const before = await t.db.selectFrom('bill').select(['id', 'payment_code']).where('kind', '=', 'dues').orderBy('id').execute();
    await runOn(t, lanes, ['2026-12-01'], ['21:00']);
    // A second job over the same month (e.g. an operator re-running it) finds every bill already opened.
    const now = t.clock.now();
    await scheduleJob(t.db, { id: 'dues:2026-12:again', kind: 'open_dues', payload: { date: '2026-12-01', month: '2026-12' }, runAt: now }, now);
    expect((await runDueJobs(t.deps, { recurring: [], batchSize: 4, lanes })).jobs).toEqual([{ id: 'dues:2026-12:again', kind: 'open_dues', outcome: 'done' }]);
    expect((await findJob(t.db, 'dues:2026-12:again'))?.progress).toMatchObject({ done: 6, opened: 0 });
    // Later days of the opening window schedule nothing new: the job exists once.
    await runOn(t, lanes, ['2026-12-02', '2026-12-15'], ['21:00']);
    expect(await t.db.selectFrom('bill').select(['id', 'payment_code']).where('kind', '=', 'dues').orderBy('id').execute()).toEqual(before);
    expect((await t.db.selectFrom('job').select('id').where('kind', '=', 'open_dues').orderBy('id').execute()).map((j) => j.id)).toEqual(['dues:2026-12', 'dues:2026-12:again']);
  });

  it('the member sees the dues bill; a bank VA inquiry quotes it; paying it covers the month like any bill', async () => {
    const bill = await duesBill(t, ojol, '2026-12');
    // The SNAP VA inquiry quotes the open dues bill instead of issuing a new one.
    const va = await inquireMemberVa(t.deps, ojol.kpj);
    expect(va).toMatchObject({ ok: true, issued: false, bill: { paymentCode: bill.payment_code, amount: 8_400, months: ['2026-12'] } });

    await at(t, '2026-12-10T09:00:00+07:00');
    expect((await payBill(t, { paymentCode: bill.payment_code, amount: bill.amount })).body).toEqual({ status: 'applied' });
    const me = await t.get('/api/v1/me', { authorization: `Bearer ${await login(t, ojol.person.phone)}` });
    expect(me.body).toMatchObject({ status: 'active', coveredThrough: '2026-12' });
    const receipt = (await t.get(`/dev/outbox?to=${encodeURIComponent(ojol.person.email)}`)).body.messages.find((m: { subject: string }) => m.subject.startsWith('Tanda terima iuran'));
    // Human Indonesian months in every email (issue 18 item 11), not "2026-12".
    expect(receipt?.body).toContain(`untuk bulan Desember 2026 telah kami terima (kode ${bill.payment_code})`);
    expect(await duesOf(t, ojol)).toEqual(['2026-12..2026-12:paid:8400']);
  });

  it('1 Jan: the next month for those who paid; arrears carried into a new bill that replaces the old one; the discount ends by month', async () => {
    await runOn(t, lanes, ['2027-01-01']);
    expect(await duesOf(t, ojol)).toEqual(['2026-12..2026-12:paid:8400', '2027-01..2027-01:open:8400']);
    // Other sector: December still discounted (53.400), January at the full rate (20.000 + 6.800 + 40.000).
    expect(await duesOf(t, trader)).toEqual(['2026-12..2026-12:cancelled:53400', '2026-12..2027-01:open:120200']);
    expect(await duesOf(t, behind)).toEqual(['2026-10..2026-12:cancelled:25200', '2026-10..2027-01:open:33600']);
    expect(await duesOf(t, prepaid)).toEqual([]);
    expect(await findJob(t.db, 'dues:2027-01')).toMatchObject({ status: 'done', progress: { opened: 4, replaced: 2 } });
    // ownBill's own code expired unpaid, so January's dues carry December as well.
    expect((await t.get(`/api/v1/bills/${ownBillCode}`)).body.status).toBe('expired');
    expect(await duesOf(t, ownBill)).toEqual(['2026-12..2027-01:open:16800']);
  });

  it('a dues bill stops being payable when its member becomes inactive, and is not opened again after that', async () => {
    const bill = await duesBill(t, behind, '2027-01');
    await at(t, '2027-01-15T23:00:00+07:00');
    expect((await t.get(`/api/v1/bills/${bill.payment_code}`)).body.status).toBe('open');
    await at(t, '2027-01-16T00:00:01+07:00');
    expect((await t.get(`/api/v1/bills/${bill.payment_code}`)).body.status).toBe('expired');
    const late = await payBill(t, { paymentCode: bill.payment_code, amount: bill.amount });
    expect(late.body).toEqual({ status: 'unmatched', reason: 'bill_expired' });

    await runOn(t, lanes, ['2027-02-01']);
    expect(await duesOf(t, behind)).toEqual(['2026-10..2026-12:cancelled:25200', '2026-10..2027-01:open:33600']);
    expect(await duesOf(t, prepaid)).toEqual(['2027-02..2027-02:open:8400']);
  });

  it('ledger: debits equal credits; every received rupiah is on a settled bill or in suspense', async () => {
    const balances = await getAllBalances(t.db);
    expect([...balances.values()].reduce((a, b) => a + b, 0)).toBe(0);
    const paid = await t.db.selectFrom('payment').select(['amount', 'outcome', 'channel']).execute();
    const applied = paid.filter((p) => p.outcome === 'applied').reduce((a, p) => a + Number(p.amount), 0);
    const unmatched = paid.filter((p) => p.outcome === 'unmatched').reduce((a, p) => a + Number(p.amount), 0);
    expect(balances.get('suspense') ?? 0).toBe(unmatched);
    const toFunds = [...balances].filter(([k]) => k.startsWith('program:') || k.startsWith('jht:')).reduce((a, [, v]) => a + v, 0);
    expect(toFunds).toBe(applied);
    expect(-(balances.get('clearing:va') ?? 0)).toBe(applied + unmatched);
  });
});
