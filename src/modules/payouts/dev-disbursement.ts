import { reject } from '../../shared/result.js';
import { assertTransfer, type DisbursementProvider, type TransferRequest, type TransferStatus } from './provider.js';

/** An account number the stand-in always fails (`INVALID_DESTINATION`), to exercise the failure path in development. */
export const DEV_FAILING_ACCOUNT = '0000000000';

/**
 * The development stand-in (contract, "Development additions"): accepts every well-formed transfer and reports it paid
 * at the first status question — so a payout is confirmed within one job run. Same key again → the same transfer;
 * the same key with another amount or account → refused `idempotency_key_reused`. No callbacks: every callback is
 * refused. Kept in memory (a restart forgets; development only).
 */
export function createDevDisbursementProvider(now: () => Date): DisbursementProvider {
  const sent = new Map<string, { transfer: TransferRequest; status: TransferStatus }>();
  return {
    name: 'dev',
    async send(transfer) {
      assertTransfer(transfer);
      const prior = sent.get(transfer.idempotencyKey);
      if (prior) {
        const same = prior.transfer.amount === transfer.amount && prior.transfer.accountNumber === transfer.accountNumber && prior.transfer.bankCode === transfer.bankCode;
        return same ? { kind: 'accepted', providerRef: prior.status.providerRef } : { kind: 'refused', reason: 'idempotency_key_reused' };
      }
      const providerRef = `dev_disb_${transfer.idempotencyKey}`;
      sent.set(transfer.idempotencyKey, { transfer, status: { kind: 'pending', providerRef } });
      return { kind: 'accepted', providerRef };
    },
    async status(idempotencyKey) {
      const entry = sent.get(idempotencyKey);
      if (!entry) return undefined;
      if (entry.status.kind === 'pending') {
        const { providerRef } = entry.status;
        entry.status =
          entry.transfer.accountNumber === DEV_FAILING_ACCOUNT ? { kind: 'failed', providerRef, reason: 'INVALID_DESTINATION' } : { kind: 'paid', providerRef, at: now() };
      }
      return entry.status;
    },
    readCallback() {
      return reject('invalid_signature');
    },
  };
}
