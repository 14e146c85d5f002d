import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { barChart, lineChart, toCsv } from '../../src/modules/dashboards/index.js';
import { ageBucket, claimAgeTable, dayWindow, fillDays, monthWindow, statusDates, statusSeries } from '../../src/modules/dashboards/figures.js';
import { niceMax } from '../../src/modules/dashboards/charts.js';
import { activeMember } from '../support/factories.js';
import { approvedClaimWithPayout } from '../support/payout-fixtures.js';
import { portalClient, textOf } from '../support/portal-client.js';
import { createTestApp, TEST_START, type TestApp } from '../support/test-app.js';

/** The dashboards' pure shaping (table-driven) and the console page /staff/dasbor through the real app. */
const NOW = new Date(TEST_START); // 22 November 2026, 10:00 WIB

describe('shaping (pure)', () => {
  it.each([
    [0, '0-7'],
    [7, '0-7'],
    [8, '8-14'],
    [14, '8-14'],
    [15, '15-30'],
    [30, '15-30'],
    [31, '31+'],
    [400, '31+'],
  ])('a claim %i days old is in bucket %s', (days, bucket) => expect(ageBucket(days)).toBe(bucket));

  it.each([
    ['2026-11-21T16:59:59Z', 30, '2026-10-23', '2026-11-21'],
    ['2026-11-21T17:00:00Z', 30, '2026-10-24', '2026-11-22'],
    ['2026-11-22T03:00:00Z', 90, '2026-08-25', '2026-11-22'],
  ])('at %s the last %i WIB days run %s..%s', (at, days, from, to) => {
    const w = dayWindow(new Date(at), days);
    expect([w.from, w.to, w.days.length, w.start.toISOString()]).toEqual([from, to, days, new Date(Date.parse(`${from}T00:00:00Z`) - 7 * 3600_000).toISOString()]);
  });

  it('months and month ends: 12 months, the current one ending today', () => {
    expect(monthWindow(NOW)).toMatchObject({ months: expect.arrayContaining(['2025-12', '2026-11']), start: new Date('2025-11-30T17:00:00Z'), end: new Date('2026-11-30T17:00:00Z') });
    expect(statusDates(NOW).slice(-3)).toEqual(['2026-09-30', '2026-10-31', '2026-11-22']);
    expect(statusDates(new Date('2024-02-29T17:00:00Z'))[10]).toBe('2024-02-29'); // 1 March WIB: February ended on the 29th
  });

  it('fills missing days with zeros, per key; active = total − arrears − inactive', () => {
    expect(fillDays(['2026-11-01', '2026-11-02'], [{ day: '2026-11-02', key: 'web', count: 2 }, { day: '2026-11-02', key: 'web', count: 1 }])).toEqual([
      { day: '2026-11-01', key: 'web', count: 0 },
      { day: '2026-11-02', key: 'web', count: 3 },
    ]);
    expect(statusSeries([{ date: '2026-10-31', total: 10, arrears: 3, inactive: 2 }])).toEqual([{ date: '2026-10-31', active: 5, arrears: 3, inactive: 2 }]);
    expect(claimAgeTable([{ status: 'submitted', ageDays: 3, count: 2, amount: 0 }, { status: 'submitted', ageDays: 5, count: 1, amount: 10 }])[0]).toEqual({ status: 'submitted', age: '0-7', count: 3, amount: 10 });
  });

  it.each([
    [[['a', 1]], 'h\r\na,1\r\n'],
    [[['a,b', 2]], 'h\r\n"a,b",2\r\n'],
    [[['say "hi"', 3]], 'h\r\n"say ""hi""",3\r\n'],
    [[['=SUM(A1)', 4]], "h\r\n'=SUM(A1),4\r\n"],
  ])('CSV %j', (rows, csv) => expect(toCsv(['h'], rows as (string | number)[][])).toBe(csv));

  it.each([
    [0, 1],
    [7, 10],
    [12, 20],
    [450, 500],
    [5_000_001, 10_000_000],
  ])('axis max for %i is %i', (v, max) => expect(niceMax(v)).toBe(max));

  it('charts are accessible SVG: role=img, title and desc, text escaped', () => {
    for (const svg of [barChart({ id: 'x', title: 'A <b>', desc: 'D & E' }, ['1', '2'], [{ name: 's', values: [1, 2] }]), lineChart({ id: 'x', title: 'A <b>', desc: 'D & E' }, ['1', '2'], [{ name: 's', values: [1, 2] }])]) {
      expect(svg).toMatch(/^<svg [^>]*role="img" aria-labelledby="x-t" aria-describedby="x-d"/);
      expect(svg).toContain('<title id="x-t">A &lt;b&gt;</title><desc id="x-d">D &amp; E</desc>');
      expect(svg).not.toContain('<script');
    }
  });
});

describe('/staff/dasbor', () => {
  let t: TestApp;
  const PASSWORD = 'kata-sandi-staf-123';
  const signedIn = async (username: string) => {
    const client = portalClient(t);
    const res = await client.submit('/staff/masuk', '/staff/masuk', { username, password: PASSWORD, totp: '' }, { follow: false });
    expect(res.status, textOf(res.html)).toBe(303);
    return client;
  };
  beforeAll(async () => {
    t = await createTestApp();
    const m = await activeMember(t);
    await approvedClaimWithPayout(t, m, { amount: 7_500_000 });
    for (const [username, roles] of [['super-d', ['supervisor']], ['admin-d', ['admin']], ['keu-d', ['finance']]] as const) {
      expect((await t.post('/dev/staff', { username, password: PASSWORD, roles })).status).toBe(201);
    }
  });
  afterAll(async () => t.close());

  it('a supervisor sees every figure: charts with title and desc, data tables, CSV links; Indonesian', async () => {
    const client = await signedIn('super-d');
    const page = await client.open('/staff/dasbor');
    expect(page.status).toBe(200);
    expect((page.html.match(/role="img"/g) ?? []).length).toBe(4);
    const text = textOf(page.html);
    for (const s of ['Peserta baru per hari', 'Status kepesertaan di akhir bulan', 'Iuran ditagihkan dan terkumpul per bulan', 'Klaim per status dan umur', 'Pembayaran manfaat per status', '1 pembayaran manfaat senilai Rp7.500.000']) {
      expect(text).toContain(s);
    }
    for (const f of ['new-members.csv?days=30', 'membership-status.csv', 'collections.csv', 'claims.csv', 'payouts.csv']) {
      expect(page.html).toContain(`href="/staff/dasbor/${f}"`);
    }
    expect(page.html).not.toContain('<script');
    expect((await client.open('/staff/dasbor?days=90')).html).toContain('href="/staff/dasbor/new-members.csv?days=90"');
  });

  it('its CSV downloads as an attachment; the menu shows Dasbor to admin, not to finance (403)', async () => {
    const admin = await signedIn('admin-d');
    const csv = await admin.get('/staff/dasbor/payouts.csv');
    expect(csv.status).toBe(200);
    expect(csv.headers.get('content-disposition')).toBe('attachment; filename="pembayaran-manfaat-per-status-2026-11-22.csv"');
    expect(csv.html).toBe('status,jumlah,nilai_rupiah\r\npending,1,7500000\r\n');
    expect((await admin.open('/staff')).html).toContain('href="/staff/dasbor"');
    const finance = await signedIn('keu-d');
    expect((await finance.open('/staff')).html).not.toContain('href="/staff/dasbor"');
    expect((await finance.get('/staff/dasbor')).status).toBe(403);
    expect((await finance.get('/staff/dasbor/payouts.csv')).status).toBe(403);
  });
});
