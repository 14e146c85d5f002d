/**
 * The reference module's facade: occupations (the table `occupation`, admin-maintained: every reader goes through
 * occupationDirectory), branches (the table `branch`, admin-maintained: every reader goes through branchDirectory)
 * and provinces, service points, and their routes.
 * Other modules, src/web, the composition root and the jobs import this module only through this file; everything
 * else under this folder is internal (the boundary rule in .dependency-cruiser.cjs; tests may import deeper).
 */
export { BRANCH_CACHE_MS, branchDirectory, type BranchDirectory, type BranchRow, listBranches, putBranch } from './branch-table.js';
export type { Branch } from './branches.js';
export { listOccupations, OCCUPATION_CACHE_MS, occupationDirectory, type OccupationDirectory, type OccupationRow, putOccupation } from './occupation-table.js';
export type { Occupation } from './occupations.js';
export { findProvince, PROVINCES } from './provinces.js';
export { referenceRoutes } from './reference.routes.js';
export { listServicePoints, putServicePoint, SERVICE_POINT_KINDS, type ServicePoint, type ServicePointKind } from './service-points.js';
export { branchesNearAddress, searchBranches } from './branch-search.js';
