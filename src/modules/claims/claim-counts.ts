import type { Deps } from '../../deps.js';
import { CLAIM_STATUSES, type ClaimStatus } from './domain/claim-state.js';

/**
 * How many claims are in each state (the console's queue header), under the same type and age filters as the queue
 * (claim-view.ts claimQueue); every state is present, 0 when none.
 */
export async function claimStatusCounts(deps: Deps, q: { type?: string | undefined; submittedBefore?: Date | undefined }): Promise<Record<ClaimStatus, number>> {
  let query = deps.db.selectFrom('claim').select(['status', (eb) => eb.fn.countAll<string>().as('n')]).groupBy('status');
  if (q.type) {
    query = query.where('type', '=', q.type);
  }
  if (q.submittedBefore) {
    query = query.where('submitted_at', '<', q.submittedBefore);
  }
  const rows = await query.execute();
  const counts = Object.fromEntries(CLAIM_STATUSES.map((s) => [s, 0])) as Record<ClaimStatus, number>;
  for (const r of rows) {
    counts[r.status as ClaimStatus] = Number(r.n);
  }
  return counts;
}
