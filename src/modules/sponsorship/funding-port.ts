import type { Transaction } from 'kysely';
import type { Database } from '../../db/database.js';
import type { Deps } from '../../deps.js';
import { setFunding } from '../membership/index.js';

/** Who pays a member's contributions from their next unpaid month on. */
export interface FundingChange {
  participantId: string;
  funding: 'self' | 'sponsor';
  /** The sponsor's participant id; null when the member pays themself. */
  payerId: string | null;
  actor: string;
  /** The sponsor's name as the worker's portal shows it (masked as on the consent page); null when self-paying. */
  payerName?: string | null;
}

/**
 * The one place Sertakan changes who pays a member: the membership module's effective-dated setFunding, from the
 * member's next unpaid month (paid months never change). Returns that month (the SMS says it).
 */
export async function applyFunding(trx: Transaction<Database>, deps: Deps, change: FundingChange): Promise<string> {
  const { fromMonth } = await setFunding(trx, deps, { participantId: change.participantId, funding: change.funding, payerId: change.payerId, payerName: change.payerName ?? null, actor: change.actor, reason: 'Sertakan' });
  return fromMonth;
}
