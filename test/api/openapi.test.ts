import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadConfig } from '../../src/config.js';
import { hmacSha256Hex } from '../../src/shared/crypto.js';
import { activeMember, addResident, makePerson, registerVerified } from '../support/factories.js';
import { createTestApp, type TestApp, type TestResponse } from '../support/test-app.js';

/**
 * The API surface as a whole: the served OpenAPI document, /healthz, unknown paths, development endpoints in
 * production, the error shape, and "bad input never produces a 5xx" (api-contract.md "Conventions").
 */
let t: TestApp;
beforeAll(async () => {
  t = await createTestApp();
});
afterAll(async () => t.close());

/** Every path and method the contract names. */
const CONTRACT: [string, 'get' | 'post'][] = [
  ['/api/v1/quotes', 'post'],
  ['/api/v1/reference/occupations', 'get'],
  ['/api/v1/reference/branches', 'get'],
  ['/api/v1/registrations', 'post'],
  ['/api/v1/registrations/{id}/verify-email', 'post'],
  ['/api/v1/registrations/{id}/verify-phone', 'post'],
  ['/api/v1/registrations/{id}/otp', 'post'],
  ['/api/v1/registrations/{id}/submit', 'post'],
  ['/api/v1/bills/{paymentCode}', 'get'],
  ['/api/v1/payments/notifications', 'post'],
  ['/api/v1/auth/otp', 'post'],
  ['/api/v1/auth/verify', 'post'],
  ['/api/v1/me', 'get'],
  ['/api/v1/me/bills', 'post'],
  ['/api/v1/me/card', 'get'],
  ['/api/v1/me/card.pdf', 'get'],
  ['/api/v1/cards/verify', 'get'],
  ['/api/v1/participants/{kpj}', 'get'],
  // issue 17, partners
  ['/api/v1/oauth/token', 'post'],
  ['/api/v1/partner/enrolment-batches', 'post'],
  ['/api/v1/partner/enrolment-batches/{id}', 'get'],
];

function expectErrorShape(res: TestResponse, context: string) {
  expect(res.headers.get('content-type') ?? '', context).toContain('application/json');
  expect(typeof res.body?.error?.code, context).toBe('string');
  expect(res.body.error.code, context).toMatch(/^[a-z][a-z0-9_]*$/);
  expect(typeof res.body.error.message, context).toBe('string');
}

describe('GET /api/v1/openapi.json', () => {
  let doc: any;
  beforeAll(async () => {
    const res = await t.get('/api/v1/openapi.json');
    expect(res.status).toBe(200);
    doc = res.body;
  });

  /** Document paths resolved against the first server URL, e.g. '/quotes' under '/api/v1'. */
  function resolvedPaths(): Map<string, Record<string, unknown>> {
    const base = String(doc.servers?.[0]?.url ?? '').replace(/\/$/, '');
    return new Map(Object.entries(doc.paths as Record<string, Record<string, unknown>>).map(([p, item]) => [p.startsWith('/api/v1') ? p : `${base}${p}`, item]));
  }

  it('is an OpenAPI 3.1 document with a title and version', () => {
    expect(doc.openapi).toMatch(/^3\.1\.\d+$/);
    expect(typeof doc.info.title).toBe('string');
    expect(typeof doc.info.version).toBe('string');
  });

  it('describes every contract path with the right method', () => {
    const paths = resolvedPaths();
    const missing = CONTRACT.filter(([path, method]) => !paths.get(path)?.[method]).map(([p, m]) => `${m.toUpperCase()} ${p}`);
    expect(missing).toEqual([]);
  });

  it('documents the payment signature header, the PDF media type and the bearer scheme', () => {
    const paths = resolvedPaths();
    const notify = paths.get('/api/v1/payments/notifications')?.['post'] as { parameters?: { in: string; name: string }[] };
    expect(notify.parameters?.some((p) => p.in === 'header' && p.name.toLowerCase() === 'x-signature')).toBe(true);
    const pdf = paths.get('/api/v1/me/card.pdf')?.['get'] as { responses: Record<string, { content?: Record<string, unknown> }> };
    expect(Object.keys(pdf.responses['200']?.content ?? {})).toContain('application/pdf');
    expect(doc.components?.securitySchemes?.bearerAuth).toMatchObject({ type: 'http', scheme: 'bearer' });
  });

  it('documents every 4xx JSON response with the Error schema', () => {
    const wrong: string[] = [];
    for (const [path, item] of resolvedPaths()) {
      for (const [method, op] of Object.entries(item as Record<string, { responses?: Record<string, { content?: Record<string, { schema?: { $ref?: string } }> }> }>)) {
        for (const [status, response] of Object.entries(op.responses ?? {})) {
          const schema = response.content?.['application/json']?.schema;
          if (Number(status) >= 400 && schema && schema.$ref !== '#/components/schemas/Error') {
            wrong.push(`${method.toUpperCase()} ${path} ${status}: ${JSON.stringify(schema)}`);
          }
        }
      }
    }
    expect(wrong).toEqual([]);
  });

  it('every path in the document is served (no documented route answers 404 not_found)', async () => {
    for (const [path, item] of resolvedPaths()) {
      for (const method of Object.keys(item).filter((k) => ['get', 'post'].includes(k))) {
        const concrete = path.replace(/\{[^}]+\}/g, 'x');
        const res = await t.request(method.toUpperCase(), concrete, method === 'post' ? {} : undefined);
        expect(res.status, `${method} ${path}`).toBeLessThan(500);
        if (res.status === 404) {
          expect(res.body.error.code, `${method} ${path}`).not.toBe('not_found');
        }
      }
    }
  });
});

describe('health, unknown paths and the error shape', () => {
  it('GET /healthz → 200 {status:"ok"}', async () => {
    const res = await t.get('/healthz');
    expect(res.status).toBe(200);
    expect(res.body).toEqual({ status: 'ok' });
  });

  it.each([
    ['GET', '/nope'],
    ['GET', '/api/v1/nope'],
    ['GET', '/api/v2/quotes'],
    ['POST', '/healthz'],
    ['DELETE', '/api/v1/quotes'],
    ['PUT', '/api/v1/reference/branches'],
  ])('%s %s → 404 JSON error', async (method, path) => {
    const res = await t.request(method, path);
    expect(res.status).toBe(404);
    expectErrorShape(res, `${method} ${path}`);
    expect(res.body.error.code).toBe('not_found');
  });

  it('validation errors name the field', async () => {
    const res = await t.post('/api/v1/quotes', { declaredIncome: 'lots', programs: ['JKK', 'JKM'], months: 1 });
    expect(res.status).toBe(400);
    expectErrorShape(res, 'quotes');
    expect(res.body.error).toMatchObject({ code: 'invalid_request', field: 'declaredIncome' });
  });
});

describe('production mode', () => {
  it('refuses to start with default secrets', () => {
    expect(() => loadConfig({ NODE_ENV: 'production' })).toThrow(/PAYMENT_WEBHOOK_SECRET/);
    expect(() => loadConfig({ NODE_ENV: 'production', PAYMENT_WEBHOOK_SECRET: 'a', OTP_SECRET: 'b', CARD_SIGNING_SEED: 'c' })).toThrow(/STAFF_API_KEY/);
  });

  it('turns every /dev/* endpoint off (404) while the API keeps working', async () => {
    const prod = await createTestApp({ env: { NODE_ENV: 'production', PAYMENT_WEBHOOK_SECRET: 'prod-webhook', OTP_SECRET: 'prod-otp', CARD_SIGNING_SEED: 'prod-seed', STAFF_API_KEY: 'prod-staff', COOKIE_SECRET: 'prod-cookie' } });
    try {
      for (const [method, path, body] of [
        ['GET', '/dev/clock', undefined],
        ['POST', '/dev/clock', { now: '2027-01-01T00:00:00+07:00' }],
        ['POST', '/dev/population', { nik: '3275011705900001', fullName: 'A', birthDate: '1990-05-17', gender: 'M' }],
        ['GET', '/dev/outbox?to=a@b.id', undefined],
      ] as const) {
        const res = await prod.request(method, path, body);
        expect(res.status, `${method} ${path}`).toBe(404);
      }
      expect((await prod.get('/healthz')).body).toEqual({ status: 'ok' });
      expect((await prod.get('/api/v1/reference/branches')).status).toBe(200);
      // The default staff key is not the production one.
      expect((await prod.get('/api/v1/participants/12345678901', { authorization: 'Bearer dev-staff-key' })).status).toBe(401);
    } finally {
      await prod.close();
    }
  });
});

// ---------------------------------------------------------------------------------------------------------------
// Bad input never produces a 5xx
// ---------------------------------------------------------------------------------------------------------------

/** mulberry32: a small seeded PRNG, so a failing case can be replayed with the same seed. */
function prng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let x = a;
    x = Math.imul(x ^ (x >>> 15), x | 1);
    x ^= x + Math.imul(x ^ (x >>> 7), x | 61);
    return ((x ^ (x >>> 14)) >>> 0) / 4294967296;
  };
}

class Fuzz {
  constructor(readonly next: () => number) {}

  int(n: number): number {
    return Math.floor(this.next() * n);
  }

  pick<T>(xs: readonly T[]): T {
    return xs[this.int(xs.length)] as T;
  }

  string(): string {
    return this.pick<() => string>([
      () => '',
      () => ' ',
      () => 'a',
      () => '3',
      () => '1e6',
      () => 'JKK',
      () => 'null',
      () => '\u0000',
      () => `abc\u0000def`,
      () => 'ñandú – “quoted” 日本語 🛵',
      () => '\ud800',
      () => "' OR 1=1 --",
      () => '<script>alert(1)</script>',
      () => '../../etc/passwd',
      () => '2026-02-30',
      () => '2026-13',
      () => '9999-12',
      () => '0000-01',
      () => '2015-06',
      () => `${String(this.int(10_000)).padStart(4, '0')}-${String(1 + this.int(12)).padStart(2, '0')}`,
      () => `${String(this.int(10_000)).padStart(4, '0')}-${String(1 + this.int(12)).padStart(2, '0')}`,
      () => '2026-11-22T10:00:00+07:00',
      () => '0000-01-01T00:00:00Z',
      () => '08' + String(this.int(1e10)).padStart(10, '0'),
      () => '+62812' + String(this.int(1e8)),
      () => String(this.int(1e16)).padStart(16, '3'),
      () => 'x'.repeat(1 + this.int(5000)),
      () => Array.from({ length: 1 + this.int(40) }, () => String.fromCharCode(this.int(0x3000))).join(''),
    ])();
  }

  number(): number {
    return this.pick<() => number>([
      () => 0,
      () => -1,
      () => 1,
      () => 2,
      () => 3,
      () => 12,
      () => 1.5,
      () => 999_999,
      () => 1_000_000,
      () => 20_700_000,
      () => 2 ** 31,
      () => Number.MAX_SAFE_INTEGER,
      () => Number.MAX_SAFE_INTEGER + 2,
      () => 1e308,
      () => -1e308,
      () => 5e-324,
      () => this.int(10_000_000),
      () => -this.int(10_000_000),
      () => this.next() * 1e7,
    ])();
  }

  value(depth = 0): unknown {
    const kind = this.int(depth > 2 ? 5 : 7);
    switch (kind) {
      case 0:
        return null;
      case 1:
        return this.next() < 0.5;
      case 2:
      case 3:
        return this.number();
      case 4:
        return this.string();
      case 5:
        return Array.from({ length: this.int(5) }, () => this.value(depth + 1));
      default: {
        const o: Record<string, unknown> = {};
        for (let i = this.int(5); i > 0; i--) {
          o[this.pick(['a', 'months', 'programs', '__proto__', 'constructor', 'toString', this.string().slice(0, 20)])] = this.value(depth + 1);
        }
        return o;
      }
    }
  }

  /** A value close to a valid one, so that the rest of the request stays valid and the bad part goes deep. */
  nearMiss(valid: unknown): unknown {
    const pad = (n: number, w: number) => String(n).padStart(w, '0');
    if (typeof valid === 'number') {
      return this.next() < 0.5 ? this.number() : valid + this.pick([-1, 1, 0.5, -valid, valid * 1000]);
    }
    if (Array.isArray(valid)) {
      return this.pick<() => unknown>([
        () => [],
        () => [...valid, this.pick(valid)],
        () => [...valid, this.string()],
        () => valid.slice(1),
        () => valid.map(() => this.value(2)),
      ])();
    }
    if (typeof valid !== 'string') {
      return this.value();
    }
    const nasty = this.pick(['\u0000', '\u0007', '\ud800', '🛵', "'", '\\', '%00', '\n']);
    return this.pick<() => string>([
      // Shape-aware: another month, date or instant anywhere in 0000-9999.
      () => (/^\d{4}-\d{2}$/.test(valid) ? `${pad(this.int(10_000), 4)}-${pad(1 + this.int(12), 2)}` : this.string()),
      () => (/^\d{4}-\d{2}-\d{2}/.test(valid) ? `${pad(this.int(10_000), 4)}-${pad(1 + this.int(12), 2)}-${pad(1 + this.int(31), 2)}${valid.slice(10)}` : this.string()),
      // The valid value with one nasty character inserted.
      () => {
        const at = this.int(valid.length + 1);
        return valid.slice(0, at) + nasty + valid.slice(at);
      },
      () => valid + nasty,
      () => valid.toLowerCase(),
      () => ` ${valid} `,
      () => this.string(),
    ])();
  }

  /** A valid body with one (sometimes two or three) fields changed, removed, or added. */
  mutate(valid: Record<string, unknown>): Record<string, unknown> {
    const out: Record<string, unknown> = { ...valid };
    const keys = Object.keys(valid);
    const r = this.next();
    for (let i = r < 0.7 ? 1 : r < 0.9 ? 2 : 3; i > 0; i--) {
      const key = this.pick(keys);
      const op = this.next();
      if (op < 0.1) {
        delete out[key];
      } else if (op < 0.2) {
        out[this.string().slice(0, 30) || 'extra'] = this.value();
      } else if (op < 0.35) {
        out[key] = this.value();
      } else {
        out[key] = this.nearMiss(valid[key]);
      }
    }
    return out;
  }

  /** What goes on the wire: mostly JSON, sometimes broken JSON or not JSON at all. */
  raw(body: unknown): string {
    const json = JSON.stringify(body) ?? 'null';
    const r = this.int(20);
    if (r === 0) {
      return json.slice(0, this.int(json.length));
    }
    if (r === 1) {
      return this.string();
    }
    if (r === 2) {
      return JSON.stringify(this.value());
    }
    return json;
  }
}

/** Percent-encodes a string; a lone surrogate becomes a malformed escape, which the server must also survive. */
function pathSegment(s: string): string {
  try {
    return encodeURIComponent(s);
  } catch {
    return `${encodeURIComponent(s.replace(/[\ud800-\udfff]/g, ''))}%E0%A4%A`;
  }
}

describe('bad input never produces a 5xx', () => {
  const SEED = Number(process.env['FUZZ_SEED'] ?? 20261122);
  const ITERATIONS = 600;

  it(`${ITERATIONS} random and mutated requests to the public API (seed ${SEED}) all answer < 500 with the error shape`, async () => {
    // Real objects for the mutations to hit: a resident the identity check accepts, a registration, an open bill.
    const resident = makePerson();
    await addResident(t, resident);
    const pending = makePerson();
    const registrationId = await registerVerified(t, pending);
    const submitted = await t.post(`/api/v1/registrations/${registrationId}/submit`, { programs: ['JKK', 'JKM'], declaredIncome: 1_000_000, months: 3 });
    const openBill = submitted.body.bill as { paymentCode: string; amount: number };
    const member = await activeMember(t);

    const f = new Fuzz(prng(SEED));
    const validQuote = { declaredIncome: 2_000_000, programs: ['JKK', 'JKM', 'JHT'], months: 3, startMonth: '2026-11', occupationCode: 'OJOL', funding: 'self' };
    const validRegistration = { ...resident };
    const validVerify = { phone: member.person.phone, code: '123456' };
    const validSubmit = { programs: ['JKK', 'JKM'], declaredIncome: 1_000_000, months: 1 };
    const validNotification = () => ({
      externalId: `fuzz-${f.int(1e9)}`,
      paymentCode: f.next() < 0.5 ? openBill.paymentCode : f.string().slice(0, 64),
      amount: f.next() < 0.5 ? openBill.amount : f.number(),
      channel: f.pick(['va', 'qris', 'ewallet', 'retail', 'counter', 'autodebit']),
      paidAt: t.clock.now().toISOString(),
    });

    const targets: (() => Promise<[string, string, TestResponse]>)[] = [
      async () => {
        const body = f.raw(f.next() < 0.8 ? f.mutate(validQuote) : f.value());
        return ['POST /quotes', body, await t.post('/api/v1/quotes', body)];
      },
      async () => {
        const body = f.raw(f.next() < 0.8 ? f.mutate(validRegistration) : f.value());
        return ['POST /registrations', body, await t.post('/api/v1/registrations', body)];
      },
      async () => {
        const body = f.raw(f.next() < 0.8 ? f.mutate(validVerify) : f.value());
        return ['POST /auth/verify', body, await t.post('/api/v1/auth/verify', body)];
      },
      async () => {
        const body = f.raw(f.next() < 0.8 ? f.mutate(validNotification()) : f.value());
        return ['POST /payments/notifications (signed)', body, await t.notify(body)];
      },
      async () => {
        const body = f.raw(f.mutate(validSubmit));
        return ['POST /registrations/{id}/submit', body, await t.post(`/api/v1/registrations/${registrationId}/submit`, body)];
      },
      async () => {
        const body = f.raw(f.mutate({ months: 1 }));
        return ['POST /me/bills', body, await t.post('/api/v1/me/bills', body, member.auth)];
      },
      async () => {
        const segment = pathSegment(f.string().slice(0, 100));
        const path = f.pick([
          `/api/v1/bills/${segment}`,
          `/api/v1/cards/verify?token=${segment}`,
          `/api/v1/participants/${segment}`,
          `/api/v1/registrations/${segment}/otp`,
          `/api/v1/registrations/${segment}/verify-email`,
        ]);
        const method = path.endsWith('/otp') || path.endsWith('/verify-email') ? 'POST' : 'GET';
        const headers: Record<string, string> = path.includes('/participants/') ? { authorization: 'Bearer dev-staff-key' } : {};
        return [`${method} ${path.slice(0, 60)}`, '', await t.request(method, path, method === 'POST' ? { token: 'x' } : undefined, headers)];
      },
    ];

    const failures: string[] = [];
    for (let i = 0; i < ITERATIONS; i++) {
      const [what, body, res] = await f.pick(targets)();
      const context = `#${i} ${what} ${body.slice(0, 200)} → ${res.status} ${JSON.stringify(res.body).slice(0, 200)}`;
      if (res.status >= 500) {
        failures.push(context);
      } else if (res.status >= 400) {
        const ok = typeof res.body?.error?.code === 'string' && typeof res.body?.error?.message === 'string';
        if (!ok) {
          failures.push(`(error shape) ${context}`);
        }
      }
    }
    expect(failures, `seed ${SEED}`).toEqual([]);

    // The fuzzing recorded nothing inconsistent: every payment is posted in full and the ledger balances. Summed as
    // numeric in SQL: fuzzed amounts go up to Number.MAX_SAFE_INTEGER, so JavaScript sums would lose precision.
    const check = await sql<{ unposted: string; total: string }>`
      select
        (select count(*) from payment p
          where p.amount <> (select coalesce(sum(l.amount), 0) from ledger_transfer l where l.ref = p.id))::text as unposted,
        (select coalesce(sum(delta), 0) from (
          select amount::numeric as delta from ledger_transfer
          union all
          select -amount::numeric from ledger_transfer) d)::text as total`.execute(t.db);
    expect(check.rows[0]).toEqual({ unposted: '0', total: '0' });
  });

  it('an unsigned or wrongly signed random body is always 401, never parsed', async () => {
    const f = new Fuzz(prng(SEED + 1));
    for (let i = 0; i < 50; i++) {
      const body = f.raw(f.value());
      const signature = f.next() < 0.5 ? hmacSha256Hex('wrong', body) : Buffer.from(f.string().slice(0, 40)).toString('hex');
      const res = await t.notify(body, signature);
      expect(res.status, body.slice(0, 100)).toBe(401);
      expect(res.body.error.code).toBe('invalid_signature');
    }
  });
});
