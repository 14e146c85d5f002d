import { sql, type Kysely } from 'kysely';
import type { Database } from '../src/db/database.js';
import { newPaymentCode } from '../src/modules/contributions/bills.js';
import { priceContribution, type Quote } from '../src/modules/contributions/domain/price-contribution.js';
import type { RuleBook } from '../src/modules/contributions/domain/rule-book.js';
import { normalizePhone } from '../src/modules/identity/domain/contact.js';
import { validateNik } from '../src/modules/identity/domain/nik.js';
import { contributionTransfers } from '../src/modules/ledger/ledger.js';
import type { RegistrationInput } from '../src/modules/registration/registration.js';
import { fingerprint } from '../src/modules/payments/apply-payment.js';
import { renderTemplate, type Template } from '../src/modules/notifications/templates.js';
import { findOccupation } from '../src/modules/reference/occupations.js';
import { hmacSha256Hex, randomToken, sha256Hex } from '../src/shared/crypto.js';
import { luhnCheckDigit, newId, randomDigits } from '../src/shared/ids.js';
import { addDays, addMonths, formatInstantWib, monthInJakarta } from '../src/shared/month.js';
import { loadWithBillAmountsCheckedAfter } from './bill-amount-check.js';
import { BENCH_NIK_SEALED, benchNikHash } from './nik-sql.js';

/**
 * Direct-SQL seed for the benchmark: the rows that the real flows write, generated in Node with the project's own
 * helpers (newId, newPaymentCode, priceContribution, renderTemplate, contributionTransfers, fingerprint)
 * and inserted set-based (INSERT … SELECT … FROM unnest(…), a few thousand rows a statement). Row by row through the
 * HTTP API would take tens of minutes for this volume.
 *
 * Two populations:
 * - open: a registration that went through createRegistration → verify email → verify phone → submitRegistration,
 *   with its open FIRST bill (one payment code each, expiring 24 h after submit). The benchmark settles these.
 * - members: the same, then paid (a settled first-bill notification) one to six months ago: participant,
 *   paid bill, payment, coverage months, ledger transfers, card email. They give the tables realistic size and
 *   statistics (see the notes' "empty-table ANALYZE trap").
 *
 * bench/shape-check.ts compares these rows with the rows the real API writes, so the seed cannot drift silently.
 */

export interface Variant {
  programs: string[];
  declaredIncome: number;
  months: number;
}

/** Each seeded registration takes one of these (the submit body), in turn. */
export const VARIANTS: readonly Variant[] = [
  { programs: ['JKK', 'JKM'], declaredIncome: 1_000_000, months: 1 },
  { programs: ['JKK', 'JKM', 'JHT'], declaredIncome: 2_000_000, months: 1 },
  { programs: ['JKK', 'JKM'], declaredIncome: 3_500_000, months: 3 },
];
export const OCCUPATION_CODES = ['OJOL', 'KURIR', 'PEDAGANG_PASAR', 'PEDAGANG_KAKI_LIMA'] as const;
const BRANCH_CODES = ['JKT-SALEMBA', 'JKT-CILANDAK', 'BDG-SUCI', 'BEKASI', 'BOGOR'] as const;
const FIRST_NAMES = ['Budi', 'Siti', 'Agus', 'Dewi', 'Rudi', 'Sri', 'Andi', 'Wati', 'Joko', 'Rina', 'Eko', 'Nur'];
const LAST_NAMES = ['Santoso', 'Rahmawati', 'Wijaya', 'Lestari', 'Hidayat', 'Susanti', 'Saputra', 'Kurniawan'];
const CHANNELS = ['va', 'qris', 'ewallet', 'retail'] as const;

export interface SeedOptions {
  openBills: number;
  members: number;
  now: Date;
  rules: RuleBook;
  otpSecret: string;
  publicBaseUrl: string;
  firstBillTtlMs: number;
  /** Person numbers start here (the shape check uses numbers below it). */
  personOffset?: number;
}

export interface SeededBill {
  paymentCode: string;
  amount: number;
  /** Renewal bills: the member's KPJ (their SNAP virtual account is partnerServiceId + KPJ). */
  kpj?: string;
}

export interface SeedResult {
  bills: SeededBill[];
  /** One open renewal bill (the month after their cover) per member who already paid: the steady-state payment. */
  renewalBills: SeededBill[];
  rows: Record<string, number>;
  seconds: number;
}

/** A seeded person: the registration fields, consent aside. */
export type SeedPerson = Omit<RegistrationInput, 'consent'>;

/** Person number i → a distinct, structurally valid Indonesian resident (NIK of Kota Bekasi, mobile phone, email). */
export function seedPerson(i: number): SeedPerson {
  const gender = i % 2 === 0 ? 'M' : 'F';
  const birthDate = addDays('1970-01-01', i % 12_000);
  const [y, m, d] = birthDate.split('-') as [string, string, string];
  const nikDay = String(Number(d) + (gender === 'F' ? 40 : 0)).padStart(2, '0');
  const serial = String(1 + Math.floor(i / 12_000)).padStart(4, '0');
  return {
    nik: `327501${nikDay}${m}${y.slice(2)}${serial}`,
    fullName: `${FIRST_NAMES[i % FIRST_NAMES.length]} ${LAST_NAMES[Math.floor(i / FIRST_NAMES.length) % LAST_NAMES.length]}`,
    birthDate,
    gender,
    phone: `+62812${String(i).padStart(8, '0')}`,
    email: `peserta.${i}@contoh.id`,
    address: `Jl. Merdeka No. ${1 + (i % 200)}, Bekasi`,
    occupationCode: OCCUPATION_CODES[i % OCCUPATION_CODES.length] ?? 'OJOL',
    branchCode: BRANCH_CODES[i % BRANCH_CODES.length] ?? 'JKT-SALEMBA',
  };
}

type Row = Record<string, string | number | null>;
type ColumnTypes = Record<string, string>;

const COLUMNS: Record<string, ColumnTypes> = {
  population_resident: { nik_hash: 'text', full_name: 'text', birth_date: 'date', gender: 'text', created_at: 'timestamptz' },
  registration: {
    id: 'text', nik_hash: 'text', nik_sealed: 'text', full_name: 'text', birth_date: 'date', gender: 'text', phone: 'text', email: 'text', address: 'text',
    occupation_code: 'text', sector: 'text', branch_code: 'text', channel: 'text', status: 'text', email_token_hash: 'text', email_verified_at: 'timestamptz',
    phone_verified_at: 'timestamptz', programs: 'text[]', declared_income: 'bigint', funding: 'text', participant_id: 'text',
    created_at: 'timestamptz', updated_at: 'timestamptz',
  },
  otp_challenge: {
    id: 'text', purpose: 'text', subject: 'text', code_hash: 'text', expires_at: 'timestamptz', failed_attempts: 'integer',
    created_at: 'timestamptz', consumed_at: 'timestamptz',
  },
  participant: {
    id: 'text', kpj: 'text', nik_hash: 'text', nik_sealed: 'text', full_name: 'text', birth_date: 'date', gender: 'text', phone: 'text', email: 'text',
    address: 'text', occupation_code: 'text', sector: 'text', branch_code: 'text', programs: 'text[]', declared_income: 'bigint',
    funding: 'text', registration_id: 'text', created_at: 'timestamptz', updated_at: 'timestamptz',
  },
  bill: {
    id: 'text', payment_code: 'text', kind: 'text', registration_id: 'text', participant_id: 'text', amount: 'bigint', status: 'text',
    first_month: 'text', month_count: 'integer', expires_at: 'timestamptz', created_at: 'timestamptz', paid_at: 'timestamptz', payment_id: 'text',
  },
  bill_line: { bill_id: 'text', month: 'text', program: 'text', amount: 'bigint', discount: 'bigint', net: 'bigint' },
  payment: {
    id: 'text', external_id: 'text', fingerprint: 'text', payment_code: 'text', amount: 'bigint', channel: 'text', paid_at: 'timestamptz',
    received_at: 'timestamptz', outcome: 'text', unmatched_reason: 'text', bill_id: 'text',
  },
  coverage_month: { participant_id: 'text', month: 'text', bill_id: 'text', settled_at: 'timestamptz' },
  ledger_transfer: { id: 'text', debit_account: 'text', credit_account: 'text', amount: 'bigint', code: 'text', ref: 'text', created_at: 'timestamptz' },
  outbox_message: {
    id: 'text', channel: 'text', recipient: 'text', subject: 'text', body: 'text', template: 'text', data: 'jsonb', status: 'text',
    attempts: 'integer', next_attempt_at: 'timestamptz', last_error: 'text', created_at: 'timestamptz', sent_at: 'timestamptz',
  },
};

/** Foreign keys decide the order. */
const TABLE_ORDER = [
  'population_resident',
  'registration',
  'otp_challenge',
  'participant',
  'bill',
  'bill_line',
  'payment',
  'coverage_month',
  'ledger_transfer',
  'outbox_message',
] as const;

const CHUNK = 4_000;

async function insertRows(db: Kysely<Database>, table: string, rows: readonly Row[]): Promise<void> {
  const types = COLUMNS[table];
  if (!types) {
    throw new Error(`no column list for ${table}`);
  }
  const cols = Object.keys(types);
  for (let start = 0; start < rows.length; start += CHUNK) {
    const chunk = rows.slice(start, start + CHUNK);
    const arrays = cols.map((c) => chunk.map((r) => (r[c] === null || r[c] === undefined ? null : String(r[c]))));
    await sql`insert into ${sql.table(table)} (${sql.join(cols.map((c) => sql.ref(c)))})
      select ${sql.join(cols.map((c, j) => sql.raw(`u.c${j}::${types[c]}`)))}
      from unnest(${sql.join(arrays.map((a) => sql`${a}::text[]`))}) as u(${sql.raw(cols.map((_, j) => `c${j}`).join(', '))})`.execute(db);
  }
}

function iso(d: Date): string {
  return d.toISOString();
}

function pgArray(values: readonly string[]): string {
  return `{${values.join(',')}}`;
}

function outboxRow(channel: 'email' | 'sms', to: string, message: Template, createdAt: Date): Row {
  const r = renderTemplate(message);
  return storedRow(channel, to, message.template, r.subject, r.body, r.data, createdAt);
}

function storedRow(channel: 'email' | 'sms', to: string, template: string, subject: string, body: string, data: Record<string, unknown>, createdAt: Date): Row {
  // As the worker leaves a delivered message: leased once (attempts 1, next attempt pushed by the lease), then sent.
  return {
    id: newId('msg'),
    channel,
    recipient: to,
    subject,
    body,
    template,
    data: JSON.stringify(data),
    status: 'sent',
    attempts: 1,
    next_attempt_at: iso(new Date(createdAt.getTime() + 5 * 60_000)),
    last_error: null,
    created_at: iso(createdAt),
    sent_at: iso(new Date(createdAt.getTime() + 1_500)),
  };
}

/** The submit-time quote for a variant, sector and month, exactly as submitRegistration prices it. */
function quoteFor(rules: RuleBook, v: Variant, sector: 'transport' | 'other', startMonth: string): Quote {
  const q = priceContribution({ declaredIncome: v.declaredIncome, programs: v.programs, months: v.months, startMonth, sector, funding: 'self' }, rules);
  if (!q.ok) {
    throw new Error(`seed variant does not price: ${JSON.stringify(v)} (${q.code})`);
  }
  return q.value;
}

export async function seedDatabase(db: Kysely<Database>, o: SeedOptions): Promise<SeedResult> {
  const started = performance.now();
  const rows: Record<string, Row[]> = Object.fromEntries(TABLE_ORDER.map((t) => [t, []]));
  const push = (table: (typeof TABLE_ORDER)[number], row: Row) => rows[table]?.push(row);
  const quotes = new Map<string, Quote>();
  const quote = (v: Variant, sector: 'transport' | 'other', month: string) => {
    const key = `${VARIANTS.indexOf(v)}|${sector}|${month}`;
    let q = quotes.get(key);
    if (!q) {
      q = quoteFor(o.rules, v, sector, month);
      quotes.set(key, q);
    }
    return q;
  };
  const usedCodes = new Set<string>();
  const paymentCode = () => {
    for (;;) {
      const c = newPaymentCode();
      if (!usedCodes.has(c)) {
        usedCodes.add(c);
        return c;
      }
    }
  };
  const kpjRow = await sql<{ n: number }>`select nextval('kpj_seq') as n`.execute(db);
  let kpjNext = Number(kpjRow.rows[0]?.n);
  const bills: SeededBill[] = [];
  const renewalBills: SeededBill[] = [];
  const offset = o.personOffset ?? 1_000;

  const total = o.members + o.openBills;
  for (let k = 0; k < total; k++) {
    const i = offset + k;
    const member = k < o.members;
    if (k % 500 === 0) {
      await new Promise((r) => setImmediate(r)); // stay responsive to signals while generating
    }
    const p = seedPerson(i);
    if (k < 3) {
      // The generators must produce what the API would accept.
      if (!validateNik(p.nik, { birthDate: p.birthDate, gender: p.gender }).ok || normalizePhone(p.phone).ok !== true) {
        throw new Error(`seed person ${i} is not valid: ${JSON.stringify(p)}`);
      }
    }
    const occupation = findOccupation(p.occupationCode);
    const sector = occupation?.sector ?? 'other';
    const v = VARIANTS[k % VARIANTS.length] ?? VARIANTS[0]!;
    // Members registered 1–6 months ago; open registrations were submitted in the last 6 hours.
    const createdAt = member
      ? new Date(o.now.getTime() - (1 + (k % 6)) * 30 * 86_400_000 - (k % 86_400) * 1000)
      : new Date(o.now.getTime() - 6 * 3_600_000 + (k % 21_000) * 1000);
    const emailAt = new Date(createdAt.getTime() + 60_000);
    const phoneAt = new Date(createdAt.getTime() + 90_000);
    const submitAt = new Date(createdAt.getTime() + 180_000);
    const q = quote(v, sector, monthInJakarta(submitAt));
    const programs = q.months[0]?.lines.map((l) => l.program) ?? [];
    const regId = newId('reg');
    const billId = newId('bil');
    const code = paymentCode();
    const expiresAt = new Date(submitAt.getTime() + o.firstBillTtlMs);
    const token = randomToken(16);

    const hash = benchNikHash(p.nik);
    push('population_resident', { nik_hash: hash, full_name: p.fullName, birth_date: p.birthDate, gender: p.gender, created_at: iso(new Date(createdAt.getTime() - 1000)) });
    const reg: Row = {
      id: regId, nik_hash: hash, nik_sealed: BENCH_NIK_SEALED, full_name: p.fullName, birth_date: p.birthDate, gender: p.gender, phone: p.phone, email: p.email, address: p.address,
      occupation_code: p.occupationCode, sector, branch_code: p.branchCode, channel: 'web', status: 'submitted', email_token_hash: sha256Hex(token),
      email_verified_at: iso(emailAt), phone_verified_at: iso(phoneAt), programs: pgArray(programs), declared_income: v.declaredIncome,
      funding: 'self', participant_id: null, created_at: iso(createdAt), updated_at: iso(submitAt),
    };
    push('registration', reg);
    const otp = String(k % 1_000_000).padStart(6, '0');
    push('otp_challenge', {
      id: newId('otp'), purpose: 'registration', subject: regId, code_hash: hmacSha256Hex(o.otpSecret, `registration:${regId}:${otp}`),
      expires_at: iso(new Date(createdAt.getTime() + 5 * 60_000)), failed_attempts: 0, created_at: iso(createdAt), consumed_at: iso(phoneAt),
    });
    const link = `${o.publicBaseUrl}/daftar/${regId}/verifikasi-email?token=${token}`;
    push('outbox_message', outboxRow('email', p.email, { template: 'registration_email_token', fullName: p.fullName, token, link }, createdAt));
    push('outbox_message', outboxRow('sms', p.phone, { template: 'registration_otp', otp }, createdAt));
    push(
      'outbox_message',
      outboxRow('email', p.email, { template: 'payment_code', fullName: p.fullName, paymentCode: code, amount: q.total, expiresAt: formatInstantWib(expiresAt) }, submitAt),
    );
    const bill: Row = {
      id: billId, payment_code: code, kind: 'first', registration_id: regId, participant_id: null, amount: q.total, status: 'open',
      first_month: q.months[0]?.month ?? '', month_count: q.months.length, expires_at: iso(expiresAt), created_at: iso(submitAt), paid_at: null, payment_id: null,
    };
    push('bill', bill);
    const lines = q.months.flatMap((m) => m.lines.map((l) => ({ bill_id: billId, month: m.month, program: l.program, amount: l.amount, discount: l.discount, net: l.net })));
    for (const l of lines) {
      push('bill_line', l);
    }
    if (!member) {
      bills.push({ paymentCode: code, amount: q.total });
      continue;
    }

    // Paid 10 minutes after submitting: what settling a first bill writes (apply-payment.ts).
    const paidAt = new Date(submitAt.getTime() + 600_000);
    const channel = CHANNELS[k % CHANNELS.length] ?? 'va';
    const base = String(kpjNext++);
    const kpj = base + luhnCheckDigit(base);
    const participantId = newId('ptc');
    const paymentId = newId('pay');
    push('participant', {
      id: participantId, kpj, nik_hash: hash, nik_sealed: BENCH_NIK_SEALED, full_name: p.fullName, birth_date: p.birthDate, gender: p.gender, phone: p.phone, email: p.email,
      address: p.address, occupation_code: p.occupationCode, sector, branch_code: p.branchCode, programs: pgArray(programs),
      declared_income: v.declaredIncome, funding: 'self', registration_id: regId, created_at: iso(paidAt), updated_at: iso(paidAt),
    });
    reg['status'] = 'completed';
    reg['participant_id'] = participantId;
    reg['updated_at'] = iso(paidAt);
    bill['status'] = 'paid';
    bill['participant_id'] = participantId;
    bill['paid_at'] = iso(paidAt);
    bill['payment_id'] = paymentId;
    const externalId = `${channel}-${randomDigits(12)}`;
    push('payment', {
      id: paymentId, external_id: externalId, fingerprint: fingerprint({ externalId, paymentCode: code, amount: q.total, channel, paidAt }),
      payment_code: code, amount: q.total, channel, paid_at: iso(paidAt), received_at: iso(new Date(paidAt.getTime() + 2_000)), outcome: 'applied',
      unmatched_reason: null, bill_id: billId,
    });
    const months = [...new Set(lines.map((l) => l.month))].sort();
    for (const month of months) {
      push('coverage_month', { participant_id: participantId, month, bill_id: billId, settled_at: iso(paidAt) });
    }
    for (const t of contributionTransfers(paymentId, channel, kpj, lines)) {
      push('ledger_transfer', { id: t.id, debit_account: t.debitAccount, credit_account: t.creditAccount, amount: t.amount, code: t.code, ref: t.ref, created_at: iso(paidAt) });
    }
    // The card email as the settlement function (migrations/…-settle-payment-function.ts) queues it: template and
    // data only, rendered when read or delivered (src/modules/notifications/stored-message.ts).
    push(
      'outbox_message',
      storedRow('email', p.email, 'card_issued', '', '', { fullName: p.fullName, kpj, participantId, issuedAt: iso(paidAt), attachCard: true, coveredThrough: months[months.length - 1] ?? '' }, paidAt),
    );

    // The member's next month, as POST /me/bills issues it (1 month from the month after the cover, 24 h code).
    const nextMonth = addMonths(months[months.length - 1] ?? monthInJakarta(o.now), 1);
    const rq = quoteFor(o.rules, { ...v, months: 1 }, sector, nextMonth);
    const renewalId = newId('bil');
    const renewalCode = paymentCode();
    push('bill', {
      id: renewalId, payment_code: renewalCode, kind: 'renewal', registration_id: null, participant_id: participantId, amount: rq.total,
      status: 'open', first_month: nextMonth, month_count: 1, expires_at: iso(new Date(o.now.getTime() + o.firstBillTtlMs)),
      created_at: iso(o.now), paid_at: null, payment_id: null,
    });
    for (const m of rq.months) {
      for (const l of m.lines) {
        push('bill_line', { bill_id: renewalId, month: m.month, program: l.program, amount: l.amount, discount: l.discount, net: l.net });
      }
    }
    renewalBills.push({ paymentCode: renewalCode, amount: rq.total, kpj });
  }

  const counts: Record<string, number> = {};
  await loadWithBillAmountsCheckedAfter(
    (text) => sql.raw(text).execute(db),
    async () => {
      for (const table of TABLE_ORDER) {
        const list = rows[table] ?? [];
        await insertRows(db, table, list);
        counts[table] = list.length;
      }
    },
  );
  await sql`select setval('kpj_seq', ${kpjNext})`.execute(db);
  return { bills, renewalBills, rows: counts, seconds: (performance.now() - started) / 1000 };
}

/** VACUUM ANALYZE every table: statistics that match the data, and a visibility map as autovacuum would leave. */
export async function analyze(db: Kysely<Database>): Promise<void> {
  await sql`vacuum analyze`.execute(db);
}
