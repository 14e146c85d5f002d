import { sql, type Kysely } from 'kysely';
import type { Database } from '../src/db/database.js';
import { compose } from '../src/compose.js';
import { loadConfig } from '../src/config.js';
import { openPostgres } from '../src/db/connect.js';
import { runDueJobs } from '../src/modules/jobs/index.js';
import { AdjustableClock } from '../src/shared/clock.js';
import { createLogger } from '../src/shared/logger.js';
import { type CycleTarget, type DatabaseAdmin, migratedDatabase } from './cycle.js';
import { benchNikHash } from './nik-sql.js';

/**
 * A partner's enrolment batch of 100,000 rows with 1 % bad rows (issue 17 item 2: ≤ 60 s on PostgreSQL), a part of
 * `npm run bench` (BENCH_ONLY=partner-batch, or `npm run bench -- --only=partner-batch`; rows: BENCH_PARTNER_ROWS).
 *
 * Data: a fresh migrated database; the population registry holds every row's person (written set-based, as
 * POST /dev/population would one by one). The batch is a CSV in the contract's format; every 100th row is bad in one of
 * four ways (invalid NIK, not in the registry, a phone that is no mobile number, a NIK repeated from an earlier row).
 * Measured in this process through the real app (app.request: no network): the upload (POST
 * /api/v1/partner/enrolment-batches, which parses, hashes and seals every NIK and stores the rows) and the job runner
 * (runDueJobs, as /dev/jobs/run and the background runner call it) until the batch is done — every row checked as a
 * registration is, registrations, first bills and bill lines written per 2,000-row chunk, then the batch's one
 * collective bill. Judged on upload + processing.
 */
export const PARTNER_BATCH_TARGET = { rows: 100_000, seconds: 60 } as const;

export interface PartnerBatchResult {
  rows: number;
  bad: number;
  uploadSeconds: number;
  processSeconds: number;
  accepted: number;
  rejected: number;
  billAmount: number | null;
  /** Rows whose outcome differs from what the CSV was made to give (0 = the per-row results are exact). */
  wrongRows: number;
}

/** The code each spoiled row must be rejected with (batchCsv's four kinds), by data row number (from 1). */
export function expectedRejections(rows: number): Map<number, string> {
  const codes = ['invalid_nik', 'identity_mismatch', 'invalid_phone', 'duplicate_in_batch'];
  const out = new Map<number, string>();
  for (let i = 99; i < rows; i += 100) {
    out.set(i + 1, codes[Math.floor(i / 100) % 4]!);
  }
  return out;
}

/** Compares every row's stored outcome with expectedRejections: rejected with the expected code, or accepted with its registration and bill. */
async function countWrongRows(db: Kysely<Database>, batchId: string, rows: number): Promise<number> {
  const expected = expectedRejections(rows);
  const odd = await db
    .selectFrom('partner_batch_row')
    .select(['row', 'status', 'code'])
    .where('batch_id', '=', batchId)
    .where((eb) => eb.or([eb('status', 'is', null), eb('status', '<>', 'accepted'), eb('registration_id', 'is', null), eb('bill_id', 'is', null)]))
    .execute();
  const total = await db.selectFrom('partner_batch_row').select((eb) => eb.fn.countAll<string>().as('n')).where('batch_id', '=', batchId).executeTakeFirstOrThrow();
  const rightlyRejected = odd.filter((r) => r.status === 'rejected' && expected.get(r.row) === r.code).length;
  // Wrong: a missing or extra row, a row rejected or unfinished that should not be (or with another code), a spoiled row accepted.
  return Math.abs(Number(total.n) - rows) + (odd.length - rightlyRejected) + (expected.size - rightlyRejected);
}

function person(i: number) {
  const female = i % 2 === 1;
  const day = 1 + (Math.floor(i / 9_999) % 28);
  const serial = String(1 + (i % 9_999)).padStart(4, '0');
  const nik = `3275${String(1 + Math.floor(i / (9_999 * 28))).padStart(2, '0')}${String(day + (female ? 40 : 0)).padStart(2, '0')}0590${serial}`;
  return { nik, fullName: female ? 'SITI RAHMAWATI' : 'BUDI SANTOSO', birthDate: `1990-05-${String(day).padStart(2, '0')}`, gender: female ? 'F' : 'M' };
}

/** The CSV: row i (0-based) is the i-th person, every 100th row spoiled one of four ways. */
export function batchCsv(rows: number): { csv: string; bad: number } {
  const out = ['nik,fullName,birthDate,gender,phone,email,address,occupationCode,branchCode,programs,declaredIncome,months'];
  let bad = 0;
  for (let i = 0; i < rows; i++) {
    const p = person(i);
    let nik = p.nik;
    let phone = `0812${String(10_000_000 + i).slice(-8)}`;
    if (i % 100 === 99) {
      bad += 1;
      const kind = Math.floor(i / 100) % 4;
      nik = kind === 0 ? '12345' : kind === 1 ? person(rows + i).nik : kind === 3 ? person(i - 1).nik : nik;
      phone = kind === 2 ? '12' : phone;
    }
    out.push(`${nik},${p.fullName},${p.birthDate},${p.gender},${phone},,"Jl. Merdeka No. ${i}, Bekasi",OJOL,JKT-SALEMBA,JKK;JKM,2000000,1`);
  }
  return { csv: `${out.join('\r\n')}\r\n`, bad };
}

async function seedRegistry(db: Kysely<Database>, rows: number, now: Date): Promise<void> {
  for (let start = 0; start < rows; start += 10_000) {
    const chunk = [];
    for (let i = start; i < Math.min(rows, start + 10_000); i++) {
      const p = person(i);
      chunk.push({ h: benchNikHash(p.nik), n: p.fullName, b: p.birthDate, g: p.gender });
    }
    await sql`insert into population_resident (nik_hash, full_name, birth_date, gender, created_at)
              select x.h, x.n, x.b, x.g, ${now}::timestamptz from jsonb_to_recordset(${JSON.stringify(chunk)}::jsonb) as x (h text, n text, b date, g text)`.execute(db);
  }
}

export async function benchPartnerBatch(o: { rows: number; admin: DatabaseAdmin; log: (m: string) => void; onCleanup: (name: string, fn: () => unknown) => void }): Promise<PartnerBatchResult> {
  const name = `lindung_partner_${process.pid}`;
  const url = await migratedDatabase(o.admin, name, o.onCleanup);
  const handle = await openPostgres(url, 10);
  try {
    const clock = new AdjustableClock();
    const config = loadConfig({ NODE_ENV: 'test', LOG_LEVEL: 'warn', DATABASE_URL: url, RATE_LIMITS: 'off', REQUEST_TIMEOUT_MS: '600000' });
    const { app, deps } = compose(config, handle, { clock, logger: createLogger('warn'), transports: { email: null, sms: null } });
    o.log(`partner-batch: seeding the population registry with ${o.rows.toLocaleString('en-US')} residents`);
    await seedRegistry(handle.db, o.rows, clock.now());
    await sql`analyze population_resident`.execute(handle.db);
    const made = await (await app.request('/dev/partners', { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ name: 'PT Bench', funding: 'partner' }) })).json() as { clientId: string; clientSecret: string };
    const tokenRes = await app.request('/api/v1/oauth/token', {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded', authorization: `Basic ${Buffer.from(`${made.clientId}:${made.clientSecret}`).toString('base64')}` },
      body: 'grant_type=client_credentials',
    });
    const token = ((await tokenRes.json()) as { access_token: string }).access_token;
    const { csv, bad } = batchCsv(o.rows);
    o.log(`partner-batch: uploading ${o.rows.toLocaleString('en-US')} rows (${(csv.length / 1e6).toFixed(1)} MB of CSV, ${bad} bad)`);
    const t0 = performance.now();
    const up = await app.request('/api/v1/partner/enrolment-batches', { method: 'POST', headers: { authorization: `Bearer ${token}`, 'content-type': 'text/csv', 'idempotency-key': 'bench-1' }, body: csv });
    const batch = (await up.json()) as { id: string };
    if (up.status !== 202) {
      throw new Error(`upload answered ${up.status}: ${JSON.stringify(batch)}`);
    }
    const t1 = performance.now();
    o.log(`partner-batch: uploaded in ${((t1 - t0) / 1000).toFixed(1)} s; processing`);
    for (let pass = 0; pass < 20; pass++) {
      const { jobs } = await runDueJobs(deps);
      if (jobs.length === 0) {
        break;
      }
    }
    const t2 = performance.now();
    const b = await handle.db.selectFrom('partner_batch').select(['status', 'accepted', 'rejected', 'amount']).where('id', '=', batch.id).executeTakeFirstOrThrow();
    o.log(`partner-batch: ${b.status}: ${b.accepted} accepted, ${b.rejected} rejected in ${((t2 - t1) / 1000).toFixed(1)} s`);
    const wrongRows = await countWrongRows(handle.db, batch.id, o.rows);
    o.log(`partner-batch: per-row results checked against the CSV's making: ${wrongRows} wrong`);
    return { rows: o.rows, bad, uploadSeconds: (t1 - t0) / 1000, processSeconds: (t2 - t1) / 1000, accepted: b.accepted, rejected: b.rejected, billAmount: b.amount === null ? null : Number(b.amount), wrongRows };
  } finally {
    await handle.close();
    await o.admin.drop(name);
  }
}

export function partnerBatchSection(r: PartnerBatchResult): string[] {
  return [
    '## Partner enrolment batch (PostgreSQL)',
    '',
    `One CSV batch of ${r.rows.toLocaleString('en-US')} rows, ${r.bad.toLocaleString('en-US')} of them bad (invalid NIK, not in the registry, no mobile number, NIK repeated in the batch), through the real app in-process (bench/partner-batch.ts): the upload (parse, hash and seal every NIK, store the rows) ${r.uploadSeconds.toFixed(1)} s, then the job (every row checked as a registration is; registrations, first bills and bill lines written set-based per 2,000-row chunk; the batch's one collective bill) ${r.processSeconds.toFixed(1)} s. Outcome: ${r.accepted.toLocaleString('en-US')} accepted, ${r.rejected.toLocaleString('en-US')} rejected, bill ${r.billAmount === null ? 'none' : `Rp ${r.billAmount.toLocaleString('en-US')}`}; every row's stored outcome compared with what the CSV was made to give (each spoiled row rejected with its own code, every other row accepted with a registration and a bill): ${r.wrongRows === 0 ? 'all exact' : `${r.wrongRows.toLocaleString('en-US')} wrong`}. Run this part alone: \`npm run bench -- --only=partner-batch\` (rows: \`BENCH_PARTNER_ROWS\`).`,
  ];
}

export function partnerBatchTargets(r: PartnerBatchResult): CycleTarget[] {
  const total = r.uploadSeconds + r.processSeconds;
  return [
    {
      what: `A partner batch of ${PARTNER_BATCH_TARGET.rows.toLocaleString('en-US')} rows (1 % bad) processed ≤ ${PARTNER_BATCH_TARGET.seconds} s (PostgreSQL), per-row results exact`,
      measured: `${total.toFixed(1)} s (upload ${r.uploadSeconds.toFixed(1)} s + job ${r.processSeconds.toFixed(1)} s) for ${r.rows.toLocaleString('en-US')} rows`,
      ratio: `${(total / PARTNER_BATCH_TARGET.seconds).toFixed(2)} ×`,
      met: r.rows >= PARTNER_BATCH_TARGET.rows ? total <= PARTNER_BATCH_TARGET.seconds && r.accepted + r.rejected === r.rows && r.wrongRows === 0 : null,
    },
  ];
}
