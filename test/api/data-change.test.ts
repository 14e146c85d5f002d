import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { expectError } from '../support/api-errors.js';
import { activeMember, latestData, login, makePerson } from '../support/factories.js';
import { createTestApp, type TestApp } from '../support/test-app.js';

/**
 * Member data changes (issue 16 item 5) through the real app: PATCH /me (address, occupation, branch, income,
 * programs) with the income effective from the next unpaid month, the phone change (OTP to the new number plus the
 * identity check) and the e-mail change (a link), the counter's PATCH /staff/participants/{kpj}; every change audited
 * with before/after.
 */
let t: TestApp;
let member: Awaited<ReturnType<typeof activeMember>>;
const KEY = { authorization: 'Bearer dev-staff-key' };

beforeAll(async () => {
  t = await createTestApp();
  member = await activeMember(t, { declaredIncome: 1_000_000 });
});
afterAll(async () => t.close());

async function auditOf(kpj: string, action: string) {
  return t.db.selectFrom('staff_audit').select(['actor', 'before', 'after', 'detail']).where('subject', '=', `participant:${kpj}`).where('action', '=', action).orderBy('id').execute();
}

describe('PATCH /api/v1/me', () => {
  it('changes address and income; the income applies from the next unpaid month; a paid month keeps its price', async () => {
    const me = (await t.get('/api/v1/me', member.auth)).body;
    const paidMonth = me.coveredThrough as string;
    const oldBill = (await t.post('/api/v1/me/bills', { months: 1 }, member.auth)).body.bill;
    const res = await t.request('PATCH', '/api/v1/me', { address: '  Jl. Baru   No. 2, Bekasi ', declaredIncome: 5_000_000 }, member.auth);
    expect(res.status, JSON.stringify(res.body)).toBe(200);
    expect(res.body.changed.sort()).toEqual(['address', 'declared_income']);
    expect(res.body.effectiveFrom).toBe(me.nextDue.month);
    expect(res.body.effectiveFrom > paidMonth).toBe(true);
    const after = (await t.get('/api/v1/me', member.auth)).body;
    expect(after.declaredIncome).toBe(5_000_000);
    expect([me.declaredIncomeFrom, after.declaredIncomeFrom]).toEqual([null, res.body.effectiveFrom]);
    expect(after.nextDue.amount).toBeGreaterThan(me.nextDue.amount);
    // The open bill priced on the old income was cancelled; the next one is priced on the new income from its first month.
    const old = await t.db.selectFrom('bill').select('status').where('payment_code', '=', oldBill.paymentCode).executeTakeFirstOrThrow();
    expect(old.status).toBe('cancelled');
    const bill = (await t.post('/api/v1/me/bills', { months: 1 }, member.auth)).body.bill;
    expect(bill.months[0].month).toBe(res.body.effectiveFrom);
    expect(bill.amount).toBe(after.nextDue.amount);
    expect(bill.amount).toBeGreaterThan(oldBill.amount);
    // The paid first bill is unchanged, and the history keeps the old income for the paid month.
    const paid = await t.db.selectFrom('bill').select(['amount', 'status']).where('payment_code', '=', member.bill.paymentCode).executeTakeFirstOrThrow();
    expect(paid).toEqual({ amount: member.bill.amount, status: 'paid' });
    const history = await t.db.selectFrom('participant_income').select(['from_month', 'amount']).orderBy('from_month').execute();
    expect(history).toEqual([
      { from_month: paidMonth, amount: 1_000_000 },
      { from_month: res.body.effectiveFrom, amount: 5_000_000 },
    ]);
  });

  it('audits the change as the participant, with before and after', async () => {
    const rows = await auditOf(member.kpj, 'participant.update');
    expect(rows).toHaveLength(1);
    expect(rows[0]?.actor).toBe(`participant:${member.kpj}`);
    expect(rows[0]?.before).toMatchObject({ address: 'Jl. Merdeka No. 1, Bekasi', declaredIncome: 1_000_000 });
    expect(rows[0]?.after).toMatchObject({ address: 'Jl. Baru No. 2, Bekasi', declaredIncome: 5_000_000 });
  });

  it('occupation (the sector follows) and branch from the reference lists', async () => {
    const res = await t.request('PATCH', '/api/v1/me', { occupationCode: 'PEDAGANG_PASAR', branchCode: 'JKT-CILANDAK' }, member.auth);
    expect(res.status, JSON.stringify(res.body)).toBe(200);
    const staffView = (await t.get(`/api/v1/participants/${member.kpj}`, KEY)).body;
    expect([staffView.occupationCode, staffView.sector, staffView.branchCode]).toEqual(['PEDAGANG_PASAR', 'other', 'JKT-CILANDAK']);
    expectError(await t.request('PATCH', '/api/v1/me', { occupationCode: 'ASTRONAUT' }, member.auth), 422, 'unknown_occupation', 'occupationCode');
    expectError(await t.request('PATCH', '/api/v1/me', { branchCode: 'NOWHERE' }, member.auth), 422, 'unknown_branch', 'branchCode');
    expectError(await t.request('PATCH', '/api/v1/me', { address: 'x' }, member.auth), 422, 'invalid_address', 'address');
    expectError(await t.request('PATCH', '/api/v1/me', { declaredIncome: 10 }, member.auth), 422, 'income_below_minimum', 'declaredIncome');
  });

  it('adds JHT from the next unpaid month; JKK and JKM are never removable; JHT removal refused (v1)', async () => {
    const res = await t.request('PATCH', '/api/v1/me', { addPrograms: ['JHT'] }, member.auth);
    expect(res.status, JSON.stringify(res.body)).toBe(200);
    expect((await t.get('/api/v1/me', member.auth)).body.programs).toEqual(['JKK', 'JKM', 'JHT']);
    const bill = (await t.post('/api/v1/me/bills', { months: 1 }, member.auth)).body.bill;
    expect(bill.months[0].lines.map((l: { program: string }) => l.program)).toEqual(['JKK', 'JKM', 'JHT']);
    expectError(await t.request('PATCH', '/api/v1/me', { removePrograms: ['JKM'] }, member.auth), 422, 'program_required', 'removePrograms');
    expectError(await t.request('PATCH', '/api/v1/me', { removePrograms: ['JKK'] }, member.auth), 422, 'program_required', 'removePrograms');
    expectError(await t.request('PATCH', '/api/v1/me', { removePrograms: ['JHT'] }, member.auth), 422, 'program_removal_unsupported', 'removePrograms');
    expectError(await t.request('PATCH', '/api/v1/me', { addPrograms: ['JKP'] }, member.auth), 422, 'invalid_programs', 'addPrograms');
    expect((await t.get('/api/v1/me', member.auth)).body.programs).toEqual(['JKK', 'JKM', 'JHT']);
  });

  it('401 without a session', async () => {
    expectError(await t.request('PATCH', '/api/v1/me', { address: 'Jl. Lain No. 3' }), 401, 'unauthorized');
  });
});

describe('phone and e-mail changes', () => {
  it('phone: an OTP to the new number plus birth date and NIK digits; a wrong answer spends the code', async () => {
    const newPhone = makePerson().phone;
    expect((await t.post('/api/v1/me/phone', { phone: newPhone }, member.auth)).status).toBe(202);
    const code = await latestData(t, newPhone, 'otp');
    const wrong = await t.post('/api/v1/me/phone/confirm', { code, birthDate: member.person.birthDate, nikLast6: '000000' }, member.auth);
    expectError(wrong, 422, 'identity_check_failed', 'nikLast6');
    expectError(await t.post('/api/v1/me/phone/confirm', { code, birthDate: member.person.birthDate, nikLast6: member.person.nik.slice(-6) }, member.auth), 422, 'invalid_otp', 'code');
    t.clock.advance(61_000);
    expect((await t.post('/api/v1/me/phone', { phone: newPhone }, member.auth)).status).toBe(202);
    const code2 = await latestData(t, newPhone, 'otp');
    const ok = await t.post('/api/v1/me/phone/confirm', { code: code2, birthDate: member.person.birthDate, nikLast6: member.person.nik.slice(-6) }, member.auth);
    expect(ok.status, JSON.stringify(ok.body)).toBe(200);
    expect((await t.get(`/api/v1/participants/${member.kpj}`, KEY)).body.phone).toBe(ok.body.phone);
    const rows = await auditOf(member.kpj, 'participant.phone_change');
    expect(rows.map((r) => [r.actor, r.before, r.after])).toEqual([[`participant:${member.kpj}`, { phone: expect.stringMatching(/^\+62/) }, { phone: ok.body.phone }]]);
    expect(JSON.stringify(rows)).not.toContain(member.person.nik);
  });

  it('e-mail: a link to the new address; the change applies when opened, once', async () => {
    const email = `baru.${process.pid}@contoh.id`;
    expectError(await t.post('/api/v1/me/email', { email: 'not-an-email' }, member.auth), 422, 'invalid_email', 'email');
    expect((await t.post('/api/v1/me/email', { email }, member.auth)).status).toBe(202);
    const msgs = (await t.get(`/dev/outbox?to=${encodeURIComponent(email)}`)).body.messages as { data: { link: string } }[];
    const link = msgs[0]?.data.link ?? '';
    expect(link).toContain('/akun/profil/email?token=');
    const token = decodeURIComponent(link.split('token=')[1] ?? '');
    expect((await t.db.selectFrom('contact_change').select('token_hash').where('kind', '=', 'email').executeTakeFirstOrThrow()).token_hash).not.toBe(token);
    const res = await t.get(`/api/v1/me/email/confirm?token=${encodeURIComponent(token)}`, member.auth);
    expect(res.status, JSON.stringify(res.body)).toBe(200);
    expect((await t.get(`/api/v1/participants/${member.kpj}`, KEY)).body.email).toBe(email);
    expectError(await t.get(`/api/v1/me/email/confirm?token=${encodeURIComponent(token)}`, member.auth), 422, 'invalid_token', 'token');
    expect((await auditOf(member.kpj, 'participant.email_change')).map((r) => r.after)).toEqual([{ email }]);
  });

  it('e-mail: a link expires after 24 hours', async () => {
    const email = `telat.${process.pid}@contoh.id`;
    expect((await t.post('/api/v1/me/email', { email }, member.auth)).status).toBe(202);
    const link = ((await t.get(`/dev/outbox?to=${encodeURIComponent(email)}`)).body.messages as { data: { link: string } }[])[0]?.data.link ?? '';
    t.clock.advance(24 * 3_600_000 + 1_000);
    // The session has ended by then: sign in again (with the phone changed above).
    member.auth = { authorization: `Bearer ${await login(t, (await t.get(`/api/v1/participants/${member.kpj}`, KEY)).body.phone)}` };
    const token = decodeURIComponent(link.split('token=')[1] ?? '');
    expectError(await t.get(`/api/v1/me/email/confirm?token=${encodeURIComponent(token)}`, member.auth), 422, 'invalid_token', 'token');
  });
});

describe('PATCH /api/v1/staff/participants/{kpj} (the counter)', () => {
  it('requires identityChecked: true', async () => {
    expectError(await t.request('PATCH', `/api/v1/staff/participants/${member.kpj}`, { address: 'Jl. Loket No. 9', identityChecked: false }, KEY), 422, 'identity_check_required', 'identityChecked');
  });

  it('changes data and a phone (OTP to the new number, read out by the member); audited as the officer', async () => {
    const other = await activeMember(t);
    const newPhone = makePerson().phone;
    const res = await t.request('PATCH', `/api/v1/staff/participants/${other.kpj}`, { address: 'Jl. Loket No. 9, Jakarta', declaredIncome: 2_000_000, phone: newPhone, identityChecked: true }, KEY);
    expect(res.status, JSON.stringify(res.body)).toBe(200);
    expect(res.body).toMatchObject({ phoneOtpSent: true, emailLinkSent: false });
    const code = await latestData(t, newPhone, 'otp');
    const ok = await t.post(`/api/v1/staff/participants/${other.kpj}/phone/confirm`, { code, identityChecked: true }, KEY);
    expect(ok.status, JSON.stringify(ok.body)).toBe(200);
    const rows = [...(await auditOf(other.kpj, 'participant.update')), ...(await auditOf(other.kpj, 'participant.phone_change'))];
    expect(rows.map((r) => r.actor)).toEqual([expect.stringMatching(/^staff-key:/), expect.stringMatching(/^staff-key:/)]);
    expect(rows[0]?.detail).toMatchObject({ channel: 'counter' });
    expectError(await t.request('PATCH', `/api/v1/staff/participants/${other.kpj}`, { phone: '123', identityChecked: true }, KEY), 422, 'invalid_phone', 'phone');
    expectError(await t.request('PATCH', '/api/v1/staff/participants/99999999999', { address: 'Jl. Loket No. 9', identityChecked: true }, KEY), 404, 'unknown_participant', 'kpj');
  });

  it('a member token is refused (403)', async () => {
    expectError(await t.request('PATCH', `/api/v1/staff/participants/${member.kpj}`, { address: 'Jl. Loket No. 9', identityChecked: true }, member.auth), 403, 'forbidden');
  });
});

describe('the monthly dues after an income change (its own app: the clock moves)', () => {
  let app: TestApp;
  beforeAll(async () => {
    app = await createTestApp();
  });
  afterAll(async () => app.close());

  it('opens the next month at the new income; the paid month keeps the old', async () => {
    const m = await activeMember(app, { declaredIncome: 1_000_000 });
    const changed = await app.request('PATCH', '/api/v1/me', { declaredIncome: 4_000_000 }, m.auth);
    expect(changed.status, JSON.stringify(changed.body)).toBe(200);
    const me = (await app.get('/api/v1/me', m.auth)).body;
    const { runDueJobs } = await import('../../src/modules/jobs/run-due-jobs.js');
    for (const day of ['2026-12-01T08:00:00+07:00', '2026-12-01T13:00:00+07:00']) {
      app.clock.set(new Date(day));
      await runDueJobs(app.deps, { batchSize: 10, lanes: 1 });
    }
    const pid = (await app.db.selectFrom('participant').select('id').where('kpj', '=', m.kpj).executeTakeFirstOrThrow()).id;
    const dues = await app.db.selectFrom('bill').select(['first_month', 'amount', 'status']).where('participant_id', '=', pid).where('kind', '=', 'dues').execute();
    expect(dues).toEqual([{ first_month: changed.body.effectiveFrom, amount: me.nextDue.amount, status: 'open' }]);
    const paid = await app.db.selectFrom('bill').select('amount').where('payment_code', '=', m.bill.paymentCode).executeTakeFirstOrThrow();
    expect(paid.amount).toBe(m.bill.amount);
    expect(me.nextDue.amount).toBeGreaterThan(m.bill.amount);
  });
});
