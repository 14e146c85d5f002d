import { sql, type Transaction, type Updateable } from 'kysely';
import type { Database } from '../../db/database.js';
import type { Deps } from '../../deps.js';
import { localDateInJakarta } from '../../shared/month.js';
import { renderTemplate } from '../notifications/index.js';
import { applyPaymentNotification } from '../payments/index.js';
import { tokenHint, type DebitResult } from './debit-provider.js';

/**
 * Auto-debit collection of one contribution month's dues, one attempt (job `autodebit:<month>:<attempt>`):
 *
 * 1. `queueAttempts` walks the active mandates by id and, in one statement per batch, records an attempt row
 *    (status 'pending', reference `autodebit:<mandateId>:<month>:<attempt>`) for each mandate whose member has the
 *    month's dues bill open, unexpired and not yet covered, and whose month is not already collected, given up (a
 *    failure the provider says not to retry) or still in doubt (an earlier attempt pending). The primary key
 *    (mandate, month, attempt) makes this once per attempt however often the job runs.
 * 2. `prepareCharges` re-checks the pending rows not yet sent (the mandate may have been revoked, the bill paid or
 *    replaced since) — cancelling those — and marks the rest `sent_at` in a committed transaction BEFORE the provider
 *    is called. A row with `sent_at` is only ever completed by calling again with the same reference (the provider's
 *    idempotency), never cancelled: the money may have moved.
 * 3. The caller charges; a success is settled through applyPaymentNotification with external id
 *    `autodebit:<mandateId>:<month>` and paidAt = sent_at (both deterministic, so a repeat is a `duplicate`), then
 *    `recordResults` completes the rows and, for failures, queues the member's email and SMS once per attempt
 *    (`adf:<mandateId>:<month>:<attempt>:<channel>`, ON CONFLICT DO NOTHING).
 */
export const AUTODEBIT_POLICY = {
  /** Mandates (and charges) per batch: provider calls are slow, so batches stay small and commit often. */
  batchMax: 200,
  /** Provider calls in flight at once. */
  concurrency: 8,
} as const;

export function attemptReference(mandateId: string, month: string, attempt: number): string {
  return `autodebit:${mandateId}:${month}:${attempt}`;
}

export function autodebitExternalId(mandateId: string, month: string): string {
  return `autodebit:${mandateId}:${month}`;
}

export async function countActiveMandates(trx: Transaction<Database>): Promise<number> {
  const { rows } = await sql<{ n: number }>`select count(*)::int as n from autodebit_mandate where status = 'active'`.execute(trx);
  return rows[0]?.n ?? 0;
}

export async function queueAttempts(
  trx: Transaction<Database>,
  input: { cursor: string; limit: number; month: string; attempt: number; now: Date },
): Promise<{ lastId: string | null; scanned: number; queued: number }> {
  const { rows } = await sql<{ last_id: string | null; scanned: number; queued: number }>`
    with m as (
      select id, participant_id from autodebit_mandate
       where status = 'active' and id > ${input.cursor}::text
       order by id
       limit ${input.limit}::int
    ),
    -- Per-mandate lookups (lateral with a limit, scalar counts) so that every probe stays an index lookup, never a
    -- join planned as a scan of all bills, lines or attempts.
    e as (
      select m.id as mandate_id, m.participant_id, b.id as bill_id, b.payment_code, b.amount
        from m
        cross join lateral (select * from bill x where x.id = 'bil_dues_' || ${input.month}::text || '_' || m.participant_id limit 1) b
       where b.status = 'open' and b.expires_at > ${input.now}::timestamptz
         and (select count(*) from bill_line l
                join coverage_month cm on cm.participant_id = m.participant_id and cm.month = l.month
               where l.bill_id = b.id) = 0
         and (select count(*) from autodebit_attempt a
               where a.mandate_id = m.id and a.month = ${input.month}::text
                 and (a.status = 'succeeded'
                      or (a.status = 'failed' and a.retryable = false)
                      or (a.status = 'pending' and a.attempt <> ${input.attempt}::int))) = 0
    ),
    ins as (
      insert into autodebit_attempt (mandate_id, month, attempt, reference, participant_id, bill_id, payment_code, amount,
                                     status, created_at)
      select e.mandate_id, ${input.month}::text, ${input.attempt}::int,
             'autodebit:' || e.mandate_id || ':' || ${input.month}::text || ':' || ${input.attempt}::int,
             e.participant_id, e.bill_id, e.payment_code, e.amount, 'pending', ${input.now}::timestamptz
        from e
      on conflict do nothing
      returning 1
    )
    select (select max(id) from m) as last_id, (select count(*) from m)::int as scanned, (select count(*) from ins)::int as queued
  `.execute(trx);
  const row = rows[0];
  return { lastId: row?.last_id ?? null, scanned: row?.scanned ?? 0, queued: row?.queued ?? 0 };
}

/** A pending attempt with what charging and telling the member need. */
export interface PendingCharge {
  mandateId: string;
  month: string;
  attempt: number;
  reference: string;
  participantId: string;
  paymentCode: string;
  amount: number;
  token: string;
  providerName: string;
  accountMasked: string;
  sentAt: Date;
  billExpiresAt: Date;
  kpj: string;
  fullName: string;
  email: string;
  phone: string;
}

export type ChargeOutcome =
  | { kind: 'succeeded'; providerRef: string; settlement: string }
  | { kind: 'failed'; reason: string; retryable: boolean }
  | { kind: 'unknown'; error: unknown };

type PrepareInput = { month: string; attempt: number; limit: number; now: Date };

/** Pending rows never sent whose mandate is no longer active, or whose bill this charge can no longer pay: cancelled. */
async function cancelUnpayable(trx: Transaction<Database>, input: PrepareInput): Promise<number> {
  const { rows: cancelled } = await sql<{ n: number }>`
    with c as (
      update autodebit_attempt a
         set status = 'cancelled', finished_at = ${input.now}::timestamptz,
             failure_reason = case when md.status <> 'active' then 'mandate_revoked' else 'bill_not_payable' end
        from autodebit_mandate md, bill b
       where md.id = a.mandate_id and b.id = a.bill_id
         and a.month = ${input.month}::text and a.attempt = ${input.attempt}::int and a.status = 'pending'
         and a.sent_at is null
         and (md.status <> 'active' or b.status <> 'open' or b.expires_at <= ${input.now}::timestamptz
              or (select count(*) from bill_line l
                    join coverage_month cm on cm.participant_id = a.participant_id and cm.month = l.month
                   where l.bill_id = b.id) > 0)
      returning 1
    )
    select count(*)::int as n from c
  `.execute(trx);
  return cancelled[0]?.n ?? 0;
}

interface ChargeRow {
  mandate_id: string;
  month: string;
  attempt: number;
  reference: string;
  participant_id: string;
  payment_code: string;
  amount: number;
  token: string;
  provider_name: string;
  account_masked: string;
  sent_at: Date;
  expires_at: Date;
  kpj: string;
  full_name: string;
  email: string;
  phone: string;
}

/** The month's pending attempts (at most `limit`), marked sent, with what the charge and its notices need. */
async function markSent(trx: Transaction<Database>, input: PrepareInput): Promise<PendingCharge[]> {
  const { rows } = await sql<ChargeRow>`
    with picked as (
      select mandate_id, month, attempt from autodebit_attempt
       where month = ${input.month}::text and attempt = ${input.attempt}::int and status = 'pending'
       order by mandate_id
       limit ${input.limit}::int
    ),
    sent as (
      update autodebit_attempt a set sent_at = coalesce(a.sent_at, ${input.now}::timestamptz)
        from picked
       where a.mandate_id = picked.mandate_id and a.month = picked.month and a.attempt = picked.attempt
      returning a.*
    )
    select s.mandate_id, s.month, s.attempt, s.reference, s.participant_id, s.payment_code, s.amount, s.sent_at,
           md.token, md.provider_name, md.account_masked, b.expires_at, p.kpj, p.full_name, p.email, p.phone
      from sent s
      join autodebit_mandate md on md.id = s.mandate_id
      join bill b on b.id = s.bill_id
      join participant p on p.id = s.participant_id
     order by s.mandate_id
  `.execute(trx);
  return rows.map((r) => ({
    mandateId: r.mandate_id,
    month: r.month,
    attempt: r.attempt,
    reference: r.reference,
    participantId: r.participant_id,
    paymentCode: r.payment_code,
    amount: Number(r.amount),
    token: r.token,
    providerName: r.provider_name,
    accountMasked: r.account_masked,
    sentAt: r.sent_at,
    billExpiresAt: r.expires_at,
    kpj: r.kpj,
    fullName: r.full_name,
    email: r.email,
    phone: r.phone,
  }));
}

/**
 * Step 2: the month's pending attempts (at most `limit`), re-checked and marked sent. Rows never sent whose mandate
 * is no longer active, or whose bill can no longer be paid by this charge, are cancelled instead.
 */
export async function prepareCharges(trx: Transaction<Database>, input: PrepareInput): Promise<{ charges: PendingCharge[]; cancelled: number }> {
  const cancelled = await cancelUnpayable(trx, input);
  return { cancelled, charges: await markSent(trx, input) };
}

/**
 * Step 3: charge one attempt and settle a success. Never throws: an unknown outcome (the provider threw, or the
 * settlement could not be recorded) comes back as `unknown`, and the row stays pending-and-sent for the next run.
 */
export async function chargeOne(deps: Deps, c: PendingCharge): Promise<ChargeOutcome> {
  const debit = deps.debit;
  if (!debit) {
    return { kind: 'unknown', error: new Error('auto-debit is off') };
  }
  let result: DebitResult;
  try {
    result = await debit.charge({ token: c.token, amount: c.amount, reference: c.reference });
  } catch (error) {
    deps.logger.warn('autodebit charge outcome unknown; will ask again with the same reference', { reference: c.reference, tokenHint: tokenHint(c.token), error: String(error) });
    return { kind: 'unknown', error };
  }
  if (result.status === 'failed') {
    return { kind: 'failed', reason: result.reason, retryable: result.retryable };
  }
  try {
    const applied = await applyPaymentNotification(deps, {
      externalId: autodebitExternalId(c.mandateId, c.month),
      paymentCode: c.paymentCode,
      amount: c.amount,
      channel: 'autodebit',
      paidAt: c.sentAt,
    });
    let settlement: string;
    if (!applied.ok) {
      settlement = 'conflict';
      deps.logger.error('autodebit settlement conflicts with a recorded payment', { reference: c.reference });
    } else {
      settlement = applied.value.status === 'unmatched' ? `unmatched:${applied.value.reason}` : applied.value.status;
      if (applied.value.status === 'unmatched') {
        deps.logger.warn('autodebit charge could not settle its bill; the money is in suspense for refund', { reference: c.reference, reason: applied.value.reason });
      }
    }
    return { kind: 'succeeded', providerRef: result.providerRef, settlement };
  } catch (error) {
    return { kind: 'unknown', error };
  }
}

export interface AttemptContext {
  attempts: number;
  nextAttemptDate: string | null;
}

/** Completes a pending attempt row; 0 when it was no longer pending (completed by a concurrent run). */
async function finishAttempt(trx: Transaction<Database>, c: PendingCharge, set: Updateable<Database['autodebit_attempt']>): Promise<number> {
  const done = await trx
    .updateTable('autodebit_attempt')
    .set(set)
    .where('mandate_id', '=', c.mandateId)
    .where('month', '=', c.month)
    .where('attempt', '=', c.attempt)
    .where('status', '=', 'pending')
    .executeTakeFirst();
  return Number(done.numUpdatedRows);
}

/** Step 3, recorded: completes the rows and queues the failure notices (once per mandate, month and attempt). */
export async function recordResults(
  trx: Transaction<Database>,
  input: { results: readonly { charge: PendingCharge; outcome: ChargeOutcome }[]; context: AttemptContext; now: Date },
): Promise<{ succeeded: number; failed: number; notices: number }> {
  let succeeded = 0;
  let failed = 0;
  let notices = 0;
  for (const { charge: c, outcome } of input.results) {
    if (outcome.kind === 'succeeded') {
      succeeded += await finishAttempt(trx, c, { status: 'succeeded', provider_ref: outcome.providerRef, settlement: outcome.settlement, finished_at: input.now });
    } else if (outcome.kind === 'failed') {
      const done = await finishAttempt(trx, c, { status: 'failed', failure_reason: outcome.reason, retryable: outcome.retryable, finished_at: input.now });
      if (done === 0) {
        continue;
      }
      failed += 1;
      notices += await queueFailureNotices(trx, c, outcome, input.context, input.now);
    }
  }
  return { succeeded, failed, notices };
}

async function queueFailureNotices(
  trx: Transaction<Database>,
  c: PendingCharge,
  outcome: { reason: string; retryable: boolean },
  context: AttemptContext,
  now: Date,
): Promise<number> {
  const nextAttemptDate = outcome.retryable && c.attempt < context.attempts ? context.nextAttemptDate : null;
  const data = {
    fullName: c.fullName,
    kpj: c.kpj,
    month: c.month,
    amount: c.amount,
    providerName: c.providerName,
    accountMasked: c.accountMasked,
    reason: outcome.reason,
    attempt: c.attempt,
    attempts: context.attempts,
    nextAttemptDate,
    paymentCode: c.paymentCode,
    // The code is payable through the last moment before its expiry (00:00 WIB of the next day).
    payBy: localDateInJakarta(new Date(c.billExpiresAt.getTime() - 1)),
  };
  const email = renderTemplate({ template: 'autodebit_failed_email', ...data });
  const sms = renderTemplate({ template: 'autodebit_failed_sms', ...data });
  const id = (channel: string) => `adf:${c.mandateId}:${c.month}:${c.attempt}:${channel}`;
  const inserted = await trx
    .insertInto('outbox_message')
    .values([
      { id: id('email'), channel: 'email', recipient: c.email, subject: email.subject, body: email.body, template: 'autodebit_failed_email', data: JSON.stringify(email.data), next_attempt_at: now, created_at: now },
      { id: id('sms'), channel: 'sms', recipient: c.phone, subject: '', body: sms.body, template: 'autodebit_failed_sms', data: JSON.stringify(sms.data), next_attempt_at: now, created_at: now },
    ])
    .onConflict((oc) => oc.column('id').doNothing())
    .returning('id')
    .execute();
  return inserted.length;
}

/** Runs `fn` over `items` with at most `limit` in flight; results in input order. */
export async function mapBounded<T, R>(items: readonly T[], limit: number, fn: (item: T) => Promise<R>): Promise<R[]> {
  const out = new Array<R>(items.length);
  let next = 0;
  const worker = async () => {
    while (next < items.length) {
      const i = next++;
      out[i] = await fn(items[i] as T);
    }
  };
  await Promise.all(Array.from({ length: Math.min(limit, items.length) }, worker));
  return out;
}
