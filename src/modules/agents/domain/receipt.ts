import { createHash } from 'node:crypto';

/** An agent's code: 'AG' + 6 digits of the agent sequence (AG000001 …). */
export function formatAgentCode(seq: number): string {
  if (!Number.isInteger(seq) || seq < 1 || seq > 999_999) throw new Error(`agent sequence out of range: ${seq}`);
  return `AG${String(seq).padStart(6, '0')}`;
}

export function isAgentCode(value: string): boolean {
  return /^AG\d{6}$/.test(value);
}

/** A collection's receipt number: 'KW-' + the agent code + '-' + the agent's 6-digit receipt sequence (KW-AG000001-000001). */
export function formatReceiptNo(agentCode: string, seq: number): string {
  if (!isAgentCode(agentCode)) throw new Error(`not an agent code: ${agentCode}`);
  if (!Number.isInteger(seq) || seq < 1 || seq > 999_999) throw new Error(`receipt sequence out of range: ${seq}`);
  return `KW-${agentCode}-${String(seq).padStart(6, '0')}`;
}

export function isReceiptNo(value: string): boolean {
  return /^KW-AG\d{6}-\d{6}$/.test(value);
}

/** The check code alphabet: capitals and digits without the look-alikes 0/O, 1/I/L (read aloud or typed from an SMS). */
export const CHECK_CODE_ALPHABET = 'ABCDEFGHJKMNPQRSTUVWXYZ23456789';
export const CHECK_CODE_LENGTH = 6;

/** A 6-character check code from 6 random bytes (each byte mod 31: the small bias does not matter for a receipt check). */
export function checkCodeFrom(bytes: Uint8Array): string {
  if (bytes.length < CHECK_CODE_LENGTH) throw new Error('need 6 random bytes');
  let code = '';
  for (let i = 0; i < CHECK_CODE_LENGTH; i += 1) code += CHECK_CODE_ALPHABET[(bytes[i] ?? 0) % CHECK_CODE_ALPHABET.length];
  return code;
}

/** A check code as typed: upper-cased, spaces removed; null when it cannot be one. */
export function normalizeCheckCode(value: string): string | null {
  const code = value.replace(/\s+/g, '').toUpperCase();
  if (code.length !== CHECK_CODE_LENGTH) return null;
  return [...code].every((c) => CHECK_CODE_ALPHABET.includes(c)) ? code : null;
}

/** What is stored of a check code: SHA-256 of the receipt number and the code (never the code itself). */
export function checkCodeHash(receiptNo: string, code: string): string {
  return createHash('sha256').update(`${receiptNo}:${code}`).digest('hex');
}

/** A KPJ shown on a public receipt check: the last 4 digits only. */
export function maskKpj(kpj: string): string {
  return `${'*'.repeat(Math.max(0, kpj.length - 4))}${kpj.slice(-4)}`;
}
