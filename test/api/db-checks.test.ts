import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { TRANSFER_CODES } from '../../src/modules/ledger/ledger.js';
import { activeMember } from '../support/factories.js';
import { createTestApp, type TestApp } from '../support/test-app.js';

/**
 * The database's own checks (migrations/2026-12-07T0620-ledger-and-bill-checks.ts): ledger accounts and transfer codes
 * in the chart of accounts' formats, and a bill's amount equal to the sum of its lines' net amounts — checked at commit
 * (a deferred constraint trigger), so a bill and its lines may be written by separate statements of one transaction.
 */
let t: TestApp;
let participantId: string;
let kpj: string;
beforeAll(async () => {
  t = await createTestApp();
  const m = await activeMember(t);
  kpj = m.kpj;
  participantId = (await t.db.selectFrom('participant').select('id').where('kpj', '=', kpj).executeTakeFirstOrThrow()).id;
});
afterAll(async () => t.close());

let seq = 0;
const transfer = (debit: string, credit: string, code: string) =>
  sql`insert into ledger_transfer (id, debit_account, credit_account, amount, code, ref, created_at)
      values (${`chk-${++seq}`}, ${debit}, ${credit}, 100, ${code}, 'chk', now())`.execute(t.db);

describe('ledger_transfer: accounts and codes of the chart of accounts only', () => {
  it('takes every account kind and every transfer code the code posts', async () => {
    for (const [i, code] of TRANSFER_CODES.entries()) {
      const accounts = ['clearing:va', 'program:JKK', 'program:JKM', `jht:${kpj}`, `wallet:${kpj}`, 'suspense'];
      await transfer(accounts[i % accounts.length]!, accounts[(i + 1) % accounts.length]!, code);
    }
  });

  it.each([
    ['clearing:VA', 'suspense', 'unmatched_payment'],
    ['clearing:va', 'program:JHT', 'contribution_jht'],
    ['clearing:va', 'jht:123', 'contribution_jht'],
    ['suspense', 'wallet:abc', 'manual_assignment'],
    ['clearing:va', 'suspenses', 'unmatched_payment'],
  ])('refuses the account %s → %s', async (debit, credit, code) => {
    await expect(transfer(debit, credit, code)).rejects.toThrow(/ledger_transfer_(debit|credit)_account_format/);
  });

  it('refuses a code outside TRANSFER_CODES', async () => {
    await expect(transfer('clearing:va', 'suspense', 'gift')).rejects.toThrow(/ledger_transfer_code_check/);
  });
});

describe('bill.amount = Σ bill_line.net, checked at commit', () => {
  let n = 0;
  const insertBill = (trx: typeof t.db, id: string, amount: number) =>
    sql`insert into bill (id, payment_code, kind, participant_id, amount, status, first_month, month_count, expires_at, created_at)
        values (${id}, ${`80000000000${String(++n).padStart(4, '0')}9`}, 'renewal', ${participantId}, ${amount}, 'open', '2030-01', 1, now(), now())`.execute(trx);
  const insertLine = (trx: typeof t.db, id: string, program: string, net: number) =>
    sql`insert into bill_line (bill_id, month, program, amount, discount, net) values (${id}, '2030-01', ${program}, ${net}, 0, ${net})`.execute(trx);

  it('a bill and its lines written by separate statements of one transaction commit when they agree', async () => {
    await t.db.transaction().execute(async (trx) => {
      await insertBill(trx, 'bil_chk_ok', 16_800);
      await insertLine(trx, 'bil_chk_ok', 'JKK', 10_000);
      await insertLine(trx, 'bil_chk_ok', 'JKM', 6_800);
    });
    expect(await t.db.selectFrom('bill').select('amount').where('id', '=', 'bil_chk_ok').executeTakeFirst()).toEqual({ amount: 16_800 });
  });

  it('refuses at commit a bill whose lines do not add up, and one without lines', async () => {
    await expect(
      t.db.transaction().execute(async (trx) => {
        await insertBill(trx, 'bil_chk_short', 16_800);
        await insertLine(trx, 'bil_chk_short', 'JKK', 10_000);
      }),
    ).rejects.toThrow(/bil_chk_short amount 16800 is not the sum of its lines' net amounts \(10000\)/);
    await expect(insertBill(t.db, 'bil_chk_empty', 16_800)).rejects.toThrow(/bil_chk_empty amount 16800 is not the sum/);
    expect(await t.db.selectFrom('bill').select('id').where('id', 'in', ['bil_chk_short', 'bil_chk_empty']).execute()).toEqual([]);
  });

  it('refuses a later change to either side: a line added, a line removed, the amount changed', async () => {
    await expect(insertLine(t.db, 'bil_chk_ok', 'JHT', 20_000)).rejects.toThrow(/bil_chk_ok amount 16800 is not the sum/);
    await expect(sql`delete from bill_line where bill_id = 'bil_chk_ok' and program = 'JKM'`.execute(t.db)).rejects.toThrow(/is not the sum/);
    await expect(sql`update bill set amount = 1 where id = 'bil_chk_ok'`.execute(t.db)).rejects.toThrow(/is not the sum/);
    // Both sides in one transaction: fine.
    await t.db.transaction().execute(async (trx) => {
      await sql`update bill set amount = 36800 where id = 'bil_chk_ok'`.execute(trx);
      await insertLine(trx, 'bil_chk_ok', 'JHT', 20_000);
    });
  });

  it('dues bills (written with their lines in one statement) are checked at the end of that statement', async () => {
    const dues = (id: string, amount: number, lines: string) =>
      sql`with b as (insert into bill (id, payment_code, kind, participant_id, amount, status, first_month, month_count, expires_at, created_at)
            values (${id}, ${`80000000000${String(++n).padStart(4, '0')}9`}, 'dues', ${participantId}, ${amount}, 'open', '2031-01', 1, now(), now())
            returning id)
          insert into bill_line (bill_id, month, program, amount, discount, net)
          select b.id, '2031-01', p.program, p.net, 0, p.net from b, ${sql.raw(lines)} as p(program, net)`.execute(t.db);
    await dues('bil_chk_dues', 16_800, "(values ('JKK', 10000), ('JKM', 6800))");
    await expect(dues('bil_chk_dues_short', 16_800, "(values ('JKK', 10000))")).rejects.toThrow(/bil_chk_dues_short amount 16800 is not the sum/);
    await expect(dues('bil_chk_dues_none', 16_800, "(select 'JKK', 1 where false)")).rejects.toThrow(/bil_chk_dues_none amount 16800 is not the sum/);
    expect(await t.db.selectFrom('bill').select('id').where('id', 'like', 'bil_chk_dues%').execute()).toEqual([{ id: 'bil_chk_dues' }]);
  });
});
