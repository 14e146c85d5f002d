/**
 * The incentives module's facade: PERISAI agent incentives (issue 17 item 5) — the effective-dated rules
 * (domain/incentives.ts). Other modules, src/web, the composition root and the jobs import this module only through
 * this file.
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
