import { createRoute, z } from '@hono/zod-openapi';
import type { Deps } from '../../deps.js';
import { requireStaff, staffActorOf } from '../../http/auth.js';
import { unwrap } from '../../http/errors.js';
import { BEARER_AUTH, guardedApp } from '../../http/guarded-app.js';
import { jsonBody, jsonResponse, ZError } from '../../http/schemas.js';
import { agentView, createKantorPerisai, endAgent, makeAgent } from './admin.js';
import { agentCash, recordDeposit } from './deposits.js';

const TAG = 'Staf (staff)';
const errors = {
  400: jsonResponse(ZError, 'invalid_request'),
  401: jsonResponse(ZError, 'unauthorized'),
  403: jsonResponse(ZError, 'forbidden'),
  404: jsonResponse(ZError, 'unknown_participant, unknown_agent'),
  409: jsonResponse(ZError, 'kantor_perisai_exists, already_agent, participant_not_active, idempotency_key_reused'),
  422: jsonResponse(ZError, 'unknown_branch, unknown_kantor_perisai'),
} as const;
const codeParams = z.object({ code: z.string().max(16) });

const ZKantor = z.object({ code: z.string(), name: z.string(), branchCode: z.string(), active: z.boolean() }).openapi('KantorPerisai');
const ZAgent = z
  .object({ agentCode: z.string(), kpj: z.string(), kantorCode: z.string(), branchCode: z.string(), cashLimit: z.number().int(), status: z.enum(['active', 'ended']), startedAt: z.string(), endedAt: z.string().nullable(), endedReason: z.string().nullable() })
  .openapi('Agent');
const ZDeposit = z.object({ id: z.string(), agentCode: z.string(), amount: z.number().int(), reference: z.string(), depositedAt: z.string(), recordedBy: z.string() }).openapi('AgentDeposit');
const ZCash = z
  .object({
    agentCode: z.string(),
    status: z.enum(['active', 'ended']),
    collected: z.number().int(),
    deposited: z.number().int(),
    outstanding: z.number().int(),
    limit: z.number().int(),
    collections: z.array(z.object({ receiptNo: z.string(), amount: z.number().int(), open: z.number().int(), receivedAt: z.string() })).openapi({ description: 'Collections not yet covered by deposits (deposits reconcile oldest first)' }),
  })
  .openapi('AgentCash');

const kantorRoute = createRoute({
  method: 'post', path: '/staff/kantor-perisai', tags: [TAG], security: BEARER_AUTH,
  summary: 'A Kantor Perisai (the wadah with a PKS with a branch); admin; audited',
  request: { body: jsonBody(z.object({ code: z.string().max(40), name: z.string().max(120), branchCode: z.string().max(40) })) },
  responses: { 201: jsonResponse(ZKantor, 'Created'), ...errors },
});
const agentRoute = createRoute({
  method: 'post', path: '/staff/agents', tags: [TAG], security: BEARER_AUTH,
  summary: 'Makes an active participant a PERISAI agent of a Kantor Perisai (its branch); a new code AG + 6 digits; admin; audited',
  request: { body: jsonBody(z.object({ kpj: z.string().max(20), kantorCode: z.string().max(40), cashLimit: z.number().int().optional().openapi({ description: 'Rupiah; default Rp5.000.000' }) })) },
  responses: { 201: jsonResponse(ZAgent, 'The agent'), ...errors },
});
const endRoute = createRoute({
  method: 'post', path: '/staff/agents/{code}/end', tags: [TAG], security: BEARER_AUTH,
  summary: "Ends an agency: the agent's commands are rejected agent_ended from then on; admin; audited",
  request: { params: codeParams, body: jsonBody(z.object({ reason: z.string().max(500) })) },
  responses: { 200: jsonResponse(ZAgent, 'The agent, ended'), ...errors },
});
const depositRoute = createRoute({
  method: 'post', path: '/staff/agents/{code}/deposits', tags: [TAG], security: BEARER_AUTH,
  summary: "Cash an agent paid in at the branch; idempotent by the id chosen before the call (other content: idempotency_key_reused); finance; audited",
  request: { params: codeParams, body: jsonBody(z.object({ id: z.string().max(64), amount: z.number().int(), reference: z.string().max(120), depositedAt: z.string().max(40) })) },
  responses: { 201: jsonResponse(ZDeposit, 'Recorded (or the same deposit again)'), ...errors },
});
const cashRoute = createRoute({
  method: 'get', path: '/staff/agents/{code}/cash', tags: [TAG], security: BEARER_AUTH,
  summary: "An agent's cash: collected, deposited, outstanding, the limit, and the collections not yet covered by deposits (oldest first); finance",
  request: { params: codeParams },
  responses: { 200: jsonResponse(ZCash, 'Cash position'), ...errors },
});

/** The staff endpoints of the agents module (each in STAFF_POLICY): Kantor Perisai and agents (admin), deposits and cash (finance). */
export function agentStaffRoutes(deps: Deps) {
  const app = guardedApp(requireStaff(deps), ['/staff/kantor-perisai', '/staff/agents', '/staff/agents/*']);
  return app
    .openapi(kantorRoute, async (c) => c.json(unwrap(await createKantorPerisai(deps, staffActorOf(c), c.req.valid('json'))), 201))
    .openapi(agentRoute, async (c) => c.json(await agentView(deps, unwrap(await makeAgent(deps, staffActorOf(c), c.req.valid('json')))), 201))
    .openapi(endRoute, async (c) => c.json(await agentView(deps, unwrap(await endAgent(deps, staffActorOf(c), c.req.valid('param').code, c.req.valid('json').reason))), 200))
    .openapi(depositRoute, async (c) => c.json(unwrap(await recordDeposit(deps, staffActorOf(c), c.req.valid('param').code, c.req.valid('json'))), 201))
    .openapi(cashRoute, async (c) => c.json(unwrap(await agentCash(deps, c.req.valid('param').code)), 200));
}
