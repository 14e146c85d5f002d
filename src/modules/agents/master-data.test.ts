import { describe, expect, it } from 'vitest';
import { defaultRuleBook, priceContribution, type Funding, type Sector } from '../contributions/index.js';
import { firstBillStartMonth } from '../membership/domain/cover-start.js';
import { canonicalJson, createMasterDataSigner, masterDataRates } from './master-data.js';

/** The browser's copy (src/web/assets/agen-core.js), loaded as the app loads it. */
interface AgenCore {
  uuidv7(nowMs?: number, random?: (a: Uint8Array) => Uint8Array): string;
  canonicalJson(v: unknown): string;
  verifySnapshot(s: { version: string; issuedAt: string; data: unknown; signature: string }, key: string): Promise<boolean>;
  firstBillStartMonth(nowMs: number): string;
  priceContribution(
    input: { declaredIncome: number; programs: string[]; months: number; startMonth: string; sector: string; funding?: string },
    rates: unknown,
  ): { ok: true; total: number; contributionBase: number; months: { month: string; total: number }[] } | { ok: false; code: string; field: string };
  backoffMs(attempt: number, random?: number): number;
}
const core = (await import(new URL('../../web/assets/agen-core.js', import.meta.url).href)) as AgenCore;

describe('the browser computes the iuran as the server does (agen-core.js vs priceContribution)', () => {
  const rates = JSON.parse(JSON.stringify(masterDataRates(defaultRuleBook, '2026-10'))) as unknown;
  const cases: [number, string[], number, string, Sector, Funding][] = [
    [1_000_000, ['JKK', 'JKM'], 1, '2026-11', 'other', 'self'],
    [1_000_000, ['JKK', 'JKM', 'JHT'], 3, '2026-11', 'transport', 'self'],
    [2_345_678, ['JKM', 'JKK', 'JHT'], 6, '2026-12', 'other', 'self'],
    [25_000_000, ['JKK', 'JKM', 'JHT'], 12, '2026-12', 'transport', 'self'],
    [4_150_000, ['JKK', 'JKM'], 3, '2027-02', 'transport', 'apbd'],
    [1_050_000, ['JKK', 'JKM', 'JHT'], 1, '2027-05', 'other', 'sponsor'],
    [999_999, ['JKK', 'JKM'], 1, '2026-11', 'other', 'self'],
    [1_000_000, ['JKK'], 1, '2026-11', 'other', 'self'],
    [1_000_000, ['JKK', 'JKM'], 5, '2026-11', 'other', 'self'],
  ];
  it.each(cases)('income %i, %j, %i month(s) from %s, %s, %s', (declaredIncome, programs, months, startMonth, sector, funding) => {
    const server = priceContribution({ declaredIncome, programs, months, startMonth, sector, funding }, defaultRuleBook);
    const browser = core.priceContribution({ declaredIncome, programs, months, startMonth, sector, funding }, rates);
    if (server.ok) {
      expect(browser).toEqual({ ok: true, total: server.value.total, contributionBase: server.value.contributionBase, months: server.value.months.map((m) => ({ month: m.month, total: m.total })) });
    } else {
      expect(browser).toMatchObject({ ok: false, code: server.code });
    }
  });

  it.each(['2026-11-22T03:00:00.000Z', '2026-11-30T17:30:00.000Z', '2026-11-30T16:59:59.000Z', '2026-12-31T10:00:00.000Z', '2027-01-01T00:00:00.000Z'])(
    'the first bill starts in the same month at %s',
    (at) => {
      expect(core.firstBillStartMonth(Date.parse(at))).toBe(firstBillStartMonth(new Date(at)));
    },
  );
});

describe('the snapshot signature', () => {
  const signer = createMasterDataSigner('test-seed');
  const snapshot = signer.sign({ version: 'v1', issuedAt: '2026-11-22T03:00:00.000Z', data: { occupations: [{ code: 'OJOL', name: 'Ojek', sector: 'transport' }], branches: [], rates: masterDataRates(defaultRuleBook, '2026-11') } });

  it('verifies on the server and in WebCrypto (the browser code), and a changed figure fails both', async () => {
    expect(signer.verify(snapshot)).toBe(true);
    expect(await core.verifySnapshot(snapshot, signer.publicKeyRaw)).toBe(true);
    const tampered = JSON.parse(JSON.stringify(snapshot)) as typeof snapshot;
    tampered.data.rates.prepaymentOptions = [1, 2];
    expect(signer.verify(tampered)).toBe(false);
    expect(await core.verifySnapshot(tampered, signer.publicKeyRaw)).toBe(false);
    expect(await core.verifySnapshot(snapshot, createMasterDataSigner('other').publicKeyRaw)).toBe(false);
  });

  it('canonical JSON is the same in both and independent of key order', () => {
    const v = { b: [1, { d: 'x', c: null }], a: 'é"' };
    expect(canonicalJson(v)).toBe('{"a":"é\\"","b":[1,{"c":null,"d":"x"}]}');
    expect(core.canonicalJson(v)).toBe(canonicalJson(v));
  });
});

describe('UUIDv7 (RFC 9562 §5.7) and the retry delay', () => {
  it('puts the milliseconds first, version 7 and variant 10', () => {
    const id = core.uuidv7(0x0189_1234_5678, (a) => a.fill(0xff));
    expect(id).toBe('01891234-5678-7fff-bfff-ffffffffffff');
    expect(core.uuidv7()).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-7[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
    expect(core.uuidv7(1000) < core.uuidv7(2000)).toBe(true);
  });
  it.each([
    [0, 0.5, 2000],
    [1, 0.5, 4000],
    [3, 0, 12_800],
    [20, 1, 360_000],
  ])('attempt %i (random %d) → %i ms', (attempt, random, ms) => {
    expect(core.backoffMs(attempt, random)).toBe(ms);
  });
});
