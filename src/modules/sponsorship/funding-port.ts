import type { Transaction } from 'kysely';
import type { Database } from '../../db/database.js';
import type { Deps } from '../../deps.js';

/** Who pays a member's contributions from a month on (helper funding's setFunding signature, issue 17). */
export interface FundingChange {
  participantId: string;
  funding: 'self' | 'sponsor';
  /** The sponsor's participant id; null when the member pays themself. */
  payerId: string | null;
  /** The first month the change applies to: the member's next unpaid month. */
  fromMonth?: string;
  actor: string;
}

/**
 * The one place Sertakan changes who pays a member. STAND-IN until branch `funding` (setFunding in
 * membership/index.ts, effective-dated with the payer) is merged: today funding is one column on the participant,
 * so the change applies to every bill issued from now on (which, for a member, starts at the next unpaid month).
 * On merge this body becomes `await setFunding(trx, deps, change)`.
 */
export async function applyFunding(trx: Transaction<Database>, _deps: Pick<Deps, 'clock'>, change: FundingChange): Promise<void> {
  await trx.updateTable('participant').set({ funding: change.funding }).where('id', '=', change.participantId).execute();
}
