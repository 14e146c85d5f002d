/**
 * The JHT module's facade: the member's old-age savings account `jht:<kpj>` and its yearly return (hasil
 * pengembangan). Other modules, src/web, the composition root and the jobs import it only through this file.
 */
export { accruedReturn, compoundReturns, daysInYear, lastAnnouncedRate, yearReturn, type JhtMovement, type RateBp } from './domain/jht-return.js';
