import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { getAllBalances, validateTransfer, type TransferCode } from '../../src/modules/ledger/ledger.js';
import { topUpCode } from '../../src/modules/wallet/domain/top-up-code.js';
import { expectError } from '../support/api-errors.js';
import { midtransFor, postMidtrans } from '../support/channel-clients.js';
import { activeMember, makePerson, registerVerified } from '../support/factories.js';
import { amountText, SnapBankClient } from '../support/snap-client.js';
import { createTestApp, type TestApp, type TestResponse } from '../support/test-app.js';

/**
 * Reconciliation of settlement files and the staff workflow for unmatched payments (docs/reconciliation.md), through
 * the real app. Payments are made the way channels make them (the signed generic notification, BI-SNAP, Midtrans);
 * the settlement files are written here from the documented formats — as the bank would — from what was paid, with
 * planted differences. Tests run in order on one database; the ledger checks at the end hold over everything.
 */
let t: TestApp;
let STAFF: Record<string, string>;
beforeAll(async () => {
  t = await createTestApp();
  STAFF = { authorization: `Bearer ${t.config.staffApiKey}` };
});
afterAll(async () => t.close());

const DAY = '2026-11-22'; // the test clock starts on 2026-11-22 10:00 WIB
const COUNTER_HEADER = 'settlement_date,reference_no,payment_code,teller_id,amount,transaction_time';
const VA_HEADER = 'settlement_date,reference_no,virtual_account_no,bank,amount,transaction_time';

interface Paid {
  externalId: string;
  paymentCode: string;
  amount: number;
  paidAt: string;
  status: string;
}

/** WIB wall-clock time as the files write it: "2026-11-22 10:00:00". */
function wib(iso: string): string {
  return new Date(new Date(iso).getTime() + 7 * 3_600_000).toISOString().slice(0, 19).replace('T', ' ');
}

function counterRow(p: { externalId: string; paymentCode: string; amount: number; paidAt: string }): string {
  return [DAY, p.externalId, p.paymentCode, 'LKT-01', String(p.amount), wib(p.paidAt)].join(',');
}

async function openFirstBill(): Promise<{ paymentCode: string; amount: number }> {
  const registrationId = await registerVerified(t, makePerson());
  const submit = await t.post(`/api/v1/registrations/${registrationId}/submit`, { programs: ['JKK', 'JKM'], declaredIncome: 1_000_000, months: 1 });
  expect(submit.status, JSON.stringify(submit.body)).toBe(201);
  return submit.body.bill;
}

let seq = 0;
async function pay(channel: string, paymentCode: string, amount: number, paidAt = t.clock.now().toISOString()): Promise<Paid> {
  seq += 1;
  const externalId = `rcn-${process.pid}-${seq}`;
  const res = await t.notify({ externalId, paymentCode, amount, channel, paidAt });
  expect(res.status, JSON.stringify(res.body)).toBe(200);
  return { externalId, paymentCode, amount, paidAt, status: res.body.status };
}

function reconcile(body: Record<string, unknown>, headers: Record<string, string> = STAFF): Promise<TestResponse> {
  return t.post('/api/v1/staff/reconciliation-runs', body, headers);
}

async function paymentId(externalId: string): Promise<string> {
  return (await t.db.selectFrom('payment').select('id').where('external_id', '=', externalId).executeTakeFirstOrThrow()).id;
}

async function suspense(): Promise<number> {
  return (await getAllBalances(t.db)).get('suspense') ?? 0;
}

type DiffKey = { kind: string; externalId: string; fileAmount: number | null; recordedAmount: number | null };
const sortDiffs = (d: DiffKey[]) => [...d].sort((a, b) => `${a.kind}|${a.externalId}`.localeCompare(`${b.kind}|${b.externalId}`));
const keysOf = (differences: DiffKey[]) => sortDiffs(differences.map(({ kind, externalId, fileAmount, recordedAmount }) => ({ kind, externalId, fileAmount, recordedAmount })));

// ---------------------------------------------------------------------------------------------------------------
// Settlement file of the counter channel (generic API payments)
// ---------------------------------------------------------------------------------------------------------------

describe('POST /api/v1/staff/reconciliation-runs — a counter settlement file with planted differences', () => {
  const applied: Paid[] = [];
  const unmatched: Paid[] = [];
  let topUp: Paid;
  let lateNight: Paid;
  let otherChannel: Paid;
  let file: string;
  let runId: string;
  let firstReport: any;

  beforeAll(async () => {
    for (let i = 0; i < 3; i++) {
      const bill = await openFirstBill();
      applied.push(await pay('counter', bill.paymentCode, bill.amount));
    }
    unmatched.push(await pay('counter', '8000000000000018', 16800)); // unknown payment code
    unmatched.push(await pay('counter', '8000000000000026', 36800));
    const mismatch = await openFirstBill();
    unmatched.push(await pay('counter', mismatch.paymentCode, mismatch.amount - 1000)); // paid too little: amount_mismatch
    const member = await t.db.selectFrom('participant').select('kpj').executeTakeFirstOrThrow();
    topUp = await pay('counter', topUpCode(member.kpj), 50_000);
    // Just past midnight (WIB), so that the payments at the day's edges are in the past (no paidAt in the future).
    t.clock.set(new Date('2026-11-23T00:01:00+07:00'));
    lateNight = await pay('counter', '8000000000000034', 8400, '2026-11-22T23:59:59+07:00');
    // Out of the run's scope: the day before, the day after (WIB), another channel.
    await pay('counter', '8000000000000042', 8400, '2026-11-21T23:59:59+07:00');
    await pay('counter', '8000000000000059', 8400, '2026-11-23T00:00:00+07:00');
    otherChannel = await pay('retail', '8000000000000067', 8400);
  });

  it('the payments were recorded as intended (applied, unmatched, top-up)', () => {
    expect(applied.map((p) => p.status)).toEqual(['applied', 'applied', 'applied']);
    expect(unmatched.map((p) => p.status)).toEqual(['unmatched', 'unmatched', 'unmatched']);
    expect(['topup', 'applied', 'unmatched']).toContain(topUp.status);
    expect(lateNight.status).toBe('unmatched');
  });

  it('reports exactly the planted differences, with counts and totals', async () => {
    const [a1, a2, a3] = applied as [Paid, Paid, Paid];
    const [u1, u2, u3] = unmatched as [Paid, Paid, Paid];
    // The bank's file: every payment of the day on the counter, except a3 and u2 (dropped); a1 with another amount;
    // two references we never heard of; and a reference we recorded on another channel.
    const rows = [
      counterRow({ ...a1, amount: a1.amount - 100 }),
      counterRow(a2),
      counterRow(u1),
      counterRow(u3),
      counterRow(topUp),
      counterRow(lateNight),
      counterRow({ externalId: 'POS-UNKNOWN-1', paymentCode: '8123450000000001', amount: 16800, paidAt: '2026-11-22T04:00:00Z' }),
      counterRow({ externalId: 'POS-UNKNOWN-2', paymentCode: '8123450000000002', amount: 66800, paidAt: '2026-11-22T05:00:00Z' }),
      counterRow(otherChannel),
    ];
    file = `${COUNTER_HEADER}\r\n${rows.join('\r\n')}\r\n`;
    const res = await reconcile({ channel: 'counter', settlementDate: DAY, csv: file });
    expect(res.status, JSON.stringify(res.body)).toBe(201);
    firstReport = res.body;
    runId = res.body.id;
    expect(res.body).toMatchObject({ channel: 'counter', source: 'api', settlementDate: DAY, createdBy: expect.stringMatching(/^staff-key:[0-9a-f]{12}$/) });
    expect(keysOf(res.body.differences)).toEqual(
      sortDiffs([
        { kind: 'amount_differs', externalId: a1.externalId, fileAmount: a1.amount - 100, recordedAmount: a1.amount },
        { kind: 'not_in_file', externalId: a3.externalId, fileAmount: null, recordedAmount: a3.amount },
        { kind: 'not_in_file', externalId: u2.externalId, fileAmount: null, recordedAmount: u2.amount },
        { kind: 'missing_payment', externalId: 'POS-UNKNOWN-1', fileAmount: 16800, recordedAmount: null },
        { kind: 'missing_payment', externalId: 'POS-UNKNOWN-2', fileAmount: 66800, recordedAmount: null },
        { kind: 'missing_payment', externalId: otherChannel.externalId, fileAmount: otherChannel.amount, recordedAmount: null },
      ]),
    );
    const byId = new Map((res.body.differences as any[]).map((d) => [d.externalId, d]));
    expect(byId.get(a1.externalId)).toMatchObject({ line: 2, paymentId: await paymentId(a1.externalId), outcome: 'applied' });
    expect(byId.get(a3.externalId)).toMatchObject({ line: null, paymentId: await paymentId(a3.externalId), paymentCode: a3.paymentCode, outcome: 'applied' });
    expect(byId.get(u2.externalId)).toMatchObject({ paymentId: await paymentId(u2.externalId), outcome: 'unmatched' });
    expect(byId.get('POS-UNKNOWN-2')).toMatchObject({ line: 9, reference: 'POS-UNKNOWN-2', paymentCode: '8123450000000002', paymentId: null, transactionTime: '2026-11-22T12:00:00+07:00' });
    expect(byId.get(otherChannel.externalId)).toMatchObject({ recordedChannel: 'retail' });

    const inScope = [...applied, ...unmatched, topUp, lateNight];
    const sum = (ps: { amount: number }[]) => ps.reduce((s, p) => s + p.amount, 0);
    const matched = [a2, u1, u3, topUp, lateNight];
    expect(res.body.totals).toEqual({
      fileRows: 9,
      fileAmount: sum(matched) + (a1.amount - 100) + 16800 + 66800 + otherChannel.amount,
      recordedCount: inScope.length,
      recordedAmount: sum(inScope),
      matchedCount: 5,
      matchedAmount: sum(matched),
      missingPayment: { count: 3, fileAmount: 16800 + 66800 + otherChannel.amount },
      amountDiffers: { count: 1, fileAmount: a1.amount - 100, recordedAmount: a1.amount },
      notInFile: { count: 2, recordedAmount: a3.amount + u2.amount },
    });
  });

  it('the bank’s complete file reconciles with no differences', async () => {
    const complete = [...applied, ...unmatched, topUp, lateNight].map(counterRow);
    const res = await reconcile({ channel: 'counter', settlementDate: DAY, csv: [COUNTER_HEADER, ...complete].join('\n') });
    expect(res.status, JSON.stringify(res.body)).toBe(201);
    expect(res.body.differences).toEqual([]);
    expect(res.body.totals).toMatchObject({ fileRows: 8, recordedCount: 8, matchedCount: 8 });
  });

  it('GET /staff/reconciliation-runs/{id} returns the stored run, exactly as reported', async () => {
    const res = await t.get(`/api/v1/staff/reconciliation-runs/${runId}`, STAFF);
    expect(res.status).toBe(200);
    expect(res.body).toEqual(firstReport);
    expectError(await t.get('/api/v1/staff/reconciliation-runs/rcn_unknown', STAFF), 404, 'unknown_reconciliation_run', 'id');
  });

  it('the same file again returns the same run (200), also after more payments arrived; concurrent uploads make one run', async () => {
    await pay('counter', '8000000000000075', 8400, '2026-11-22T23:00:00+07:00'); // a new payment of the day: the stored run is a snapshot
    const again = await reconcile({ channel: 'counter', settlementDate: DAY, csv: file });
    expect(again.status).toBe(200);
    expect(again.body).toEqual(firstReport);
    const same = await Promise.all(Array.from({ length: 5 }, () => reconcile({ channel: 'counter', source: 'api', settlementDate: DAY, csv: file })));
    expect(same.map((r) => [r.status, r.body.id])).toEqual(Array.from({ length: 5 }, () => [200, runId]));

    // Another text (LF instead of CRLF) is another file: a new run, compared afresh (the new payment is not in it).
    const relined = await reconcile({ channel: 'counter', settlementDate: DAY, csv: file.replace(/\r\n/g, '\n') });
    expect(relined.status).toBe(201);
    expect(relined.body.id).not.toBe(runId);
    expect(relined.body.totals.notInFile.count).toBe(3);
    // Concurrent uploads of a new file: one run.
    const fresh = `${file}`.replace('LKT-01', 'LKT-02');
    const raced = await Promise.all(Array.from({ length: 6 }, () => reconcile({ channel: 'counter', settlementDate: DAY, csv: fresh })));
    expect(new Set(raced.map((r) => r.body.id)).size).toBe(1);
    expect(raced.filter((r) => r.status === 201)).toHaveLength(1);
    const runs = await t.db.selectFrom('reconciliation_run').select('id').where('channel', '=', 'counter').execute();
    expect(runs).toHaveLength(4);
  });

  it('every run creation is audited with the staff key id', async () => {
    const audit = await t.db.selectFrom('staff_audit').selectAll().where('action', '=', 'reconciliation_run.create').orderBy('id').execute();
    expect(audit).toHaveLength(4);
    expect(audit[0]).toMatchObject({ subject: runId, actor: firstReport.createdBy });
  });
});

// ---------------------------------------------------------------------------------------------------------------
// Bad files and bad requests: clear line errors, never a 5xx, nothing stored
// ---------------------------------------------------------------------------------------------------------------

describe('bad settlement files and requests', () => {
  it('a bad file is 422 invalid_settlement_file with one error per bad line and stable codes; nothing is stored', async () => {
    const before = await t.db.selectFrom('reconciliation_run').select(sql<number>`count(*)::int`.as('n')).executeTakeFirstOrThrow();
    const csv = [
      COUNTER_HEADER,
      '2026-11-22,POS-1,8123456789012345,LKT-01,16.800,2026-11-22 10:00:00',
      '2026-11-22,POS-2,8123456789012345,LKT-01,16800,2026-11-22 10:00:00',
      '2026-11-21,POS-3,8123456789012345,LKT-01,16800,2026-11-21 10:00:00',
      '2026-11-22,POS-2,8123456789012345,LKT-01,16800,2026-11-22 10:00:00',
      '2026-11-22,POS-5,8123456789012345,LKT-01,16800',
    ].join('\r\n');
    const res = await reconcile({ channel: 'counter', settlementDate: DAY, csv });
    expectError(res, 422, 'invalid_settlement_file', 'csv');
    expect(res.body.error.lineErrorCount).toBe(4);
    expect(res.body.error.lines.map((l: any) => [l.line, l.code, l.column ?? null])).toEqual([
      [2, 'invalid_amount', 'amount'],
      [4, 'settlement_date_mismatch', 'settlement_date'],
      [5, 'duplicate_reference', 'reference_no'],
      [6, 'wrong_column_count', null],
    ]);
    expect(res.body.error.lines[0].message).toMatch(/rupiah bulat/);
    const en = await reconcile({ channel: 'counter', settlementDate: DAY, csv }, { ...STAFF, 'accept-language': 'en' });
    expect(en.body.error.lines[0].message).toMatch(/whole rupiah/);
    const after = await t.db.selectFrom('reconciliation_run').select(sql<number>`count(*)::int`.as('n')).executeTakeFirstOrThrow();
    expect(after.n).toBe(before.n);
  });

  it('a wrong header names the expected one; a broken quote names its line', async () => {
    const wrong = await reconcile({ channel: 'va', settlementDate: DAY, csv: `${COUNTER_HEADER}\n` });
    expectError(wrong, 422, 'invalid_settlement_file', 'csv');
    expect(wrong.body.error.lines).toEqual([{ line: 1, code: 'wrong_header', expected: VA_HEADER, message: expect.stringContaining(VA_HEADER) }]);
    const broken = await reconcile({ channel: 'counter', settlementDate: DAY, csv: `${COUNTER_HEADER}\n2026-11-22,"POS-1,x,LKT,1,2026-11-22 10:00:00\n` });
    expect(broken.body.error.lines.map((l: any) => [l.line, l.code])).toEqual([[2, 'unterminated_quote']]);
    const empty = await reconcile({ channel: 'counter', settlementDate: DAY, csv: '' });
    expect(empty.body.error.lines.map((l: any) => l.code)).toEqual(['empty_file']);
  });

  it('400 invalid_request for a bad channel, date, source or type; 401/403 without the staff key', async () => {
    expectError(await reconcile({ channel: 'cash', settlementDate: DAY, csv: COUNTER_HEADER }), 400, 'invalid_request', 'channel');
    expectError(await reconcile({ channel: 'counter', settlementDate: '2026-02-30', csv: COUNTER_HEADER }), 400, 'invalid_request', 'settlementDate');
    expectError(await reconcile({ channel: 'counter', settlementDate: DAY, csv: 42 }), 400, 'invalid_request', 'csv');
    expectError(await reconcile({ channel: 'counter', source: 'snap', settlementDate: DAY, csv: COUNTER_HEADER }), 400, 'invalid_request', 'source');
    expectError(await t.post('/api/v1/staff/reconciliation-runs', '{"channel":', STAFF), 400, 'invalid_request');
    expectError(await reconcile({ channel: 'counter', settlementDate: DAY, csv: COUNTER_HEADER }, {}), 401, 'unauthorized');
    const member = await activeMember(t);
    expectError(await reconcile({ channel: 'counter', settlementDate: DAY, csv: COUNTER_HEADER }, member.auth), 403, 'forbidden');
    expectError(await t.get('/api/v1/staff/unmatched-payments', member.auth), 403, 'forbidden');
    expectError(await t.post('/api/v1/staff/unmatched-payments/x/refund', { reason: 'tes' }, {}), 401, 'unauthorized');
  });
});

// ---------------------------------------------------------------------------------------------------------------
// VA files: the sender decides the externalId namespace (BI-SNAP bank, Midtrans, generic API)
// ---------------------------------------------------------------------------------------------------------------

describe('VA settlement files from the BI-SNAP bank and from Midtrans', () => {
  const snapPayment = { paymentRequestId: `PRQ-${process.pid}-1`, amount: 0, kpj: '' };
  let midtransTxn = '';

  beforeAll(async () => {
    // Move to a fresh day so that only this block's VA payments are in scope.
    t.clock.set(new Date('2026-11-24T03:00:00Z'));
    const member = await activeMember(t); // a generic-API VA payment (externalId ext-…)
    const bank = new SnapBankClient(t);
    await bank.login();
    const inquiry = await bank.inquiry(member.kpj);
    expect(inquiry.body.responseCode, JSON.stringify(inquiry.body)).toBe('2002400');
    snapPayment.amount = Number(inquiry.body.virtualAccountData.totalAmount.value);
    snapPayment.kpj = member.kpj;
    const paid = await bank.payment(bank.paymentBody(member.kpj, snapPayment.paymentRequestId, amountText(snapPayment.amount)));
    expect(paid.body.responseCode, JSON.stringify(paid.body)).toBe('2002500');
    const midtrans = midtransFor('bcaVa', { paymentCode: '8000000000000083', amount: 16800 }, { transaction_time: '2026-11-24 10:00:30', settlement_time: '2026-11-24 10:01:00' });
    midtransTxn = midtrans['transaction_id'] as string;
    const res = await postMidtrans(t, midtrans);
    expect(res.body, JSON.stringify(res.body)).toMatchObject({ status: 'unmatched' });
  });

  it('the bank’s file (default source snap) names the paymentRequestId and accounts only for SNAP payments', async () => {
    const csv = [VA_HEADER, `2026-11-24,${snapPayment.paymentRequestId},88899${snapPayment.kpj},BCA,${snapPayment.amount},2026-11-24T10:00:00+07:00`].join('\r\n');
    const res = await reconcile({ channel: 'va', settlementDate: '2026-11-24', csv });
    expect(res.status, JSON.stringify(res.body)).toBe(201);
    expect(res.body).toMatchObject({ source: 'snap', differences: [], totals: { fileRows: 1, recordedCount: 1, matchedCount: 1, matchedAmount: snapPayment.amount } });
  });

  it('Midtrans’ file names its transaction_id and accounts only for Midtrans payments', async () => {
    const res = await reconcile({ channel: 'va', source: 'midtrans', settlementDate: '2026-11-24', csv: `${VA_HEADER}\n2026-11-24,${midtransTxn},333333333333333,bca,16800.00,2026-11-24 10:01:00\n` });
    expect(res.status, JSON.stringify(res.body)).toBe(201);
    expect(res.body).toMatchObject({ source: 'midtrans', differences: [], totals: { recordedCount: 1, matchedCount: 1 } });
  });

  it('an empty generic-API file lists exactly the generic VA payments of the day as not_in_file', async () => {
    const res = await reconcile({ channel: 'va', source: 'api', settlementDate: '2026-11-24', csv: VA_HEADER });
    expect(res.status).toBe(201);
    const generic = await t.db
      .selectFrom('payment')
      .select(['external_id', 'amount'])
      .where('channel', '=', 'va')
      .where('paid_at', '>=', new Date('2026-11-24T00:00:00+07:00'))
      .where('paid_at', '<', new Date('2026-11-25T00:00:00+07:00'))
      .where('external_id', 'like', 'ext-%')
      .execute();
    expect(generic).toHaveLength(1);
    expect(keysOf(res.body.differences)).toEqual(generic.map((g) => ({ kind: 'not_in_file', externalId: g.external_id, fileAmount: null, recordedAmount: Number(g.amount) })));
  });
});

// ---------------------------------------------------------------------------------------------------------------
// Unmatched payments: list, refund, assign — once each, with the ledger
// ---------------------------------------------------------------------------------------------------------------

describe('the unmatched payments workflow', () => {
  async function openUnmatchedSum(): Promise<number> {
    const row = await sql<{ total: number }>`
      select coalesce(sum(p.amount), 0)::int8 as total from payment p
      where p.outcome = 'unmatched' and not exists (select 1 from payment_resolution r where r.payment_id = p.id)`.execute(t.db);
    return Number(row.rows[0]?.total ?? 0);
  }

  it('GET /staff/unmatched-payments lists the open ones with reason, amount, channel and age; suspense holds exactly them', async () => {
    t.clock.set(new Date('2026-11-25T04:00:00Z')); // 11:00 WIB, three days and an hour after the first payments
    const res = await t.get('/api/v1/staff/unmatched-payments?limit=500', STAFF);
    expect(res.status).toBe(200);
    const open = await t.db.selectFrom('payment').select(['id', 'amount']).where('outcome', '=', 'unmatched').execute();
    expect(res.body.count).toBe(open.length);
    expect(res.body.amount).toBe(open.reduce((s, p) => s + Number(p.amount), 0));
    expect(res.body.payments.map((p: any) => p.paymentId).sort()).toEqual(open.map((p) => p.id).sort());
    expect(await suspense()).toBe(res.body.amount);
    const first = res.body.payments.find((p: any) => p.paymentCode === '8000000000000018');
    expect(first).toMatchObject({ channel: 'counter', amount: 16800, reason: 'unknown_payment_code', ageDays: 3, suggestedKpj: null, paidAt: expect.stringMatching(/^2026-11-22T10:\d\d:\d\d\+07:00$/) });
    const byChannel = await t.get('/api/v1/staff/unmatched-payments?channel=retail', STAFF);
    expect(byChannel.body.payments.map((p: any) => p.channel)).toEqual(['retail']);
    expectError(await t.get('/api/v1/staff/unmatched-payments?limit=0', STAFF), 400, 'invalid_request', 'limit');
  });

  it('refund: suspense → clearing:<channel> once, a refund request, the payment resolved and audited; it leaves the list', async () => {
    const id = await paymentId((await t.db.selectFrom('payment').select('external_id').where('payment_code', '=', '8000000000000018').executeTakeFirstOrThrow()).external_id);
    const suspenseBefore = await suspense();
    const clearingBefore = (await getAllBalances(t.db)).get('clearing:counter') ?? 0;
    const res = await t.post(`/api/v1/staff/unmatched-payments/${id}/refund`, { reason: 'Pembayar salah kode; dana dikembalikan (tiket 101)' }, STAFF);
    expect(res.status, JSON.stringify(res.body)).toBe(201);
    expect(res.body).toMatchObject({
      paymentId: id,
      resolution: 'refunded',
      amount: 16800,
      channel: 'counter',
      reason: 'Pembayar salah kode; dana dikembalikan (tiket 101)',
      resolvedBy: expect.stringMatching(/^staff-key:/),
      refundRequest: { id: expect.stringMatching(/^rfd_/), status: 'requested' },
    });
    const transfers = await t.db.selectFrom('ledger_transfer').selectAll().where('ref', '=', id).orderBy('id').execute();
    expect(transfers.map((x) => [x.id, x.debit_account, x.credit_account, Number(x.amount), x.code])).toEqual([
      [`${id}:refund`, 'suspense', 'clearing:counter', 16800, 'refund'],
      [`${id}:suspense`, 'clearing:counter', 'suspense', 16800, 'unmatched_payment'],
    ]);
    expect(await suspense()).toBe(suspenseBefore - 16800);
    expect((await getAllBalances(t.db)).get('clearing:counter') ?? 0).toBe(clearingBefore + 16800);
    expect(await t.db.selectFrom('refund_request').selectAll().where('payment_id', '=', id).execute()).toMatchObject([{ channel: 'counter', status: 'requested', amount: 16800 }]);
    expect(await t.db.selectFrom('staff_audit').selectAll().where('subject', '=', id).execute()).toMatchObject([
      { action: 'unmatched_payment.refund', actor: res.body.resolvedBy, reason: 'Pembayar salah kode; dana dikembalikan (tiket 101)' },
    ]);
    const list = await t.get('/api/v1/staff/unmatched-payments?limit=500', STAFF);
    expect(list.body.payments.map((p: any) => p.paymentId)).not.toContain(id);
    expect(list.body.amount).toBe(await suspense());
  });

  it('a payment resolves once: a second refund or an assign is 409 payment_already_resolved, and moves nothing', async () => {
    const id = await paymentId((await t.db.selectFrom('payment').select('external_id').where('payment_code', '=', '8000000000000018').executeTakeFirstOrThrow()).external_id);
    const balances = await getAllBalances(t.db);
    expectError(await t.post(`/api/v1/staff/unmatched-payments/${id}/refund`, { reason: 'sekali lagi' }, STAFF), 409, 'payment_already_resolved', 'paymentId');
    const member = await t.db.selectFrom('participant').select('kpj').executeTakeFirstOrThrow();
    expectError(await t.post(`/api/v1/staff/unmatched-payments/${id}/assign`, { kpj: member.kpj, reason: 'salah' }, STAFF), 409, 'payment_already_resolved', 'paymentId');
    expect(await getAllBalances(t.db)).toEqual(balances);
  });

  it('404 unknown_payment, 409 payment_not_unmatched for applied money, 400 without a reason', async () => {
    expectError(await t.post('/api/v1/staff/unmatched-payments/pay_tidakada/refund', { reason: 'tidak ada' }, STAFF), 404, 'unknown_payment', 'paymentId');
    const applied = await t.db.selectFrom('payment').select('id').where('outcome', '=', 'applied').executeTakeFirstOrThrow();
    expectError(await t.post(`/api/v1/staff/unmatched-payments/${applied.id}/refund`, { reason: 'bukan unmatched' }, STAFF), 409, 'payment_not_unmatched', 'paymentId');
    expectError(await t.post(`/api/v1/staff/unmatched-payments/${applied.id}/refund`, { reason: '  ' }, STAFF), 400, 'invalid_request', 'reason');
    expectError(await t.post(`/api/v1/staff/unmatched-payments/${applied.id}/refund`, {}, STAFF), 400, 'invalid_request', 'reason');
  });

  it('10 concurrent refunds of one payment: one 201, nine 409; one transfer; suspense drops once', async () => {
    const target = await pay('qris', '8000000000000091', 12_345);
    const id = await paymentId(target.externalId);
    const before = await suspense();
    const results = await Promise.all(Array.from({ length: 10 }, (_, i) => t.post(`/api/v1/staff/unmatched-payments/${id}/refund`, { reason: `permintaan ${i}` }, STAFF)));
    expect(results.map((r) => r.status).sort()).toEqual([201, 409, 409, 409, 409, 409, 409, 409, 409, 409]);
    expect(results.filter((r) => r.status === 409).every((r) => r.body.error.code === 'payment_already_resolved')).toBe(true);
    expect(await t.db.selectFrom('ledger_transfer').select('id').where('id', '=', `${id}:refund`).execute()).toHaveLength(1);
    expect(await t.db.selectFrom('refund_request').select('id').where('payment_id', '=', id).execute()).toHaveLength(1);
    expect(await suspense()).toBe(before - 12_345);
  });

  it('a refund and an assign racing: exactly one wins', async () => {
    const target = await pay('ewallet', '8000000000000109', 20_000);
    const id = await paymentId(target.externalId);
    const member = await t.db.selectFrom('participant').select('kpj').executeTakeFirstOrThrow();
    const before = await suspense();
    const [r1, r2] = await Promise.all([
      t.post(`/api/v1/staff/unmatched-payments/${id}/refund`, { reason: 'kembalikan' }, STAFF),
      t.post(`/api/v1/staff/unmatched-payments/${id}/assign`, { kpj: member.kpj, reason: 'milik peserta' }, STAFF),
    ]);
    expect([r1.status, r2.status].sort()).toEqual([201, 409]);
    const resolutions = await t.db.selectFrom('payment_resolution').selectAll().where('payment_id', '=', id).execute();
    expect(resolutions).toHaveLength(1);
    const moved = await t.db.selectFrom('ledger_transfer').select('id').where('ref', '=', id).where('debit_account', '=', 'suspense').execute();
    expect(moved).toHaveLength(1);
    expect(await suspense()).toBe(before - 20_000);
  });

  it('assign: suspense → the member’s wallet, which then settles the member’s next month', async () => {
    const member = await activeMember(t); // covered for the current month
    const me = await t.get('/api/v1/me', member.auth);
    const next = me.body.nextDue as { month: string; amount: number };
    const renewal = await t.post('/api/v1/me/bills', { months: 3 }, member.auth);
    expect(renewal.status).toBe(201);
    // The payer sent one month's price for the 3-month bill: unmatched, and the list suggests the bill's member.
    const short = await pay('counter', renewal.body.bill.paymentCode, next.amount);
    expect(short.status).toBe('unmatched');
    const id = await paymentId(short.externalId);
    const listed = (await t.get('/api/v1/staff/unmatched-payments?limit=500', STAFF)).body.payments.find((p: any) => p.paymentId === id);
    expect(listed).toMatchObject({ reason: 'amount_mismatch', suggestedKpj: member.kpj, amount: next.amount, ageDays: 0 });

    const before = await suspense();
    expectError(await t.post(`/api/v1/staff/unmatched-payments/${id}/assign`, { kpj: '10000000000', reason: 'salah KPJ' }, STAFF), 404, 'unknown_participant', 'kpj');
    expectError(await t.post(`/api/v1/staff/unmatched-payments/${id}/assign`, { kpj: '123', reason: 'salah KPJ' }, STAFF), 400, 'invalid_request', 'kpj');
    const res = await t.post(`/api/v1/staff/unmatched-payments/${id}/assign`, { kpj: member.kpj, reason: 'Kurang bayar; dialihkan ke dompet peserta' }, STAFF);
    expect(res.status, JSON.stringify(res.body)).toBe(201);
    expect(res.body).toMatchObject({ paymentId: id, resolution: 'assigned', amount: next.amount, kpj: member.kpj, resolvedBy: expect.stringMatching(/^staff-key:/) });
    expect(await suspense()).toBe(before - next.amount);
    const assign = await t.db.selectFrom('ledger_transfer').selectAll().where('id', '=', `${id}:assign`).executeTakeFirstOrThrow();
    expect([assign.debit_account, assign.credit_account, Number(assign.amount), assign.code, assign.ref]).toEqual(['suspense', `wallet:${member.kpj}`, next.amount, 'manual_assignment', id]);
    // The sweep after commit paid the next month from the wallet.
    const after = await t.get('/api/v1/me', member.auth);
    expect(after.body.coveredThrough).toBe(next.month);
    expect((await getAllBalances(t.db)).get(`wallet:${member.kpj}`) ?? 0).toBe(0);
    expect(await t.db.selectFrom('staff_audit').selectAll().where('subject', '=', id).execute()).toMatchObject([
      { action: 'unmatched_payment.assign', reason: 'Kurang bayar; dialihkan ke dompet peserta', detail: { kpj: member.kpj, amount: next.amount } },
    ]);
    expectError(await t.post(`/api/v1/staff/unmatched-payments/${id}/refund`, { reason: 'terlambat' }, STAFF), 409, 'payment_already_resolved', 'paymentId');
  });

  it('ledger: every transfer valid, debits = credits, suspense = the open unmatched payments, refunds = refund requests', async () => {
    const transfers = await t.db.selectFrom('ledger_transfer').selectAll().execute();
    const invalid = transfers
      .map((x) => ({ id: x.id, problem: validateTransfer({ id: x.id, debitAccount: x.debit_account, creditAccount: x.credit_account, amount: Number(x.amount), code: x.code as TransferCode, ref: x.ref }) }))
      .filter((x) => x.problem !== null);
    expect(invalid).toEqual([]);
    const balances = await getAllBalances(t.db);
    expect([...balances.values()].reduce((s, b) => s + b, 0)).toBe(0);
    expect(await suspense()).toBe(await openUnmatchedSum());
    const refunded = await sql<{ n: number; total: number }>`
      select count(*)::int as n, coalesce(sum(amount), 0)::int8 as total from ledger_transfer where code = 'refund'`.execute(t.db);
    const requests = await sql<{ n: number; total: number }>`select count(*)::int as n, coalesce(sum(amount), 0)::int8 as total from refund_request`.execute(t.db);
    expect(refunded.rows[0]).toEqual(requests.rows[0]);
    // Each resolved payment moved its whole amount out of suspense exactly once.
    const resolvedMoves = await sql<{ payment_id: string; amount: number; moved: number; n: number }>`
      select r.payment_id, r.amount, coalesce(sum(t.amount), 0)::int8 as moved, count(t.id)::int as n
        from payment_resolution r left join ledger_transfer t on t.ref = r.payment_id and t.debit_account = 'suspense'
       group by r.payment_id, r.amount`.execute(t.db);
    expect(resolvedMoves.rows.length).toBeGreaterThanOrEqual(4);
    for (const r of resolvedMoves.rows) {
      expect([r.payment_id, Number(r.moved), r.n]).toEqual([r.payment_id, Number(r.amount), 1]);
    }
  });

  it('the audit trail cannot be changed', async () => {
    await expect(sql`update staff_audit set reason = 'diubah'`.execute(t.db)).rejects.toThrow(/append-only/);
    await expect(sql`delete from staff_audit`.execute(t.db)).rejects.toThrow(/append-only/);
  });
});
