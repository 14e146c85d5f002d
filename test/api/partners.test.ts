import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { expectError } from '../support/api-errors.js';
import { activeMember, addResident, makePerson, payBill, type Person } from '../support/factories.js';
import { createTestApp, type TestApp } from '../support/test-app.js';
import { runDueJobs } from '../../src/modules/jobs/index.js';
import type { JobContext } from '../../src/modules/jobs/job-queue.js';
import { processBatch } from '../../src/modules/partners/index.js';

/**
 * Partners, sponsors and government payers (issue 17; api-contract "Partners, sponsors and government payers"):
 * OAuth2 client credentials, enrolment batches in CSV and JSON, per-row codes as registration's, idempotency, one
 * bill per batch, a partner's own batches and participants only.
 */
let t: TestApp;
const STAFF = { authorization: 'Bearer dev-staff-key' };
const HEADER = 'nik,fullName,birthDate,gender,phone,email,address,occupationCode,branchCode,programs,declaredIncome,months';

interface Partner {
  partnerId: string;
  clientId: string;
  clientSecret: string;
}

async function devPartner(funding = 'partner', scopes?: string[]): Promise<Partner> {
  const res = await t.post('/dev/partners', { name: 'PT Ojol Sejahtera', funding, ...(scopes ? { scopes } : {}) });
  expect(res.status, JSON.stringify(res.body)).toBe(201);
  return res.body as Partner;
}

async function raw(method: string, path: string, body: string | undefined, headers: Record<string, string>) {
  const res = await t.app.request(path, { method, headers, ...(body !== undefined ? { body } : {}) });
  const text = await res.text();
  return { status: res.status, body: text.startsWith('{') ? JSON.parse(text) : text, headers: res.headers };
}

const basic = (id: string, secret: string) => `Basic ${Buffer.from(`${id}:${secret}`).toString('base64')}`;

function tokenRequest(form: string, authorization?: string) {
  return raw('POST', '/api/v1/oauth/token', form, { 'content-type': 'application/x-www-form-urlencoded', ...(authorization ? { authorization } : {}) });
}

async function tokenOf(p: Pick<Partner, 'clientId' | 'clientSecret'>): Promise<Record<string, string>> {
  const res = await tokenRequest('grant_type=client_credentials', basic(p.clientId, p.clientSecret));
  expect(res.status, JSON.stringify(res.body)).toBe(200);
  return { authorization: `Bearer ${res.body.access_token as string}` };
}

function csvLine(p: Person, extra: { programs?: string; income?: string; months?: string } = {}): string {
  return [p.nik, `"${p.fullName}"`, p.birthDate, p.gender, p.phone, p.email, `"${p.address}"`, p.occupationCode, p.branchCode, extra.programs ?? 'JKK;JKM;JHT', extra.income ?? '2000000', extra.months ?? '3'].join(',');
}

function jsonRow(p: Person, extra: Record<string, unknown> = {}) {
  const { consent: _c, ...person } = p;
  return { ...person, programs: ['JKK', 'JKM'], declaredIncome: 1_000_000, months: 1, ...extra };
}

async function residents(n: number): Promise<Person[]> {
  const people: Person[] = [];
  for (let i = 0; i < n; i++) {
    const p = makePerson();
    await addResident(t, p);
    people.push(p);
  }
  return people;
}

function upload(auth: Record<string, string>, body: string, type: string, key?: string) {
  return raw('POST', '/api/v1/partner/enrolment-batches', body, { ...auth, 'content-type': type, ...(key ? { 'idempotency-key': key } : {}) });
}

async function processed(auth: Record<string, string>, id: string) {
  expect((await t.post('/dev/jobs/run')).status).toBe(200);
  const view = await t.get(`/api/v1/partner/enrolment-batches/${id}`, auth);
  expect(view.status, JSON.stringify(view.body)).toBe(200);
  return view.body;
}

beforeAll(async () => {
  t = await createTestApp();
});
afterAll(async () => {
  await t.close();
});

describe('POST /api/v1/oauth/token', () => {
  it('issues a 1-hour bearer token for HTTP Basic or form credentials; wrong → 401 invalid_client', async () => {
    const p = await devPartner();
    const ok = await tokenRequest('grant_type=client_credentials', basic(p.clientId, p.clientSecret));
    expect(ok.status).toBe(200);
    expect(ok.body).toMatchObject({ token_type: 'Bearer', expires_in: 3600 });
    expect(ok.body.access_token).toMatch(/^ptn_/);
    const form = await tokenRequest(`grant_type=client_credentials&client_id=${p.clientId}&client_secret=${encodeURIComponent(p.clientSecret)}`);
    expect(form.status).toBe(200);
    expectError(await tokenRequest('grant_type=client_credentials', basic(p.clientId, 'wrong')), 401, 'invalid_client');
    expectError(await tokenRequest('grant_type=client_credentials', basic('pc_unknown', p.clientSecret)), 401, 'invalid_client');
    expectError(await tokenRequest('grant_type=client_credentials'), 401, 'invalid_client');
    expectError(await tokenRequest('grant_type=password', basic(p.clientId, p.clientSecret)), 400, 'unsupported_grant_type', 'grant_type');
  });

  it('rotation: two secrets work side by side; a revoked one (and its tokens) stops; an expired one too', async () => {
    const p = await devPartner();
    const oldAuth = await tokenOf(p);
    const second = await t.post(`/api/v1/staff/partners/${p.partnerId}/clients`, {}, STAFF);
    expect(second.status, JSON.stringify(second.body)).toBe(201);
    const newAuth = await tokenOf(second.body);
    expect((await t.get('/api/v1/partner/participants', oldAuth)).status).toBe(200);
    expect((await t.get('/api/v1/partner/participants', newAuth)).status).toBe(200);
    const revoked = await t.request('DELETE', `/api/v1/staff/partners/${p.partnerId}/clients/${p.clientId}`, undefined, STAFF);
    expect(revoked.status, JSON.stringify(revoked.body)).toBe(200);
    expectError(await tokenRequest('grant_type=client_credentials', basic(p.clientId, p.clientSecret)), 401, 'invalid_client');
    expectError(await t.get('/api/v1/partner/participants', oldAuth), 401, 'unauthorized');
    expect((await t.get('/api/v1/partner/participants', newAuth)).status).toBe(200);

    const expiring = await t.post(`/api/v1/staff/partners/${p.partnerId}/clients`, { expiresAt: new Date(t.clock.now().getTime() + 60_000).toISOString() }, STAFF);
    const expAuth = await tokenOf(expiring.body);
    t.clock.advance(61_000);
    expectError(await t.get('/api/v1/partner/participants', expAuth), 401, 'unauthorized');
    expectError(await tokenRequest('grant_type=client_credentials', basic(expiring.body.clientId, expiring.body.clientSecret)), 401, 'invalid_client');
    const audit = await t.db.selectFrom('staff_audit').select('action').where('subject', '=', `partner:${p.partnerId}`).execute();
    expect(audit.map((a) => a.action).sort()).toEqual(['partner_client.issue', 'partner_client.issue', 'partner_client.revoke']);
  });

  it('a partner token is no staff or participant token, nor the reverse; scopes are enforced; a token expires after an hour', async () => {
    const p = await devPartner('partner', ['members']);
    const auth = await tokenOf(p);
    expectError(await t.get('/api/v1/staff/participants?kpj=1', auth), 403, 'forbidden');
    expectError(await t.get('/api/v1/me', auth), 401, 'unauthorized');
    expectError(await t.get('/api/v1/partner/participants', STAFF), 401, 'unauthorized');
    expectError(await upload(auth, `${HEADER}\n`, 'text/csv', 'k-scope'), 403, 'forbidden');
    t.clock.advance(3_601_000);
    expectError(await t.get('/api/v1/partner/participants', auth), 401, 'unauthorized');
  });

  it('staff administration is admin only', async () => {
    const created = await t.post('/api/v1/staff/partners', { name: 'Pemda Kota Bekasi', funding: 'apbd' }, STAFF);
    expect(created.status, JSON.stringify(created.body)).toBe(201);
    expect(created.body).toMatchObject({ funding: 'apbd', scopes: ['enrolment', 'members', 'webhooks'] });
    expect((await tokenRequest('grant_type=client_credentials', basic(created.body.clientId, created.body.clientSecret))).status).toBe(200);
    expectError(await t.post('/api/v1/staff/partners/ptr_nope/clients', {}, STAFF), 404, 'unknown_partner', 'id');
  });
});

describe('enrolment batches', () => {
  it('CSV: per-row codes as registration gives them, duplicates in the batch, one bill for the accepted rows', async () => {
    const p = await devPartner();
    const auth = await tokenOf(p);
    const [a, b, c1, c2, c3, c4, c5, c6, c7] = (await residents(9)) as Person[] as [Person, Person, Person, Person, Person, Person, Person, Person, Person];
    const stranger = makePerson(); // not in the population registry
    const member = await activeMember(t);
    const lines = [
      csvLine(a),
      csvLine({ ...b, nik: '123' }),
      csvLine(stranger),
      csvLine(a),
      csvLine({ ...c1, phone: '12' }),
      csvLine(c2, { programs: 'JKK' }),
      csvLine(c3, { months: '2' }),
      csvLine(c4, { income: '10' }),
      csvLine({ ...c5, occupationCode: 'NOPE' }),
      csvLine({ ...c6, branchCode: 'NOPE' }),
      csvLine({ ...c7, email: 'not-an-email' }),
      csvLine(member.person),
      csvLine(b),
    ];
    const res = await upload(auth, `${HEADER}\r\n${lines.join('\r\n')}\r\n`, 'text/csv', 'csv-1');
    expect(res.status, JSON.stringify(res.body)).toBe(202);
    expect(res.body).toEqual({ id: expect.any(String), status: 'queued' });
    const view = await processed(auth, res.body.id);
    expect(view).toMatchObject({ status: 'done', total: 13, processed: 13, accepted: 2, rejected: 11 });
    expect(view.rows).toEqual([
      { row: 1, status: 'accepted' },
      { row: 2, status: 'rejected', code: 'invalid_nik', field: 'nik' },
      { row: 3, status: 'rejected', code: 'identity_mismatch', field: 'nik' },
      { row: 4, status: 'rejected', code: 'duplicate_in_batch', field: 'nik' },
      { row: 5, status: 'rejected', code: 'invalid_phone', field: 'phone' },
      { row: 6, status: 'rejected', code: 'invalid_programs', field: 'programs' },
      { row: 7, status: 'rejected', code: 'invalid_months', field: 'months' },
      { row: 8, status: 'rejected', code: 'income_below_minimum', field: 'declaredIncome' },
      { row: 9, status: 'rejected', code: 'unknown_occupation', field: 'occupationCode' },
      { row: 10, status: 'rejected', code: 'unknown_branch', field: 'branchCode' },
      { row: 11, status: 'rejected', code: 'invalid_email', field: 'email' },
      { row: 12, status: 'rejected', code: 'already_registered', field: 'nik' },
      { row: 13, status: 'accepted' },
    ]);
    const regs = await t.db.selectFrom('registration').select(['channel', 'funding', 'payer_id', 'status', 'nik_sealed']).where('payer_id', '=', p.partnerId).execute();
    expect(regs).toHaveLength(2);
    expect(regs.every((r) => r.channel === 'partner' && r.funding === 'partner' && r.status === 'submitted' && r.nik_sealed.startsWith('v1:'))).toBe(true);
    const bills = await t.db.selectFrom('bill').innerJoin('registration', 'registration.id', 'bill.registration_id').select('bill.amount').where('registration.payer_id', '=', p.partnerId).execute();
    expect(view.bill).toEqual({ paymentCode: expect.stringMatching(/^\d{16}$/), amount: bills.reduce((s, x) => s + x.amount, 0) });
    const stored = await t.db.selectFrom('partner_batch_row').select(['input']).where('batch_id', '=', res.body.id).execute();
    expect(JSON.stringify(stored)).not.toContain(a.nik);
  });

  it('JSON rows; Idempotency-Key required; same key same batch; another body under it 409', async () => {
    const p = await devPartner('apbn');
    const auth = await tokenOf(p);
    const [a] = (await residents(1)) as [Person];
    const body = JSON.stringify({ rows: [jsonRow(a, { occupationCode: 'OJOL' })] });
    expectError(await upload(auth, body, 'application/json'), 400, 'idempotency_key_required', 'Idempotency-Key');
    const first = await upload(auth, body, 'application/json', 'json-1');
    expect(first.status).toBe(202);
    const again = await upload(auth, body, 'application/json', 'json-1');
    expect(again.status).toBe(202);
    expect(again.body.id).toBe(first.body.id);
    expectError(await upload(auth, JSON.stringify({ rows: [jsonRow(a, { months: 3 })] }), 'application/json', 'json-1'), 409, 'idempotency_key_reused', 'Idempotency-Key');
    const view = await processed(auth, first.body.id);
    expect(view).toMatchObject({ status: 'done', accepted: 1, rows: [{ row: 1, status: 'accepted' }] });
    // APBN-funded: no PP 50/2025 discount on the transport sector's lines.
    const lines = await t.db
      .selectFrom('bill_line')
      .innerJoin('bill', 'bill.id', 'bill_line.bill_id')
      .innerJoin('registration', 'registration.id', 'bill.registration_id')
      .select(['bill_line.discount', 'registration.funding'])
      .where('registration.payer_id', '=', p.partnerId)
      .execute();
    expect(lines.length).toBeGreaterThan(0);
    expect(lines.every((l) => l.discount === 0 && l.funding === 'apbn')).toBe(true);
  });

  it('a malformed upload is refused whole: wrong header, broken CSV, wrong JSON types', async () => {
    const auth = await tokenOf(await devPartner());
    expectError(await upload(auth, 'nik,name\n1,2\n', 'text/csv', 'bad-1'), 400, 'invalid_request', 'header');
    expectError(await upload(auth, `${HEADER}\n"unterminated`, 'text/csv', 'bad-2'), 400, 'invalid_request', 'line 2');
    expectError(await upload(auth, JSON.stringify({ rows: [{ nik: 5 }] }), 'application/json', 'bad-3'), 400, 'invalid_request', 'rows.0.nik');
  });

  it('a NIK with an open registration of another not-yet-paid batch (of any partner) is rejected already_in_open_batch', async () => {
    const first = await tokenOf(await devPartner());
    const second = await tokenOf(await devPartner());
    const [x, y, z] = (await residents(3)) as [Person, Person, Person];
    const one = await processed(first, (await upload(first, JSON.stringify({ rows: [jsonRow(x), jsonRow(y)] }), 'application/json', 'open-1')).body.id);
    expect(one).toMatchObject({ accepted: 2, rejected: 0 });
    const two = await processed(second, (await upload(second, JSON.stringify({ rows: [jsonRow(z), jsonRow(x)] }), 'application/json', 'open-2')).body.id);
    expect(two.rows).toEqual([
      { row: 1, status: 'accepted' },
      { row: 2, status: 'rejected', code: 'already_in_open_batch', field: 'nik' },
    ]);
    // The same partner again: refused too.
    const again = await processed(first, (await upload(first, JSON.stringify({ rows: [jsonRow(y)] }), 'application/json', 'open-3')).body.id);
    expect(again.rows).toEqual([{ row: 1, status: 'rejected', code: 'already_in_open_batch', field: 'nik' }]);
  });

  it("a partner sees only its own batches and participants; GET /participants/{kpj} for those it enrolled", async () => {
    const p = await devPartner();
    const auth = await tokenOf(p);
    const other = await tokenOf(await devPartner());
    const people = await residents(2);
    const res = await upload(auth, JSON.stringify({ rows: people.map((x) => jsonRow(x)) }), 'application/json', 'own-1');
    const view = await processed(auth, res.body.id);
    expect(view.accepted).toBe(2);
    expectError(await t.get(`/api/v1/partner/enrolment-batches/${res.body.id}`, other), 404, 'unknown_batch', 'id');
    expect((await t.get('/api/v1/partner/participants', auth)).body.participants).toEqual([]);
    // The participants appear once the batch is paid (payer-bills: partner-batch-payment test); a member enrolled
    // elsewhere is 404 for this partner.
    const member = await activeMember(t);
    expectError(await t.get(`/api/v1/participants/${member.kpj}`, auth), 404, 'unknown_participant', 'kpj');
    expect((await t.get(`/api/v1/participants/${member.kpj}`, STAFF)).status).toBe(200);
    expectError(await t.get(`/api/v1/participants/${member.kpj}`, member.auth), 403, 'forbidden');
  });

  it('paying the batch bill activates every accepted row: KPJ per row, the participants listed, GET /participants/{kpj}', async () => {
    const p = await devPartner();
    const auth = await tokenOf(p);
    const other = await tokenOf(await devPartner());
    const people = await residents(3);
    const rows = [...people.map((x) => jsonRow(x, { months: 3 })), jsonRow({ ...makePerson(), phone: '12' })];
    const res = await upload(auth, JSON.stringify({ rows }), 'application/json', 'pay-1');
    const view = await processed(auth, res.body.id);
    expect(view).toMatchObject({ accepted: 3, rejected: 1 });
    const paid = await payBill(t, view.bill);
    expect(paid.body).toEqual({ status: 'applied' });
    const after = await processed(auth, res.body.id);
    const kpjs = after.rows.filter((r: { status: string }) => r.status === 'accepted').map((r: { kpj?: string }) => r.kpj);
    expect(kpjs).toHaveLength(3);
    expect(kpjs.every((k: unknown) => typeof k === 'string' && /^\d{11}$/.test(k))).toBe(true);
    const listed = await t.get('/api/v1/partner/participants', auth);
    expect(listed.body.participants.map((x: { kpj: string }) => x.kpj).sort()).toEqual([...kpjs].sort());
    expect(listed.body.participants.every((x: { status: string; coveredThrough: string }) => x.status === 'active' && /^\d{4}-\d{2}$/.test(x.coveredThrough))).toBe(true);
    const detail = await t.get(`/api/v1/participants/${kpjs[0]}`, auth);
    expect(detail.status, JSON.stringify(detail.body)).toBe(200);
    expect(detail.body).toMatchObject({ kpj: kpjs[0], status: 'active', funding: 'partner' });
    expectError(await t.get(`/api/v1/participants/${kpjs[0]}`, other), 404, 'unknown_participant', 'kpj');
    // A linked member bill cannot be paid on its own.
    const memberBill = await t.db.selectFrom('partner_batch_row').innerJoin('bill', 'bill.id', 'partner_batch_row.bill_id').select(['bill.payment_code', 'bill.amount']).where('batch_id', '=', res.body.id).executeTakeFirstOrThrow();
    expect((await payBill(t, { paymentCode: memberBill.payment_code, amount: memberBill.amount })).body).toMatchObject({ status: 'unmatched' });
  });

  it('a runner that dies mid-batch leaves its committed chunks; the next run resumes after them, enrolling no row twice', async () => {
    const p = await devPartner();
    const auth = await tokenOf(p);
    const people = await residents(5);
    const res = await upload(auth, JSON.stringify({ rows: people.map((x) => jsonRow(x)) }), 'application/json', 'crash-1');
    // The first attempt writes chunks of 2 rows through the job's fenced batches and dies after the second chunk.
    const crashing = async (ctx: JobContext) => {
      let chunks = 0;
      await processBatch(ctx.deps, String(ctx.job.payload['batchId']), Number(ctx.job.progress.cursor ?? '0'), {
        write: async (step) => {
          if (chunks === 2) {
            throw new Error('runner died');
          }
          chunks += 1;
          return ctx.batch(async (trx, progress) => {
            const result = await step(trx);
            return { progress: { ...progress, done: Number(result), cursor: String(result) }, result };
          });
        },
      }, 2);
    };
    await runDueJobs(t.deps, { handlers: { 'partner-batch': crashing } });
    const half = await t.get(`/api/v1/partner/enrolment-batches/${res.body.id}`, auth);
    expect(half.body).toMatchObject({ status: 'running', processed: 4, accepted: 4 });
    t.clock.advance(61_000); // past the retry backoff
    const done = await processed(auth, res.body.id);
    expect(done).toMatchObject({ status: 'done', total: 5, processed: 5, accepted: 5, bill: { amount: expect.any(Number) } });
    const regs = await t.db.selectFrom('registration').select('id').where('payer_id', '=', p.partnerId).execute();
    expect(regs).toHaveLength(5);
  });
});


describe('POST /api/v1/oauth/token is rate-limited per client IP like other sign-ins', () => {
  it('partner-token-ip=2/60: the third request from one address is 429 rate_limited, another address is served', async () => {
    const limited = await createTestApp({ env: { RATE_LIMITS: 'partner-token-ip=2/60' } });
    try {
      const ask = async (address: string) => {
        const res = await limited.app.request(
          '/api/v1/oauth/token',
          { method: 'POST', headers: { 'content-type': 'application/x-www-form-urlencoded', authorization: basic('pc_x', 'y') }, body: 'grant_type=client_credentials' },
          { incoming: { socket: { remoteAddress: address } } },
        );
        return { status: res.status, body: await res.json(), headers: res.headers };
      };
      expect((await ask('203.0.113.7')).status).toBe(401);
      expect((await ask('203.0.113.7')).status).toBe(401);
      expectError(await ask('203.0.113.7'), 429, 'rate_limited');
      expect((await ask('203.0.113.8')).status).toBe(401);
    } finally {
      await limited.close();
    }
  });
});
