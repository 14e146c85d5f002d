import type { Result } from '../../shared/result.js';

/**
 * The disbursement port: how a benefit payout leaves Lindung. The caller chooses the idempotency key BEFORE the call
 * and records it (a payout id); sending again with the same key never pays twice — the provider answers with the
 * first transfer. A transport failure or a provider outage is thrown: the caller retries later with the same key.
 */
export interface TransferRequest {
  /** Chosen before the call; also the provider's external reference (status is looked up by it). 1–100 chars. */
  idempotencyKey: string;
  /** Integer rupiah, > 0. */
  amount: number;
  /** The provider's bank / e-wallet code (Xendit: `BCA`, `MANDIRI`, `BRI`, `OVO`…). */
  bankCode: string;
  accountNumber: string;
  accountHolderName: string;
  description: string;
}

/** The provider took the transfer (it is processing it), or refused it for a reason that retrying will not change. */
export type SendOutcome = { kind: 'accepted'; providerRef: string } | { kind: 'refused'; reason: string };

/** Where a transfer is: still processing, paid to the recipient, or failed (the money stays with us). */
export type TransferStatus =
  | { kind: 'pending'; providerRef: string }
  | { kind: 'paid'; providerRef: string; at: Date }
  | { kind: 'failed'; providerRef: string; reason: string };

/** A provider's callback, authenticated and read: the final status of one transfer. */
export interface TransferEvent {
  idempotencyKey: string;
  amount: number;
  status: Exclude<TransferStatus, { kind: 'pending' }>;
}

export type CallbackRefusal = 'invalid_signature' | 'invalid_request';

export interface DisbursementProvider {
  readonly name: 'xendit' | 'dev';
  send(transfer: TransferRequest): Promise<SendOutcome>;
  /** The transfer sent with this key, or undefined when the provider never received it (safe to send). */
  status(idempotencyKey: string): Promise<TransferStatus | undefined>;
  /** Authenticates a callback (headers lowercased) and reads it; refused → nothing may be recorded. */
  readCallback(headers: Record<string, string | undefined>, body: unknown): Result<TransferEvent, CallbackRefusal>;
}

/** The request's own sanity (integer rupiah, key shape); a violation is a programming error, thrown before any call. */
export function assertTransfer(t: TransferRequest): void {
  if (!Number.isSafeInteger(t.amount) || t.amount <= 0) throw new Error(`transfer amount must be a positive integer (rupiah): ${t.amount}`);
  if (!/^[A-Za-z0-9_:.-]{1,100}$/.test(t.idempotencyKey)) throw new Error(`invalid idempotency key ${JSON.stringify(t.idempotencyKey)}`);
}
