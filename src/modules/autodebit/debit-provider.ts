import { createHash } from 'node:crypto';

/**
 * The port to a direct-debit provider (a bank's SNAP Direct Debit, an e-wallet's tokenized payment): the system never
 * holds an account's credentials, only the token the provider issued when the member linked the account.
 *
 * `charge` must be idempotent by `reference`: a repeated reference is the same charge and returns its result without
 * moving money again (SNAP's partnerReferenceNo, an e-wallet's idempotency key). The collection job relies on it: it
 * records each attempt with its deterministic reference before calling, and after a crash it calls again with the
 * same reference rather than guessing whether money moved. A charge whose outcome is unknown (timeout, connection
 * lost) throws; the job is then retried and asks again.
 */
export interface DebitCharge {
  token: string;
  amount: number;
  /** `autodebit:<mandateId>:<month>:<attempt>` — deterministic, so a retried job never charges twice. */
  reference: string;
}

export type DebitResult = { status: 'succeeded'; providerRef: string } | { status: 'failed'; reason: DebitFailureReason; retryable: boolean };

/** Why a charge failed, as the member is told (templates.ts): known codes, the rest is 'rejected'. */
export type DebitFailureReason = 'insufficient_funds' | 'account_inactive' | 'limit_exceeded' | 'rejected';
export const DEBIT_FAILURE_REASONS: readonly DebitFailureReason[] = ['insufficient_funds', 'account_inactive', 'limit_exceeded', 'rejected'];

export type ProviderKind = 'bank' | 'ewallet';

export interface LinkAccountInput {
  providerKind: ProviderKind;
  providerName: string;
  /** Bank account number (digits) or the e-wallet's phone number (E.164). */
  account: string;
}

export interface DebitProvider {
  /** Shown in logs; never a secret. */
  readonly name: string;
  /** Links the member's account and returns the provider's token for it. */
  link(input: LinkAccountInput): Promise<{ token: string }>;
  charge(input: DebitCharge): Promise<DebitResult>;
}

/** The banks and e-wallets a member may choose (display names; a real adapter maps them to its channel codes). */
export const DEBIT_PROVIDERS: Readonly<Record<ProviderKind, readonly string[]>> = {
  bank: ['BCA', 'BNI', 'BRI', 'Mandiri', 'BSI', 'CIMB Niaga', 'Permata'],
  ewallet: ['GoPay', 'OVO', 'DANA', 'ShopeePay', 'LinkAja'],
};

/** 'tok_…abcd': what a log line may carry of a token. */
export function tokenHint(token: string): string {
  return token.length <= 8 ? '…' : `${token.slice(0, 4)}…${token.slice(-4)}`;
}

/**
 * The development stand-in (compose.ts wires it outside production). Deterministic, by the account the member
 * links — like a payment sandbox's magic numbers:
 *
 * - an account ending in 0002 gets a token containing 'saldo-kurang': every charge fails, insufficient funds,
 *   retryable (the job retries up to the rule book's bound, then the member is told to pay manually);
 * - ending in 0003 → token with 'gagal': fails, account inactive, not retryable (the member is told at once);
 * - ending in 0004 → token with 'putus': the first call for a reference moves the money but "loses the connection"
 *   (throws), as a timeout would; a repeat of the reference returns the recorded success without charging again;
 * - anything else succeeds.
 *
 * Charges are kept per reference in memory (idempotency), and `charges` lists the money actually moved, for tests.
 */
export interface DevDebitProvider extends DebitProvider {
  readonly charges: readonly { reference: string; token: string; amount: number; providerRef: string }[];
}

export function createDevDebitProvider(): DevDebitProvider {
  const results = new Map<string, DebitResult>();
  const charges: { reference: string; token: string; amount: number; providerRef: string }[] = [];
  return {
    name: 'dev',
    charges,
    async link(input) {
      const marker = input.account.endsWith('0002') ? 'saldo-kurang' : input.account.endsWith('0003') ? 'gagal' : input.account.endsWith('0004') ? 'putus' : 'ok';
      const digest = createHash('sha256').update(`${input.providerKind}:${input.providerName}:${input.account}`).digest('hex').slice(0, 24);
      return { token: `devtok_${marker}_${digest}` };
    },
    async charge(input) {
      const known = results.get(input.reference);
      if (known) {
        return known;
      }
      let result: DebitResult;
      if (input.token.includes('saldo-kurang')) {
        result = { status: 'failed', reason: 'insufficient_funds', retryable: true };
      } else if (input.token.includes('gagal')) {
        result = { status: 'failed', reason: 'account_inactive', retryable: false };
      } else {
        const providerRef = `dev-${createHash('sha256').update(input.reference).digest('hex').slice(0, 16)}`;
        result = { status: 'succeeded', providerRef };
        charges.push({ reference: input.reference, token: input.token, amount: input.amount, providerRef });
      }
      results.set(input.reference, result);
      if (input.token.includes('putus')) {
        // The money moved (recorded above), but the caller never hears of it.
        throw new Error('dev debit provider: connection lost after the charge (outcome unknown to the caller)');
      }
      return result;
    },
  };
}
