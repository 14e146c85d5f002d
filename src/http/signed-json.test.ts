import { Hono } from 'hono';
import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { AppError } from './errors.js';
import { apiRefusal, decodeJson, jsonObject, readSignedJson, zodShape, type IngressFault } from './signed-json.js';

class Refused extends Error {
  constructor(readonly fault: IngressFault) {
    super(fault.kind);
  }
}

/** One POST through readSignedJson: the value it returned, or the fault it refused with. */
async function ingest<T>(body: string, spec: Omit<Parameters<typeof readSignedJson<T>>[1], 'refuse'>) {
  const app = new Hono().post('/', async (c) => {
    try {
      return c.json({ value: await readSignedJson(c, { ...spec, refuse: (fault) => new Refused(fault) }) });
    } catch (err) {
      if (err instanceof Refused) {
        return c.json({ fault: err.fault });
      }
      throw err;
    }
  });
  return (await app.request('/', { method: 'POST', body })).json();
}

describe('decodeJson', () => {
  it('names the step that refused: malformed JSON, not an object, the first schema issue', () => {
    expect(decodeJson('{', jsonObject)).toEqual({ ok: false, fault: { kind: 'malformed_json' } });
    expect(decodeJson('[1]', jsonObject)).toEqual({ ok: false, fault: { kind: 'not_object' } });
    expect(decodeJson('null', jsonObject)).toEqual({ ok: false, fault: { kind: 'not_object' } });
    expect(decodeJson('{"a":1}', jsonObject)).toEqual({ ok: true, value: { a: 1 } });
    const shape = zodShape(z.object({ a: z.object({ b: z.string() }) }));
    expect(decodeJson('{"a":{"b":2}}', shape)).toMatchObject({ ok: false, fault: { kind: 'schema', issue: { path: 'a.b' } } });
    expect(decodeJson('{"a":{"b":"x"}}', shape)).toEqual({ ok: true, value: { a: { b: 'x' } } });
  });
});

describe('readSignedJson', () => {
  it('checks the request before reading, the raw bytes before parsing, the decoded body after', async () => {
    const seen: string[] = [];
    const spec = {
      shape: jsonObject,
      verify: {
        request: () => (seen.push('request'), true),
        raw: (raw: string) => (seen.push(`raw ${raw}`), raw.includes('"ok"')),
        body: (b: Record<string, unknown>) => (seen.push('body'), b.ok === true),
      },
    };
    expect(await ingest('{"ok":true}', spec)).toEqual({ value: { ok: true } });
    expect(seen).toEqual(['request', 'raw {"ok":true}', 'body']);
    expect(await ingest('{"no":1}', spec)).toEqual({ fault: { kind: 'signature' } });
    expect(await ingest('{"ok":false}', spec)).toEqual({ fault: { kind: 'signature' } });
    // A body the signature covers is parsed first: malformed JSON is refused as such, not as a bad signature.
    expect(await ingest('{', { shape: jsonObject, verify: { body: () => false } })).toEqual({ fault: { kind: 'malformed_json' } });
    expect(await ingest('{}', { shape: jsonObject, verify: { request: () => false } })).toEqual({ fault: { kind: 'signature' } });
  });
});

describe('apiRefusal', () => {
  it('answers 401 invalid_signature naming the carrier, else 400 invalid_request with the detail in parentheses', () => {
    const refuse = apiRefusal('signature_key');
    expect(refuse({ kind: 'signature' })).toEqual(new AppError('invalid_signature', 'signature_key'));
    expect(refuse({ kind: 'malformed_json' })).toMatchObject({ code: 'invalid_request', detail: '(malformed JSON)' });
    expect(refuse({ kind: 'not_object' })).toMatchObject({ code: 'invalid_request', detail: '(the body must be a JSON object)' });
    expect(refuse({ kind: 'schema', issue: { path: 'amount', message: 'Too big' } })).toMatchObject({ code: 'invalid_request', field: 'amount', detail: '(Too big)' });
    expect(refuse({ kind: 'schema', issue: { path: '', message: 'Expected object' } })).toMatchObject({ field: undefined, detail: '(Expected object)' });
  });
});
