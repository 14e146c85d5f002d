/**
 * The incentives module's facade: PERISAI agent incentives (issue 17 item 5) — the effective-dated rules
 * (domain/incentives.ts), the month per Kantor Perisai (monthly.ts: statements and ledger entries), ending inactive
 * agents (ending.ts), the statements and their four-eyes payment (statements.ts) and their routes.
 * Other modules, src/web, the composition root and the jobs import this module only through this file.
 */
export {
  agentIncentive,
  defaultIncentiveRuleBook,
  inactiveToEnd,
  inactivityCutoffMonth,
  incentiveMonthFor,
  incentivePayBy,
  incentiveRulesAt,
  kantorIncentive,
  type AgentIncentive,
  type IncentiveLine,
  type IncentiveRuleBook,
  type IncentiveRules,
} from './domain/incentives.js';
export { endInactiveAgents, INACTIVE_REASON } from './ending.js';
export { anyAgent, computeAgentMonth, computeKantorMonth, kantorsWithAgents, type KantorMonthResult } from './monthly.js';
export { agentStatementsView, approveStatement, getStatement, listStatements, markStatementPaid, STATEMENT_STATUSES, statementApprovers, type StatementView } from './statements.js';
export { agentIncentiveRoutes, staffIncentiveRoutes } from './incentives.routes.js';
