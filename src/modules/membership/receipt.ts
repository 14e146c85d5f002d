import type { Deps } from '../../deps.js';
import { findPaymentReceipt, renderReceiptPdf } from '../contributions/index.js';

/**
 * The signed-in member's receipt (bukti bayar) of one paid bill as a PDF: only their own bills (the first bill of
 * their registration too); null for anyone else's, an unpaid or an unknown bill (the page answers 404).
 */
export async function memberReceiptPdf(deps: Deps, participantId: string, billId: string): Promise<{ pdf: Buffer; fileName: string } | null> {
  const participant = await deps.db.selectFrom('participant').select(['id', 'registration_id', 'kpj', 'full_name']).where('id', '=', participantId).executeTakeFirst();
  const receipt = participant ? await findPaymentReceipt(deps, participant, billId) : undefined;
  return receipt ? renderReceiptPdf(receipt) : null;
}
