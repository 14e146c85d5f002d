import type { Transaction } from 'kysely';
import type { Database } from '../../db/database.js';
import { newId } from '../../shared/ids.js';

/**
 * The payout of an approved claim, created in the approval's transaction: status `pending`, due at once
 * (`next_attempt_at` = now), the claim's total to the claim's bank account. One per claim (unique claim_id): a second
 * call returns the first. The payout job (claims/payout-*.ts) sends it through the disbursement provider.
 */
export async function createPayout(
  trx: Transaction<Database>,
  c: { claimId: string; participantId: string; amount: number; bankAccount: unknown; now: Date },
): Promise<{ id: string; status: 'pending' | 'paid' | 'failed'; amount: number }> {
  const inserted = await trx
    .insertInto('payout')
    .values({
      id: newId('pyt'),
      claim_id: c.claimId,
      participant_id: c.participantId,
      amount: c.amount,
      bank_account: JSON.stringify(c.bankAccount),
      status: 'pending',
      next_attempt_at: c.now,
      created_at: c.now,
      updated_at: c.now,
    })
    .onConflict((oc) => oc.column('claim_id').doNothing())
    .returning(['id', 'status', 'amount'])
    .executeTakeFirst();
  const row = inserted ?? (await trx.selectFrom('payout').select(['id', 'status', 'amount']).where('claim_id', '=', c.claimId).executeTakeFirstOrThrow());
  return { id: row.id, status: row.status as 'pending' | 'paid' | 'failed', amount: Number(row.amount) };
}
