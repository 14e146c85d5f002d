/**
 * The reconciliation module's facade: settlement-file reconciliation and unmatched payments: the staff routes.
 * Other modules, src/web, the composition root and the jobs import this module only through this file; everything
 * else under this folder is internal (the boundary rule in .dependency-cruiser.cjs; tests may import deeper).
 */
export { reconciliationRoutes } from './reconciliation.routes.js';
export {
  compareDisbursements,
  DISBURSEMENT_DIFFERENCE_KINDS,
  type DisbursementDifference,
  type DisbursementReportRow,
  readDisbursementReport,
  type RecordedAttempt,
} from './domain/compare-disbursements.js';
export { type CsvError, type CsvRecord, parseCsv } from './domain/csv.js';
