import type { Participant } from '../../db/database.js';
import type { Deps } from '../../deps.js';
import { findOpenMemberBill, findPaidBills } from '../contributions/index.js';
import { walletBalance } from '../ledger/index.js';

/** What the member's account page shows besides the summary: paid bills (newest first), the open bill, the wallet. */
export interface MemberAccountView {
  history: Awaited<ReturnType<typeof findPaidBills>>;
  /** The member's newest bill still payable now, if any (its payment code, amount, expiry). */
  unpaid: Awaited<ReturnType<typeof findOpenMemberBill>>;
  /** The contribution wallet's balance, rupiah. */
  walletBalance: number;
}

/** The account page's history, open bill and wallet balance for a participant (the summary comes from getMemberSummary). */
export async function memberAccountView(deps: Deps, participant: Pick<Participant, 'id' | 'registration_id' | 'kpj'>): Promise<MemberAccountView> {
  const now = deps.clock.now();
  const [history, unpaid, balance] = await Promise.all([
    findPaidBills(deps.db, participant),
    findOpenMemberBill(deps.db, participant.id, now),
    walletBalance(deps.db, participant.kpj),
  ]);
  return { history, unpaid, walletBalance: balance };
}
