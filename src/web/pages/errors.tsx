import type { PortalContext, PortalDeps } from '../context.js';
import { messagesFor } from '../i18n/messages.js';
import { renderPage } from '../layout.js';

function simplePage(c: PortalContext, p: PortalDeps, title: string, body: string, status: 400 | 403 | 404 | 413 | 429 | 500 | 503) {
  const m = messagesFor(c.get('lang')).common;
  return renderPage(c, p, {
    title,
    status,
    body: (
      <>
        <h1>{title}</h1>
        <p>{body}</p>
        <p>
          <a href="/">{m.backHome}</a>
        </p>
      </>
    ),
  });
}

/** Input no form of ours sends (a NUL character in a field): refused, not a server fault. */
export function badRequestPage(c: PortalContext, p: PortalDeps) {
  const m = messagesFor(c.get('lang')).common;
  return simplePage(c, p, m.badRequestTitle, m.badRequestBody, 400);
}

export function csrfFailedPage(c: PortalContext, p: PortalDeps) {
  const m = messagesFor(c.get('lang')).common;
  return simplePage(c, p, m.csrfTitle, m.csrfBody, 403);
}

export function notFoundPage(c: PortalContext, p: PortalDeps) {
  const m = messagesFor(c.get('lang')).common;
  return simplePage(c, p, m.notFoundTitle, m.notFoundBody, 404);
}

/** A server fault (500), or 503 when the database is unavailable for now (the text asks to try again shortly either way). */
export function errorPage(c: PortalContext, p: PortalDeps, status: 500 | 503 = 500) {
  const m = messagesFor(c.get('lang')).common;
  return simplePage(c, p, m.errorTitle, m.errorBody, status);
}

/** A form body over the portal's limit (portal.ts): 413, before the form is read. */
export function tooLargePage(c: PortalContext, p: PortalDeps) {
  const m = messagesFor(c.get('lang')).common;
  return simplePage(c, p, m.tooLargeTitle, m.tooLargeBody, 413);
}

/** Over a rate limit (http/rate-limits.ts): 429 with Retry-After. */
export function rateLimitedPage(c: PortalContext, p: PortalDeps, retryAfter: number) {
  const m = messagesFor(c.get('lang')).common;
  c.header('Retry-After', String(retryAfter));
  return simplePage(c, p, m.rateLimitedTitle, m.rateLimitedBody, 429);
}
