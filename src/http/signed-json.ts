import type { Context } from 'hono';
import type { ZodType } from 'zod';
import { AppError } from './errors.js';

/**
 * The one ingress for JSON bodies, signed or not: raw body → verify → JSON.parse → shape → a typed value, or the
 * protocol's refusal. Every step that can refuse names an IngressFault, and the caller's `refuse` turns it into the
 * error its protocol answers (an AppError for the API, a SNAP-shaped answer for BI-SNAP), so each protocol keeps its
 * own exact answers while the order of the checks is written once.
 */

export type JsonObject = Record<string, unknown>;

/** Why an incoming body was refused, by the step that refused it. */
export type IngressFault =
  | { kind: 'signature' }
  | { kind: 'malformed_json' }
  | { kind: 'not_object' }
  | { kind: 'schema'; issue: { path: string; message: string } | undefined };

export type Decoded<T> = { ok: true; value: T } | { ok: false; fault: IngressFault };

/** What a parsed JSON value must be: a check that returns the typed value or the fault. */
export type BodyShape<T> = (json: unknown) => Decoded<T>;

export function isJsonObject(value: unknown): value is JsonObject {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** Any JSON object (not null, not an array); its fields are read by the protocol's own readers. */
export const jsonObject: BodyShape<JsonObject> = (json) => (isJsonObject(json) ? { ok: true, value: json } : { ok: false, fault: { kind: 'not_object' } });

/** The output of a Zod schema; a refusal names the first issue (its path joined with '.', and its message). */
export function zodShape<T>(schema: ZodType<T>): BodyShape<T> {
  return (json) => {
    const parsed = schema.safeParse(json);
    if (parsed.success) {
      return { ok: true, value: parsed.data };
    }
    const issue = parsed.error.issues[0];
    return { ok: false, fault: { kind: 'schema', issue: issue ? { path: issue.path.map(String).join('.'), message: issue.message } : undefined } };
  };
}

/** JSON.parse, then the shape: pure and synchronous (no request, no refusal thrown). */
export function decodeJson<T>(raw: string, shape: BodyShape<T>): Decoded<T> {
  let json: unknown;
  try {
    json = JSON.parse(raw);
  } catch {
    return { ok: false, fault: { kind: 'malformed_json' } };
  }
  return shape(json);
}

/**
 * Where the signature is checked, by what it covers: `request` before the body is read (a header token), `raw` over
 * the raw bytes before anything parses them (an HMAC of the body), `body` over the decoded body (a signature that
 * covers fields inside it). A check that fails is refused with the `signature` fault.
 */
export interface Verification<T> {
  request?: () => boolean;
  raw?: (raw: string) => boolean;
  body?: (body: T) => boolean;
}

/** The protocol's answer to a fault, thrown by the helpers below. */
export type Refuse = (fault: IngressFault) => Error;

export interface IngressSpec<T> {
  shape: BodyShape<T>;
  verify?: Verification<T>;
  refuse: Refuse;
}

/** Steps 1–2: the raw body, read only once the request check passes, and verified over its raw bytes. */
export async function readVerifiedText(c: Context, spec: { verify?: Pick<Verification<unknown>, 'request' | 'raw'>; refuse: Refuse }): Promise<string> {
  if (spec.verify?.request && !spec.verify.request()) {
    throw spec.refuse({ kind: 'signature' });
  }
  const raw = await c.req.text();
  if (spec.verify?.raw && !spec.verify.raw(raw)) {
    throw spec.refuse({ kind: 'signature' });
  }
  return raw;
}

/** Steps 3–4 (and a signature over the decoded body): the typed value, or the protocol's refusal thrown. */
export function decodeOrRefuse<T>(raw: string, spec: IngressSpec<T>): T {
  const decoded = decodeJson(raw, spec.shape);
  if (!decoded.ok) {
    throw spec.refuse(decoded.fault);
  }
  if (spec.verify?.body && !spec.verify.body(decoded.value)) {
    throw spec.refuse({ kind: 'signature' });
  }
  return decoded.value;
}

/** The whole ingress: raw body → verify → JSON.parse → shape → the typed value, or the protocol's refusal thrown. */
export async function readSignedJson<T>(c: Context, spec: IngressSpec<T>): Promise<T> {
  return decodeOrRefuse(await readVerifiedText(c, spec), spec);
}

/**
 * The API's refusals (`{ error: { code, … } }`, answered by the error handler): 401 `invalid_signature` naming what
 * carried the signature, else 400 `invalid_request` with the step's detail in parentheses.
 */
export function apiRefusal(signatureField?: string): Refuse {
  return (fault) => {
    switch (fault.kind) {
      case 'signature':
        return new AppError('invalid_signature', signatureField);
      case 'malformed_json':
        return new AppError('invalid_request', undefined, '(malformed JSON)');
      case 'not_object':
        return new AppError('invalid_request', undefined, '(the body must be a JSON object)');
      case 'schema':
        return new AppError('invalid_request', fault.issue?.path || undefined, fault.issue ? `(${fault.issue.message})` : undefined);
    }
  };
}
