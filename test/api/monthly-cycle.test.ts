import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Participant } from '../../src/db/database.js';
import { claimDueJob, completeJob, createJobContext, type ClaimedJob, findJob, JOB_POLICY, LeaseLostError, retryDelayMs, scheduleJob, type JobContext } from '../../src/modules/jobs/job-queue.js';
import { monthlyCycleHandlers } from '../../src/modules/jobs/monthly-cycle.js';
import { runDueJobs, startJobRunner } from '../../src/modules/jobs/run-due-jobs.js';
import { listStatusChanges } from '../../src/modules/membership/status-changes.js';
import { createLogger } from '../../src/shared/logger.js';
import { activeMember, login, payBill, registerVerified } from '../support/factories.js';
import { createTestApp, type TestApp } from '../support/test-app.js';

/**
 * The monthly cycle as jobs (issue 4 item 5 and its acceptance line) with the development clock: a member who stops
 * paying gets the H-3, due-date and overdue reminders exactly once each, becomes arrears after the due date and
 * inactive after the fourth unpaid month — each change recorded with its date and reason, and told — and can
 * reactivate. The jobs run as the runner runs them (runDueJobs), several times a day and across days, with a small
 * batch size so that every job takes several batches.
 *
 * Due dates used (rule book, no shift): 15 Dec 2026 (Tue), 15 Jan 2027 (Fri), 15 Feb 2027 (Mon), 15 Mar 2027 (Mon).
 */

type Member = Awaited<ReturnType<typeof activeMember>>;

const BATCH = 2;

async function at(t: TestApp, instant: string): Promise<void> {
  t.clock.set(new Date(instant));
}

/** Runs the job runner at several hours of each day, as a long-running process would. */
async function runOn(t: TestApp, lanes: number, days: string[], hours = ['08:00', '13:00', '21:00']): Promise<void> {
  for (const day of days) {
    for (const hour of hours) {
      await at(t, `${day}T${hour}:00+07:00`);
      const { jobs } = await runDueJobs(t.deps, { batchSize: BATCH, lanes });
      expect(jobs.filter((j) => j.outcome !== 'done'), `${day} ${hour}`).toEqual([]);
    }
  }
}

async function participantOf(t: TestApp, m: Member): Promise<Participant> {
  return t.db.selectFrom('participant').selectAll().where('kpj', '=', m.kpj).executeTakeFirstOrThrow();
}

/** The cycle's messages to a member: reminders as 'month:kind:channel', status messages as 'to:date:channel'. */
async function cycleMessages(t: TestApp, m: Member) {
  const p = await participantOf(t, m);
  const rows = await t.db
    .selectFrom('outbox_message')
    .select(['id', 'channel', 'recipient', 'template', 'data'])
    .where('recipient', 'in', [p.email, p.phone])
    .where('template', 'in', ['due_reminder_email', 'due_reminder_sms', 'status_changed_email', 'status_changed_sms'])
    .orderBy('seq')
    .execute();
  for (const r of rows) {
    expect(r.recipient).toBe(r.channel === 'email' ? p.email : p.phone);
  }
  const reminders = rows.filter((r) => r.template.startsWith('due_reminder')).map((r) => `${String(r.data['month'])}:${String(r.data['kind'])}:${r.channel}`);
  const status = rows.filter((r) => r.template.startsWith('status_changed')).map((r) => `${String(r.data['to'])}:${String(r.data['effectiveDate'])}:${r.channel}`);
  return { rows, reminders, status };
}

const both = (key: string) => [`${key}:email`, `${key}:sms`];

async function changesOf(t: TestApp, m: Member) {
  const p = await participantOf(t, m);
  return (await listStatusChanges(t.db, p.id)).map((c) => ({ from: c.from_status, to: c.to_status, date: c.effective_date, reason: c.reason }));
}

async function statusOf(t: TestApp, m: Member): Promise<string> {
  const res = await t.get(`/api/v1/participants/${m.kpj}`, { 'x-api-key': t.config.staffApiKey });
  expect(res.status, JSON.stringify(res.body)).toBe(200);
  return res.body.status as string;
}

/** POST /me/bills (signing in again after clock jumps) and pay it. */
async function payNextMonths(t: TestApp, m: Member, months = 1) {
  m.auth = { authorization: `Bearer ${await login(t, m.person.phone)}` };
  const res = await t.post('/api/v1/me/bills', { months }, m.auth);
  expect(res.status, JSON.stringify(res.body)).toBe(201);
  expect((await payBill(t, res.body.bill)).body).toEqual({ status: 'applied' });
  return res.body.bill as { months: { month: string }[] };
}

// Walked in one lane (the embedded database's default) and in three (JOB_LANES; jobs/batch-walk.ts): the same outcome.
describe.each([1, 3])('the monthly cycle over a member who stops paying (December 2026 – March 2027), participants walked in %i lane(s)', (lanes) => {
  let t: TestApp;
  let stopper: Member; // pays November on joining, then nothing; reactivates by registering again
  let onTime: Member; // pays December before any reminder
  let latePayer: Member; // pays December after becoming arrears
  let prepaid: Member; // paid through January 2027 on joining
  let billReactivator: Member; // lapses like the stopper, reactivates with POST /me/bills

  beforeAll(async () => {
    t = await createTestApp(); // Sunday 22 Nov 2026, 10:00 WIB
    stopper = await activeMember(t);
    onTime = await activeMember(t);
    latePayer = await activeMember(t);
    prepaid = await activeMember(t, { months: 3 });
    billReactivator = await activeMember(t);
  });
  afterAll(async () => t.close());

  it('sends nothing while every member is paid up (22 Nov – 11 Dec)', async () => {
    await runOn(t, lanes, ['2026-11-22', '2026-12-01']);
    await at(t, '2026-12-10T09:00:00+07:00');
    expect((await payNextMonths(t, onTime)).months.map((x) => x.month)).toEqual(['2026-12']);
    await runOn(t, lanes, ['2026-12-10', '2026-12-11']);
    for (const m of [stopper, onTime, latePayer, prepaid, billReactivator]) {
      expect((await cycleMessages(t, m)).rows).toEqual([]);
    }
    expect(await t.db.selectFrom('membership_status_change').selectAll().execute()).toEqual([]);
  });

  it('H-3 (12–14 Dec): one email and one SMS to each member with December unpaid, however often the jobs run', async () => {
    await runOn(t, lanes, ['2026-12-12', '2026-12-13', '2026-12-14']);
    expect((await cycleMessages(t, stopper)).reminders).toEqual(both('2026-12:h3'));
    expect((await cycleMessages(t, latePayer)).reminders).toEqual(both('2026-12:h3'));
    expect((await cycleMessages(t, onTime)).rows).toEqual([]);
    expect((await cycleMessages(t, prepaid)).rows).toEqual([]);

    const p = await participantOf(t, stopper);
    const sms = (await cycleMessages(t, stopper)).rows.find((r) => r.channel === 'sms');
    expect(sms?.id).toBe(`rem:${p.id}:2026-12:h3:sms`);
    // The amount comes from the pricing rule: transport sector, Rp1.000.000, JKK+JKM, 50% off (PP 50/2025) = Rp8.400.
    expect(sms?.data).toMatchObject({ month: '2026-12', kind: 'h3', dueDate: '2026-12-15', amount: 8_400, firstMonth: '2026-12', monthCount: 1 });

    const outbox = await t.get(`/dev/outbox?to=${encodeURIComponent(stopper.person.email)}`);
    const email = (outbox.body.messages as { template: string; subject: string; body: string; status: string }[]).find((x) => x.template === 'due_reminder_email');
    expect(email?.subject).toBe('Pengingat: iuran Desember 2026 jatuh tempo 15 Desember 2026');
    expect(email?.body).toContain('Jumlah yang perlu dibayar: Rp8.400 (iuran Desember 2026).');
    expect(email?.body).toContain(`Nomor KPJ: ${stopper.kpj}`);
  });

  it('due date (15 Dec): the due-date reminder once; the member is still active all day', async () => {
    await runOn(t, lanes, ['2026-12-15'], ['07:30', '12:00', '23:30']);
    expect((await cycleMessages(t, stopper)).reminders).toEqual([...both('2026-12:h3'), ...both('2026-12:due')]);
    expect(await statusOf(t, stopper)).toBe('active');
    expect(await changesOf(t, stopper)).toEqual([]);
  });

  it('after the due date (16–18 Dec): overdue reminder once, status arrears recorded from 16 Dec with its reason, and the member told once', async () => {
    await runOn(t, lanes, ['2026-12-16', '2026-12-17', '2026-12-18']);
    expect(await statusOf(t, stopper)).toBe('arrears');
    const { reminders, status, rows } = await cycleMessages(t, stopper);
    expect(reminders).toEqual([...both('2026-12:h3'), ...both('2026-12:due'), ...both('2026-12:overdue')]);
    expect(status.sort()).toEqual(both('arrears:2026-12-16').sort());
    expect(await changesOf(t, stopper)).toEqual([{ from: 'active', to: 'arrears', date: '2026-12-16', reason: 'unpaid:2026-12' }]);
    const p = await participantOf(t, stopper);
    expect(rows.find((r) => r.template === 'status_changed_email')?.id).toBe(`sts:${p.id}:2026-12-16:arrears:email`);

    const outbox = await t.get(`/dev/outbox?to=${encodeURIComponent(stopper.person.email)}`);
    const told = (outbox.body.messages as { template: string; subject: string; body: string }[]).find((x) => x.template === 'status_changed_email');
    expect(told?.subject).toBe('Status kepesertaan BPJS Ketenagakerjaan: menunggak');
    expect(told?.body).toContain('Sejak 16 Desember 2026 status kepesertaan BPJS Ketenagakerjaan Anda menunggak');
    expect(told?.body).toContain('bayar paling lambat 15 Maret 2027');

    // Members who paid get nothing; the jobs of the day exist once each and report their progress.
    expect((await cycleMessages(t, onTime)).rows).toEqual([]);
    expect(await changesOf(t, onTime)).toEqual([]);
    const statusJob = await findJob(t.db, 'status:2026-12-16');
    expect(statusJob).toMatchObject({ status: 'done', attempts: 1, kind: 'membership_status' });
    expect(statusJob?.progress).toMatchObject({ done: 5, total: 5, changes: 3, messages: 6 }); // stopper, latePayer, billReactivator
    expect(await findJob(t.db, 'reminders:2026-12:overdue')).toMatchObject({ status: 'done', progress: { done: 5, total: 5, recipients: 3, queued: 6 } });
    const cycles = await t.db.selectFrom('job').select('id').where('id', 'like', 'cycle:2026-12-1%').orderBy('id').execute();
    expect(cycles.map((c) => c.id)).toEqual(['cycle:2026-12-10', 'cycle:2026-12-11', 'cycle:2026-12-12', 'cycle:2026-12-13', 'cycle:2026-12-14', 'cycle:2026-12-15', 'cycle:2026-12-16', 'cycle:2026-12-17', 'cycle:2026-12-18']);
  });

  it('paying the arrears (20 Dec) is recorded the next morning as a change back to active on the payment date', async () => {
    await at(t, '2026-12-20T12:00:00+07:00');
    await payNextMonths(t, latePayer);
    expect(await statusOf(t, latePayer)).toBe('active');
    await runOn(t, lanes, ['2026-12-21']);
    expect(await changesOf(t, latePayer)).toEqual([
      { from: 'active', to: 'arrears', date: '2026-12-16', reason: 'unpaid:2026-12' },
      { from: 'arrears', to: 'active', date: '2026-12-20', reason: 'payment' },
    ]);
    expect((await cycleMessages(t, latePayer)).status.sort()).toEqual([...both('arrears:2026-12-16'), ...both('active:2026-12-20')].sort());
  });

  it("January and February: each month's three reminders once, the amount covering every month owed", async () => {
    await runOn(t, lanes, ['2027-01-12', '2027-01-15', '2027-01-16', '2027-01-18', '2027-01-19']);
    await runOn(t, lanes, ['2027-02-12', '2027-02-15', '2027-02-16']);
    const { reminders, rows } = await cycleMessages(t, stopper);
    expect(reminders).toEqual(
      ['2026-12', '2027-01', '2027-02'].flatMap((month) => ['h3', 'due', 'overdue'].flatMap((kind) => both(`${month}:${kind}`))),
    );
    const janH3 = rows.find((r) => r.id.endsWith(':2027-01:h3:sms'));
    expect(janH3?.data).toMatchObject({ firstMonth: '2026-12', monthCount: 2, amount: 16_800, payBy: '2027-03-15' });
    expect(await statusOf(t, stopper)).toBe('arrears');
    expect(await changesOf(t, stopper)).toHaveLength(1);

    // Paid through January: nothing until February's H-3, then the same cycle.
    expect((await cycleMessages(t, prepaid)).reminders).toEqual(['h3', 'due', 'overdue'].flatMap((kind) => both(`2027-02:${kind}`)));
    expect(await changesOf(t, prepaid)).toEqual([{ from: 'active', to: 'arrears', date: '2027-02-16', reason: 'unpaid:2027-02' }]);
  });

  it('becomes inactive after the fourth unpaid month (16 Mar 2027): recorded and told once; no overdue reminder once inactive', async () => {
    await runOn(t, lanes, ['2027-03-12', '2027-03-15']);
    expect(await statusOf(t, stopper)).toBe('arrears');
    await runOn(t, lanes, ['2027-03-16', '2027-03-17', '2027-03-18']);
    expect(await statusOf(t, stopper)).toBe('inactive');
    expect(await changesOf(t, stopper)).toEqual([
      { from: 'active', to: 'arrears', date: '2026-12-16', reason: 'unpaid:2026-12' },
      { from: 'arrears', to: 'inactive', date: '2027-03-16', reason: 'more_than_3_unpaid_months' },
    ]);
    const { reminders, status } = await cycleMessages(t, stopper);
    expect(reminders).toEqual([
      ...['2026-12', '2027-01', '2027-02'].flatMap((month) => ['h3', 'due', 'overdue'].flatMap((kind) => both(`${month}:${kind}`))),
      ...both('2027-03:h3'),
      ...both('2027-03:due'),
    ]);
    expect(new Set(reminders).size).toBe(reminders.length);
    expect(status.sort()).toEqual([...both('arrears:2026-12-16'), ...both('inactive:2027-03-16')].sort());
    const outbox = await t.get(`/dev/outbox?to=${encodeURIComponent(stopper.person.phone)}`);
    const sms = (outbox.body.messages as { template: string; body: string }[]).find((x) => x.template === 'status_changed_sms');
    expect(sms?.body).toContain('NONAKTIF');
    expect(sms?.body.length).toBeLessThanOrEqual(160);
  });

  it('reactivates by registering again with the same NIK: same participant and KPJ, change back to active recorded and told', async () => {
    const before = await participantOf(t, stopper);
    await at(t, '2027-03-20T10:00:00+07:00');
    const registrationId = await registerVerified(t, stopper.person);
    const submit = await t.post(`/api/v1/registrations/${registrationId}/submit`, { programs: ['JKK', 'JKM'], declaredIncome: 1_000_000, months: 1 });
    expect(submit.status, JSON.stringify(submit.body)).toBe(201);
    expect(submit.body.bill.months.map((x: { month: string }) => x.month)).toEqual(['2027-03']);
    expect((await payBill(t, submit.body.bill)).body).toEqual({ status: 'applied' });
    expect(await statusOf(t, stopper)).toBe('active');

    await runOn(t, lanes, ['2027-03-21']);
    const after = await participantOf(t, stopper);
    expect([after.id, after.kpj]).toEqual([before.id, before.kpj]);
    expect(await changesOf(t, stopper)).toEqual([
      { from: 'active', to: 'arrears', date: '2026-12-16', reason: 'unpaid:2026-12' },
      { from: 'arrears', to: 'inactive', date: '2027-03-16', reason: 'more_than_3_unpaid_months' },
      { from: 'inactive', to: 'active', date: '2027-03-20', reason: 'reactivation' },
    ]);
    expect((await cycleMessages(t, stopper)).status).toEqual(expect.arrayContaining(both('active:2027-03-20')));
    const outbox = await t.get(`/dev/outbox?to=${encodeURIComponent(stopper.person.email)}`);
    const told = (outbox.body.messages as { template: string; body: string }[]).find((x) => x.template === 'status_changed_email');
    expect(told?.body).toContain('aktif kembali sejak 20 Maret 2027 dengan nomor KPJ yang sama');
  });

  it('reactivates with a bill from the current month (POST /me/bills): recorded the same way', async () => {
    expect(await statusOf(t, billReactivator)).toBe('inactive');
    await at(t, '2027-03-22T09:00:00+07:00');
    expect((await payNextMonths(t, billReactivator)).months.map((x) => x.month)).toEqual(['2027-03']);
    await runOn(t, lanes, ['2027-03-22', '2027-03-23'], ['10:00']);
    expect((await changesOf(t, billReactivator)).map((c) => `${c.from}>${c.to}:${c.date}:${c.reason}`)).toEqual([
      'active>arrears:2026-12-16:unpaid:2026-12',
      'arrears>inactive:2027-03-16:more_than_3_unpaid_months',
      'inactive>active:2027-03-22:reactivation',
    ]);
    expect(await statusOf(t, billReactivator)).toBe('active');
  });
});

/** Schedules a no-op job, claims it, lets the lease lapse and claims it again: the stale first claim and the second. */
async function claimedTwice(t: TestApp, id: string): Promise<{ first: ClaimedJob; second: ClaimedJob }> {
  const now = t.clock.now();
  await scheduleJob(t.db, { id, kind: 'test:noop', runAt: now }, now);
  const first = await claimDueJob(t.deps, now);
  t.clock.advance(JOB_POLICY.leaseMs + 1_000);
  const second = await claimDueJob(t.deps, t.clock.now());
  if (first.kind !== 'claimed' || second.kind !== 'claimed' || first.job.id !== id || second.job.id !== id) {
    throw new Error(`expected two claims of ${id}`);
  }
  return { first: first.job, second: second.job };
}

describe('the job runner', () => {
  let t: TestApp;
  const logLines: string[] = [];
  let members: Member[];

  beforeAll(async () => {
    t = await createTestApp({ logger: createLogger('info', (line) => logLines.push(line)) });
    members = [await activeMember(t), await activeMember(t), await activeMember(t)];
  });
  afterAll(async () => t.close());

  it('scheduling the same job twice creates one row', async () => {
    const now = t.clock.now();
    const job = { id: 'test:once', kind: 'test:noop', runAt: now };
    expect(await scheduleJob(t.db, job, now)).toBe(true);
    expect(await scheduleJob(t.db, { ...job, payload: { other: true } }, now)).toBe(false);
    const rows = await t.db.selectFrom('job').selectAll().where('id', '=', 'test:once').execute();
    expect(rows).toHaveLength(1);
    expect(rows[0]?.payload).toEqual({});
    const { jobs } = await runDueJobs(t.deps, { recurring: [], handlers: { 'test:noop': async () => {} } });
    expect(jobs).toEqual([{ id: 'test:once', kind: 'test:noop', outcome: 'done' }]);
    expect(await scheduleJob(t.db, job, now)).toBe(false); // a finished job is not created again either
    expect((await runDueJobs(t.deps, { recurring: [] })).jobs).toEqual([]);
  });

  it('a job failing every attempt is retried with growing backoff, then left failed with its last error', async () => {
    let calls = 0;
    const handlers = {
      'test:fails': async () => {
        calls += 1;
        throw new Error(`gateway down (call ${calls})`);
      },
    };
    await scheduleJob(t.db, { id: 'test:fails:1', kind: 'test:fails', runAt: t.clock.now(), attemptsMax: 3 }, t.clock.now());
    const run = async () => (await runDueJobs(t.deps, { recurring: [], handlers })).jobs.map((j) => j.outcome);

    expect(await run()).toEqual(['retry']);
    expect(await findJob(t.db, 'test:fails:1')).toMatchObject({ status: 'pending', attempts: 1, last_error: 'Error: gateway down (call 1)', locked_until: null });
    expect(await run()).toEqual([]); // backing off
    t.clock.advance(retryDelayMs(1) + 1_000);
    expect(await run()).toEqual(['retry']);
    t.clock.advance(retryDelayMs(1) + 1_000);
    expect(await run()).toEqual([]); // the second delay is twice the first
    t.clock.advance(retryDelayMs(2));
    expect(await run()).toEqual(['failed']);
    const job = await findJob(t.db, 'test:fails:1');
    expect(job).toMatchObject({ status: 'failed', attempts: 3, last_error: 'Error: gateway down (call 3)' });
    expect(job?.finished_at).not.toBeNull();
    t.clock.advance(24 * 3_600_000);
    expect(await run()).toEqual([]);
    expect(calls).toBe(3);
  });

  it('runs jobs side by side with concurrency, and the runner loop takes jobs until stopped', async () => {
    const now = t.clock.now();
    const seen: string[] = [];
    const handlers = {
      'test:record': async (ctx: JobContext) => {
        seen.push(ctx.job.id);
        await new Promise((resolve) => setTimeout(resolve, 20));
      },
    };
    for (const id of ['test:a', 'test:b', 'test:c']) {
      await scheduleJob(t.db, { id, kind: 'test:record', runAt: now }, now);
    }
    const { jobs } = await runDueJobs(t.deps, { recurring: [], handlers, concurrency: 2 });
    expect(jobs.map((j) => `${j.id}:${j.outcome}`).sort()).toEqual(['test:a:done', 'test:b:done', 'test:c:done']);

    const runner = startJobRunner(t.deps, { recurring: [], handlers, intervalMs: 10 });
    await scheduleJob(t.db, { id: 'test:d', kind: 'test:record', runAt: t.clock.now() }, t.clock.now());
    for (let i = 0; i < 200 && (await findJob(t.db, 'test:d'))?.status !== 'done'; i++) {
      await new Promise((resolve) => setTimeout(resolve, 10));
    }
    await runner.stop();
    expect((await findJob(t.db, 'test:d'))?.status).toBe('done');
    expect(seen.sort()).toEqual(['test:a', 'test:b', 'test:c', 'test:d']);
  });

  it('a job of an unknown kind fails at once', async () => {
    await scheduleJob(t.db, { id: 'test:unknown', kind: 'nobody-handles-this', runAt: t.clock.now() }, t.clock.now());
    expect((await runDueJobs(t.deps, { recurring: [] })).jobs).toEqual([{ id: 'test:unknown', kind: 'nobody-handles-this', outcome: 'failed' }]);
    expect(await findJob(t.db, 'test:unknown')).toMatchObject({ status: 'failed', attempts: 1, last_error: "Error: no handler for job kind 'nobody-handles-this'" });
  });

  it('a crashed job (still running, lease expired) is resumed from its cursor by the next runner', async () => {
    await at(t, '2026-12-12T08:00:00+07:00');
    const now = t.clock.now();
    const id = 'reminders:2026-12:h3';
    await scheduleJob(t.db, { id, kind: 'due_reminders', payload: { date: '2026-12-12', month: '2026-12', kind: 'h3', dueDate: '2026-12-15' }, runAt: now }, now);

    // A runner claims the job, commits its first batch (one participant) and dies before the second.
    const claim = await claimDueJob(t.deps, now);
    expect(claim.kind).toBe('claimed');
    if (claim.kind !== 'claimed') {
      return;
    }
    const ctx = createJobContext(t.deps, claim.job, 1);
    let batches = 0;
    class Crash extends Error {}
    const dying: JobContext = { ...ctx, batch: (step) => (batches++ === 1 ? Promise.reject(new Crash()) : ctx.batch(step)) };
    await expect(monthlyCycleHandlers['due_reminders']?.(dying)).rejects.toBeInstanceOf(Crash);

    const ids = (await Promise.all(members.map((m) => participantOf(t, m)))).map((p) => p.id).sort();
    const crashed = await findJob(t.db, id);
    expect(crashed).toMatchObject({ status: 'running', attempts: 1, progress: { done: 1, total: 3, cursor: ids[0], queued: 2 } });
    const queuedTo = async () =>
      (await t.db.selectFrom('outbox_message').select('id').where('id', 'like', 'rem:%').orderBy('id').execute()).map((r) => r.id);
    expect(await queuedTo()).toEqual([`rem:${ids[0]}:2026-12:h3:email`, `rem:${ids[0]}:2026-12:h3:sms`]);

    // While the lease holds, nobody else takes it.
    expect((await runDueJobs(t.deps, { recurring: [], batchSize: 1 })).jobs).toEqual([]);

    // Once it lapses, the next runner claims it and carries on after the cursor: nothing is queued twice.
    t.clock.advance(JOB_POLICY.leaseMs + 1_000);
    logLines.length = 0;
    expect((await runDueJobs(t.deps, { recurring: [], batchSize: 1 })).jobs).toEqual([{ id, kind: 'due_reminders', outcome: 'done' }]);
    expect(await findJob(t.db, id)).toMatchObject({ status: 'done', attempts: 2, locked_until: null, progress: { done: 3, total: 3, cursor: ids[2], queued: 6 } });
    expect(await queuedTo()).toEqual(ids.flatMap((pid) => [`rem:${pid}:2026-12:h3:email`, `rem:${pid}:2026-12:h3:sms`]));
    const batchLines = logLines.map((l) => JSON.parse(l) as Record<string, unknown>).filter((l) => l['msg'] === 'job batch');
    expect(batchLines.map((l) => l['done'])).toEqual([2, 3, 3]);
  });

  it('a job walked in lanes that crashed is resumed lane by lane; a lane that fails stops the others and nothing is queued twice', async () => {
    await at(t, '2026-12-15T08:00:00+07:00');
    const now = t.clock.now();
    const id = 'reminders:2026-12:due';
    await scheduleJob(t.db, { id, kind: 'due_reminders', payload: { date: '2026-12-15', month: '2026-12', kind: 'due', dueDate: '2026-12-15' }, runAt: now }, now);
    const ids = (await Promise.all(members.map((m) => participantOf(t, m)))).map((p) => p.id).sort();

    // A runner with two lanes claims it: the lanes are (…, ids[0]] and (ids[0], …). Lane 0 commits its first batch;
    // lane 1's first batch dies, so lane 0 stops after its batch and the handler fails once both have settled.
    const claim = await claimDueJob(t.deps, now);
    if (claim.kind !== 'claimed') {
      throw new Error('expected a claim');
    }
    const ctx = createJobContext(t.deps, claim.job, 1, 2);
    let calls = 0;
    class Crash extends Error {}
    const dying: JobContext = { ...ctx, laneBatch: (lane, step) => (calls++ === 1 ? Promise.reject(new Crash()) : ctx.laneBatch(lane, step)) };
    await expect(monthlyCycleHandlers['due_reminders']?.(dying)).rejects.toBeInstanceOf(Crash);
    expect(calls).toBe(2);
    const queuedTo = async () =>
      (await t.db.selectFrom('outbox_message').select('id').where('id', 'like', 'rem:%:due:%').orderBy('id').execute()).map((r) => r.id);
    expect(await queuedTo()).toEqual([`rem:${ids[0]}:2026-12:due:email`, `rem:${ids[0]}:2026-12:due:sms`]);
    expect((await findJob(t.db, id))?.progress).toEqual({
      done: 1,
      total: 3,
      cursor: null,
      recipients: 1,
      queued: 2,
      lanes: [
        { cursor: ids[0], to: ids[0], done: false },
        { cursor: ids[0], to: null, done: false },
      ],
    });

    // The next runner, with one lane, walks the stored lanes one after the other from their cursors.
    t.clock.advance(JOB_POLICY.leaseMs + 1_000);
    expect((await runDueJobs(t.deps, { recurring: [], batchSize: 1, lanes: 1 })).jobs).toEqual([{ id, kind: 'due_reminders', outcome: 'done' }]);
    expect(await findJob(t.db, id)).toMatchObject({
      status: 'done',
      attempts: 2,
      progress: { done: 3, total: 3, recipients: 3, queued: 6, lanes: [{ cursor: ids[0], done: true }, { cursor: ids[2], to: null, done: true }] },
    });
    expect(await queuedTo()).toEqual(ids.flatMap((pid) => [`rem:${pid}:2026-12:due:email`, `rem:${pid}:2026-12:due:sms`]));
  });

  it("a runner that lost its lease cannot commit a lane's batch either: its writes roll back", async () => {
    const now = t.clock.now();
    const { first, second } = await claimedTwice(t, 'test:lanes');
    const stale = createJobContext(t.deps, first, 10, 2);
    const step = async (trx: Parameters<Parameters<JobContext['laneBatch']>[1]>[0]) => {
      await scheduleJob(trx, { id: 'test:written-by-a-stale-lane', kind: 'test:noop', runAt: now }, now);
      return { lane: { cursor: 'x', to: null, done: true }, add: { done: 1 }, result: null };
    };
    await expect(stale.laneBatch(0, step)).rejects.toBeInstanceOf(LeaseLostError);
    expect(await findJob(t.db, 'test:written-by-a-stale-lane')).toBeUndefined();
    expect((await findJob(t.db, 'test:lanes'))?.progress).toEqual({ done: 0, total: null, cursor: null });
    expect(await completeJob(t.deps, second)).toBe(true);
  });

  it('a runner that lost its lease cannot commit a batch (the attempt number fences it)', async () => {
    const { first, second } = await claimedTwice(t, 'test:slow');
    expect([first.attempts, second.attempts]).toEqual([1, 2]);
    const stale = createJobContext(t.deps, first, 10);
    await expect(stale.batch(async (_trx, progress) => ({ progress: { ...progress, done: 99 }, result: null }))).rejects.toBeInstanceOf(LeaseLostError);
    expect((await findJob(t.db, 'test:slow'))?.progress).toMatchObject({ done: 0 });
  });

  it('a job whose runner died on its last attempt is marked failed when its lease lapses', async () => {
    const now = t.clock.now();
    await scheduleJob(t.db, { id: 'test:dies', kind: 'test:noop', runAt: now, attemptsMax: 1 }, now);
    expect((await claimDueJob(t.deps, now)).kind).toBe('claimed');
    t.clock.advance(JOB_POLICY.leaseMs + 1_000);
    expect((await runDueJobs(t.deps, { recurring: [], handlers: { 'test:noop': async () => {} } })).jobs).toEqual([
      { id: 'test:slow', kind: 'test:noop', outcome: 'done' },
      { id: 'test:dies', kind: '', outcome: 'failed' },
    ]);
    expect(await findJob(t.db, 'test:dies')).toMatchObject({ status: 'failed', last_error: 'lease expired on attempt 1 of 1' });
  });
});
