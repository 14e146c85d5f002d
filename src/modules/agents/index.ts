/**
 * The agents module's facade (PERISAI agents, issue 17 item 5). Other modules, src/web, the composition root and the
 * jobs import this module only through this file.
 */
export { agentMasterDataRoutes, canonicalJson, masterDataSigner, masterDataSnapshot, type MasterDataSnapshot } from './master-data.js';
