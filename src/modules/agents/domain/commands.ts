import { createHash } from 'node:crypto';

export const AGENT_COMMAND_TYPES = ['enrol', 'collect'] as const;
export type AgentCommandType = (typeof AGENT_COMMAND_TYPES)[number];
export const AGENT_COMMANDS_MAX = 100;

/** A UUIDv7 as the agent app makes it (lower-cased before comparing). */
export function isUuidV7(value: string): boolean {
  return /^[0-9a-f]{8}-[0-9a-f]{4}-7[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/.test(value);
}

/** JSON with object keys sorted at every level: the same payload always gives the same text. */
export function canonicalJson(value: unknown): string {
  if (value === null || typeof value !== 'object') return JSON.stringify(value) ?? 'null';
  if (Array.isArray(value)) return `[${value.map((v) => canonicalJson(v)).join(',')}]`;
  const entries = Object.entries(value as Record<string, unknown>)
    .filter(([, v]) => v !== undefined)
    .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
  return `{${entries.map(([k, v]) => `${JSON.stringify(k)}:${canonicalJson(v)}`).join(',')}}`;
}

/** A command's fingerprint: SHA-256 of its type, client instant and canonical payload. The same id with another fingerprint is a conflict. */
export function commandFingerprint(cmd: { type: string; createdAt: string; payload: unknown }): string {
  const createdAt = Number.isNaN(Date.parse(cmd.createdAt)) ? cmd.createdAt : new Date(cmd.createdAt).toISOString();
  return createHash('sha256').update(canonicalJson({ type: cmd.type, createdAt, payload: cmd.payload })).digest('hex');
}
