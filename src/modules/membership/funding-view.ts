import type { Funding } from '../../db/database.js';
import type { Deps } from '../../deps.js';
import { monthInJakarta } from '../../shared/month.js';
import { maskName } from '../contributions/index.js';
import { fundingHistory, type FundingRow } from './funding-history.js';
import { fundingForMonth } from './funding.js';

/** The fundings, as a tuple for request schemas (the rule book's FUNDINGS, in the same order). */
export const FUNDING_KINDS = ['self', 'sponsor', 'partner', 'apbn', 'apbd'] as const satisfies readonly Funding[];

/** Who pays the member's contributions this month, as the portal says it (GET /me `fundedBy`). */
export interface FundedBy {
  kind: Funding;
  /** The payer's name: as recorded with the funding, or the sponsoring member's name; absent when unknown or self. */
  payerName?: string;
}

export interface MemberFunding {
  funding: Funding;
  payerId: string | null;
  payerName: string | null;
  history: FundingRow[];
}

/** The funding in force this month (WIB), who pays, and the history (the staff view; GET /staff/…/funding). */
export async function memberFunding(deps: Deps, participantId: string): Promise<MemberFunding> {
  const now = await fundingForMonth(deps.db, participantId, monthInJakarta(deps.clock.now()));
  const history = await fundingHistory(deps.db, participantId);
  return { funding: now?.funding ?? 'self', payerId: now?.payerId ?? null, payerName: now?.payerName ?? null, history };
}

/**
 * Who pays this month; a sponsor without a recorded name (a worker registered through Sertakan: the registration's
 * payer_id) is named from their participant row, masked as the consent page masks it (another member's full name is
 * never shown).
 */
export async function fundedBy(deps: Deps, participantId: string): Promise<FundedBy> {
  const now = await fundingForMonth(deps.db, participantId, monthInJakarta(deps.clock.now()));
  if (!now || now.funding === 'self') {
    return { kind: 'self' };
  }
  let payerName = now.payerName;
  if (payerName === null && now.funding === 'sponsor' && now.payerId !== null) {
    const sponsor = await deps.db.selectFrom('participant').select('full_name').where('id', '=', now.payerId).executeTakeFirst();
    payerName = sponsor ? maskName(sponsor.full_name) : null;
  }
  return payerName === null ? { kind: now.funding } : { kind: now.funding, payerName };
}
