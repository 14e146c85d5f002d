import { sql } from 'kysely';
import type { Deps } from '../../deps.js';
import { STATUS_BY_CODE, type ErrorCode } from '../../http/errors.js';
import { errorMessage, type Locale } from '../../http/messages.js';
import { ok, reject, type Result } from '../../shared/result.js';
import { type Agent, findAgentByParticipant } from './agents.js';
import { collect } from './collect.js';
import type { AgentCommandInput, CommandReason, CommandResult, CommandValue } from './command-schema.js';
import { commandFingerprint, isUuidV7 } from './domain/commands.js';
import { enrol } from './enrol.js';

/** A command's answer as stored: reasons carry codes and fields only; the message is rendered in the caller's language. */
export type Answer = { status: 'accepted'; result: CommandValue } | { status: 'rejected'; reasons: { code: string; field?: string }[] };
/** What a command's handler sees: the agent, the command's id and its instant, and a way to save progress for a takeover. */
export interface CommandContext {
  agent: Agent;
  commandId: string;
  createdAt: Date;
  progress: Record<string, unknown>;
  saveProgress: (p: Record<string, unknown>) => Promise<void>;
}

/** Answers that are never stored: the same id sent again is tried again (a registry outage, a command still in flight). */
const TRANSIENT = new Set(['identity_unavailable', 'command_pending']);
/** A pending command older than this was left by a crashed request: the next replay takes it over (its steps are idempotent). */
export const STALE_PENDING_MS = 2 * 60_000;
const WAIT_FOR_PENDING_MS = 15_000;

export function rejected(code: string, field?: string): Answer {
  return { status: 'rejected', reasons: [field === undefined ? { code } : { code, field }] };
}

function render(id: string, answer: Answer, locale: Locale): CommandResult {
  if (answer.status === 'accepted') return { id, status: 'accepted', result: answer.result };
  const reasons: CommandReason[] = answer.reasons.map((r) => ({ ...r, message: r.code in STATUS_BY_CODE ? errorMessage(r.code as ErrorCode, locale) : r.code }));
  return { id, status: 'rejected', reasons };
}

/**
 * The offline agent app's replay target: each command, in order, is applied once. The command's UUIDv7 is the
 * primary key of agent_command: the first request to insert it applies it (a racing duplicate finds the row and
 * waits for its answer); the same id again gets the stored answer; the same id with another payload is rejected
 * `command_conflict` (not stored). 'forbidden' when the participant is not an agent; an ended agent's new commands
 * are rejected `agent_ended`. Every accepted command moves agent.last_activity_at.
 */
export async function applyAgentCommands(
  deps: Deps,
  agentParticipantId: string,
  commands: readonly AgentCommandInput[],
  locale: Locale = 'id',
): Promise<Result<CommandResult[], 'forbidden'>> {
  const agent = await findAgentByParticipant(deps.db, agentParticipantId);
  if (!agent) return reject('forbidden');
  const results: CommandResult[] = [];
  for (const cmd of commands) {
    const id = cmd.id.toLowerCase();
    results.push(render(cmd.id, await applyOne(deps, agent, { ...cmd, id }), locale));
  }
  return ok(results);
}

async function applyOne(deps: Deps, agent: Agent, cmd: AgentCommandInput): Promise<Answer> {
  if (!isUuidV7(cmd.id)) return rejected('invalid_request', 'id');
  const createdAt = new Date(cmd.createdAt);
  if (Number.isNaN(createdAt.getTime())) return rejected('invalid_request', 'createdAt');
  const fingerprint = commandFingerprint(cmd);
  const now = deps.clock.now();
  const claimed = await deps.db
    .insertInto('agent_command')
    .values({ id: cmd.id, agent_id: agent.participantId, type: cmd.type, fingerprint, status: 'pending', client_created_at: createdAt, received_at: now })
    .onConflict((oc) => oc.column('id').doNothing())
    .returning('id')
    .executeTakeFirst();
  if (claimed) return run(deps, agent, cmd, createdAt, {});
  return answerOfExisting(deps, agent, cmd, createdAt, fingerprint);
}

/** A command id already in agent_command: the stored answer, a conflict, or (pending) the answer once the first request has it. */
async function answerOfExisting(deps: Deps, agent: Agent, cmd: AgentCommandInput, createdAt: Date, fingerprint: string): Promise<Answer> {
  const deadline = Date.now() + WAIT_FOR_PENDING_MS;
  for (;;) {
    const row = await deps.db.selectFrom('agent_command').selectAll().where('id', '=', cmd.id).executeTakeFirst();
    if (!row) return applyOne(deps, agent, cmd); // released by a transient failure: try again
    if (row.agent_id !== agent.participantId || row.fingerprint !== fingerprint) return rejected('command_conflict', 'id');
    if (row.status !== 'pending') return storedAnswer(row.status, row.result, row.reasons);
    const stale = deps.clock.now().getTime() - new Date(row.received_at).getTime() > STALE_PENDING_MS;
    if (stale) {
      const taken = await deps.db
        .updateTable('agent_command')
        .set({ received_at: deps.clock.now() })
        .where('id', '=', cmd.id)
        .where('status', '=', 'pending')
        .where('received_at', '=', row.received_at)
        .returning('id')
        .executeTakeFirst();
      if (taken) return run(deps, agent, cmd, createdAt, (row.result as Record<string, unknown> | null) ?? {});
    }
    if (Date.now() > deadline) return rejected('command_pending', 'id');
    await new Promise((r) => setTimeout(r, 25));
  }
}

function storedAnswer(status: string, result: unknown, reasons: unknown): Answer {
  if (status === 'accepted') return { status: 'accepted', result: (result ?? {}) as CommandValue };
  return { status: 'rejected', reasons: (reasons ?? []) as { code: string; field?: string }[] };
}

/** Applies a claimed command and stores its answer (a transient one releases the claim instead). */
async function run(deps: Deps, agent: Agent, cmd: AgentCommandInput, createdAt: Date, progress: Record<string, unknown>): Promise<Answer> {
  const ctx: CommandContext = {
    agent,
    commandId: cmd.id,
    createdAt,
    progress,
    saveProgress: async (p) => {
      await deps.db.updateTable('agent_command').set({ result: JSON.stringify(p) }).where('id', '=', cmd.id).where('status', '=', 'pending').execute();
    },
  };
  let answer: Answer;
  try {
    answer = agent.status === 'ended' ? rejected('agent_ended') : cmd.type === 'enrol' ? await enrol(deps, ctx, cmd.payload) : await collect(deps, ctx, cmd.payload);
  } catch (err) {
    // Left pending and stale at once: the next replay takes it over and resumes from the saved progress.
    await deps.db.updateTable('agent_command').set({ received_at: new Date(deps.clock.now().getTime() - STALE_PENDING_MS - 1000) }).where('id', '=', cmd.id).where('status', '=', 'pending').execute();
    throw err;
  }
  if (answer.status === 'rejected' && answer.reasons.some((r) => TRANSIENT.has(r.code))) {
    await release(deps, cmd.id);
    return answer;
  }
  const now = deps.clock.now();
  await deps.db.transaction().execute(async (trx) => {
    await trx
      .updateTable('agent_command')
      .set({
        status: answer.status,
        result: answer.status === 'accepted' ? JSON.stringify(answer.result) : null,
        reasons: answer.status === 'rejected' ? JSON.stringify(answer.reasons) : null,
        answered_at: now,
      })
      .where('id', '=', cmd.id)
      .execute();
    if (answer.status === 'accepted') {
      await trx.updateTable('agent').set({ last_activity_at: sql<Date>`greatest(coalesce(last_activity_at, ${now}), ${now})` }).where('participant_id', '=', agent.participantId).execute();
    }
  });
  return answer;
}

async function release(deps: Deps, id: string): Promise<void> {
  await deps.db.deleteFrom('agent_command').where('id', '=', id).where('status', '=', 'pending').execute();
}
