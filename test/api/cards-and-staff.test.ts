import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createCardSigner } from '../../src/modules/cards/card-token.js';
import { activeMember } from '../support/factories.js';
import { createTestApp, type TestApp } from '../support/test-app.js';

/**
 * The digital card (GET /me/card, /me/card.pdf), its public verification (GET /cards/verify) and the staff view
 * (GET /participants/{kpj}) — api-contract.md "Participant self-service".
 */
let t: TestApp;
type Member = Awaited<ReturnType<typeof activeMember>>;
let member: Member;
let cardToken: string;

beforeAll(async () => {
  t = await createTestApp();
  member = await activeMember(t, { programs: ['JKK', 'JKM', 'JHT'], declaredIncome: 3_000_000, months: 1, person: { fullName: 'Rina Kartika Sari', gender: 'F' } });
  const card = await t.get('/api/v1/me/card', member.auth);
  cardToken = new URL(card.body.verifyUrl).searchParams.get('token') ?? '';
});
afterAll(async () => t.close());

async function verify(token: string | null) {
  const res = await t.get(token === null ? '/api/v1/cards/verify' : `/api/v1/cards/verify?token=${encodeURIComponent(token)}`);
  expect(res.status, JSON.stringify(res.body)).toBe(200);
  return res.body;
}

/** The token with the character at `index` replaced by another base64url character. */
function withCharChanged(token: string, index: number): string {
  const c = token[index];
  const replacement = c === 'A' ? 'B' : 'A';
  return token.slice(0, index) + replacement + token.slice(index + 1);
}

describe('GET /api/v1/me/card and /me/card.pdf', () => {
  it('returns the card with a verification URL on this server', async () => {
    const res = await t.get('/api/v1/me/card', member.auth);
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({ kpj: member.kpj, fullName: 'Rina Kartika Sari', programs: ['JKK', 'JKM', 'JHT'], coveredThrough: '2026-11' });
    const url = new URL(res.body.verifyUrl);
    expect(`${url.origin}${url.pathname}`).toBe('http://lindung.test/api/v1/cards/verify');
    expect(cardToken.length).toBeGreaterThan(20);
  });

  it('returns a PDF', async () => {
    const res = await t.get('/api/v1/me/card.pdf', member.auth);
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toBe('application/pdf');
    const pdf = res.body as Buffer;
    expect(pdf.subarray(0, 5).toString('latin1')).toBe('%PDF-');
    expect(pdf.subarray(-8).toString('latin1')).toContain('%%EOF');
  });

  it('401 unauthorized without a participant token', async () => {
    for (const path of ['/api/v1/me/card', '/api/v1/me/card.pdf']) {
      for (const headers of [{}, { authorization: 'Bearer nope' }, { authorization: `Bearer ${t.config.staffApiKey}` }] as Record<string, string>[]) {
        const res = await t.get(path, headers);
        expect(res.status, path).toBe(401);
        expect(res.body.error.code).toBe('unauthorized');
      }
    }
  });
});

describe('GET /api/v1/cards/verify', () => {
  it('the real token is valid and shows the live status with the name masked', async () => {
    expect(await verify(cardToken)).toEqual({ valid: true, kpj: member.kpj, nameMasked: 'R*** K****** S***', status: 'active', coveredThrough: '2026-11' });
    // The QR URL as printed works as a whole, too.
    const card = await t.get('/api/v1/me/card', member.auth);
    const url = new URL(card.body.verifyUrl);
    expect((await t.get(url.pathname + url.search)).body).toMatchObject({ valid: true, kpj: member.kpj });
  });

  it('any single changed character in the payload or the signature makes it {valid:false}', async () => {
    const dot = cardToken.indexOf('.');
    expect(dot).toBeGreaterThan(0);
    const positions = [0, Math.floor(dot / 2), dot - 1, dot + 1, Math.floor((dot + cardToken.length) / 2), cardToken.length - 1];
    for (const i of positions) {
      expect(await verify(withCharChanged(cardToken, i)), `position ${i}`).toEqual({ valid: false });
    }
  });

  it('a token for a different KPJ with the original signature is {valid:false}', async () => {
    const [payload, signature] = cardToken.split('.') as [string, string];
    const claims = JSON.parse(Buffer.from(payload, 'base64url').toString('utf8'));
    const other = { ...claims, kpj: claims.kpj.replace(/.$/, (d: string) => String((Number(d) + 1) % 10)) };
    const forgedPayload = Buffer.from(JSON.stringify(other), 'utf8').toString('base64url');
    expect(await verify(`${forgedPayload}.${signature}`)).toEqual({ valid: false });
  });

  it('a well-formed token signed with another seed is {valid:false}', async () => {
    const [payload] = cardToken.split('.') as [string, string];
    const claims = JSON.parse(Buffer.from(payload, 'base64url').toString('utf8'));
    const foreign = createCardSigner('not-the-server-seed').sign(claims);
    expect(foreign.split('.')[0]).toBe(payload);
    expect(await verify(foreign)).toEqual({ valid: false });
    // Sanity: the server's own seed produces a token it accepts, so the refusal above is about the key.
    expect(await verify(createCardSigner(t.config.cardSigningSeed).sign(claims))).toMatchObject({ valid: true, kpj: member.kpj });
  });

  it('a genuine signature over a KPJ that is not a participant is {valid:false}', async () => {
    const token = createCardSigner(t.config.cardSigningSeed).sign({ v: 1, kpj: '99999999999', issuedAt: '2026-11-22T03:00:00.000Z' });
    expect(await verify(token)).toEqual({ valid: false });
  });

  it.each([
    ['no token', null],
    ['empty', ''],
    ['garbage', 'garbage'],
    ['dots only', '...'],
    ['two empty parts', '.'],
    ['three parts', `${'a'.repeat(10)}.${'b'.repeat(10)}.${'c'.repeat(10)}`],
    ['payload only', cardTokenPayload],
    ['JSON', '{"v":1,"kpj":"12345678901"}'],
    ['unicode', 'kartu✓.palsu✓'],
    ['long', 'x'.repeat(1500)],
    ['very long', 'x'.repeat(5000)],
    ['a real token with a long tail', () => `${cardToken}${'A'.repeat(3000)}`],
  ] as [string, string | null | (() => string)][])('garbage (%s) is {valid:false}', async (_name, token) => {
    expect(await verify(typeof token === 'function' ? token() : token)).toEqual({ valid: false });
  });
});

function cardTokenPayload(): string {
  return cardToken.split('.')[0] ?? '';
}

describe('GET /api/v1/participants/{kpj} (staff)', () => {
  it('200 with the staff key (default dev-staff-key), NIK masked and never in full', async () => {
    expect(t.config.staffApiKey).toBe('dev-staff-key');
    const res = await t.get(`/api/v1/participants/${member.kpj}`, { authorization: 'Bearer dev-staff-key' });
    expect(res.status, JSON.stringify(res.body)).toBe(200);
    expect(res.body).toMatchObject({ kpj: member.kpj, fullName: 'Rina Kartika Sari', status: 'active', programs: ['JKK', 'JKM', 'JHT'], coveredThrough: '2026-11' });
    const nik = member.person.nik;
    expect(res.body.nikMasked).toBe(`${nik.slice(0, 4)}********${nik.slice(-4)}`);
    expect(JSON.stringify(res.body)).not.toContain(nik);
    expect(JSON.stringify(res.body)).not.toContain(nik.slice(4, 12));
  });

  it('403 forbidden for a participant token, even for their own KPJ', async () => {
    const other = await activeMember(t);
    for (const kpj of [member.kpj, other.kpj]) {
      const res = await t.get(`/api/v1/participants/${kpj}`, member.auth);
      expect(res.status).toBe(403);
      expect(res.body.error.code).toBe('forbidden');
    }
  });

  it('401 unauthorized without a token or with an unknown one', async () => {
    for (const headers of [{}, { authorization: 'Bearer wrong-key' }, { authorization: 'dev-staff-key' }, { authorization: 'Bearer ' }] as Record<string, string>[]) {
      const res = await t.get(`/api/v1/participants/${member.kpj}`, headers);
      expect(res.status, JSON.stringify(headers)).toBe(401);
      expect(res.body.error.code).toBe('unauthorized');
    }
  });

  it('404 for an unknown KPJ', async () => {
    for (const kpj of ['99999999999', '1', 'abc']) {
      const res = await t.get(`/api/v1/participants/${kpj}`, { authorization: 'Bearer dev-staff-key' });
      expect(res.status, kpj).toBe(404);
      expect(res.body.error.code).toBe('unknown_participant');
    }
  });
});

// Last: moves the clock forward for good.
describe('after the member lapses', () => {
  it('shows inactive after the member lapses (4 unpaid months), still with the card valid', async () => {
    // Covered through 2026-11: Dec, Jan, Feb and Mar are overdue after the March due date (15 Mar 2027).
    const res = await t.post('/dev/clock', { now: '2027-03-16T09:00:00+07:00' });
    expect(res.status).toBe(200);
    expect(await verify(cardToken)).toEqual({ valid: true, kpj: member.kpj, nameMasked: 'R*** K****** S***', status: 'inactive', coveredThrough: '2026-11' });
    const staff = await t.get(`/api/v1/participants/${member.kpj}`, { authorization: `Bearer ${t.config.staffApiKey}` });
    expect(staff.body.status).toBe('inactive');
  });
});
