import { sql } from 'kysely';
import { createXenditDisbursementProvider, type DisbursementProvider, type TransferRequest, type TransferStatus } from '../../src/modules/payouts/index.js';
import type { TestApp } from './test-app.js';

/**
 * Approved claims with their payout, set up by SQL as claims-core's approval leaves them (the claim verified and
 * approved by two staff accounts, the ledger `claim_benefit` → payout_clearing, a `pending` payout due now) — so the
 * payout tests do not depend on the filing and approval endpoints.
 */
export interface BankAccount {
  bankCode: string;
  accountNumber: string;
  accountName: string;
}

const officers = new WeakMap<TestApp, { verifier: number; approver: number }>();

async function claimOfficers(t: TestApp): Promise<{ verifier: number; approver: number }> {
  let o = officers.get(t);
  if (!o) {
    const make = async (username: string, role: string) => {
      const row = await sql<{ id: string }>`
        insert into staff_account (username, password_hash, roles, disabled, created_at)
        values (${username}, '$argon2id$test', array[${role}]::text[], false, now()) returning id`.execute(t.db);
      return Number(row.rows[0]!.id);
    };
    o = { verifier: await make('payout-fixture-verifier', 'claims_verifier'), approver: await make('payout-fixture-approver', 'claims_approver') };
    officers.set(t, o);
  }
  return o;
}

let seq = 0;

/** Back to a fresh module's sequence (test/support/per-file.ts). */
export function resetPayoutSeq(): void {
  seq = 0;
}

/** An approved JKM/JKK claim of the member with `amount` owed and its payout (`pay_<claimId>`), due at the app's clock. */
export async function approvedClaimWithPayout(
  t: TestApp,
  member: { kpj: string },
  options: { amount?: number; type?: 'JKK' | 'JKM'; bankAccount?: Partial<BankAccount> } = {},
): Promise<{ claimId: string; payoutId: string; participantId: string; amount: number }> {
  const { verifier, approver } = await claimOfficers(t);
  const participantId = (await t.db.selectFrom('participant').select('id').where('kpj', '=', member.kpj).executeTakeFirstOrThrow()).id;
  const type = options.type ?? 'JKM';
  const amount = options.amount ?? 42_000_000;
  const bankAccount: BankAccount = { bankCode: 'BCA', accountNumber: '1234567890', accountName: 'Siti Aminah', ...options.bankAccount };
  const claimId = `clm_payout${++seq}_${Date.now().toString(36)}`;
  const payoutId = `pay_${claimId}`;
  const now = t.clock.now();
  const account = JSON.stringify(bankAccount);
  await sql`
    insert into claim (id, participant_id, kpj, type, status, bank_account, channel, filed_by, submitted_at, updated_at)
    values (${claimId}, ${participantId}, ${member.kpj}, ${type}, 'submitted', ${account}::jsonb, 'self_service', ${`participant:${member.kpj}`}, ${now}, ${now})`.execute(t.db);
  await sql`update claim set status = 'verified', verified_by = ${verifier}, total = ${amount} where id = ${claimId}`.execute(t.db);
  await sql`update claim set status = 'approved', approved_by = ${approver} where id = ${claimId}`.execute(t.db);
  await sql`
    insert into ledger_transfer (id, debit_account, credit_account, amount, code, ref, created_at)
    values (${`claim:${claimId}`}, ${`benefit:${type}`}, 'payout_clearing', ${amount}, 'claim_benefit', ${claimId}, ${now})`.execute(t.db);
  await sql`
    insert into payout (id, claim_id, participant_id, amount, bank_account, status, next_attempt_at, created_at, updated_at)
    values (${payoutId}, ${claimId}, ${participantId}, ${amount}, ${account}::jsonb, 'pending', ${now}, ${now}, ${now})`.execute(t.db);
  return { claimId, payoutId, participantId, amount };
}

/** Σ credits − Σ debits of payout_clearing: what Lindung still owes claimants. */
export async function payoutClearingBalance(t: TestApp): Promise<number> {
  const { rows } = await sql<{ balance: string | null }>`
    select sum(case when credit_account = 'payout_clearing' then amount else -amount end) as balance
      from ledger_transfer where credit_account = 'payout_clearing' or debit_account = 'payout_clearing'`.execute(t.db);
  return Number(rows[0]?.balance ?? 0);
}

/** Σ approved (claim_benefit) − Σ paid (payout) from the ledger, per code. */
export async function ledgerSums(t: TestApp): Promise<{ approved: number; paid: number; payoutTransfers: number }> {
  const { rows } = await sql<{ approved: string | null; paid: string | null; n: number }>`
    select sum(amount) filter (where code = 'claim_benefit') as approved, sum(amount) filter (where code = 'payout') as paid,
           count(*) filter (where code = 'payout')::int as n
      from ledger_transfer where code in ('claim_benefit', 'payout')`.execute(t.db);
  return { approved: Number(rows[0]?.approved ?? 0), paid: Number(rows[0]?.paid ?? 0), payoutTransfers: rows[0]?.n ?? 0 };
}

export const XENDIT_TEST_TOKEN = 'payout-callback-token-test';

/**
 * A disbursement provider under the test's control, shaped like Xendit (name `xendit`, its callback reader with
 * XENDIT_TEST_TOKEN): transfers are kept by key; a resend of a key is the same transfer; status stays `pending`
 * until `settle(key, …)`; `transfers` counts the distinct transfers made (money that left); `failNextSend`
 * makes the next send throw, before (`lost_request`) or after (`lost_answer`) the provider took it.
 */
export function scriptedProvider() {
  const transfers = new Map<string, { transfer: TransferRequest; status: TransferStatus }>();
  const reader = createXenditDisbursementProvider({ secretKey: 'unused', apiUrl: 'http://127.0.0.1:9', callbackToken: XENDIT_TEST_TOKEN });
  const control = { failNextSend: null as null | 'lost_request' | 'lost_answer', sends: 0, statusQuestions: 0 };
  const provider: DisbursementProvider = {
    name: 'xendit',
    async send(transfer) {
      control.sends += 1;
      const fail = control.failNextSend;
      control.failNextSend = null;
      if (fail === 'lost_request') throw new Error('connection reset before the provider read the request');
      if (!transfers.has(transfer.idempotencyKey)) {
        transfers.set(transfer.idempotencyKey, { transfer, status: { kind: 'pending', providerRef: `disb_${transfers.size + 1}` } });
      }
      if (fail === 'lost_answer') throw new Error('connection reset after the provider took the transfer');
      return { kind: 'accepted', providerRef: transfers.get(transfer.idempotencyKey)!.status.providerRef };
    },
    async status(key) {
      control.statusQuestions += 1;
      return transfers.get(key)?.status;
    },
    readCallback: (headers, body) => reader.readCallback(headers, body),
  };
  const settle = (key: string, outcome: { kind: 'paid'; at: Date } | { kind: 'failed'; reason: string }) => {
    const entry = transfers.get(key);
    if (!entry) throw new Error(`no transfer ${key}`);
    entry.status = outcome.kind === 'paid' ? { kind: 'paid', providerRef: entry.status.providerRef, at: outcome.at } : { kind: 'failed', providerRef: entry.status.providerRef, reason: outcome.reason };
    return entry;
  };
  return { provider, transfers, control, settle };
}

/** A Xendit disbursement callback body for a transfer of the scripted provider. */
export function xenditCallback(key: string, amount: number, over: Record<string, unknown> = {}) {
  return {
    id: 'disb_1', user_id: 'u1', external_id: key, amount, bank_code: 'BCA', account_holder_name: 'Siti Aminah',
    disbursement_description: 'Lindung', is_instant: true, status: 'COMPLETED', created: '2026-11-22T03:00:00.000Z', updated: '2026-11-22T03:00:05.000Z', ...over,
  };
}
