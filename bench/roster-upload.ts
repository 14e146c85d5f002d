import { sql, type Kysely } from 'kysely';
import type { Database } from '../src/db/database.js';
import { compose } from '../src/compose.js';
import { loadConfig } from '../src/config.js';
import { openPostgres } from '../src/db/connect.js';
import type { RuleBook } from '../src/modules/contributions/domain/rule-book.js';
import { runDueJobs } from '../src/modules/jobs/index.js';
import { dueRosterUploads } from '../src/modules/jobs/roster-jobs.js';
import { AdjustableClock } from '../src/shared/clock.js';
import { createLogger } from '../src/shared/logger.js';
import { addMonths, type Month } from '../src/shared/month.js';
import { type CycleTarget, type DatabaseAdmin, migratedDatabase } from './cycle.js';
import { seedCycleDatabase, settleDatabase } from './cycle-seed.js';
import { benchNikHash } from './nik-sql.js';

/**
 * A government payer's roster upload of 100,000 rows with 1 % bad rows (issue 17 item 3), a part of `npm run bench`
 * (`npm run bench -- --only=roster-upload`; rows: BENCH_ROSTER_ROWS). PostgreSQL only.
 *
 * Data: a fresh migrated database with that many ACTIVE, self-funded members, written set-based by the monthly
 * cycle's seed (bench/cycle-seed.ts, every member covered through the month before the period), and an APBN payer
 * (POST /dev/partners, funding apbn). The CSV names member i in data row i — by NIK on even rows, by KPJ on odd
 * ones — except every 100th row, spoiled one of four ways in turn: a KPJ nobody has (unknown_participant, kpj), a
 * valid NIK no member has (unknown_participant, nik), the row before repeated (duplicate_in_batch at the upload,
 * kpj), the NIK of the member the row before named by KPJ (duplicate_in_batch in the job, nik).
 * Measured in this process through the real app (app.request): the upload (POST /api/v1/partner/rosters?period=)
 * and the job `roster-upload:<id>` (runDueJobs with only the uploads' recurring probe) until the upload is done.
 * Checked after: EVERY row's stored result (status, code, field, KPJ) against the CSV's making, every member's
 * funding rows (accepted: the self-funded history row from its first covered month and the payer's row from the
 * period; others: none) and one audit row per member moved.
 */
export const ROSTER_UPLOAD_TARGET = { rows: 100_000, seconds: 600 } as const;

export interface RosterUploadResult {
  rows: number;
  bad: number;
  seedSeconds: number;
  uploadSeconds: number;
  jobSeconds: number;
  accepted: number;
  rejected: number;
  /** Rows whose stored result differs from the expected one. */
  wrongRows: number;
  /** Members whose funding rows differ from the expected ones, and audit rows missing or extra. */
  wrongFunding: number;
  wrongAudit: number;
  period: Month;
}

interface Member {
  kpj: string;
  nik: string;
}

interface Expected {
  csv: string;
  results: Map<number, { status: 'accepted' | 'rejected'; code: string | null; field: string | null; kpj: string | null }>;
  joined: Set<string>;
  bad: number;
}

/** The NIK bench/cycle-seed.ts gives member i (born 1970-01-01 + i % 12000 days, a woman when i is odd: day + 40), with `serial`. */
function seededNik(i: number, serial: number): string {
  const [y, m, d] = new Date(Date.UTC(1970, 0, 1) + (i % 12_000) * 86_400_000).toISOString().slice(0, 10).split('-') as [string, string, string];
  return `327501${String(Number(d) + (i % 2 === 1 ? 40 : 0)).padStart(2, '0')}${m}${y.slice(2)}${String(serial).padStart(4, '0')}`;
}

/** The members by number i (their KPJ is (1000000000 + i) with its check digit), each NIK checked against its stored hash. */
async function seededMembers(db: Kysely<Database>, rows: number): Promise<Member[]> {
  const ps = await db.selectFrom('participant').select(['kpj', 'nik_hash']).execute();
  const out: Member[] = [];
  for (const p of ps) {
    const i = Number(p.kpj.slice(0, -1)) - 1_000_000_000;
    const nik = seededNik(i, 1 + Math.floor(i / 12_000));
    if (benchNikHash(nik) !== p.nik_hash) {
      throw new Error(`roster-upload: member ${i}'s NIK is not the one the seed made`);
    }
    out[i] = { kpj: p.kpj, nik };
  }
  for (let i = 1; i <= rows; i++) {
    if (!out[i]) {
      throw new Error(`roster-upload: member ${i} missing`);
    }
  }
  return out;
}

/** The CSV and what each row must give (see the file comment). */
export function rosterCsv(members: readonly Member[], rows: number, noNik: (i: number) => string): Expected {
  const lines = ['nik,kpj,action'];
  const results: Expected['results'] = new Map();
  const joined = new Set<string>();
  let bad = 0;
  for (let i = 1; i <= rows; i++) {
    const m = members[i]!;
    const byNik = i % 2 === 0;
    if (i % 100 === 0) {
      bad += 1;
      const kind = (i / 100) % 4;
      const prev = members[i - 1]!; // row i-1 is odd: named by KPJ
      if (kind === 0) {
        lines.push(`,2${String(i).padStart(10, '0')},join`);
        results.set(i, { status: 'rejected', code: 'unknown_participant', field: 'kpj', kpj: null });
      } else if (kind === 1) {
        lines.push(`${noNik(i)},,join`);
        results.set(i, { status: 'rejected', code: 'unknown_participant', field: 'nik', kpj: null });
      } else if (kind === 2) {
        lines.push(`,${prev.kpj},join`);
        results.set(i, { status: 'rejected', code: 'duplicate_in_batch', field: 'kpj', kpj: null });
      } else {
        lines.push(`${prev.nik},,join`);
        results.set(i, { status: 'rejected', code: 'duplicate_in_batch', field: 'nik', kpj: null });
      }
      continue;
    }
    lines.push(byNik ? `${m.nik},,join` : `,${m.kpj},join`);
    results.set(i, { status: 'accepted', code: null, field: null, kpj: m.kpj });
    joined.add(m.kpj);
  }
  return { csv: `${lines.join('\r\n')}\r\n`, results, joined, bad };
}

async function countWrongRows(db: Kysely<Database>, uploadId: string, expected: Expected): Promise<number> {
  const stored = await db.selectFrom('roster_upload_row').select(['row', 'status', 'code', 'field', 'member_kpj']).where('upload_id', '=', uploadId).execute();
  let wrong = Math.abs(stored.length - expected.results.size);
  for (const r of stored) {
    const e = expected.results.get(r.row);
    if (!e || e.status !== r.status || e.code !== (r.code ?? null) || e.field !== (r.field ?? null) || e.kpj !== (r.member_kpj ?? null)) {
      wrong += 1;
    }
  }
  return wrong;
}

/** Members whose funding rows are not: (first covered month, self, no payer) + (period, apbn, the payer) when joined; none otherwise. */
async function countWrongFunding(db: Kysely<Database>, payerId: string, period: Month, expected: Expected): Promise<number> {
  const { rows } = await sql<{ kpj: string; n: number; ok: boolean }>`
    select p.kpj, count(*)::int as n,
           bool_and((f.from_month = ${period} and f.funding = 'apbn' and f.payer_id = ${payerId} and f.actor = ${`partner:${payerId}`})
                    or (f.from_month = (select min(cm.month) from coverage_month cm where cm.participant_id = p.id) and f.from_month < ${period}
                        and f.funding = 'self' and f.payer_id is null and f.actor = 'system'))
             and count(*) filter (where f.from_month = ${period}) = 1 as ok
      from participant_funding f join participant p on p.id = f.participant_id
     group by p.id, p.kpj`.execute(db);
  let wrong = 0;
  const seen = new Set<string>();
  for (const r of rows) {
    seen.add(r.kpj);
    if (!expected.joined.has(r.kpj) || r.n !== 2 || !r.ok) {
      wrong += 1;
    }
  }
  for (const kpj of expected.joined) {
    wrong += seen.has(kpj) ? 0 : 1;
  }
  return wrong;
}

async function countWrongAudit(db: Kysely<Database>, payerId: string, expected: Expected): Promise<number> {
  const rows = await db.selectFrom('staff_audit').select(['subject']).where('actor', '=', `partner:${payerId}`).execute();
  const subjects = new Set(rows.map((r) => r.subject));
  let wrong = Math.abs(rows.length - expected.joined.size);
  for (const kpj of expected.joined) {
    wrong += subjects.has(`participant:${kpj}`) ? 0 : 1;
  }
  return wrong;
}

/** The month after `now` (UTC): the period the payer starts paying. */
export function rosterPeriod(now: Date): Month {
  return addMonths(now.toISOString().slice(0, 7), 1) as Month;
}

export async function benchRosterUpload(o: { rows: number; admin: DatabaseAdmin; rules: RuleBook; log: (m: string) => void; onCleanup: (name: string, fn: () => unknown) => void }): Promise<RosterUploadResult> {
  const name = `lindung_roster_${process.pid}`;
  const url = await migratedDatabase(o.admin, name, o.onCleanup);
  const period = rosterPeriod(new Date());
  o.log(`roster-upload: seeding ${o.rows.toLocaleString('en-US')} active self-funded members (covered through ${addMonths(period, -1)})`);
  const seed = await seedCycleDatabase(url, { members: o.rows, month: period, rules: o.rules, mix: [{ offset: -1, weight: 1 }], selfFundedOnly: true });
  await settleDatabase(url);
  const handle = await openPostgres(url, 10);
  try {
    const clock = new AdjustableClock();
    clock.set(seed.seededAt);
    const config = loadConfig({ NODE_ENV: 'test', LOG_LEVEL: 'warn', DATABASE_URL: url, RATE_LIMITS: 'off', REQUEST_TIMEOUT_MS: '600000' });
    const { app, deps } = compose(config, handle, { clock, logger: createLogger('warn'), transports: { email: null, sms: null } });
    const members = await seededMembers(handle.db, o.rows);
    // A valid NIK no member has: member i's birth date with a serial the seed never gives.
    const expected = rosterCsv(members, o.rows, (i) => seededNik(i, 9_000 + Math.floor(i / 12_000)));
    const made = (await (await app.request('/dev/partners', { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ name: 'Kementerian Bench', funding: 'apbn' }) })).json()) as { partnerId: string; clientId: string; clientSecret: string };
    const tokenRes = await app.request('/api/v1/oauth/token', {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded', authorization: `Basic ${Buffer.from(`${made.clientId}:${made.clientSecret}`).toString('base64')}` },
      body: 'grant_type=client_credentials',
    });
    const token = ((await tokenRes.json()) as { access_token: string }).access_token;
    o.log(`roster-upload: uploading ${o.rows.toLocaleString('en-US')} rows for ${period} (${(expected.csv.length / 1e6).toFixed(1)} MB of CSV, ${expected.bad} bad)`);
    const t0 = performance.now();
    const up = await app.request(`/api/v1/partner/rosters?period=${period}`, { method: 'POST', headers: { authorization: `Bearer ${token}`, 'content-type': 'text/csv', 'idempotency-key': 'bench-roster-1' }, body: expected.csv });
    const upload = (await up.json()) as { id: string };
    if (up.status !== 202) {
      throw new Error(`roster upload answered ${up.status}: ${JSON.stringify(upload)}`);
    }
    const t1 = performance.now();
    o.log(`roster-upload: uploaded in ${((t1 - t0) / 1000).toFixed(1)} s; running the job`);
    for (let pass = 0; pass < 50; pass++) {
      await runDueJobs(deps, { recurring: [dueRosterUploads] });
      const u = await handle.db.selectFrom('roster_upload').select('status').where('id', '=', upload.id).executeTakeFirstOrThrow();
      if (u.status === 'done') {
        break;
      }
    }
    const t2 = performance.now();
    const u = await handle.db.selectFrom('roster_upload').select(['status', 'accepted', 'processed', 'total']).where('id', '=', upload.id).executeTakeFirstOrThrow();
    o.log(`roster-upload: ${u.status}: ${u.accepted} accepted, ${u.processed - u.accepted} rejected in ${((t2 - t1) / 1000).toFixed(1)} s; checking every row`);
    const wrongRows = await countWrongRows(handle.db, upload.id, expected);
    const wrongFunding = await countWrongFunding(handle.db, made.partnerId, period, expected);
    const wrongAudit = await countWrongAudit(handle.db, made.partnerId, expected);
    o.log(`roster-upload: wrong rows ${wrongRows}, wrong funding ${wrongFunding}, wrong audit ${wrongAudit}`);
    return {
      rows: o.rows,
      bad: expected.bad,
      seedSeconds: seed.seconds,
      uploadSeconds: (t1 - t0) / 1000,
      jobSeconds: (t2 - t1) / 1000,
      accepted: u.accepted,
      rejected: u.processed - u.accepted,
      wrongRows,
      wrongFunding,
      wrongAudit,
      period,
    };
  } finally {
    await handle.close();
    await o.admin.drop(name);
  }
}

const f = (n: number) => n.toLocaleString('en-US');

export function rosterUploadSection(r: RosterUploadResult): string[] {
  const total = r.uploadSeconds + r.jobSeconds;
  return [
    '## Government roster upload (PostgreSQL)',
    '',
    `One roster CSV of ${f(r.rows)} rows for ${r.period} from an APBN payer, ${f(r.bad)} of them bad (a KPJ nobody has, a NIK no member has, a row repeated, a member named again by NIK), every other row an ACTIVE self-funded member (seeded set-based by bench/cycle-seed.ts in ${r.seedSeconds.toFixed(1)} s) joining the payer's funding from the period, through the real app in-process (bench/roster-upload.ts): the upload (parse, hash every NIK, store the rows) ${r.uploadSeconds.toFixed(1)} s, then the job \`roster-upload:<id>\` (chunks of 500 rows; a chunk's joins set-based in its one transaction with its outcomes, membership setFundingMany: history rows, open bills, audit) ${r.jobSeconds.toFixed(1)} s — ${f(Math.round(r.rows / total))} rows/s overall, ${f(Math.round(r.rows / r.jobSeconds))} rows/s in the job. Outcome: ${f(r.accepted)} accepted, ${f(r.rejected)} rejected; every row's stored result (status, code, field, KPJ) compared with what the CSV was made to give: ${r.wrongRows === 0 ? 'all exact' : `${f(r.wrongRows)} wrong`}; funding rows of every member (moved: the self-funded row from the first covered month and the payer's from the period; others none): ${r.wrongFunding === 0 ? 'all exact' : `${f(r.wrongFunding)} members wrong`}; audit rows: ${r.wrongAudit === 0 ? 'one per member moved' : `${f(r.wrongAudit)} wrong`}. Run this part alone: \`npm run bench -- --only=roster-upload\` (rows: \`BENCH_ROSTER_ROWS\`).`,
  ];
}

export function rosterUploadTargets(r: RosterUploadResult): CycleTarget[] {
  const total = r.uploadSeconds + r.jobSeconds;
  return [
    {
      what: `A government roster upload of ${f(ROSTER_UPLOAD_TARGET.rows)} rows (1 % bad) applied ≤ ${ROSTER_UPLOAD_TARGET.seconds / 60} minutes (PostgreSQL), per-row results and funding rows exact`,
      measured: `${total.toFixed(1)} s (upload ${r.uploadSeconds.toFixed(1)} s + job ${r.jobSeconds.toFixed(1)} s) for ${f(r.rows)} rows`,
      ratio: `${(total / ROSTER_UPLOAD_TARGET.seconds).toFixed(2)} ×`,
      met: r.rows >= ROSTER_UPLOAD_TARGET.rows ? total <= ROSTER_UPLOAD_TARGET.seconds && r.wrongRows === 0 && r.wrongFunding === 0 && r.wrongAudit === 0 : null,
    },
  ];
}
