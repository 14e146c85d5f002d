import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { collections, membershipStatus, newMembers, refreshDashboardRollup } from '../../src/modules/dashboards/index.js';
import { runDueJobs } from '../../src/modules/jobs/run-due-jobs.js';
import { activeMember } from '../support/factories.js';
import { createTestApp, type TestApp } from '../support/test-app.js';

/**
 * The dashboards' rollup (migration 2026-12-07T1540-dashboard-rollup, src/modules/dashboards/rollup.ts): with the
 * closed days rolled up the figures are exactly what a live read gives — also after members join and statuses change
 * the same day (read live after `through`; the status intervals fall back to live once a change is newer) — the
 * figures do read the rollup, and the daily cycle's status job refreshes it. Clock: TEST_START (22 Nov 2026, 10:00 WIB).
 */
let t: TestApp;

const participantOf = async (kpj: string) => (await t.db.selectFrom('participant').select('id').where('kpj', '=', kpj).executeTakeFirstOrThrow()).id;
const statusChange = (participantId: string, from: string, to: string, date: string) =>
  sql`insert into membership_status_change (participant_id, from_status, to_status, effective_date, reason, recorded_at)
      values (${participantId}, ${from}, ${to}, ${date}::date, 'test', now())`.execute(t.db);
async function figures() {
  const now = t.clock.now();
  return { m30: await newMembers(t.db, now, 30), m90: await newMembers(t.db, now, 90), status: await membershipStatus(t.db, now), money: await collections(t.db, now) };
}
const live = async () => {
  const saved = await t.db.selectFrom('dashboard_rollup_state').selectAll().execute();
  await t.db.deleteFrom('dashboard_rollup_state').execute();
  const f = await figures();
  if (saved.length > 0) {
    await t.db.insertInto('dashboard_rollup_state').values(saved).execute();
  }
  return f;
};

beforeAll(async () => {
  t = await createTestApp();
  const a = await activeMember(t, { person: { branchCode: 'JKT-SALEMBA' } });
  const b = await activeMember(t, { person: { branchCode: 'BDG-SUCI' } });
  const [pa, pb] = [await participantOf(a.kpj), await participantOf(b.kpj)];
  await sql`update participant set created_at = '2026-08-10T05:00:00Z' where id = ${pa}`.execute(t.db);
  await sql`update participant set created_at = '2026-10-04T17:30:00Z' where id = ${pb}`.execute(t.db);
  await sql`update bill set created_at = '2026-10-04T18:00:00Z' where participant_id = ${pb}`.execute(t.db);
  await sql`update ledger_transfer set created_at = '2026-10-04T18:00:00Z' where ref in (select id from bill where participant_id = ${pb})`.execute(t.db);
  await statusChange(pa, 'active', 'arrears', '2026-09-02');
  await statusChange(pa, 'arrears', 'active', '2026-10-10');
  await statusChange(pb, 'active', 'arrears', '2026-10-20');
});
afterAll(async () => t.close());

describe('the dashboards rollup', () => {
  it('with the closed days rolled up, every figure equals the live read; then a member joins and a status changes today', async () => {
    const before = await figures();
    const refreshed = await refreshDashboardRollup(t.db, t.clock.now());
    expect(refreshed).toMatchObject({ through: '2026-11-21', full: true });
    expect(refreshed.rows).toBeGreaterThan(0);
    expect(await figures()).toEqual(before);
    expect(before.m90.total).toBe(1);

    const c = await activeMember(t, { person: { branchCode: 'JKT-SALEMBA' } });
    await statusChange(await participantOf(c.kpj), 'active', 'arrears', '2026-11-22');
    const after = await figures();
    expect(after).toEqual(await live());
    expect(after.m30.total).toBe(1);
    expect(after.status.dates.at(-1)).toMatchObject({ arrears: 2 });
  });

  it('the figures read the rollup: a changed rollup row shows (then a full refresh puts it right)', async () => {
    await refreshDashboardRollup(t.db, t.clock.now());
    const right = await figures();
    await sql`update dashboard_day_rollup set n = n + 1000 where figure = 'billed' and day = '2026-10-05'`.execute(t.db);
    const october = (await figures()).money.months.find((m) => m.month === '2026-10');
    expect(october?.billed).toBe((right.money.months.find((m) => m.month === '2026-10')?.billed ?? 0) + 1000);
    // 5 October is older than the daily reach: a daily refresh leaves it, a full one (no state: the first) rewrites it.
    expect((await refreshDashboardRollup(t.db, t.clock.now())).full).toBe(false);
    expect(await figures()).not.toEqual(right);
    await t.db.deleteFrom('dashboard_rollup_state').execute();
    expect((await refreshDashboardRollup(t.db, t.clock.now())).full).toBe(true);
    expect(await figures()).toEqual(right);
  });

  it('a refresh the next day rewrites the recent days only, and the figures still equal the live read; after a gap, a full one', async () => {
    expect((await refreshDashboardRollup(t.db, t.clock.now())).full).toBe(false);
    t.clock.set(new Date('2026-11-23T09:00:00+07:00'));
    await activeMember(t, { person: { branchCode: 'BDG-SUCI' } });
    const next = await refreshDashboardRollup(t.db, t.clock.now());
    expect(next).toMatchObject({ through: '2026-11-22', full: false });
    expect(await figures()).toEqual(await live());
    expect((await refreshDashboardRollup(t.db, new Date('2027-02-01T09:00:00+07:00'))).full).toBe(true);
    await refreshDashboardRollup(t.db, t.clock.now());
    expect(await figures()).toEqual(await live());
  });

  it("the daily cycle's status job refreshes it", async () => {
    await t.db.deleteFrom('dashboard_rollup_state').execute();
    t.clock.set(new Date('2026-11-24T07:05:00+07:00'));
    await runDueJobs(t.deps);
    expect(await t.db.selectFrom('dashboard_rollup_state').select('through').executeTakeFirst()).toEqual({ through: '2026-11-23' });
    expect(await figures()).toEqual(await live());
  });
});
