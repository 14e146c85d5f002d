import { expect } from 'vitest';
import { sql } from 'kysely';
import { activeMember } from './factories.js';
import { createTestApp, type TestApp, type TestAppOptions, type TestResponse } from './test-app.js';

/**
 * Claims through the API (api-contract.md "Claims"): staff sessions for the claims roles, filing by the member or at
 * the counter, and the officers' steps. Shared by the claims, payouts and documents tests.
 */
export const BANK = { bankCode: 'BCA', accountNumber: '1234567890', accountName: 'Budi Santoso' };
export const STAFF_PASSWORD = 'kata-sandi-staf-123';

export type Headers = Record<string, string>;
export interface ClaimsStaff {
  counter: Headers;
  verifier: Headers;
  approver: Headers;
  /** Holds both officer roles: verifying and then approving the same claim is the four-eyes case. */
  both: Headers;
  supervisor: Headers;
}

let staffSeq = 0;

/** Back to a fresh module's sequence (test/support/per-file.ts). */
export function resetStaffSeq(): void {
  staffSeq = 0;
}

/** A staff account with `roles`, signed in: its Authorization header. */
export async function staffHeaders(t: TestApp, roles: string[], name = roles.join('-').replace(/_/g, '')): Promise<Headers> {
  const username = `${name}-${process.pid}-${++staffSeq}`;
  const made = await t.post('/dev/staff', { username, password: STAFF_PASSWORD, roles });
  expect(made.status, JSON.stringify(made.body)).toBe(201);
  const session = await t.post('/api/v1/staff/sessions', { username, password: STAFF_PASSWORD });
  expect(session.status, JSON.stringify(session.body)).toBe(200);
  return { authorization: `Bearer ${session.body.token as string}` };
}

/** One account per claims role (and one holding both officer roles). */
export async function claimsStaff(t: TestApp): Promise<ClaimsStaff> {
  return {
    counter: await staffHeaders(t, ['counter']),
    verifier: await staffHeaders(t, ['claims_verifier']),
    approver: await staffHeaders(t, ['claims_approver']),
    both: await staffHeaders(t, ['claims_verifier', 'claims_approver']),
    supervisor: await staffHeaders(t, ['supervisor']),
  };
}

/** A test app with one signed-in account per claims role. */
export async function claimsTestApp(options: TestAppOptions = {}): Promise<{ t: TestApp; staff: ClaimsStaff }> {
  const t = await createTestApp(options);
  return { t, staff: await claimsStaff(t) };
}

/** An active member paying JKK, JKM and JHT (so a JHT balance exists), with their session header. */
export async function jhtMember(t: TestApp, options: { months?: number; declaredIncome?: number } = {}) {
  const m = await activeMember(t, { programs: ['JKK', 'JKM', 'JHT'], months: options.months ?? 1, declaredIncome: options.declaredIncome ?? 1_000_000 });
  const id = (await t.db.selectFrom('participant').select('id').where('kpj', '=', m.kpj).executeTakeFirstOrThrow()).id;
  return { ...m, participantId: id };
}

/** The member's JHT balance (GET /me/jht). */
export async function jhtBalance(t: TestApp, auth: Headers): Promise<number> {
  const res = await t.get('/api/v1/me/jht', auth);
  expect(res.status).toBe(200);
  return res.body.balance as number;
}

/** A JHT withdrawal the member files (stopped working two months before the test clock's day). */
export function jhtClaimBody(overrides: Record<string, unknown> = {}) {
  return { type: 'JHT', reason: 'stopped_working', reasonDate: '2026-09-01', bankAccount: BANK, ...overrides };
}

export async function fileMemberClaim(t: TestApp, auth: Headers, body: Record<string, unknown>, expected = 201): Promise<TestResponse> {
  const res = await t.post('/api/v1/me/claims', body, auth);
  expect(res.status, JSON.stringify(res.body)).toBe(expected);
  return res;
}

export async function fileStaffClaim(t: TestApp, counter: Headers, body: Record<string, unknown>, expected = 201): Promise<TestResponse> {
  const res = await t.post('/api/v1/staff/claims', { bankAccount: BANK, ...body }, counter);
  expect(res.status, JSON.stringify(res.body)).toBe(expected);
  return res;
}

export async function verify(t: TestApp, officer: Headers, id: string, body: Record<string, unknown> = {}, expected = 200): Promise<TestResponse> {
  const res = await t.post(`/api/v1/staff/claims/${id}/verify`, body, officer);
  expect(res.status, JSON.stringify(res.body)).toBe(expected);
  return res;
}

export async function approve(t: TestApp, officer: Headers, id: string, expected = 200): Promise<TestResponse> {
  const res = await t.post(`/api/v1/staff/claims/${id}/approve`, {}, officer);
  expect(res.status, JSON.stringify(res.body)).toBe(expected);
  return res;
}

/** Verify (with `verifyBody`, e.g. a JKK assessment) and approve by two officers: the approved claim's view. */
export async function verifyAndApprove(t: TestApp, staff: ClaimsStaff, id: string, verifyBody: Record<string, unknown> = {}): Promise<TestResponse> {
  await verify(t, staff.verifier, id, verifyBody);
  return approve(t, staff.approver, id);
}

/** The ledger transfers of a claim's approval (`claim:<id>`, `jht-interim:<id>`). */
export async function claimTransfers(t: TestApp, claimId: string) {
  const { rows } = await sql<{ id: string; debit_account: string; credit_account: string; amount: string; code: string }>`
    select id, debit_account, credit_account, amount, code from ledger_transfer where id in (${`claim:${claimId}`}, ${`jht-interim:${claimId}`}) order by id`.execute(t.db);
  return rows.map((r) => ({ ...r, amount: Number(r.amount) }));
}
