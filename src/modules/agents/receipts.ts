import type { Kysely } from 'kysely';
import type { Database } from '../../db/database.js';
import { safeEqual } from '../../shared/crypto.js';
import { checkCodeHash, isReceiptNo, maskKpj, normalizeCheckCode } from './domain/receipt.js';

export interface ReceiptCheck {
  valid: boolean;
  amount: number | null;
  months: number | null;
  kpjMasked: string | null;
  receivedAt: string | null;
}

const INVALID: ReceiptCheck = { valid: false, amount: null, months: null, kpjMasked: null, receivedAt: null };

/**
 * The public receipt check (GET /kuitansi, GET /api/v1/receipts/{no}?code=…): valid only for a receipt number and its
 * check code from the SMS — then the amount, the months, the KPJ's last 4 digits and when the money reached the
 * system. An unknown number and a wrong code answer alike (valid: false), so nothing can be learnt by guessing.
 */
export async function checkReceipt(db: Kysely<Database>, receiptNo: string, code: string): Promise<ReceiptCheck> {
  const no = receiptNo.trim().toUpperCase();
  const normalized = normalizeCheckCode(code);
  if (!isReceiptNo(no) || normalized === null) return INVALID;
  const row = await db
    .selectFrom('agent_collection as c')
    .leftJoin('participant as p', 'p.id', 'c.participant_id')
    .select(['c.amount', 'c.months', 'c.check_code_hash', 'c.received_at', 'c.payment_id', 'p.kpj'])
    .where('c.receipt_no', '=', no)
    .executeTakeFirst();
  if (!row || row.payment_id === null || row.kpj === null || !safeEqual(row.check_code_hash, checkCodeHash(no, normalized))) return INVALID;
  return { valid: true, amount: Number(row.amount), months: row.months, kpjMasked: maskKpj(row.kpj), receivedAt: new Date(row.received_at).toISOString() };
}
