import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { expectError } from '../support/api-errors.js';
import { claimsTestApp, fileMemberClaim, fileStaffClaim, jhtClaimBody, jhtMember, STAFF_PASSWORD, verify, verifyAndApprove, type ClaimsStaff } from '../support/claims.js';
import { errorBody } from '../../src/http/errors.js';
import type { TestApp } from '../support/test-app.js';

/**
 * Issue 15 loose ends: the NPWP of a JHT claim (refused without it above Rp50.000.000 or after a partial claim, filed
 * with it, the NPWP card then a required document), the staff lockout's own message, the verification's failures in
 * the staff view, one email and one SMS when a claim is paid.
 */
let t: TestApp;
let staff: ClaimsStaff;
beforeAll(async () => {
  ({ t, staff } = await claimsTestApp());
});
afterAll(async () => t.close());

const NPWP = '012345678901000';

/** Credits the member's JHT account with `amount` (a contribution history the test does not need to pay). */
async function creditJht(kpj: string, amount: number) {
  await sql`insert into ledger_transfer (id, debit_account, credit_account, amount, code, ref, created_at)
    values (${`test-jht:${kpj}`}, 'clearing:va', ${`jht:${kpj}`}, ${amount}, 'contribution_jht', 'test', now())`.execute(t.db);
}

describe('NPWP on a JHT claim', () => {
  it('above Rp50.000.000 without an NPWP: 422 not_eligible with the rule text; with it: filed, the NPWP card required', async () => {
    const m = await jhtMember(t);
    await creditJht(m.kpj, 60_000_000);
    const body = { kpj: m.kpj, type: 'JHT', reason: 'stopped_working', reasonDate: '2026-09-01' };
    const refused = await fileStaffClaim(t, staff.counter, body, 422);
    expectError(refused, 422, 'not_eligible');
    expect(refused.body.error.failures.map((f: { rule: string }) => f.rule)).toEqual(['npwpRequired']);
    expect(refused.body.error.message).toMatch(/NPWP wajib untuk klaim JHT ini \(saldo di atas Rp50\.000\.000/);
    expect(refused.body.error.message).toMatch(/Isi NPWP Anda/);

    const id = (await fileStaffClaim(t, staff.counter, { ...body, npwp: NPWP })).body.id as string;
    const row = await t.db.selectFrom('claim').select(['npwp', 'flags']).where('id', '=', id).executeTakeFirstOrThrow();
    expect(row).toEqual({ npwp: NPWP, flags: ['npwp_required'] });
    const view = await t.get(`/api/v1/staff/claims/${id}`, staff.verifier);
    expect(view.body.npwp).toBe('***********1000');
    expect(view.body.flags).toEqual(['npwp_required']);
    expect(view.body.eligibility.flags).toEqual([{ rule: 'npwp_required', message: expect.stringMatching(/Rp50\.000\.000.*NPWP sudah diisi/), todo: expect.stringMatching(/kartu NPWP/) }]);
    const docs = await t.get(`/api/v1/staff/claims/${id}/documents`, staff.verifier);
    expect(docs.body.missing.map((d: { kind: string }) => d.kind)).toContain('npwp');
  });

  it('after a partial claim the NPWP is required, whatever the balance', async () => {
    const m = await jhtMember(t, { months: 3 });
    await sql`update participant set created_at = '2015-01-01T00:00:00Z' where id = ${m.participantId}`.execute(t.db);
    const partial = (await fileMemberClaim(t, m.auth, jhtClaimBody({ reason: 'partial_10', reasonDate: undefined }))).body.id as string;
    const docs = await t.get(`/api/v1/me/claims/${partial}/documents`, m.auth);
    expect(docs.body.missing.map((d: { kind: string }) => d.kind)).not.toContain('npwp');
    await verifyAndApprove(t, staff, partial);
    await sql`update claim set status = 'paid' where id = ${partial}`.execute(t.db);

    const refused = await fileMemberClaim(t, m.auth, jhtClaimBody(), 422);
    expectError(refused, 422, 'not_eligible');
    expect(refused.body.error.failures.map((f: { rule: string }) => f.rule)).toEqual(['npwpRequired']);
    const id = (await fileMemberClaim(t, m.auth, jhtClaimBody({ npwp: `${NPWP}1` }))).body.id as string;
    const mine = await t.get(`/api/v1/me/claims/${id}/documents`, m.auth);
    expect(mine.body.missing.map((d: { kind: string }) => d.kind)).toContain('npwp');
  });

  it('an NPWP that is not 15 or 16 digits is 400 invalid_request', async () => {
    const m = await jhtMember(t);
    for (const npwp of ['01234567890123', '01.234.567.8-901.000', '01234567890123456']) {
      expectError(await fileMemberClaim(t, m.auth, jhtClaimBody({ npwp }), 400), 400, 'invalid_request', 'npwp');
    }
  });
});

/** 36 covered months before the member joined: the JKM scholarship's contribution condition. */
async function addPastCoverage(participantId: string) {
  const bill = await t.db.selectFrom('coverage_month').select('bill_id').where('participant_id', '=', participantId).executeTakeFirstOrThrow();
  for (let i = 0; i < 36; i++) {
    const month = new Date(Date.UTC(2023, 9 + i, 1)).toISOString().slice(0, 7);
    await sql`insert into coverage_month (participant_id, month, bill_id, settled_at) values (${participantId}, ${month}, ${bill.bill_id}, ${`${month}-01T00:00:00Z`}) on conflict do nothing`.execute(t.db);
  }
}

describe('the staff view explains what the verification did not pay', () => {
  it('JKM with 3 children: the one aged 24 and the third (beyond the 2-children cap) get no scholarship, each with its reason', async () => {
    const m = await jhtMember(t);
    await addPastCoverage(m.participantId);
    const children = [
      { fullName: 'Anak Satu', birthDate: '2015-03-01', schoolLevel: 'SD' },
      { fullName: 'Anak Dua', birthDate: '2002-06-01', schoolLevel: 'PT' },
      { fullName: 'Anak Tiga', birthDate: '2012-03-01', schoolLevel: 'SMP' },
    ];
    const heir = { nik: '3174011203850003', fullName: 'Siti Aminah', relationship: 'spouse', phone: '081234567890' };
    const at = t.clock.now().toISOString();
    t.clock.set(new Date(t.clock.now().getTime() + 3_600_000));
    const id = (await fileStaffClaim(t, staff.counter, { kpj: m.kpj, type: 'JKM', event: { at, kind: 'death' }, claimant: heir, children })).body.id as string;
    expect((await t.get(`/api/v1/staff/claims/${id}`, staff.verifier)).body.eligibility.failures).toEqual([]);
    const verified = await verify(t, staff.verifier, id);
    expect(verified.body.lines.filter((l: { benefit: string }) => l.benefit === 'scholarship')).toEqual([{ benefit: 'scholarship', amount: 1_500_000, child: 'Anak Satu' }]);
    expect(verified.body.eligibility.failures).toEqual([
      { code: 'not_eligible', rule: 'childTooOld', message: 'Anak Dua sudah berusia 24 tahun; beasiswa berakhir pada usia 23 tahun.', todo: 'Beasiswa untuk anak ini tidak dapat diberikan lagi.' },
      { code: 'not_eligible', rule: 'childOverLimit', message: 'Beasiswa paling banyak untuk 2 anak; Anak Tiga di luar batas itu.', todo: 'Pilih 2 anak penerima beasiswa.' },
    ]);
    const en = await t.get(`/api/v1/staff/claims/${id}`, { ...staff.verifier, 'accept-language': 'en' });
    expect(en.body.eligibility.failures.map((f: { message: string }) => f.message)).toEqual([
      'Anak Dua is 24; the scholarship ends at 23.',
      'The scholarship is for at most 2 children; Anak Tiga is beyond that.',
    ]);
  });
});

describe('a locked staff account', () => {
  it('keeps the code too_many_attempts (429) with a staff text, not the OTP one', async () => {
    const username = `kunci-${process.pid}`;
    expect((await t.post('/dev/staff', { username, password: STAFF_PASSWORD, roles: ['counter'] })).status).toBe(201);
    for (let i = 0; i < 5; i += 1) {
      expectError(await t.post('/api/v1/staff/sessions', { username, password: 'salah-salah-salah' }), 401, 'invalid_credentials');
    }
    const locked = await t.post('/api/v1/staff/sessions', { username, password: STAFF_PASSWORD });
    expectError(locked, 429, 'too_many_attempts');
    expect(locked.body.error.message).toBe('Terlalu banyak percobaan masuk yang salah. Akun staf ini dikunci selama 15 menit — coba lagi setelah itu, atau hubungi administrator.');
    const en = await t.post('/api/v1/staff/sessions', { username, password: STAFF_PASSWORD }, { 'accept-language': 'en' });
    expect(en.body.error).toMatchObject({ code: 'too_many_attempts', message: expect.stringMatching(/^Too many failed sign-in attempts\. This staff account is locked for 15 minutes/) });
    // Every other too_many_attempts keeps the code's own text (a member's OTP).
    expect(errorBody('too_many_attempts', 'id').error.message).toMatch(/kode OTP baru.*nomor HP ini dikunci/);
  });
});

describe('a paid claim tells the member once', () => {
  it('exactly one email and one SMS when the payout is paid, each with the amount and the masked account', async () => {
    const m = await jhtMember(t);
    const { email, phone } = await t.db.selectFrom('participant').select(['email', 'phone']).where('kpj', '=', m.kpj).executeTakeFirstOrThrow();
    const id = (await fileMemberClaim(t, m.auth, jhtClaimBody())).body.id as string;
    const approved = await verifyAndApprove(t, staff, id);
    const total = approved.body.total as number;
    const seen = (await t.db.selectFrom('outbox_message').select('id').where('recipient', 'in', [email, phone]).execute()).map((r) => r.id);
    expect((await t.post('/dev/jobs/run')).status).toBe(200);
    expect((await t.get(`/api/v1/me/claims/${id}`, m.auth)).body.status).toBe('paid');
    const sent = await t.db
      .selectFrom('outbox_message')
      .select(['channel', 'template', 'subject', 'body'])
      .where('recipient', 'in', [email, phone])
      .where('id', 'not in', seen)
      .orderBy('channel')
      .execute();
    expect(sent.map((r) => [r.channel, r.template])).toEqual([
      ['email', 'claim_paid_email'],
      ['sms', 'claim_paid_sms'],
    ]);
    const amount = `Rp${total.toLocaleString('de-DE')}`;
    for (const r of sent) {
      expect(r.body).toContain(amount);
      expect(r.body).toContain('BCA ******7890');
      expect(r.body).not.toContain('1234567890');
    }
    expect(sent[0]!.subject).toBe(`Klaim JHT Anda — KPJ ${m.kpj}`);
    expect(sent[0]!.body).toContain(`(nomor ${id})`);
  });
});
