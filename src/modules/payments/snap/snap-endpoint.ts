import { createHash, createPublicKey, type KeyObject } from 'node:crypto';
import type { Context } from 'hono';
import { bodyLimit } from 'hono/body-limit';
import type { Deps } from '../../../deps.js';
import { decodeOrRefuse, jsonObject, readVerifiedText } from '../../../http/signed-json.js';
import { AccessTokenStore } from './access-token.js';
import { ExternalIdRegistry, type StoredResponse } from './external-ids.js';
import { SnapFieldError, type JsonObject } from './fields.js';
import { snapStatus, type SnapCase, type SnapService } from './response-codes.js';
import { checkSnapTimestamp, formatSnapTimestamp, minifyJson, transactionStringToSign, verifyTransactionSignature } from './signature.js';

/** SNAP bodies are small JSON documents; anything larger is refused before it is read in full. */
export const SNAP_BODY_MAX_BYTES = 64 * 1024;

export const NOT_CONFIGURED = 'SNAP channel not configured';
/** X-PARTNER-ID String(36), X-EXTERNAL-ID String(36) "numeric" (letters and '-' tolerated), CHANNEL-ID String(5). */
const PARTNER_ID = /^[\x21-\x7e]{1,36}$/;
const EXTERNAL_ID = /^[A-Za-z0-9-]{1,36}$/;
const CHANNEL_ID = /^[\x21-\x7e]{1,5}$/;

export type SnapConfig = NonNullable<Deps['config']['channels']['snap']>;

/** What every SNAP endpoint shares: the configuration, the partner's key, the token store and the X-EXTERNAL-ID registry. */
export interface SnapEndpoint {
  deps: Deps;
  snap: SnapConfig | undefined;
  publicKey: KeyObject | null;
  tokens: AccessTokenStore;
  externalIds: ExternalIdRegistry;
}

export interface Authenticated {
  raw: string;
  partnerId: string;
  externalId: string;
  channelId: string;
}

/** A request refused before its handler runs: the SNAP answer to send. */
export class SnapRefusal extends Error {
  constructor(readonly response: StoredResponse) {
    super('SNAP request refused');
  }
}

/** The body is not a JSON object: 400xx00 Bad Request. */
class BadRequest extends Error {}

function loadPublicKey(pem: string, deps: Deps): KeyObject | null {
  try {
    return createPublicKey(pem);
  } catch (err) {
    deps.logger.error('SNAP_PARTNER_PUBLIC_KEY is not a usable public key: the SNAP endpoints refuse every call', { error: String(err) });
    return null;
  }
}

export function snapEndpoint(deps: Deps): SnapEndpoint {
  const snap = deps.config.channels.snap;
  return {
    deps,
    snap,
    publicKey: snap ? loadPublicKey(snap.partnerPublicKeyPem, deps) : null,
    tokens: new AccessTokenStore(deps.clock),
    externalIds: new ExternalIdRegistry(deps.clock),
  };
}

/** A SNAP answer: responseCode = HTTP + service + case, its message (with `detail`), then `extra`. */
export function snapAnswer(service: SnapService, kase: SnapCase, extra: Record<string, unknown> = {}, detail?: string): StoredResponse {
  const s = snapStatus(service, kase, detail);
  return { status: s.httpStatus, body: { responseCode: s.responseCode, responseMessage: s.responseMessage, ...extra } };
}

function refusal(service: SnapService, kase: SnapCase, detail?: string): SnapRefusal {
  return new SnapRefusal(snapAnswer(service, kase, {}, detail));
}

/** Sends an answer with X-TIMESTAMP (and any further headers). */
export function sendSnap(deps: Pick<Deps, 'clock'>, c: Context, stored: StoredResponse, headers: Record<string, string> = {}): Response {
  c.header('X-TIMESTAMP', formatSnapTimestamp(deps.clock.now()));
  for (const [k, v] of Object.entries(headers)) {
    c.header(k, v);
  }
  return c.json(stored.body as object, stored.status as 200);
}

/** Runs a SNAP handler; a SnapRefusal it throws is sent as its answer. */
export async function answering(deps: Pick<Deps, 'clock'>, c: Context, run: () => Promise<Response>): Promise<Response> {
  try {
    return await run();
  } catch (err) {
    if (err instanceof SnapRefusal) {
      return sendSnap(deps, c, err.response);
    }
    throw err;
  }
}

/** The body limit of a SNAP route, answered 400xx00 in SNAP's shape. */
export function snapBodyLimit(deps: Pick<Deps, 'clock'>, service: SnapService) {
  return bodyLimit({ maxSize: SNAP_BODY_MAX_BYTES, onError: (c) => sendSnap(deps, c, snapAnswer(service, 'badRequest', {}, 'body too large')) });
}

/** The path from the API version on (`/v1.0/transfer-va/inquiry`), i.e. without the mount prefix (`/snap`). */
function versionRelative(path: string): string {
  const i = path.search(/\/v\d+\.\d+\//);
  return i > 0 ? path.slice(i) : path;
}

interface SignedHeaders {
  timestamp: string;
  signature: string;
  token: string;
}

/** X-TIMESTAMP, X-SIGNATURE and a live bearer token, checked before the body is read. */
function signedHeaders(ep: SnapEndpoint, c: Context, service: SnapService): SignedHeaders {
  const timestamp = c.req.header('x-timestamp');
  const signature = c.req.header('x-signature');
  if (!timestamp) {
    throw refusal(service, 'invalidMandatoryField', 'X-TIMESTAMP');
  }
  if (!signature) {
    throw refusal(service, 'invalidMandatoryField', 'X-SIGNATURE');
  }
  const bearer = /^Bearer +(\S+)$/i.exec(c.req.header('authorization') ?? '');
  const token = bearer?.[1];
  if (!token || !ep.tokens.verify(token)) {
    throw refusal(service, 'invalidToken');
  }
  if (!checkSnapTimestamp(timestamp, ep.deps.clock.now()).ok) {
    throw refusal(service, 'invalidFieldFormat', 'X-TIMESTAMP');
  }
  return { timestamp, signature, token };
}

/**
 * The transaction signature over the raw body. EndpointUrl may be the path with or without the mount prefix; the
 * body may be minified byte by byte or re-serialised.
 */
function isSignedBody(ep: SnapEndpoint, c: Context, clientSecret: string, h: SignedHeaders, raw: string): boolean {
  const url = new URL(c.req.url);
  const paths = [...new Set([url.pathname + url.search, versionRelative(url.pathname) + url.search])];
  const minifiers: ((s: string) => string)[] = [minifyJson];
  try {
    // A partner that minifies by re-serialising (JSON.stringify(JSON.parse(body))) hashes the same content spelled
    // differently when the body has escapes or integer-like keys: accepted as the same request.
    const reserialised = JSON.stringify(JSON.parse(raw));
    if (reserialised !== minifyJson(raw)) {
      minifiers.push(() => reserialised);
    }
  } catch {
    // not JSON: only the raw minification can match; the body is refused after authentication
  }
  const candidates = paths.flatMap((endpointUrl) =>
    minifiers.map((minify) => transactionStringToSign({ method: c.req.method, endpointUrl, accessToken: h.token, body: raw, timestamp: h.timestamp }, minify)),
  );
  if (!verifyTransactionSignature(clientSecret, candidates, h.signature)) {
    ep.deps.logger.warn('snap: transaction signature refused', { path: url.pathname });
    return false;
  }
  return true;
}

/** X-PARTNER-ID, X-EXTERNAL-ID and CHANNEL-ID, checked once the signature holds. */
function partnerHeaders(c: Context, service: SnapService): Omit<Authenticated, 'raw'> {
  const headers = [
    ['X-PARTNER-ID', PARTNER_ID],
    ['X-EXTERNAL-ID', EXTERNAL_ID],
    ['CHANNEL-ID', CHANNEL_ID],
  ] as const;
  const values: string[] = [];
  for (const [name, pattern] of headers) {
    const v = c.req.header(name);
    if (!v) {
      throw refusal(service, 'invalidMandatoryField', name);
    }
    if (!pattern.test(v)) {
      throw refusal(service, 'invalidFieldFormat', name);
    }
    values.push(v);
  }
  const [partnerId, externalId, channelId] = values as [string, string, string];
  return { partnerId, externalId, channelId };
}

/** Header checks and the signed raw body shared by the transactional endpoints; a refusal is thrown as SnapRefusal. */
async function authenticate(ep: SnapEndpoint, c: Context, service: SnapService): Promise<Authenticated> {
  const { snap, publicKey } = ep;
  if (!snap || !publicKey) {
    throw refusal(service, 'unauthorized', NOT_CONFIGURED);
  }
  const h = signedHeaders(ep, c, service);
  const raw = await readVerifiedText(c, {
    verify: { raw: (body) => isSignedBody(ep, c, snap.clientSecret, h, body) },
    refuse: () => refusal(service, 'unauthorized', 'Signature'),
  });
  return { raw, ...partnerHeaders(c, service) };
}

/** The handler's answer for one body; field errors, malformed JSON and server faults become SNAP answers. */
async function handleBody(
  ep: SnapEndpoint,
  service: SnapService,
  auth: Authenticated,
  onError: (body: JsonObject | undefined) => Record<string, unknown>,
  handle: (body: JsonObject, auth: Authenticated) => Promise<StoredResponse>,
): Promise<StoredResponse> {
  let body: JsonObject | undefined;
  try {
    body = decodeOrRefuse(auth.raw, { shape: jsonObject, refuse: () => new BadRequest() });
    return await handle(body, auth);
  } catch (err) {
    if (err instanceof BadRequest) {
      return snapAnswer(service, 'badRequest', onError(undefined));
    }
    if (err instanceof SnapFieldError) {
      return snapAnswer(service, err.kase, onError(body), err.field);
    }
    ep.deps.logger.error('snap: request failed', { service, error: err instanceof Error ? (err.stack ?? err.message) : String(err) });
    return snapAnswer(service, 'internalServerError', onError(body));
  }
}

/**
 * Authenticates, then runs the handler once per X-EXTERNAL-ID and request (a retransmission gets the first answer;
 * the same id with another request is 409xx00). Field errors and malformed JSON become SNAP 400 answers; a server
 * fault is logged and answered 500xx01 (and forgotten, so a retransmission is processed again).
 */
export function transactional(
  ep: SnapEndpoint,
  service: SnapService,
  onError: (body: JsonObject | undefined) => Record<string, unknown>,
  handle: (body: JsonObject, auth: Authenticated) => Promise<StoredResponse>,
) {
  return (c: Context) =>
    answering(ep.deps, c, async () => {
      const auth = await authenticate(ep, c, service);
      const fingerprint = createHash('sha256').update(`${c.req.method} ${new URL(c.req.url).pathname} ${minifyJson(auth.raw)}`).digest('hex');
      const outcome = await ep.externalIds.run(auth.partnerId, auth.externalId, fingerprint, () => handleBody(ep, service, auth, onError, handle));
      if (outcome.kind === 'conflict') {
        return sendSnap(ep.deps, c, snapAnswer(service, 'conflict', onError(undefined), 'Cannot use same X-EXTERNAL-ID in same day'));
      }
      return sendSnap(ep.deps, c, outcome.response);
    });
}
