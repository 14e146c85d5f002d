import { randomUUID } from 'node:crypto';
import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { getAllBalances, validateTransfer, type TransferCode } from '../../src/modules/ledger/ledger.js';
import { topUpCode } from '../../src/modules/wallet/domain/top-up-code.js';
import { creditWallet, sweepWallet } from '../../src/modules/wallet/wallet.js';
import { createLogger } from '../../src/shared/logger.js';
import { activeMember, login, makePerson, nextExternalId, registerVerified } from '../support/factories.js';
import { createTestApp, type TestApp, type TestResponse } from '../support/test-app.js';
import { nikHashOf } from '../support/nik.js';

/**
 * The contribution wallet (dompet iuran; issue 4 items 6 and 8) through the real app: top-ups paid with a member's
 * top-up code, overpayments, the sweep that pays the next months from the wallet, GET /api/v1/me/wallet, and the
 * ledger they post. Tests run in order on one database (the clock moves only in the last block); the ledger checks
 * at the end hold over everything the earlier tests recorded.
 *
 * Prices (rule book): Rp1.000.000 declared, JKK + JKM, occupation OJOL (transport): Rp8.400 a month with the PP 50/2025
 * discount (until 2027-03), Rp16.800 after. The clock starts on 22 November 2026; a new member is covered for 2026-11.
 */
let t: TestApp;
/** Warnings and errors the app logs: a failed sweep is logged (the money stays in the wallet), never thrown. */
const logged: string[] = [];
beforeAll(async () => {
  t = await createTestApp({ logger: createLogger('warn', (line) => logged.push(line)) });
});
afterAll(async () => t.close());

type Member = Awaited<ReturnType<typeof activeMember>>;

const MONTH_PRICE = 8_400;

function topUpBody(code: string, amount: number, overrides: Record<string, unknown> = {}) {
  return { externalId: nextExternalId(), paymentCode: code, amount, channel: 'va', paidAt: t.clock.now().toISOString(), ...overrides };
}

async function topUp(code: string, amount: number, channel = 'va') {
  return t.notify(topUpBody(code, amount, { channel }));
}

async function walletOf(m: Member) {
  const res = await t.get('/api/v1/me/wallet', m.auth);
  expect(res.status, JSON.stringify(res.body)).toBe(200);
  return res.body as {
    balance: number;
    topUpCode: string;
    next: { month: string; amount: number; shortfall: number } | null;
    entries: { at: string; kind: string; amount: number; balanceAfter: number; month?: string; channel?: string }[];
  };
}

async function meOf(m: Member) {
  const res = await t.get('/api/v1/me', m.auth);
  expect(res.status).toBe(200);
  return res.body as { coveredThrough: string; status: string; nextDue: { month: string; amount: number }; wallet: { balance: number } };
}

async function participantIdOf(kpj: string): Promise<string> {
  return (await t.db.selectFrom('participant').select('id').where('kpj', '=', kpj).executeTakeFirstOrThrow()).id;
}

/** Sessions end after 12 hours: after the clock moves, the member signs in again. */
async function signInAgain(m: Member): Promise<Member> {
  return { ...m, auth: { authorization: `Bearer ${await login(t, m.person.phone)}` } };
}

async function coveredMonths(kpj: string): Promise<string[]> {
  const rows = await t.db
    .selectFrom('coverage_month')
    .innerJoin('participant', 'participant.id', 'coverage_month.participant_id')
    .select('coverage_month.month')
    .where('participant.kpj', '=', kpj)
    .orderBy('coverage_month.month')
    .execute();
  return rows.map((r) => r.month);
}

async function walletBills(kpj: string) {
  return t.db
    .selectFrom('bill')
    .innerJoin('participant', 'participant.id', 'bill.participant_id')
    .select(['bill.id', 'bill.first_month', 'bill.month_count', 'bill.amount', 'bill.status', 'bill.payment_id'])
    .where('participant.kpj', '=', kpj)
    .where('bill.kind', '=', 'wallet')
    .orderBy('bill.first_month')
    .execute();
}

async function balanceOf(account: string): Promise<number> {
  return (await getAllBalances(t.db)).get(account) ?? 0;
}

async function billStatus(paymentCode: string): Promise<string> {
  const res = await t.get(`/api/v1/bills/${paymentCode}`);
  expect(res.status).toBe(200);
  return res.body.status as string;
}

function tally(results: TestResponse[]): Record<string, number> {
  const out: Record<string, number> = {};
  for (const r of results) {
    const key = r.status === 200 ? `${r.body.status}${r.body.reason ? `:${r.body.reason}` : ''}` : `${r.status}:${r.body.error?.code}`;
    out[key] = (out[key] ?? 0) + 1;
  }
  return out;
}

async function outboxTo(email: string) {
  const res = await t.get(`/dev/outbox?to=${encodeURIComponent(email)}`);
  return res.body.messages as { subject: string; body: string; template: string }[];
}

describe('the top-up code and GET /api/v1/me/wallet', () => {
  it("a new member's wallet: empty, with their stable top-up code and what the next month needs", async () => {
    const m = await activeMember(t);
    const w = await walletOf(m);
    expect(w).toEqual({ balance: 0, topUpCode: topUpCode(m.kpj), next: { month: '2026-12', amount: MONTH_PRICE, shortfall: MONTH_PRICE }, entries: [] });
    expect(w.topUpCode).toMatch(/^7\d{15}$/);
    expect((await walletOf(m)).topUpCode).toBe(w.topUpCode);
    expect((await meOf(m)).wallet).toEqual({ balance: 0 });
  });

  it('401 unauthorized without a member session (and for the staff key)', async () => {
    const attempts: Record<string, string>[] = [{}, { authorization: 'Bearer nope' }, { authorization: `Bearer ${t.config.staffApiKey}` }];
    for (const headers of attempts) {
      const res = await t.get('/api/v1/me/wallet', headers);
      expect(res.status).toBe(401);
      expect(res.body.error.code).toBe('unauthorized');
    }
  });
});

describe('micro top-ups: Rp5.000 at a time', () => {
  it('a month becomes covered exactly at the top-up that makes the wallet reach its price; the remainder stays', async () => {
    const m = await activeMember(t);
    const code = topUpCode(m.kpj);
    expect((await meOf(m)).nextDue.amount).toBe(MONTH_PRICE);
    // balance after the top-up, the last covered month after its sweep, the balance after the sweep
    const steps: [number, string, number][] = [
      [5_000, '2026-11', 5_000],
      [10_000, '2026-12', 1_600],
      [6_600, '2026-12', 6_600],
      [11_600, '2027-01', 3_200],
      [8_200, '2027-01', 8_200],
      [13_200, '2027-02', 4_800],
    ];
    for (const [i, [, covered, balance]] of steps.entries()) {
      const res = await topUp(code, 5_000);
      expect(res.status, `top-up ${i + 1}`).toBe(200);
      expect(res.body, `top-up ${i + 1}`).toEqual({ status: 'applied', walletCredit: 5_000, topUp: true });
      const me = await meOf(m);
      expect(me.coveredThrough, `top-up ${i + 1}`).toBe(covered);
      expect(me.wallet.balance, `top-up ${i + 1}`).toBe(balance);
      expect(me.status).toBe('active');
      expect(await balanceOf(`wallet:${m.kpj}`)).toBe(balance);
    }
    expect(await coveredMonths(m.kpj)).toEqual(['2026-11', '2026-12', '2027-01', '2027-02']);

    // Each wallet month is a paid bill of kind wallet, priced as a 1-month bill, with no payment of its own.
    const bills = await walletBills(m.kpj);
    expect(bills.map((b) => [b.first_month, b.month_count, b.amount, b.status, b.payment_id])).toEqual([
      ['2026-12', 1, MONTH_PRICE, 'paid', null],
      ['2027-01', 1, MONTH_PRICE, 'paid', null],
      ['2027-02', 1, MONTH_PRICE, 'paid', null],
    ]);
    const transfers = await t.db.selectFrom('ledger_transfer').selectAll().where('ref', 'in', bills.map((b) => b.id)).orderBy('id').execute();
    expect(transfers.map((x) => [x.debit_account, x.credit_account, x.amount, x.code])).toEqual(
      bills.flatMap(() => [
        [`wallet:${m.kpj}`, 'program:JKK', 5_000, 'contribution_jkk'],
        [`wallet:${m.kpj}`, 'program:JKM', 3_400, 'contribution_jkm'],
      ]),
    );

    // The payments: six top-ups, no bill.
    const payments = await t.db.selectFrom('payment').select(['outcome', 'bill_id', 'unmatched_reason', 'amount', 'payment_code']).where('payment_code', '=', code).execute();
    expect(payments).toHaveLength(6);
    for (const p of payments) {
      expect(p).toEqual({ outcome: 'topup', bill_id: null, unmatched_reason: null, amount: 5_000, payment_code: code });
    }

    // What the member sees: newest first, one entry per top-up and per month paid, with the running balance.
    const w = await walletOf(m);
    expect(w.balance).toBe(4_800);
    expect(w.next).toEqual({ month: '2027-03', amount: MONTH_PRICE, shortfall: MONTH_PRICE - 4_800 });
    expect(w.entries).toHaveLength(9);
    expect(w.entries[0]).toMatchObject({ kind: 'contribution', amount: -MONTH_PRICE, month: '2027-02', balanceAfter: 4_800 });
    expect(w.entries[1]).toMatchObject({ kind: 'topup', amount: 5_000, channel: 'va', balanceAfter: 13_200 });
    expect(w.entries.at(-1)).toMatchObject({ kind: 'topup', amount: 5_000, balanceAfter: 5_000 });
    expect(w.entries.reduce((s, e) => s + e.amount, 0)).toBe(w.balance);
    expect(w.entries.map((e) => e.kind)).toEqual(['contribution', 'topup', 'topup', 'contribution', 'topup', 'topup', 'contribution', 'topup', 'topup']);

    // Told by email: a receipt for each top-up, and one for each month the wallet paid.
    const mail = await outboxTo(m.person.email);
    const credited = mail.filter((x) => x.template === 'wallet_credited');
    expect(credited).toHaveLength(6);
    expect(credited[0]!.subject).toBe(`Saldo dompet iuran bertambah Rp5.000 — KPJ ${m.kpj}`);
    expect(credited[0]!.body).toContain('Saldo dompet iuran Anda sekarang: Rp13.200.');
    const receipts = mail.filter((x) => x.template === 'wallet_contribution');
    expect(receipts).toHaveLength(3);
    expect(receipts[0]!.subject).toBe(`Tanda terima iuran KPJ ${m.kpj} (dompet iuran)`);
    expect(receipts[0]!.body).toContain('Iuran sebesar Rp8.400 untuk bulan Februari 2027 telah dibayar dari dompet iuran Anda.');
    expect(receipts[0]!.body).toContain('Sisa saldo dompet iuran: Rp4.800.');
  });

  it('a top-up through a provider channel (Xendit retail outlet paid with the top-up code) is the same money path', async () => {
    const m = await activeMember(t);
    const code = topUpCode(m.kpj);
    const body = {
      status: 'COMPLETED',
      fixed_payment_code_payment_id: randomUUID().replace(/-/g, '').slice(0, 24),
      fixed_payment_code_id: '61c53c3727c7a679826dd90a',
      amount: 9_000,
      name: 'BUDI SANTOSO',
      prefix: 'LDG',
      payment_code: code,
      payment_id: '1640315983260',
      external_id: code,
      retail_outlet_name: 'ALFAMART',
      transaction_timestamp: t.clock.now().toISOString(),
      id: randomUUID().replace(/-/g, '').slice(0, 24),
      owner_id: '60ca10b83ffd534ece8aa856',
    };
    const send = () => t.request('POST', '/api/v1/channels/xendit/retail-outlet', JSON.stringify(body), { 'x-callback-token': 'dev-xendit-callback-token' });
    const res = await send();
    expect(res.status, JSON.stringify(res.body)).toBe(200);
    expect(res.body).toEqual({ status: 'applied', walletCredit: 9_000, topUp: true });
    expect((await send()).body).toEqual({ status: 'duplicate' });
    expect((await meOf(m)).coveredThrough).toBe('2026-12');
    expect((await walletOf(m)).balance).toBe(600);
    const stored = await t.db.selectFrom('payment').select(['outcome', 'channel', 'amount']).where('external_id', '=', `xendit:${body.fixed_payment_code_payment_id}`).execute();
    expect(stored).toEqual([{ outcome: 'topup', channel: 'retail', amount: 9_000 }]);
  });

  it("a top-up code of no member is unknown_payment_code: the money waits in suspense, no wallet is credited", async () => {
    const s0 = await balanceOf('suspense');
    const nobody = topUpCode('99999999990');
    expect((await topUp(nobody, 5_000)).body).toEqual({ status: 'unmatched', reason: 'unknown_payment_code' });
    expect(await balanceOf('suspense')).toBe(s0 + 5_000);
    expect(await balanceOf('wallet:99999999990')).toBe(0);
    // A mistyped top-up code (wrong check digit) is no member's code either.
    const typo = `${nobody.slice(0, 15)}${(Number(nobody.slice(15)) + 1) % 10}`;
    expect((await topUp(typo, 5_000)).body).toEqual({ status: 'unmatched', reason: 'unknown_payment_code' });
    expect(await balanceOf('suspense')).toBe(s0 + 10_000);
  });
});

describe('idempotency of top-ups (same semantics as bill payments)', () => {
  it('a duplicate notification (same externalId and content) credits once; other content under it is 409', async () => {
    const m = await activeMember(t);
    const body = topUpBody(topUpCode(m.kpj), 3_000);
    expect((await t.notify(body)).body).toEqual({ status: 'applied', walletCredit: 3_000, topUp: true });
    expect((await t.notify(body)).body).toEqual({ status: 'duplicate' });
    expect((await t.notify(body)).body).toEqual({ status: 'duplicate' });
    const conflict = await t.notify({ ...body, amount: 4_000 });
    expect(conflict.status).toBe(409);
    expect(conflict.body.error.code).toBe('external_id_conflict');
    expect((await walletOf(m)).balance).toBe(3_000);
    expect(await t.db.selectFrom('payment').select('id').where('external_id', '=', body.externalId).execute()).toHaveLength(1);
  });

  it('20 concurrent identical top-ups credit once (and settle the month once)', async () => {
    const m = await activeMember(t);
    const body = topUpBody(topUpCode(m.kpj), MONTH_PRICE);
    const results = await Promise.all(Array.from({ length: 20 }, () => t.notify(body)));
    expect(tally(results)).toEqual({ applied: 1, duplicate: 19 });
    expect((await walletOf(m)).balance).toBe(0);
    expect(await coveredMonths(m.kpj)).toEqual(['2026-11', '2026-12']);
    expect(await walletBills(m.kpj)).toHaveLength(1);
    const pay = await t.db.selectFrom('payment').select('id').where('external_id', '=', body.externalId).executeTakeFirstOrThrow();
    const posted = await t.db.selectFrom('ledger_transfer').select(['amount', 'code']).where('ref', '=', pay.id).execute();
    expect(posted).toEqual([{ amount: MONTH_PRICE, code: 'wallet_topup' }]);
  });

  it('concurrent distinct top-ups race their sweeps: every rupiah is counted, each month is paid once, the cover stays contiguous', async () => {
    const m = await activeMember(t);
    const code = topUpCode(m.kpj);
    // 12 × Rp2.800 = Rp33.600 = exactly four months.
    const results = await Promise.all(Array.from({ length: 12 }, (_, i) => topUp(code, 2_800, i % 2 === 0 ? 'va' : 'qris')));
    expect(tally(results)).toEqual({ applied: 12 });
    expect(await coveredMonths(m.kpj)).toEqual(['2026-11', '2026-12', '2027-01', '2027-02', '2027-03']);
    expect((await walletBills(m.kpj)).map((b) => b.first_month)).toEqual(['2026-12', '2027-01', '2027-02', '2027-03']);
    expect((await walletOf(m)).balance).toBe(0);
  });
});

describe('overpayment: the excess goes to the wallet', () => {
  it('settles the bill, credits the excess, and the excess then pays the next month when it is enough', async () => {
    const m = await activeMember(t);
    const issued = await t.post('/api/v1/me/bills', { months: 1 }, m.auth);
    expect(issued.status).toBe(201);
    const bill = issued.body.bill as { id: string; paymentCode: string; amount: number; months: { month: string }[] };
    expect(bill.months.map((x) => x.month)).toEqual(['2026-12']);
    const body = { externalId: nextExternalId(), paymentCode: bill.paymentCode, amount: bill.amount + 10_000, channel: 'ewallet', paidAt: t.clock.now().toISOString() };
    const res = await t.notify(body);
    expect(res.body).toEqual({ status: 'applied', walletCredit: 10_000 });
    expect(await billStatus(bill.paymentCode)).toBe('paid');
    // The bill's month, then the month the excess paid; Rp10.000 − Rp8.400 stays in the wallet.
    expect(await coveredMonths(m.kpj)).toEqual(['2026-11', '2026-12', '2027-01']);
    expect((await walletOf(m)).balance).toBe(1_600);

    const pay = await t.db.selectFrom('payment').select(['id', 'outcome', 'amount', 'bill_id']).where('external_id', '=', body.externalId).executeTakeFirstOrThrow();
    expect(pay).toMatchObject({ outcome: 'applied', amount: bill.amount + 10_000, bill_id: bill.id });
    const posted = await t.db.selectFrom('ledger_transfer').select(['debit_account', 'credit_account', 'amount', 'code']).where('ref', '=', pay.id).orderBy('id').execute();
    expect(posted).toEqual([
      { debit_account: 'clearing:ewallet', credit_account: 'program:JKK', amount: 5_000, code: 'contribution_jkk' },
      { debit_account: 'clearing:ewallet', credit_account: 'program:JKM', amount: 3_400, code: 'contribution_jkm' },
      { debit_account: 'clearing:ewallet', credit_account: `wallet:${m.kpj}`, amount: 10_000, code: 'overpayment' },
    ]);
    const w = await walletOf(m);
    expect(w.entries.map((e) => [e.kind, e.amount, e.balanceAfter])).toEqual([
      ['contribution', -MONTH_PRICE, 1_600],
      ['overpayment', 10_000, 10_000],
    ]);
    const mail = await outboxTo(m.person.email);
    expect(mail.find((x) => x.template === 'wallet_credited')?.body).toContain('Kelebihan bayar Rp10.000 kami simpan di dompet iuran Anda.');
    expect(mail.some((x) => x.template === 'payment_receipt')).toBe(true);
    // A repeat is a duplicate and credits nothing more.
    expect((await t.notify(body)).body).toEqual({ status: 'duplicate' });
    expect((await walletOf(m)).balance).toBe(1_600);
  });

  it('an excess smaller than a month stays in the wallet; a short payment is still amount_mismatch (suspense)', async () => {
    const m = await activeMember(t);
    const bill = (await t.post('/api/v1/me/bills', { months: 1 }, m.auth)).body.bill as { paymentCode: string; amount: number };
    const s0 = await balanceOf('suspense');
    const short = await t.notify({ externalId: nextExternalId(), paymentCode: bill.paymentCode, amount: bill.amount - 1, channel: 'va', paidAt: t.clock.now().toISOString() });
    expect(short.body).toEqual({ status: 'unmatched', reason: 'amount_mismatch' });
    expect(await balanceOf('suspense')).toBe(s0 + bill.amount - 1);
    expect(await billStatus(bill.paymentCode)).toBe('open');
    expect((await walletOf(m)).balance).toBe(0);

    const over = await t.notify({ externalId: nextExternalId(), paymentCode: bill.paymentCode, amount: bill.amount + 100, channel: 'va', paidAt: t.clock.now().toISOString() });
    expect(over.body).toEqual({ status: 'applied', walletCredit: 100 });
    expect(await coveredMonths(m.kpj)).toEqual(['2026-11', '2026-12']);
    expect(await walletOf(m)).toMatchObject({ balance: 100, next: { month: '2027-01', amount: MONTH_PRICE, shortfall: MONTH_PRICE - 100 } });
    // The bill is paid now: paying it again (even with more) is bill_already_paid, in suspense, not in the wallet.
    const again = await t.notify({ externalId: nextExternalId(), paymentCode: bill.paymentCode, amount: bill.amount + 5_000, channel: 'va', paidAt: t.clock.now().toISOString() });
    expect(again.body).toEqual({ status: 'unmatched', reason: 'bill_already_paid' });
    expect((await walletOf(m)).balance).toBe(100);
  });

  it('an overpaid first bill creates the member, covers its months, and the excess pays the months after', async () => {
    const person = makePerson();
    const registrationId = await registerVerified(t, person);
    const submit = await t.post(`/api/v1/registrations/${registrationId}/submit`, { programs: ['JKK', 'JKM'], declaredIncome: 1_000_000, months: 1 });
    const bill = submit.body.bill as { paymentCode: string; amount: number };
    expect(bill.amount).toBe(MONTH_PRICE);
    const res = await t.notify({ externalId: nextExternalId(), paymentCode: bill.paymentCode, amount: bill.amount + 20_000, channel: 'retail', paidAt: t.clock.now().toISOString() });
    expect(res.body).toEqual({ status: 'applied', walletCredit: 20_000 });
    const p = await t.db.selectFrom('participant').select(['id', 'kpj']).where('nik_hash', '=', nikHashOf(person.nik)).executeTakeFirstOrThrow();
    expect(await coveredMonths(p.kpj)).toEqual(['2026-11', '2026-12', '2027-01']);
    expect(await balanceOf(`wallet:${p.kpj}`)).toBe(20_000 - 2 * MONTH_PRICE);
    const token = await login(t, person.phone);
    const me = await t.get('/api/v1/me', { authorization: `Bearer ${token}` });
    expect(me.body).toMatchObject({ coveredThrough: '2027-01', status: 'active', wallet: { balance: 3_200 } });
  });
});

describe('open bills and the wallet', () => {
  it('an open bill whose month the wallet has paid is cancelled; paying that old code afterwards is kept in suspense', async () => {
    const m = await activeMember(t);
    const bill = (await t.post('/api/v1/me/bills', { months: 3 }, m.auth)).body.bill as { paymentCode: string; amount: number };
    expect(await billStatus(bill.paymentCode)).toBe('open');
    // Not enough for a month: nothing is paid, the bill stays open.
    await topUp(topUpCode(m.kpj), 5_000);
    expect(await billStatus(bill.paymentCode)).toBe('open');
    // Enough: the wallet pays 2026-12, which the open 3-month bill also asks for.
    await topUp(topUpCode(m.kpj), 5_000);
    expect(await coveredMonths(m.kpj)).toEqual(['2026-11', '2026-12']);
    expect(await billStatus(bill.paymentCode)).toBe('cancelled');
    const s0 = await balanceOf('suspense');
    const late = await t.notify({ externalId: nextExternalId(), paymentCode: bill.paymentCode, amount: bill.amount, channel: 'va', paidAt: t.clock.now().toISOString() });
    expect(late.body).toEqual({ status: 'unmatched', reason: 'bill_already_paid' }); // the wallet paid its month
    expect(await balanceOf('suspense')).toBe(s0 + bill.amount);
    // A new bill starts after what the wallet paid.
    const next = await t.post('/api/v1/me/bills', { months: 1 }, m.auth);
    expect(next.body.bill.months.map((x: { month: string }) => x.month)).toEqual(['2027-01']);
  });

  it('a wallet below the next month leaves an open bill alone; paying that bill exactly keeps the wallet as it was', async () => {
    const m = await activeMember(t);
    const bill = (await t.post('/api/v1/me/bills', { months: 1 }, m.auth)).body.bill as { paymentCode: string; amount: number };
    await topUp(topUpCode(m.kpj), 2_000);
    expect(await billStatus(bill.paymentCode)).toBe('open');
    expect((await t.notify({ externalId: nextExternalId(), paymentCode: bill.paymentCode, amount: bill.amount, channel: 'va', paidAt: t.clock.now().toISOString() })).body).toEqual({ status: 'applied' });
    expect(await coveredMonths(m.kpj)).toEqual(['2026-11', '2026-12']);
    expect((await walletOf(m)).balance).toBe(2_000);
  });
});

describe('staff assignment of suspense money (creditWallet, then sweepWallet)', () => {
  it('moves the money suspense → wallet once, tells the member, and the sweep pays the month', async () => {
    const m = await activeMember(t);
    // Money that reached us with a code of no one: in suspense.
    const lost = topUpBody('8000000000000109', MONTH_PRICE + 1_000);
    expect((await t.notify(lost)).body).toEqual({ status: 'unmatched', reason: 'unknown_payment_code' });
    const pay = await t.db.selectFrom('payment').select(['id', 'amount']).where('external_id', '=', lost.externalId).executeTakeFirstOrThrow();
    const s0 = await balanceOf('suspense');
    const credit = { transferId: `${pay.id}:assign`, kpj: m.kpj, amount: pay.amount, fromAccount: 'suspense', code: 'manual_assignment' as const, ref: pay.id, now: t.clock.now() };
    expect(await t.db.transaction().execute((trx) => creditWallet(trx, credit))).toBe(true);
    expect(await t.db.transaction().execute((trx) => creditWallet(trx, credit))).toBe(false);
    expect(await balanceOf('suspense')).toBe(s0 - pay.amount);
    expect(await balanceOf(`wallet:${m.kpj}`)).toBe(MONTH_PRICE + 1_000);
    expect(await sweepWallet(t.deps, await participantIdOf(m.kpj))).toEqual({ settledMonths: ['2026-12'], balance: 1_000 });
    // Idempotent: a second sweep finds nothing more to pay.
    expect(await sweepWallet(t.deps, await participantIdOf(m.kpj))).toEqual({ settledMonths: [], balance: 1_000 });
    expect(await coveredMonths(m.kpj)).toEqual(['2026-11', '2026-12']);
    const w = await walletOf(m);
    expect(w.entries.map((e) => [e.kind, e.amount, e.channel ?? null])).toEqual([
      ['contribution', -MONTH_PRICE, null],
      ['manual_assignment', MONTH_PRICE + 1_000, 'va'],
    ]);
    const mail = await outboxTo(m.person.email);
    expect(mail.filter((x) => x.template === 'wallet_credited').map((x) => x.body)).toEqual([expect.stringContaining('oleh petugas')]);
  });

  it('refuses what the chart of accounts refuses (a programming error), writing nothing', async () => {
    const m = await activeMember(t);
    const base = { transferId: `bad-${Date.now()}`, kpj: m.kpj, amount: 1_000, fromAccount: 'suspense', code: 'manual_assignment' as const, ref: 'x' };
    for (const bad of [{ ...base, amount: 0 }, { ...base, amount: 1.5 }, { ...base, fromAccount: 'nowhere' }, { ...base, kpj: '123' }, { ...base, code: 'gift' as never }]) {
      await expect(t.db.transaction().execute((trx) => creditWallet(trx, bad))).rejects.toThrow(/refused/);
    }
    expect(await balanceOf(`wallet:${m.kpj}`)).toBe(0);
  });
});

describe('sweeps racing payments', () => {
  it('top-ups racing the payment of an open bill: no error, every month paid once, the cover contiguous', async () => {
    const m = await activeMember(t);
    const bill = (await t.post('/api/v1/me/bills', { months: 1 }, m.auth)).body.bill as { paymentCode: string; amount: number };
    const s0 = await balanceOf('suspense');
    const pay = { externalId: nextExternalId(), paymentCode: bill.paymentCode, amount: bill.amount, channel: 'va', paidAt: t.clock.now().toISOString() };
    const results = await Promise.all([
      ...Array.from({ length: 5 }, () => topUp(topUpCode(m.kpj), MONTH_PRICE)),
      t.notify(pay),
      ...Array.from({ length: 3 }, () => topUp(topUpCode(m.kpj), MONTH_PRICE)),
    ]);
    const counts = tally(results);
    const billWon = counts['applied'] === 9;
    // Either the bill settled 2026-12 (and the wallet the 8 months after), or the wallet got there first: the bill
    // was then cancelled or found paid, and its money waits in suspense.
    if (billWon) {
      expect(await billStatus(bill.paymentCode)).toBe('paid');
      expect(await balanceOf('suspense')).toBe(s0);
    } else {
      expect(counts['applied']).toBe(8);
      expect((counts['unmatched:bill_expired'] ?? 0) + (counts['unmatched:bill_already_paid'] ?? 0)).toBe(1);
      expect(await balanceOf('suspense')).toBe(s0 + bill.amount);
    }
    // Rp67.200 in the wallet: 2026-12 (unless the bill paid it) and 2027-01..03 at Rp8.400, 2027-04 on at Rp16.800.
    expect(await coveredMonths(m.kpj)).toEqual(['2026-11', '2026-12', '2027-01', '2027-02', '2027-03', '2027-04', '2027-05']);
    const fromWallet = await walletBills(m.kpj);
    expect(fromWallet.map((b) => b.first_month)).toEqual(['2026-12', '2027-01', '2027-02', '2027-03', '2027-04', '2027-05'].slice(billWon ? 1 : 0));
    expect((await walletOf(m)).balance).toBe(8 * MONTH_PRICE - fromWallet.reduce((s, b) => s + b.amount, 0));
    expect((await walletOf(m)).balance).toBe(billWon ? MONTH_PRICE : 0);
  });

  it('no sweep failed along the way (a failure is only logged, so it is checked here)', () => {
    expect(logged.filter((l) => l.includes('"level":"error"'))).toEqual([]);
  });
});

describe('ledger invariants over everything recorded so far', () => {
  it('debits = credits; every transfer obeys the chart of accounts; each payment posts exactly its amount', async () => {
    const sides = await sql<{ debits: number; credits: number }>`
      select (select coalesce(sum(amount), 0) from ledger_transfer)::int8 as debits,
             (select coalesce(sum(amount), 0) from ledger_transfer)::int8 as credits`.execute(t.db);
    expect(sides.rows[0]!.debits).toBe(sides.rows[0]!.credits);
    const balances = await getAllBalances(t.db);
    expect([...balances.values()].reduce((s, b) => s + b, 0)).toBe(0);
    const all = await t.db.selectFrom('ledger_transfer').selectAll().execute();
    const refused = all
      .map((x) => ({ id: x.id, why: validateTransfer({ id: x.id, debitAccount: x.debit_account, creditAccount: x.credit_account, amount: x.amount, code: x.code as TransferCode, ref: x.ref }) }))
      .filter((x) => x.why !== null);
    expect(refused).toEqual([]);
    // Each payment's transfers out of its channel's clearing account (ref = payment id) sum to exactly what was received.
    const mismatched = await sql`
      select p.id, p.amount, coalesce(sum(t.amount), 0)::int8 as posted
        from payment p left join ledger_transfer t on t.ref = p.id and t.debit_account = 'clearing:' || p.channel
       group by p.id, p.amount having coalesce(sum(t.amount), 0) <> p.amount`.execute(t.db);
    expect(mismatched.rows).toEqual([]);
  });

  it('every wallet balance = its top-ups and overpayments − the months it paid, and is never negative', async () => {
    const rows = await sql<{ kpj: string; credited: number; paid: number; balance: number }>`
      select pa.kpj,
             (select coalesce(sum(amount), 0) from ledger_transfer
               where credit_account = 'wallet:' || pa.kpj and code in ('wallet_topup', 'overpayment', 'manual_assignment'))::int8 as credited,
             (select coalesce(sum(amount), 0) from bill where participant_id = pa.id and kind = 'wallet' and status = 'paid')::int8 as paid,
             (select coalesce(sum(case when credit_account = 'wallet:' || pa.kpj then amount else -amount end), 0)
                from ledger_transfer where credit_account = 'wallet:' || pa.kpj or debit_account = 'wallet:' || pa.kpj)::int8 as balance
        from participant pa`.execute(t.db);
    const wallets = rows.rows.filter((r) => r.credited > 0);
    expect(wallets.length).toBeGreaterThan(5);
    for (const w of wallets) {
      expect(w.balance, w.kpj).toBe(w.credited - w.paid);
      expect(w.balance, w.kpj).toBeGreaterThanOrEqual(0);
    }
    // Top-ups credited: the sum of the top-up payments (each recorded once).
    const topups = await sql<{ received: number; credited: number }>`
      select (select coalesce(sum(amount), 0) from payment where outcome = 'topup')::int8 as received,
             (select coalesce(sum(amount), 0) from ledger_transfer where code = 'wallet_topup')::int8 as credited`.execute(t.db);
    expect(topups.rows[0]!.credited).toBe(topups.rows[0]!.received);
  });

  it('every received rupiah is on a settled bill, in a wallet, or in suspense', async () => {
    const r = await sql<{ received: number; on_bills: number; overpaid: number; topups: number; assigned: number }>`
      select (select coalesce(sum(amount), 0) from payment)::int8 as received,
             (select coalesce(sum(b.amount), 0) from payment p join bill b on b.id = p.bill_id where p.outcome = 'applied')::int8 as on_bills,
             (select coalesce(sum(amount), 0) from ledger_transfer where code = 'overpayment')::int8 as overpaid,
             (select coalesce(sum(amount), 0) from ledger_transfer where code = 'wallet_topup')::int8 as topups,
             (select coalesce(sum(amount), 0) from ledger_transfer where code = 'manual_assignment')::int8 as assigned`.execute(t.db);
    const x = r.rows[0]!;
    expect(x.assigned).toBeGreaterThan(0);
    const balances = await getAllBalances(t.db);
    expect(x.received).toBe(x.on_bills + x.overpaid + x.topups + x.assigned + (balances.get('suspense') ?? 0));
    // And what left the wallets went to the programs and JHT accounts, exactly as the wallet bills say.
    const walletPaid = await sql<{ n: number }>`select coalesce(sum(amount), 0)::int8 as n from bill where kind = 'wallet'`.execute(t.db);
    const inFunds = [...balances].filter(([a]) => a.startsWith('program:') || a.startsWith('jht:')).reduce((s, [, b]) => s + b, 0);
    expect(inFunds).toBe(x.on_bills + walletPaid.rows[0]!.n);
    const inWallets = [...balances].filter(([a]) => a.startsWith('wallet:')).reduce((s, [, b]) => s + b, 0);
    expect(inWallets).toBe(x.overpaid + x.topups + x.assigned - walletPaid.rows[0]!.n);
  });
});

// The clock moves from here on.
describe('how far ahead, and an inactive member', () => {
  it('never pays beyond 12 months ahead of the current month; the rest waits until the months come within reach', async () => {
    const m = await activeMember(t);
    const res = await topUp(topUpCode(m.kpj), 1_000_000);
    expect(res.body).toEqual({ status: 'applied', walletCredit: 1_000_000, topUp: true });
    const months = await coveredMonths(m.kpj);
    expect(months[0]).toBe('2026-11');
    expect(months.at(-1)).toBe('2027-11');
    expect(months).toHaveLength(13);
    // 2026-12..2027-03 discounted (4 × Rp8.400), 2027-04..2027-11 full (8 × Rp16.800).
    const left = 1_000_000 - 4 * 8_400 - 8 * 16_800;
    expect(await walletOf(m)).toMatchObject({ balance: left, next: null });
    // A month later the horizon moves on: the next credit (even Rp1) lets the wallet pay 2027-12.
    t.clock.set(new Date('2026-12-22T03:00:00Z'));
    await topUp(topUpCode(m.kpj), 1);
    expect((await coveredMonths(m.kpj)).at(-1)).toBe('2027-12');
    expect((await walletOf(await signInAgain(m))).balance).toBe(left + 1 - 16_800);
  });

  it('an inactive member is paid from the current month; the old arrears are never charged', async () => {
    const first = await activeMember(t); // covered 2026-12 (the clock is in December now)
    expect(await coveredMonths(first.kpj)).toEqual(['2026-12']);
    t.clock.set(new Date('2027-04-20T03:00:00Z')); // 2027-01..2027-04 unpaid past their due dates: inactive
    const m = await signInAgain(first);
    expect((await meOf(m)).status).toBe('inactive');
    await topUp(topUpCode(m.kpj), 16_800);
    expect(await coveredMonths(m.kpj)).toEqual(['2026-12', '2027-04']);
    expect(await meOf(m)).toMatchObject({ status: 'active', coveredThrough: '2027-04', wallet: { balance: 0 } });
    const w = await walletOf(m);
    expect(w.entries.map((e) => [e.kind, e.amount, e.month ?? null])).toEqual([
      ['contribution', -16_800, '2027-04'],
      ['topup', 16_800, null],
    ]);
  });
});
