import type { Deps } from '../../deps.js';
import { AppError } from '../../http/errors.js';
import { addMonths, localDateInJakarta } from '../../shared/month.js';
import { billableMonthsStart, coveredThroughOf, findParticipantByKpj, FundingChangeError, setFunding } from '../membership/index.js';
import { enqueueMessage } from '../notifications/index.js';
import { enqueueWebhookEvent } from '../webhooks/index.js';
import { lastInvoicedMonth, payerOfMonth } from './roster.js';

export interface LeftRoster {
  kpj: string;
  /** The first month the member pays themself. */
  selfFrom: string;
}

/**
 * A member leaves the payer's roster (issue 17 item 2): self-funded from the member's next unpaid month not on an
 * invoice still payable — that invoice keeps the member's bill, the payer pays it (membership setFunding: history
 * row, open bills of their own re-priced, audited with actor 'partner:<id>'), told by SMS and
 * email in the same transaction (the outbox), and the payer's webhook `member.left_roster` queued. Only a member the
 * payer pays for that month: otherwise `not_on_roster` (404, nothing revealed about other payers' members).
 */
export async function leaveRoster(deps: Deps, payerId: string, kpj: string, reason: string | null): Promise<LeftRoster> {
  const p = await findParticipantByKpj(deps.db, kpj);
  const coveredThrough = p ? await coveredThroughOf(deps.db, p.id) : null;
  if (!p || coveredThrough === null) {
    throw new AppError('not_on_roster', 'kpj');
  }
  const now = deps.clock.now();
  const next = billableMonthsStart({ coveredThrough, today: localDateInJakarta(now) }, deps.rules);
  if ((await payerOfMonth(deps.db, p.id, next)) !== payerId) {
    throw new AppError('not_on_roster', 'kpj');
  }
  // A month on an invoice still payable stays the payer's (cancelOpenBills keeps collective-linked bills): the member
  // pays themself from the month after it.
  const invoiced = await lastInvoicedMonth(deps.db, p.id, now);
  const fromMonth = invoiced !== null && invoiced >= next ? addMonths(invoiced, 1) : undefined;
  const payer = await deps.db.selectFrom('partner').select('name').where('id', '=', payerId).executeTakeFirst();
  const payerName = payer?.name ?? payerId;
  return deps.db.transaction().execute(async (trx) => {
    let selfFrom: string;
    try {
      selfFrom = (await setFunding(trx, deps, { participantId: p.id, funding: 'self', payerId: null, fromMonth, actor: `partner:${payerId}`, reason: reason ?? `Keluar dari daftar ${payerName}`, now })).fromMonth;
    } catch (err) {
      if (err instanceof FundingChangeError) {
        throw new AppError('not_on_roster', 'kpj', err.code);
      }
      throw err;
    }
    const told = { fullName: p.full_name, kpj: p.kpj, payer: payerName, month: selfFrom };
    await enqueueMessage(trx, { channel: 'sms', to: p.phone, now, message: { template: 'roster_left_sms', ...told } });
    if (p.email) {
      await enqueueMessage(trx, { channel: 'email', to: p.email, now, message: { template: 'roster_left_email', ...told } });
    }
    await enqueueWebhookEvent(trx, {
      owner: `partner:${payerId}`,
      participantId: p.id,
      type: 'member.left_roster',
      eventId: `member.left_roster:${p.id}:${selfFrom}`,
      data: { kpj: p.kpj, selfFrom, at: now.toISOString() },
      now,
    });
    return { kpj: p.kpj, selfFrom };
  });
}
