import { createRoute, z } from '@hono/zod-openapi';
import type { Deps } from '../../deps.js';
import { participantIdOf, requireParticipant, requireStaff, staffActorOf } from '../../http/auth.js';
import { AppError, unwrap } from '../../http/errors.js';
import { BEARER_AUTH, guardedApp } from '../../http/guarded-app.js';
import { jsonBody, jsonResponse, ZError, ZMonth, ZRupiah } from '../../http/schemas.js';
import { findAgentByCode, findAgentByParticipant } from '../agents/index.js';
import { approveStatement, listStatements, markStatementPaid, STATEMENT_STATUSES } from './statements.js';

const ZLine = z
  .object({
    kind: z.enum(['acquisition_jht', 'acquisition_jkk_jkm', 'contribution_tier', 'kantor_share']),
    count: z.number().int().openapi({ description: 'Participants (acquisition), covered months paid (contribution), agents (Kantor)' }),
    unit: ZRupiah.nullable().openapi({ description: 'Per participant (acquisition lines)' }),
    base: ZRupiah.nullable().openapi({ description: 'What the percentage applies to (contribution and Kantor lines)' }),
    bps: z.number().int().nullable().openapi({ description: 'The percentage in basis points (1500 = 15%)' }),
    tier: z.string().nullable().openapi({ example: '1-24', description: "Membership months of a contribution line" }),
    amount: ZRupiah,
  })
  .openapi('IncentiveLine');

const ZStatement = z
  .object({
    id: z.string().openapi({ example: 'agent:AG000001:2026-11' }),
    month: ZMonth,
    holderKind: z.enum(['agent', 'kantor']),
    holderCode: z.string(),
    kantorCode: z.string(),
    newCount: z.number().int().openapi({ description: 'New-to-BPU participants acquired in the month (the acquisition incentive needs 25)' }),
    lines: z.array(ZLine),
    total: ZRupiah,
    payBy: z.string().openapi({ example: '2026-12-05' }),
    status: z.enum(STATEMENT_STATUSES),
    approvedAt: z.string().nullable(),
    paidAt: z.string().nullable(),
    paymentReference: z.string().nullable(),
  })
  .openapi('IncentiveStatement');
const ZStatements = z.object({ statements: z.array(ZStatement) });

const AGENT_TAG = 'Agen PERISAI (agents)';
const STAFF_TAG = 'Staf (staff)';
const staffErrors = { 401: jsonResponse(ZError, 'unauthorized'), 403: jsonResponse(ZError, 'forbidden') } as const;

const agentStatementsRoute = createRoute({
  method: 'get',
  path: '/agent/statements',
  tags: [AGENT_TAG],
  security: BEARER_AUTH,
  summary: "The signed-in agent's incentive statements (insentif), newest month first, or one month; an ended agent still sees them",
  request: { query: z.object({ month: ZMonth.optional() }) },
  responses: { 200: jsonResponse(ZStatements, 'Statements'), 400: jsonResponse(ZError, 'invalid_request'), 401: jsonResponse(ZError, 'unauthorized'), 403: jsonResponse(ZError, 'forbidden (not an agent)') },
});

const staffStatementsRoute = createRoute({
  method: 'get',
  path: '/staff/agents/{code}/statements',
  tags: [STAFF_TAG],
  security: BEARER_AUTH,
  summary: "An agent's incentive statements, newest month first (or one month), with the agent's Kantor Perisai statement of each month",
  request: { params: z.object({ code: z.string().max(20) }), query: z.object({ month: ZMonth.optional() }) },
  responses: { 200: jsonResponse(z.object({ statements: z.array(ZStatement), kantor: z.array(ZStatement) }), 'Statements'), 400: jsonResponse(ZError, 'invalid_request'), ...staffErrors, 404: jsonResponse(ZError, 'unknown_agent') },
});

const approveRoute = createRoute({
  method: 'post',
  path: '/staff/agent-statements/{id}/approve',
  tags: [STAFF_TAG],
  security: BEARER_AUTH,
  summary: 'Approve a due incentive statement for payment (first of two finance officers); audited',
  request: { params: z.object({ id: z.string().max(80) }) },
  responses: { 200: jsonResponse(ZStatement, 'Approved'), ...staffErrors, 404: jsonResponse(ZError, 'not_found'), 409: jsonResponse(ZError, 'incentive_statement_not_due') },
});

const paidRoute = createRoute({
  method: 'post',
  path: '/staff/agent-statements/{id}/paid',
  tags: [STAFF_TAG],
  security: BEARER_AUTH,
  summary: 'Record the bank transfer of an approved statement (another finance officer than the approver): paid; ledger payable → clearing:disbursement; audited',
  request: { params: z.object({ id: z.string().max(80) }), body: jsonBody(z.object({ reference: z.string().trim().min(3).max(120).openapi({ example: 'TRF-20261204-0001' }) })) },
  responses: {
    200: jsonResponse(ZStatement, 'Paid'),
    400: jsonResponse(ZError, 'invalid_request'),
    ...staffErrors,
    404: jsonResponse(ZError, 'not_found'),
    409: jsonResponse(ZError, 'incentive_statement_not_approved, incentive_same_officer'),
  },
});

/** The agent's own statements (a participant's bearer token whose participant is, or was, an agent). */
export function agentIncentiveRoutes(deps: Deps) {
  const app = guardedApp(requireParticipant(deps), ['/agent/statements']);
  return app.openapi(agentStatementsRoute, async (c) => {
    const agent = await findAgentByParticipant(deps.db, participantIdOf(c));
    if (!agent) throw new AppError('forbidden');
    return c.json({ statements: await listStatements(deps.db, { kind: 'agent', code: agent.agentCode }, c.req.valid('query').month) }, 200);
  });
}

/** Staff: an agent's statements (finance, supervisor) and the four-eyes payment (finance). */
export function staffIncentiveRoutes(deps: Deps) {
  const app = guardedApp(requireStaff(deps), ['/staff/agents/*', '/staff/agent-statements/*']);
  return app
    .openapi(staffStatementsRoute, async (c) => {
      const agent = await findAgentByCode(deps.db, c.req.valid('param').code);
      if (!agent) throw new AppError('unknown_agent', 'code');
      const month = c.req.valid('query').month;
      const statements = await listStatements(deps.db, { kind: 'agent', code: agent.agentCode }, month);
      const kantor = await listStatements(deps.db, { kind: 'kantor', code: agent.kantorCode }, month);
      return c.json({ statements, kantor }, 200);
    })
    .openapi(approveRoute, async (c) => c.json(unwrap(await approveStatement(deps, c.req.valid('param').id, staffActorOf(c))), 200))
    .openapi(paidRoute, async (c) => c.json(unwrap(await markStatementPaid(deps, c.req.valid('param').id, { reference: c.req.valid('json').reference, actor: staffActorOf(c) })), 200));
}
