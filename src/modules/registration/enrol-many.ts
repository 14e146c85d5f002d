import { sql, type Transaction } from 'kysely';
import type { Database } from '../../db/database.js';
import type { Deps } from '../../deps.js';
import { randomToken, sha256Hex } from '../../shared/crypto.js';
import { newId } from '../../shared/ids.js';
import { localDateInJakarta } from '../../shared/month.js';
import { newPaymentCodes, type Funding } from '../contributions/index.js';
import { IdentityUnavailableError, type IdentityProvider } from '../identity/index.js';
import { firstBillStartMonth, summarizeParticipant } from '../membership/index.js';
import { branchDirectory, occupationDirectory } from '../reference/index.js';
import { checkEnrolmentRow, type CheckedEnrolmentRow, type EnrolmentRejection, type EnrolmentRow } from './domain/enrolment-row.js';

/**
 * Set-based enrolment (a partner's batch, issue 17): many workers checked as registrations are and, for those that
 * pass, registrations (status 'submitted', the phone and e-mail vouched for by the payer: no OTP) with their first
 * bills written with one statement per table. Two steps so that nothing waits on a transaction:
 * - prepareEnrolment (outside any transaction): the pure checks, then the population registry and the existing
 *   members for all rows at once (`= any(…)`);
 * - enrolMany (in the caller's transaction): the inserts. The bills are left open for the payer's collective bill.
 */
export interface EnrolManyRow extends EnrolmentRow {
  /** The caller's reference (a batch row number), handed back in the outcome. */
  ref: number;
  nikHash: string;
  nikSealed: string;
  /** The NIK appeared on an earlier row of the same batch. */
  duplicate: boolean;
}

export interface EnrolManyOptions {
  channel: 'partner';
  funding: Funding;
  payerId: string;
  /** Who registered, for registration.registered_by (e.g. 'partner:<id>'). */
  registeredBy: string;
  expiresAt: Date;
}

export type EnrolOutcome =
  | { ref: number; status: 'accepted'; registrationId: string; billId: string; amount: number }
  | { ref: number; status: 'rejected'; code: EnrolmentRejection; field: string };

export interface PreparedEnrolment {
  rejected: Extract<EnrolOutcome, { status: 'rejected' }>[];
  accepted: { row: EnrolManyRow; checked: CheckedEnrolmentRow }[];
}

const IDENTITY_CONCURRENCY = 16;

async function checkIdentities(identity: IdentityProvider, rows: readonly { row: EnrolManyRow; checked: CheckedEnrolmentRow }[]) {
  const claims = rows.map(({ row, checked }) => ({ nik: row.nik, fullName: checked.fullName, birthDate: row.birthDate, gender: checked.gender }));
  if (identity.checkMany) {
    return identity.checkMany(claims);
  }
  const out = [];
  for (let i = 0; i < claims.length; i += IDENTITY_CONCURRENCY) {
    out.push(...(await Promise.all(claims.slice(i, i + IDENTITY_CONCURRENCY).map((c) => identity.check(c)))));
  }
  return out;
}

/** The NIK hashes (of those given) that belong to a participant who is not inactive. */
async function activeMembers(deps: Deps, hashes: readonly string[]): Promise<Set<string>> {
  if (hashes.length === 0) {
    return new Set();
  }
  const found = await deps.db.selectFrom('participant').selectAll().where('nik_hash', '=', sql<string>`any(${hashes}::text[])`).execute();
  const active = new Set<string>();
  for (const p of found) {
    const s = await summarizeParticipant(deps, p);
    if (s !== null && s.status !== 'inactive') {
      active.add(p.nik_hash);
    }
  }
  return active;
}

export async function prepareEnrolment(deps: Deps, rows: readonly EnrolManyRow[], funding: Funding): Promise<PreparedEnrolment> {
  const now = deps.clock.now();
  const occupations = await occupationDirectory(deps.db);
  const branches = await branchDirectory(deps.db);
  const ctx = {
    today: localDateInJakarta(now),
    sectorOf: (code: string) => occupations.find(code)?.sector,
    branchKnown: (code: string) => branches.find(code) !== undefined,
    startMonth: firstBillStartMonth(now),
    funding,
    rules: deps.rules,
  };
  const rejected: PreparedEnrolment['rejected'] = [];
  let passed: PreparedEnrolment['accepted'] = [];
  for (const row of rows) {
    const checked = checkEnrolmentRow(row, ctx, row.duplicate);
    if (checked.ok) {
      passed.push({ row, checked: checked.value });
    } else {
      rejected.push({ ref: row.ref, status: 'rejected', code: checked.code, field: checked.field ?? 'row' });
    }
  }
  let identities;
  try {
    identities = await checkIdentities(deps.identity, passed);
  } catch (err) {
    // The registry is down: the whole chunk is retried later by the job (nothing was written).
    throw err instanceof IdentityUnavailableError ? new Error(`population registry unavailable: ${err.message}`) : err;
  }
  const matched: PreparedEnrolment['accepted'] = [];
  passed.forEach((p, i) => {
    const check = identities[i];
    if (check?.outcome === 'match') {
      matched.push({ row: p.row, checked: { ...p.checked, fullName: check.registryName } });
    } else {
      rejected.push({ ref: p.row.ref, status: 'rejected', code: 'identity_mismatch', field: 'nik' });
    }
  });
  const members = await activeMembers(deps, matched.map((m) => m.row.nikHash));
  passed = [];
  for (const m of matched) {
    if (members.has(m.row.nikHash)) {
      rejected.push({ ref: m.row.ref, status: 'rejected', code: 'already_registered', field: 'nik' });
    } else {
      passed.push(m);
    }
  }
  return { rejected, accepted: passed };
}

/** Writes the registrations, their first bills and the bill lines of the prepared rows (three statements). */
export async function enrolMany(trx: Transaction<Database>, deps: Deps, prepared: PreparedEnrolment, opts: EnrolManyOptions): Promise<EnrolOutcome[]> {
  const now = deps.clock.now();
  const codes = newPaymentCodes(prepared.accepted.length);
  // Nobody verifies these e-mails by link (the payer vouched for them); the column still takes an unguessable hash.
  const tokenHash = sha256Hex(randomToken(16));
  const regs: Record<string, unknown>[] = [];
  const bills: Record<string, unknown>[] = [];
  const lines: Record<string, unknown>[] = [];
  const accepted: EnrolOutcome[] = [];
  prepared.accepted.forEach(({ row, checked }, i) => {
    const registrationId = newId('reg');
    const billId = newId('bil');
    regs.push({
      id: registrationId, h: row.nikHash, s: row.nikSealed, fn: checked.fullName, bd: row.birthDate, g: checked.gender, ph: checked.phone,
      em: checked.email, ad: checked.address, oc: row.occupationCode, sc: checked.sector, bc: row.branchCode, pr: checked.programs,
      di: row.declaredIncome, rm: row.months,
    });
    const first = checked.quote.months[0]?.month ?? '';
    bills.push({ id: billId, pc: codes[i], r: registrationId, a: checked.quote.total, fm: first, mc: checked.quote.months.length });
    for (const m of checked.quote.months) {
      for (const l of m.lines) {
        lines.push({ b: billId, m: m.month, p: l.program, a: l.amount, d: l.discount, n: l.net });
      }
    }
    accepted.push({ ref: row.ref, status: 'accepted', registrationId, billId, amount: checked.quote.total });
  });
  if (regs.length > 0) {
    await insertRegistrations(trx, regs, opts, tokenHash, now);
    await insertBills(trx, bills, lines, opts.expiresAt, now);
  }
  return [...accepted, ...prepared.rejected].sort((a, b) => a.ref - b.ref);
}

async function insertRegistrations(trx: Transaction<Database>, regs: Record<string, unknown>[], opts: EnrolManyOptions, tokenHash: string, now: Date): Promise<void> {
  await sql`
    insert into registration (id, nik_hash, nik_sealed, full_name, birth_date, gender, phone, email, address, occupation_code, sector,
                              branch_code, status, email_token_hash, email_verified_at, phone_verified_at, programs, declared_income,
                              requested_months, funding, payer_id, channel, registered_by, created_at, updated_at)
    select r.id, r.h, r.s, r.fn, r.bd, r.g, r.ph, r.em, r.ad, r.oc, r.sc, r.bc, 'submitted', ${tokenHash},
           case when r.em = '' then null else ${now}::timestamptz end, ${now}::timestamptz, r.pr, r.di, r.rm,
           ${opts.funding}, ${opts.payerId}, ${opts.channel}, ${opts.registeredBy}, ${now}::timestamptz, ${now}::timestamptz
      from jsonb_to_recordset(${JSON.stringify(regs)}::jsonb)
           as r (id text, h text, s text, fn text, bd date, g text, ph text, em text, ad text, oc text, sc text, bc text, pr text[], di bigint, rm smallint)
  `.execute(trx);
}

async function insertBills(trx: Transaction<Database>, bills: Record<string, unknown>[], lines: Record<string, unknown>[], expiresAt: Date, now: Date): Promise<void> {
  const inserted = await sql<{ id: string }>`
    insert into bill (id, payment_code, kind, registration_id, participant_id, amount, status, first_month, month_count, expires_at, created_at, paid_at)
    select b.id, b.pc, 'first', b.r, null, b.a, 'open', b.fm, b.mc, ${expiresAt}::timestamptz, ${now}::timestamptz, null
      from jsonb_to_recordset(${JSON.stringify(bills)}::jsonb) as b (id text, pc text, r text, a bigint, fm text, mc int)
    on conflict (payment_code) do nothing
    returning id
  `.execute(trx);
  if (inserted.rows.length !== bills.length) {
    // Two of 10^14 codes collided: the chunk's transaction rolls back and the job runs it again with new codes.
    throw new Error('payment code collision in an enrolment chunk');
  }
  await sql`
    insert into bill_line (bill_id, month, program, amount, discount, net)
    select x.b, x.m, x.p, x.a, x.d, x.n from jsonb_to_recordset(${JSON.stringify(lines)}::jsonb) as x (b text, m text, p text, a bigint, d bigint, n bigint)
  `.execute(trx);
}
