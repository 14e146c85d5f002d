import type { Bill } from '../../db/database.js';
import type { Deps } from '../../deps.js';
import { billStatusAt, findBillLines, groupLines, maskName, type BillStatusView } from './bills.js';
import type { QuoteMonth } from './domain/price-contribution.js';

/** What the portal's pay page (/bayar/{code}) shows of a bill: the bill, its status now, its months, whose it is. */
export interface BillToPay {
  bill: Bill;
  status: BillStatusView;
  months: QuoteMonth[];
  /** The owner's name masked ("B*** S******"): the participant's, or for a first bill the registration's. */
  ownerName: string;
  /** The member's KPJ once there is a member (a paid first bill made one): the paid page shows it. */
  kpj: string | null;
}

/** A payment code in a portal path: 6 to 64 digits (anything else is unknown without asking the database). */
const PAYMENT_CODE = /^\d{6,64}$/;

/** The bill a payment code is for, with what the pay page shows of it; undefined for an unknown code. */
export async function findBillToPay(deps: Pick<Deps, 'db'>, paymentCode: string, now: Date): Promise<BillToPay | undefined> {
  if (!PAYMENT_CODE.test(paymentCode)) {
    return undefined;
  }
  const row = await deps.db
    .selectFrom('bill')
    .leftJoin('registration', 'registration.id', 'bill.registration_id')
    .leftJoin('participant', 'participant.id', 'bill.participant_id')
    .leftJoin('participant as registered', 'registered.id', 'registration.participant_id')
    .selectAll('bill')
    .select(['registration.full_name as registration_name', 'participant.full_name as participant_name', 'participant.kpj as participant_kpj', 'registered.kpj as registered_kpj'])
    .where('bill.payment_code', '=', paymentCode)
    .executeTakeFirst();
  if (!row) {
    return undefined;
  }
  const { registration_name, participant_name, participant_kpj, registered_kpj, ...bill } = row;
  const owner = bill.participant_id ? participant_name : bill.registration_id ? registration_name : null;
  return {
    bill,
    status: billStatusAt(bill, now),
    months: groupLines(await findBillLines(deps.db, bill.id)),
    ownerName: maskName(owner ?? ''),
    kpj: participant_kpj ?? registered_kpj ?? null,
  };
}
