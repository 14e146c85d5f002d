import type { Deps } from '../../deps.js';
import { ok, reject, type Result } from '../../shared/result.js';
import { billStatusAt, findBillByCode, findBillLines } from '../contributions/index.js';
import { billQrisPayload } from '../payments/index.js';
import { branchDirectory } from '../reference/index.js';
import { branchTicket, staffBranch } from './queue.js';
import { renderReceiptPdf, renderTicketPdf } from './slips.js';
import { sql } from 'kysely';

/** The printed ticket of a number of the officer's branch (A6 PDF) and its file name. */
export async function ticketPdf(deps: Deps, input: { actor: string; id: string }): Promise<Result<{ pdf: Buffer; fileName: string }, 'staff_without_branch' | 'unknown_ticket'>> {
  const found = await branchTicket(deps, input);
  if (!found.ok) return found;
  const t = found.value;
  const { rows } = await sql<{ n: number }>`
    select count(*)::int as n from queue_ticket
     where branch_code = ${t.branchCode} and service_point is null and day = ${t.date}::date and status = 'waiting' and number < ${t.number}`.execute(deps.db);
  const pdf = await renderTicketPdf({ branchName: (await branchDirectory(deps.db)).name(t.branchCode), label: t.label, purpose: t.purpose, takenAt: new Date(t.takenAt), waitingBefore: rows[0]?.n ?? 0 });
  return ok({ pdf, fileName: `antrean-${t.date}-${t.label}.pdf` });
}

/** The payment slip of a bill (A6 PDF), printed at the officer's branch (its name on the slip when it has one). */
export async function receiptPdf(deps: Deps, input: { actor: string; paymentCode: string }): Promise<Result<{ pdf: Buffer; fileName: string }, 'unknown_payment_code'>> {
  const bill = await findBillByCode(deps.db, input.paymentCode);
  if (!bill) return reject('unknown_payment_code', 'paymentCode');
  const lines = await findBillLines(deps.db, bill.id);
  const months = [...new Set(lines.map((l) => l.month))].sort();
  const branch = await staffBranch(deps.db, input.actor);
  const now = deps.clock.now();
  const pdf = await renderReceiptPdf({
    branchName: branch === null ? null : (await branchDirectory(deps.db)).name(branch),
    paymentCode: bill.payment_code,
    amount: Number(bill.amount),
    months,
    expiresAt: new Date(bill.expires_at),
    status: billStatusAt(bill, now),
    qrisPayload: billQrisPayload(deps, { paymentCode: bill.payment_code, amount: Number(bill.amount) }),
    printedAt: now,
    kpj: await paidKpj(deps, bill.participant_id, bill.status),
  });
  return ok({ pdf, fileName: `slip-${bill.payment_code}.pdf` });
}

/** The KPJ of the member a paid bill belongs to (none before payment). */
async function paidKpj(deps: Deps, participantId: string | null, status: string): Promise<string | null> {
  if (status !== 'paid' || participantId === null) return null;
  const { rows } = await sql<{ kpj: string }>`select kpj from participant where id = ${participantId}`.execute(deps.db);
  return rows[0]?.kpj ?? null;
}
