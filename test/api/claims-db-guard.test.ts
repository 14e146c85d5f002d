import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { activeMember } from '../support/factories.js';
import { createTestApp, type TestApp } from '../support/test-app.js';

/**
 * Four eyes and the claim state machine, enforced by the database itself (migrations/2026-12-07T1200-claims.ts): these
 * statements bypass every line of TypeScript, as a buggy handler or a hand-typed UPDATE would.
 */
let t: TestApp;
let participantId: string;
let kpj: string;
const staff: Record<string, number> = {};
beforeAll(async () => {
  t = await createTestApp();
  const m = await activeMember(t);
  kpj = m.kpj;
  participantId = (await t.db.selectFrom('participant').select('id').where('kpj', '=', kpj).executeTakeFirstOrThrow()).id;
  const accounts: [string, string[], boolean][] = [
    ['verifier', ['claims_verifier'], false],
    ['approver', ['claims_approver'], false],
    ['both', ['claims_verifier', 'claims_approver'], false],
    ['counter', ['counter'], false],
    ['gone', ['claims_approver'], true],
  ];
  for (const [username, roles, disabled] of accounts) {
    const row = await sql<{ id: string }>`
      insert into staff_account (username, password_hash, roles, disabled, created_at)
      values (${username}, '$argon2id$test', ${sql.raw(`array[${roles.map((r) => `'${r}'`).join(',')}]`)}, ${disabled}, now())
      returning id`.execute(t.db);
    staff[username] = Number(row.rows[0]!.id);
  }
});
afterAll(async () => t.close());

let seq = 0;
async function fileClaim(type = 'JHT'): Promise<string> {
  const id = `clm_guard${++seq}`;
  await sql`
    insert into claim (id, participant_id, kpj, type, status, bank_account, channel, filed_by, submitted_at, updated_at)
    values (${id}, ${participantId}, ${kpj}, ${type}, 'submitted', '{"bankCode":"BCA"}', 'self_service', ${`participant:${kpj}`}, now(), now())`.execute(t.db);
  return id;
}
const verify = (id: string, by: number) =>
  sql`update claim set status = 'verified', verified_by = ${by}, total = 1000 where id = ${id}`.execute(t.db);
const approve = (id: string, by: number) => sql`update claim set status = 'approved', approved_by = ${by} where id = ${id}`.execute(t.db);
const reject = (id: string) => sql`update claim set status = 'rejected', decision_reason = 'x' where id = ${id}`.execute(t.db);

describe('claim: four eyes in the database', () => {
  it('a verifier and another approver move a claim to approved, then paid', async () => {
    const id = await fileClaim();
    await verify(id, staff['verifier']!);
    await approve(id, staff['approver']!);
    await sql`update claim set status = 'paid' where id = ${id}`.execute(t.db);
  });

  it('refuses the verifier approving the same claim, even holding both roles', async () => {
    const id = await fileClaim();
    await verify(id, staff['both']!);
    await expect(approve(id, staff['both']!)).rejects.toThrow(/claim_four_eyes/);
    await reject(id);
  });

  it('refuses an approval without an approver, by an account without claims_approver, or by a disabled one', async () => {
    const id = await fileClaim();
    await verify(id, staff['verifier']!);
    await expect(sql`update claim set status = 'approved' where id = ${id}`.execute(t.db)).rejects.toThrow(/claims_approver|claim_approved_has_officers/);
    await expect(approve(id, staff['counter']!)).rejects.toThrow(/without claims_approver/);
    await expect(approve(id, staff['gone']!)).rejects.toThrow(/without claims_approver/);
    await reject(id);
  });

  it('refuses a verification by an account without claims_verifier, and a verified claim without a total', async () => {
    const id = await fileClaim();
    await expect(verify(id, staff['approver']!)).rejects.toThrow(/without claims_verifier/);
    await expect(sql`update claim set status = 'verified', verified_by = ${staff['verifier']!} where id = ${id}`.execute(t.db)).rejects.toThrow(
      /claim_verified_has_total/,
    );
    await reject(id);
  });

  it('fixes the officers and the total once approved', async () => {
    const id = await fileClaim();
    await verify(id, staff['verifier']!);
    await approve(id, staff['approver']!);
    await expect(sql`update claim set total = 2000 where id = ${id}`.execute(t.db)).rejects.toThrow(/officers and total are fixed/);
    await expect(sql`update claim set approved_by = ${staff['both']!} where id = ${id}`.execute(t.db)).rejects.toThrow(/officers and total are fixed/);
    await sql`update claim set status = 'paid' where id = ${id}`.execute(t.db);
  });
});

describe('claim: the state machine in the database', () => {
  it.each([
    ['submitted', 'approved'],
    ['submitted', 'paid'],
    ['verified', 'returned'],
    ['verified', 'submitted'],
    ['rejected', 'submitted'],
  ])('refuses %s → %s', async (from, to) => {
    const id = await fileClaim('JKK');
    if (from === 'verified') await verify(id, staff['verifier']!);
    if (from === 'rejected') await reject(id);
    await expect(sql`update claim set status = ${to} where id = ${id}`.execute(t.db)).rejects.toThrow(/may not move/);
    if (from !== 'rejected') await reject(id);
  });

  it('refuses a claim filed in any state but submitted, and two open claims of one type', async () => {
    await expect(
      sql`insert into claim (id, participant_id, kpj, type, status, bank_account, channel, filed_by, submitted_at, updated_at)
          values ('clm_guard_x', ${participantId}, ${kpj}, 'JKM', 'approved', '{}', 'staff', 'x', now(), now())`.execute(t.db),
    ).rejects.toThrow(/filed as submitted/);
    const open = await fileClaim('JKM');
    await expect(fileClaim('JKM')).rejects.toThrow(/claim_one_open_per_type_idx/);
    await sql`update claim set status = 'returned', decision_reason = 'KTP' where id = ${open}`.execute(t.db);
    await sql`update claim set status = 'submitted' where id = ${open}`.execute(t.db);
    await reject(open);
  });

  it('keeps the state history append-only', async () => {
    const id = await fileClaim();
    await sql`insert into claim_event (claim_id, participant_id, at, status, actor) values (${id}, ${participantId}, now(), 'submitted', 'x')`.execute(t.db);
    await expect(sql`delete from claim_event where claim_id = ${id}`.execute(t.db)).rejects.toThrow(/append-only/);
    await reject(id);
  });
});
