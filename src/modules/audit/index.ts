/**
 * The audit module's facade: the append-only staff audit (who did which staff action, in the transaction of the
 * change). Its own module so that every module with staff actions (contributions, reconciliation, …) records through
 * it without depending on one another (issue 14: it used to live in reconciliation, which made contributions and
 * reconciliation a cycle).
 */
export { auditEventsOf, type AuditEvent, recordStaffAction, recordStaffActions, staffActor, type StaffAction } from './staff-audit.js';
