import { randomBytes } from 'node:crypto';
import { sql, type Transaction } from 'kysely';
import type { Database } from '../../db/database.js';
import type { Deps } from '../../deps.js';
import { newId } from '../../shared/ids.js';
import { billStatusAt, findBillByCode } from '../contributions/index.js';
import { findParticipantByKpj, issueMemberBill } from '../membership/index.js';
import { enqueueMessage } from '../notifications/index.js';
import { applyPaymentNotification } from '../payments/index.js';
import { closeSupersededDrafts } from '../registration/index.js';
import { type CollectPayload, payloadIssue, ZCollectPayload } from './command-schema.js';
import { type Answer, type CommandContext, rejected } from './commands.js';
import { withinCashLimit } from './domain/cash.js';
import { checkCodeFrom, checkCodeHash, formatReceiptNo } from './domain/receipt.js';

type Bill = NonNullable<Awaited<ReturnType<typeof findBillByCode>>>;

/** The externalId of a collection's payment: the command's id (the same command is the same payment). */
export function agentExternalId(commandId: string): string {
  return `agent:${commandId}`;
}

/** The bill a collection pays: the enrolment's first bill, or a new bill of the member's next `months` months. */
async function billToCollect(deps: Deps, ctx: CommandContext, p: CollectPayload): Promise<{ bill: Bill } | Answer> {
  const known = typeof ctx.progress['paymentCode'] === 'string' ? await findBillByCode(deps.db, ctx.progress['paymentCode']) : undefined;
  if (known) return { bill: known };
  let paymentCode: string;
  if (p.enrolCommandId !== undefined) {
    const enrolment = await deps.db
      .selectFrom('agent_command')
      .select('result')
      .where('id', '=', p.enrolCommandId.toLowerCase())
      .where('agent_id', '=', ctx.agent.participantId)
      .where('type', '=', 'enrol')
      .where('status', '=', 'accepted')
      .executeTakeFirst();
    const code = (enrolment?.result as { paymentCode?: unknown } | null | undefined)?.paymentCode;
    if (typeof code !== 'string') return rejected('unknown_enrolment', 'enrolCommandId');
    paymentCode = code;
  } else {
    const member = await findParticipantByKpj(deps.db, p.kpj ?? '');
    if (!member) return rejected('unknown_participant', 'kpj');
    const issued = await issueMemberBill(deps, member.id, p.months);
    if (!issued.ok) return rejected(issued.code === 'unauthorized' ? 'unknown_participant' : issued.code, issued.code === 'unauthorized' ? 'kpj' : issued.field);
    paymentCode = issued.value.bill.paymentCode;
  }
  await ctx.saveProgress({ paymentCode });
  const bill = await findBillByCode(deps.db, paymentCode);
  if (!bill) return rejected('unknown_enrolment', 'enrolCommandId');
  return { bill };
}

/**
 * A collect command: cash the agent took for a bill, settled through THE settlement (applyPaymentNotification,
 * channel 'agent', externalId agent:<commandId>, money in clearing:agent). paidAt is the server's instant when the
 * command first reached it (the collection row's received_at): cover begins when the money reaches the system; the
 * device's collectedAt is recorded beside it. Refused before any money moves: amount ≠ the bill (amount_mismatch),
 * a bill no longer open (bill_not_payable), the agent's cash limit (cash_limit_exceeded). Accepted: a receipt number
 * and an SMS to the worker with the amount, the months and a 6-character check code (stored hashed).
 */
export async function collect(deps: Deps, ctx: CommandContext, raw: unknown): Promise<Answer> {
  const parsed = ZCollectPayload.safeParse(raw);
  if (!parsed.success) return rejected('invalid_request', payloadIssue(parsed.error));
  const p = parsed.data;
  const existing = await deps.db.selectFrom('agent_collection').selectAll().where('command_id', '=', ctx.commandId).executeTakeFirst();
  let reservation = existing;
  if (!reservation) {
    const found = await billToCollect(deps, ctx, p);
    if ('status' in found) return found;
    const { bill } = found;
    if (billStatusAt(bill, deps.clock.now()) !== 'open') return rejected('bill_not_payable', p.enrolCommandId !== undefined ? 'enrolCommandId' : 'kpj');
    if (Number(bill.amount) !== p.amount) return rejected('amount_mismatch', 'amount');
    const reserved = await reserveCollection(deps, ctx, bill, p);
    if ('status' in reserved) return reserved;
    reservation = reserved.row;
  }
  const applied = await applyPaymentNotification(deps, {
    externalId: agentExternalId(ctx.commandId),
    paymentCode: reservation.payment_code,
    amount: Number(reservation.amount),
    channel: 'agent',
    paidAt: new Date(reservation.received_at),
  });
  const refusal = !applied.ok ? applied.code : applied.value.status === 'unmatched' ? applied.value.reason : null;
  if (refusal !== null) {
    await deps.db.deleteFrom('agent_collection').where('id', '=', reservation.id).where('payment_id', 'is', null).execute();
    return rejected(refusal === 'amount_mismatch' ? 'amount_mismatch' : refusal === 'prepay_limit' ? 'prepay_limit' : 'bill_not_payable', refusal === 'amount_mismatch' ? 'amount' : undefined);
  }
  return completeCollection(deps, reservation);
}

type CollectionRow = Awaited<ReturnType<typeof findCollection>>;
async function findCollection(trx: Transaction<Database>, id: string) {
  return trx.selectFrom('agent_collection').selectAll().where('id', '=', id).executeTakeFirstOrThrow();
}

/** Under the agent's row lock: the cash limit, then the collection row (the receipt number) — two collects of one agent never both pass. */
async function reserveCollection(deps: Deps, ctx: CommandContext, bill: Bill, p: CollectPayload): Promise<{ row: CollectionRow } | Answer> {
  const now = deps.clock.now();
  return deps.db.transaction().execute(async (trx) => {
    const agent = await trx.selectFrom('agent').select(['cash_limit', 'agent_code']).where('participant_id', '=', ctx.agent.participantId).forUpdate().executeTakeFirstOrThrow();
    const totals = await trx
      .selectFrom('agent_collection')
      .select([sql<string>`coalesce(sum(amount), 0)`.as('collected'), sql<string>`count(*)`.as('count')])
      .where('agent_id', '=', ctx.agent.participantId)
      .executeTakeFirstOrThrow();
    const deposits = await trx.selectFrom('agent_deposit').select(sql<string>`coalesce(sum(amount), 0)`.as('deposited')).where('agent_id', '=', ctx.agent.participantId).executeTakeFirstOrThrow();
    const outstanding = Math.max(0, Number(totals.collected) - Number(deposits.deposited));
    if (!withinCashLimit(outstanding, p.amount, Number(agent.cash_limit))) return rejected('cash_limit_exceeded', 'amount');
    const id = newId('agc');
    await trx
      .insertInto('agent_collection')
      .values({
        id,
        agent_id: ctx.agent.participantId,
        command_id: ctx.commandId,
        participant_id: bill.participant_id,
        registration_id: bill.registration_id,
        bill_id: bill.id,
        payment_code: bill.payment_code,
        amount: p.amount,
        months: Number(bill.month_count),
        receipt_no: formatReceiptNo(agent.agent_code, Number(totals.count) + 1),
        check_code_hash: '0'.repeat(64),
        collected_at: new Date(p.collectedAt),
        received_at: now,
      })
      .execute();
    return { row: await findCollection(trx, id) };
  });
}

/**
 * After the settlement: the check code (a new one each time this runs: only its hash is kept, so a takeover sends a
 * fresh code and the older one stops checking), the receipt SMS to the worker, the payment id and the member on the
 * collection row, and — a first bill — the registration's superseded drafts closed.
 */
async function completeCollection(deps: Deps, c: CollectionRow): Promise<Answer> {
  const now = deps.clock.now();
  const code = checkCodeFrom(randomBytes(6));
  const kpj = await deps.db.transaction().execute(async (trx) => {
    const paid = await trx
      .selectFrom('payment as pay')
      .innerJoin('bill as b', 'b.payment_code', 'pay.payment_code')
      .innerJoin('participant as p', 'p.id', 'b.participant_id')
      .select(['pay.id as payment_id', 'p.id as participant_id', 'p.kpj', 'p.phone'])
      .where('pay.external_id', '=', agentExternalId(c.command_id))
      .where('b.id', '=', c.bill_id)
      .executeTakeFirstOrThrow();
    await trx.updateTable('agent_collection').set({ payment_id: paid.payment_id, participant_id: paid.participant_id, check_code_hash: checkCodeHash(c.receipt_no, code) }).where('id', '=', c.id).execute();
    if (c.registration_id !== null) await closeSupersededDrafts(trx, c.registration_id);
    const link = `${deps.config.publicBaseUrl}/kuitansi`;
    await enqueueMessage(trx, { channel: 'sms', to: paid.phone, now, message: { template: 'agent_receipt_sms', receiptNo: c.receipt_no, amount: Number(c.amount), months: c.months, checkCode: code, link } });
    return paid.kpj;
  });
  return { status: 'accepted', result: { kpj, paymentCode: c.payment_code, receiptNo: c.receipt_no, amount: Number(c.amount) } };
}

