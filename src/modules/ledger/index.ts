/**
 * The ledger module's facade: the chart of accounts, transfer validation and balances.
 * Other modules, src/web, the composition root and the jobs import this module only through this file; everything
 * else under this folder is internal (the boundary rule in .dependency-cruiser.cjs; tests may import deeper).
 */
export {
  AGENT_INCENTIVE_EXPENSE_ACCOUNT,
  benefitAccount,
  clearingAccount,
  disbursementAccount,
  incentivePayableAccount,
  JHT_INVESTMENT_ACCOUNT,
  jhtAccount,
  PAYOUT_CLEARING_ACCOUNT,
  postTransfer,
  SUSPENSE_ACCOUNT,
  type TransferCode,
  type TransferDraft,
  validateTransfer,
  walletAccount,
  walletBalance,
} from './ledger.js';
