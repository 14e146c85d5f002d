import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { naiveYearReturn } from '../../src/modules/jht/domain/naive-day-sum.js';
import { yearCredit, type JhtMovement } from '../../src/modules/jht/domain/jht-return.js';
import { creditJhtReturnsBatch } from '../../src/modules/jht/index.js';
import { sealNik } from '../../src/modules/identity/index.js';
import { activeMember, login } from '../support/factories.js';
import { DEV_KEYS, nikHashOf } from '../support/nik.js';
import { createTestApp, type TestApp } from '../support/test-app.js';

/**
 * The set-based crediting (src/modules/jht/jht-crediting.ts: one SQL statement per batch) against the pure rule and
 * the day-by-day sum, table-driven: each case is one account with its ledger rows written by SQL (dated by their WIB
 * posting day; an earlier return by its ref), credited by the real batch, and the credit compared with yearCredit and
 * with naiveYearReturn less the interim returns.
 */
let t: TestApp;
beforeAll(async () => {
  t = await createTestApp();
});
afterAll(async () => t.close());

/** A ledger row of the case: `at` a WIB date (posted 10:00 WIB) or an instant; positive credits jht:<kpj>, negative debits it. */
interface Row {
  at: string;
  amount: number;
  code?: 'contribution_jht' | 'jht_return' | 'jht_interim_return' | 'claim_benefit';
  ref?: string;
}
interface Case {
  name: string;
  year: number;
  rateBp: number;
  rows: Row[];
}

/** 1,000,000 since 2027, withdrawn in full on 1 July 2028 with its interim return (36,051: 182 days at 725 bp). */
function fullWithdrawal(name: string, rateBp: number): Case {
  return {
    name: `full withdrawal on 1 July 2028 with its interim return; ${name}`,
    year: 2028,
    rateBp,
    rows: [
      { at: '2027-01-10', amount: 1_000_000 },
      { at: '2028-07-01', amount: 36_051, code: 'jht_interim_return', ref: 'jht-interim:2028' },
      { at: '2028-07-01', amount: -1_036_051, code: 'claim_benefit' },
    ],
  };
}

const cases: Case[] = [
  {
    name: '12 contributions on varied days after an opening return (2027)',
    year: 2027,
    rateBp: 725,
    rows: [
      { at: '2026-03-10', amount: 240_000 },
      { at: '2027-01-04', amount: 1_234, code: 'jht_return', ref: 'jht-return:2026' },
      ...Array.from({ length: 12 }, (_, m) => ({ at: `2027-${String(m + 1).padStart(2, '0')}-${String(1 + ((m * 11) % 28)).padStart(2, '0')}`, amount: 20_000 + 500 * m })),
    ],
  },
  {
    name: 'leap year 2028: 29 February and 31 December',
    year: 2028,
    rateBp: 650,
    rows: [
      { at: '2027-05-05', amount: 1_000_000 },
      { at: '2028-02-29', amount: 100_000 },
      { at: '2028-12-31', amount: 40_000 },
      { at: '2029-01-02', amount: 20_000 },
    ],
  },
  {
    name: 'a payment settled 23:30 WIB on 31 December 2027 counts in 2027 (one day)',
    year: 2027,
    rateBp: 719,
    rows: [{ at: '2027-12-31T16:30:00.000Z', amount: 5_000_000 }],
  },
  {
    name: 'partial withdrawal (30%) in 2028',
    year: 2028,
    rateBp: 563,
    rows: [
      { at: '2027-01-10', amount: 2_000_000 },
      { at: '2028-03-15', amount: 20_000 },
      { at: '2028-08-17', amount: -606_000, code: 'claim_benefit' },
    ],
  },
  fullWithdrawal('the year rate is higher: the difference', 800),
  fullWithdrawal('the year rate is the same: nothing more', 725),
  { name: 'contributions only after the year: nothing', year: 2027, rateBp: 725, rows: [{ at: '2028-01-05', amount: 20_000 }] },
];

const WIB_MS = 7 * 3_600_000;
const instant = (at: string) => new Date(at.length === 10 ? `${at}T03:00:00.000Z` : at);
const wibDay = (d: Date) => new Date(d.getTime() + WIB_MS).toISOString().slice(0, 10);

/** The movements the rule sees: the posting day (a return: 31 December of its ref's year), signed. */
function movementsOf(rows: readonly Row[]): JhtMovement[] {
  return rows.map((r) => ({ date: r.code === 'jht_return' ? `${r.ref?.split(':')[1]}-12-31` : wibDay(instant(r.at)), amount: r.amount }));
}

function expected(c: Case): { pure: number; naive: number } {
  const ms = movementsOf(c.rows);
  const opening = ms.filter((m) => m.date < `${c.year}-01-01`).reduce((s, m) => s + m.amount, 0);
  const inYear = ms.filter((m) => m.date.startsWith(`${c.year}-`));
  const interim = c.rows.filter((r) => r.code === 'jht_interim_return' && r.ref === `jht-interim:${c.year}`).reduce((s, r) => s + r.amount, 0);
  return {
    pure: yearCredit({ year: c.year, openingBalance: opening, movements: inYear, rateBp: c.rateBp, interimReturns: interim }) ?? -1,
    naive: Math.max(0, naiveYearReturn(c.year, opening, inYear, c.rateBp) - interim),
  };
}

async function seedAccount(k: number, c: Case): Promise<string> {
  const kpj = String(90_000_000_000 + k);
  const id = `ptc_crediting_${String(k).padStart(3, '0')}`;
  const nik = `32750101019${String(k).padStart(5, '0')}`;
  await sql`insert into participant (id, kpj, nik_hash, nik_sealed, full_name, birth_date, gender, phone, email, address, occupation_code, sector, branch_code,
      programs, declared_income, funding, registration_id, created_at, updated_at)
    values (${id}, ${kpj}, ${nikHashOf(nik)}, ${sealNik(nik, DEV_KEYS)}, 'Uji Kredit', '1990-01-01', 'F', '+6281200000000', 'uji@contoh.id', 'Jl. Uji',
      'PETANI', 'other', 'BEKASI', array['JKK','JKM','JHT'], 1000000, 'self', ${`reg_crediting_${k}`}, now(), now())`.execute(t.db);
  let n = 0;
  for (const r of c.rows) {
    const code = r.code ?? 'contribution_jht';
    const [debit, credit] = r.amount > 0 ? [code === 'contribution_jht' ? 'clearing:va' : 'jht_investment', `jht:${kpj}`] : [`jht:${kpj}`, 'payout_clearing'];
    await sql`insert into ledger_transfer (id, debit_account, credit_account, amount, code, ref, created_at)
      values (${`crediting-test:${k}:${n++}`}, ${debit}, ${credit}, ${Math.abs(r.amount)}, ${code}, ${r.ref ?? `pay_${k}_${n}`}, ${instant(r.at)})`.execute(t.db);
  }
  return id;
}

describe('set-based crediting equals the pure rule and the day-by-day sum', () => {
  it.each(cases.map((c, k) => ({ ...c, k })))('$name', async (c) => {
    const id = await seedAccount(c.k, c);
    await sql`insert into jht_rate (year, rate_bp, set_at, set_by) values (${c.year}, ${c.rateBp}, now(), 'test')
      on conflict (year) do update set rate_bp = excluded.rate_bp, applied_at = null`.execute(t.db);
    // The batch of exactly this account: the ids after the previous case's through this one.
    const cursor = c.k === 0 ? '' : `ptc_crediting_${String(c.k - 1).padStart(3, '0')}`;
    const now = new Date(`${c.year + 1}-01-01T00:05:00.000Z`);
    const run = () => t.db.transaction().execute((trx) => creditJhtReturnsBatch(trx, { year: c.year, cursor, until: id, limit: 10, now }));
    const out = await run();
    const { pure, naive } = expected(c);
    expect(pure).toBe(naive);
    const credited = await t.db.selectFrom('ledger_transfer').select(['amount', 'debit_account', 'ref']).where('id', '=', `jht-return:${c.year}:${String(90_000_000_000 + c.k)}`).execute();
    expect(credited.map((r) => Number(r.amount))).toEqual(pure > 0 ? [pure] : []);
    expect(out.counts).toEqual({ credited: pure > 0 ? 1 : 0, amount: pure, waiting: 0 });
    // A resumed batch: the year's own return is left out of the sum and nothing more is inserted.
    expect((await run()).counts).toEqual({ credited: 0, amount: 0, waiting: 0 });
  });
});

describe('GET /me/jht after a full withdrawal', () => {
  it('shows the interim return as a `return` of its year on its day; balance and accrual 0', async () => {
        // 22 November 2026: 20,000 JHT. Approved 1 December 2026 (10:00 WIB): interim 20,000 × 9 days × 725 / 3,650,000 = 35.7
    const m = await activeMember(t, { programs: ['JKK', 'JKM', 'JHT'], declaredIncome: 1_000_000 });
    await sql`insert into jht_rate (year, rate_bp, set_at, set_by) values (2025, 725, now(), 'test') on conflict do nothing`.execute(t.db);
    const at = new Date('2026-12-01T03:00:00.000Z');
    await sql`insert into ledger_transfer (id, debit_account, credit_account, amount, code, ref, created_at) values
      ('jht-interim:clm_view', 'jht_investment', ${`jht:${m.kpj}`}, 35, 'jht_interim_return', 'jht-interim:2026', ${at}),
      ('claim:clm_view', ${`jht:${m.kpj}`}, 'payout_clearing', 20035, 'claim_benefit', 'clm_view', ${at})`.execute(t.db);
    t.clock.set(new Date('2026-12-10T03:00:00.000Z'));
    // Signed in again: the clock moved past the session's lifetime.
    const res = await t.get('/api/v1/me/jht', { authorization: `Bearer ${await login(t, m.person.phone)}` });
    expect(res.status, JSON.stringify(res.body)).toBe(200);
    expect(res.body).toEqual({
      balance: 0,
      accrued: 0,
      entries: [
        { date: '2026-12-01', kind: 'withdrawal', amount: 20_035 },
        { date: '2026-12-01', kind: 'return', amount: 35, year: 2026 },
        { date: '2026-11-22', kind: 'contribution', amount: 20_000 },
      ],
    });
  });
});
