/**
 * Whether an error means "the database cannot be reached or did not answer in time" — the outcome of the statement is
 * unknown or it never ran, and the same request may simply be sent again later. Such errors are answered 503
 * `service_unavailable` with Retry-After (src/http/errors.ts), never 500 and never a business answer.
 *
 * - SQLSTATE class 08 (connection exception), 57P01–57P05 (terminated by an administrator, crash or shut-down, the
 *   server starting up, idle-session timeout), 57014 (statement_timeout / a cancel), 53300 (too many connections);
 * - socket errors (ECONNREFUSED, ECONNRESET, EPIPE, ETIMEDOUT, EHOSTUNREACH, …);
 * - node-postgres's own messages for a dead connection, a full pool that did not free a connection in time, and a
 *   statement whose answer never came (query_timeout).
 */
const SQLSTATES = new Set(['57P01', '57P02', '57P03', '57P04', '57P05', '57014', '53300']);
const SOCKET_CODES = new Set(['ECONNREFUSED', 'ECONNRESET', 'EPIPE', 'ETIMEDOUT', 'EHOSTUNREACH', 'ENETUNREACH', 'EAI_AGAIN', 'ENOTFOUND']);
const PG_MESSAGES = [
  /^Connection terminated/,
  /^Client has encountered a connection error and is not queryable/,
  /^Client was closed and is not queryable/,
  /^timeout exceeded when trying to connect/,
  /^Query read timeout/,
  /^Cannot use a pool after calling end on the pool/,
  /^connect ECONNREFUSED/,
];

export function isDatabaseUnavailable(err: unknown): boolean {
  for (let e = err, depth = 0; e instanceof Error && depth < 5; e = (e as { cause?: unknown }).cause, depth++) {
    const code = (e as { code?: unknown }).code;
    if (typeof code === 'string' && (code.startsWith('08') || SQLSTATES.has(code) || SOCKET_CODES.has(code))) {
      return true;
    }
    if (PG_MESSAGES.some((re) => re.test(e instanceof Error ? e.message : ''))) {
      return true;
    }
    if (e instanceof AggregateError && e.errors.some(isDatabaseUnavailable)) {
      return true;
    }
  }
  return false;
}
