import { createRoute, z } from '@hono/zod-openapi';
import type { Deps } from '../../deps.js';
import { participantIdOf, requireParticipant } from '../../http/auth.js';
import { AppError, localeOf, unwrap } from '../../http/errors.js';
import { BEARER_AUTH, guardedApp } from '../../http/guarded-app.js';
import { createOpenApiApp } from '../../http/openapi-app.js';
import { jsonBody, jsonResponse, ZError } from '../../http/schemas.js';
import { findAgentByParticipant } from './agents.js';
import { cashPosition } from './cash.js';
import { ZAgentCommandsRequest, ZAgentCommandsResponse } from './command-schema.js';
import { applyAgentCommands } from './commands.js';
import { checkReceipt } from './receipts.js';

const TAG = 'Agen PERISAI (agents)';
const errors = {
  400: jsonResponse(ZError, 'invalid_request'),
  401: jsonResponse(ZError, 'unauthorized'),
  403: jsonResponse(ZError, 'forbidden (not an agent), agent_ended'),
} as const;

const ZAgentMe = z
  .object({
    agentCode: z.string(),
    kantorCode: z.string(),
    branchCode: z.string(),
    status: z.enum(['active', 'ended']),
    cashLimit: z.number().int(),
    outstanding: z.number().int().openapi({ description: 'Cash collected and not yet deposited' }),
    lastActivityAt: z.string().nullable(),
  })
  .openapi('AgentMe');

const commandsRoute = createRoute({
  method: 'post',
  path: '/agent/commands',
  tags: [TAG],
  security: BEARER_AUTH,
  summary:
    "The offline agent app's replay: 1–100 commands (enrol, collect), each answered accepted or rejected with reasons, in order. Idempotent by the command's UUIDv7: the same id again is the same stored answer (never applied twice, also when two replays race); the same id with another payload is rejected command_conflict. An ended agent's commands are rejected agent_ended",
  request: { body: jsonBody(ZAgentCommandsRequest) },
  responses: { 200: jsonResponse(ZAgentCommandsResponse, 'One result per command, in order'), ...errors },
});

const meRoute = createRoute({
  method: 'get',
  path: '/agent/me',
  tags: [TAG],
  security: BEARER_AUTH,
  summary: "The signed-in agent: code, Kantor Perisai, branch, cash limit and the cash not yet deposited (403 agent_ended once ended)",
  responses: { 200: jsonResponse(ZAgentMe, 'The agent'), ...errors },
});

/** The agent API (a participant's bearer token whose participant is an agent). */
export function agentRoutes(deps: Deps) {
  const app = guardedApp(requireParticipant(deps), ['/agent/*']);
  return app
    .openapi(commandsRoute, async (c) => {
      const results = unwrap(await applyAgentCommands(deps, participantIdOf(c), c.req.valid('json').commands, localeOf(c)));
      return c.json({ results }, 200);
    })
    .openapi(meRoute, async (c) => {
      const agent = await findAgentByParticipant(deps.db, participantIdOf(c));
      if (!agent) throw new AppError('forbidden');
      if (agent.status === 'ended') throw new AppError('agent_ended');
      const cash = await cashPosition(deps.db, agent);
      return c.json({ agentCode: agent.agentCode, kantorCode: agent.kantorCode, branchCode: agent.branchCode, status: agent.status, cashLimit: agent.cashLimit, outstanding: cash.outstanding, lastActivityAt: agent.lastActivityAt?.toISOString() ?? null }, 200);
    });
}


const ZReceiptCheck = z
  .object({ valid: z.boolean(), amount: z.number().int().nullable(), months: z.number().int().nullable(), kpjMasked: z.string().nullable(), receivedAt: z.string().nullable() })
  .openapi('ReceiptCheck');
const receiptRoute = createRoute({
  method: 'get',
  path: '/receipts/{no}',
  tags: [TAG],
  summary: "Public check of an agent's receipt with the check code from the worker's SMS: valid → amount, months, the KPJ's last 4 digits, when the money reached the system; an unknown number and a wrong code alike answer valid: false",
  request: { params: z.object({ no: z.string().max(40) }), query: z.object({ code: z.string().max(16) }) },
  responses: { 200: jsonResponse(ZReceiptCheck, 'The check'), 400: jsonResponse(ZError, 'invalid_request') },
});

/** GET /api/v1/receipts/{no}?code=… (no sign-in). */
export function receiptRoutes(deps: Deps) {
  return createOpenApiApp().openapi(receiptRoute, async (c) => c.json(await checkReceipt(deps.db, c.req.valid('param').no, c.req.valid('query').code), 200));
}
