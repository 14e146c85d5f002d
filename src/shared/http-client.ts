/** What an outbound HTTP client takes besides its endpoint: the fetch to use (tests pass a stub) and a timeout. */
export interface HttpClientOptions {
  fetch?: typeof fetch;
  /** Milliseconds for the whole exchange, the response body included; 10 s unless set. */
  timeoutMs?: number;
}

/**
 * A client's POST of a JSON body (already serialised), asking for JSON, with `headers` added; aborted when the
 * timeout runs out, also while the response body is still being read.
 */
export function jsonPoster(opts: HttpClientOptions): (url: string, body: string, headers?: Record<string, string>) => Promise<Response> {
  const doFetch = opts.fetch ?? globalThis.fetch;
  const timeoutMs = opts.timeoutMs ?? 10_000;
  return (url, body, headers = {}) =>
    doFetch(url, {
      method: 'POST',
      headers: { 'content-type': 'application/json', accept: 'application/json', ...headers },
      body,
      signal: AbortSignal.timeout(timeoutMs),
    });
}
