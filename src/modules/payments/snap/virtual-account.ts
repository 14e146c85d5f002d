/**
 * BI-SNAP virtual accounts, the biller ("direct inquiry") side: a bank asks what a member's VA number is for
 * (transfer-va/inquiry, service 24) and then tells us it was paid (transfer-va/payment, service 25). Field names and
 * lengths: ASPI SNAP "Virtual Account" (mirrored in mseptiaan/snap-aspi-go aspi/virtual-account.md;
 * integrations.md §2.4).
 *
 * A member's VA number is stable: `virtualAccountNo = partnerServiceId + customerNo`, with partnerServiceId our
 * 8-character, space-padded biller prefix (SNAP_PARTNER_SERVICE_ID) and customerNo the member's 11-digit KPJ (the
 * number on the card). The member can pay any month from any bank app without first asking us for a payment code.
 */
import type { Deps } from '../../../deps.js';
import { findBillByCode, findBillLines, findOpenMemberBill, findVaPaymentTarget, maskName } from '../../contributions/index.js';
import { issueMemberBill, findParticipantByKpj } from '../../membership/index.js';
import { isLuhnValid } from '../../../shared/ids.js';
import type { UnmatchedReason } from '../../../db/database.js';
import { requiredText, SnapFieldError, snapAmount, type JsonObject } from './fields.js';
import type { SnapCase } from './response-codes.js';
import type { SnapSettlement } from './settle.js';

export const KPJ_DIGITS = 11;

export interface VaNumber {
  partnerServiceId: string;
  customerNo: string;
  virtualAccountNo: string;
}

/** A member's stable VA number: our partnerServiceId (8 characters, left-padded with spaces) + the KPJ. */
export function memberVirtualAccount(partnerServiceId: string, kpj: string): VaNumber {
  const psid = partnerServiceId.trim().padStart(8, ' ');
  return { partnerServiceId: psid, customerNo: kpj, virtualAccountNo: psid + kpj };
}

/**
 * partnerServiceId, customerNo and virtualAccountNo of a request, checked to agree
 * (`virtualAccountNo = partnerServiceId + customerNo`; padding spaces may be left out). `kpj` is the member number the
 * VA stands for — null when the prefix is not ours or the customer number cannot be a KPJ (11 digits, Luhn), so the
 * VA is unknown without a database read.
 */
export function readVaNumber(body: JsonObject, ourPartnerServiceId: string): { received: VaNumber; kpj: string | null } {
  const partnerServiceId = requiredText(body, 'partnerServiceId', 8, /^ *\d{1,8}$/);
  const customerNo = requiredText(body, 'customerNo', 20, /^\d{1,20}$/);
  const virtualAccountNo = requiredText(body, 'virtualAccountNo', 28, /^ *\d{1,28}$/);
  if (virtualAccountNo.trimStart() !== partnerServiceId.trimStart() + customerNo) {
    throw new SnapFieldError('invalidFieldFormat', 'virtualAccountNo');
  }
  const ours = partnerServiceId.trim() === ourPartnerServiceId.trim();
  const kpj = ours && customerNo.length === KPJ_DIGITS && isLuhnValid(customerNo) ? customerNo : null;
  return { received: { partnerServiceId, customerNo, virtualAccountNo }, kpj };
}

export interface VaBill {
  paymentCode: string;
  amount: number;
  months: string[];
  expiresAt: Date;
}

export interface VaMember {
  participantId: string;
  /** Masked as on every screen a payer sees before paying ("B*** S******"): the KPJ is printed on the card. */
  nameMasked: string;
}

async function billByCode(deps: Deps, paymentCode: string): Promise<VaBill | null> {
  const bill = await findBillByCode(deps.db, paymentCode);
  if (!bill) {
    return null;
  }
  const months = [...new Set((await findBillLines(deps.db, bill.id)).map((l) => l.month))].sort();
  return { paymentCode: bill.payment_code, amount: Number(bill.amount), months, expiresAt: bill.expires_at };
}

export type VaInquiry =
  | { ok: true; member: VaMember; bill: VaBill; issued: boolean }
  | { ok: false; reason: 'not_found' | 'not_billable'; member?: VaMember };

/**
 * The amount due on a member's VA: their open renewal bill if they have one (whatever it covers — e.g. 3 months chosen
 * in the portal), otherwise a new 1-month bill for the month after their cover, issued now by issueMemberBill (so an
 * inquiry may create a bill; a later inquiry finds it open and quotes it again rather than issuing another).
 */
export async function inquireMemberVa(deps: Deps, kpj: string | null): Promise<VaInquiry> {
  const participant = kpj ? await findParticipantByKpj(deps.db, kpj) : undefined;
  if (!participant) {
    return { ok: false, reason: 'not_found' };
  }
  const member = { participantId: participant.id, nameMasked: maskName(participant.full_name) };
  const open = await findOpenMemberBill(deps.db, participant.id, deps.clock.now());
  if (open) {
    const bill = await billByCode(deps, open.payment_code);
    if (bill) {
      return { ok: true, member, bill, issued: false };
    }
  }
  const issued = await issueMemberBill(deps, participant.id, 1);
  if (!issued.ok) {
    deps.logger.warn('snap inquiry: no bill could be issued for the member', { kpj, reason: issued.code });
    return { ok: false, reason: 'not_billable', member };
  }
  const v = issued.value.bill;
  return {
    ok: true,
    member,
    bill: { paymentCode: v.paymentCode, amount: v.amount, months: v.months.map((m) => m.month), expiresAt: new Date(v.expiresAt) },
    issued: true,
  };
}

/** The payment's external id in the payment table: one per partner and paymentRequestId. */
export function vaExternalId(partnerServiceId: string, paymentRequestId: string): string {
  return `snap:${partnerServiceId.trim()}:${paymentRequestId}`;
}

/** The code recorded for money paid to a VA that is no member's: never a bill's code, so it stays unmatched. */
export function unknownVaPaymentCode(va: VaNumber): string {
  return `VA:${va.virtualAccountNo.trim()}`;
}

/**
 * Which bill a VA payment pays: the one a previous delivery of this payment was recorded against (a retry pays the
 * same bill even if a new one has been issued since); else the member's open renewal bill (the one the inquiry
 * quoted); else their newest bill of any state, so that a late payment is reported as paid bill or expired; else no
 * bill (unknown VA, or a member who never had one): a code that matches nothing.
 */
export async function resolveVaPayment(
  deps: Deps,
  input: { kpj: string | null; va: VaNumber; externalId: string },
): Promise<{ paymentCode: string; member: VaMember | null; bill: VaBill | null }> {
  // One round trip: the member, the code already recorded for this external id (a repeat pays what the first paid),
  // else their newest payable open bill, else their newest bill (contributions/bills.ts findVaPaymentTarget).
  const target = await findVaPaymentTarget(deps.db, { kpj: input.kpj, externalId: input.externalId, now: deps.clock.now() });
  const member = target.participant ? { participantId: target.participant.id, nameMasked: maskName(target.participant.fullName) } : null;
  return { paymentCode: target.paymentCode ?? unknownVaPaymentCode(input.va), member, bill: target.bill };
}

export interface Bilingual {
  english: string;
  indonesia: string;
}

export interface VaPaymentAnswer {
  kase: SnapCase;
  detail?: string;
  /** paymentFlagStatus: "00" success, "01" rejected. */
  flag: '00' | '01';
  reason: Bilingual;
}

const REASONS = {
  success: { english: 'Success', indonesia: 'Sukses' },
  amount_mismatch: { english: 'Invalid Amount', indonesia: 'Nominal pembayaran tidak sesuai' },
  bill_already_paid: { english: 'Bill has been paid', indonesia: 'Tagihan telah dibayar' },
  bill_expired: { english: 'Bill has expired', indonesia: 'Tagihan kedaluwarsa' },
  bill_replaced: { english: 'Bill has been replaced', indonesia: 'Tagihan telah diganti' },
  prepay_limit: { english: 'Beyond the prepayment limit', indonesia: 'Melebihi batas bayar di muka' },
  bill_paid_by_payer: { english: 'Bill is paid by a collective bill', indonesia: 'Tagihan dibayar melalui tagihan kolektif' },
  unknown_payment_code: { english: 'Virtual Account not found', indonesia: 'Virtual Account tidak ditemukan' },
  inconsistent: { english: 'Inconsistent Request', indonesia: 'Permintaan tidak konsisten' },
} as const satisfies Record<string, Bilingual>;

function unmatchedAnswer(reason: UnmatchedReason): VaPaymentAnswer {
  switch (reason) {
    case 'amount_mismatch':
      return { kase: 'invalidAmount', flag: '01', reason: REASONS.amount_mismatch };
    case 'bill_already_paid':
      return { kase: 'paidBill', flag: '01', reason: REASONS.bill_already_paid };
    case 'bill_expired':
      return { kase: 'billExpired', detail: 'Expired', flag: '01', reason: REASONS.bill_expired };
    case 'unknown_payment_code':
      return { kase: 'billNotFound', detail: 'Not Found', flag: '01', reason: REASONS.unknown_payment_code };
    case 'bill_replaced':
      return { kase: 'billExpired', detail: 'Replaced', flag: '01', reason: REASONS.bill_replaced };
    case 'prepay_limit':
      return { kase: 'billNotFound', detail: 'Prepayment Limit', flag: '01', reason: REASONS.prepay_limit };
    case 'bill_paid_by_payer':
      return { kase: 'billNotFound', detail: 'Paid By Payer', flag: '01', reason: REASONS.bill_paid_by_payer };
  }
}

/**
 * The SNAP answer to a settled VA payment. Applied → 2002500. A repeat → what the first delivery got (idempotent).
 * Unmatched (money kept in suspense for reconciliation) → invalid amount / paid bill / expired / not found.
 * Inconsistent (same paymentRequestId, different money) → 4042518, flagged with the recorded payment's own status:
 * ASPI counts 404xx18 as success for a VA payment (the first payment stands).
 */
export function vaPaymentAnswer(s: SnapSettlement): VaPaymentAnswer {
  switch (s.status) {
    case 'applied':
      return { kase: 'success', flag: '00', reason: REASONS.success };
    case 'unmatched':
      return unmatchedAnswer(s.reason);
    case 'duplicate':
      return s.recorded.outcome === 'applied' || s.recorded.unmatchedReason === null
        ? { kase: 'success', flag: '00', reason: REASONS.success }
        : unmatchedAnswer(s.recorded.unmatchedReason);
    case 'inconsistent':
      return { kase: 'inconsistentRequest', flag: s.recorded.outcome === 'applied' ? '00' : '01', reason: REASONS.inconsistent };
  }
}

export const INQUIRY_REASONS = {
  success: REASONS.success,
  notFound: REASONS.unknown_payment_code,
  notBillable: { english: 'No contribution can be billed', indonesia: 'Iuran tidak dapat ditagihkan' },
} as const satisfies Record<string, Bilingual>;

/** "2026-12" or "2026-12 to 2027-02": fits billDescription (18 characters). */
function monthSpan(months: readonly string[], joiner: string): string {
  const first = months[0] ?? '';
  const last = months.at(-1) ?? first;
  return first === last ? first : `${first}${joiner}${last}`;
}

/** One bill detail for the whole bill (a closed VA pays it all); lengths per ASPI (billNo 18, billName 20, …). */
export function billDetails(bill: VaBill) {
  return [
    {
      billCode: '01',
      billNo: bill.paymentCode,
      billName: 'Iuran BPJS TK BPU',
      billShortName: 'IURAN BPU',
      billDescription: { english: monthSpan(bill.months, ' to '), indonesia: monthSpan(bill.months, ' sd ') },
      billAmount: snapAmount(bill.amount),
    },
  ];
}

/** Shown by the bank's channel (32 characters each). */
export function freeTexts(bill: VaBill) {
  return [
    { english: 'BPJS Ketenagakerjaan BPU', indonesia: 'Iuran BPJS Ketenagakerjaan BPU' },
    {
      english: `${bill.months.length} month${bill.months.length === 1 ? '' : 's'}: ${monthSpan(bill.months, '..')}`,
      indonesia: `${bill.months.length} bulan: ${monthSpan(bill.months, '..')}`,
    },
  ];
}
