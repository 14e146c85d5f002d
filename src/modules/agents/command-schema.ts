import { z } from '@hono/zod-openapi';
import { ZDate, ZPrograms } from '../../http/schemas.js';
import { AGENT_COMMAND_TYPES, AGENT_COMMANDS_MAX } from './domain/commands.js';

const ZInstant = z.string().max(40).refine((s) => !Number.isNaN(Date.parse(s)) && /T/.test(s), 'an ISO 8601 instant');

/** An enrol command's payload: Formulir 1A as the agent typed it offline (the worker's consent taken by the agent). */
export const ZEnrolPayload = z
  .object({
    nik: z.string().max(32),
    fullName: z.string().max(200),
    birthDate: ZDate,
    gender: z.enum(['M', 'F']),
    phone: z.string().max(32).openapi({ description: "The worker's phone: the payment code and the receipt SMS go there" }),
    email: z.string().max(320).optional(),
    address: z.string().max(500),
    occupationCode: z.string().max(40),
    branchCode: z.string().max(40).optional().openapi({ description: "Absent: the agent's branch" }),
    programs: ZPrograms,
    declaredIncome: z.number().int(),
    months: z.number().int(),
  })
  .openapi('AgentEnrolPayload');
export type EnrolPayload = z.infer<typeof ZEnrolPayload>;

/** A collect command's payload: cash for the enrolment's first bill (enrolCommandId) or a member's next months (kpj). */
export const ZCollectPayload = z
  .object({
    enrolCommandId: z.string().max(36).optional(),
    kpj: z.string().max(20).optional(),
    months: z.number().int().min(1).max(12),
    amount: z.number().int().positive(),
    collectedAt: ZInstant.openapi({ description: "When the agent took the cash (the device's clock); recorded, not the cover date" }),
  })
  .refine((p) => (p.enrolCommandId === undefined) !== (p.kpj === undefined), { message: 'exactly one of enrolCommandId and kpj', path: ['kpj'] })
  .openapi('AgentCollectPayload');
export type CollectPayload = z.infer<typeof ZCollectPayload>;

export const ZAgentCommand = z
  .object({
    id: z.string().max(36).openapi({ description: 'The UUIDv7 the agent app made: the same id is the same command', example: '01939f4e-7b1c-7a2b-9c3d-4e5f60718293' }),
    type: z.enum(AGENT_COMMAND_TYPES),
    createdAt: z.string().max(40).openapi({ description: 'When the command was made on the device (ISO 8601)' }),
    payload: z.record(z.string(), z.unknown()).openapi({ description: 'enrol: AgentEnrolPayload; collect: AgentCollectPayload (validated per command: a bad payload is that command rejected invalid_request, `field` names the payload field)' }),
  })
  .openapi('AgentCommand');
export type AgentCommandInput = z.infer<typeof ZAgentCommand>;

export const ZAgentCommandsRequest = z.object({ commands: z.array(ZAgentCommand).min(1).max(AGENT_COMMANDS_MAX) }).openapi('AgentCommandsRequest');

export const ZCommandReason = z.object({ code: z.string(), field: z.string().optional(), message: z.string() }).openapi('AgentCommandReason');
export const ZCommandResult = z
  .object({
    id: z.string(),
    status: z.enum(['accepted', 'rejected']),
    reasons: z.array(ZCommandReason).optional(),
    result: z
      .object({ registrationId: z.string().optional(), kpj: z.string().optional(), paymentCode: z.string().optional(), receiptNo: z.string().optional(), amount: z.number().int().optional() })
      .optional(),
  })
  .openapi('AgentCommandResult');
export const ZAgentCommandsResponse = z.object({ results: z.array(ZCommandResult) }).openapi('AgentCommandsResponse');
export type CommandResult = z.infer<typeof ZCommandResult>;
export type CommandReason = z.infer<typeof ZCommandReason>;
export type CommandValue = NonNullable<CommandResult['result']>;

/** The first issue of a payload that does not parse, as a reason field: the payload's field ('nik'), or 'payload'. */
export function payloadIssue(error: z.ZodError): string {
  const path = error.issues[0]?.path ?? [];
  return path.length === 0 ? 'payload' : path.map(String).join('.');
}
