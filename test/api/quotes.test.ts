import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, TEST_START, type TestApp, type TestResponse } from '../support/test-app.js';

/**
 * Reference data and POST /api/v1/quotes through the real app (api-contract.md "Reference data", "Contribution
 * quote"; domain-rules.md "Project decisions": income ladder, PP 50/2025 discount, prepayment options).
 */
let t: TestApp;
beforeAll(async () => {
  t = await createTestApp();
});
afterAll(async () => t.close());

interface Line {
  program: 'JKK' | 'JKM' | 'JHT';
  amount: number;
  discount: number;
  net: number;
}
interface QuoteMonth {
  month: string;
  total: number;
  lines: Line[];
}
interface Quote {
  contributionBase: number;
  total: number;
  months: QuoteMonth[];
}

function expectError(res: TestResponse, status: number, code: string, field?: string) {
  expect(res.status, JSON.stringify(res.body)).toBe(status);
  expect(res.body.error.code).toBe(code);
  expect(typeof res.body.error.message).toBe('string');
  expect(res.body.error.message.length).toBeGreaterThan(0);
  if (field !== undefined) {
    expect(res.body.error.field).toBe(field);
  }
}

/** The arithmetic every quote must satisfy, whatever the figures. */
function expectConsistent(q: Quote) {
  for (const v of [q.contributionBase, q.total]) {
    expect(Number.isSafeInteger(v)).toBe(true);
  }
  for (const m of q.months) {
    expect(m.month).toMatch(/^\d{4}-(0[1-9]|1[0-2])$/);
    for (const l of m.lines) {
      expect([l.amount, l.discount, l.net].every(Number.isSafeInteger)).toBe(true);
      expect(l.discount).toBeGreaterThanOrEqual(0);
      expect(l.net).toBe(l.amount - l.discount);
    }
    expect(m.total).toBe(m.lines.reduce((s, l) => s + l.net, 0));
  }
  expect(q.total).toBe(q.months.reduce((s, m) => s + m.total, 0));
}

async function quote(body: Record<string, unknown>): Promise<Quote> {
  const res = await t.post('/api/v1/quotes', body);
  expect(res.status, JSON.stringify(res.body)).toBe(200);
  expectConsistent(res.body);
  return res.body as Quote;
}

function linesOf(q: Quote, month: string): Record<string, Omit<Line, 'program'>> {
  const m = q.months.find((x) => x.month === month);
  if (!m) {
    throw new Error(`no month ${month} in quote`);
  }
  return Object.fromEntries(m.lines.map(({ program, ...rest }) => [program, rest]));
}

describe('reference data', () => {
  it('lists at least 40 occupations, each with a code, a name and a transport/other sector', async () => {
    const res = await t.get('/api/v1/reference/occupations');
    expect(res.status).toBe(200);
    const occupations = res.body.occupations as { code: string; name: string; sector: string }[];
    expect(occupations.length).toBeGreaterThanOrEqual(40);
    for (const o of occupations) {
      expect(o.code).toMatch(/^\S+$/);
      expect(o.name.trim().length).toBeGreaterThan(0);
      expect(['transport', 'other']).toContain(o.sector);
    }
    expect(new Set(occupations.map((o) => o.code)).size).toBe(occupations.length);
    // PP 50/2025 names ojol drivers as transport; both sectors must be choosable.
    expect(occupations.find((o) => o.code === 'OJOL')?.sector).toBe('transport');
    expect(occupations.some((o) => o.sector === 'other')).toBe(true);
  });

  it('lists at least 30 branch offices, each with a code, a name and a city', async () => {
    const res = await t.get('/api/v1/reference/branches');
    expect(res.status).toBe(200);
    const branches = res.body.branches as { code: string; name: string; city: string }[];
    expect(branches.length).toBeGreaterThanOrEqual(30);
    for (const b of branches) {
      expect(b.code).toMatch(/^\S+$/);
      expect(b.name.trim().length).toBeGreaterThan(0);
      expect(b.city.trim().length).toBeGreaterThan(0);
    }
    expect(new Set(branches.map((b) => b.code)).size).toBe(branches.length);
  });
});

describe('POST /api/v1/quotes', () => {
  it('prices month by month: base from the ladder, net = amount − discount, totals add up', async () => {
    // 2.050.000 is between rungs: the base is the highest rung not above it, 2.000.000.
    const q = await quote({ declaredIncome: 2_050_000, programs: ['JKK', 'JKM', 'JHT'], months: 3, startMonth: '2026-11', occupationCode: 'OJOL', funding: 'self' });
    expect(q.contributionBase).toBe(2_000_000);
    expect(q.months.map((m) => m.month)).toEqual(['2026-11', '2026-12', '2027-01']);
    for (const m of q.months) {
      // Transport sector in 2026-11..2027-01: JKK and JKM at 50% (PP 50/2025), JHT never discounted.
      expect(m.lines).toEqual([
        { program: 'JKK', amount: 20_000, discount: 10_000, net: 10_000 },
        { program: 'JKM', amount: 6_800, discount: 3_400, net: 3_400 },
        { program: 'JHT', amount: 40_000, discount: 0, net: 40_000 },
      ]);
      expect(m.total).toBe(53_400);
    }
    expect(q.total).toBe(160_200);
  });

  it('lists lines in canonical order whatever order the programs are given in', async () => {
    const q = await quote({ declaredIncome: 1_000_000, programs: ['JHT', 'JKM', 'JKK'], months: 1, startMonth: '2027-06' });
    expect(q.months[0]?.lines.map((l) => l.program)).toEqual(['JKK', 'JKM', 'JHT']);
    // No discount for anyone in 2027-06: the minimum package with JHT is Rp36.800 (R4).
    expect(q.total).toBe(36_800);
  });

  it('uses the top rung above Rp20.700.000 and the bottom rung at exactly Rp1.000.000', async () => {
    const top = await quote({ declaredIncome: 50_000_000, programs: ['JKK', 'JKM', 'JHT'], months: 1, startMonth: '2027-06' });
    expect(top.contributionBase).toBe(20_700_000);
    expect(top.total).toBe(207_000 + 6_800 + 414_000);
    const bottom = await quote({ declaredIncome: 1_000_000, programs: ['JKK', 'JKM'], months: 1, startMonth: '2027-06' });
    expect(bottom.contributionBase).toBe(1_000_000);
    expect(bottom.total).toBe(16_800);
  });

  it('defaults startMonth to the current month in WIB, not UTC', async () => {
    const q = await quote({ declaredIncome: 1_000_000, programs: ['JKK', 'JKM'], months: 3 });
    expect(q.months.map((m) => m.month)).toEqual(['2026-11', '2026-12', '2027-01']);
    // 1 Feb 2027 00:30 WIB is still 31 Jan in UTC: the contribution month is February.
    t.clock.set(new Date('2027-02-01T00:30:00+07:00'));
    try {
      const feb = await quote({ declaredIncome: 1_000_000, programs: ['JKK', 'JKM'], months: 1 });
      expect(feb.months.map((m) => m.month)).toEqual(['2027-02']);
    } finally {
      t.clock.set(new Date(TEST_START));
    }
  });

  it('lets occupationCode decide the sector: in 2027-01 transport is discounted, other is not', async () => {
    const body = { declaredIncome: 1_000_000, programs: ['JKK', 'JKM', 'JHT'], months: 1, startMonth: '2027-01' };
    const transport = await quote({ ...body, occupationCode: 'OJOL' });
    expect(linesOf(transport, '2027-01')).toEqual({
      JKK: { amount: 10_000, discount: 5_000, net: 5_000 },
      JKM: { amount: 6_800, discount: 3_400, net: 3_400 },
      JHT: { amount: 20_000, discount: 0, net: 20_000 },
    });
    const other = await quote({ ...body, occupationCode: 'PEDAGANG_PASAR' });
    expect(linesOf(other, '2027-01')).toEqual({
      JKK: { amount: 10_000, discount: 0, net: 10_000 },
      JKM: { amount: 6_800, discount: 0, net: 6_800 },
      JHT: { amount: 20_000, discount: 0, net: 20_000 },
    });
    // No occupation → sector other.
    const none = await quote(body);
    expect(none.total).toBe(other.total);
  });

  it('prices each month on its own, so a prepayment across a discount boundary mixes discounted and full months', async () => {
    const other = await quote({ declaredIncome: 1_000_000, programs: ['JKK', 'JKM'], months: 6, startMonth: '2026-10', occupationCode: 'PEDAGANG_PASAR' });
    expect(other.months.map((m) => [m.month, m.total])).toEqual([
      ['2026-10', 8_400],
      ['2026-11', 8_400],
      ['2026-12', 8_400],
      ['2027-01', 16_800],
      ['2027-02', 16_800],
      ['2027-03', 16_800],
    ]);
    expect(other.total).toBe(3 * 8_400 + 3 * 16_800);
    const transport = await quote({ declaredIncome: 1_000_000, programs: ['JKK', 'JKM'], months: 12, startMonth: '2026-10', occupationCode: 'OJOL' });
    expect(transport.months.filter((m) => m.total === 8_400).map((m) => m.month)).toEqual(['2026-10', '2026-11', '2026-12', '2027-01', '2027-02', '2027-03']);
    expect(transport.months.filter((m) => m.total === 16_800).map((m) => m.month)).toEqual(['2027-04', '2027-05', '2027-06', '2027-07', '2027-08', '2027-09']);
  });

  it('gives no PP 50/2025 discount when funded by APBN or APBD; self and sponsor get it', async () => {
    const body = { declaredIncome: 1_000_000, programs: ['JKK', 'JKM'], months: 1, startMonth: '2026-11', occupationCode: 'OJOL' };
    for (const funding of ['apbn', 'apbd']) {
      const q = await quote({ ...body, funding });
      expect(q.months[0]?.lines.every((l) => l.discount === 0), funding).toBe(true);
      expect(q.total).toBe(16_800);
    }
    for (const funding of ['self', 'sponsor']) {
      expect((await quote({ ...body, funding })).total, funding).toBe(8_400);
    }
    // funding defaults to self.
    expect((await quote(body)).total).toBe(8_400);
  });

  it('accepts 1, 3, 6 and 12 months', async () => {
    for (const months of [1, 3, 6, 12]) {
      const q = await quote({ declaredIncome: 1_000_000, programs: ['JKK', 'JKM'], months, startMonth: '2027-06' });
      expect(q.months).toHaveLength(months);
      expect(q.total).toBe(16_800 * months);
    }
  });

  describe('business-rule errors (422)', () => {
    const valid = { declaredIncome: 2_000_000, programs: ['JKK', 'JKM'], months: 3 };

    it('income_below_minimum below Rp1.000.000', async () => {
      expectError(await t.post('/api/v1/quotes', { ...valid, declaredIncome: 999_999 }), 422, 'income_below_minimum', 'declaredIncome');
      expectError(await t.post('/api/v1/quotes', { ...valid, declaredIncome: 0 }), 422, 'income_below_minimum');
      expectError(await t.post('/api/v1/quotes', { ...valid, declaredIncome: -5_000_000 }), 422, 'income_below_minimum');
    });

    it.each([
      ['JKK missing', ['JKM']],
      ['JKM missing', ['JKK', 'JHT']],
      ['no programs', []],
      ['JP is not open to BPU', ['JKK', 'JKM', 'JP']],
      ['JKP is not open to BPU', ['JKK', 'JKM', 'JKP']],
      ['duplicate JKK', ['JKK', 'JKK', 'JKM']],
      ['duplicate JHT', ['JKK', 'JKM', 'JHT', 'JHT']],
      ['lower-case code', ['jkk', 'JKM']],
    ])('invalid_programs: %s', async (_name, programs) => {
      expectError(await t.post('/api/v1/quotes', { ...valid, programs }), 422, 'invalid_programs', 'programs');
    });

    it.each([2, 0, 4, 24, -1])('invalid_months: %s months', async (months) => {
      expectError(await t.post('/api/v1/quotes', { ...valid, months }), 422, 'invalid_months', 'months');
    });

    it('unknown_occupation for a code not in the reference list (an absent code is fine)', async () => {
      expectError(await t.post('/api/v1/quotes', { ...valid, occupationCode: 'ASTRONOT' }), 422, 'unknown_occupation', 'occupationCode');
      expectError(await t.post('/api/v1/quotes', { ...valid, occupationCode: 'ojol' }), 422, 'unknown_occupation');
      expectError(await t.post('/api/v1/quotes', { ...valid, occupationCode: '' }), 422, 'unknown_occupation');
      // Inherited object keys are not occupations.
      expectError(await t.post('/api/v1/quotes', { ...valid, occupationCode: 'constructor' }), 422, 'unknown_occupation');
    });

    it('a start month the rule book cannot price is refused with its own code and message, not a server error', async () => {
      // Before the BPU scheme started (2015-07) and past year 9999 there is no ladder or rate in force.
      expectError(await t.post('/api/v1/quotes', { ...valid, startMonth: '2015-06', months: 1 }), 422, 'invalid_start_month', 'startMonth');
      expectError(await t.post('/api/v1/quotes', { ...valid, startMonth: '2015-05', months: 3 }), 422, 'invalid_start_month', 'startMonth');
      expectError(await t.post('/api/v1/quotes', { ...valid, startMonth: '9999-12', months: 3 }), 422, 'invalid_start_month', 'startMonth');
      expectError(await t.post('/api/v1/quotes', { ...valid, startMonth: '0000-01', months: 1 }), 422, 'invalid_start_month', 'startMonth');
      // The message speaks of the start month, not of the number of months (it was "Pilih jumlah bulan 1, 3, 6, atau 12").
      const en = await t.post('/api/v1/quotes', { ...valid, startMonth: '2015-06', months: 1 }, { 'accept-language': 'en' });
      expect(en.body.error.message).toMatch(/^Invalid start month/);
      expect(en.body.error.message).not.toMatch(/1, 3, 6 or 12/);
      // The first month of the scheme is priceable.
      await quote({ ...valid, startMonth: '2015-07', months: 1 });
    });
  });

  describe('malformed JSON and wrong types (400 invalid_request)', () => {
    const valid = { declaredIncome: 2_000_000, programs: ['JKK', 'JKM'], months: 3 };

    it.each([
      ['months as a string', { ...valid, months: '3' }, 'months'],
      ['declaredIncome with decimals', { ...valid, declaredIncome: 1.5 }, 'declaredIncome'],
      ['declaredIncome 2000000.5', { ...valid, declaredIncome: 2_000_000.5 }, 'declaredIncome'],
      ['declaredIncome as a string', { ...valid, declaredIncome: '2000000' }, 'declaredIncome'],
      ['declaredIncome missing', { programs: ['JKK', 'JKM'], months: 3 }, 'declaredIncome'],
      ['programs as a string', { ...valid, programs: 'JKK,JKM' }, 'programs'],
      ['programs with a number', { ...valid, programs: ['JKK', 'JKM', 1] }, 'programs.2'],
      ['months fractional', { ...valid, months: 1.5 }, 'months'],
      ['months null', { ...valid, months: null }, 'months'],
      ['funding not in the list', { ...valid, funding: 'donor' }, 'funding'],
      ['startMonth not YYYY-MM', { ...valid, startMonth: '2026-13' }, 'startMonth'],
      ['startMonth a date', { ...valid, startMonth: '2026-11-01' }, 'startMonth'],
      ['occupationCode a number', { ...valid, occupationCode: 12 }, 'occupationCode'],
    ])('%s', async (_name, body, field) => {
      expectError(await t.post('/api/v1/quotes', body), 400, 'invalid_request', field);
    });

    it.each([
      ['malformed JSON', '{"declaredIncome": 2000000,'],
      ['not JSON at all', 'declaredIncome=2000000'],
      ['JSON null', 'null'],
      ['a JSON array', '[]'],
      ['a JSON string', '"quote"'],
      ['an empty body', ''],
    ])('%s', async (_name, raw) => {
      expectError(await t.post('/api/v1/quotes', raw), 400, 'invalid_request');
    });
  });
});
