import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { priceContribution } from '../../src/modules/contributions/index.js';
import { runDueJobs } from '../../src/modules/jobs/run-due-jobs.js';
import { openRosterInvoice } from '../../src/modules/rosters/index.js';
import { expectError } from '../support/api-errors.js';
import { staffHeaders } from '../support/claims.js';
import { activeMember, login, nextExternalId } from '../support/factories.js';
import { createTestApp, type TestApp } from '../support/test-app.js';

/**
 * Rosters and period invoices (issue 17 items 2 and 3; src/modules/rosters) through the real app. Three members join
 * on Sunday 22 Nov 2026 (OJOL, transport, JKK+JKM, November paid) with different incomes and are put on a government
 * payer's roster (APBN) from December. On 1 Dec the daily cycle opens ONE invoice for December: the sum of the
 * members' undiscounted prices. Paying its one code covers every member's December; one leaves the roster and is
 * self-paying (discounted) from January, told by SMS.
 */
type Member = Awaited<ReturnType<typeof activeMember>>;
let t: TestApp;
let members: Member[];
let payer: { partnerId: string; clientId: string; clientSecret: string };
let other: { partnerId: string; clientId: string; clientSecret: string };
let supervisor: Record<string, string>;
const INCOMES = [1_000_000, 2_000_000, 3_500_000];

async function devPartner(name: string, funding: string) {
  const res = await t.post('/dev/partners', { name, funding });
  expect(res.status, JSON.stringify(res.body)).toBe(201);
  return res.body as { partnerId: string; clientId: string; clientSecret: string };
}

async function tokenOf(p: { clientId: string; clientSecret: string }): Promise<Record<string, string>> {
  const res = await t.app.request('/api/v1/oauth/token', {
    method: 'POST',
    body: 'grant_type=client_credentials',
    headers: { 'content-type': 'application/x-www-form-urlencoded', authorization: `Basic ${Buffer.from(`${p.clientId}:${p.clientSecret}`).toString('base64')}` },
  });
  const body = (await res.json()) as { access_token: string };
  expect(res.status, JSON.stringify(body)).toBe(200);
  return { authorization: `Bearer ${body.access_token}` };
}

function price(declaredIncome: number, month: string, funding: 'apbn' | 'self') {
  const q = priceContribution({ declaredIncome, programs: ['JKK', 'JKM'], months: 1, startMonth: month, sector: 'transport', funding }, t.deps.rules);
  if (!q.ok) throw new Error(q.code);
  return q.value.total;
}

beforeAll(async () => {
  t = await createTestApp();
  members = [];
  for (const declaredIncome of INCOMES) {
    members.push(await activeMember(t, { declaredIncome }));
  }
  payer = await devPartner('Kementerian Ketenagakerjaan', 'apbn');
  other = await devPartner('PT Ojol Sejahtera', 'partner');
  supervisor = await staffHeaders(t, ['supervisor']);
  for (const m of members) {
    const res = await t.request('PUT', `/api/v1/staff/participants/${m.kpj}/funding`, { funding: 'apbn', payerId: payer.partnerId, payerName: 'Kemnaker', reason: 'SK 1/2026' }, supervisor);
    expect(res.status, JSON.stringify(res.body)).toBe(200);
    expect(res.body).toEqual({ fromMonth: '2026-12' });
  }
});
afterAll(async () => t.close());

describe('period invoices of a government payer', () => {
  it('no invoice before the 1st: 404 unknown_invoice', async () => {
    const res = await t.get('/api/v1/partner/invoices/2026-12', await tokenOf(payer));
    expectError(res, 404, 'unknown_invoice', 'period');
    expect((await t.get('/api/v1/partner/invoices/2026-13', await tokenOf(payer))).status).toBe(400);
  });

  it('the daily cycle of 1 Dec opens ONE invoice: Σ undiscounted prices, the members it covers; again → the same bill', async () => {
    t.clock.set(new Date('2026-12-01T02:00:00Z'));
    const run = await runDueJobs(t.deps);
    expect(run.jobs.filter((j) => j.id === 'roster-bills:2026-12').map((j) => j.outcome)).toEqual(['done']);
    const expected = INCOMES.reduce((s, income) => s + price(income, '2026-12', 'apbn'), 0);
    expect(price(1_000_000, '2026-12', 'apbn')).toBe(16_800);
    expect(expected).toBeGreaterThan(INCOMES.reduce((s, income) => s + price(income, '2026-12', 'self'), 0));
    const auth = await tokenOf(payer);
    const res = await t.get('/api/v1/partner/invoices/2026-12', auth);
    expect(res.status, JSON.stringify(res.body)).toBe(200);
    expect(res.body).toMatchObject({ period: '2026-12', amount: expected, status: 'open' });
    expect(res.body.paymentCode).toMatch(/^9\d{15}$/);
    expect(res.body.members.map((m: { kpj: string }) => m.kpj).sort()).toEqual(members.map((m) => m.kpj).sort());
    for (const m of res.body.members as { kpj: string; months: string[]; amount: number; status: string }[]) {
      const income = INCOMES[members.findIndex((x) => x.kpj === m.kpj)]!;
      expect(m).toMatchObject({ months: ['2026-12'], amount: price(income, '2026-12', 'apbn'), status: 'open' });
    }
    // the month's individual dues skipped the roster members (their payer pays)
    const dues = await t.db.selectFrom('bill').innerJoin('participant', 'participant.id', 'bill.participant_id').select('bill.id').where('bill.kind', '=', 'dues').where('participant.kpj', 'in', members.map((m) => m.kpj)).execute();
    expect(run.jobs.map((j) => j.id)).toContain('dues:2026-12');
    expect(dues).toEqual([]);
    // the job again (next day's cycle, and directly): still one bill
    t.clock.set(new Date('2026-12-02T02:00:00Z'));
    await runDueJobs(t.deps);
    const again = await openRosterInvoice(t.deps, payer.partnerId, '2026-12');
    expect(again.bill?.paymentCode).toBe(res.body.paymentCode);
    const { rows } = await sql<{ n: number | string }>`select count(*) as n from payer_bill where payer_id = ${payer.partnerId}`.execute(t.db);
    expect(Number(rows[0]!.n)).toBe(1);
    // the CSV of the members (a fresh token: a day has passed); another partner sees nothing
    const fresh = await tokenOf(payer);
    const csv = await t.app.request('/api/v1/partner/invoices/2026-12/members.csv', { headers: fresh });
    expect(csv.status).toBe(200);
    expect(csv.headers.get('content-type')).toMatch(/^text\/csv/);
    const lines = (await csv.text()).trim().split('\r\n');
    expect(lines[0]).toBe('kpj,fullName,months,amount,status');
    expect(lines).toHaveLength(4);
    expectError(await t.get('/api/v1/partner/invoices/2026-12', await tokenOf(other)), 404, 'unknown_invoice', 'period');
    // staff (finance) read-only view
    const finance = await staffHeaders(t, ['finance']);
    const staff = await t.get(`/api/v1/staff/partners/${payer.partnerId}/invoices`, finance);
    expect(staff.status, JSON.stringify(staff.body)).toBe(200);
    expect(staff.body.invoices).toEqual([expect.objectContaining({ period: '2026-12', amount: expected, memberCount: 3, status: 'open', paidAt: null })]);
  });

  it('paying the one code covers every member’s December (fan-out through the settlement engine)', async () => {
    const auth = await tokenOf(payer);
    const invoice = (await t.get('/api/v1/partner/invoices/2026-12', auth)).body as { paymentCode: string; amount: number };
    const paid = await t.notify({ externalId: nextExternalId(), paymentCode: invoice.paymentCode, amount: invoice.amount, channel: 'va', paidAt: t.clock.now().toISOString() });
    expect(paid.body).toEqual({ status: 'applied' });
    await runDueJobs(t.deps, { recurring: [] });
    const covered = await t.db
      .selectFrom('coverage_month')
      .innerJoin('participant', 'participant.id', 'coverage_month.participant_id')
      .select('participant.kpj')
      .where('coverage_month.month', '=', '2026-12')
      .where('participant.kpj', 'in', members.map((m) => m.kpj))
      .execute();
    expect(covered).toHaveLength(3);
    const view = (await t.get('/api/v1/partner/invoices/2026-12', auth)).body;
    expect(view.status).toBe('paid');
    expect(view.members.every((m: { status: string }) => m.status === 'paid')).toBe(true);
  });

  it('a member leaves the roster: self-paying from January at the discounted price, told by SMS; not on the next invoice', async () => {
    const auth = await tokenOf(payer);
    const leaver = members[0]!;
    expectError(await t.request('DELETE', `/api/v1/partner/roster/${leaver.kpj}`, undefined, await tokenOf(other)), 404, 'not_on_roster', 'kpj');
    const res = await t.request('DELETE', `/api/v1/partner/roster/${leaver.kpj}`, undefined, auth);
    expect(res.status, JSON.stringify(res.body)).toBe(200);
    expect(res.body).toEqual({ kpj: leaver.kpj, selfFrom: '2027-01' });
    expectError(await t.request('DELETE', `/api/v1/partner/roster/${leaver.kpj}`, undefined, auth), 404, 'not_on_roster', 'kpj');
    const token = await login(t, leaver.person.phone);
    const me = (await t.get('/api/v1/me', { authorization: `Bearer ${token}` })).body;
    expect(me.nextDue).toMatchObject({ month: '2027-01', amount: price(1_000_000, '2027-01', 'self') });
    expect(price(1_000_000, '2027-01', 'self')).toBe(8_400);
    const sms = (await t.db.selectFrom('outbox_message').select(['body', 'data', 'channel']).where('template', '=', 'roster_left_sms').execute()).filter(
      (m) => (typeof m.data === 'string' ? JSON.parse(m.data) : m.data).kpj === leaver.kpj,
    );
    expect(sms).toHaveLength(1);
    expect(sms[0]!.body).toContain('Mulai Jan 2027 iuran Anda dibayar sendiri');
    const audit = await t.db.selectFrom('staff_audit').select(['actor']).where('subject', '=', `participant:${leaver.kpj}`).where('actor', '=', `partner:${payer.partnerId}`).execute();
    expect(audit).toHaveLength(1);
    const january = await openRosterInvoice(t.deps, payer.partnerId, '2027-01');
    expect(january.billed).toBe(2);
    expect(january.bill?.amount).toBe(INCOMES.slice(1).reduce((s, income) => s + price(income, '2027-01', 'apbn'), 0));
  });

  it('a government roster upload of existing members: per-row codes; moved members are on the next period invoice', async () => {
    const fresh = [await activeMember(t), await activeMember(t)]; // joined 2 Dec: December paid, January next
    const pemda = await devPartner('Pemerintah Kota Bekasi', 'apbd');
    const auth = await tokenOf(pemda);
    const csv = [
      'nik,kpj,action',
      `${fresh[0]!.person.nik},,join`,
      `,${fresh[1]!.kpj},`,
      '1234,,join',
      `,${fresh[1]!.kpj},join`,
      ',99999999999,join',
      `,${members[1]!.kpj},join`,
      `${fresh[0]!.person.nik},${fresh[0]!.kpj},join`,
      `,${members[0]!.kpj},stay`,
    ].join('\r\n');
    type Upload = { id: string; status: string; total: number; processed: number; accepted: number; rows: { row: number; status: string; code?: string; field?: string; kpj?: string }[] };
    // Answered 202 at once; the job applies the rows (POST /dev/jobs/run in development); GET shows the results.
    const upload = async (period: string, body: string, headers: Record<string, string>, key?: string): Promise<Upload> => {
      const res = await t.app.request(`/api/v1/partner/rosters?period=${period}`, { method: 'POST', body, headers: { ...headers, 'content-type': 'text/csv', ...(key ? { 'idempotency-key': key } : {}) } });
      const queued = (await res.json()) as { id: string; status: string; total: number };
      expect(res.status, JSON.stringify(queued)).toBe(202);
      await runDueJobs(t.deps);
      const view = await t.get(`/api/v1/partner/rosters/${queued.id}`, headers);
      expect(view.status, JSON.stringify(view.body)).toBe(200);
      return view.body as Upload;
    };
    const post = () => upload('2027-01', csv, auth, 'pemda-2027-01');
    const body = await post();
    expect(body).toMatchObject({ status: 'done', total: 8, processed: 8, accepted: 2 });
    expect(body.rows).toEqual([
      { row: 1, status: 'accepted', kpj: fresh[0]!.kpj },
      { row: 2, status: 'accepted', kpj: fresh[1]!.kpj },
      { row: 3, status: 'rejected', code: 'invalid_nik', field: 'nik' },
      { row: 4, status: 'rejected', code: 'duplicate_in_batch', field: 'kpj' },
      { row: 5, status: 'rejected', code: 'unknown_participant', field: 'kpj' },
      { row: 6, status: 'rejected', code: 'funded_by_other_payer', field: 'kpj' },
      { row: 7, status: 'rejected', code: 'invalid_request', field: 'kpj' },
      { row: 8, status: 'rejected', code: 'invalid_request', field: 'action' },
    ]);
    // the same key and body: the same upload; another body under the key: 409; without a key, the same rows again
    // are a new upload whose rows are accepted again, nothing moves twice
    expect((await post()).id).toBe(body.id);
    const reused = await t.app.request('/api/v1/partner/rosters?period=2027-01', { method: 'POST', body: `${csv}\r\n`, headers: { ...auth, 'content-type': 'text/csv', 'idempotency-key': 'pemda-2027-01' } });
    expectError({ status: reused.status, body: await reused.json() } as never, 409, 'idempotency_key_reused', 'Idempotency-Key');
    const again = await upload('2027-01', csv, auth);
    expect(again.id).not.toBe(body.id);
    expect(again.accepted).toBe(2);
    expectError(await t.get('/api/v1/partner/rosters/rup_nope', auth), 404, 'unknown_roster_upload', 'id');
    expectError(await t.get(`/api/v1/partner/rosters/${body.id}`, await tokenOf(other)), 404, 'unknown_roster_upload', 'id');
    // a period already paid, and a non-government partner
    const paid = await upload('2026-12', `nik,kpj,action\r\n,${fresh[1]!.kpj},join`, await tokenOf(pemda));
    expect(paid.rows).toEqual([{ row: 1, status: 'rejected', code: 'funding_month_paid', field: 'period' }]);
    const partnerUpload = await t.app.request('/api/v1/partner/rosters?period=2027-01', { method: 'POST', body: csv, headers: { ...(await tokenOf(other)), 'content-type': 'text/csv' } });
    expect(partnerUpload.status).toBe(403);
    // at most 100,000 rows: 100,001 are refused at once with a clear code (the 100,000-row run is in the bench)
    const huge = `nik,kpj,action\r\n${',12345678,join\r\n'.repeat(100_001)}`;
    const tooLarge = await t.app.request('/api/v1/partner/rosters?period=2027-01', { method: 'POST', body: huge, headers: { ...auth, 'content-type': 'text/csv' } });
    expectError({ status: tooLarge.status, body: await tooLarge.json() } as never, 413, 'roster_too_large', 'rows');
    const january = await openRosterInvoice(t.deps, pemda.partnerId, '2027-01');
    expect(january.billed).toBe(2);
    expect(january.bill?.amount).toBe(2 * price(1_000_000, '2027-01', 'apbn'));
  });
  it('a member who leaves while an unpaid invoice holds their month: the invoice keeps their bill, self-paying after it', async () => {
    // The January invoice (opened above, unpaid) holds members[1]'s January at the undiscounted APBN price.
    const auth = await tokenOf(payer);
    const before = (await t.get('/api/v1/partner/invoices/2027-01', auth)).body as { paymentCode: string; amount: number; members: { kpj: string; amount: number; status: string }[] };
    const leaver = members[1]!;
    expect(before.members.find((m) => m.kpj === leaver.kpj)).toMatchObject({ status: 'open', amount: price(INCOMES[1]!, '2027-01', 'apbn') });
    const res = await t.request('DELETE', `/api/v1/partner/roster/${leaver.kpj}`, { reason: 'pindah domisili' }, auth);
    expect(res.status, JSON.stringify(res.body)).toBe(200);
    expect(res.body).toEqual({ kpj: leaver.kpj, selfFrom: '2027-02' });
    // the invoice is unchanged and still payable: the member's January bill was not cancelled or re-priced
    const after = (await t.get('/api/v1/partner/invoices/2027-01', auth)).body as typeof before;
    expect(after).toMatchObject({ paymentCode: before.paymentCode, amount: before.amount, status: 'open' });
    expect(after.members.find((m) => m.kpj === leaver.kpj)).toMatchObject({ status: 'open', amount: price(INCOMES[1]!, '2027-01', 'apbn') });
    const sms = (await t.db.selectFrom('outbox_message').select(['body', 'data']).where('template', '=', 'roster_left_sms').execute()).filter(
      (m) => (typeof m.data === 'string' ? JSON.parse(m.data) : m.data).kpj === leaver.kpj,
    );
    expect(sms.map((m) => m.body).join()).toContain('Mulai Feb 2027 iuran Anda dibayar sendiri');
    // the payer pays the invoice: the member's January is covered by it; February is the member's own
    const paid = await t.notify({ externalId: nextExternalId(), paymentCode: after.paymentCode, amount: after.amount, channel: 'va', paidAt: t.clock.now().toISOString() });
    expect(paid.body).toEqual({ status: 'applied' });
    await runDueJobs(t.deps, { recurring: [] });
    const months = await t.db
      .selectFrom('coverage_month')
      .innerJoin('participant', 'participant.id', 'coverage_month.participant_id')
      .select('coverage_month.month')
      .where('participant.kpj', '=', leaver.kpj)
      .orderBy('coverage_month.month')
      .execute();
    expect(months.map((m) => m.month).at(-1)).toBe('2027-01');
    const token = await login(t, leaver.person.phone);
    const me = (await t.get('/api/v1/me', { authorization: `Bearer ${token}` })).body;
    expect(me.nextDue).toMatchObject({ month: '2027-02', amount: price(INCOMES[1]!, '2027-02', 'self') });
    const february = await openRosterInvoice(t.deps, payer.partnerId, '2027-02');
    expect(february.billed).toBe(1); // members[2] only
  });
});
