import { AsyncLocalStorage } from 'node:async_hooks';

/**
 * A small JSON-lines logger. Every line passes through `redact`, so a NIK (16 digits) never reaches a log in full
 * (UU 27/2022 on personal data protection): any run of exactly 16 digits, and any string field named `nik`, keeps its
 * last 4 digits only (`************1234`, as staff see a NIK). An OTP, token or NPWP field is replaced whole.
 */
export type LogLevel = 'debug' | 'info' | 'warn' | 'error' | 'silent';
export interface Logger {
  debug(msg: string, fields?: Record<string, unknown>): void;
  info(msg: string, fields?: Record<string, unknown>): void;
  warn(msg: string, fields?: Record<string, unknown>): void;
  error(msg: string, fields?: Record<string, unknown>): void;
}

const ORDER: Record<LogLevel, number> = { debug: 10, info: 20, warn: 30, error: 40, silent: 100 };
const SECRET_KEYS = /^(otp|code|token|password|secret|authorization|npwp)$/i;
const NIK_FIELD = /^nik$/i;

/** Fields every line logged inside `withLogFields` carries, e.g. the request id of the HTTP request being served. */
const logFields = new AsyncLocalStorage<Record<string, unknown>>();

/** Runs `fn` so that every line it (and whatever it awaits) logs carries `fields`. */
export function withLogFields<T>(fields: Record<string, unknown>, fn: () => T): T {
  return logFields.run({ ...logFields.getStore(), ...fields }, fn);
}

/** The fields of the enclosing withLogFields, if any. */
export function currentLogFields(): Readonly<Record<string, unknown>> | undefined {
  return logFields.getStore();
}

/** Runs `fn` outside any withLogFields: for work started by one request on behalf of others (a settlement batch). */
export function withoutLogFields<T>(fn: () => T): T {
  return logFields.exit(fn);
}

export function redact(text: string): string {
  return text.replace(/(?<!\d)\d{12}(\d{4})(?!\d)/g, '************$1');
}

/** A field named like a NIK: only its last 4 characters, whatever its length or format. */
function maskNikField(value: unknown): unknown {
  return typeof value === 'string' ? `${'*'.repeat(Math.max(value.length - 4, 0))}${value.slice(-4)}` : value;
}

export function createLogger(level: LogLevel, write: (line: string) => void = (l) => process.stdout.write(`${l}\n`)): Logger {
  const log = (lvl: Exclude<LogLevel, 'silent'>, msg: string, fields?: Record<string, unknown>) => {
    if (ORDER[lvl] < ORDER[level]) {
      return;
    }
    const line = JSON.stringify({ level: lvl, time: new Date().toISOString(), msg, ...logFields.getStore(), ...fields }, (key, value: unknown) =>
      SECRET_KEYS.test(key) ? '[redacted]' : NIK_FIELD.test(key) ? maskNikField(value) : value,
    );
    write(redact(line));
  };
  return {
    debug: (m, f) => log('debug', m, f),
    info: (m, f) => log('info', m, f),
    warn: (m, f) => log('warn', m, f),
    error: (m, f) => log('error', m, f),
  };
}
