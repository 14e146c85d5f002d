import type { Deps } from '../../deps.js';
import { ok, reject, type Result } from '../../shared/result.js';
import { recordStaffAction } from '../audit/index.js';
import { cardVerifyUrl } from '../cards/index.js';
import { billStatusAt, findBillByCode } from '../contributions/index.js';
import { enqueueMessage } from '../notifications/index.js';
import { applyPaymentNotification, PAYMENT_AMOUNT_MAX } from '../payments/index.js';
import { closeSupersededDrafts } from '../registration/index.js';
import { counterPost } from './assisted.js';
import { counterExternalId, type CounterPaymentMethod, isApprovalCode, isIdempotencyKey } from './domain/counter-rules.js';
import { inviteToSurvey } from './survey.js';

export interface CounterPaymentInput {
  paymentCode: string;
  amount: number;
  method: CounterPaymentMethod;
  approvalCode?: string | undefined;
  /** Chosen when the payment form was rendered (a UUID): the same key is the same payment. */
  idempotencyKey: string;
}

export interface CounterPaymentOutcome {
  status: 'applied' | 'duplicate' | 'unmatched';
  reason?: string;
  paymentCode: string;
  amount: number;
  method: CounterPaymentMethod;
  /** The member's KPJ once the bill is paid (a first bill: the new member's). */
  kpj: string | null;
}

type CounterPaymentRefusal =
  | 'invalid_request'
  | 'staff_without_branch'
  | 'approval_code_required'
  | 'unknown_payment_code'
  | 'bill_not_payable'
  | 'amount_not_bill'
  | 'idempotency_key_reused'
  | 'external_id_conflict'
  | 'invalid_paid_at';

/** Before any money is recorded: the bill must be open and the amount exactly the bill's (no change kept, no suspense). */
async function checkPayable(deps: Deps, input: CounterPaymentInput): Promise<Result<void, CounterPaymentRefusal>> {
  const bill = await findBillByCode(deps.db, input.paymentCode);
  if (!bill) return reject('unknown_payment_code', 'paymentCode');
  if (billStatusAt(bill, deps.clock.now()) !== 'open') return reject('bill_not_payable', 'paymentCode');
  if (Number(bill.amount) !== input.amount) return reject('amount_not_bill', 'amount');
  return ok(undefined);
}

function checkInput(input: CounterPaymentInput): Result<void, CounterPaymentRefusal> {
  if (!isIdempotencyKey(input.idempotencyKey)) return reject('invalid_request', 'idempotencyKey');
  if (!/^\d{8,20}$/.test(input.paymentCode)) return reject('invalid_request', 'paymentCode');
  if (!Number.isInteger(input.amount) || input.amount <= 0 || input.amount > PAYMENT_AMOUNT_MAX) return reject('invalid_request', 'amount');
  if (input.method === 'edc' && !isApprovalCode(input.approvalCode ?? '')) return reject('approval_code_required', 'approvalCode');
  return ok(undefined);
}

/**
 * Cash or EDC at the counter, through THE SAME settlement as every channel (applyPaymentNotification, channel
 * `counter`, externalId `counter:<key>`): the till slip (counter_payment) is written first with the page's key and
 * the instant, and the notification is built from it — a double submit or a retry is the same notification
 * (duplicate, nothing written twice); the same key with other content is refused (idempotency_key_reused). The money
 * lands in `clearing:counter` like any channel's; the till slips give the branch, officer and method for the day's close.
 */
export async function payAtCounter(deps: Deps, actor: string, given: CounterPaymentInput): Promise<Result<CounterPaymentOutcome, CounterPaymentRefusal>> {
  const input = { ...given, idempotencyKey: given.idempotencyKey.toLowerCase() };
  const valid = checkInput(input);
  if (!valid.ok) return valid;
  const post = await counterPost(deps.db, actor);
  if (!post) return reject('staff_without_branch');
  const key = input.idempotencyKey;
  const known = await deps.db.selectFrom('counter_payment').selectAll().where('idempotency_key', '=', key).executeTakeFirst();
  if (!known) {
    const payable = await checkPayable(deps, input);
    if (!payable.ok) return payable;
  }
  const approval = input.method === 'edc' ? (input.approvalCode ?? null) : null;
  const now = deps.clock.now();
  // The staff write (the till slip) and its audit entry commit together, once per key; the settlement follows.
  await deps.db.transaction().execute(async (trx) => {
    const inserted = await trx
      .insertInto('counter_payment')
      .values({ idempotency_key: key, payment_code: input.paymentCode, amount: input.amount, method: input.method, approval_code: approval, actor, branch_code: post.branchCode, service_point_code: post.servicePointCode, paid_at: now })
      .onConflict((oc) => oc.column('idempotency_key').doNothing())
      .returning('idempotency_key')
      .executeTakeFirst();
    if (inserted) {
      await recordStaffAction(trx, { actor, action: 'counter_payment.take', subject: `bill:${input.paymentCode}`, reason: null, detail: { method: input.method, approvalCode: approval, amount: input.amount, externalId: counterExternalId(key), branchCode: post.branchCode, servicePointCode: post.servicePointCode }, at: now });
    }
  });
  const slip = await deps.db.selectFrom('counter_payment').selectAll().where('idempotency_key', '=', key).executeTakeFirstOrThrow();
  if (slip.payment_code !== input.paymentCode || Number(slip.amount) !== input.amount || slip.method !== input.method) return reject('idempotency_key_reused', 'idempotencyKey');
  const applied = await applyPaymentNotification(deps, { externalId: counterExternalId(key), paymentCode: slip.payment_code, amount: Number(slip.amount), channel: 'counter', paidAt: new Date(slip.paid_at) });
  if (!applied.ok) return applied;
  const outcome = applied.value;
  const kpj = await afterPayment(deps, slip.payment_code, outcome.status === 'applied');
  const base = { paymentCode: slip.payment_code, amount: Number(slip.amount), method: slip.method as CounterPaymentMethod, kpj };
  return ok(outcome.status === 'unmatched' ? { ...base, status: 'unmatched', reason: outcome.reason } : { ...base, status: outcome.status });
}

/**
 * The member's KPJ once the bill is paid. Right after a counter registration is completed: the card link by SMS when
 * the worker has no email address (the settlement's card email has nowhere to go), and the e-survey invitation.
 */
async function afterPayment(deps: Deps, paymentCode: string, justApplied: boolean): Promise<string | null> {
  const row = await deps.db
    .selectFrom('bill as b')
    .innerJoin('participant as p', 'p.id', 'b.participant_id')
    .leftJoin('registration as r', 'r.id', 'b.registration_id')
    .select(['p.kpj', 'p.phone', 'p.email', 'p.created_at', 'r.id as registration_id', 'r.channel', 'r.branch_code', 'r.service_point_code'])
    .where('b.payment_code', '=', paymentCode)
    .where('b.status', '=', 'paid')
    .executeTakeFirst();
  if (!row) return null;
  if (!justApplied || row.registration_id === null || row.channel === 'web' || row.channel === null || row.branch_code === null) return row.kpj;
  const now = deps.clock.now();
  const { registration_id: registrationId, branch_code: branchCode } = row;
  await deps.db.transaction().execute(async (trx) => {
    await closeSupersededDrafts(trx, registrationId);
    if (row.email === '') {
      const link = cardVerifyUrl(deps.config.publicBaseUrl, deps.cardSigner, row.kpj, new Date(row.created_at));
      await enqueueMessage(trx, { channel: 'sms', to: row.phone, now, message: { template: 'card_link_sms', kpj: row.kpj, link } });
    }
    await inviteToSurvey(trx, deps, { registrationId, phone: row.phone, branchCode, servicePointCode: row.service_point_code, now });
  });
  return row.kpj;
}
