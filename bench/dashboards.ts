import { sql } from 'kysely';
import pg from 'pg';
import { compose } from '../src/compose.js';
import { loadConfig } from '../src/config.js';
import { migrateToLatest, openPostgres } from '../src/db/connect.js';
import { benchNikHash } from './nik-sql.js';
import type { RuleBook } from '../src/modules/contributions/domain/rule-book.js';
import { claimsByAge, collections, membershipStatus, newMembers, payoutsByStatus, refreshDashboardRollup } from '../src/modules/dashboards/index.js';
import { searchParticipants, type ParticipantSearch } from '../src/modules/membership/index.js';
import { AdjustableClock } from '../src/shared/clock.js';
import { createLogger } from '../src/shared/logger.js';
import type { Month } from '../src/shared/month.js';
import { type CycleTarget, type DatabaseAdmin, migratedDatabase } from './cycle.js';
import { dayBefore, seedCycleDatabase, settleDatabase } from './cycle-seed.js';

/**
 * The dashboards and the contact-centre search at 1,000,000 members (issue 16 acceptance: each query ≤ 1 s on
 * PostgreSQL), a part of `npm run bench` (BENCH_ONLY=dashboards, or `npm run bench -- --only=dashboards`).
 *
 * Data: the monthly cycle's population (bench/cycle-seed.ts). In a run with the cycle at BENCH_DASH_MEMBERS members
 * the part measures on the cycle's own database after its last run, just before it is dropped (no second load);
 * otherwise it seeds a database of its own with the same loader. Either way it first adds what the cycle's population
 * has none of: claims for 2 % of the participants (submitted or returned) and payouts for 1 % (pending, paid, failed).
 * Then the dashboards' rollup of the closed days is refreshed, as the daily cycle's status job does every morning
 * (src/modules/dashboards/rollup.ts; timed and reported): the figures read closed days from it and today live.
 *
 * Measured in this process through the modules' facades, as the console calls them: every dashboard figure
 * (src/modules/dashboards) and every contact-centre search criterion (membership's searchParticipants, which
 * GET /staff/participants and /staff/layanan call: KPJ, NIK, phone, name + birth date). Cold-ish: the first call of
 * each on a fresh connection pool right after the data was loaded and VACUUM ANALYZEd (the operating system's page
 * cache is not dropped); warm: WARM_CALLS more calls (for the search, each for another member). Judged on the worst.
 */
export const DASH_TARGET = { members: 1_000_000, ms: 1_000 } as const;
const WARM_CALLS = 3;

export interface DashSettings {
  members: number;
  month: Month;
}

export interface DashQuery {
  group: 'Dashboard' | 'Search';
  name: string;
  coldMs: number;
  warmMs: number[];
  /** Rows (search matches) or series points the call returned, to show the call did work. */
  size: number;
}

export interface DashResult {
  members: number;
  now: Date;
  /** Where the data came from: the cycle's database, or a database seeded for this part. */
  source: string;
  seedSeconds: number | null;
  extraRows: Record<string, number>;
  /** The dashboards' rollup refresh (what the daily status job runs) before the figures were timed: seconds, rows. */
  rollup: { seconds: number; rows: number };
  queries: DashQuery[];
}

const EXTRAS: [string, string][] = [
  [
    'claim',
    `insert into claim (id, participant_id, kpj, type, status, bank_account, channel, filed_by, submitted_at, updated_at, total)
     select 'clm_bench_' || p.id, p.id, p.kpj, 'JKM', (array['submitted','returned'])[1 + abs(hashtext(p.id)) % 2], '{}'::jsonb, 'self_service', 'bench',
            $1::timestamptz - make_interval(secs => abs(hashtext(p.id || 'c')) % (120 * 86400)), $1::timestamptz, 42000000
     from participant p where abs(hashtext(p.id)) % 50 = 0`,
  ],
  [
    'payout',
    `insert into payout (id, claim_id, participant_id, amount, bank_account, status, created_at, updated_at)
     select 'pay_bench_' || p.id, 'clm_bench_' || p.id, p.id, 42000000, '{}'::jsonb, (array['pending','paid','failed'])[1 + abs(hashtext(p.id || 'p')) % 3], $1::timestamptz, $1::timestamptz
     from participant p where abs(hashtext(p.id)) % 100 = 0`,
  ],
];

/** Claims and payouts on top of the cycle's population (foreign-key triggers off, as the seeders do), then ANALYZE. */
async function addExtras(url: string, now: Date): Promise<Record<string, number>> {
  const c = new pg.Client({ connectionString: url });
  await c.connect();
  try {
    await c.query('set session_replication_role = replica');
    const out: Record<string, number> = {};
    for (const [table, text] of EXTRAS) {
      out[table] = (await c.query(text, [now])).rowCount ?? 0;
    }
    await c.query('analyze claim; analyze payout');
    return out;
  } finally {
    await c.end();
  }
}

interface Member {
  kpj: string;
  nik: string;
  phone: string;
  full_name: string;
  birth_date: string;
}

/**
 * 1 + WARM_CALLS members spread over the table (untimed). The NIK is stored only sealed and hashed, and generated
 * members share one sealed stand-in (bench/nik-sql.ts), so each sampled member is given a known NIK of its own
 * (province code 99, which no generated NIK uses) by rewriting its keyed hash: the NIK search then finds exactly it.
 */
async function sampleMembers(url: string): Promise<Member[]> {
  const c = new pg.Client({ connectionString: url });
  await c.connect();
  try {
    const { rows } = await c.query<Omit<Member, 'nik'>>(
      `select kpj, phone, full_name, to_char(birth_date, 'YYYY-MM-DD') as birth_date from participant tablesample system (5) repeatable (16) where phone is not null limit ${1 + WARM_CALLS}`,
    );
    if (rows.length < 1 + WARM_CALLS) {
      throw new Error(`dashboards: too few participants to sample (${rows.length})`);
    }
    const members = rows.map((row, i) => ({ ...row, nik: `99${String(i + 1).padStart(14, '0')}` }));
    for (const m of members) {
      await c.query('update participant set nik_hash = $1 where kpj = $2', [benchNikHash(m.nik), m.kpj]);
    }
    return members;
  } finally {
    await c.end();
  }
}

const SEARCHES: [string, (m: Member) => ParticipantSearch][] = [
  ['by KPJ', (m) => ({ kpj: m.kpj })],
  ['by NIK', (m) => ({ nik: m.nik })],
  ['by phone', (m) => ({ phone: m.phone })],
  ['by name + birth date', (m) => ({ name: m.full_name, birthDate: m.birth_date })],
];

async function timed(fn: () => Promise<number>): Promise<[number, number]> {
  const t0 = performance.now();
  const size = await fn();
  return [performance.now() - t0, size];
}

/** Times every dashboard figure and every search criterion on the database at `url`; `now` is the dashboards' "now". */
export async function measureDashboards(url: string, now: Date): Promise<DashQuery[]> {
  const members = await sampleMembers(url);
  const config = loadConfig({ NODE_ENV: 'development', LOG_LEVEL: 'warn', DATABASE_URL: url });
  const handle = await openPostgres(url, config.databasePoolSize);
  const clock = new AdjustableClock();
  clock.set(now);
  const { deps } = compose(config, handle, { clock, logger: createLogger('warn'), transports: { email: null, sms: null } });
  const db = handle.db;
  const figures: [string, () => Promise<number>][] = [
    ['new members, 30 days', async () => (await newMembers(db, now, 30)).byChannel.length],
    ['new members, 90 days', async () => (await newMembers(db, now, 90)).byChannel.length],
    ['membership status, 12 month ends', async () => (await membershipStatus(db, now)).dates.length],
    ['collections, 12 months', async () => (await collections(db, now)).months.length],
    ['claims by state and age', async () => (await claimsByAge(db, now)).buckets.length],
    ['payouts by status', async () => (await payoutsByStatus(db)).statuses.length],
  ];
  const out: DashQuery[] = [];
  try {
    // Cold-ish: each query's first call, figures first, then each search once, before any warm call.
    for (const [name, run] of figures) {
      const [ms, size] = await timed(run);
      out.push({ group: 'Dashboard', name, coldMs: ms, warmMs: [], size });
    }
    for (const [name, by] of SEARCHES) {
      const [ms, size] = await timed(async () => (await searchParticipants(deps, by(members[0] as Member))).length);
      out.push({ group: 'Search', name, coldMs: ms, warmMs: [], size });
    }
    for (let i = 1; i <= WARM_CALLS; i++) {
      for (const [k, [, run]] of figures.entries()) {
        out[k]?.warmMs.push((await timed(run))[0]);
      }
      for (const [k, [, by]] of SEARCHES.entries()) {
        out[figures.length + k]?.warmMs.push((await timed(async () => (await searchParticipants(deps, by(members[i] as Member))).length))[0]);
      }
    }
  } finally {
    await handle.close();
  }
  return out;
}

/** The dashboards' "now" for a cycle month: the seed's "today" (the last day before it), 20:00 WIB. */
export const dashboardsNow = (month: Month) => new Date(`${dayBefore(month)}T20:00:00+07:00`);

/** Adds the claims and payouts, then measures: on a database already loaded (the cycle's, or this part's own). */
export async function dashboardsOn(url: string, o: { members: number; now: Date; source: string; seedSeconds: number | null; log: (m: string) => void }): Promise<DashResult> {
  o.log(`dashboards: adding claims and payouts to ${o.members.toLocaleString('en-US')} members`);
  const extraRows = await addExtras(url, o.now);
  o.log(`dashboards: ${Object.entries(extraRows).map(([k, v]) => `${k} ${v.toLocaleString('en-US')}`).join(', ')}; refreshing the rollup as the daily status job does`);
  const rollup = await refreshRollup(url, o.now);
  o.log(`dashboards: rollup refreshed in ${rollup.seconds.toFixed(1)} s (${rollup.rows.toLocaleString('en-US')} rows); timing every figure and search`);
  const queries = await measureDashboards(url, o.now);
  for (const q of queries) {
    o.log(`dashboards: ${q.group} ${q.name}: cold ${q.coldMs.toFixed(0)} ms, warm ${q.warmMs.map((x) => x.toFixed(0)).join('/')} ms`);
  }
  return { members: o.members, now: o.now, source: o.source, seedSeconds: o.seedSeconds, extraRows, rollup, queries };
}

/** The rollup of the closed days before `now` (src/modules/dashboards/rollup.ts), timed; then ANALYZE of its tables. */
async function refreshRollup(url: string, now: Date): Promise<{ seconds: number; rows: number }> {
  const handle = await openPostgres(url, 1);
  try {
    const t0 = performance.now();
    const r = await refreshDashboardRollup(handle.db, now);
    const seconds = (performance.now() - t0) / 1000;
    await sql`analyze dashboard_day_rollup; analyze dashboard_status_interval; analyze dashboard_rollup_state`.execute(handle.db);
    return { seconds, rows: r.rows };
  } finally {
    await handle.close();
  }
}

/** Without the cycle at this size: a database of its own, seeded by the cycle's loader, measured, dropped. */
export async function benchDashboards(o: {
  settings: DashSettings;
  admin: DatabaseAdmin;
  rules: RuleBook;
  log: (m: string) => void;
  onCleanup: (name: string, fn: () => unknown) => void;
}): Promise<DashResult> {
  const name = `lindung_dash_${process.pid}`;
  const url = await migratedDatabase(o.admin, name, o.onCleanup);
  o.log(`dashboards: seeding ${o.settings.members.toLocaleString('en-US')} members with the cycle's loader (set-based)`);
  const seed = await seedCycleDatabase(url, { members: o.settings.members, month: o.settings.month, rules: o.rules });
  await settleDatabase(url);
  const r = await dashboardsOn(url, { members: o.settings.members, now: dashboardsNow(o.settings.month), source: 'a database of its own, seeded by bench/cycle-seed.ts', seedSeconds: seed.seconds, log: o.log });
  await o.admin.drop(name);
  return r;
}

// ---------------------------------------------------------------------------------------------------- report

const worstMs = (q: DashQuery) => Math.max(q.coldMs, ...q.warmMs);
const ms = (n: number) => (n < 10 ? n.toFixed(1) : n.toFixed(0));

export function dashboardsSection(r: DashResult): string[] {
  const lines: string[] = [];
  lines.push('## Dashboards and contact-centre search (PostgreSQL)');
  lines.push('');
  lines.push(
    `Every dashboard figure (src/modules/dashboards, as /staff/dasbor and GET /api/v1/staff/dashboards/* call them) and every contact-centre search criterion (membership's searchParticipants through its facade, as /staff/layanan and GET /api/v1/staff/participants call it) on ${r.members.toLocaleString('en-US')} members: the monthly cycle's population (bench/cycle-seed.ts) — ${r.source}${r.seedSeconds !== null ? `, seeded in ${r.seedSeconds.toFixed(1)} s` : ''} — plus ${Object.entries(r.extraRows).map(([k, v]) => `${v.toLocaleString('en-US')} ${k} rows`).join(' and ')} (bench/dashboards.ts). The loader leaves the dashboards' rollup of the closed days as a previous day's status job would (src/modules/dashboards/rollup.ts); it was then refreshed as the daily status job does (${r.rollup.seconds.toFixed(1)} s, ${r.rollup.rows.toLocaleString('en-US')} rows written): the figures read closed days from it and the current day live. "Now" for the figures: ${r.now.toISOString()}. Cold-ish: each query's first call on a fresh connection pool after the load and VACUUM ANALYZE (the operating system's page cache is not dropped); warm: ${WARM_CALLS} more calls (each search for another member). Run this part alone: \`npm run bench -- --only=dashboards\` (or \`BENCH_ONLY=dashboards\`; members: \`BENCH_DASH_MEMBERS\`).`,
  );
  lines.push('');
  lines.push('| Query | Cold-ish ms | Warm ms | Rows / points | ≤ 1 s |');
  lines.push('|---|---:|---|---:|---|');
  for (const q of r.queries) {
    lines.push(`| ${q.group}: ${q.name} | ${ms(q.coldMs)} | ${q.warmMs.map(ms).join(' / ')} | ${q.size} | ${worstMs(q) <= DASH_TARGET.ms ? 'yes' : '**no**'} |`);
  }
  return lines;
}

export function dashboardsTargets(r: DashResult): CycleTarget[] {
  const worst = r.queries.reduce<DashQuery | undefined>((w, q) => (w === undefined || worstMs(q) > worstMs(w) ? q : w), undefined);
  if (!worst) {
    return [];
  }
  const full = r.members >= DASH_TARGET.members;
  return [
    {
      what: `Dashboard and search queries at ${DASH_TARGET.members.toLocaleString('en-US')} members each ≤ 1 s (PostgreSQL)`,
      measured: `worst ${ms(worstMs(worst))} ms (${worst.group.toLowerCase()}: ${worst.name}) over ${r.queries.length} queries at ${r.members.toLocaleString('en-US')} members`,
      ratio: `${(worstMs(worst) / DASH_TARGET.ms).toFixed(2)} ×`,
      met: full ? r.queries.every((q) => worstMs(q) <= DASH_TARGET.ms) : null,
    },
  ];
}
