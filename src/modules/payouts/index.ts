/**
 * The payouts module's facade: the DisbursementProvider port (send a transfer under an idempotency key chosen before
 * the call; status and callbacks → paid | failed with a reason) and its adapters — Xendit disbursements and the
 * development stand-in. Not wired into claims yet (README, "Payouts (disbursements)").
 */
import type { Config } from '../../config.js';
import { createDevDisbursementProvider } from './dev-disbursement.js';
import type { DisbursementProvider } from './provider.js';
import { createXenditDisbursementProvider } from './xendit-disbursement.js';

export { createDevDisbursementProvider, DEV_FAILING_ACCOUNT } from './dev-disbursement.js';
export type { CallbackRefusal, DisbursementProvider, SendOutcome, TransferEvent, TransferRequest, TransferStatus } from './provider.js';
export { createXenditDisbursementProvider, readXenditDisbursementCallback, type XenditDisbursementConfig } from './xendit-disbursement.js';

/** The provider PAYOUT_PROVIDER asks for, or undefined when payouts are off (production without Xendit keys). */
export function disbursementProviderFromConfig(payouts: Config['payouts'], now: () => Date): DisbursementProvider | undefined {
  if (!payouts) return undefined;
  return payouts.kind === 'dev' ? createDevDisbursementProvider(now) : createXenditDisbursementProvider(payouts);
}
