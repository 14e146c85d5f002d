import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runDueJobs } from '../../src/modules/jobs/run-due-jobs.js';
import { expectError } from '../support/api-errors.js';
import { staffHeaders } from '../support/claims.js';
import { activeMember, latestData, login } from '../support/factories.js';
import { portalClient, textOf } from '../support/portal-client.js';
import { createTestApp, type TestApp } from '../support/test-app.js';

/**
 * Effective-dated funding (issue 17 item 1) through the real app. Members join on Sunday 22 Nov 2026 (OJOL: transport
 * sector, Rp1.000.000, JKK+JKM, paid November), so every month through March 2027 is PP 50/2025-discounted for a
 * self-funded member (Rp8.400) and never for APBN/APBD (Rp16.800). A supervisor sets the funding with
 * PUT /staff/participants/{kpj}/funding; every bill path prices each month with the funding in force for it.
 */
type Member = Awaited<ReturnType<typeof activeMember>>;
const FULL = 16_800;
const HALF = 8_400;

async function billMonths(t: TestApp, m: Member, months: number) {
  const res = await t.post('/api/v1/me/bills', { months }, m.auth);
  expect(res.status, JSON.stringify(res.body)).toBe(201);
  return res.body.bill as { paymentCode: string; amount: number; months: { month: string; total: number }[] };
}

describe('funding on the member', () => {
  let t: TestApp;
  let member: Member;
  let supervisor: Record<string, string>;
  let counter: Record<string, string>;
  beforeAll(async () => {
    t = await createTestApp();
    member = await activeMember(t);
    supervisor = await staffHeaders(t, ['supervisor']);
    counter = await staffHeaders(t, ['counter']);
  });
  afterAll(async () => t.close());

  const put = (kpj: string, body: Record<string, unknown>, headers = supervisor) => t.request('PUT', `/api/v1/staff/participants/${kpj}/funding`, body, headers);

  it('a member without history is funded as at activation: self, discounted, the portal says so', async () => {
    const me = (await t.get('/api/v1/me', member.auth)).body;
    expect(me.fundedBy).toEqual({ kind: 'self' });
    expect(me.nextDue).toMatchObject({ month: '2026-12', amount: HALF });
    const view = (await t.get(`/api/v1/staff/participants/${member.kpj}/funding`, counter)).body;
    expect(view).toEqual({ funding: 'self', payerId: null, payerName: null, history: [] });
  });

  it('switched to APBD from the next unpaid month: the open bill is cancelled, the next bill is full price', async () => {
    const open = await billMonths(t, member, 1);
    expect(open.amount).toBe(HALF);
    const res = await put(member.kpj, { funding: 'apbd', payerId: 'pemda-dki', payerName: 'Pemerintah Provinsi DKI Jakarta', reason: 'SK Gubernur 12/2026' });
    expect(res.status, JSON.stringify(res.body)).toBe(200);
    expect(res.body).toEqual({ fromMonth: '2026-12' });
    expect((await t.db.selectFrom('bill').select('status').where('payment_code', '=', open.paymentCode).executeTakeFirstOrThrow()).status).toBe('cancelled');
    expect((await t.get('/api/v1/me', member.auth)).body.nextDue.amount).toBe(FULL);
    expect((await billMonths(t, member, 1)).amount).toBe(FULL);
  });

  it('back to self from February: a prepayment across the changes mixes, month by month', async () => {
    const res = await put(member.kpj, { funding: 'self', payerId: 'ignored', fromMonth: '2027-02', reason: 'Tidak lagi ditanggung APBD' });
    expect(res.status, JSON.stringify(res.body)).toBe(200);
    const bill = await billMonths(t, member, 3);
    expect(bill.months.map((m) => [m.month, m.total])).toEqual([
      ['2026-12', FULL],
      ['2027-01', FULL],
      ['2027-02', HALF],
    ]);
    const view = (await t.get(`/api/v1/staff/participants/${member.kpj}/funding`, counter)).body;
    expect(view.history).toEqual([
      { fromMonth: '2026-11', funding: 'self', payerId: null, payerName: null },
      { fromMonth: '2026-12', funding: 'apbd', payerId: 'pemda-dki', payerName: 'Pemerintah Provinsi DKI Jakarta' },
      { fromMonth: '2027-02', funding: 'self', payerId: null, payerName: null },
    ]);
  });

  it('the portal and GET /me say who pays in the month it is paid for', async () => {
    t.clock.set(new Date('2026-12-02T03:00:00Z'));
    // Sessions from November have expired: sign in again.
    member = { ...member, auth: { authorization: `Bearer ${await login(t, member.person.phone)}` } };
    supervisor = await staffHeaders(t, ['supervisor']);
    counter = await staffHeaders(t, ['counter']);
    t.clock.advance(61_000);
    const me = (await t.get('/api/v1/me', member.auth)).body;
    expect(me.fundedBy).toEqual({ kind: 'apbd', payerName: 'Pemerintah Provinsi DKI Jakarta' });
    const client = portalClient(t);
    await client.submit('/masuk', '/masuk', { phone: member.person.phone }, { follow: false });
    const done = await client.submit('/masuk/kode', '/masuk/kode', { code: await latestData(t, member.person.phone, 'otp') }, { follow: false });
    expect(done.location).toBe('/akun');
    const page = textOf((await client.get('/akun')).html);
    expect(page).toContain('Iuran Anda dibayar oleh Pemerintah (APBD): Pemerintah Provinsi DKI Jakarta');
    expect(page).toContain('tidak mendapat potongan iuran PP 50/2025');
    const staff = (await t.get(`/api/v1/participants/${member.kpj}`, counter)).body;
    expect([staff.funding, staff.fundedBy.kind]).toEqual(['apbd', 'apbd']);
  });

  it('refuses a paid month, an unknown member, and a role other than supervisor; audits the change', async () => {
    expectError(await put(member.kpj, { funding: 'apbn', fromMonth: '2026-11', reason: 'bulan lalu' }), 409, 'funding_month_paid', 'fromMonth');
    expectError(await put('99999999999', { funding: 'apbn', reason: 'tidak ada' }), 404, 'unknown_participant', 'kpj');
    expect((await put(member.kpj, { funding: 'apbn', reason: 'loket' }, counter)).status).toBe(403);
    const audit = await t.db.selectFrom('staff_audit').select(['actor', 'reason', 'detail', 'after']).where('subject', '=', `participant:${member.kpj}`).where('action', '=', 'participant.update').orderBy('id').execute();
    expect(audit.map((a) => [a.reason, a.detail])).toEqual([
      ['SK Gubernur 12/2026', { changed: ['funding'], effectiveFrom: '2026-12' }],
      ['Tidak lagi ditanggung APBD', { changed: ['funding'], effectiveFrom: '2027-02' }],
    ]);
    expect(audit[0]?.after).toEqual({ funding: 'apbd', payerId: 'pemda-dki', payerName: 'Pemerintah Provinsi DKI Jakarta' });
  });
});

describe('dues and reminders use the funding in force for each month, set-based', () => {
  let t: TestApp;
  const groups: { self: Member[]; apbdDec: Member[]; apbdJan: Member[] } = { self: [], apbdDec: [], apbdJan: [] };
  beforeAll(async () => {
    t = await createTestApp();
    const supervisor = await staffHeaders(t, ['supervisor']);
    for (let i = 0; i < 4; i++) {
      groups.self.push(await activeMember(t));
      groups.apbdDec.push(await activeMember(t));
      groups.apbdJan.push(await activeMember(t));
    }
    for (const [list, fromMonth] of [[groups.apbdDec, undefined], [groups.apbdJan, '2027-01']] as const) {
      for (const m of list) {
        const res = await t.request('PUT', `/api/v1/staff/participants/${m.kpj}/funding`, { funding: 'apbd', fromMonth, reason: 'Daftar PBI daerah' }, supervisor);
        expect(res.status, JSON.stringify(res.body)).toBe(200);
      }
    }
  });
  afterAll(async () => t.close());

  async function runOn(day: string, hours = ['08:00', '13:00']) {
    for (const hour of hours) {
      t.clock.set(new Date(`${day}T${hour}:00+07:00`));
      const { jobs } = await runDueJobs(t.deps, { batchSize: 5, lanes: 2 });
      expect(jobs.filter((j) => j.outcome !== 'done'), `${day} ${hour}: ${JSON.stringify(jobs)}`).toEqual([]);
    }
  }

  async function openDues(m: Member) {
    const p = await t.db.selectFrom('participant').select('id').where('kpj', '=', m.kpj).executeTakeFirstOrThrow();
    const bill = await t.db.selectFrom('bill').select(['id', 'amount', 'first_month', 'month_count']).where('participant_id', '=', p.id).where('kind', '=', 'dues').where('status', '=', 'open').executeTakeFirst();
    const lines = bill ? await t.db.selectFrom('bill_line').select(['month', 'net']).where('bill_id', '=', bill.id).execute() : [];
    return { amount: bill?.amount, months: bill?.month_count, net: lines.reduce((s, l) => s + l.net, 0) };
  }

  it('December dues: APBD from December full price, the others discounted; lines add up to the bill', async () => {
    await runOn('2026-12-01');
    for (const [list, amount] of [[groups.self, HALF], [groups.apbdDec, FULL], [groups.apbdJan, HALF]] as const) {
      for (const m of list) {
        expect(await openDues(m)).toEqual({ amount, months: 1, net: amount });
      }
    }
  });

  it('the due reminders quote each member the amount of their funding', async () => {
    await runOn('2026-12-12', ['09:00', '13:00']);
    const amounts = async (m: Member) => {
      const p = await t.db.selectFrom('participant').select(['email']).where('kpj', '=', m.kpj).executeTakeFirstOrThrow();
      const rows = await t.db.selectFrom('outbox_message').select('data').where('recipient', '=', p.email).where('template', '=', 'due_reminder_email').execute();
      return [...new Set(rows.map((r) => r.data['amount']))];
    };
    expect(await amounts(groups.self[0]!)).toEqual([HALF]);
    expect(await amounts(groups.apbdDec[0]!)).toEqual([FULL]);
    expect(await amounts(groups.apbdJan[0]!)).toEqual([HALF]);
  });

  it('January dues across the change mix: December at its funding, January at its own', async () => {
    await runOn('2027-01-01');
    for (const [list, amount] of [[groups.self, 2 * HALF], [groups.apbdDec, 2 * FULL], [groups.apbdJan, HALF + FULL]] as const) {
      for (const m of list) {
        expect(await openDues(m)).toEqual({ amount, months: 2, net: amount });
      }
    }
  });
});
