import { createHmac } from 'node:crypto';
import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ConfigError, loadConfig } from '../../src/config.js';
import { DEV_NIK_HASH_KEY, DEV_NIK_KEYS, nikHash, NikSealError, openNik, parseNikKeys, resealNiks, sealedKeyId, sealNik, type NikKeys } from '../../src/modules/identity/index.js';
import { createLogger, redact } from '../../src/shared/logger.js';
import { fileStaffClaim, jhtMember, staffHeaders } from '../support/claims.js';
import { nikHashOf } from '../support/nik.js';
import { portalClient, textOf } from '../support/portal-client.js';
import { createTestApp, TEST_PRODUCTION_NIK_KEYS, type TestApp } from '../support/test-app.js';

/**
 * The NIK at rest (issue 16 item 6; docs/security.md): sealed (AES-256-GCM, a keyring) and hashed (HMAC-SHA256) in
 * every table, never in plain text — not in any text or jsonb column, the audit, the logs, nor a staff page.
 */
const keysOf = (nikKeys: string, hashKey = DEV_NIK_HASH_KEY): NikKeys => {
  const parsed = parseNikKeys(nikKeys, hashKey);
  if (!parsed.ok) throw new Error(parsed.error);
  return parsed.value;
};
const key32 = (c: string) => Buffer.alloc(32, c).toString('base64');
const NIK = '3275014403920002';

describe('seal, open, hash (identity nik-vault)', () => {
  const k1 = keysOf(`k1:${key32('a')}`);
  it('opens what it sealed; two seals of one NIK differ (a fresh IV); the value names its key', () => {
    const a = sealNik(NIK, k1);
    const b = sealNik(NIK, k1);
    expect(a).not.toBe(b);
    expect(a).toMatch(/^v1:k1:[A-Za-z0-9+/]+=*$/);
    expect(a).not.toContain(NIK);
    expect(sealedKeyId(a)).toBe('k1');
    expect(openNik(a, k1)).toBe(NIK);
    expect(openNik(b, k1)).toBe(NIK);
  });

  it.each([
    ['a flipped ciphertext byte', (s: string) => flipByte(s, 14)],
    ['a flipped tag byte', (s: string) => flipByte(s, -1)],
    ['another key id in the header (the header is authenticated)', (s: string) => s.replace('v1:k1:', 'v1:k0:')],
    ['a truncated value', (s: string) => s.slice(0, 20)],
    ['not a sealed value', () => NIK],
  ])('refuses %s (NikSealError)', (_label, alter) => {
    const ring = keysOf(`k1:${key32('a')},k0:${key32('a')}`);
    expect(() => openNik(alter(sealNik(NIK, ring)), ring)).toThrow(NikSealError);
  });

  it('refuses a value sealed under a key the ring does not have', () => {
    expect(() => openNik(sealNik(NIK, k1), keysOf(`k2:${key32('b')}`))).toThrow(/k1 is not in NIK_KEYS/);
  });

  it('after rotation (k2 first, k1 kept) opens the old values and seals new ones under k2', () => {
    const old = sealNik(NIK, k1);
    const rotated = keysOf(`k2:${key32('b')},k1:${key32('a')}`);
    expect(openNik(old, rotated)).toBe(NIK);
    expect(sealedKeyId(sealNik(NIK, rotated))).toBe('k2');
  });

  it('hashes stably: HMAC-SHA256 of "nik:<NIK>" under NIK_HASH_KEY, hex; another key, another hash', () => {
    const expected = createHmac('sha256', Buffer.from(DEV_NIK_HASH_KEY, 'hex')).update(`nik:${NIK}`).digest('hex');
    expect(nikHash(NIK, k1)).toBe(expected);
    expect(nikHash(NIK, keysOf(`k9:${key32('z')}`))).toBe(expected);
    expect(nikHash(NIK, keysOf(`k1:${key32('a')}`, 'ab'.repeat(32)))).not.toBe(expected);
    expect(nikHash('3275014403920003', k1)).not.toBe(expected);
  });

  it.each([
    ['', DEV_NIK_HASH_KEY, /at least one key/],
    [`k1:${Buffer.alloc(16).toString('base64')}`, DEV_NIK_HASH_KEY, /32 bytes/],
    [`k1:${key32('a')},k1:${key32('b')}`, DEV_NIK_HASH_KEY, /given twice/],
    [DEV_NIK_KEYS, 'abcd', /NIK_HASH_KEY/],
  ])('refuses NIK_KEYS %j / NIK_HASH_KEY %j', (nikKeys, hashKey, error) => {
    const parsed = parseNikKeys(nikKeys, hashKey);
    expect(parsed.ok).toBe(false);
    expect(parsed.ok ? '' : parsed.error).toMatch(error);
  });
});

describe('configuration (src/config.ts)', () => {
  const PROD = { NODE_ENV: 'production', PUBLIC_BASE_URL: 'https://lindung.example', PAYMENT_WEBHOOK_SECRET: 'a', OTP_SECRET: 'b', CARD_SIGNING_SEED: 'c', STAFF_API_KEY: 'd', COOKIE_SECRET: 'e' };
  it('production refuses to start without NIK_KEYS and NIK_HASH_KEY, or with the development ones', () => {
    expect(() => loadConfig(PROD)).toThrow(/production needs NIK_KEYS and NIK_HASH_KEY/);
    expect(() => loadConfig({ ...PROD, NIK_KEYS: TEST_PRODUCTION_NIK_KEYS.NIK_KEYS })).toThrow(ConfigError);
    expect(() => loadConfig({ ...PROD, NIK_KEYS: DEV_NIK_KEYS, NIK_HASH_KEY: TEST_PRODUCTION_NIK_KEYS.NIK_HASH_KEY })).toThrow(/development default secrets: set NIK_KEYS, NIK_HASH_KEY/);
    expect(() => loadConfig({ ...PROD, NIK_KEYS: TEST_PRODUCTION_NIK_KEYS.NIK_KEYS, NIK_HASH_KEY: DEV_NIK_HASH_KEY })).toThrow(/development default secrets/);
    expect(loadConfig({ ...PROD, ...TEST_PRODUCTION_NIK_KEYS }).nik.seal.map((k) => k.id)).toEqual(['t1']);
  });

  it('development uses the published development keys when unset', () => {
    expect(loadConfig({ NODE_ENV: 'development' }).nik).toEqual(keysOf(DEV_NIK_KEYS));
  });
});

describe('log redaction (src/shared/logger.ts)', () => {
  it('keeps the last 4 digits of any 16-digit run and of a field named nik', () => {
    expect(redact(`NIK ${NIK} x`)).toBe('NIK ************0002 x');
    expect(redact('12345678901234567')).toBe('12345678901234567'); // 17 digits: not a NIK
    const lines: string[] = [];
    createLogger('info', (l) => lines.push(l)).info('x', { nik: '3275-0144-0392-0002', NIK: 12 });
    expect(lines[0]).toContain('"nik":"***************0002"');
    expect(lines[0]).toContain('"NIK":12');
  });
});

describe('no full NIK at rest: every table, the audit, the logs, the staff pages', () => {
  let t: TestApp;
  const lines: string[] = [];
  const HEIR_NIK = '3275014403920002';
  const CLAIMANT_NIK = '3174011203850003';
  let member: Awaited<ReturnType<typeof jhtMember>>;
  let claimId: string;

  beforeAll(async () => {
    t = await createTestApp({ logger: createLogger('debug', (l) => lines.push(l)) });
    member = await jhtMember(t);
    const heirs = [{ fullName: 'Siti Aminah', relationship: 'spouse', birthDate: '1992-03-04', phone: '081234567891', nik: HEIR_NIK }];
    expect((await t.request('PUT', '/api/v1/me/heirs', { heirs }, member.auth)).status).toBe(200);
    const at = t.clock.now().toISOString();
    t.clock.set(new Date(t.clock.now().getTime() + 3_600_000));
    const claimant = { nik: CLAIMANT_NIK, fullName: 'Siti Aminah', relationship: 'spouse', phone: '081234567890' };
    claimId = (await fileStaffClaim(t, await staffHeaders(t, ['counter']), { kpj: member.kpj, type: 'JKM', event: { at, kind: 'death' }, claimant })).body.id as string;
    expect((await t.post('/dev/staff', { username: 'cc-nik', password: 'kata-sandi-staf-123', roles: ['contact_centre', 'claims_verifier'] })).status).toBe(201);
  });
  afterAll(async () => t.close());

  const niks = () => [member.person.nik, HEIR_NIK, CLAIMANT_NIK];

  it('stores the member, the heir, the claimant and the registry resident by hash', async () => {
    expect(await t.db.selectFrom('participant').select('kpj').where('nik_hash', '=', nikHashOf(member.person.nik)).execute()).toEqual([{ kpj: member.kpj }]);
    expect(await t.db.selectFrom('registration').select('id').where('nik_hash', '=', nikHashOf(member.person.nik)).execute()).toHaveLength(1);
    expect(await t.db.selectFrom('heir').select('id').where('nik_hash', '=', nikHashOf(HEIR_NIK)).execute()).toHaveLength(1);
    expect(await t.db.selectFrom('population_resident').select('full_name').where('nik_hash', '=', nikHashOf(member.person.nik)).execute()).toHaveLength(1);
    const claim = await sql<{ h: string }>`select claimant ->> 'nikHash' as h from claim where id = ${claimId}`.execute(t.db);
    expect(claim.rows[0]?.h).toBe(nikHashOf(CLAIMANT_NIK));
  });

  it('finds no full NIK in any text, json or array column of any table (the audit included)', async () => {
    const cols = await sql<{ table_name: string; column_name: string }>`
      select c.table_name, c.column_name from information_schema.columns c
        join information_schema.tables t on t.table_schema = c.table_schema and t.table_name = c.table_name and t.table_type = 'BASE TABLE'
       where c.table_schema = current_schema() and (c.data_type in ('text', 'character varying', 'jsonb', 'json', 'ARRAY', 'character'))`.execute(t.db);
    expect(cols.rows.map((c) => c.table_name)).toEqual(expect.arrayContaining(['participant', 'registration', 'heir', 'claim', 'staff_audit', 'outbox_message']));
    const found: string[] = [];
    for (const { table_name: table, column_name: column } of cols.rows) {
      for (const nik of niks()) {
        const hit = await sql<{ n: number }>`select count(*)::int as n from ${sql.table(table)} where ${sql.ref(column)}::text like ${`%${nik}%`}`.execute(t.db);
        if ((hit.rows[0]?.n ?? 0) > 0) found.push(`${table}.${column}`);
      }
    }
    expect(found).toEqual([]);
    // The same scan does find what is stored in plain text (the KPJ), so an empty result means something.
    const control = await sql<{ n: number }>`select count(*)::int as n from participant where kpj::text like ${`%${member.kpj}%`}`.execute(t.db);
    expect(control.rows[0]?.n).toBe(1);
  });

  it('finds no full NIK in the logs', () => {
    const log = lines.join('\n');
    expect(log).toContain('registration created');
    for (const nik of niks()) expect(log).not.toContain(nik);
  });

  it('shows staff no full NIK: the contact search by NIK, the member page, the claim detail and its API view', async () => {
    const client = portalClient(t);
    expect((await client.submit('/staff/masuk', '/staff/masuk', { username: 'cc-nik', password: 'kata-sandi-staf-123', totp: '' }, { follow: false })).status).toBe(303);
    const search = await client.submit('/staff/layanan', '/staff/layanan', { nik: member.person.nik });
    expect(search.html).toContain(member.kpj);
    const page = await client.open(`/staff/layanan/${member.kpj}`);
    expect(page.html).toContain(`************${member.person.nik.slice(-4)}`);
    const claim = await client.open(`/staff/klaim/${claimId}`);
    expect(textOf(claim.html)).toContain('NIK ************0003');
    const api = await t.get(`/api/v1/staff/claims/${claimId}`, await staffHeaders(t, ['claims_verifier']));
    expect(api.body.claimant).toMatchObject({ fullName: 'Siti Aminah', nikMasked: '************0003' });
    for (const html of [search.html, page.html, claim.html, JSON.stringify(api.body)]) {
      for (const nik of niks()) expect(html).not.toContain(nik);
      expect(html).not.toContain('nikSealed');
    }
  });

  it('re-seals every stored NIK under a new current key (npm run nik:reseal), the hash unchanged; the old key can then go', async () => {
    const dev = keysOf(DEV_NIK_KEYS);
    const rotated: NikKeys = { seal: [{ id: 'k2', key: Buffer.alloc(32, 'n') }, ...dev.seal], hash: dev.hash };
    const counts = await resealNiks(t.db, rotated, { batch: 2 });
    expect(counts).toMatchObject({ participant: 1, registration: 1, heir: 1, claim: 1 });
    const sealed = await t.db.selectFrom('participant').select(['nik_sealed', 'nik_hash']).where('kpj', '=', member.kpj).executeTakeFirstOrThrow();
    expect(sealedKeyId(sealed.nik_sealed)).toBe('k2');
    expect(openNik(sealed.nik_sealed, { seal: rotated.seal.slice(0, 1) })).toBe(member.person.nik);
    expect(sealed.nik_hash).toBe(nikHashOf(member.person.nik));
    expect(await resealNiks(t.db, rotated, { batch: 2 })).toMatchObject({ participant: 0, registration: 0, heir: 0, claim: 0 });
    // The hash key rotated too: every nik_hash recomputed from the opened NIK under the next key.
    const nextHash = { ...rotated, hash: Buffer.alloc(32, 'h') };
    await resealNiks(t.db, rotated, { batch: 2, nextHashKey: nextHash.hash });
    const again = await t.db.selectFrom('participant').select('nik_hash').where('kpj', '=', member.kpj).executeTakeFirstOrThrow();
    expect(again.nik_hash).toBe(nikHash(member.person.nik, nextHash));
  });
});

function flipByte(sealed: string, at: number): string {
  const [v, id, body] = sealed.split(':');
  const raw = Buffer.from(body ?? '', 'base64');
  const i = at < 0 ? raw.length + at : at;
  raw[i] = (raw[i] ?? 0) ^ 1;
  return `${v}:${id}:${raw.toString('base64')}`;
}
