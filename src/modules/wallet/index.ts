/**
 * The wallet module's facade: the contribution wallet (balance, credit, sweep, the member's view) and its routes.
 * Other modules, src/web, the composition root and the jobs import this module only through this file; everything
 * else under this folder is internal (the boundary rule in .dependency-cruiser.cjs; tests may import deeper).
 */
export { kpjFromTopUpCode } from './domain/top-up-code.js';
export { anyWalletCredited, sweepWalletsBatch } from './sweep-job.js';
export { walletRoutes } from './wallet.routes.js';
export { creditWallet, getWalletView, sweepWalletAfterCredit, walletBalance, type WalletEntry, type WalletView } from './wallet.js';
