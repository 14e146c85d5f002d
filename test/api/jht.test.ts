import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { findJob } from '../../src/modules/jobs/job-queue.js';
import { runDueJobs } from '../../src/modules/jobs/run-due-jobs.js';
import { expectError } from '../support/api-errors.js';
import { activeMember, login, payBill } from '../support/factories.js';
import { createTestApp, type TestApp } from '../support/test-app.js';

/**
 * The JHT account and its yearly return through the real app (api-contract.md "JHT account"; domain-rules.md "JHT
 * return (hasil pengembangan)"): a member with JHT pays on several days, an administrator enters the rates, the jobs
 * run on and after 1 January, GET /me/jht shows the credited return; a rerun credits nothing; the rate is then frozen.
 */
let t: TestApp;
let member: Awaited<ReturnType<typeof activeMember>>;
/** The member's session, signed in again after the clock moves (sessions expire; days apart, the OTP cooldown passed). */
let memberAuth: Record<string, string> | null = null;

/** 10:00 WIB of a date. */
const at = (date: string) => {
  t.clock.set(new Date(`${date}T03:00:00.000Z`));
  memberAuth = null;
};
const asMember = async () => (memberAuth ??= { authorization: `Bearer ${await login(t, member.person.phone)}` });
/** A fresh admin session (8 hours; the clock moves by days). */
async function admin(): Promise<Record<string, string>> {
  const session = await t.post('/api/v1/staff/sessions', { username: 'admin-jht', password: 'kata-sandi-staf-123' });
  expect(session.status).toBe(200);
  return { authorization: `Bearer ${session.body.token as string}` };
}
const runJobs = async () => {
  const res = await t.post('/dev/jobs/run', {});
  expect(res.status).toBe(200);
  return res.body.ran as string[];
};
const jht = async () => {
  const res = await t.get('/api/v1/me/jht', await asMember());
  expect(res.status, JSON.stringify(res.body)).toBe(200);
  return res.body as { balance: number; accrued: number; entries: { date: string; kind: string; amount: number; year?: number }[] };
};
const putRate = async (year: number, rateBp: number) => t.request('PUT', `/api/v1/staff/jht-rates/${year}`, { rateBp }, await admin());

async function payMonths(months: number): Promise<void> {
  const bill = await t.post('/api/v1/me/bills', { months }, await asMember());
  expect(bill.status, JSON.stringify(bill.body)).toBe(201);
  expect((await payBill(t, bill.body.bill)).body).toEqual({ status: 'applied' });
}

beforeAll(async () => {
  t = await createTestApp();
  expect((await t.post('/dev/staff', { username: 'admin-jht', password: 'kata-sandi-staf-123', roles: ['admin'] })).status).toBe(201);
  // Sunday 22 November 2026: JHT 2% of 1,000,000 = 20,000 a month.
  member = await activeMember(t, { programs: ['JKK', 'JKM', 'JHT'], declaredIncome: 1_000_000, months: 1 });
  memberAuth = member.auth;
});
afterAll(async () => t.close());

describe('JHT account and yearly returns', () => {
  it('shows the contribution of the day the payment settled; nothing accrues without a rate', async () => {
    expect(await jht()).toEqual({ balance: 20_000, accrued: 0, entries: [{ date: '2026-11-22', kind: 'contribution', amount: 20_000 }] });
  });

  it('an admin enters a rate (200, audited); other roles may not; a bad rate is refused', async () => {
    const res = await putRate(2027, 700);
    expect(res.status, JSON.stringify(res.body)).toBe(200);
    expect(res.body).toMatchObject({ year: 2027, rateBp: 700, setBy: 'admin-jht' });
    expect((await putRate(2027, -1)).status).toBe(400);
    expect((await t.request('PUT', '/api/v1/staff/jht-rates/2027', { rateBp: 700 })).status).toBe(401);
    const audit = await t.db.selectFrom('staff_audit').select(['actor', 'action', 'subject', 'before', 'after']).where('action', '=', 'jht_rate.put').execute();
    expect(audit).toEqual([{ actor: 'admin-jht', action: 'jht_rate.put', subject: 'jht_rate:2027', before: null, after: expect.objectContaining({ rateBp: 700 }) }]);
  });

  it('waits on 1 January while the year has no rate; credits the first run after it is entered, dated 31 December', async () => {
    at('2027-01-01');
    expect((await runJobs()).filter((id) => id.startsWith('jht-returns:'))).toEqual([]);
    expect((await jht()).entries.filter((e) => e.kind === 'return')).toEqual([]);
    expect((await putRate(2026, 650)).status).toBe(200);
    at('2027-01-02');
    expect(await runJobs()).toContain('jht-returns:2026');
    // 20,000 × 40 days (22 Nov – 31 Dec) × 650 / (10,000 × 365) = 142.5
    const view = await jht();
    expect(view.entries[0]).toEqual({ date: '2026-12-31', kind: 'return', amount: 142, year: 2026 });
    expect(view.balance).toBe(20_142);
  });

  it('accrues the current year to yesterday at the last announced rate, then credits it on 1 January (compounding)', async () => {
    at('2027-01-05');
    await payMonths(3); // December 2026 to February 2027: 60,000 JHT on 5 January (day 5: 361 days)
    at('2027-06-15');
    await payMonths(1); // lapsed by then: June 2027 alone, 20,000 JHT on 15 June (day 166: 200 days)
    at('2027-06-16');
    const mid = await jht();
    expect(mid.balance).toBe(100_142);
    // to 15 June (166 days), at 700 bp (2027, the latest rate): (20,142×166 + 60,000×162 + 20,000×1) × 700 / 3,650,000 = 2,509.9
    expect(mid.accrued).toBe(2_509);
    at('2028-01-01');
    expect(await runJobs()).toContain('jht-returns:2027');
    // (20,142×365 + 60,000×361 + 20,000×200) × 700 / 3,650,000 = 6,331.0
    const view = await jht();
    expect(view.entries.filter((e) => e.kind === 'return')).toEqual([
      { date: '2027-12-31', kind: 'return', amount: 6_331, year: 2027 },
      { date: '2026-12-31', kind: 'return', amount: 142, year: 2026 },
    ]);
    expect(view.balance).toBe(106_473);
    expect(view.entries.map((e) => e.kind)).toEqual(['return', 'contribution', 'contribution', 'return', 'contribution']);
  });

  it('a rerun credits nothing; the next day does not run the year again; the credited year is frozen (409)', async () => {
    const before = await t.db.selectFrom('ledger_transfer').select((eb) => eb.fn.countAll<number>().as('n')).where('code', '=', 'jht_return').executeTakeFirstOrThrow();
    expect((await runJobs()).filter((id) => id.startsWith('jht-returns:'))).toEqual([]);
    at('2028-01-02');
    expect((await runJobs()).filter((id) => id.startsWith('jht-returns:'))).toEqual([]);
    const after = await t.db.selectFrom('ledger_transfer').select((eb) => eb.fn.countAll<number>().as('n')).where('code', '=', 'jht_return').executeTakeFirstOrThrow();
    expect(Number(after.n)).toBe(Number(before.n));
    expect(Number(after.n)).toBe(2);
    expectError(await putRate(2027, 800), 409, 'rate_already_applied', 'year');
    expect((await putRate(2028, 680)).status).toBe(200);
    expect((await jht()).balance).toBe(106_473);
  });
});

describe('crediting walks every participant in resumable batches', () => {
  let u: TestApp;
  beforeAll(async () => {
    u = await createTestApp();
  });
  afterAll(async () => u.close());

  it('one participant per batch: each JHT account credited once, the member without JHT skipped', async () => {
    const members = [
      await activeMember(u, { programs: ['JKK', 'JKM', 'JHT'], declaredIncome: 1_000_000 }),
      await activeMember(u, { programs: ['JKK', 'JKM'] }),
      await activeMember(u, { programs: ['JKK', 'JKM', 'JHT'], declaredIncome: 2_000_000 }),
    ];
    expect((await u.request('PUT', '/api/v1/staff/jht-rates/2026', { rateBp: 650 }, { authorization: 'Bearer dev-staff-key' })).status).toBe(200);
    u.clock.set(new Date('2027-01-01T03:00:00.000Z'));
    await runDueJobs(u.deps, { batchSize: 1 });
    const job = await findJob(u.db, 'jht-returns:2026');
    expect(job).toMatchObject({ status: 'done', progress: expect.objectContaining({ done: 3, total: 3, credited: 2 }) });
    const credits = await u.db.selectFrom('ledger_transfer').select(['id', 'debit_account', 'amount']).where('code', '=', 'jht_return').orderBy('id').execute();
    // 20,000 and 40,000 × 40 days × 650 / 3,650,000 = 142.5 and 284.9
    expect(credits.map((c) => ({ ...c, amount: Number(c.amount) }))).toEqual(
      [
        { id: `jht-return:2026:${members[0]?.kpj}`, debit_account: 'jht_investment', amount: 142 },
        { id: `jht-return:2026:${members[2]?.kpj}`, debit_account: 'jht_investment', amount: 284 },
      ].sort((a, b) => a.id.localeCompare(b.id)),
    );
    expect((await runDueJobs(u.deps, { batchSize: 1 })).jobs).toEqual([]);
  });
});
