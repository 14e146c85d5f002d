/**
 * The heirs module's facade: the heirs (ahli waris) a member declares — the pure list rule (domain/heirs.ts), reading
 * and replacing the list (heirs.ts), and the API routes (GET/PUT /me/heirs, GET /staff/participants/{kpj}/heirs).
 * Other modules, src/web and the composition root import it only through this file.
 */
export { HEIR_RELATIONSHIPS, MAX_HEIRS, validateHeir, validateHeirs, type HeirErrorCode, type HeirInput, type HeirRelationship, type ValidHeir } from './domain/heirs.js';
export { listHeirs, listHeirsByKpj, replaceHeirs, type HeirView, type ReplaceHeirsResult } from './heirs.js';
export { heirRoutes, heirStaffRoutes } from './heirs.routes.js';
