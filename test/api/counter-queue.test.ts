import { execFileSync } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { median, nearestRank, summarize } from '../../src/modules/counter/index.js';
import { expectError } from '../support/api-errors.js';
import { makePerson, registerVerified } from '../support/factories.js';
import { STAFF_PASSWORD, type Headers } from '../support/claims.js';
import { createTestApp, type TestApp } from '../support/test-app.js';

/**
 * The counter queue (issue 16 item 2, README "Counter queue"): numbers per branch restarting each WIB day, two desks
 * never calling the same ticket, served / no-show, the waits and the day's summary, the roles, the printed slips.
 */
let t: TestApp;
let seq = 0;
const BRANCH = 'JKT-SALEMBA';

async function officer(roles: string[], branchCode: string | null = BRANCH): Promise<Headers> {
  const username = `loket-${process.pid}-${++seq}`;
  const made = await t.post('/dev/staff', { username, password: STAFF_PASSWORD, roles, ...(branchCode ? { branchCode } : {}) });
  expect(made.status, JSON.stringify(made.body)).toBe(201);
  const session = await t.post('/api/v1/staff/sessions', { username, password: STAFF_PASSWORD });
  return { authorization: `Bearer ${session.body.token as string}` };
}

const take = (h: Headers, purpose = 'payment') => t.post('/api/v1/staff/queue/tickets', { purpose }, h);
const next = (h: Headers, desk = 'Loket 1') => t.post('/api/v1/staff/queue/next', { desk }, h);
const day = (h: Headers, date?: string) => t.get(`/api/v1/staff/queue${date ? `?date=${date}` : ''}`, h);

beforeAll(async () => {
  t = await createTestApp({ start: '2026-12-07T01:00:00.000Z' }); // Monday 7 December 2026, 08:00 WIB
});
afterAll(async () => t.close());

describe('the pure rules', () => {
  it.each([
    { waits: [], median: null, p90: null },
    { waits: [60], median: 60, p90: 60 },
    { waits: [60, 120], median: 90, p90: 120 },
    { waits: [10, 20, 30, 40, 50, 60, 70, 80, 90, 100], median: 55, p90: 90 },
    { waits: [5, 1, 3], median: 3, p90: 5 },
  ])('waits $waits: median $median, p90 $p90 (nearest rank)', ({ waits, median: m, p90 }) => {
    const sorted = [...waits].sort((a, b) => a - b);
    expect(median(sorted)).toBe(m);
    expect(nearestRank(sorted, 0.9)).toBe(p90);
  });

  it('summarize counts by status and takes waits of called tickets only', () => {
    const at = (s: number) => new Date(Date.UTC(2026, 11, 7, 1, 0, s));
    const s = summarize([
      { status: 'served', takenAt: at(0), calledAt: at(120) },
      { status: 'no_show', takenAt: at(0), calledAt: at(300) },
      { status: 'called', takenAt: at(0), calledAt: at(60) },
      { status: 'waiting', takenAt: at(0), calledAt: null },
    ]);
    expect(s).toEqual({ taken: 4, waiting: 1, called: 1, served: 1, noShow: 1, medianWaitSeconds: 120, p90WaitSeconds: 300 });
  });
});

describe('the queue through the API', () => {
  it('numbers count from 1 per branch and restart the next WIB day; other branches have their own', async () => {
    t.clock.set(new Date('2026-12-08T01:00:00.000Z'));
    const counter = await officer(['counter']);
    const other = await officer(['counter'], 'JKT-CILANDAK');
    const first = await take(counter, 'registration');
    expect(first.status, JSON.stringify(first.body)).toBe(201);
    expect(first.body).toMatchObject({ branchCode: BRANCH, servicePoint: null, date: '2026-12-08', number: 1, label: 'A-001', purpose: 'registration', status: 'waiting', calledAt: null, waitSeconds: null });
    expect((await take(counter, 'claim')).body).toMatchObject({ number: 2, label: 'C-002' });
    expect((await take(other)).body).toMatchObject({ branchCode: 'JKT-CILANDAK', number: 1 });
    // 23:59 WIB is still the 8th; 00:00 WIB (17:00 UTC) is the 9th and starts at 1 again.
    t.clock.set(new Date('2026-12-08T16:59:00.000Z'));
    const late = await officer(['counter']); // a new session: the morning's has ended (8 hours)
    expect((await take(late)).body).toMatchObject({ date: '2026-12-08', number: 3 });
    t.clock.set(new Date('2026-12-08T17:00:00.000Z'));
    expect((await take(late)).body).toMatchObject({ date: '2026-12-09', number: 1 });
    const eighth = await day(late, '2026-12-08');
    expect(eighth.body.waiting.map((x: { number: number }) => x.number)).toEqual([1, 2, 3]);
  });

  it('call next, served, no-show: waits and the summary; ending twice or before the call is refused', async () => {
    t.clock.set(new Date('2026-12-10T01:00:00.000Z'));
    const counter = await officer(['counter'], 'JKT-RAWAMANGUN');
    const a = (await take(counter)).body;
    const b = (await take(counter)).body;
    expectError(await t.post(`/api/v1/staff/queue/tickets/${a.id}/served`, {}, counter), 409, 'ticket_not_called', 'id');
    t.clock.advance(5 * 60_000);
    const calledA = await next(counter, 'Loket 2');
    expect(calledA.body.ticket).toMatchObject({ id: a.id, status: 'called', desk: 'Loket 2', waitSeconds: 300 });
    const served = await t.post(`/api/v1/staff/queue/tickets/${a.id}/served`, {}, counter);
    expect(served.body).toMatchObject({ status: 'served', desk: 'Loket 2' });
    expect(served.body.endedAt).not.toBeNull();
    expectError(await t.post(`/api/v1/staff/queue/tickets/${a.id}/no-show`, {}, counter), 409, 'ticket_not_called', 'id');
    t.clock.advance(10 * 60_000);
    expect((await next(counter)).body.ticket).toMatchObject({ id: b.id, waitSeconds: 900 });
    expect((await t.post(`/api/v1/staff/queue/tickets/${b.id}/no-show`, {}, counter)).body).toMatchObject({ status: 'no_show' });
    expect((await next(counter)).body).toEqual({ ticket: null });
    const q = await day(counter);
    expect(q.status).toBe(200);
    expect(q.body).toMatchObject({ branchCode: 'JKT-RAWAMANGUN', date: '2026-12-10', waiting: [], atDesks: [] });
    expect(q.body.summary).toEqual({ taken: 2, waiting: 0, called: 0, served: 1, noShow: 1, medianWaitSeconds: 600, p90WaitSeconds: 900 });
    const audit = await t.get(`/api/v1/staff/audit?entity=queue_ticket:${a.id}`, { authorization: 'Bearer dev-staff-key' });
    expect(audit.body.events.map((e: { action: string }) => e.action).sort()).toEqual(['queue_ticket.call', 'queue_ticket.served', 'queue_ticket.take']);
  });

  it('two desks calling at once never get the same ticket', async () => {
    t.clock.set(new Date('2026-12-11T01:00:00.000Z'));
    const desks = await Promise.all([1, 2, 3, 4].map(() => officer(['counter'], 'BDG-SUCI')));
    for (let i = 0; i < 6; i++) await take(desks[0]!);
    const calls = await Promise.all([...desks, ...desks].map((h, i) => next(h, `Loket ${(i % 4) + 1}`)));
    const ids = calls.map((r) => r.body.ticket?.id).filter(Boolean);
    expect(ids).toHaveLength(6);
    expect(new Set(ids).size).toBe(6);
    expect(calls.filter((r) => r.body.ticket === null)).toHaveLength(2);
  });

  it('a ticket of another branch is unknown; an account without a branch is refused with staff_without_branch', async () => {
    const counter = await officer(['counter'], 'JKT-CENGKARENG');
    const elsewhere = await officer(['counter'], 'JKT-CILANDAK');
    const own = (await take(counter)).body;
    expectError(await t.post(`/api/v1/staff/queue/tickets/${own.id}/served`, {}, elsewhere), 404, 'unknown_ticket', 'id');
    const noBranch = await officer(['counter'], null);
    expectError(await take(noBranch), 400, 'staff_without_branch');
    expectError(await day(noBranch), 400, 'staff_without_branch');
    expectError(await take({ authorization: 'Bearer dev-staff-key' }), 400, 'staff_without_branch');
  });

  it('roles: counter takes and calls; supervisor reads the queue only; other roles are refused', async () => {
    const supervisor = await officer(['supervisor']);
    const verifier = await officer(['claims_verifier']);
    expect((await day(supervisor)).status).toBe(200);
    expectError(await take(supervisor), 403, 'forbidden');
    expectError(await next(supervisor), 403, 'forbidden');
    expectError(await day(verifier), 403, 'forbidden');
    expectError(await t.post('/api/v1/staff/queue/tickets', { purpose: 'payment' }), 401, 'unauthorized');
    expect((await t.post('/api/v1/staff/queue/tickets', { purpose: 'coffee' }, await officer(['counter']))).status).toBe(400);
  });
});

const pdfText = (pdf: Buffer) => {
  const dir = mkdtempSync(join(tmpdir(), 'antrean-'));
  writeFileSync(join(dir, 'f.pdf'), pdf);
  return execFileSync('pdftotext', ['-layout', join(dir, 'f.pdf'), '-'], { encoding: 'utf8' });
};

describe('the printed slips', () => {
  it('the queue ticket: A6, branch, number, purpose, time', async () => {
    t.clock.set(new Date('2026-12-14T02:05:00.000Z'));
    const counter = await officer(['counter']);
    const ticket = (await take(counter, 'claim')).body;
    const res = await t.get(`/api/v1/staff/queue/tickets/${ticket.id}/pdf`, counter);
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toBe('application/pdf');
    const text = pdfText(res.body as Buffer);
    expect(text).toContain('Kantor Cabang Jakarta Salemba');
    expect(text).toContain(ticket.label);
    expect(text).toContain('Klaim');
    expect(text).toMatch(/Senin, 14 Desember 2026 pukul 09\.05 WIB/);
    expectError(await t.get('/api/v1/staff/queue/tickets/qtk_nope/pdf', counter), 404, 'unknown_ticket', 'id');
  });

  it("a bill's payment slip: code, amount, months, expiry in Indonesian", async () => {
    const counter = await officer(['counter']);
    const person = makePerson();
    const reg = await registerVerified(t, person);
    const submit = await t.post(`/api/v1/registrations/${reg}/submit`, { programs: ['JKK', 'JKM'], declaredIncome: 1_000_000, months: 3 });
    const bill = submit.body.bill as { paymentCode: string; amount: number };
    const res = await t.get(`/api/v1/staff/bills/${bill.paymentCode}/receipt.pdf`, counter);
    expect(res.status).toBe(200);
    const text = pdfText(res.body as Buffer);
    expect(text.replace(/\s/g, '')).toContain(bill.paymentCode);
    expect(text).toContain(`Rp${bill.amount.toLocaleString('id-ID')}`);
    expect(text).toMatch(/\(3 bulan\)/);
    expect(text).toMatch(/Bayar sebelum/);
    expect(text).toMatch(/(Senin|Selasa|Rabu|Kamis|Jumat|Sabtu|Minggu), \d{1,2} \w+ 2026 pukul \d{2}\.\d{2} WIB/);
    expectError(await t.get('/api/v1/staff/bills/8000000000000000/receipt.pdf', counter), 404, 'unknown_payment_code', 'paymentCode');
    expectError(await t.get(`/api/v1/staff/bills/${bill.paymentCode}/receipt.pdf`, await officer(['supervisor'])), 403, 'forbidden');
  });
});
