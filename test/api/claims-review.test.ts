import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { guardRefusal } from '../../src/modules/claims/review.js';
import { expectError, outbox } from '../support/api-errors.js';
import { approve, claimsTestApp, claimTransfers, staffHeaders, fileMemberClaim, jhtClaimBody, jhtMember, verify, type ClaimsStaff } from '../support/claims.js';
import type { TestApp } from '../support/test-app.js';

/**
 * The officers' side of a claim (api-contract.md "Claims"): reject, return and resubmit, four eyes (409
 * same_officer), transitions from the wrong state (409 invalid_transition), the queue and the staff view, each
 * transition in the history, the audit and the member's messages.
 */
let t: TestApp;
let staff: ClaimsStaff;
beforeAll(async () => {
  ({ t, staff } = await claimsTestApp());
});
afterAll(async () => t.close());

async function filed() {
  const m = await jhtMember(t);
  const id = (await fileMemberClaim(t, m.auth, jhtClaimBody())).body.id as string;
  return { m, id };
}

const post = (path: string, body: unknown, headers: Record<string, string>) => t.post(`/api/v1/staff/claims/${path}`, body, headers);

describe('reject', () => {
  it('a verified claim rejected by the approver, with its reason in the history and the audit; the member is told', async () => {
    const { m, id } = await filed();
    await verify(t, staff.verifier, id);
    const res = await post(`${id}/reject`, { reason: 'Surat keterangan berhenti kerja palsu' }, staff.approver);
    expect(res.status, JSON.stringify(res.body)).toBe(200);
    expect(res.body).toMatchObject({ status: 'rejected', decisionReason: 'Surat keterangan berhenti kerja palsu' });
    expect(res.body.history.at(-1)).toMatchObject({ status: 'rejected', reason: 'Surat keterangan berhenti kerja palsu' });
    const audit = await t.get(`/api/v1/staff/audit?entity=claim:${id}`, { authorization: 'Bearer dev-staff-key' });
    expect(audit.body.events.map((e: { action: string }) => e.action)).toEqual(['claim.verify', 'claim.reject']);
    const mail = await outbox(t, m.person.email);
    expect(mail[0]?.body).toMatch(/ditolak/);
    expect(mail[0]?.body).toMatch(/palsu/);
    // Rejected is final: a new claim of the type may be filed.
    expectError(await post(`${id}/approve`, {}, staff.approver), 409, 'invalid_transition');
    await fileMemberClaim(t, m.auth, jhtClaimBody());
  });

  it('a reason is required (400)', async () => {
    const { id } = await filed();
    expect((await post(`${id}/reject`, { reason: '  ' }, staff.verifier)).status).toBe(400);
  });
});

describe('return and resubmit', () => {
  it('the verifier returns a submitted claim; the member resubmits it; it is verified afresh', async () => {
    const { m, id } = await filed();
    const returned = await post(`${id}/return`, { reason: 'Foto KTP tidak terbaca' }, staff.verifier);
    expect(returned.status, JSON.stringify(returned.body)).toBe(200);
    expect(returned.body.status).toBe('returned');
    expect((await outbox(t, m.person.phone))[0]?.body).toMatch(/DIKEMBALIKAN/);
    expectError(await post(`${id}/verify`, {}, staff.verifier), 409, 'invalid_transition');
    const again = await t.post(`/api/v1/me/claims/${id}/resubmit`, {}, m.auth);
    expect(again.status, JSON.stringify(again.body)).toBe(200);
    expect(again.body.history.map((h: { status: string; actor: string }) => `${h.status}:${h.actor}`)).toEqual([
      `submitted:participant:${m.kpj}`,
      expect.stringMatching(/^returned:claimsverifier-/),
      `submitted:participant:${m.kpj}`,
    ]);
    expectError(await t.post(`/api/v1/me/claims/${id}/resubmit`, {}, m.auth), 409, 'invalid_transition');
    await verify(t, staff.verifier, id);
  });

  it('an approver may not return a claim (403)', async () => {
    const { id } = await filed();
    expectError(await post(`${id}/return`, { reason: 'x' }, staff.approver), 403, 'forbidden');
  });
});

describe('four eyes and the state machine', () => {
  it('409 same_officer: the verifier may not approve, even holding both roles; another approver may', async () => {
    const { id } = await filed();
    await verify(t, staff.both, id);
    expectError(await approve(t, staff.both, id, 409), 409, 'same_officer');
    await approve(t, staff.approver, id);
  });

  it('409 invalid_transition: approve a submitted claim, verify an approved one', async () => {
    const { id } = await filed();
    expectError(await approve(t, staff.approver, id, 409), 409, 'invalid_transition');
    await verify(t, staff.verifier, id);
    await approve(t, staff.approver, id);
    expectError(await verify(t, staff.verifier, id, {}, 409), 409, 'invalid_transition');
    expectError(await post(`${id}/reject`, { reason: 'x' }, staff.approver), 409, 'invalid_transition');
  });

  it("the database trigger's refusals map to the contract's 409s, never a 500", async () => {
    const { id } = await filed();
    const trap = await sql`update claim set status = 'approved' where id = ${id}`.execute(t.db).catch((e: unknown) => e);
    expect(guardRefusal(trap)?.code).toBe('invalid_transition');
    const both = await sql<{ id: string }>`select id from staff_account where 'claims_verifier' = any (roles) and 'claims_approver' = any (roles) limit 1`.execute(t.db);
    const officer = Number(both.rows[0]?.id);
    const fourEyes = await sql`update claim set status = 'verified', total = 1, verified_by = ${officer}, approved_by = ${officer} where id = ${id}`.execute(t.db).catch((e: unknown) => e);
    expect(guardRefusal(fourEyes)?.code).toBe('same_officer');
    expect(guardRefusal(new Error('boom'))).toBeNull();
  });

  it('the staff key (no staff account) may not verify: claim decisions name an officer', async () => {
    const { id } = await filed();
    expectError(await post(`${id}/verify`, {}, { authorization: 'Bearer dev-staff-key' }), 403, 'forbidden');
  });

  it('a JHT claim is verified and approved without a request body', async () => {
    const { id } = await filed();
    const v = await t.request('POST', `/api/v1/staff/claims/${id}/verify`, undefined, staff.verifier);
    expect(v.status, JSON.stringify(v.body)).toBe(200);
    const a = await t.request('POST', `/api/v1/staff/claims/${id}/approve`, undefined, staff.approver);
    expect(a.status, JSON.stringify(a.body)).toBe(200);
  });

  it('an unknown claim is 404', async () => {
    expectError(await post('clm_nope/verify', {}, staff.verifier), 404, 'not_found', 'id');
    expectError(await t.get('/api/v1/staff/claims/clm_nope', staff.supervisor), 404, 'not_found', 'id');
  });
});

describe('concurrency', () => {
  it('two approvals at once: one approves (one payout, one ledger row), the other is 409', async () => {
    const { id } = await filed();
    await verify(t, staff.verifier, id);
    const other = await staffHeaders(t, ['claims_approver']);
    const [a, b] = await Promise.all([post(`${id}/approve`, {}, staff.approver), post(`${id}/approve`, {}, other)]);
    expect([a.status, b.status].sort()).toEqual([200, 409]);
    expect(await t.db.selectFrom('payout').select('id').where('claim_id', '=', id).execute()).toHaveLength(1);
    expect(await claimTransfers(t, id)).toHaveLength(1);
  });

  it('two filings at once: one claim, the other claim_in_progress', async () => {
    const m = await jhtMember(t);
    const [a, b] = await Promise.all([t.post('/api/v1/me/claims', jhtClaimBody(), m.auth), t.post('/api/v1/me/claims', jhtClaimBody(), m.auth)]);
    expect([a.status, b.status].sort()).toEqual([201, 422]);
    expect([a, b].find((r) => r.status === 422)?.body.error.code).toBe('claim_in_progress');
  });
});

describe('the queue', () => {
  it('oldest first, filtered by status and type, paged by cursor', async () => {
    const ids: string[] = [];
    for (let i = 0; i < 3; i++) {
      ids.push((await filed()).id);
      t.clock.set(new Date(t.clock.now().getTime() + 1000));
    }
    const seen: string[] = [];
    let cursor: string | null = null;
    do {
      const q: string = `/api/v1/staff/claims?status=submitted&type=JHT&limit=2${cursor ? `&cursor=${cursor}` : ''}`;
      const page = await t.get(q, staff.supervisor);
      expect(page.status, JSON.stringify(page.body)).toBe(200);
      expect(page.body.claims.length).toBeLessThanOrEqual(2);
      seen.push(...page.body.claims.map((c: { id: string; status: string }) => c.id));
      cursor = page.body.nextCursor;
    } while (cursor);
    expect(seen.filter((id) => ids.includes(id))).toEqual(ids);
    expect((await t.get('/api/v1/staff/claims?type=JKM', staff.verifier)).body.claims).toEqual([]);
    expectError(await t.get('/api/v1/staff/claims', staff.counter), 403, 'forbidden');
  });
});
