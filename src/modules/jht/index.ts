/**
 * The JHT module's facade: the member's old-age savings account `jht:<kpj>` (read from the ledger), its yearly return
 * (hasil pengembangan, domain/jht-return.ts), the yearly rates staff enter, and the crediting batch the jobs run.
 * Other modules, src/web, the composition root and the jobs import it only through this file.
 */
export { accruedReturn, compoundReturns, daysInYear, lastAnnouncedRate, yearCredit, yearReturn, type JhtMovement, type RateBp } from './domain/jht-return.js';
export { getJhtView, jhtBalanceAndAccrual, type JhtEntry, type JhtView } from './jht-account.js';
export { creditJhtReturnsBatch, jhtInterimRef, jhtReturnTransferId } from './jht-crediting.js';
export { listJhtRates, putJhtRate, ratedYearsBefore, type JhtRate } from './jht-rates.js';
export { jhtRateRoutes, jhtRoutes } from './jht.routes.js';
