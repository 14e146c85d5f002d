import type { Kysely } from 'kysely';
import { compose } from '../src/compose.js';
import type { Config } from '../src/config.js';
import type { DatabaseHandle } from '../src/db/connect.js';
import type { Database } from '../src/db/database.js';
import { hmacSha256Hex, sha256Hex } from '../src/shared/crypto.js';
import { isLuhnValid } from '../src/shared/ids.js';
import { createLogger } from '../src/shared/logger.js';
import { monthInJakarta } from '../src/shared/month.js';
import { seedPerson, VARIANTS } from './seed.js';

/**
 * Proves the seed writes what the application writes: one person goes through the real API in-process (population →
 * registration → verify email and phone from the dev outbox → submit → signed payment notification), and the rows it
 * leaves are compared with a seeded open registration and a seeded member of the same variant and occupation:
 * which columns are null, the fixed values (status, kind, amounts, programs, lines, ledger codes and accounts,
 * outbox templates) and the invariants between rows. Any difference stops the benchmark.
 */

type AnyRow = Record<string, unknown>;

function kind(v: unknown): string {
  if (v === null || v === undefined) {
    return 'null';
  }
  if (v instanceof Date) {
    return 'date';
  }
  if (Array.isArray(v)) {
    return 'array';
  }
  return typeof v;
}

class Comparison {
  readonly problems: string[] = [];

  columns(label: string, real: AnyRow | undefined, seeded: AnyRow | undefined): void {
    if (!real || !seeded) {
      this.problems.push(`${label}: missing row (real ${real ? 'present' : 'missing'}, seeded ${seeded ? 'present' : 'missing'})`);
      return;
    }
    for (const col of new Set([...Object.keys(real), ...Object.keys(seeded)])) {
      if (kind(real[col]) !== kind(seeded[col])) {
        this.problems.push(`${label}.${col}: real is ${kind(real[col])}, seeded is ${kind(seeded[col])}`);
      }
    }
  }

  same(label: string, real: unknown, seeded: unknown): void {
    const a = JSON.stringify(real);
    const b = JSON.stringify(seeded);
    if (a !== b) {
      this.problems.push(`${label}: real ${a}, seeded ${b}`);
    }
  }
}

function ms(a: unknown, b: unknown): number {
  return a instanceof Date && b instanceof Date ? a.getTime() - b.getTime() : NaN;
}

async function rowsFor(db: Kysely<Database>, registrationId: string) {
  const registration = await db.selectFrom('registration').selectAll().where('id', '=', registrationId).executeTakeFirst();
  const bill = await db.selectFrom('bill').selectAll().where('registration_id', '=', registrationId).where('status', '!=', 'cancelled').executeTakeFirst();
  const lines = bill ? await db.selectFrom('bill_line').selectAll().where('bill_id', '=', bill.id).orderBy('month').orderBy('program').execute() : [];
  const otp = await db.selectFrom('otp_challenge').selectAll().where('subject', '=', registrationId).executeTakeFirst();
  const participant = registration?.participant_id
    ? await db.selectFrom('participant').selectAll().where('id', '=', registration.participant_id).executeTakeFirst()
    : undefined;
  const payment = bill ? await db.selectFrom('payment').selectAll().where('bill_id', '=', bill.id).executeTakeFirst() : undefined;
  const coverage = bill ? await db.selectFrom('coverage_month').selectAll().where('bill_id', '=', bill.id).orderBy('month').execute() : [];
  const ledger = payment ? await db.selectFrom('ledger_transfer').selectAll().where('ref', '=', payment.id).orderBy('code').execute() : [];
  const outbox = registration
    ? await db
        .selectFrom('outbox_message')
        .select(['channel', 'template', 'subject', 'body', 'data'])
        .where('recipient', 'in', [registration.email, registration.phone])
        .execute()
    : [];
  return { registration, bill, lines, otp, participant, payment, coverage, ledger, outbox };
}

type Rows = Awaited<ReturnType<typeof rowsFor>>;

function compareRows(c: Comparison, stage: string, real: Rows, seeded: Rows): void {
  c.columns(`${stage} registration`, real.registration, seeded.registration);
  for (const col of ['status', 'channel', 'funding', 'programs', 'declared_income', 'occupation_code'] as const) {
    c.same(`${stage} registration.${col}`, real.registration?.[col], seeded.registration?.[col]);
  }
  c.same(`${stage} registration.email_token_hash is sha256 hex`, /^[0-9a-f]{64}$/.test(real.registration?.email_token_hash ?? ''), /^[0-9a-f]{64}$/.test(seeded.registration?.email_token_hash ?? ''));
  c.columns(`${stage} bill`, real.bill, seeded.bill);
  for (const col of ['kind', 'status', 'month_count'] as const) {
    c.same(`${stage} bill.${col}`, real.bill?.[col], seeded.bill?.[col]);
  }
  const sameMonth = real.bill?.first_month === seeded.bill?.first_month;
  if (sameMonth) {
    c.same(`${stage} bill.amount`, real.bill?.amount, seeded.bill?.amount);
    c.same(`${stage} bill_line rows`, real.lines.map(({ bill_id: _b, ...l }) => l), seeded.lines.map(({ bill_id: _b, ...l }) => l));
  } else {
    c.same(`${stage} bill_line programs`, real.lines.map((l) => l.program), seeded.lines.map((l) => l.program));
  }
  c.same(`${stage} bill.first_month is the submit month`, real.bill?.first_month === monthInJakarta(real.bill?.created_at ?? new Date(0)), seeded.bill?.first_month === monthInJakarta(seeded.bill?.created_at ?? new Date(0)));
  c.same(`${stage} bill lifetime (ms)`, ms(real.bill?.expires_at, real.bill?.created_at), ms(seeded.bill?.expires_at, seeded.bill?.created_at));
  c.same(`${stage} bill.amount = sum of line nets`, real.bill?.amount === real.lines.reduce((s, l) => s + l.net, 0), seeded.bill?.amount === seeded.lines.reduce((s, l) => s + l.net, 0));
  c.same(`${stage} payment_code shape`, /^8\d{15}$/.test(real.bill?.payment_code ?? '') && isLuhnValid(real.bill?.payment_code ?? ''), /^8\d{15}$/.test(seeded.bill?.payment_code ?? '') && isLuhnValid(seeded.bill?.payment_code ?? ''));
  c.columns(`${stage} otp_challenge`, real.otp, seeded.otp);
  c.same(`${stage} otp_challenge.purpose`, real.otp?.purpose, seeded.otp?.purpose);
  c.same(`${stage} otp lifetime (ms)`, ms(real.otp?.expires_at, real.otp?.created_at), ms(seeded.otp?.expires_at, seeded.otp?.created_at));
  const templates = (r: Rows) => r.outbox.map((m) => `${m.channel}:${m.template}:${m.subject.length > 0 || m.channel === 'sms'}:${m.body.length > 0}:${Object.keys(m.data).sort().join('+')}`).sort();
  c.same(`${stage} outbox messages (channel:template:subject:body:data keys)`, templates(real), templates(seeded));

  if (stage !== 'paid') {
    return;
  }
  c.columns(`${stage} participant`, real.participant, seeded.participant);
  for (const col of ['sector', 'programs', 'funding', 'declared_income', 'occupation_code'] as const) {
    c.same(`${stage} participant.${col}`, real.participant?.[col], seeded.participant?.[col]);
  }
  c.same(`${stage} participant.kpj shape`, isLuhnValid(real.participant?.kpj ?? '') && real.participant?.kpj.length === 11, isLuhnValid(seeded.participant?.kpj ?? '') && seeded.participant?.kpj.length === 11);
  c.same(`${stage} registration.participant_id = participant.id`, real.registration?.participant_id === real.participant?.id, seeded.registration?.participant_id === seeded.participant?.id);
  c.same(`${stage} bill.participant_id = participant.id`, real.bill?.participant_id === real.participant?.id, seeded.bill?.participant_id === seeded.participant?.id);
  c.same(`${stage} bill.payment_id = payment.id`, real.bill?.payment_id === real.payment?.id, seeded.bill?.payment_id === seeded.payment?.id);
  c.columns(`${stage} payment`, real.payment, seeded.payment);
  for (const col of ['outcome', 'unmatched_reason'] as const) {
    c.same(`${stage} payment.${col}`, real.payment?.[col], seeded.payment?.[col]);
  }
  c.same(`${stage} payment.amount = bill.amount`, real.payment?.amount === real.bill?.amount, seeded.payment?.amount === seeded.bill?.amount);
  c.same(
    `${stage} payment.fingerprint = code|amount|channel|paidAt`,
    real.payment?.fingerprint === `${real.payment?.payment_code}|${real.payment?.amount}|${real.payment?.channel}|${real.payment?.paid_at.getTime()}`,
    seeded.payment?.fingerprint === `${seeded.payment?.payment_code}|${seeded.payment?.amount}|${seeded.payment?.channel}|${seeded.payment?.paid_at.getTime()}`,
  );
  c.columns(`${stage} coverage_month`, real.coverage[0], seeded.coverage[0]);
  c.same(`${stage} coverage months = bill months`, real.coverage.map((m) => m.month).join() === [...new Set(real.lines.map((l) => l.month))].sort().join(), seeded.coverage.map((m) => m.month).join() === [...new Set(seeded.lines.map((l) => l.month))].sort().join());
  c.columns(`${stage} ledger_transfer`, real.ledger[0], seeded.ledger[0]);
  const ledger = (r: Rows) =>
    r.ledger.map((t) => `${t.code} ${t.debit_account.replace(/^clearing:.*/, 'clearing:*')} → ${t.credit_account.replace(/^jht:\d{11}$/, 'jht:<kpj>')} ${t.id.slice(t.id.lastIndexOf(':'))}`);
  c.same(`${stage} ledger transfers`, ledger(real), ledger(seeded));
  c.same(`${stage} ledger sum = bill.amount`, real.ledger.reduce((s, t) => s + t.amount, 0) === real.bill?.amount, seeded.ledger.reduce((s, t) => s + t.amount, 0) === seeded.bill?.amount);
}

export interface ShapeCheckResult {
  checked: number;
  problems: string[];
}

export async function shapeCheck(config: Config, handle: DatabaseHandle): Promise<ShapeCheckResult> {
  const { app } = compose(config, handle, { logger: createLogger('silent'), transports: { email: null, sms: null } });
  const call = async (method: string, path: string, body?: unknown, headers: Record<string, string> = {}) => {
    const raw = body === undefined ? undefined : JSON.stringify(body);
    const res = await app.request(path, { method, body: raw, headers: raw ? { 'content-type': 'application/json', ...headers } : headers });
    const json = (await res.json()) as AnyRow;
    if (res.status >= 300) {
      throw new Error(`shape check: ${method} ${path} → ${res.status} ${JSON.stringify(json)}`);
    }
    return json;
  };
  const outboxData = async (to: string, key: string): Promise<string> => {
    const out = (await call('GET', `/dev/outbox?to=${encodeURIComponent(to)}`)) as { messages: { data: Record<string, string> }[] };
    const value = out.messages.find((m) => m.data[key])?.data[key];
    if (!value) {
      throw new Error(`shape check: no ${key} sent to ${to}`);
    }
    return value;
  };

  // Person 1 (the seed starts at 1,000): occupation KURIR, variant 1.
  const person = seedPerson(1);
  const variant = VARIANTS[1] ?? VARIANTS[0]!;
  await call('POST', '/dev/population', { nik: person.nik, fullName: person.fullName, birthDate: person.birthDate, gender: person.gender });
  const reg = await call('POST', '/api/v1/registrations', { ...person, consent: true });
  const regId = String(reg['id']);
  await call('POST', `/api/v1/registrations/${regId}/verify-email`, { token: await outboxData(person.email, 'token') });
  await call('POST', `/api/v1/registrations/${regId}/verify-phone`, { code: await outboxData(person.phone, 'otp') });
  const submitted = (await call('POST', `/api/v1/registrations/${regId}/submit`, variant)) as { bill: { paymentCode: string; amount: number } };

  const c = new Comparison();
  const db = handle.db;
  const twin = async (status: 'submitted' | 'completed') => {
    const row = await db
      .selectFrom('registration')
      .select('id')
      .where('status', '=', status)
      .where('occupation_code', '=', person.occupationCode)
      .where('declared_income', '=', variant.declaredIncome)
      .where('id', '!=', regId)
      .limit(1)
      .executeTakeFirst();
    if (!row) {
      throw new Error(`shape check: no seeded ${status} registration like the real one`);
    }
    return rowsFor(db, row.id);
  };
  compareRows(c, 'submitted', await rowsFor(db, regId), await twin('submitted'));

  const body = JSON.stringify({ externalId: `shape-${sha256Hex(regId).slice(0, 12)}`, paymentCode: submitted.bill.paymentCode, amount: submitted.bill.amount, channel: 'va', paidAt: new Date().toISOString() });
  const paid = await app.request('/api/v1/payments/notifications', {
    method: 'POST',
    body,
    headers: { 'content-type': 'application/json', 'x-signature': hmacSha256Hex(config.paymentWebhookSecret, body) },
  });
  const outcome = (await paid.json()) as AnyRow;
  if (outcome['status'] !== 'applied') {
    throw new Error(`shape check: the real payment was not applied: ${JSON.stringify(outcome)}`);
  }
  compareRows(c, 'paid', await rowsFor(db, regId), await twin('completed'));
  return { checked: 2, problems: c.problems };
}
