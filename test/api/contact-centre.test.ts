import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { expectError, outbox } from '../support/api-errors.js';
import { staffHeaders, type Headers } from '../support/claims.js';
import { activeMember, latestData, login } from '../support/factories.js';
import { createTestApp, type TestApp } from '../support/test-app.js';

/**
 * The contact centre (issue 16 item 4): the search by NIK, phone, KPJ or name + birth date, a member's timeline (no
 * OTP code ever), the actions (resend the card, resend the payment code, unlock the OTP) and complaint tickets with
 * their SLA — every action audited with its reason, roles per the staff policy.
 */
let t: TestApp;
let cc: Headers;
let counter: Headers;
let supervisor: Headers;
let finance: Headers;

beforeAll(async () => {
  t = await createTestApp();
  cc = await staffHeaders(t, ['contact_centre']);
  counter = await staffHeaders(t, ['counter']);
  supervisor = await staffHeaders(t, ['supervisor']);
  finance = await staffHeaders(t, ['finance']);
});
afterAll(async () => t.close());

const reason = { reason: 'Peserta menelepon, minta dikirim ulang' };

describe('search', () => {
  it('finds by NIK, phone, KPJ, or name + birth date (case and spaces ignored); never the NIK', async () => {
    const m = await activeMember(t, { person: { fullName: 'Dewi Kartika Sari', birthDate: '1991-03-14' } });
    const queries = [`nik=${m.person.nik}`, `phone=${m.person.phone}`, `kpj=${m.kpj}`, `name=${encodeURIComponent('  dewi   KARTIKA sari ')}&birthDate=1991-03-14`];
    for (const q of queries) {
      const res = await t.get(`/api/v1/staff/participants?${q}`, cc);
      expect(res.status, q).toBe(200);
      expect(res.body.participants).toContainEqual(expect.objectContaining({ kpj: m.kpj, fullName: 'Dewi Kartika Sari' }));
      expect(JSON.stringify(res.body)).not.toContain(m.person.nik);
    }
    const wrongDate = await t.get(`/api/v1/staff/participants?name=Dewi%20Kartika%20Sari&birthDate=1991-03-15`, cc);
    expect(wrongDate.body.participants).toEqual([]);
    expectError(await t.get('/api/v1/staff/participants?name=Dewi', cc), 400, 'invalid_request', 'birthDate');
    expectError(await t.get(`/api/v1/staff/participants?name=Dewi&birthDate=1991-03-14&kpj=${m.kpj}`, cc), 400, 'invalid_request', 'name');
    expect((await t.get(`/api/v1/staff/participants?kpj=${m.kpj}`, finance)).status).toBe(403);
  });
});

describe('timeline', () => {
  it('shows bills, payments, messages and complaints newest first, paged, and never an OTP code or message body', async () => {
    const m = await activeMember(t);
    const otp = await latestData(t, m.person.phone, 'otp');
    const bill = await t.post('/api/v1/me/bills', { months: 1 }, m.auth);
    expect(bill.status).toBe(201);
    const res = await t.get(`/api/v1/staff/participants/${m.kpj}/timeline`, cc);
    expect(res.status).toBe(200);
    const kinds = (res.body.events as { kind: string }[]).map((e) => e.kind);
    expect(kinds).toEqual(expect.arrayContaining(['bill_issued', 'bill_paid', 'payment', 'message']));
    const ats = (res.body.events as { at: string }[]).map((e) => e.at);
    expect([...ats].sort().reverse()).toEqual(ats);
    const messages = (res.body.events as { kind: string; detail: Record<string, unknown> }[]).filter((e) => e.kind === 'message');
    expect(messages.map((e) => e.detail['template'])).toEqual(expect.arrayContaining(['login_otp', 'registration_otp', 'card_issued']));
    const text = JSON.stringify(res.body);
    expect(text).not.toContain(otp);
    expect(text).not.toContain(m.person.nik);
    expect(text).not.toMatch(/"body"|"otp"/);
    const page0 = await t.get(`/api/v1/staff/participants/${m.kpj}/timeline?pageSize=2`, counter);
    const page1 = await t.get(`/api/v1/staff/participants/${m.kpj}/timeline?pageSize=2&page=1`, supervisor);
    expect(page0.body).toMatchObject({ page: 0, pageSize: 2, hasMore: true });
    expect(page0.body.events).toEqual(res.body.events.slice(0, 2));
    expect(page1.body.events).toEqual(res.body.events.slice(2, 4));
    expect((await t.get(`/api/v1/staff/participants/${m.kpj}/timeline`, finance)).status).toBe(403);
    expectError(await t.get('/api/v1/staff/participants/99999999999/timeline', cc), 404, 'unknown_participant', 'kpj');
  });
});

describe('actions', () => {
  it('resends the card email, audited with the reason', async () => {
    const m = await activeMember(t);
    const before = (await outbox(t, m.person.email)).length;
    const res = await t.post(`/api/v1/staff/participants/${m.kpj}/card-resend`, reason, cc);
    expect(res.status, JSON.stringify(res.body)).toBe(200);
    const mails = await outbox(t, m.person.email);
    expect(mails.length).toBe(before + 1);
    expect(mails[0]?.subject).toContain(m.kpj);
    const audit = await t.get(`/api/v1/staff/audit?entity=${encodeURIComponent(`participant:${m.kpj}`)}`, supervisor);
    expect(JSON.stringify(audit.body)).toContain('contact.card_resend');
    expect(JSON.stringify(audit.body)).toContain(reason.reason);
    expect((await t.post(`/api/v1/staff/participants/${m.kpj}/card-resend`, reason, counter)).status).toBe(403);
    expect((await t.post(`/api/v1/staff/participants/${m.kpj}/card-resend`, {}, cc)).status).toBe(400);
  });

  it("resends the open bill's payment code; none open: no_open_bill", async () => {
    const m = await activeMember(t);
    expectError(await t.post(`/api/v1/staff/participants/${m.kpj}/payment-code-resend`, reason, cc), 409, 'no_open_bill');
    const bill = await t.post('/api/v1/me/bills', { months: 1 }, m.auth);
    const code = bill.body.bill.paymentCode as string;
    const res = await t.post(`/api/v1/staff/participants/${m.kpj}/payment-code-resend`, reason, cc);
    expect(res.body).toEqual({ paymentCode: code, channels: ['email', 'sms'] });
    expect((await outbox(t, m.person.email))[0]?.body).toContain(code);
    const sms = (await outbox(t, m.person.phone))[0];
    expect(sms?.body).toContain(code);
    expect(sms?.body.length).toBeLessThanOrEqual(160);
  });

  it('unlocks a phone locked for the day by wrong codes', async () => {
    const m = await activeMember(t);
    // Registration and sign-in used 2 of today's 5 codes; 3 more, then wrong tries until the last code is dead: no
    // code is left today and the right one is refused.
    for (let i = 0; i < 4; i += 1) {
      t.clock.advance(61_000);
      expect((await t.post('/api/v1/auth/otp', { phone: m.person.phone })).status).toBe(202);
      for (let j = 0; j < (i === 3 ? 4 : 2); j += 1) {
        await t.post('/api/v1/auth/verify', { phone: m.person.phone, code: '000000' });
      }
    }
    const code = await latestData(t, m.person.phone, 'otp');
    expectError(await t.post('/api/v1/auth/verify', { phone: m.person.phone, code }), 429, 'too_many_attempts', 'code');
    const res = await t.post(`/api/v1/staff/participants/${m.kpj}/otp-unlock`, reason, cc);
    expect(res.status).toBe(200);
    expect(res.body).toEqual({ failedAttemptsToday: 9, codesIssuedToday: 5, challengeClosed: true });
    t.clock.advance(61_000);
    expect(await login(t, m.person.phone)).toMatch(/.+/);
    const audit = await t.get(`/api/v1/staff/audit?entity=${encodeURIComponent(`participant:${m.kpj}`)}`, supervisor);
    expect(JSON.stringify(audit.body)).toContain('contact.otp_unlock');
    expect(JSON.stringify(audit.body)).not.toContain(m.person.phone);
  });
});

describe('complaints', () => {
  it('opens with a working-day SLA, lists, resolves once; roles per policy', async () => {
    const m = await activeMember(t);
    const opened = await t.post(`/api/v1/staff/participants/${m.kpj}/complaints`, { category: 'payment', description: 'Sudah bayar tapi status belum aktif' }, cc);
    expect(opened.status, JSON.stringify(opened.body)).toBe(201);
    expect(opened.body).toMatchObject({ kpj: m.kpj, category: 'payment', status: 'open', overdue: false, resolution: null });
    const days = (Date.parse(opened.body.slaDueAt) - Date.parse(opened.body.openedAt)) / 86_400_000;
    expect(days).toBeGreaterThanOrEqual(2);
    expect(days).toBeLessThanOrEqual(6);
    expect((await t.post(`/api/v1/staff/participants/${m.kpj}/complaints`, { category: 'payment', description: 'x' }, counter)).status).toBe(403);
    expect((await t.post(`/api/v1/staff/participants/${m.kpj}/complaints`, { category: 'weather', description: 'Hujan terus' }, cc)).status).toBe(400);
    const list = await t.get(`/api/v1/staff/participants/${m.kpj}/complaints`, counter);
    expect(list.body.complaints.map((c: { id: string }) => c.id)).toEqual([opened.body.id]);
    const resolved = await t.post(`/api/v1/staff/complaints/${opened.body.id}/resolve`, { resolution: 'Pembayaran sudah masuk, status aktif' }, cc);
    expect(resolved.body).toMatchObject({ status: 'resolved', resolution: 'Pembayaran sudah masuk, status aktif' });
    expectError(await t.post(`/api/v1/staff/complaints/${opened.body.id}/resolve`, { resolution: 'lagi' }, cc), 409, 'complaint_resolved');
    expectError(await t.post('/api/v1/staff/complaints/cmp_nope/resolve', { resolution: 'lagi' }, cc), 404, 'unknown_complaint', 'id');
    expect((await t.post(`/api/v1/staff/complaints/${opened.body.id}/resolve`, { resolution: 'lagi' }, supervisor)).status).toBe(403);
    const timeline = await t.get(`/api/v1/staff/participants/${m.kpj}/timeline`, cc);
    expect(timeline.body.events.slice(0, 2).map((e: { kind: string }) => e.kind)).toEqual(['complaint_resolved', 'complaint_opened']);
  });
});
