import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { setFunding, setFundingMany, type SetFundingInput } from '../../src/modules/membership/index.js';
import { activeMember } from '../support/factories.js';
import { createTestApp, type TestApp } from '../support/test-app.js';

/**
 * membership setFundingMany (the roster upload's chunks, issue 17 item 3) does for many members what setFunding does
 * for one: the same funding rows, participant.funding, open bills cancelled (an open bill of their own: the price
 * changes), the same audit rows; a refusal is an outcome, not a throw; a second run changes nothing more.
 */
describe('setFundingMany = setFunding for many', () => {
  let t: TestApp;
  let members: Awaited<ReturnType<typeof activeMember>>[];
  beforeAll(async () => {
    t = await createTestApp();
    members = [];
    for (let i = 0; i < 3; i++) {
      const m = await activeMember(t);
      const res = await t.post('/api/v1/me/bills', { months: 1 }, m.auth);
      expect(res.status, JSON.stringify(res.body)).toBe(201);
      members.push(m);
    }
  }, 180_000);
  afterAll(async () => t.close());

  const input = (participantId: string, fromMonth?: string): SetFundingInput => ({ participantId, funding: 'apbn', payerId: 'kemnaker', payerName: 'Kemnaker', ...(fromMonth ? { fromMonth } : {}), actor: 'partner:kemnaker', reason: 'Daftar' });
  const idOf = async (kpj: string) => (await t.db.selectFrom('participant').select('id').where('kpj', '=', kpj).executeTakeFirstOrThrow()).id;
  async function stateOf(kpj: string) {
    const id = await idOf(kpj);
    const funding = await t.db.selectFrom('participant_funding').select(['from_month', 'funding', 'payer_id', 'payer_name', 'actor']).where('participant_id', '=', id).orderBy('from_month').execute();
    const p = await t.db.selectFrom('participant').select('funding').where('id', '=', id).executeTakeFirstOrThrow();
    const bills = await t.db.selectFrom('bill').select(['status', 'first_month']).where('participant_id', '=', id).orderBy('created_at').execute();
    const audit = await t.db.selectFrom('staff_audit').select(['actor', 'action', 'reason', 'detail', 'before', 'after']).where('subject', '=', `participant:${kpj}`).execute();
    return { funding, participant: p, bills, audit };
  }

  it('the same rows as setFunding one by one; refusals as outcomes; a re-run the same', { timeout: 60_000 }, async () => {
    const [a, b, c] = members as [typeof members[0], typeof members[0], typeof members[0]];
    const [aid, bid, cid] = [await idOf(a.kpj), await idOf(b.kpj), await idOf(c.kpj)];
    const untouched = await stateOf(c.kpj);
    await t.db.transaction().execute((trx) => setFunding(trx, t.deps, input(aid)));
    const run = () => t.db.transaction().execute((trx) => setFundingMany(trx, t.deps, [input(bid), input('ptc_nobody'), input(cid, '2020-01')]));
    const outcomes = await run();
    expect(outcomes).toEqual([{ ok: true, fromMonth: (await stateOf(a.kpj)).funding.at(-1)?.from_month }, { ok: false, code: 'unknown_participant' }, { ok: false, code: 'funding_month_paid' }]);
    const one = await stateOf(a.kpj);
    expect(one.bills.map((x) => x.status)).toContain('cancelled');
    expect(await stateOf(b.kpj)).toEqual(one);
    expect(await stateOf(c.kpj)).toEqual(untouched); // refused: untouched
    const again = await run();
    expect(again).toEqual(outcomes);
    expect((await stateOf(b.kpj)).funding).toEqual(one.funding);
  });
});
