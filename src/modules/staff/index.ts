/**
 * The staff module's facade: staff accounts (argon2id passwords, roles, TOTP), their sessions and the lockout, the
 * one policy table of staff endpoints, and the staff routes (sessions, audit). src/http/auth.ts resolves staff
 * principals and checks the policy through this file; everything else here is internal.
 */
export { createStaffAccount, normalizeUsername, type NewStaffAccount } from './accounts.js';
export { mayCall, rolesAllowed, STAFF_POLICY, type StaffRouteKey } from './policy.js';
export { isStaffRole, STAFF_ROLES, type StaffRole } from './roles.js';
export { findStaffSession, LOCKOUT, signInStaff, signOutStaff, STAFF_SESSION_HOURS, STAFF_TOKEN_PREFIX } from './sessions.js';
export { staffSessionRoutes } from './staff.routes.js';
export { findStaffAccount, listStaffAccounts, removesOwnAdmin, resetStaffTotp, type StaffAccountView, updateStaffAccount } from './admin.js';
export { staffAdminRoutes } from './admin.routes.js';
export { servicePointRoutes } from './service-point.routes.js';
export { OCCUPATION_CODE, occupationRoutes } from './occupation.routes.js';
export { BRANCH_CODE, branchRoutes } from './branch.routes.js';
export { totpCodeAt } from './totp.js';
