/**
 * The agents module's facade (issue 17 item 5, rulebook §6): PERISAI agents — participants attached to a Kantor
 * Perisai — and their offline app's command API (enrol, collect: idempotent by the client's UUIDv7), cash
 * collections with receipts and SMS check codes, cash limits and deposits reconciled oldest first.
 * Other modules, src/web and the composition root import this module only through this file.
 */
export { type Agent, findAgentByCode, findAgentByParticipant } from './agents.js';
export { agentRoutes, receiptRoutes } from './agent.routes.js';
export { agentStaffRoutes } from './staff.routes.js';
export { checkReceipt, type ReceiptCheck } from './receipts.js';
export { type AgentCommandInput, type CommandResult } from './command-schema.js';
export { applyAgentCommands } from './commands.js';
export { agentExternalId } from './collect.js';
export { type CashPosition, DEFAULT_CASH_LIMIT, reconcileCash, withinCashLimit } from './domain/cash.js';
export { formatReceiptNo, isReceiptNo, maskKpj } from './domain/receipt.js';
export { agentMasterDataRoutes, canonicalJson, masterDataSigner, masterDataSnapshot, type MasterDataSnapshot } from './master-data.js';
export { createKantorPerisai, endAgent, type KantorPerisaiInput, makeAgent } from './admin.js';
export { agentCash, type AgentCashView, type DepositView, recordDeposit } from './deposits.js';
export { type AgentListItem, type KantorPerisaiItem, listAgentsForStaff, listKantorPerisai } from './staff-views.js';
