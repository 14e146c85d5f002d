import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { staffHeaders } from '../support/claims.js';
import { activeMember } from '../support/factories.js';
import { approvedClaimWithPayout } from '../support/payout-fixtures.js';
import { createTestApp, type TestApp } from '../support/test-app.js';

/**
 * Dashboards (issue 16 item 7; README "Dashboards"): each figure's JSON matches the seeded data exactly, each CSV has
 * its Indonesian header row and comes as an attachment, and only supervisors and admins may read them. The clock is
 * TEST_START (Sunday 22 November 2026, 10:00 WIB). Three members, backdated by SQL: A joined 10 Aug (arrears from
 * 2 Sep, paid again 10 Oct), B joined 5 Oct (arrears 20 Oct, inactive 20 Nov), C joined today.
 */
let t: TestApp;
let supervisor: Record<string, string>;
let admin: Record<string, string>;
let billed = 0;
let payoutAmount = 0;

const participantOf = async (kpj: string) => (await t.db.selectFrom('participant').select('id').where('kpj', '=', kpj).executeTakeFirstOrThrow()).id;

async function statusChange(participantId: string, from: string, to: string, date: string, reason: string) {
  await sql`insert into membership_status_change (participant_id, from_status, to_status, effective_date, reason, recorded_at)
            values (${participantId}, ${from}, ${to}, ${date}::date, ${reason}, now())`.execute(t.db);
}

beforeAll(async () => {
  t = await createTestApp();
  const a = await activeMember(t, { person: { branchCode: 'JKT-SALEMBA' } });
  const b = await activeMember(t, { person: { branchCode: 'BDG-SUCI' } });
  const c = await activeMember(t, { person: { branchCode: 'JKT-SALEMBA' } });
  billed = a.bill.amount + b.bill.amount + c.bill.amount;
  const [pa, pb] = [await participantOf(a.kpj), await participantOf(b.kpj)];
  await sql`update participant set created_at = '2026-08-10T05:00:00Z' where id = ${pa}`.execute(t.db);
  // 4 October 17:30 UTC is 5 October 00:30 WIB: the WIB day counts.
  await sql`update participant set created_at = '2026-10-04T17:30:00Z' where id = ${pb}`.execute(t.db);
  await statusChange(pa, 'active', 'arrears', '2026-09-02', 'unpaid:2026-09');
  await statusChange(pa, 'arrears', 'active', '2026-10-10', 'payment');
  await statusChange(pb, 'active', 'arrears', '2026-10-20', 'unpaid:2026-10');
  await statusChange(pb, 'arrears', 'inactive', '2026-11-20', 'more_than_1_unpaid_months');
  payoutAmount = (await approvedClaimWithPayout(t, c, { amount: 5_000_000 })).amount;
  // A claim filed 20 days ago, still submitted.
  await sql`insert into claim (id, participant_id, kpj, type, status, bank_account, channel, filed_by, submitted_at, updated_at)
            values ('clm_old', ${pa}, ${a.kpj}, 'JKK', 'submitted', '{}'::jsonb, 'self_service', 'x', '2026-11-02T03:00:00Z', '2026-11-02T03:00:00Z')`.execute(t.db);
  supervisor = await staffHeaders(t, ['supervisor']);
  admin = await staffHeaders(t, ['admin']);
});
afterAll(async () => t.close());

describe('the figures match the seeded data', () => {
  it('new members per WIB day by channel and by branch, 30 and 90 days', async () => {
    const r30 = await t.get('/api/v1/staff/dashboards/new-members?days=30', supervisor);
    expect(r30.status).toBe(200);
    expect(r30.body).toMatchObject({ from: '2026-10-24', to: '2026-11-22', days: 30, total: 1, branches: [{ branch: 'JKT-SALEMBA', count: 1 }] });
    expect(r30.body.byChannel).toHaveLength(30);
    expect(r30.body.byChannel.filter((r: { count: number }) => r.count > 0)).toEqual([{ day: '2026-11-22', channel: r30.body.channels[0].channel, count: 1 }]);
    const r90 = await t.get('/api/v1/staff/dashboards/new-members?days=90', admin);
    expect(r90.body).toMatchObject({ from: '2026-08-25', total: 2 });
    expect(r90.body.branches).toEqual([
      { branch: 'BDG-SUCI', count: 1 },
      { branch: 'JKT-SALEMBA', count: 1 },
    ]);
    expect(r90.body.byBranch.filter((r: { count: number }) => r.count > 0)).toEqual([
      { day: '2026-10-05', branch: 'BDG-SUCI', count: 1 },
      { day: '2026-11-22', branch: 'JKT-SALEMBA', count: 1 },
    ]);
    expect((await t.get('/api/v1/staff/dashboards/new-members?days=7', admin)).status).toBe(400);
  });

  it('active / arrears / inactive at each month end (the current month: today)', async () => {
    const r = await t.get('/api/v1/staff/dashboards/membership-status', supervisor);
    expect(r.status).toBe(200);
    expect(r.body.dates).toHaveLength(12);
    expect(r.body.dates[0]).toEqual({ date: '2025-12-31', active: 0, arrears: 0, inactive: 0 });
    expect(r.body.dates.slice(-4)).toEqual([
      { date: '2026-08-31', active: 1, arrears: 0, inactive: 0 },
      { date: '2026-09-30', active: 0, arrears: 1, inactive: 0 },
      { date: '2026-10-31', active: 1, arrears: 1, inactive: 0 },
      { date: '2026-11-22', active: 2, arrears: 0, inactive: 1 },
    ]);
  });

  it('collected vs billed per month', async () => {
    const r = await t.get('/api/v1/staff/dashboards/collections', supervisor);
    expect(r.status).toBe(200);
    expect(r.body.months).toHaveLength(12);
    expect(r.body.months.at(-1)).toEqual({ month: '2026-11', billed, collected: billed, gap: 0 });
    expect(r.body.months.at(-2)).toEqual({ month: '2026-10', billed: 0, collected: 0, gap: 0 });
  });

  it('claims by state and age bucket; payouts by status with sums', async () => {
    const r = await t.get('/api/v1/staff/dashboards/claims', supervisor);
    expect(r.status).toBe(200);
    expect(r.body.statuses).toEqual([
      { status: 'approved', count: 1, amount: payoutAmount },
      { status: 'submitted', count: 1, amount: 0 },
    ]);
    const submitted = r.body.buckets.filter((b: { status: string }) => b.status === 'submitted');
    expect(submitted.map((b: { age: string; count: number }) => [b.age, b.count])).toEqual([
      ['0-7', 0],
      ['8-14', 0],
      ['15-30', 1],
      ['31+', 0],
    ]);
    const p = await t.get('/api/v1/staff/dashboards/payouts', admin);
    expect(p.body).toEqual({ count: 1, amount: payoutAmount, statuses: [{ status: 'pending', count: 1, amount: payoutAmount }] });
  });
});

describe('CSV exports', () => {
  it.each([
    ['new-members.csv?days=90', 'tanggal,dimensi,nilai,jumlah_peserta_baru', 'peserta-baru-90-hari-2026-11-22.csv'],
    ['membership-status.csv', 'tanggal,aktif,menunggak,nonaktif', 'status-kepesertaan-2026-11-22.csv'],
    ['collections.csv', 'bulan,ditagihkan_rupiah,terkumpul_rupiah,selisih_rupiah', 'iuran-tertagih-terkumpul-2026-11-22.csv'],
    ['claims.csv', 'status,umur_hari,jumlah_klaim,nilai_rupiah', 'klaim-per-status-umur-2026-11-22.csv'],
    ['payouts.csv', 'status,jumlah,nilai_rupiah', 'pembayaran-manfaat-per-status-2026-11-22.csv'],
  ])('%s: UTF-8, header row, attachment', async (path, header, file) => {
    const r = await t.get(`/api/v1/staff/dashboards/${path}`, supervisor);
    expect(r.status).toBe(200);
    expect(r.headers.get('content-type')).toBe('text/csv; charset=utf-8');
    expect(r.headers.get('content-disposition')).toBe(`attachment; filename="${file}"`);
    const lines = (r.body as Buffer).toString('utf8').split('\r\n');
    expect(lines[0]).toBe(header);
    expect(lines.at(-1)).toBe('');
  });

  it('rows follow the figures', async () => {
    const status = (await t.get('/api/v1/staff/dashboards/membership-status.csv', admin)).body.toString('utf8').split('\r\n');
    expect(status.slice(-3, -1)).toEqual(['2026-10-31,1,1,0', '2026-11-22,2,0,1']);
    const payouts = (await t.get('/api/v1/staff/dashboards/payouts.csv', admin)).body.toString('utf8');
    expect(payouts).toBe(`status,jumlah,nilai_rupiah\r\npending,1,${payoutAmount}\r\n`);
  });
});

describe('roles', () => {
  it('only supervisor and admin: others 403, no token 401', async () => {
    const finance = await staffHeaders(t, ['finance']);
    const counter = await staffHeaders(t, ['counter']);
    for (const path of ['payouts', 'payouts.csv', 'new-members', 'claims.csv']) {
      expect((await t.get(`/api/v1/staff/dashboards/${path}`, finance)).status).toBe(403);
      expect((await t.get(`/api/v1/staff/dashboards/${path}`, counter)).status).toBe(403);
      expect((await t.get(`/api/v1/staff/dashboards/${path}`)).status).toBe(401);
    }
  });
});
