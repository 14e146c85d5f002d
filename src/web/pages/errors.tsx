import type { PortalContext, PortalDeps } from '../context.js';
import { fill } from '../i18n/catalogue.js';
import { messagesFor } from '../i18n/messages.js';
import { renderPage } from '../layout.js';
import { WayBack } from './info.js';

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

/** An address no page has (a mistyped link too, outside the API): in Indonesian first, with a way back and the help search. */
export function notFoundPage(c: PortalContext, p: PortalDeps) {
  const all = messagesFor(c.get('lang'));
  return renderPage(c, p, {
    title: all.common.notFoundTitle,
    status: 404,
    body: (
      <>
        <h1>{all.common.notFoundTitle}</h1>
        <p>{all.common.notFoundBody}</p>
        <p class="hint">{fill(all.info.notFoundAsked, { path: c.req.path.slice(0, 120) })}</p>
        <WayBack t={all.info} />
      </>
    ),
  });
}

/** A server fault (500), or 503 when the database is unavailable for now (the text asks to try again shortly either way). */
export function errorPage(c: PortalContext, p: PortalDeps, status: 500 | 503 = 500) {
  const all = messagesFor(c.get('lang'));
  // Never a stack or an error text: the fault is logged (portal.ts), the person gets what to do next.
  return renderPage(c, p, {
    title: all.common.errorTitle,
    status,
    body: (
      <>
        <h1>{all.common.errorTitle}</h1>
        <p>{all.common.errorBody}</p>
        <p>{all.info.errorNoData}</p>
        <WayBack t={all.info} />
      </>
    ),
  });
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
