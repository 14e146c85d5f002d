import type { Hono } from 'hono';
import { formatKpj } from '../../modules/cards/index.js';
import { type MembershipStatus, verifyCardToken } from '../../modules/membership/index.js';
import type { PortalContext, PortalDeps, PortalEnv } from '../context.js';
import { fill } from '../i18n/catalogue.js';
import { formatInstant, formatMonth } from '../i18n/format.js';
import { messagesFor, type Messages } from '../i18n/messages.js';
import { renderPage } from '../layout.js';

/** Where the card's QR code points (src/modules/cards/verify-url.ts); the API answers it with JSON. */
export const CARD_VERIFY_API_PATH = '/api/v1/cards/verify';

/** The portal's own address of the same page. */
export const CARD_VERIFY_PAGE_PATH = '/kartu/verifikasi';

/**
 * True when an Accept header asks for HTML rather than JSON: text/html is acceptable (q > 0) and ranks above
 * application/json — by quality, or by order when both have the same quality. No header, `*\/*` or
 * `application/json` keep the API's JSON.
 */
export function prefersHtml(accept: string | null | undefined): boolean {
  if (!accept) {
    return false;
  }
  let html: { q: number; at: number } | null = null;
  let json: { q: number; at: number } | null = null;
  const parts = accept.split(',');
  for (let at = 0; at < parts.length; at++) {
    const [type, ...params] = (parts[at] ?? '').trim().toLowerCase().split(';');
    const qParam = params.map((s) => s.trim()).find((s) => s.startsWith('q='));
    const q = qParam === undefined ? 1 : Number(qParam.slice(2));
    if (!(q > 0)) {
      continue;
    }
    if (type?.trim() === 'text/html' && html === null) {
      html = { q, at };
    } else if (type?.trim() === 'application/json' && json === null) {
      json = { q, at };
    }
  }
  const h = html;
  const j = json;
  return h !== null && (j === null || h.q > j.q || (h.q === j.q && h.at < j.at));
}

/** A browser opening the card's QR link: a GET of the API verification URL that prefers HTML. */
export function isCardVerifyPageRequest(method: string, path: string, accept: string | null | undefined): boolean {
  return (method === 'GET' || method === 'HEAD') && path === CARD_VERIFY_API_PATH && prefersHtml(accept);
}

const STATUS_KEY = { active: 'statusActive', arrears: 'statusArrears', inactive: 'statusInactive' } as const;

/** A membership status in one word and one colour (the colour is never the only signal: the word is always there). */
export function StatusWord(props: { m: Messages; status: MembershipStatus }) {
  return <span class={`status status-${props.status}`}>{props.m.common[STATUS_KEY[props.status]]}</span>;
}

async function verifyPage(c: PortalContext, p: PortalDeps) {
  const lang = c.get('lang');
  const m = messagesFor(lang);
  const token = c.req.query('token') ?? '';
  const result = token === '' ? null : await verifyCardToken(p.deps, token);
  c.header('vary', 'Accept');
  return renderPage(c, p, {
    title: m.member.verifyTitle,
    body: (
      <>
        <h1>{m.member.verifyTitle}</h1>
        {result?.valid ? (
          <>
            <div class="notice" role="status">
              <h2>{m.member.verifyValid}</h2>
              <p>{m.member.verifyValidBody}</p>
            </div>
            <dl class="facts card">
              <dt>{m.member.cardName}</dt>
              <dd>{result.nameMasked}</dd>
              <dt>{m.member.kpjLabel}</dt>
              <dd>{formatKpj(result.kpj)}</dd>
              <dt>{m.member.cardStatus}</dt>
              <dd>
                <StatusWord m={m} status={result.status} />
              </dd>
              <dt>{m.member.coveredThrough}</dt>
              <dd>{fill(m.member.coveredThroughValue, { month: formatMonth(result.coveredThrough, lang) })}</dd>
            </dl>
            <p class="hint">{m.member.verifyPrivacy}</p>
          </>
        ) : (
          <div class="notice notice-bad" role="alert">
            <h2>{m.member.verifyInvalid}</h2>
            <p>{result === null ? m.member.verifyMissing : m.member.verifyInvalidBody}</p>
          </div>
        )}
        <p>{fill(m.member.verifyCheckedAt, { when: formatInstant(p.deps.clock.now(), lang) })}</p>
      </>
    ),
  });
}

/**
 * The public card verification page: at /kartu/verifikasi?token=…, and at the API address the QR code holds when a
 * browser opens it (Accept prefers text/html). API clients keep getting the contract's JSON from the API route.
 */
export function cardVerifyRoutes(app: Hono<PortalEnv>, p: PortalDeps): void {
  app.get(CARD_VERIFY_PAGE_PATH, (c) => verifyPage(c, p));
  app.use(CARD_VERIFY_API_PATH, async (c, next) => {
    if (!isCardVerifyPageRequest(c.req.method, c.req.path, c.req.header('accept'))) {
      await next();
      // The same address answers JSON or HTML by the Accept header: shared caches must keep them apart.
      c.res.headers.append('vary', 'Accept');
      return;
    }
    return verifyPage(c, p);
  });
}
